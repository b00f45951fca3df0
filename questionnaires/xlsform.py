"""XLSForm (ODK, KoboToolbox, SurveyCTO) to and from the questionnaire model.

Reading goes through pyxform, the ODK reference converter, so that a form reads as ODK reads it
(aliases, capitalisation, optional settings sheet, language columns, or_other); xlsform_json maps
pyxform's JSON to the model and says what it drops and what it refuses.

Conventions beyond the XLSForm standard, so that nothing is lost either way:
- the stakeholder groups are the choices of a `select_one` question named
  `stakeholder_group` (its label is the question shown on an open link);
- `select_one` with appearance `likert` is a likert item;
- a number's `min` and `max` are written into its constraint as `. >= min` and
  `. <= max`, and read back from there;
- the extra survey columns `measure`, `correct`, `success` (codes separated by
  spaces) and `headline` carry the analysis roles;
- the settings columns `form_title::Language (code)` and `description::Language (code)`
  hold the translated title and the description shown on the welcome page.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import expressions
from .cells import is_formula_like
from .loader import from_dict
from .model import Item, Questionnaire, Text
from .problems import Problem, QuestionnaireError
from .workbooks import WorkbookError, check_workbook
from .xlsform_json import GROUP_QUESTION, Locator, Mapper

LANGUAGE_NAMES = {"en": "English", "km": "Khmer", "fr": "French", "th": "Thai", "vi": "Vietnamese",
                  "lo": "Lao", "my": "Burmese", "id": "Indonesian", "ms": "Malay", "zh": "Chinese",
                  "es": "Spanish", "pt": "Portuguese", "ar": "Arabic"}
MAX_ROWS, MAX_COLUMNS = 5_000, 200  # of any sheet of a form: far beyond a real questionnaire
MAX_CELLS = 200_000  # rows x columns a reader lays out, counted from the cells present (never <dimension>)
MAX_UNPACKED = 10 * 1024 * 1024
MAX_XLS_BYTES = 5 * 1024 * 1024  # an Excel 97 .xls form, read whole by xlrd
SUFFIXES = (".xlsx", ".xlsm", ".xls")
MEDIA_COLUMNS = {"image", "big-image", "audio", "video", "media"}


# ---------------------------------------------------------------- reading


def read_xlsform(path: str | Path, group_question: str = GROUP_QUESTION) -> Questionnaire:
    """Convert an XLSForm workbook to the model, or raise QuestionnaireError listing every problem.

    The stakeholder groups are the choices of the select_one question named `group_question`.
    """
    path = Path(path)
    _check_limits(path)
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    try:
        # No library's warning text reaches the user (openpyxl's UserWarning on data validation, ...).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = get_xlsform(str(path))
            form = workbook_to_json(workbook, fallback_form_name=workbook.fallback_form_name,
                                    warnings=[])
    except PyXFormError as error:
        raise QuestionnaireError([_pyxform_problem(path, str(error))]) from None
    except Exception as error:  # noqa: BLE001 - pyxform on an untrusted file: a message, never a traceback
        raise QuestionnaireError([Problem(str(path), "", f"the XLSForm cannot be read "
                                                         f"({type(error).__name__}: {error})")]) from None
    settings = dict(workbook.settings[0]) if workbook.settings else {}
    mapper = Mapper(str(path), Locator(workbook.survey), group_question, settings)
    definition = mapper.read(form)
    return _with_reader_warnings(definition, mapper.problems + _empty_media_columns(workbook, path), path)


def _empty_media_columns(workbook: Any, path: Path) -> list[Problem]:
    """Media columns (`image`, `media::audio::English (en)`) without a value: harmless, said as a warning."""
    problems = []
    for sheet in ("survey", "choices"):
        headers = (getattr(workbook, f"{sheet}_header", None) or [{}])[0]
        rows = getattr(workbook, sheet, None) or []
        for header in headers:
            parts = {part.strip().lower() for part in str(header).split(":")}
            if parts & MEDIA_COLUMNS and not any(row.get(header) for row in rows):
                problems.append(Problem(str(path), f"sheet {sheet!r}, column {header!r}",
                                        "an empty media column; ignored", severity="warning"))
    return problems


def _pyxform_problem(path: Path, message: str) -> Problem:
    """pyxform's message, its "[row : 15]" said as the other problems say where they are."""
    match = re.match(r"\[row\s*:\s*(\d+)\]\s*(.*)", message, re.DOTALL)
    if match:
        return Problem(str(path), f"sheet 'survey', row {match.group(1)}", f"not a valid XLSForm: {match.group(2)}")
    return Problem(str(path), "", f"not a valid XLSForm: {message}")


def _check_limits(path: Path) -> None:
    """The project's workbook limits, checked before pyxform opens the file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise QuestionnaireError([Problem(str(path), "", f"an XLSForm is an .xlsx or .xls workbook, not "
                                                         f"{suffix or 'a file without extension'}")])
    try:
        if suffix == ".xls":
            size = path.stat().st_size
            if size > MAX_XLS_BYTES:
                raise WorkbookError(f"{size / (1024 * 1024):.1f} MB; at most {MAX_XLS_BYTES // (1024 * 1024)} MB")
        else:
            check_workbook(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS,
                           max_unpacked=MAX_UNPACKED)
    except WorkbookError as error:
        raise QuestionnaireError([Problem(str(path), "", f"not an XLSForm workbook that can be read: {error}")]) \
            from None
    except OSError as error:
        raise QuestionnaireError([Problem(str(path), "", f"cannot be read: {error.strerror}")]) from None


def _with_reader_warnings(definition: dict[str, Any], problems: list[Problem], path: Path) -> Questionnaire:
    """The questionnaire, carrying the reader's warnings; QuestionnaireError when the reader found errors."""
    if any(p.severity == "error" for p in problems):
        raise QuestionnaireError(problems)
    warned = tuple(problems)
    try:
        questionnaire = from_dict(definition, source=str(path))
    except QuestionnaireError as error:
        raise QuestionnaireError(list(warned) + error.problems) from None
    return replace(questionnaire, warnings=warned + questionnaire.warnings)


# ---------------------------------------------------------------- writing


def write_xlsform(questionnaire: Questionnaire, path: str | Path) -> None:
    """Write the questionnaire as an XLSForm workbook that reads back to the same model."""
    from openpyxl import Workbook

    languages = questionnaire.languages
    column = {lang: f"{LANGUAGE_NAMES.get(lang, lang)} ({lang})" for lang in languages}
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    translated = [f"{field}::{column[lang]}" for field in ("label", "hint", "constraint_message") for lang in languages]
    headers = ["type", "name", *translated, "required", "relevant", "constraint", "appearance",
               "measure", "correct", "success", "headline"]
    survey.append(headers)

    def row(**cells: Any) -> list[Any]:
        return [cells.get(header) for header in headers]

    def texts(field: str, text: Text | None) -> dict[str, str]:
        return {f"{field}::{column[lang]}": text[lang] for lang in languages if text and lang in text}

    lists = dict(questionnaire.choice_lists)
    survey.append(row(type=f"select_one {GROUP_QUESTION}", name=GROUP_QUESTION, required="yes",
                      **texts("label", questionnaire.group_question_text)))
    for section in questionnaire.sections:
        survey.append(row(type="begin group", name=section.id, appearance="field-list",
                          **texts("label", section.title), **texts("hint", section.hint)))
        for item in section.items:
            if item.kind.has_choices and item.choice_list is None:
                lists[item.id] = item.choices
            survey.append(row(**_item_cells(item), **texts("label", item.label), **texts("hint", item.hint),
                              **texts("constraint_message", item.constraint_message)))
        survey.append(row(type="end group"))

    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{column[lang]}" for lang in languages]])
    for name, entries in [(GROUP_QUESTION, questionnaire.groups), *lists.items()]:
        for entry in entries:
            choices.append([name, entry.code, *[entry.label.get(lang) for lang in languages]])

    settings = workbook.create_sheet("settings")
    # Not form_title::Language nor description::Language: pyxform cannot convert them (a title is one text).
    extra = {f"awareness_title::{column[lang]}": questionnaire.title[lang]
             for lang in languages[1:] if lang in questionnaire.title}
    extra |= texts("awareness_description", questionnaire.description)
    settings.append(["form_id", "version", "form_title", "default_language", *extra])
    settings.append([questionnaire.id, questionnaire.version, questionnaire.text(questionnaire.title),
                     column[languages[0]], *extra.values()])
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                # Text, never a formula: a label may begin with '='. Marked as quoted text, as a
                # leading apostrophe typed in the spreadsheet would, and kept exactly as it is.
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.quotePrefix = is_formula_like(cell.value)
    workbook.save(path)


def _item_cells(item: Item) -> dict[str, Any]:
    list_name = item.choice_list or item.id
    type_cell = {
        "single_choice": f"select_one {list_name}",
        "likert": f"select_one {list_name}",
        "multiple_choice": f"select_multiple {list_name}",
        "number": "integer" if item.integer else "decimal",
        "text": "text",
        "note": "note",
    }[item.type]
    cells: dict[str, Any] = {
        "type": type_cell, "name": item.id,
        "required": "yes" if item.required else None,
        "relevant": expressions.unparse(item.relevant_expression, dialect="xlsform") if item.relevant else None,
        "appearance": "likert" if item.type == "likert" else None,
        "measure": item.measure, "correct": item.correct,
        "success": " ".join(item.success) or None,
        "headline": "yes" if item.headline else None,
    }
    cells["constraint"] = _constraint_cell(item)
    return cells


def _constraint_cell(item: Item) -> str | None:
    terms: list[expressions.Node] = []
    for operator, bound in ((">=", item.minimum), ("<=", item.maximum)):
        if bound is not None:
            terms.append(expressions.Compare(expressions.CurrentAnswer(), operator, expressions.Literal(bound)))
    if item.constraint_expression is not None:
        terms.append(item.constraint_expression)
    if not terms:
        return None
    node = terms[0] if len(terms) == 1 else expressions.BoolOp("and", tuple(terms))
    return expressions.unparse(node, dialect="xlsform")
