"""`awareness compare`: this year against the baseline, from files or from waves of the database."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import Progress, csv_rows, load_or_exit, population_or_exit, stored_responses, wave_or_exit


@click.command("compare")
@click.option("--questionnaire", "questionnaire_path", type=click.Path(path_type=Path),
              help="The questionnaire (YAML or XLSForm) both files answer.")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Last year's answers: respondent-level CSV/XLSX, or a counts CSV.")
@click.option("--current", type=click.Path(path_type=Path), help="This year's answers.")
@click.option("--baseline-wave", help="Read the baseline from this wave of the database.")
@click.option("--current-wave", help="Read this year's answers from this wave of the database.")
@click.option("--by-group", is_flag=True, help="Also compare each stakeholder group present in both waves.")
@click.option("--adjust", type=click.Choice(["holm", "bh", "none"]), default="holm", show_default=True,
              help="Multiple-comparison correction within each family: rows sharing a group, a design and a role (headline or other).")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Confidence level of the intervals.")
@click.option("--stratify", is_flag=True,
              help="Add, for each proportion, a row stratified by group (Cochran-Mantel-Haenszel).")
@click.option("--paired", is_flag=True,
              help="Add rows comparing the respondents present in both waves (same respondent key) as pairs.")
@click.option("--population", "population_path", type=click.Path(path_type=Path),
              help="CSV group,size: add rows weighted to these population sizes.")
@click.option("--weighted", is_flag=True,
              help="Add rows weighted to the population sizes stored with the current wave (database waves).")
@click.option("--base", type=click.Choice(["answered", "all"]), default="answered", show_default=True,
              help="Proportions among those who answered, or among all the group's respondents "
                   "(those an item did not apply to count as not successful).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
def compare_command(questionnaire_path, baseline, current, baseline_wave, current_wave, by_group, adjust,
                    confidence, stratify, paired, population_path, weighted, base, output_format, output):
    """Compare this year's answers with the baseline, item by item, with the right test for each.

    Either files (--questionnaire, --baseline, --current) or waves of the database
    (--baseline-wave, --current-wave).
    """
    from analysis import InputError, compare, formats

    population = None
    if baseline_wave or current_wave:
        if not (baseline_wave and current_wave) or baseline or current or questionnaire_path:
            raise click.UsageError("give --baseline-wave with --current-wave, or --questionnaire with --baseline "
                                   "and --current")
        with _app_context(), Progress("reading the waves", 1, respondents=_responses(baseline_wave,
                                                                                     current_wave)) as bar:
            questionnaire, waves, notes = _waves_from_database(baseline_wave, current_wave)
            bar.step()
            if weighted and not population_path:
                population = _stored_population(current_wave)
    else:
        if not (questionnaire_path and baseline and current):
            raise click.UsageError("give --questionnaire, --baseline and --current (or --baseline-wave and "
                                   "--current-wave)")
        if weighted and not population_path:
            raise click.UsageError("--weighted takes the population sizes stored with --current-wave; with files, "
                                   "give --population FILE")
        questionnaire = load_or_exit(questionnaire_path)
        with Progress("reading the files", 1, respondents=csv_rows(baseline, current)) as bar:
            waves, notes = _waves_from_files(questionnaire, baseline, current), ()
            bar.step()
    if population_path:
        population = population_or_exit(population_path, questionnaire)
    try:
        comparison = compare(questionnaire, *waves, by_group=by_group, adjust=adjust, confidence=confidence,
                             notes=tuple(notes), stratify=stratify, paired=paired, population=population,
                             base=base)
    except InputError as error:
        for problem in error.problems:
            click.echo(problem, err=True)
        sys.exit(1)
    render = {"table": formats.to_table, "json": formats.to_json, "csv": formats.to_csv}[output_format]
    text = render(comparison)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}: {len(comparison.results)} results")
    else:
        click.echo(text, nl=False)


def _waves_from_files(questionnaire, baseline: Path, current: Path):
    from analysis import InputError, read_wave

    waves, failed = [], False
    for path in (baseline, current):
        try:
            waves.append(read_wave(path, questionnaire))
        except InputError as error:
            failed = True
            for problem in error.problems:
                click.echo(problem, err=True)
    if failed:
        sys.exit(1)
    return waves


def _stored_population(current_slug: str) -> dict[str, int]:
    from .. import db
    from ..waves import stored_population

    population = stored_population(db.session(), wave_or_exit(current_slug))
    if not population:
        click.echo(f"wave {current_slug} has no population sizes stored: give --population FILE", err=True)
        sys.exit(1)
    return population


def _waves_from_database(baseline_slug: str, current_slug: str):
    from .. import db
    from ..waves import comparison_inputs

    return comparison_inputs(db.session(), wave_or_exit(baseline_slug), wave_or_exit(current_slug))


def _app_context():
    """The application's context, created only for comparisons that read the database."""
    from flask.cli import ScriptInfo

    return click.get_current_context().ensure_object(ScriptInfo).load_app().app_context()


def _responses(*slugs: str) -> int:
    """The responses of the waves named (0 for a name that does not exist: the reading says so)."""
    from .. import db, queries

    waves = [wave for slug in slugs if (wave := queries.wave_by_slug(db.session(), slug)) is not None]
    return stored_responses(*waves)
