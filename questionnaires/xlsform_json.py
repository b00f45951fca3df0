"""pyxform's JSON of an XLSForm mapped to a questionnaire definition (the dict `from_dict` reads).

pyxform (the ODK reference converter) has resolved aliases, capitalisation, language columns,
`or_other` and the default language. This module decides what the platform can represent:

- kept: text, integer, decimal, note, select_one (likert with appearance `likert`),
  select_multiple, groups (nested groups become consecutive sections; a group's `relevant`
  is added to each of its questions), relevant/constraint/required, hints, constraint messages,
  translations, `or_other` (an "other" choice and its text question);
- dropped with a warning: metadata (start, end, today, deviceid, ...), display-only appearances,
  empty media columns, custom columns, guidance hints, required messages;
- refused, each by sheet, row, column and construct name: repeats, calculations, media
  questions and media in labels, other question types (date, geopoint, range, rank, ...),
  external choices and choices from files, `choice_filter`, defaults, read-only questions,
  `parameters`, and expression functions the safe expression language does not have.
"""

from __future__ import annotations

import re
from typing import Any

from . import expressions
from .problems import Problem
from .xlsform_languages import DEFAULT, Languages

GROUP_QUESTION = "stakeholder_group"
IMPLICIT_SECTION = "main"  # the section of questions outside any group
SINGLE_GROUP = "all"  # the one group of a form without a group question
METADATA = {"start", "end", "today", "deviceid", "uri:deviceid", "phonenumber", "phone number", "username",
            "simserial", "subscriberid", "email", "audit", "start-geopoint", "imei", "uri:email",
            "uri:username", "uri:phonenumber", "uri:subscriberid", "uri:simserial"}
MEDIA_TYPES = {"photo", "image", "audio", "video", "file", "background-audio", "background-video"}
SIMPLE_TYPES = {"text": "text", "string": "text", "integer": "number", "int": "number", "decimal": "number",
                "note": "note"}
CHOICE_TYPES = {"select one": "single_choice", "select all that apply": "multiple_choice"}
ROLE_COLUMNS = ("measure", "correct", "success", "headline")  # the platform's own survey columns
KNOWN_KEYS = {"type", "name", "label", "hint", "bind", "control", "children", "choices", "itemset", "list_name",
              "parameters", "media", "choice_filter", "default", "guidance_hint", "instance", "sms_field",
              "__row_number", *ROLE_COLUMNS}
# Appearances that change what is asked or where choices come from (refused); any other only changes the display.
_DATA_APPEARANCE = re.compile(r"\(|^ex:|\bsearch\b|\bprintf\b")
_OR_OTHER = re.compile(r"selected\(\.\./([A-Za-z_][A-Za-z0-9_]*),\s*'other'\)\Z")
_TRUE = {"true()", "true", "yes", "1"}
_FALSE = {"false()", "false", "no", "0", ""}


class Locator:
    """Sheet, row and column of a question, from the rows pyxform read (blank rows kept, so numbers match)."""

    def __init__(self, survey_rows: list[dict[str, Any]] | None):
        self.rows: dict[str, tuple[int, dict[str, Any]]] = {}
        for number, row in enumerate(survey_rows or [], start=2):
            name = next((str(value) for key, value in row.items() if _norm(key) == "name"), None)
            if name and name not in self.rows:
                self.rows[name] = (number, row)

    def cell(self, name: str, column: str) -> str | None:
        """The text the form's author wrote (pyxform has replaced aliases: `image` is `photo` to it)."""
        row = self.rows.get(name, (None, {}))[1]
        return next((str(value) for key, value in row.items() if _norm(key) == column), None)

    def where(self, name: str, column: str | None) -> str:
        number, row = self.rows.get(name, (None, {}))
        header = column
        if column is not None:
            header = next((key for key in row if column in _norm(key).split(":")), column)
        parts = ["sheet 'survey'", f"row {number}" if number else f"question {name!r}",
                 f"column {header!r}" if header else ""]
        return ", ".join(part for part in parts if part)


def _norm(header: Any) -> str:
    return str(header).strip().lower().replace(" ", "_")


class Mapper(Languages):
    """Walks pyxform's JSON once; collects problems (errors and warnings) with where they are."""

    def __init__(self, source: str, locator: Locator, group_question: str = GROUP_QUESTION,
                 settings: dict[str, Any] | None = None):
        self.source = source
        self.locator = locator
        self.group_question = group_question
        self.settings = settings or {}
        self.problems: list[Problem] = []
        self.language_names: list[str] = []  # pyxform's names, in the order met
        self.groups: list[dict[str, Any]] | None = None
        self.group_question_text: Any = None
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.ignored_columns: set[str] = set()
        self.codes: dict[str, str] = {}
        self.default_code = "en"

    # ---------------------------------------------------------- problems

    def error(self, name: str, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.source, self.locator.where(name, column), message))

    def warn(self, name: str, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.source, self.locator.where(name, column), message, severity="warning"))

    # ---------------------------------------------------------- the form

    def read(self, form: dict[str, Any]) -> dict[str, Any]:
        self.collect_languages(form)
        title = self.settings_text("form_title", "awareness_title")
        description = self.settings_text("description", "awareness_description")
        sections: list[dict[str, Any]] = []
        self.walk(form.get("children", []), sections, None, relevant=None)
        sections = [section for section in sections if section["items"]]
        languages = self.languages(form.get("default_language") or DEFAULT)
        if self.groups is None:
            self.groups = self.single_group(languages)
        definition: dict[str, Any] = {
            "id": str(form.get("id_string") or "form"),
            "version": str(self.settings.get("version") or form.get("version") or "1"),
            "title": title or form.get("title") or form.get("id_string"),
            "languages": languages,
            "groups": self.groups,
            "sections": sections,
        }
        if description:
            definition["description"] = description
        if self.group_question_text:
            definition["group_question"] = self.group_question_text
        definition["choice_lists"] = self.shared_lists(sections)
        return self.translated(definition)

    def shared_lists(self, sections: list[dict[str, Any]]) -> dict[str, list]:
        """Lists several items use; a list used only by the item of the same name is that item's own."""
        users: dict[str, list[str]] = {}
        for item in (item for section in sections for item in section["items"]):
            if isinstance(item.get("choices"), str):
                users.setdefault(item["choices"], []).append(item["id"])
        for item in (item for section in sections for item in section["items"]):
            if users.get(item.get("choices")) == [item["id"]] == [item.get("choices")]:
                item["choices"] = self.lists[item["id"]]
                del users[item["id"]]
        return {name: entries for name, entries in self.lists.items() if name in users}

    def settings_text(self, *fields: str) -> dict[str, str] | str | None:
        """form_title / description of the settings sheet, with their `::Language` columns.

        The platform writes translations as awareness_title::Language and awareness_description::Language:
        pyxform cannot convert a form_title or description with a language.
        """
        texts: dict[str, str] = {}
        for header, value in self.settings.items():
            head, separator, language = str(header).partition("::")
            if not separator:
                head, _, language = str(header).partition(":")
            if head.strip().lower() in fields and value not in (None, ""):
                name = language.strip() or DEFAULT
                self.note_language(name)
                texts[name] = str(value)
        return texts or None

    def walk(self, children: list, sections: list, current: dict | None, relevant: str | None) -> None:
        for child in children:
            kind = child.get("type", "")
            name = str(child.get("name", ""))
            if kind == "group" and name == "meta" and child.get("control", {}).get("bodyless"):
                continue  # pyxform's own instanceID; the platform records its own identifiers
            if kind == "group":
                self.group(child, sections, relevant)
                current = None  # questions after a group open a section of their own
                continue
            item = self.question(child, relevant)
            if item is None:
                continue
            if current is None:
                current = self.implicit_section(sections)
            current["items"].append(item)

    def implicit_section(self, sections: list) -> dict[str, Any]:
        count = sum(1 for section in sections if section["id"].startswith(IMPLICIT_SECTION))
        section = {"id": IMPLICIT_SECTION + (f"_{count + 1}" if count else ""), "title": "Questionnaire",
                   "items": []}
        sections.append(section)
        return section

    def group(self, child: dict, sections: list, relevant: str | None) -> None:
        name = str(child.get("name"))
        bind = child.get("bind", {})
        own = self.expression(name, "relevant", bind["relevant"]) if bind.get("relevant") else None
        for field in bind:
            if field not in ("relevant",):
                self.error(name, _column(field), f"{_column(field)} on a group is not supported; "
                                                 "put it on the questions")
        appearance = child.get("control", {}).get("appearance")
        if appearance and appearance != "field-list":
            self.warn(name, "appearance", f"appearance {appearance!r} of a group only changes its display "
                                          "in ODK; ignored")
        self.extra_keys(name, child)
        section = {"id": name, "title": child.get("label") or name, "items": []}
        if child.get("hint"):
            section["hint"] = child["hint"]
        sections.append(section)
        combined = _both(relevant, own)
        self.walk(child.get("children", []), sections, section, combined)

    # ---------------------------------------------------------- questions

    def question(self, child: dict, relevant: str | None) -> dict[str, Any] | None:
        kind, name = child.get("type", ""), str(child.get("name", ""))
        model_type = self.model_type(child, kind, name)
        if model_type is None:
            return None
        self.extra_keys(name, child)
        self.refuse_columns(name, child)
        if kind == "select one" and name == self.group_question:
            self.groups = [{"code": c["name"], "label": c.get("label") or c["name"]} for c in child["choices"]]
            self.group_question_text = child.get("label")
            return None
        item: dict[str, Any] = {"id": name, "type": model_type}
        item["label"] = child.get("label") or name
        if not child.get("label"):
            self.warn(name, "label", "no label: the question is shown with its name")
        if child.get("hint"):
            item["hint"] = child["hint"]
        if model_type in ("single_choice", "multiple_choice", "likert"):
            item["choices"] = self.choice_list(child)
        item["integer"] = True if kind in ("integer", "int") else None  # None: dropped below
        self.binds(child, item, relevant)
        for column in ROLE_COLUMNS:
            value = child.get(column)
            if value not in (None, ""):
                item[column] = self.role(name, column, str(value))
        return {key: value for key, value in item.items() if value is not None}

    def model_type(self, child: dict, kind: str, name: str) -> str | None:
        appearance = str(child.get("control", {}).get("appearance") or "")
        if kind in CHOICE_TYPES:
            itemset = str(child.get("itemset") or "")
            if itemset.rsplit(".", 1)[-1].lower() in ("csv", "xml", "geojson"):
                return self.refuse(name, "type", f"choices from a file ({itemset}) are not supported")
            model_type = CHOICE_TYPES[kind]
            if appearance.strip() == "likert" and kind == "select one":
                return "likert"
            self.appearance(name, appearance)
            return model_type
        if kind in SIMPLE_TYPES:
            self.appearance(name, appearance)
            return SIMPLE_TYPES[kind]
        words = (self.locator.cell(name, "type") or kind).split()
        written = " ".join(words[:2] if words[0].lower() == "begin" else words[:1])  # as the author wrote it
        if kind in METADATA:
            self.warn(name, "type", f"metadata {kind!r} dropped: the platform records times and devices itself")
        elif kind in ("repeat", "loop"):
            self.refuse(name, "type", f"repeat ({written}) is not supported: each respondent answers each "
                                      "question once")
        elif kind == "calculate":
            self.refuse(name, "type", "calculate is not supported: the platform stores answers, not "
                                      "calculated values")
        elif kind in MEDIA_TYPES:
            self.refuse(name, "type", f"media question ({written}) is not supported")
        elif kind == "select one external":
            self.refuse(name, "type", "external choices (select_one_external) are not supported")
        else:
            self.refuse(name, "type", f"question type {written!r} is not supported (supported: text, integer, "
                                      "decimal, note, select_one, select_multiple)")
        return None

    def refuse(self, name: str, column: str, message: str) -> None:
        self.error(name, column, message)

    def appearance(self, name: str, appearance: str) -> None:
        if not appearance:
            return
        if _DATA_APPEARANCE.search(appearance):
            self.error(name, "appearance", f"appearance {appearance!r} is not supported (it changes what is "
                                           "asked or where choices come from)")
        else:
            self.warn(name, "appearance", f"appearance {appearance!r} only changes the display in ODK; ignored")

    def refuse_columns(self, name: str, child: dict) -> None:
        if child.get("choice_filter"):
            self.error(name, "choice_filter", "choice_filter (cascading selects) is not supported: the web form "
                                              "shows every choice of a list")
        if child.get("default") not in (None, ""):
            self.error(name, "default", "default is not supported: an answer is what the respondent gives")
        if any(value not in (None, "", {}, []) for value in (child.get("parameters") or {}).values()):
            self.error(name, "parameters", f"parameters {child['parameters']!r} are not supported")
        media = {key: value for key, value in (child.get("media") or {}).items() if value}
        if media:
            self.error(name, next(iter(media)), f"media in labels ({', '.join(media)}) are not supported")
        if any(choice.get("media") for choice in child.get("choices") or []):
            self.error(name, "type", "media in the choices of this list are not supported")

    def binds(self, child: dict, item: dict, relevant: str | None) -> None:
        name = item["id"]
        bind = child.get("bind", {})
        for field, value in bind.items():
            if field == "relevant":
                relevant = _both(relevant, self.expression(name, "relevant", value, or_other=True))
            elif field == "constraint":
                item["constraint"] = self.expression(name, "constraint", value)
                if item["type"] == "number" and item["constraint"]:
                    item.update(_bounds(expressions.parse(item["constraint"])))
            elif field == "required":
                word = str(value).strip().lower()
                if word in _TRUE:
                    item["required"] = True
                elif word not in _FALSE:
                    self.error(name, "required", f"required {value!r} is an expression; only yes or no")
            elif field == "jr:constraintMsg":
                item["constraint_message"] = value
            elif field == "jr:requiredMsg":
                self.warn(name, "required_message", "required_message dropped: the web form says it in its own "
                                                    "words")
            elif field == "readonly" and item["type"] == "note":
                continue  # pyxform marks every note read-only
            elif field == "readonly":
                self.error(name, "read_only", "read_only questions are not supported")
            elif field == "calculate":
                self.error(name, "calculation", "calculation is not supported")
            else:
                self.error(name, _column(field), f"{_column(field)} is not supported")
        if relevant:
            item["relevant"] = relevant

    def expression(self, name: str, column: str, text: str, or_other: bool = False) -> str | None:
        match = _OR_OTHER.match(str(text)) if or_other else None
        if match:  # the text question pyxform adds for `or_other`
            text = f"selected(${{{match.group(1)}}}, 'other')"
        try:
            return expressions.unparse(expressions.parse(str(text), dialect="xlsform"))
        except expressions.ExpressionError as error:
            self.error(name, column, f"cannot convert {text!r}: {error}")
            return None

    def role(self, name: str, column: str, value: str) -> Any:
        if column == "success":
            return value.split()
        if column == "headline":
            word = value.strip().lower()
            if word not in _TRUE | _FALSE:
                self.error(name, column, f"{value!r} is neither yes nor no")
            return word in _TRUE or None
        return value

    def extra_keys(self, name: str, child: dict) -> None:  # custom columns: ODK ignores them too
        for key in child:
            if key not in KNOWN_KEYS and key not in self.ignored_columns:
                self.ignored_columns.add(key)
                self.warn(name, key, f"column {key!r} is not an XLSForm column the platform uses; ignored")
        if child.get("guidance_hint"):
            self.warn(name, "guidance_hint", "guidance_hint dropped (ODK shows it only on request)")

    def choice_list(self, child: dict) -> str:
        list_name = str(child.get("list_name") or child.get("itemset") or child["name"])
        entries = [{"code": str(choice["name"]), "label": choice.get("label") or str(choice["name"])}
                   for choice in child.get("choices") or []]
        self.lists.setdefault(list_name, entries)
        return list_name

    def single_group(self, languages: list[str]) -> list[dict[str, Any]]:
        """No group question: every respondent in one group, with a warning that names the option."""
        self.problems.append(Problem(
            self.source, "sheet 'survey'",
            f"no select_one question named {self.group_question!r}: imported with a single stakeholder group "
            f"{SINGLE_GROUP!r}; give --group-question NAME to take the groups from the choices of another "
            "select_one question", severity="warning"))
        known = {"en": "All respondents", "km": "អ្នកឆ្លើយទាំងអស់"}
        label = {lang: known[lang] for lang in languages if lang in known}
        return [{"code": SINGLE_GROUP, "label": label or {languages[0]: known["en"]}}]

def _column(field: str) -> str:
    return {"jr:constraintMsg": "constraint_message", "jr:requiredMsg": "required_message",
            "readonly": "read_only", "calculate": "calculation"}.get(field, field.split(":")[-1])


def _both(first: str | None, second: str | None) -> str | None:
    """Two relevance conditions that must both hold (a group's and its question's)."""
    if not first or not second:
        return first or second
    return f"({first}) and ({second})"


def _bounds(node: expressions.Node) -> dict[str, Any]:
    """A number's `. >= min and . <= max` as min and max; what remains stays its constraint."""
    terms = list(node.operands) if isinstance(node, expressions.BoolOp) and node.operator == "and" else [node]
    result: dict[str, Any] = {"constraint": None}
    for operator, key in ((">=", "min"), ("<=", "max")):
        bound = next((t for t in terms if _is_bound(t, operator)), None)
        if bound is not None:
            result[key] = bound.right.value
            terms.remove(bound)
    if terms:
        rest = terms[0] if len(terms) == 1 else expressions.BoolOp("and", tuple(terms))
        result["constraint"] = expressions.unparse(rest)
    return result


def _is_bound(node: expressions.Node, operator: str) -> bool:
    return (isinstance(node, expressions.Compare) and node.operator == operator
            and isinstance(node.left, expressions.CurrentAnswer)
            and isinstance(node.right, expressions.Literal) and not isinstance(node.right.value, str))
