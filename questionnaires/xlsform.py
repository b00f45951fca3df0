"""XLSForm (ODK, KoboToolbox, SurveyCTO) to and from the questionnaire model.

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

Anything that cannot be converted (repeats, calculations, media, other
question types) is an error naming its sheet, row and column; nothing is
dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from . import expressions
from .cells import is_formula_like
from .loader import MAX_TEXT, from_dict
from .model import Item, Questionnaire, Text
from .problems import Problem, QuestionnaireError
from .workbooks import WorkbookError, check_workbook

GROUP_QUESTION = "stakeholder_group"
IMPLICIT_SECTION = "main"  # the section of questions outside any group
SINGLE_GROUP = "all"  # the one group of a form without a group question
TRANSLATED = {"label", "hint", "constraint_message"}
SURVEY_COLUMNS = {"type", "name", "required", "relevant", "constraint", "appearance",
                  "measure", "correct", "success", "headline"} | TRANSLATED
CHOICE_COLUMNS = {"list_name", "list name", "name", "label"}
SETTINGS_COLUMNS = {"form_id", "version", "form_title", "description", "default_language", "style", "instance_name"}
METADATA_TYPES = {"start", "end", "today", "deviceid", "phonenumber", "username", "simserial",
                  "subscriberid", "audit", "email"}
TRUE_WORDS = {"yes", "true", "true()", "1"}
FALSE_WORDS = {"", "no", "false", "false()", "0"}
LANGUAGE_NAMES = {"en": "English", "km": "Khmer", "fr": "French", "th": "Thai", "vi": "Vietnamese",
                  "lo": "Lao", "my": "Burmese", "id": "Indonesian", "ms": "Malay", "zh": "Chinese",
                  "es": "Spanish", "pt": "Portuguese", "ar": "Arabic"}
_LANGUAGE_IN_PARENTHESES = re.compile(r"\(([a-z]{2,3}(?:-[A-Za-z0-9]+)*)\)\s*\Z")
MAX_ROWS, MAX_COLUMNS = 5_000, 200  # of any sheet of a form: far beyond a real questionnaire
MAX_UNPACKED = 10 * 1024 * 1024


# ---------------------------------------------------------------- reading


class _Sheet:
    """Rows of one sheet as dicts keyed by parsed column, with the spreadsheet row number."""

    def __init__(self, name: str, rows: list[tuple], reader: _Reader):
        self.name = name
        self.columns: list[tuple[str, str | None, str]] = []  # (field, language, header)
        self.rows: list[tuple[int, dict[tuple[str, str | None], str]]] = []
        if not rows:
            return
        for header in rows[0]:
            self.columns.append(reader.parse_header(name, _cell(header)))
        for number, row in enumerate(rows[1:], start=2):
            values = {}
            for (field, language, header), cell in zip(self.columns, row, strict=False):
                text = _cell(cell)
                if len(text) > MAX_TEXT:
                    reader.error(name, number, header, f"{len(text)} characters; at most {MAX_TEXT}")
                    continue
                if field and text:
                    values[(field, language)] = text
            if values:
                self.rows.append((number, values))

    def header(self, field: str, language: str | None = None) -> str:
        return next((h for f, lang, h in self.columns if f == field and lang == language), field)


class _Reader:
    def __init__(self, path: Path, group_question: str = GROUP_QUESTION):
        self.source = str(path)
        self.group_question = group_question
        self.problems: list[Problem] = []
        self.default_language = "en"
        self.languages: list[str] = []

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = ", ".join(part for part in (
            f"sheet {sheet!r}" if sheet else "", f"row {row}" if row else "",
            f"column {column!r}" if column else "") if part)
        self.problems.append(Problem(self.source, where, message))

    def parse_header(self, sheet: str, header: str) -> tuple[str, str | None, str]:
        if not header:
            return "", None, header
        field, _, language = header.partition("::")
        field = field.strip().lower()
        if not language:
            return field, (self.default_language if field in TRANSLATED else None), header
        match = _LANGUAGE_IN_PARENTHESES.search(language)
        code = match.group(1) if match else language.strip()
        if not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]+)*", code):
            self.error(sheet, 1, header, "cannot tell the language code of this column; write it as "
                                         f"'{field}::{language.strip()} (xx)' with the code in parentheses")
            return "", None, header
        if code not in self.languages:
            self.languages.append(code)
        return field, code, header

    def read(self, workbook) -> dict[str, Any] | None:
        sheets = {name.lower(): workbook[name] for name in workbook.sheetnames}
        if "survey" not in sheets:
            self.error("", None, None, "the workbook has no sheet named 'survey'")
            return None
        settings = self.read_settings(sheets.get("settings"))
        # The default language first; languages seen in settings columns stay (their text is not dropped).
        self.languages = [self.default_language] + [lang for lang in self.languages if lang != self.default_language]
        survey = _Sheet("survey", list(sheets["survey"].iter_rows(values_only=True)), self)
        choices = _Sheet("choices", list(sheets["choices"].iter_rows(values_only=True)), self) \
            if "choices" in sheets else None
        lists = self.read_choices(choices)
        definition = self.read_survey(survey, lists)
        title = {lang: settings[("form_title", lang)] for lang in self.languages if ("form_title", lang) in settings}
        description = {lang: settings[("description", lang)] for lang in self.languages
                       if ("description", lang) in settings}
        if description:
            definition["description"] = description
        definition.update({
            "id": settings.get(("form_id", None)),
            "version": settings.get(("version", None)),
            "title": title or settings.get(("form_id", None)),
            "languages": list(self.languages),
        })
        return definition

    def read_settings(self, sheet) -> dict[tuple[str, str | None], str]:
        if sheet is None:
            self.error("", None, None, "the workbook has no sheet named 'settings' (it gives form_id and version)")
            return {}
        rows = list(sheet.iter_rows(values_only=True))
        headers = [_cell(h) for h in rows[0]] if rows else []
        values = [_cell(v) for v in rows[1]] if len(rows) > 1 else []
        raw = dict(zip(headers, values, strict=False))
        default = raw.get("default_language", "")
        if default:
            match = _LANGUAGE_IN_PARENTHESES.search(default)
            self.default_language = match.group(1) if match else default
        settings: dict[tuple[str, str | None], str] = {}
        for header, value in raw.items():
            field, language, _ = self.parse_header("settings", header)
            if field in ("form_title", "description") and language is None:
                language = self.default_language
            if field and field not in SETTINGS_COLUMNS and value:
                self.error("settings", 2, header, "this setting cannot be converted")
            elif field and value:
                settings[(field, language)] = value
        return settings

    def read_choices(self, sheet: _Sheet | None) -> dict[str, list[dict[str, Any]]]:
        lists: dict[str, list[dict[str, Any]]] = {}
        if sheet is None:
            return lists
        for number, values in sheet.rows:
            self.refuse_unknown(sheet, number, values, CHOICE_COLUMNS)
            list_name = values.get(("list_name", None)) or values.get(("list name", None))
            name = values.get(("name", None))
            if not list_name or not name:
                self.error("choices", number, "list_name" if not list_name else "name", "is empty")
                continue
            label = {lang: text for (field, lang), text in values.items() if field == "label"}
            lists.setdefault(list_name, []).append({"code": name, "label": label or name})
        return lists

    def refuse_unknown(self, sheet: _Sheet, number: int, values: dict, known: set[str]) -> None:
        for (field, language), _text in values.items():
            if field not in known:
                what = "media is not supported" if field in ("image", "audio", "video", "media") \
                    else "this column cannot be converted"
                self.error(sheet.name, number, sheet.header(field, language), what)

    def read_survey(self, sheet: _Sheet, lists: dict[str, list]) -> dict[str, Any]:
        sections: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        groups: list | None = None
        group_question = None
        used_lists: dict[str, list[str]] = {}
        for number, values in sheet.rows:
            self.refuse_unknown(sheet, number, values, SURVEY_COLUMNS)
            type_text = " ".join(values.get(("type", None), "").split())
            base, _, argument = type_text.partition(" ")
            base = base.lower().replace("begin_", "begin ").replace("end_", "end ")
            if base in ("begin", "end"):
                base, argument = f"{base} {argument.split(' ')[0].lower()}", ""
            name = values.get(("name", None), "")
            if base == "begin group":
                if current is not None and not current.get("implicit"):
                    self.error("survey", number, "type", "groups inside groups are not supported")
                    continue
                current = self.section(sheet, number, values)
                sections.append(current)
            elif base == "end group":
                current = None
            elif base == "select_one" and name == self.group_question:
                groups = lists.get(argument)
                group_question = self.translations(values, "label")
                if groups is None:
                    self.error("survey", number, "type", f"choice list {argument!r} is not in the choices sheet")
            else:
                item = self.item(sheet, number, values, base, argument, lists)
                if item is None:
                    continue
                if current is None:  # questions outside any group: a section of their own
                    implicit = sum(1 for section in sections if section.get("implicit"))
                    current = {"id": IMPLICIT_SECTION + (f"_{implicit + 1}" if implicit else ""),
                               "title": "Questionnaire", "items": [], "implicit": True}
                    sections.append(current)
                current["items"].append(item)
                if isinstance(item.get("choices"), str):
                    used_lists.setdefault(item["choices"], []).append(item["id"])
        if groups is None:
            groups = self.single_group()
        for section in sections:
            section.pop("implicit", None)
        self.inline_own_lists(sections, lists, used_lists)
        definition: dict[str, Any] = {"groups": groups, "sections": sections}
        if group_question:
            definition["group_question"] = group_question
        definition["choice_lists"] = {name: lists[name] for name in lists
                                      if name in used_lists}
        return definition

    def single_group(self) -> list[dict[str, Any]]:
        """No group question: every respondent in one group, with a warning that names the option."""
        self.problems.append(Problem(
            self.source, "sheet 'survey'",
            f"no select_one question named {self.group_question!r}: imported with a single stakeholder group "
            f"{SINGLE_GROUP!r}; give --group-question NAME to take the groups from the choices of another "
            "select_one question", severity="warning"))
        known = {"en": "All respondents", "km": "អ្នកឆ្លើយទាំងអស់"}
        label = {lang: known[lang] for lang in self.languages if lang in known}
        return [{"code": SINGLE_GROUP, "label": label or {self.default_language: known["en"]}}]

    def inline_own_lists(self, sections: list, lists: dict, used_lists: dict[str, list[str]]) -> None:
        """A list used only by the item of the same name was that item's own (inline) list."""
        for section in sections:
            for item in section["items"]:
                name = item.get("choices")
                if isinstance(name, str) and used_lists.get(name) == [item["id"]] == [name]:
                    item["choices"] = lists[name]
                    del used_lists[name]

    def section(self, sheet: _Sheet, number: int, values: dict) -> dict[str, Any]:
        for field in ("relevant", "required", "constraint"):
            if (field, None) in values:
                self.error("survey", number, field, f"{field} on a group is not supported; put it on the questions")
        appearance = values.get(("appearance", None), "")
        if appearance and appearance != "field-list":
            self.error("survey", number, "appearance", f"appearance {appearance!r} on a group is not supported")
        section = {"id": values.get(("name", None)), "title": self.translations(values, "label") or
                   values.get(("name", None))}
        hint = self.translations(values, "hint")
        if hint:
            section["hint"] = hint
        section["items"] = []
        return section

    def item(self, sheet, number, values, base, argument, lists) -> dict[str, Any] | None:
        kind = self.item_type(number, base, argument, values, lists)
        if kind is None:
            return None
        item: dict[str, Any] = {"id": values.get(("name", None)), "type": kind}
        label = self.translations(values, "label")
        if label:
            item["label"] = label
        hint = self.translations(values, "hint")
        if hint:
            item["hint"] = hint
        if kind in ("single_choice", "multiple_choice", "likert"):
            item["choices"] = argument
        if base == "integer":
            item["integer"] = True
        for field in ("required", "headline"):
            if (field, None) in values:
                item[field] = self.flag(number, field, values[(field, None)])
        if ("relevant", None) in values:
            item["relevant"] = self.expression(number, "relevant", values[("relevant", None)])
        if ("constraint", None) in values:
            if kind != "number":
                self.error("survey", number, "constraint", "constraints are supported on numbers only")
            else:
                item.update(self.number_constraint(number, values[("constraint", None)]))
        message = self.translations(values, "constraint_message")
        if message:
            item["constraint_message"] = message
        for field in ("measure", "correct"):
            if (field, None) in values:
                item[field] = values[(field, None)]
        if ("success", None) in values:
            item["success"] = values[("success", None)].split()
        return {key: value for key, value in item.items() if value is not None}

    def item_type(self, number, base, argument, values, lists) -> str | None:
        appearance = values.get(("appearance", None), "")
        if base in ("select_one", "select_multiple"):
            if argument not in lists:
                self.error("survey", number, "type", f"choice list {argument!r} is not in the choices sheet")
                return None
            if appearance not in ("", "likert") or (appearance == "likert" and base != "select_one"):
                self.error("survey", number, "appearance", f"appearance {appearance!r} cannot be converted "
                                                            "(only 'likert' on select_one)")
            if base == "select_multiple":
                return "multiple_choice"
            return "likert" if appearance == "likert" else "single_choice"
        if appearance:
            self.error("survey", number, "appearance", f"appearance {appearance!r} cannot be converted")
        simple = {"integer": "number", "decimal": "number", "text": "text", "note": "note"}
        if base in simple:
            return simple[base]
        if base == "begin repeat" or base == "end repeat":
            self.error("survey", number, "type", "repeats are not supported")
        elif base == "calculate":
            self.error("survey", number, "type", "calculations are not supported")
        elif base in METADATA_TYPES:
            self.error("survey", number, "type", f"metadata '{base}' is recorded by the platform itself; "
                                                 "delete this row")
        elif base in ("image", "audio", "video", "file", "background-audio"):
            self.error("survey", number, "type", f"media questions ('{base}') are not supported")
        elif not base:
            self.error("survey", number, "type", "is empty")
        else:
            self.error("survey", number, "type", f"question type {base!r} cannot be converted")
        return None

    def translations(self, values: dict, field: str) -> dict[str, str] | None:
        texts = {lang: text for (name, lang), text in values.items() if name == field}
        return texts or None

    def flag(self, number: int, field: str, text: str) -> bool | None:
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return None
        self.error("survey", number, field, f"{text!r} is neither yes nor no")
        return None

    def expression(self, number: int, field: str, text: str) -> str | None:
        try:
            return expressions.unparse(expressions.parse(text, dialect="xlsform"))
        except expressions.ExpressionError as error:
            self.error("survey", number, field, f"cannot convert {text!r}: {error}")
            return None

    def number_constraint(self, number: int, text: str) -> dict[str, Any]:
        try:
            node = expressions.parse(text, dialect="xlsform")
        except expressions.ExpressionError as error:
            self.error("survey", number, "constraint", f"cannot convert {text!r}: {error}")
            return {}
        terms = list(node.operands) if isinstance(node, expressions.BoolOp) and node.operator == "and" else [node]
        result: dict[str, Any] = {}
        for operator, key in ((">=", "min"), ("<=", "max")):
            bound = next((t for t in terms if _is_bound(t, operator)), None)
            if bound is not None:
                result[key] = bound.right.value
                terms.remove(bound)
        if terms:
            rest = terms[0] if len(terms) == 1 else expressions.BoolOp("and", tuple(terms))
            result["constraint"] = expressions.unparse(rest)
        return result


def _is_bound(node, operator: str) -> bool:
    return (isinstance(node, expressions.Compare) and node.operator == operator
            and isinstance(node.left, expressions.CurrentAnswer)
            and isinstance(node.right, expressions.Literal) and not isinstance(node.right.value, str))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsform(path: str | Path, group_question: str = GROUP_QUESTION) -> Questionnaire:
    """Convert an XLSForm workbook to the model, or raise QuestionnaireError listing every problem.

    The stakeholder groups are the choices of the select_one question named `group_question`.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    try:
        check_workbook(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_unpacked=MAX_UNPACKED)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except WorkbookError as error:
        raise QuestionnaireError([Problem(str(path), "", f"not an XLSForm workbook that can be read: {error}")]) from None
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError, SyntaxError) as error:
        raise QuestionnaireError([Problem(str(path), "", f"not an XLSForm workbook (.xlsx): {error}")]) from None
    try:
        reader = _Reader(path, group_question)
        definition = reader.read(workbook)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError, IndexError, SyntaxError) as error:
        # The sheets are parsed lazily, row by row: broken XML shows only here (SyntaxError: ParseError).
        raise QuestionnaireError([Problem(str(path), "", f"a sheet of the workbook cannot be read: {error}")]) \
            from None
    finally:
        workbook.close()
    return _with_reader_warnings(definition, reader, path)


def _with_reader_warnings(definition: dict[str, Any] | None, reader: _Reader, path: Path) -> Questionnaire:
    """The questionnaire, carrying the reader's warnings; QuestionnaireError when the reader found errors."""
    if definition is None or any(p.severity == "error" for p in reader.problems):
        raise QuestionnaireError(reader.problems)
    warnings = tuple(p for p in reader.problems if p.severity == "warning")
    try:
        questionnaire = from_dict(definition, source=str(path))
    except QuestionnaireError as error:
        raise QuestionnaireError(list(warnings) + error.problems) from None
    return replace(questionnaire, warnings=warnings + questionnaire.warnings)


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
    extra = {f"form_title::{column[lang]}": questionnaire.title[lang]
             for lang in languages[1:] if lang in questionnaire.title}
    extra |= texts("description", questionnaire.description)
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
