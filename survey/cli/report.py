"""`awareness report` (a citable report in HTML, PDF, Word or Markdown) and `awareness verify`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import Progress, WholeNumber, exit_unwritable, removed_if_interrupted, writable_or_exit, write_or_exit
from .sources import SOURCE_KEYS, Run, app_context
from .trend import asks_for_rounds, rounds_options, trend_report, verify_trend

REPORT_SUFFIXES = (".html", ".htm", ".pdf", ".docx", ".md")
PROVISIONAL_SHOWN = 10  # differences listed when a provisional report's wave has received responses since


def data_options(function):
    """The options that say which data to compare: files, or waves of the database, and a population."""
    options = [
        click.option("--questionnaire", "questionnaire_path", type=click.Path(path_type=Path),
                     help="The questionnaire (YAML or XLSForm) both files answer."),
        click.option("--baseline", type=click.Path(path_type=Path), help="Last year's answers (CSV/XLSX or counts)."),
        click.option("--current", type=click.Path(path_type=Path), help="This year's answers."),
        click.option("--baseline-wave", help="Read the baseline from this wave of the database."),
        click.option("--current-wave", help="Read this year's answers from this wave of the database."),
        click.option("--population", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                     help="CSV group,size: add rows weighted to these population sizes."),
        click.option("--weighted", is_flag=True, default=None,
                     help="Add rows weighted to the population sizes stored with the current wave (database waves)."),
        *rake_options(),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def rake_options() -> list:
    """--rake and --trim: `compare`, `report` and `verify` take them alike."""
    return [
        click.option("--rake", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                     help="CSV/XLSX variable,category,size: add weighted rows raked to these margins (the group and "
                          "a single-choice item such as position)."),
        click.option("--trim", type=click.FloatRange(1, min_open=True),
                     help="With --rake: cap each weight at this many times the mean weight (R's trimWeights)."),
    ]


def design_options(function):
    options = [
        click.option("--by-group", is_flag=True, help="Also compare each stakeholder group present in both waves."),
        click.option("--stratify", is_flag=True, default=None,
                     help="Add rows adjusted for group (CMH; means standardised to the current mix) also when the "
                          "mix of groups did not change (when it did, they are made and lead without this option)."),
        click.option("--paired", is_flag=True, default=None, help="Add paired rows for respondents in both waves."),
        click.option("--base", type=click.Choice(["answered", "all"]), default=None,
                     help="Proportions among those who answered (default) or among all respondents."),
        click.option("--adjust", type=click.Choice(["holm", "bh", "none"]), default="holm", show_default=True,
                     help="Multiple-comparison correction within each family."),
        click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
                     show_default=True, help="Confidence level of the intervals."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.command("report")
@data_options
@rounds_options
@design_options
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="The report; its format follows the extension: .html, .pdf, .docx or .md.")
@click.option("--lang", "language", type=click.Choice(["en", "km"]), default="en", show_default=True,
              help="Language of the whole report (the Khmer awaits a native speaker's review).")
@click.option("--min-cell", type=WholeNumber(1), default=5, show_default=True,
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
        settings = _settings(options) | {"language": language, "min_cell": min_cell, "title": title,
                                         "format": reports.format_of(output)}
        data["stamp"] = reports.stamp(data, settings=settings, questionnaire_sha256=_questionnaire_sha256(options),
                                      cover=cover)
        document = reports.build(data, questionnaire, language=language, labels=_labels(options), min_cell=min_cell,
                                 title=title, response=response, with_png=output.suffix.lower() in (".md", ".docx"),
                                 json_name=json_path.name, cover=cover)
        bar.step()
        with removed_if_interrupted(output, json_path):
            written = _write_or_exit(reports, document, output)
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
    return cover(_instance_config(), organisation=organisation, author=author)


def _instance_config():
    """The instance configuration (config.py, then AWARENESS_* variables) as the application reads it, without
    starting one: a report of files needs no database, nor an instance folder made for it."""
    import os

    from flask import Flask, current_app, has_app_context

    if has_app_context():
        return current_app.config
    folder = os.environ.get("AWARENESS_INSTANCE_PATH")
    bare = Flask("survey", instance_relative_config=True, instance_path=str(Path(folder).resolve()) if folder else None)
    bare.config.from_pyfile("config.py", silent=True)
    bare.config.from_prefixed_env("AWARENESS")
    return bare.config


def _write_or_exit(reports, document, output: Path) -> list[Path]:
    """The report written (with any charts beside it), or why not and exit 1."""
    try:
        return reports.write(document, output)
    except reports.ReportError as error:
        click.echo(f"{output}: {error}", err=True)
        sys.exit(1)
    except OSError as error:
        exit_unwritable(output, error)


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
    for key in ("by_group", "stratify", "paired", "weighted", "base", "adjust", "confidence"):
        options[key] = settings.get(key)
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
        sys.exit(1)
    if found:
        click.echo(f"{report_json}: {len(found)} difference(s) from the data given:", err=True)
        for line in found:
            click.echo(f"  {line}", err=True)
        sys.exit(1)
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
        click.echo(f"{path}: {error}", err=True)
        sys.exit(1)


def _settings(options: dict) -> dict:
    """The options a report's stamp records (and `verify` repeats)."""
    o = options
    return {"by_group": bool(o["by_group"]), "stratify": bool(o.get("stratify")), "paired": bool(o.get("paired")),
            "base": o.get("base") or "answered", "adjust": o["adjust"], "confidence": o["confidence"],
            "weighted": bool(o.get("weighted")) and not o.get("population"),
            "population": str(o["population"]) if o.get("population") else None,
            "rake": str(o["rake"]) if o.get("rake") else None, "trim": o.get("trim"),
            "baseline_wave": o["baseline_wave"], "current_wave": o["current_wave"]}


def _questionnaire_sha256(options: dict) -> str | None:
    from analysis.inputs import file_sha256

    path = options.get("questionnaire_path")
    return file_sha256(path) if path else None


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
