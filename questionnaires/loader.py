"""Read a questionnaire definition (YAML), check every rule, build the model.

Every problem is collected and reported at once; a file with any error loads
nothing. Warnings (a missing translation) do not stop loading.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import expressions
from .cells import control_character
from .checking import (
    CHOICE_KEYS,
    LANGUAGE_CODE,
    MAX_GROUP_CODE,
    MAX_ID,
    MAX_VERSION,
    RESERVED_IDS,
    SECTION_KEYS,
    SLUG,
    TOP_KEYS,
    Checker,
    describe,
    short,
)
from .model import MEASURES, Choice, Group, Item, Questionnaire, Section
from .problems import Problem, QuestionnaireError
from .reading import read_yaml
from .types import ITEM_TYPES

__all__ = ["check", "from_dict", "loads", "read_yaml"]



# ---------------------------------------------------------------- public API


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




# ---------------------------------------------------------------- building


class _Builder(Checker):
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.languages: tuple[str, ...] = ("en",)
        self.choice_lists: dict[str, tuple[Choice, ...]] = {}

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
            self.error("top level", f"id {short(qid)!r} must be at most {MAX_ID} letters, digits, '.', '_' or '-' "
                                    "(it names the instrument across years)" if qid is not None else "id is missing")
        version = top.get("version")
        if version is None or not str(version).strip():
            self.error("top level", "version is missing")
        elif len(str(version)) > MAX_VERSION or control_character(str(version)):
            self.error("top level", f"version {short(str(version))!r} must be at most {MAX_VERSION} characters of "
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
            self.error("languages", f"expected a list of language codes, found {describe(value)}")
            return ("en",)
        languages = []
        for language in value:
            if not isinstance(language, str) or not LANGUAGE_CODE.fullmatch(language) or len(language) > 10:
                self.error("languages", f"{short(language)!r} is not a language code such as en or km")
            elif language in languages:
                self.error("languages", f"{language!r} is listed twice")
            else:
                languages.append(language)
        return tuple(languages) or ("en",)

    def build_choices(self, value: Any, where: str, code_limit: int = MAX_ID) -> tuple[Choice, ...]:
        if not isinstance(value, list) or not value:
            self.error(where, f"expected a non-empty list of choices, found {describe(value)}")
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
            self.error("choice_lists", f"expected a mapping of list name to choices, found {describe(value)}")
            return {}
        lists = {}
        for name, choices in value.items():
            if self.identifier(name, "choice_lists", "choice list name"):
                lists[name] = self.build_choices(choices, f"choice list {name!r}")
        return lists

    def build_sections(self, value: Any) -> tuple[Section, ...]:
        if not isinstance(value, list) or not value:
            self.error("sections", f"expected a non-empty list of sections, found {describe(value)}")
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
            self.error(where, f"expected a non-empty list of items, found {describe(value)}")
            return ()
        items = []
        for index, entry in enumerate(value, start=1):
            item = self.build_item(entry, f"{where}, item {index}", section_id, seen)
            if item is not None:
                items.append(item)
        return tuple(items)

    def build_item(self, entry: Any, where: str, section_id: str, seen: set[str]) -> Item | None:
        if not isinstance(entry, dict):
            self.error(where, f"expected a mapping, found {describe(entry)}")
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
