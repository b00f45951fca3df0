"""`awareness report` (a citable report in HTML, PDF, Word or Markdown) and `awareness verify`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..comparison.options import DESIGN_OPTIONS, MIN_CELL, report_settings, stamp_settings
from .common import Progress, WholeNumber, removed_if_interrupted, writable_or_exit, write_or_exit
from .options import data_options, design_options
from .report_files import REPORT_SUFFIXES, instance_config, questionnaire_sha256, write_report_or_exit
from .sources import SOURCE_KEYS, Run, app_context
from .trend import asks_for_rounds, rounds_options, trend_report, verify_trend

PROVISIONAL_SHOWN = 10  # differences listed when a provisional report's wave has received responses since


@click.command("report")
@data_options
@rounds_options
@design_options
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="The report; its format follows the extension: .html, .pdf, .docx or .md.")
@click.option("--lang", "language", type=click.Choice(["en", "km"]), default="en", show_default=True,
              help="Language of the whole report (the Khmer awaits a native speaker's review).")
@click.option("--min-cell", type=WholeNumber(1), default=MIN_CELL, show_default=True,
              help="Hide estimates of cells with fewer respondents than this.")
@click.option("--title", help="The report's title (default: the two rounds compared).")
@click.option("--organisation", help="The organisation publishing the report (default: REPORT_ORGANISATION of the "
                                     "instance configuration).")
@click.option("--author", help="The report's author (default: REPORT_AUTHOR of the instance configuration).")
def report_command(output, language, min_cell, title, organisation, author, **options):
    """Write a report reviewers can cite (HTML, PDF, DOCX or Markdown), with its JSON and stamp beside it.

    Takes the data options of `compare`, or the rounds of `trend` (--waves 2015 2016 2017 2018, or
    --questionnaire with several --wave LABEL=FILE) for the report over the period. The JSON
    (REPORT.json) holds every number unsuppressed and the reproducibility stamp; `awareness verify
    REPORT.json` checks it.
    """
    if asks_for_rounds(options):
        return trend_report(output, language, min_cell, title, options, organisation=organisation, author=author)
    if output.suffix.lower() not in REPORT_SUFFIXES:
        raise click.UsageError(f"--output {output}: the format follows the extension; use one of "
                               f"{', '.join(REPORT_SUFFIXES)}")
    from analysis import report as reports
    from analysis import to_dict

    json_path = output.with_suffix(".json")
    writable_or_exit(output)  # before the work, like every command that writes a file
    writable_or_exit(json_path)
    run = Run(options)
    # Four steps: read, compare, build, write (a PDF's rendering takes as long as the rest).
    with run.sources() as respondents, Progress(f"writing {output.name}", 4, respondents=respondents) as bar:
        comparison, questionnaire = run.comparison(bar.step)
        response = _response_rates(run.waves) if run.from_database else None
        cover = _cover(run, organisation, author)
        data = to_dict(comparison)
        settings = stamp_settings(options, stored_sizes=run.stored_sizes) \
            | report_settings(language, min_cell, title, reports.format_of(output))
        data["stamp"] = reports.stamp(data, settings=settings, questionnaire_sha256=questionnaire_sha256(options),
                                      cover=cover)
        document = reports.build(data, questionnaire, language=language, labels=_labels(options), min_cell=min_cell,
                                 title=title, response=response, with_png=output.suffix.lower() in (".md", ".docx"),
                                 json_name=json_path.name, cover=cover)
        bar.step()
        with removed_if_interrupted(output, json_path):
            written = write_report_or_exit(reports, document, output)
            bar.step()
            write_or_exit(json_path, (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
                                      + "\n").encode("utf-8"))
    charts = f" (and {len(written) - 1} PNG charts beside it)" if len(written) > 1 else ""
    click.echo(f"wrote {output}{charts} and {json_path}: {len(document.findings)} headline findings, "
               f"{len(data['results'])} results", err=True)


def _cover(run: Run, organisation: str | None, author: str | None) -> dict:
    """The title block's facts: given, else from the instance configuration; the waves' fieldwork."""
    from flask import current_app

    from .. import db
    from ..comparison.response_rates import cover

    if run.from_database:  # inside run.sources(): the application's context is open
        return cover(current_app.config, organisation=organisation, author=author, session=db.session(),
                     waves=run.waves)
    return cover(instance_config(), organisation=organisation, author=author)


@click.command("verify")
@click.argument("report_json", metavar="REPORT.json", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@data_options
@rounds_options
def verify_command(report_json, **options):
    """Recompute a report's comparison from the same data; exit 0 when every number matches.

    Give the same data options as when the report was made (the settings come from its stamp); without
    any, the waves of the database recorded in the stamp are read again.
    """
    from analysis import report as reports
    from analysis import to_dict

    recorded = _read_report_json(report_json)
    if isinstance(recorded.get("waves"), list):  # a report over the period
        return verify_trend(report_json, recorded, options)
    settings = recorded["stamp"]["settings"]
    if not any(options[key] for key in SOURCE_KEYS):
        _data_from_stamp(report_json, recorded, options)
    for option in DESIGN_OPTIONS:
        options[option.name] = settings.get(option.name)
    # The stamp's `weighted` says whether the sizes stored with the wave were used: True asks for them again,
    # False leaves them out (stored since or not); with a population or margins file given, neither applies.
    if options["population"] or options["rake"]:
        options["weighted"] = None
    else:
        options["weighted"] = bool(settings.get("weighted"))
    run = Run(options)
    with run.sources() as respondents, Progress("recomputing", 2, respondents=respondents) as bar:
        data = to_dict(run.comparison(bar.step)[0])
    found = reports.differences(recorded, data)
    if found and _still_coming_in(recorded, data):
        shown = PROVISIONAL_SHOWN
        click.echo(f"{report_json}: a provisional report, made while fieldwork was still open; the data have changed "
                   f"since (SHA-256), as they do while responses come in, so its numbers cannot be checked against "
                   f"today's data. Verify the final report made once the wave is closed, or give the export taken "
                   f"when this report was made. The first {min(shown, len(found))} of {len(found)} difference(s):",
                   err=True)
        for line in found[:shown]:
            click.echo(f"  {line}", err=True)
        click.get_current_context().exit(1)  # the differences are the answer: listed, without "Error:"
    if found:
        click.echo(f"{report_json}: {len(found)} difference(s) from the data given:", err=True)
        for line in found:
            click.echo(f"  {line}", err=True)
        click.get_current_context().exit(1)
    click.echo(f"{report_json}: verified, every number of its {len(data['results'])} results matches")


def _still_coming_in(recorded: dict, data: dict) -> bool:
    """A provisional report (a wave open when it was made) whose waves' data have changed since."""
    return bool(recorded["stamp"].get("provisional")) and any(
        recorded[wave].get("sha256") != data[wave].get("sha256") for wave in ("baseline", "current"))


def _data_from_stamp(report_json: Path, recorded: dict, options: dict) -> None:
    """Without data options: the waves the stamp records, when this database holds them; else what to give."""
    settings, sources = recorded["stamp"]["settings"], recorded["stamp"].get("data", {})
    baseline, current = settings.get("baseline_wave"), settings.get("current_wave")
    if not (baseline and current):
        used = ", ".join(f"{wave} {sources[wave]['source']}" for wave in ("baseline", "current") if wave in sources)
        raise click.UsageError(f"{report_json} compared files ({used}): give the same files again with "
                               "--questionnaire FILE --baseline FILE --current FILE")
    missing = _missing_waves((baseline, current))
    if missing:
        raise click.UsageError(f"{report_json} compared the waves {baseline} and {current}, but this database has no "
                               f"wave {' or '.join(missing)}: give --baseline-wave and --current-wave, or the files "
                               "with --questionnaire, --baseline and --current")
    used = f"--baseline-wave {baseline} --current-wave {current}"
    population = settings.get("population")
    if population and not options.get("population"):
        # The JSON names the file it was weighted with; it is never opened from there (a report's JSON may
        # come from anyone): the user gives the file.
        raise click.UsageError(f"{report_json} was weighted with population sizes from a file ({population!r}): "
                               f"give it with {used} --population FILE")
    rake = settings.get("rake")
    if rake and not options.get("rake"):
        raise click.UsageError(f"{report_json} was raked to the margins of a file ({rake!r}): give it with {used} "
                               "--rake FILE" + (f" --trim {settings['trim']}" if settings.get("trim") else ""))
    if options.get("rake") and settings.get("trim") and not options.get("trim"):
        options["trim"] = settings["trim"]
    options["baseline_wave"], options["current_wave"] = baseline, current
    click.echo(f"using the data recorded in {report_json.name}: {used}", err=True)


def _missing_waves(slugs: tuple[str, str]) -> list[str]:
    """The slugs among `slugs` that name no wave of the database."""
    from .. import db
    from ..waves import queries
    from .common import database_or_exit

    with app_context():
        database_or_exit()
        return [slug for slug in slugs if queries.wave_by_slug(db.session(), slug) is None]


def _read_report_json(path: Path) -> dict:
    """The report's JSON, checked against its schema (analysis.report.schema) before any field is used."""
    from analysis.report.schema import MAX_BYTES, ReportJsonError, parse_report_json

    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReportJsonError(f"larger than {MAX_BYTES // 2**20} MB: not a report's JSON")
        return parse_report_json(path.read_bytes())
    except ReportJsonError as error:
        raise click.ClickException(f"{path}: {error}") from None


def _labels(options: dict) -> tuple[str, str]:
    """What the report calls the two rounds: the waves' names, or the files' names without extension."""
    o = options
    if o["baseline_wave"]:
        return o["baseline_wave"], o["current_wave"]
    return o["baseline"].stem, o["current"].stem


def _response_rates(waves) -> dict | None:
    """AAPOR RR1 and RR2 by group for each wave that sent invitations."""
    from .. import db
    from ..comparison.response_rates import response_rates

    return response_rates(db.session(), *waves)
