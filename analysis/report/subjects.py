"""What a row is about, in words: the question text (in the report's language) and its base."""

from __future__ import annotations

import re

from questionnaires import Questionnaire

from .i18n import word

KNOWLEDGE_SCORE = "knowledge_score"
_SIMPLE_CONDITION = re.compile(r"^\s*(\w+)\s*==\s*'([^']*)'\s*$")


def quoted(text: str, language: str) -> str:
    return word("quoted", language, text=text)


def _item_of(questionnaire: Questionnaire, key: str):
    """The item a key (ITEM or ITEM/CODE) names (None when the questionnaire has none), and the code."""
    item_id, _, code = key.partition("/")
    return (questionnaire.item(item_id) if questionnaire.has_item(item_id) else None), code


def question(questionnaire: Questionnaire, key: str, language: str) -> str:
    """The question text of an item key (ITEM or ITEM/CODE); the knowledge score's definition."""
    if key == KNOWLEDGE_SCORE:
        return word("knowledge_score", language)
    item, code = _item_of(questionnaire, key)
    if item is None:
        return key
    text = questionnaire.text(item.label, language)
    if code and item.choice(code):
        text += " — " + questionnaire.text(item.choice(code).label, language)
    return text


def _label(questionnaire, item, code: str, language: str) -> str:
    choice = item.choice(code)
    return questionnaire.text(choice.label, language) if choice else code


def subject(questionnaire: Questionnaire, key: str, kind: str, language: str) -> str:
    """The sentence's subject: "The share of stakeholders who answered “Yes” to “…”"."""
    if key == KNOWLEDGE_SCORE:
        return word("subject_knowledge_score", language)
    item, code = _item_of(questionnaire, key)
    if item is None:
        return key
    text = quoted(questionnaire.text(item.label, language), language)
    if kind == "proportion":
        if code:
            label = quoted(_label(questionnaire, item, code, language), language)
            return word("subject_chose", language, label=label, question=text)
        if item.measure == "knowledge":
            return word("subject_correct", language, question=text)
        labels = " / ".join(quoted(_label(questionnaire, item, c, language), language) for c in item.success_codes)
        return word("subject_answered", language, label=labels, question=text)
    if kind == "ordinal" and item.choices:
        low, high = (_label(questionnaire, item, item.codes[i], language) for i in (0, -1))
        scale = f"1 = {low} … {len(item.codes)} = {high}"
        return word("subject_scale", language, question=text, scale=scale)
    return word("subject_mean", language, question=text)


def base_phrase(questionnaire: Questionnaire, key: str, base: str, language: str) -> str:
    """Whom a proportion counts: those asked the question (and answering), or everyone."""
    if base == "all":
        return word("base_all", language)
    item_id = key.partition("/")[0]
    if key == KNOWLEDGE_SCORE or not questionnaire.has_item(item_id):
        return ""
    condition = questionnaire.item(item_id).relevant
    if not condition:
        return ""
    match = _SIMPLE_CONDITION.match(condition)
    if match and questionnaire.has_item(match.group(1)):
        other = questionnaire.item(match.group(1))
        label = quoted(_label(questionnaire, other, match.group(2), language), language)
        text = quoted(questionnaire.text(other.label, language), language)
        return word("base_answered", language, label=label, question=text)
    return word("base_asked", language)
