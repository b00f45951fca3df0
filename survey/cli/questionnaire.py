"""`awareness questionnaire`: validate, show and convert questionnaire definitions."""

from __future__ import annotations

from pathlib import Path

import click

from .common import Problems, load_or_exit, writable_or_exit, write_or_exit
from .lazy import LazyGroup


@click.group(cls=LazyGroup)
def questionnaire() -> None:
    """Validate, show and convert questionnaire definitions (YAML or XLSForm)."""


@questionnaire.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files; list every problem; exit 1 if any has an error."""
    from questionnaires import validate

    failed = False
    for path in paths:
        if path.is_dir():
            failed = True
            click.echo(f"{path}: a folder, not a questionnaire file", err=True)
            continue
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
    if failed:  # every problem is listed above: the exit code alone says so
        click.get_current_context().exit(1)


@questionnaire.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--lang", default=None, help="Language of the text shown (default: the questionnaire's first).")
def show_command(path: Path, lang: str | None) -> None:
    """Print a table of the sections and items of a questionnaire."""
    questionnaire = load_or_exit(path)
    if lang is not None and lang not in questionnaire.languages:
        raise click.ClickException(f"{path}: no text in {lang!r}; its languages are "
                                   f"{', '.join(questionnaire.languages)}")
    click.echo(render_table(questionnaire, lang))


@questionnaire.command("import")
@click.argument("form", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="YAML file to write.")
@click.option("--group-question", default="stakeholder_group", show_default=True,
              help="The select_one question whose choices are the stakeholder groups.")
def import_command(form: Path, output: Path, group_question: str) -> None:
    """Convert an XLSForm workbook (ODK, KoboToolbox) to a YAML questionnaire."""
    from questionnaires import QuestionnaireError, to_yaml
    from questionnaires.xlsform import read_xlsform

    writable_or_exit(output)
    try:
        questionnaire = read_xlsform(form, group_question=group_question)
    except QuestionnaireError as error:
        raise Problems(error.problems) from None
    for warning in questionnaire.warnings:
        click.echo(str(warning), err=True)
    write_or_exit(output, to_yaml(questionnaire).encode("utf-8"))
    click.echo(f"wrote {output}: {len(questionnaire.items)} items in {len(questionnaire.sections)} sections")


@questionnaire.command("export")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path), help="XLSForm .xlsx to write.")
def export_command(path: Path, output: Path) -> None:
    """Write a questionnaire as an XLSForm workbook for KoboToolbox or ODK."""
    from questionnaires.xlsform import write_xlsform

    writable_or_exit(output)
    questionnaire = load_or_exit(path)
    write_xlsform(questionnaire, output)
    click.echo(f"wrote {output}")


def render_table(questionnaire, language: str | None) -> str:
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


def _row(questionnaire, item, language) -> tuple[str, ...]:
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
