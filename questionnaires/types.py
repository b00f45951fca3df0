"""Item types as small classes in a registry.

Each type says which definition keys it takes, what the analysis does with it
by default, and how an answer is read from and written to text (the form of an
answer in a web form, a CSV cell or an XLSX cell).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .model import Item

COMMON_KEYS = frozenset({"id", "type", "label", "hint", "required", "relevant", "headline"})
CONSTRAINT_KEYS = frozenset({"constraint", "constraint_message"})  # a condition on the answer, as in XLSForm


class AnswerError(ValueError):
    """An answer that the item does not accept.

    `code` names the rule broken (not_a_code, not_a_number, not_whole, below_minimum,
    above_maximum, no_answer_taken) and `params` its values, so that an interface can
    say it in the respondent's language; the message is the English text.
    """

    def __init__(self, message: str, code: str = "invalid", **params: Any):
        super().__init__(message)
        self.code = code
        self.params = params


class ItemType:
    name: ClassVar[str]
    keys: ClassVar[frozenset[str]] = COMMON_KEYS
    has_choices: ClassVar[bool] = False
    takes_answer: ClassVar[bool] = True
    default_analysis: ClassVar[str] = "descriptive"
    measures: ClassVar[tuple[str, ...]] = ()

    def parse(self, item: Item, text: str) -> Any:
        """The answer written as `text`; blank text is no answer (None)."""
        text = text.strip()
        return text or None

    def format(self, item: Item, value: Any) -> str:
        """The answer as text, the inverse of `parse`."""
        return "" if value is None else str(value)


class SingleChoice(ItemType):
    name = "single_choice"
    keys = COMMON_KEYS | CONSTRAINT_KEYS | {"choices", "measure", "success", "correct"}
    has_choices = True
    measures = ("awareness", "knowledge")

    def parse(self, item: Item, text: str) -> str | None:
        code = text.strip()
        if not code:
            return None
        if code not in item.codes:
            raise AnswerError(f"{code!r} is not one of the codes {', '.join(item.codes)}", "not_a_code", value=code)
        return code


class Likert(SingleChoice):
    """Ordered choices, the first being the lowest level."""

    name = "likert"
    keys = COMMON_KEYS | CONSTRAINT_KEYS | {"choices", "measure", "success"}
    default_analysis = "ordinal"
    measures = ("awareness",)


class MultipleChoice(ItemType):
    name = "multiple_choice"
    keys = COMMON_KEYS | CONSTRAINT_KEYS | {"choices", "measure", "success"}
    has_choices = True
    measures = ("awareness",)

    def parse(self, item: Item, text: str) -> tuple[str, ...] | None:
        codes = text.split()
        if not codes:
            return None
        unknown = [code for code in codes if code not in item.codes]
        if unknown:
            raise AnswerError(f"{', '.join(map(repr, unknown))} not among the codes {', '.join(item.codes)}",
                              "not_a_code", value=" ".join(unknown))
        # Kept in the order of the choice list, each code once.
        return tuple(code for code in item.codes if code in codes)

    def format(self, item: Item, value: Any) -> str:
        return "" if not value else " ".join(value)


class Number(ItemType):
    name = "number"
    keys = COMMON_KEYS | {"integer", "min", "max", "constraint", "constraint_message"}
    default_analysis = "score"

    def parse(self, item: Item, text: str) -> int | float | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(f"{text!r} is not a number", "not_a_number", value=text) from None
        if not math.isfinite(value):
            raise AnswerError(f"{text!r} is not a finite number", "not_a_number", value=text)
        if item.integer:
            if not value.is_integer():
                raise AnswerError(f"{text!r} is not a whole number", "not_whole", value=text)
            value = int(value)
        elif value.is_integer() and "." not in text and "e" not in text.lower():
            value = int(value)
        if item.minimum is not None and value < item.minimum:
            raise AnswerError(f"{text} is less than the minimum {_plain(item.minimum)}", "below_minimum",
                              value=text, minimum=_plain(item.minimum))
        if item.maximum is not None and value > item.maximum:
            raise AnswerError(f"{text} is more than the maximum {_plain(item.maximum)}", "above_maximum",
                              value=text, maximum=_plain(item.maximum))
        return value

    def format(self, item: Item, value: Any) -> str:
        return "" if value is None else _plain(value)


class FreeText(ItemType):
    name = "text"
    keys = COMMON_KEYS | CONSTRAINT_KEYS


class Note(ItemType):
    """Display only: a paragraph of text, no answer."""

    name = "note"
    keys = frozenset({"id", "type", "label", "hint", "relevant"})
    takes_answer = False
    default_analysis = "display"

    def parse(self, item: Item, text: str) -> None:
        if text.strip():
            raise AnswerError("a note takes no answer", "no_answer_taken")
        return None


def _plain(number: float | int) -> str:
    """A number without a needless '.0'."""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)


ITEM_TYPES: dict[str, ItemType] = {
    kind.name: kind() for kind in (SingleChoice, MultipleChoice, Likert, Number, FreeText, Note)
}
