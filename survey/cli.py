"""The `awareness` command: Flask's commands (run, shell, routes) plus the platform's own."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from questionnaires import Questionnaire, QuestionnaireError, load, to_yaml, validate

from . import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def cli() -> None:
    """Stakeholder awareness surveys: run yearly rounds and compare them."""


def register_commands(app) -> None:
    """Put the platform's commands on the app, so `awareness`, `flask` and tests all see them."""
    from .commands import (
        create_admin_command,
        crosswalk_command,
        demo_command,
        export_command,
        import_command,
        invite_command,
    )

    for command in (questionnaire, demo_command, compare_command, invite_command, export_command,
                    import_command, crosswalk_command, create_admin_command):
        app.cli.add_command(command)


@click.group()
def questionnaire() -> None:
    """Validate, show and convert questionnaire definitions (YAML or XLSForm)."""


@questionnaire.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files; list every problem; exit 1 if any has an error."""
    failed = False
    for path in paths:
        problems = validate(path)
        errors = [p for p in problems if p.severity == "error"]
        for problem in problems:
            click.echo(str(problem), err=problem.severity == "error")
        if errors:
            failed = True
            click.echo(f"{path}: {len(errors)} error(s)", err=True)
        else:
            warnings = len(problems)
            click.echo(f"{path}: valid" + (f" ({warnings} warning(s))" if warnings else ""))
    sys.exit(1 if failed else 0)


@questionnaire.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--lang", default=None, help="Language of the text shown (default: the questionnaire's first).")
def show_command(path: Path, lang: str | None) -> None:
    """Print a table of the sections and items of a questionnaire."""
    click.echo(render_table(_load_or_exit(path), lang))


@questionnaire.command("import")
@click.argument("form", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="YAML file to write.")
def import_command(form: Path, output: Path) -> None:
    """Convert an XLSForm workbook (ODK, KoboToolbox) to a YAML questionnaire."""
    questionnaire = _load_or_exit(form)
    output.write_text(to_yaml(questionnaire), encoding="utf-8")
    click.echo(f"wrote {output}: {len(questionnaire.items)} items in {len(questionnaire.sections)} sections")


@questionnaire.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="XLSForm .xlsx to write.")
def export_command(path: Path, output: Path) -> None:
    """Write a questionnaire as an XLSForm workbook for KoboToolbox or ODK."""
    from questionnaires.xlsform import write_xlsform

    questionnaire = _load_or_exit(path)
    write_xlsform(questionnaire, output)
    click.echo(f"wrote {output}")


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
              help="Multiple-comparison correction within each group.")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Confidence level of the intervals.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
@with_appcontext
def compare_command(questionnaire_path, baseline, current, baseline_wave, current_wave, by_group, adjust,
                    confidence, output_format, output):
    """Compare this year's answers with the baseline, item by item, with the right test for each.

    Either files (--questionnaire, --baseline, --current) or waves of the database
    (--baseline-wave, --current-wave).
    """
    from analysis import compare, formats

    if baseline_wave or current_wave:
        if not (baseline_wave and current_wave) or baseline or current or questionnaire_path:
            raise click.UsageError("give --baseline-wave with --current-wave, or --questionnaire with --baseline "
                                   "and --current")
        questionnaire, waves, notes = _waves_from_database(baseline_wave, current_wave)
    else:
        if not (questionnaire_path and baseline and current):
            raise click.UsageError("give --questionnaire, --baseline and --current (or --baseline-wave and "
                                   "--current-wave)")
        questionnaire = _load_or_exit(questionnaire_path)
        waves, notes = _waves_from_files(questionnaire, baseline, current), ()
    comparison = compare(questionnaire, *waves, by_group=by_group, adjust=adjust, confidence=confidence,
                         notes=tuple(notes))
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


def _waves_from_database(baseline_slug: str, current_slug: str):
    from . import db
    from .commands import _wave_or_exit
    from .waves import comparison_inputs

    return comparison_inputs(db.session(), _wave_or_exit(baseline_slug), _wave_or_exit(current_slug))


def _load_or_exit(path: Path) -> Questionnaire:
    try:
        return load(path)
    except QuestionnaireError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


def render_table(questionnaire: Questionnaire, language: str | None) -> str:
    """Sections and items as aligned text: id, type, measure, choices, relevance, label."""
    lines = [f"{questionnaire.text(questionnaire.title, language)}",
             f"id {questionnaire.id}, version {questionnaire.version}, languages {', '.join(questionnaire.languages)}, "
             f"{len(questionnaire.items)} items",
             "groups: " + ", ".join(g.code for g in questionnaire.groups), ""]
    header = ("id", "type", "measure", "choices", "relevant", "label")
    for section in questionnaire.sections:
        lines.append(f"[{section.id}] {questionnaire.text(section.title, language)}")
        rows = [header] + [_row(questionnaire, item, language) for item in section.items]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            lines.append("  " + "  ".join(cells + [row[-1]]).rstrip())
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _row(questionnaire: Questionnaire, item, language) -> tuple[str, ...]:
    measure = item.measure or ""
    if item.measure == "knowledge":
        measure += f" (correct: {item.correct})"
    elif item.success:
        measure += f" (success: {' '.join(item.success)})"
    if item.headline:
        measure += " *"
    choices = " ".join(item.codes) if item.choices else ""
    if item.type == "number":
        bounds = [f"min {item.minimum}" if item.minimum is not None else "",
                  f"max {item.maximum}" if item.maximum is not None else "",
                  "integer" if item.integer else ""]
        choices = ", ".join(b for b in bounds if b)
    label = questionnaire.text(item.label, language)
    if len(label) > 60:
        label = label[:57] + "..."
    flags = item.type + (" (required)" if item.required else "")
    return (item.id, flags, measure, choices, item.relevant or "", label)
