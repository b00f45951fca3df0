"""The questionnaire as pages: which page comes next, what a page shows, reading a page's form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from questionnaires import Item, Questionnaire, Section, expressions
from questionnaires.answers import check


def known_answers(questionnaire: Questionnaire, texts: dict[str, str], page: int) -> dict[str, Any]:
    """Parsed answers given on the pages before `page` (relevance of this page depends on them)."""
    earlier = [item for section in questionnaire.sections[:page] for item in section.items]
    return check(earlier, texts).values


def page_has_questions(questionnaire: Questionnaire, texts: dict[str, str], page: int) -> bool:
    """Whether any item of the page can be shown, given the answers before it."""
    known = known_answers(questionnaire, texts, page)
    section = questionnaire.sections[page]
    return any(_may_show(item, section, known) for item in section.items)


def _may_show(item: Item, section: Section, known: dict[str, Any]) -> bool:
    """False only when the item's rule depends on earlier pages alone and is false."""
    node = item.relevant_expression
    if node is None:
        return True
    on_page = {i.id for i in section.items}
    if any(ref in on_page for ref in expressions.referenced_items(node)):
        return True
    return expressions.evaluate(node, known)


def next_page(questionnaire: Questionnaire, texts: dict[str, str], page: int, step: int) -> int | None:
    """The nearest page in direction `step` with something to show; None past either end."""
    page += step
    while 0 <= page < len(questionnaire.sections):
        if page_has_questions(questionnaire, texts, page):
            return page
        page += step
    return None


def read_form(section: Section, form: MultiDict) -> dict[str, str]:
    """Answer texts of a page's items from the posted form (field names are item ids)."""
    texts = {}
    for item in section.items:
        if not item.kind.takes_answer:
            continue
        if item.type == "multiple_choice":
            texts[item.id] = " ".join(form.getlist(item.id))
        else:
            texts[item.id] = form.get(item.id, "")
    return texts


@dataclass
class PageView:
    """What a page template needs."""

    section: Section
    shown: list[Item]
    texts: dict[str, str]
    errors: dict
    rules: dict[str, str]  # item id -> JSON tree of its relevance rule, for the script
    known_json: str


def page_view(questionnaire: Questionnaire, page: int, texts: dict[str, str], errors: dict) -> PageView:
    section = questionnaire.sections[page]
    known = known_answers(questionnaire, texts, page)
    shown = [item for item in section.items if _may_show(item, section, known)]
    rules = {item.id: json.dumps(expressions.to_json(item.relevant_expression))
             for item in shown if item.relevant_expression is not None}
    return PageView(section, shown, texts, errors, rules, json.dumps(_jsonable(known), ensure_ascii=False))


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def check_page(questionnaire: Questionnaire, page: int, texts: dict[str, str]):
    section = questionnaire.sections[page]
    return check(section.items, texts, known_answers(questionnaire, texts, page))


def newly_shown_page(questionnaire: Questionnaire, before: dict[str, str], after: dict[str, str], page: int) \
        -> int | None:
    """The first page after `page` that the changed answers show and the earlier ones did not; None if none."""
    for later in range(page + 1, len(questionnaire.sections)):
        if page_has_questions(questionnaire, after, later) and not page_has_questions(questionnaire, before, later):
            return later
    return None


KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def local_digits(value, language: str) -> str:
    """A number written with the digits of the page's language (Khmer pages use Khmer digits)."""
    text = str(value)
    return text.translate(KHMER_DIGITS) if language == "km" else text
