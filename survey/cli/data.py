"""`awareness export` and `awareness import`: a wave's data out, a baseline in."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..exports.formats import FORMATS, NAMES
from .common import (
    Problems,
    Progress,
    csv_rows,
    removed_if_interrupted,
    stored_responses,
    unwritable,
    wave_or_exit,
    writable_or_exit,
    write_or_exit,
)


@click.command("export")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--format", "output_format", type=click.Choice(NAMES), default="csv", show_default=True,
              help="; ".join(f"{f.name}: {f.help}" for f in FORMATS.values()) + ".")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write here (default: stdout, text formats).")
@with_appcontext
def export_command(wave_slug, output_format, output) -> None:
    """Export a wave's completed responses (this year's CSV is next year's baseline)."""
    from .. import db
    from ..responses.queries import wave_frame
    from ..waves import queries

    export_format = FORMATS[output_format]
    # Both checked before the wave is read: a large export is not done only to be refused.
    if output is None and export_format.binary:
        raise click.UsageError(f"--format {output_format} is binary: give --output FILE")
    writable_or_exit(output)
    wave = wave_or_exit(wave_slug)
    if output_format == "csv" and (count := _stream_csv(wave, output)) is not None:
        _wrote(wave, output, count)
        return
    questionnaire = queries.questionnaire_of(wave.edition)
    with Progress(f"exporting {wave.slug}", 2, respondents=stored_responses(wave)) as bar:
        # SPSS and Stata take categoricals (each distinct answer mapped once): a million rows in little memory.
        frame = wave_frame(db.session(), wave, categorical=export_format.categorical)
        bar.step()
        study = queries.ddi_study(db.session(), wave) if export_format.describes_study else None
        content = export_format.write(questionnaire, frame, study)
        bar.step()
    if output is None:
        click.echo(content.decode("utf-8"), nl=False)
    else:
        write_or_exit(output, content)
    _wrote(wave, output, len(frame))


def _stream_csv(wave, output: Path | None) -> int | None:
    """The CSV export written line by line from the stored records, in bounded memory: how many responses
    (None when some responses predate records, and the export goes through the frame)."""
    from .. import db
    from ..exports import csv_stream

    responses = stored_responses(wave)
    written = []  # rows counted as they are written
    with Progress(f"exporting {wave.slug}", responses, respondents=responses) as bar:
        def step(n: int) -> None:
            written.append(n)
            bar.step(n)

        chunks = csv_stream.wave_export(db.session(), wave, progress=step)
        if chunks is None:
            return None
        if output is None:
            sys.stdout.writelines(chunks)
        else:
            # Into the path given, whatever it is (a file, a pipe, a device): never replaced by another file.
            try:
                with removed_if_interrupted(output), open(output, "w", encoding="utf-8", newline="") as file:
                    file.writelines(chunks)
            except OSError as error:
                raise unwritable(output, error) from None
    return sum(written)


def _wrote(wave, output: Path | None, count: int) -> None:
    if output is not None:
        click.echo(f"wrote {output}: {count} responses", err=True)
    if count == 0 and _holds_counts(wave):
        click.echo(f"wave {wave.slug} holds a published table of counts (its import), not respondents' answers: "
                   "exports have no rows for it; compare and report use the counts", err=True)


def importer_name() -> str:
    """Who imports from the command line: the system user."""
    import getpass

    try:
        return f"{getpass.getuser()} (command line)"
    except (KeyError, OSError):  # no user name in this environment
        return "command line"


@click.command("import")
@click.argument("wave_slug", metavar="WAVE")
@click.argument("path", metavar="[FILE]", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--undo", is_flag=True, help="Remove the wave's import (the responses or counts it brought), "
                                           "in one transaction.")
@click.option("--group-question", default="stakeholder_group", show_default=True,
              help="KoboToolbox/ODK exports: the question whose answer is the stakeholder group.")
@with_appcontext
def import_command(wave_slug: str, path: Path | None, undo: bool, group_question: str) -> None:
    """Import a wave's data: interchange CSV/XLSX, a counts CSV, or a KoboToolbox/ODK Central export."""
    from analysis import InputError

    from .. import db
    from ..db import OperationError
    from ..responses.imports import import_file
    from ..responses.operations import undo_import

    if undo == bool(path):
        raise click.UsageError("give a FILE to import, or --undo to remove the wave's import")
    wave = wave_or_exit(wave_slug)
    if undo:
        try:
            record = undo_import(db.session(), wave)
        except OperationError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"removed the import of {record.filename} ({record.rows} rows, sha256 {record.sha256}) "
                   f"from wave {wave.slug}")
        return
    if not path.is_file():
        raise click.ClickException(f"{path}: no such file")
    try:
        with Progress(f"importing {path.name}", csv_rows(path)) as bar:
            record = import_file(db.session(), wave, path, imported_by=importer_name(), group_question=group_question,
                                 progress=bar.step)
    except InputError as error:
        db.session().rollback()
        raise Problems([*error.problems, "nothing imported"]) from None
    click.echo(f"imported {record.rows} {'rows of counts' if record.kind == 'counts' else 'responses'} into wave "
               f"{wave.slug} (sha256 {record.sha256}); undo with: awareness import --undo {wave.slug}")



def _holds_counts(wave) -> bool:
    from sqlalchemy import select

    from .. import db
    from ..models import BaselineCount

    return db.session().scalar(select(BaselineCount.wave_id).where(BaselineCount.wave_id == wave.id).limit(1)) \
        is not None
