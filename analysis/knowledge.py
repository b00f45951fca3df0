"""The knowledge score: per respondent, 100 x correct answers / knowledge items answered.

Only the knowledge items answered by at least one respondent in each wave count, in both waves: an
item missing from one file, or a blank column in it (a question new this year, kept as an empty column
in last year's file), would otherwise lower (or raise) that wave's score with no change in what anyone
knows. A blank column and a missing column give the same score.
"Don't know" is an answer and counts as not correct; a blank is not an answer and is left out
of that respondent's denominator; a respondent who answered none of the items has no score.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire

from .stats import Moments
from .wavedata import WaveData

KNOWLEDGE_SCORE = "knowledge_score"


def common_items(questionnaire: Questionnaire, baseline: WaveData, current: WaveData) \
        -> tuple[list[Item], list[Item]]:
    """(knowledge items answered by at least one respondent in each wave, knowledge items left out)."""
    common, left_out = [], []
    for item in questionnaire.knowledge_items:
        (common if answered(baseline, item) and answered(current, item) else left_out).append(item)
    return common, left_out


def answered(data: WaveData, item: Item) -> bool:
    """Did anyone in the wave answer `item`? A column the file lacks and a blank column both say no."""
    if item.id not in data.items:
        return False
    if data.records is not None and item.id in data.records.columns:
        return bool(np.isfinite(data.records[item.id].to_numpy(dtype=float)).any())
    return any(n > 0 for (key, _group), (_x, n) in data.proportions.items() if key == item.id)


def scores(data: WaveData, items: list[Item]) -> np.ndarray:
    """Each respondent's score over `items` (NaN for those who answered none)."""
    return scores_of(data.records, items)


def scores_of(records: pd.DataFrame, items: list[Item], suffix: str = "") -> np.ndarray:
    """The scores from per-respondent columns named item id + suffix."""
    if not items:
        return np.full(len(records), np.nan)
    correct = records[[item.id + suffix for item in items]].to_numpy(dtype=float)
    answered = np.isfinite(correct).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(answered > 0, 100 * np.nansum(correct, axis=1) / answered, np.nan)


def moments_by_group(data: WaveData, items: list[Item]) -> dict[str, Moments]:
    """Group -> n, mean, variance of the score."""
    values = scores(data, items)
    groups = data.records["group"].to_numpy()
    return {group: moments_of(values[groups == group]) for group in data.group_sizes}


def moments_of(values: np.ndarray) -> Moments:
    """n, mean and variance (ddof 1) of the finite values; two passes for an accurate variance."""
    values = values[np.isfinite(values)]
    n = len(values)
    if n == 0:
        return Moments(0, float("nan"), float("nan"))
    mean = float(values.mean())
    variance = float(((values - mean) ** 2).sum() / (n - 1)) if n > 1 else float("nan")
    return Moments(n, mean, variance)


def left_out_note(common: list[Item], left_out: list[Item]) -> str | None:
    if not left_out:
        return None
    names = ", ".join(item.id for item in left_out)
    if not common:
        return f"no knowledge item is answered in both waves ({names} unanswered in one): no score"
    return (f"score over the {len(common)} knowledge item(s) answered in both waves; left out of both waves' "
            f"scores: {names} (no answers in one wave)")
