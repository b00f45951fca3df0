"""What a trend row is made of, read from each wave: its estimate, and the cells its trend test needs.

The estimates come from the very functions `compare` uses (analysis/designs/), so a wave shows the
same number, interval and n in `trend` as in `compare`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from questionnaires import Item, Questionnaire

from .. import knowledge, stats
from ..designs import independent, weighted
from ..results import ALL, Estimate
from ..wavedata import WaveData
from .models import Cell

KNOWLEDGE_SCORE = knowledge.KNOWLEDGE_SCORE


@dataclass(frozen=True)
class Key:
    """One analysed quantity: an item (or ITEM/CODE) of a kind; `item` is None for the knowledge score."""

    key: str
    kind: str  # proportion | ordinal | score
    item: Item | None


def keys(questionnaire: Questionnaire) -> list[Key]:
    """Every analysed key, in the questionnaire's order, as `compare` lists them."""
    from ..wavedata import proportion_keys

    found = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "proportion":
            found += [Key(key, kind, item) for key, _codes in proportion_keys(item)]
        elif kind in ("ordinal", "score"):
            found.append(Key(item.id, kind, item))
    if questionnaire.knowledge_items:
        found.append(Key(KNOWLEDGE_SCORE, "score", None))
    return found


def holds(data: WaveData, key: Key, knowledge_items: list[Item]) -> bool:
    """Whether the wave asked the item at all (a column of its file, an item of its counts or crosswalk)."""
    if key.item is None:
        return data.records is not None and bool(knowledge_items)
    return key.item.id in data.items


@dataclass(frozen=True)
class Summary:
    """One wave's (or one group's) statistics of a key: n, mean, variance and, for a proportion, successes.
    `base` is the base its proportion has (`answered` when the wave cannot tell who was not asked)."""

    n: int
    mean: float
    variance: float
    successes: int | None = None
    base: str = "answered"


def summary(data: WaveData, key: Key, group: str, base: str, knowledge_items: list[Item],
            knowledge_moments: dict[str, stats.Moments] | None = None) -> Summary:
    """The key's statistics in one group (or `all`) of one wave, as compare's independent rows compute them.
    `knowledge_moments`: the wave's knowledge.moments_by_group over `knowledge_items`, when already made."""
    if key.kind == "proportion":
        pair = independent.counts(data, key.key, group, key.item, base)
        used = base
        if pair is None:
            pair, used = independent.counts(data, key.key, group), "answered"
        x, n = pair
        p = x / n if n else math.nan
        return Summary(n, p, p * (1 - p) * n / (n - 1) if n > 1 else math.nan, x, used)
    if key.kind == "ordinal":
        moments = independent.level_moments(independent._levels(data, key.item, group))
    elif key.item is None:
        if data.records is None:
            return Summary(0, math.nan, math.nan)
        by_group = knowledge_moments if knowledge_moments is not None else \
            knowledge.moments_by_group(data, knowledge_items)
        moments = stats.Moments.pool([by_group[g] for g in independent.groups_of(data, group) if g in by_group])
    else:
        moments = independent.moments(data, key.key, group)
    return Summary(moments.n, moments.mean, moments.variance)


def estimate(data: Summary, kind: str, confidence: float) -> Estimate:
    """n, estimate and interval as compare gives them: Wilson for a proportion, t for a mean."""
    if data.n == 0:
        return Estimate(0, None, None)
    if kind == "proportion":
        return Estimate(data.n, data.mean, stats.wilson_interval(data.successes, data.n, confidence))
    return independent.mean_estimate(stats.Moments(data.n, data.mean, data.variance), confidence)


def cells(data: WaveData, key: Key, position: float, base: str, knowledge_items: list[Item],
          population: dict[str, int] | None = None, knowledge_moments: dict[str, stats.Moments] | None = None) \
        -> list[Cell]:
    """A cell per stakeholder group with answers (strata of the stratified and weighted trend tests)."""
    found = []
    for group in data.group_sizes:
        if group == ALL:
            continue
        part = summary(data, key, group, base, knowledge_items, knowledge_moments)
        if part.n > 0:  # a weighted stratum: its respondents, answering or not, are the domain's design
            found.append(Cell(position, group, part.n, part.mean, part.variance,
                              None if population is None else population[group],
                              None if population is None else max(part.n, data.group_sizes.get(group, 0))))
    return found


def weighted_column(key: Key, base: str, datas: list[WaveData]) -> str:
    """The column of compare's weighted design (weighted.design_of) a key is read from."""
    if key.item is None:
        return KNOWLEDGE_SCORE
    if key.kind == "proportion" and base == "all" and all(
            independent.counts(data, key.key, ALL, key.item, base) is not None for data in datas):
        return key.key + weighted.ALL_BASE
    return key.key
