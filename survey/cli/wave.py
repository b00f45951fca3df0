"""`awareness wave`: create, list, show, open and close waves, and set their population sizes."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .common import Problems, database_or_exit, load_or_exit, population_or_exit, wave_or_exit
from .lazy import LazyGroup

SLUG_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}"


@click.group("wave", cls=LazyGroup)
def wave_group() -> None:
    """Create, list, show, open and close the yearly rounds (waves) of a survey."""


def _edition(questionnaire_path: Path | None, edition_id: int | None, group_question: str):
    """The stored edition to use: from a questionnaire file (stored if new) or by its id."""
    from .. import db
    from ..db import OperationError
    from ..models import Edition
    from ..waves.operations import store_edition

    session = db.session()
    if edition_id is not None:
        edition = session.get(Edition, edition_id)
        if edition is None:
            editions = ", ".join(f"{e.id} ({e.questionnaire_id} {e.version})" for e in session.query(Edition)) \
                or "none yet"
            raise click.BadParameter(f"no edition {edition_id} (editions: {editions})", param_hint="--edition")
        return edition
    if questionnaire_path.suffix.lower() in (".xlsx", ".xls"):
        from questionnaires import QuestionnaireError
        from questionnaires.xlsform import read_xlsform

        try:
            questionnaire = read_xlsform(questionnaire_path, group_question=group_question)
        except QuestionnaireError as error:
            raise Problems(error.problems) from None
    else:
        questionnaire = load_or_exit(questionnaire_path)
    for warning in questionnaire.warnings:
        click.echo(str(warning), err=True)
    try:
        return store_edition(session, questionnaire)
    except OperationError as error:
        raise click.ClickException(str(error)) from None


@wave_group.command("create")
@click.argument("slug")
@click.option("--questionnaire", "questionnaire_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Questionnaire file (YAML or XLSForm .xlsx); stored as a new edition if new.")
@click.option("--edition", "edition_id", type=int, help="Id of an edition already stored (see `wave list`).")
@click.option("--mode", type=click.Choice(["anonymous", "panel"]), default="anonymous", show_default=True,
              help="panel: pair each person's answers across years (needs contacts with a stable id).")
@click.option("--baseline", "baseline_slug", help="The wave this one is compared with (usually last year's).")
@click.option("--group-question", default="stakeholder_group", show_default=True,
              help="XLSForm: the select_one question whose choices are the stakeholder groups.")
@with_appcontext
def create_command(slug, questionnaire_path, edition_id, mode, baseline_slug, group_question) -> None:
    """Create a wave (a draft: set population sizes, invite, then open it)."""
    import re

    from .. import db
    from ..db import OperationError
    from ..waves.operations import create_wave

    if bool(questionnaire_path) == (edition_id is not None):
        raise click.UsageError("give either --questionnaire FILE or --edition ID")
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise click.BadParameter(f"{slug!r} is not a wave name: use letters, digits, '.', '_' or '-' (up to 50), "
                                 "such as 2018", param_hint="SLUG")
    if questionnaire_path is not None and not questionnaire_path.is_file():
        raise click.BadParameter(f"{questionnaire_path}: no such file", param_hint="--questionnaire")
    database_or_exit()
    baseline = wave_or_exit(baseline_slug) if baseline_slug else None
    edition = _edition(questionnaire_path, edition_id, group_question)
    try:
        wave = create_wave(db.session(), slug, edition, mode=mode, baseline=baseline, commit=True)
    except OperationError as error:
        db.session().rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"created wave {wave.slug} (draft, {mode}) of {edition.questionnaire_id} {edition.version}"
               + (f", baseline {baseline.slug}" if baseline else ""))


@wave_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the waves: name, status, mode, questionnaire edition, baseline, responses."""
    from sqlalchemy import func, select

    from .. import db
    from ..models import BaselineCount, Response, Wave

    database_or_exit()
    session = db.session()
    counts = dict(session.execute(select(Response.wave_id, func.count()).group_by(Response.wave_id)).all())
    tabled = set(session.scalars(select(BaselineCount.wave_id).distinct()))
    waves = session.scalars(select(Wave).order_by(Wave.slug)).all()
    if not waves:
        click.echo("no waves yet: awareness wave create SLUG --questionnaire FILE")
        return
    rows = [("wave", "status", "mode", "edition", "baseline", "responses")]
    rows += [(w.slug, w.status, w.mode, f"{w.edition_id}: {w.edition.questionnaire_id} {w.edition.version}",
              w.baseline.slug if w.baseline else "",
              "table of counts" if w.id in tabled else str(counts.get(w.id, 0))) for w in waves]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@wave_group.command("show")
@click.argument("slug", metavar="WAVE")
@with_appcontext
def show_command(slug: str) -> None:
    """Show a wave: status, mode, counts and response rates by group, imports."""
    from .. import db
    from ..monitoring.queries import wave_summary

    wave = wave_or_exit(slug)
    for line in wave_summary(db.session(), wave):
        click.echo(line)


@wave_group.command("open")
@click.argument("slug", metavar="WAVE")
@with_appcontext
def open_command(slug: str) -> None:
    """Open a wave: its links and open link accept answers."""
    _set_status(slug, "open")


@wave_group.command("close")
@click.argument("slug", metavar="WAVE")
@with_appcontext
def close_command(slug: str) -> None:
    """Close a wave: its links accept no more answers (an anonymous wave's unfinished answers are erased)."""
    _set_status(slug, "closed")


def _set_status(slug: str, status: str) -> None:
    from .. import db
    from ..db import OperationError
    from ..waves.operations import set_status

    wave = wave_or_exit(slug)
    try:
        erased = set_status(db.session(), wave, status)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wave {wave.slug} is {status}" + (f"; the answers of {erased} unfinished respondent"
                                                  f"{'' if erased == 1 else 's'} were erased" if erased else ""))


@wave_group.command("populations")
@click.argument("slug", metavar="WAVE")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def populations_command(slug: str, path: Path) -> None:
    """Set the population size of each stakeholder group from a CSV (group, size)."""
    from .. import db
    from ..waves import queries
    from ..waves.operations import set_populations

    wave = wave_or_exit(slug)
    sizes = population_or_exit(path, queries.questionnaire_of(wave.edition), then="nothing changed")
    set_populations(db.session(), wave, sizes)
    click.echo(f"population sizes of wave {wave.slug}: " + ", ".join(f"{g} {n}" for g, n in sizes.items()))
