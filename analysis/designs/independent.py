"""Two independent samples: each item in one group, this year's answers against the baseline's."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from questionnaires import Item, Questionnaire

from .. import knowledge, stats
from ..results import ALL, Estimate, Result
from ..wavedata import WaveData, proportion_keys

UNKNOWN_BASE = ("cannot tell who was not asked (a counts table, or the condition reads an item the file "
                "lacks): share among those who answered")


def rows(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, group: str,
         confidence: float, base: str, knowledge_moments: list[dict] | None = None,
         knowledge_items: tuple[list, list] | None = None) -> list[Result]:
    """Every comparable item of one group; `knowledge_moments` is knowledge.moments_by_group of each wave
    (computed once for all groups), None when a wave is a counts table; `knowledge_items`, when known,
    knowledge.common_items of the two waves (what the moments are over)."""
    found: list[Result] = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "proportion":
            for key, _codes in proportion_keys(item):
                found.append(proportion_item_row(item, key, group, baseline, current, confidence, base))
        elif kind == "ordinal":
            found.append(_ordinal_row(item, group, _levels(baseline, item, group),
                                      _levels(current, item, group), confidence))
        elif kind == "score":
            found.append(score_row(item.id, group, moments(baseline, item.id, group),
                                   moments(current, item.id, group), confidence))
    if questionnaire.knowledge_items:
        found.append(knowledge_row(questionnaire, baseline, current, group, confidence, knowledge_moments,
                                   knowledge_items))
    return [replace(row, asked_if=_asked_if(questionnaire, row.item)) for row in found]


def _asked_if(questionnaire: Questionnaire, key: str) -> str | None:
    item_id = key.split("/")[0]
    return questionnaire.item(item_id).relevant if questionnaire.has_item(item_id) else None


# ---------------------------------------------------------------- gathering a group's statistics


def groups_of(data: WaveData, group: str) -> list[str]:
    if group != ALL:
        return [group]
    # The groups the wave holds; a counts table without a group column holds its totals under `all`.
    return list(data.group_sizes)


def counts(data: WaveData, key: str, group: str, item: Item | None = None, base: str = "answered") \
        -> tuple[int, int] | None:
    """(successes, denominator); with base `all`, those the item did not apply to count as not successful.
    None when base `all` is asked of a wave that cannot say who was not asked (a counts table)."""
    x = n = 0
    for g in groups_of(data, group):
        successes, answered = data.proportions.get((key, g), (0, 0))
        x, n = x + successes, n + answered
        if base == "all" and item is not None and item.relevant:
            if (item.id, g) not in data.not_applicable:
                return None
            n += data.not_applicable[(item.id, g)]
    return x, n


def _levels(data: WaveData, item: Item, group: str) -> np.ndarray:
    total = np.zeros(len(item.codes), dtype=np.int64)
    for g in groups_of(data, group):
        total = total + data.levels.get((item.id, g), 0)
    return total


def moments(data: WaveData, key: str, group: str) -> stats.Moments:
    return stats.Moments.pool([data.moments[(key, g)] for g in groups_of(data, group) if (key, g) in data.moments])


def _own_score(data: WaveData, questionnaire: Questionnaire, group: str) -> stats.Moments:
    """A respondent file's knowledge score over the knowledge items it holds; none for a counts table."""
    if data.records is None:
        return stats.Moments(0, math.nan, math.nan)
    items = [item for item in questionnaire.knowledge_items if item.id in data.items]
    by_group = knowledge.moments_by_group(data, items)
    return stats.Moments.pool([by_group[g] for g in groups_of(data, group) if g in by_group])


def counts_table_note(wave: str) -> str:
    return (f"the {wave} is a counts table, which carries no knowledge score: the score needs each respondent's "
            "answers, so it cannot be compared")


# A row's note when a wave has no answers to it; compare() drops them when a whole wave is empty and says it once.
NO_ANSWERS_IN_EITHER, NO_ANSWERS_IN_BASELINE, NO_ANSWERS_IN_CURRENT = MISSING_NOTES = (
    "no answers in either wave", "no answers in the baseline", "no answers in the current wave")


def missing_note(n_base: int, n_cur: int) -> str | None:
    if n_base == 0 and n_cur == 0:
        return NO_ANSWERS_IN_EITHER
    if n_base == 0:
        return NO_ANSWERS_IN_BASELINE
    if n_cur == 0:
        return NO_ANSWERS_IN_CURRENT
    return None


# ---------------------------------------------------------------- rows by kind


def proportion_item_row(item, key, group, baseline, current, confidence, base) -> Result:
    """A proportion among those who answered or, with base `all`, among all the group's respondents."""
    pair = counts(baseline, key, group, item, base), counts(current, key, group, item, base)
    if None in pair:
        row = proportion_row(key, group, counts(baseline, key, group), counts(current, key, group), confidence)
        return row.with_note(UNKNOWN_BASE)
    return replace(proportion_row(key, group, *pair, confidence), base=base)


def proportion_row(key, group, base, cur, confidence) -> Result:
    (x_base, n_base), (x_cur, n_cur) = base, cur
    estimates = [Estimate(n, x / n if n else None, stats.wilson_interval(x, n, confidence) if n else None)
                 for x, n in (base, cur)]
    row = Result(key, group, "proportion", *estimates)
    note = missing_note(n_base, n_cur)
    if note:
        return replace(row, note=note, test=None)
    p_base, p_cur = x_base / n_base, x_cur / n_cur
    test = stats.proportion_test(x_base, n_base, x_cur, n_cur)
    h = stats.cohens_h(p_base, p_cur)
    return replace(
        row, difference=p_cur - p_base, difference_ci=stats.newcombe_interval(x_base, n_base, x_cur, n_cur, confidence),
        test=test.test, statistic=test.statistic, df=test.df, p_value=test.p_value,
        effect_size_name="cohens_h", effect_size=h, effect_size_ci=stats.cohens_h_interval(h, n_base, n_cur, confidence),
        note=test.note,
    )


def level_moments(counts: np.ndarray) -> stats.Moments:
    n = int(counts.sum())
    if n == 0:
        return stats.Moments(0, math.nan, math.nan)
    levels = np.arange(1, len(counts) + 1)
    mean = float((counts * levels).sum() / n)
    variance = float((counts * (levels - mean) ** 2).sum() / (n - 1)) if n > 1 else math.nan
    return stats.Moments(n, mean, variance)


def _ordinal_row(item, group, base_counts, cur_counts, confidence) -> Result:
    base_m, cur_m = level_moments(base_counts), level_moments(cur_counts)
    row = Result(item.id, group, "ordinal", mean_estimate(base_m, confidence), mean_estimate(cur_m, confidence))
    note = missing_note(base_m.n, cur_m.n)
    if note:
        return replace(row, note=note)
    rank = stats.mann_whitney_from_counts(base_counts, cur_counts)
    return replace(
        row, difference=cur_m.mean - base_m.mean, test=rank.result.test, statistic=rank.result.statistic,
        p_value=rank.result.p_value, effect_size_name="rank_biserial", effect_size=rank.rank_biserial,
        note=rank.result.note,
    )


def mean_estimate(sample: stats.Moments, confidence: float) -> Estimate:
    if sample.n == 0:
        return Estimate(0, None, None)
    return Estimate(sample.n, sample.mean, stats.mean_interval(sample, confidence))


def score_row(key, group, base, cur, confidence) -> Result:
    row = Result(key, group, "score", mean_estimate(base, confidence), mean_estimate(cur, confidence))
    note = missing_note(base.n, cur.n)
    if note:
        return replace(row, note=note)
    welch = stats.welch_t(base, cur, confidence)
    return replace(
        row, difference=cur.mean - base.mean, difference_ci=welch.interval, test=welch.result.test,
        statistic=welch.result.statistic, df=welch.result.df, p_value=welch.result.p_value,
        effect_size_name="hedges_g", effect_size=welch.hedges_g, effect_size_ci=welch.hedges_g_ci,
        note=welch.result.note,
    )


def knowledge_row(questionnaire, baseline, current, group, confidence, knowledge_moments=None,
                  knowledge_items=None) -> Result:
    """The knowledge score over the knowledge items answered in both waves (knowledge.common_items)."""
    for wave, data in (("baseline", baseline), ("current wave", current)):
        if data.records is None:
            # The other wave's own score is shown; the only note says why there is no comparison
            # ("no answers in either wave" would be untrue when the other wave has answers).
            per_wave = [_own_score(other, questionnaire, group) for other in (baseline, current)]
            return replace(score_row(knowledge.KNOWLEDGE_SCORE, group, *per_wave, confidence),
                           note=counts_table_note(wave))
    common, left_out = knowledge_items or knowledge.common_items(questionnaire, baseline, current)
    if knowledge_moments is None:
        knowledge_moments = [knowledge.moments_by_group(data, common) for data in (baseline, current)]
    per_wave = []
    for data, by_group in zip((baseline, current), knowledge_moments, strict=True):
        per_wave.append(stats.Moments.pool([by_group[g] for g in groups_of(data, group) if g in by_group]))
    row = score_row(knowledge.KNOWLEDGE_SCORE, group, *per_wave, confidence)
    return row.with_note(knowledge.left_out_note(common, left_out))
