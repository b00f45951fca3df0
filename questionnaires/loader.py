"""Read a questionnaire definition (YAML), check every rule, build the model.

Every problem is collected and reported at once; a file with any error loads
nothing. Warnings (a missing translation) do not stop loading.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import expressions
from .cells import control_character, is_formula_like
from .model import MEASURES, Choice, Group, Item, Questionnaire, Section, Text
from .problems import Problem, QuestionnaireError
from .reading import MAX_FILE_BYTES, read_text_file, read_yaml
from .types import ITEM_TYPES

__all__ = ["check", "from_dict", "load", "loads", "read_yaml", "validate"]

TOP_KEYS = {"id", "version", "title", "description", "languages", "groups", "group_question",
            "choice_lists", "sections"}
SECTION_KEYS = {"id", "title", "hint", "items"}
CHOICE_KEYS = {"code", "label"}
# Always used with fullmatch: `$` would also accept a name ending in a new line.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*")
# Limits that keep names within the database's columns and a hostile file cheap to refuse.
MAX_ID = 100  # item ids, choice codes, questionnaire id
MAX_GROUP_CODE = 50
MAX_VERSION = 50
MAX_TEXT = 5_000
# Column names of the interchange format; an item may not take them.
RESERVED_IDS = {"group", "respondent", "language", "knowledge_score", "selected", "and", "or", "not"}


# ---------------------------------------------------------------- public API


def load(path: str | Path) -> Questionnaire:
    """Load and validate a questionnaire file (.yaml/.yml, or an XLSForm .xlsx)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        from .xlsform import read_xlsform

        return read_xlsform(path)
    return loads(read_text_file(path, MAX_FILE_BYTES), source=str(path))


def loads(text: str, *, source: str = "<questionnaire>") -> Questionnaire:
    """Load and validate a questionnaire from YAML text."""
    return from_dict(read_yaml(text, source), source=source)


def from_dict(data: Any, *, source: str = "<questionnaire>") -> Questionnaire:
    """Validate a parsed definition and build the model, or raise QuestionnaireError."""
    questionnaire, problems = check(data, source=source)
    if questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def check(data: Any, *, source: str = "<questionnaire>") -> tuple[Questionnaire | None, list[Problem]]:
    """The model (None when there is any error) and every problem found."""
    builder = _Builder(source)
    questionnaire = builder.build(data)
    if questionnaire is not None:
        warnings = tuple(p for p in builder.problems if p.severity == "warning")
        questionnaire = replace(questionnaire, warnings=warnings)
    return questionnaire, builder.problems


def validate(path: str | Path) -> list[Problem]:
    """Every problem of a file, errors and warnings; empty when it is clean."""
    try:
        return list(load(path).warnings)
    except QuestionnaireError as error:
        return error.problems  # the errors and the warnings, in the order found


# ---------------------------------------------------------------- building


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ("en",)
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, where, message))

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, where, message, "warning"))

    # -------------------------------------------------------- helpers

    def mapping(self, value: Any, where: str, keys: set[str] | frozenset[str]) -> dict:
        if not isinstance(value, dict):
            self.error(where, f"expected a mapping of keys to values, found {_describe(value)}")
            return {}
        for key in value:
            if key not in keys:
                self.error(where, f"unknown key {key!r} (allowed: {', '.join(sorted(keys))})")
        return value

    def identifier(self, value: Any, where: str, what: str = "id") -> str | None:
        if value is None:
            self.error(where, f"{what} is missing")
            return None
        if not isinstance(value, str) or not IDENTIFIER.fullmatch(value):
            self.error(where, f"{what} {_short(value)!r} must start with a letter or '_' and hold only "
                              "letters, digits and '_'")
            return None
        if len(value) > MAX_ID:
            self.error(where, f"{what} {_short(value)!r} is longer than {MAX_ID} characters")
            return None
        return value

    def code(self, value: Any, where: str, limit: int = MAX_ID) -> str | None:
        if isinstance(value, bool):
            self.error(where, f"code {value!r} was read as a boolean: quote it, for example \"yes\"")
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(where, "code is missing")
            return None
        if not isinstance(value, (str, int)):
            self.error(where, f"code must be text, found {_describe(value)}")
            return None
        code = str(value)
        if any(c.isspace() for c in code):
            # Multiple-choice answers are codes separated by spaces.
            self.error(where, f"code {_short(code)!r} contains white space")
            return None
        invisible = control_character(code)
        if invisible or len(code) > limit:
            self.error(where, f"code {_short(code)!r} holds {invisible}" if invisible else
                       f"code {_short(code)!r} is longer than {limit} characters")
            return None
        if is_formula_like(code):
            # A spreadsheet would run it as a formula: exports would have to change it, and it would
            # no longer match when the export comes back as next year's baseline.
            self.error(where, f"code {code!r} begins with {code[0]!r}: a spreadsheet would read it as a "
                              "formula; choose another code")
            return None
        return code

    def text(self, value: Any, where: str, *, required: bool = True) -> Text | None:
        if value is None:
            if required:
                self.error(where, "text is missing")
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return Text({self.languages[0]: str(value)}) if self.text_is_clean(str(value), where) else None
        if not isinstance(value, dict) or not value:
            self.error(where, f"expected text or a mapping of language to text, found {_describe(value)}")
            return None
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in self.languages:
                self.error(where, f"language {_short(language)!r} is used but not declared in languages "
                                  f"({', '.join(self.languages)})")
            elif not isinstance(text, (str, int, float)) or isinstance(text, bool):
                self.error(where, f"text in {language!r} must be text, found {_describe(text)}")
            elif self.text_is_clean(str(text), f"{where} ({language})"):
                texts[language] = str(text)
        missing = [lang for lang in self.languages if lang not in value]
        if missing and texts:
            self.warn(where, f"no translation in {', '.join(missing)}; the {self.languages[0]!r} "
                             "text will be shown")
        return Text(texts) if texts else None

    def text_is_clean(self, text: str, where: str) -> bool:
        invisible = control_character(text)
        if invisible:
            self.error(where, f"the text holds {invisible}")
        elif len(text) > MAX_TEXT:
            self.error(where, f"the text has {len(text)} characters; at most {MAX_TEXT}")
        return not invisible and len(text) <= MAX_TEXT

    def boolean(self, value: Any, where: str, key: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(where, f"{key} must be true or false, found {value!r}")
            return False
        return value

    def expression(self, value: Any, where: str, key: str) -> expressions.Node | None:
        try:
            return expressions.parse(value)
        except expressions.ExpressionError as error:
            self.error(where, f"{key}: syntax error: {error}")
            return None

    # -------------------------------------------------------- parts

    def build(self, data: Any) -> Questionnaire | None:
        if data is None:
            self.error("", "the file is empty")
            return None
        top = self.mapping(data, "top level", TOP_KEYS)
        if not top:
            if not self.problems:  # an empty mapping, `{}`
                self.error("top level", "the definition is empty")
            return None
        self.languages = self.build_languages(top.get("languages"))
        qid = top.get("id")
        if not isinstance(qid, str) or not SLUG.fullmatch(qid) or len(qid) > MAX_ID:
            self.error("top level", f"id {_short(qid)!r} must be at most {MAX_ID} letters, digits, '.', '_' or '-' "
                                    "(it names the instrument across years)" if qid is not None else "id is missing")
        version = top.get("version")
        if version is None or not str(version).strip():
            self.error("top level", "version is missing")
        elif len(str(version)) > MAX_VERSION or control_character(str(version)):
            self.error("top level", f"version {_short(str(version))!r} must be at most {MAX_VERSION} characters of "
                                    "visible text")
        title = self.text(top.get("title"), "title")
        groups = self.build_groups(top.get("groups"))
        self.choice_lists = self.build_choice_lists(top.get("choice_lists", {}))
        sections = self.build_sections(top.get("sections"))
        group_question = self.text(top.get("group_question"), "group_question", required=False)
        description = self.text(top.get("description"), "description", required=False)
        if sections:
            self.check_expressions([item for section in sections for item in section.items])
        if any(p.severity == "error" for p in self.problems):
            return None
        return Questionnaire(
            id=qid, version=str(version), title=title, languages=self.languages, groups=groups,
            sections=sections, choice_lists=self.choice_lists, group_question=group_question,
            description=description, source=self.source,
        )

    def build_languages(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ("en",)
        if not isinstance(value, list) or not value:
            self.error("languages", f"expected a list of language codes, found {_describe(value)}")
            return ("en",)
        languages = []
        for language in value:
            if not isinstance(language, str) or not LANGUAGE_CODE.fullmatch(language) or len(language) > 10:
                self.error("languages", f"{_short(language)!r} is not a language code such as en or km")
            elif language in languages:
                self.error("languages", f"{language!r} is listed twice")
            else:
                languages.append(language)
        return tuple(languages) or ("en",)

    def build_choices(self, value: Any, where: str, code_limit: int = MAX_ID) -> tuple[Choice, ...]:
        if not isinstance(value, list) or not value:
            self.error(where, f"expected a non-empty list of choices, found {_describe(value)}")
            return ()
        choices: list[Choice] = []
        for index, entry in enumerate(value, start=1):
            spot = f"{where}, choice {index}"
            entry = self.mapping(entry, spot, CHOICE_KEYS)
            code = self.code(entry.get("code"), spot, code_limit) if entry else None
            label = self.text(entry.get("label"), f"{where}, choice {code or index}") if entry else None
            if code is None:
                continue
            if any(c.code == code for c in choices):
                self.error(where, f"code {code!r} appears twice")
                continue
            if label is not None:
                choices.append(Choice(code, label))
        return tuple(choices)

    def build_groups(self, value: Any) -> tuple[Group, ...]:
        if value is None:
            self.error("groups", "the stakeholder groups are missing (every respondent belongs to one)")
            return ()
        return tuple(Group(c.code, c.label) for c in self.build_choices(value, "groups", MAX_GROUP_CODE))

    def build_choice_lists(self, value: Any) -> dict[str, tuple[Choice, ...]]:
        if not isinstance(value, dict):
            self.error("choice_lists", f"expected a mapping of list name to choices, found {_describe(value)}")
            return {}
        lists = {}
        for name, choices in value.items():
            if self.identifier(name, "choice_lists", "choice list name"):
                lists[name] = self.build_choices(choices, f"choice list {name!r}")
        return lists

    def build_sections(self, value: Any) -> tuple[Section, ...]:
        if not isinstance(value, list) or not value:
            self.error("sections", f"expected a non-empty list of sections, found {_describe(value)}")
            return ()
        sections: list[Section] = []
        seen_items: set[str] = set()
        for index, entry in enumerate(value, start=1):
            where = f"section {index}"
            entry = self.mapping(entry, where, SECTION_KEYS)
            if not entry:
                continue
            section_id = self.identifier(entry.get("id"), where)
            where = f"section {section_id!r}" if section_id else where
            if section_id and any(s.id == section_id for s in sections):
                self.error(where, "this section id is used twice")
            title = self.text(entry.get("title"), where)
            hint = self.text(entry.get("hint"), where, required=False)
            items = self.build_items(entry.get("items"), where, section_id or "", seen_items)
            if section_id and title is not None:
                sections.append(Section(section_id, title, items, hint))
        return tuple(sections)

    def build_items(self, value: Any, where: str, section_id: str, seen: set[str]) -> tuple[Item, ...]:
        if not isinstance(value, list) or not value:
            self.error(where, f"expected a non-empty list of items, found {_describe(value)}")
            return ()
        items = []
        for index, entry in enumerate(value, start=1):
            item = self.build_item(entry, f"{where}, item {index}", section_id, seen)
            if item is not None:
                items.append(item)
        return tuple(items)

    def build_item(self, entry: Any, where: str, section_id: str, seen: set[str]) -> Item | None:
        if not isinstance(entry, dict):
            self.error(where, f"expected a mapping, found {_describe(entry)}")
            return None
        item_id = self.identifier(entry.get("id"), where)
        if item_id is not None:
            where = f"item {item_id!r}"
            if item_id in RESERVED_IDS:
                self.error(where, f"{item_id!r} is a reserved name; choose another id")
            elif item_id in seen:
                self.error(where, "this item id is used twice")
            seen.add(item_id)
        type_name = entry.get("type")
        kind = ITEM_TYPES.get(type_name) if isinstance(type_name, str) else None
        if kind is None:
            self.error(where, f"type {type_name!r} is not one of {', '.join(ITEM_TYPES)}")
            return None
        for key in entry:
            if key not in kind.keys:
                self.error(where, f"key {key!r} is not allowed on a {type_name} item "
                                  f"(allowed: {', '.join(sorted(kind.keys))})")
        label = self.text(entry.get("label"), where)
        hint = self.text(entry.get("hint"), f"{where}, hint", required=False)
        choices, choice_list = self.item_choices(entry, where, kind.has_choices)
        fields: dict[str, Any] = dict(
            id=item_id, type=type_name, label=label, section=section_id, hint=hint,
            required=self.boolean(entry.get("required"), where, "required"),
            relevant=entry.get("relevant"),
            choices=choices, choice_list=choice_list,
            headline=self.boolean(entry.get("headline"), where, "headline"),
        )
        fields.update(self.item_measure(entry, where, kind, choices))
        fields.update(self.item_number(entry, where))
        if item_id is None or label is None:
            return None
        return Item(**fields)

    def item_choices(self, entry: dict, where: str, has_choices: bool) -> tuple[tuple[Choice, ...], str | None]:
        value = entry.get("choices")
        if not has_choices:
            return (), None
        if value is None:
            self.error(where, "choices are missing")
            return (), None
        if isinstance(value, str):
            if value not in self.choice_lists:
                known = ", ".join(self.choice_lists) or "none"
                self.error(where, f"choice list {value!r} does not exist (choice lists: {known})")
                return (), None
            return self.choice_lists[value], value
        return self.build_choices(value, f"{where}, choices"), None

    def item_measure(self, entry: dict, where: str, kind, choices) -> dict[str, Any]:
        measure = entry.get("measure")
        codes = [c.code for c in choices]
        result: dict[str, Any] = {"measure": measure}
        if measure is not None and measure not in MEASURES:
            self.error(where, f"measure {measure!r} is not one of {', '.join(MEASURES)}")
        elif measure is not None and measure not in kind.measures:
            allowed = ", ".join(t for t in ITEM_TYPES if measure in ITEM_TYPES[t].measures)
            self.error(where, f"measure {measure!r} is for {allowed} items, not {kind.name}")
        if "success" in entry:
            success = entry["success"]
            success = success if isinstance(success, list) else [success]
            checked = tuple(c for c in (self.code(s, f"{where}, success") for s in success) if c)
            for code in checked:
                if choices and code not in codes:
                    self.error(where, f"success code {code!r} is not among the item's choices ({', '.join(codes)})")
            result["success"] = checked
            if measure != "awareness":
                self.error(where, "success is only for items with measure: awareness")
        elif measure == "awareness" and kind.name != "multiple_choice":
            self.error(where, "an awareness item needs success: the codes that count as aware")
        if "correct" in entry:
            correct = self.code(entry["correct"], f"{where}, correct")
            if correct is not None and choices and correct not in codes:
                self.error(where, f"correct code {correct!r} is not among the item's choices ({', '.join(codes)})")
            if measure != "knowledge":
                self.error(where, "correct is only for items with measure: knowledge")
            result["correct"] = correct
        elif measure == "knowledge":
            self.error(where, "a knowledge item needs correct: the code of the correct answer")
        return result

    def item_number(self, entry: dict, where: str) -> dict[str, Any]:
        result: dict[str, Any] = {"integer": self.boolean(entry.get("integer"), where, "integer")}
        for key, name in (("min", "minimum"), ("max", "maximum")):
            value = entry.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                self.error(where, f"{key} must be a number, found {value!r}")
                value = None
            result[name] = value
        if None not in (result["minimum"], result["maximum"]) and result["minimum"] > result["maximum"]:
            self.error(where, f"min {result['minimum']} is greater than max {result['maximum']}")
        result["constraint"] = entry.get("constraint")
        result["constraint_message"] = self.text(entry.get("constraint_message"), f"{where}, constraint_message",
                                                 required=False)
        return result

    # -------------------------------------------------------- expressions

    def check_expressions(self, items: list[Item]) -> None:
        position = {item.id: index for index, item in enumerate(items)}
        by_id = {item.id: item for item in items}
        for index, item in enumerate(items):
            for key in ("relevant", "constraint"):
                source = getattr(item, key)
                if source is None:
                    continue
                node = self.expression(source, f"item {item.id!r}", key)
                if node is None:
                    continue
                self.check_references(item, key, node, index, position, by_id)

    def check_references(self, item: Item, key: str, node, index: int, position: dict, by_id: dict) -> None:
        where = f"item {item.id!r}"
        if key == "relevant" and expressions.uses_current_answer(node):
            self.error(where, "relevant: '.' (the item's own answer) can only be used in a constraint")
        for ref in expressions.referenced_items(node):
            if ref not in position:
                self.error(where, f"{key} refers to {ref!r}, which is not an item of this questionnaire")
            elif ref == item.id:
                self.error(where, f"{key} refers to the item itself; use '.' for its answer")
            elif position[ref] > index:
                self.error(where, f"{key} refers to {ref!r}, which is asked later")
        for call in expressions.selected_calls(node):
            target = item if call.item_id == expressions.CURRENT else by_id.get(call.item_id)
            if target is None:
                continue
            if not target.kind.has_choices:
                self.error(where, f"{key}: selected() is for items with choices; {call.item_id!r} is "
                                  f"{target.type}")
            elif call.code not in target.codes:
                self.error(where, f"{key}: {call.code!r} is not a code of {call.item_id!r} "
                                  f"({', '.join(target.codes)})")


def _short(value: Any) -> Any:
    """A value cut for a message: a hostile file may hold a megabyte where a name belongs."""
    return value[:60] + "..." if isinstance(value, str) and len(value) > 60 else value


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return f"{type(value).__name__} {_short(value)!r}"
