"""Which respondents an item applies to: its `relevant` condition evaluated on their own answers.

The condition is evaluated once per distinct combination of the answers it reads,
not once per respondent, so a wave of a million respondents costs a few evaluations.
"""

from __future__ import annotations

import numpy as np

from questionnaires import Item, Questionnaire, expressions


def answer_value(item: Item, text: str | None):
    """An answer as the expression language reads it: codes, a set of codes, or a number."""
    if text is None:
        return None
    if item.type == "multiple_choice":
        return frozenset(text.split())
    if item.type == "number":
        try:
            return float(text)
        except ValueError:
            return text
    return text


def applies(questionnaire: Questionnaire, columns: dict, n: int) -> dict[str, np.ndarray]:
    """item id -> per-respondent truth of its condition, for every item with one whose condition
    reads only items the file holds.

    `columns` maps an item id to its column (category `index` per row, -1 blank, and `categories`).
    """
    masks: dict[str, np.ndarray] = {}
    for item in questionnaire.answerable_items:
        node = item.relevant_expression
        if node is None:
            continue
        names = list(dict.fromkeys(expressions.referenced_items(node)))
        if any(name not in columns for name in names):
            continue  # the file does not hold what the condition reads: who was asked is unknown
        if not names:
            masks[item.id] = np.full(n, expressions.evaluate(node, {}), dtype=bool)
            continue
        stacked = np.column_stack([columns[name].index for name in names])
        combinations, inverse = np.unique(stacked, axis=0, return_inverse=True)
        truth = np.array([expressions.evaluate(node, _answers(questionnaire, columns, names, combination))
                          for combination in combinations], dtype=bool)
        masks[item.id] = truth[np.asarray(inverse).reshape(-1)]
    return masks


def _answers(questionnaire: Questionnaire, columns: dict, names: list[str], combination) -> dict:
    answers = {}
    for name, index in zip(names, combination, strict=True):
        text = columns[name].categories[index] if index >= 0 else None
        answers[name] = answer_value(questionnaire.item(name), text)
    return answers
