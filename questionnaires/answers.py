"""Check a respondent's answers against the questionnaire: codes, numbers, ranges, constraints,
required items and relevance. Used by the web form page by page, and on submission for all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import expressions
from .cells import control_character
from .model import Item, Questionnaire
from .types import AnswerError


@dataclass
class Checked:
    """The outcome of checking answers given as text."""

    texts: dict[str, str] = field(default_factory=dict)  # item id -> answer text to store (relevant, valid)
    values: dict[str, Any] = field(default_factory=dict)  # item id -> parsed answer, for later relevance
    errors: dict[str, AnswerError] = field(default_factory=dict)  # item id -> what is wrong
    hidden: set[str] = field(default_factory=set)  # items not relevant: their answers were discarded


def check(items: Iterable[Item], raw: Mapping[str, str], known: Mapping[str, Any] | None = None) -> Checked:
    """Check `raw` (item id -> answer text) for `items`, in order.

    `known` holds parsed answers to earlier items (other pages): relevance can
    depend on them. An item that is not relevant is not required, and its answer
    is discarded.
    """
    result = Checked(values=dict(known or {}))
    for item in items:
        if not item.kind.takes_answer:
            continue
        if not item.is_relevant(result.values):
            result.hidden.add(item.id)
            result.values.pop(item.id, None)
            continue
        error = _check_item(item, raw.get(item.id, ""), result)
        if error is not None:
            result.errors[item.id] = error
    return result


def _check_item(item: Item, text: str, result: Checked) -> AnswerError | None:
    invisible = control_character(text)
    if invisible is not None:
        # Refused rather than dropped: what is stored is exactly what the respondent sent.
        result.values.pop(item.id, None)
        return AnswerError(f"the answer holds {invisible}", "control_character", value=text)
    try:
        value = item.kind.parse(item, text)
    except AnswerError as error:
        result.values.pop(item.id, None)
        return error
    if value is None:
        result.values.pop(item.id, None)
        return AnswerError("an answer is required", "required") if item.required else None
    node = item.constraint_expression
    if node is not None and not expressions.evaluate(node, result.values, value):
        return AnswerError(f"{text} does not meet the condition {item.constraint}", "constraint", value=text)
    result.values[item.id] = value
    result.texts[item.id] = item.kind.format(item, value)
    return None


def check_all(questionnaire: Questionnaire, raw: Mapping[str, str]) -> Checked:
    """Check every item of the questionnaire in order (as on submission)."""
    return check(questionnaire.items, raw)


def answered_share(questionnaire: Questionnaire, raw: Mapping[str, str]) -> float:
    """The share of the questions that apply to this respondent (relevant, given their answers) that they answered:
    AAPOR's measure for telling a complete, a partial and a break-off apart (analysis.aapor.BreakOff)."""
    checked = check_all(questionnaire, raw)
    applicable = [item for item in questionnaire.answerable_items if item.id not in checked.hidden]
    if not applicable:
        return 0.0
    return sum(item.id in checked.texts for item in applicable) / len(applicable)
