"""The questionnaire model: frozen objects built by the loader, read by everything else."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from . import expressions
from .types import ITEM_TYPES, ItemType


class Text(Mapping[str, str]):
    """Text in several languages: language code -> text."""

    def __init__(self, values: Mapping[str, str]):
        self._values = dict(values)

    def __getitem__(self, language: str) -> str:
        return self._values[language]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        return f"Text({self._values!r})"

    def in_language(self, language: str, default: str) -> str:
        """The text in `language`, falling back to the default language, then any."""
        for code in (language, default):
            if self._values.get(code):
                return self._values[code]
        return next(iter(self._values.values()), "")


@dataclass(frozen=True)
class Choice:
    code: str
    label: Text


@dataclass(frozen=True)
class Group:
    """A stakeholder group: a stratum of the analysis."""

    code: str
    label: Text


MEASURES = ("awareness", "knowledge")


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    label: Text
    section: str
    hint: Text | None = None
    required: bool = False
    relevant: str | None = None
    choices: tuple[Choice, ...] = ()
    choice_list: str | None = None
    measure: str | None = None
    success: tuple[str, ...] = ()
    correct: str | None = None
    headline: bool = False
    integer: bool = False
    minimum: float | int | None = None
    maximum: float | int | None = None
    constraint: str | None = None
    constraint_message: Text | None = None

    @property
    def kind(self) -> ItemType:
        return ITEM_TYPES[self.type]

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The choices' codes (made once: reading answers checks each cell against them)."""
        return tuple(choice.code for choice in self.choices)

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)

    @cached_property
    def relevant_expression(self) -> expressions.Node | None:
        return expressions.parse(self.relevant) if self.relevant else None

    @cached_property
    def constraint_expression(self) -> expressions.Node | None:
        return expressions.parse(self.constraint) if self.constraint else None

    @property
    def analysis_kind(self) -> str:
        """What the analysis does: proportion, ordinal, score, descriptive or display."""
        if self.measure in MEASURES:
            return "proportion"
        return self.kind.default_analysis

    @property
    def success_codes(self) -> tuple[str, ...]:
        """Codes that count as a success for a proportion item."""
        if self.measure == "knowledge":
            return (self.correct,) if self.correct is not None else ()
        return self.success

    @cached_property
    def fingerprint(self) -> str:
        """Hash of what a respondent sees and what is stored: type, text, codes and labels.

        Two editions of an item with the same fingerprint ask the same question
        with the same answer codes, so their answers can be compared.
        """
        content = {
            "type": self.type,
            "label": dict(sorted(self.label.items())),
            "hint": dict(sorted(self.hint.items())) if self.hint else None,
            "choices": [[c.code, dict(sorted(c.label.items()))] for c in self.choices],
        }
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def is_relevant(self, answers: Mapping[str, object]) -> bool:
        node = self.relevant_expression
        return node is None or expressions.evaluate(node, answers)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    hint: Text | None = None


DEFAULT_GROUP_QUESTION = {
    "en": "Which kind of organisation do you work for?",
    "km": "តើអ្នកធ្វើការឱ្យស្ថាប័នប្រភេទណា?",
}


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: Text
    languages: tuple[str, ...]
    groups: tuple[Group, ...]
    sections: tuple[Section, ...]
    choice_lists: Mapping[str, tuple[Choice, ...]] = field(default_factory=dict)
    group_question: Text | None = None
    description: Text | None = None
    source: str = "<questionnaire>"
    warnings: tuple = ()  # Problem objects with severity "warning"

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    @property
    def answerable_items(self) -> tuple[Item, ...]:
        """Items that take an answer (all but notes)."""
        return tuple(item for item in self.items if item.kind.takes_answer)

    @property
    def knowledge_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.measure == "knowledge")

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(group.code for group in self.groups)

    def group_labels(self, language: str | None = None) -> dict[str, str]:
        """Each stakeholder group's label by its code, in `language` (default: the questionnaire's first)."""
        return {group.code: self.text(group.label, language) for group in self.groups}

    def text(self, text: Text | None, language: str | None = None) -> str:
        """`text` in `language`, with the questionnaire's fallback to its default language."""
        if text is None:
            return ""
        return text.in_language(language or self.default_language, self.default_language)

    @property
    def group_question_text(self) -> Text:
        if self.group_question is not None:
            return self.group_question
        wanted = {lang: DEFAULT_GROUP_QUESTION[lang] for lang in self.languages if lang in DEFAULT_GROUP_QUESTION}
        return Text(wanted or {self.default_language: DEFAULT_GROUP_QUESTION["en"]})

    @cached_property
    def fingerprint(self) -> str:
        """Hash of the whole edition: its id, version, groups and every item's fingerprint."""
        content = {
            "id": self.id,
            "version": self.version,
            "groups": list(self.group_codes),
            "items": [[item.id, item.fingerprint] for item in self.items],
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
