"""Panels: the same respondents (same non-empty `respondent` key) in both waves, compared as pairs.

Proportions: exact McNemar on the discordant pairs; ordinal items: Wilcoxon signed-rank;
scores and the knowledge score: paired t.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats as distributions

from questionnaires import Item, Questionnaire

from .. import knowledge, stats
from ..results import ALL, Estimate, Result
from ..wavedata import APPLIES, WaveData, proportion_keys
from .independent import UNKNOWN_BASE, mean_estimate

PAIRED = "paired"


def shared_keys(baseline: WaveData, current: WaveData) -> set[str]:
    """Respondent keys present in both waves (respondent files only)."""
    if baseline.records is None or current.records is None:
        return set()
    keys = []
    for data in (baseline, current):
        column = data.records["respondent"]
        keys.append(pd.Index(pd.unique(column[column != ""])))  # vectorised: no Python loop over respondents
    return set(keys[0].intersection(keys[1]))


def matched(baseline: WaveData, current: WaveData) -> pd.DataFrame:
    """One row per pair: the current wave's columns, and the baseline's with the suffix `@base`.
    The pair belongs to the group the respondent gave this year."""
    keys = shared_keys(baseline, current)
    base = baseline.records[baseline.records["respondent"].isin(keys)]
    cur = current.records[current.records["respondent"].isin(keys)]
    # Every baseline column gets the suffix, also those the current wave lacks (a condition it cannot evaluate).
    base = base.drop(columns="group").rename(columns=lambda c: c if c == "respondent" else c + "@base")
    return cur.merge(base, on="respondent")


# ---------------------------------------------------------------- tests


def mcnemar_exact(lost: int, gained: int) -> float:
    """R's binom.test(lost, lost + gained)$p.value; 1 without discordant pairs."""
    if lost + gained == 0:
        return 1.0
    return min(1.0, float(distributions.binomtest(lost, lost + gained, 0.5).pvalue))


@dataclass(frozen=True)
class SignedRank:
    statistic: float  # V: the sum of the ranks of the positive differences (current - baseline)
    p_value: float | None
    rank_biserial: float | None


def wilcoxon_signed_rank(differences: np.ndarray) -> SignedRank:
    """R's wilcox.test(current, baseline, paired = TRUE, exact = FALSE, correct = TRUE): zero
    differences dropped, mid-ranks for ties, tie and continuity correction, normal approximation."""
    nonzero = differences[differences != 0]
    n = len(nonzero)
    if n == 0:
        return SignedRank(0.0, None, None)
    ranks = distributions.rankdata(np.abs(nonzero))
    v = float(ranks[nonzero > 0].sum())
    _values, ties = np.unique(np.abs(nonzero), return_counts=True)
    # Twice the variance times 24, in whole numbers: no rounding can hide a zero.
    numerator = 2 * n * (n + 1) * (2 * n + 1) - sum(int(t) ** 3 - int(t) for t in ties)
    sigma = math.sqrt(numerator / 48)
    centred = v - n * (n + 1) / 4
    z = (centred - math.copysign(0.5, centred) if centred != 0 else 0.0) / sigma
    total = n * (n + 1) / 2
    return SignedRank(v, min(1.0, 2 * stats.normal_sf(abs(z))), (2 * v - total) / total)


@dataclass(frozen=True)
class PairedT:
    statistic: float | None
    df: float | None
    p_value: float | None
    interval: stats.Interval | None
    dz: float | None
    dz_interval: stats.Interval | None


def paired_t(differences: np.ndarray, confidence: float) -> PairedT:
    """R's t.test(current, baseline, paired = TRUE); Cohen's d_z = mean / sd of the differences."""
    n = len(differences)
    nothing = PairedT(None, None, None, None, None, None)
    if n < 2:
        return nothing
    mean = float(differences.mean())
    sd = float(np.sqrt(((differences - mean) ** 2).sum() / (n - 1)))
    se = sd / math.sqrt(n)
    if stats.is_constant(se, mean):
        return nothing
    t = mean / se
    half = float(stats.t_value(confidence, n - 1)) * se
    dz = mean / sd
    dz_half = stats.z_value(confidence) * math.sqrt(1 / n + dz * dz / (2 * n))
    return PairedT(t, float(n - 1), 2 * stats.t_sf(abs(t), n - 1),
                   stats.Interval(mean - half, mean + half), dz, stats.Interval(dz - dz_half, dz + dz_half))


# ---------------------------------------------------------------- rows


def rows(questionnaire: Questionnaire, pairs: pd.DataFrame, group: str, confidence: float, base: str,
         knowledge_items: list[Item]) -> list[Result]:
    """Every comparable item of one group, over the pairs."""
    if group != ALL:
        pairs = pairs[pairs["group"] == group]
    found = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "proportion":
            for key, _codes in proportion_keys(item):
                values = _values(pairs, item, key, base)
                if values is None:  # a wave cannot say who was asked: fall back to those who answered
                    row = _proportion_row(item, key, group, *_values(pairs, item, key, "answered"), confidence,
                                          "answered")
                    found.append(row.with_note(UNKNOWN_BASE))
                else:
                    found.append(_proportion_row(item, key, group, *values, confidence, base))
        elif kind in ("ordinal", "score"):
            found.append(_numeric_row(item.id, kind, group, *_values(pairs, item, item.id, "answered"), confidence))
    if questionnaire.knowledge_items:
        scores = [knowledge.scores_of(pairs, knowledge_items, suffix) for suffix in ("@base", "")]
        found.append(_numeric_row(knowledge.KNOWLEDGE_SCORE, "score", group, *scores, confidence))
    return [replace(row, design=PAIRED) for row in found]


def _values(pairs: pd.DataFrame, item: Item, key: str, base: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(baseline, current) values of the pairs; with base `all`, 0 where the item did not apply
    (None when a wave cannot say to whom it applied)."""
    result = []
    for suffix in ("@base", ""):
        values = pairs[key + suffix].to_numpy(dtype=float)
        if base == "all" and item.relevant:
            if APPLIES + item.id + suffix not in pairs.columns:
                return None
            values = np.where(pairs[APPLIES + item.id + suffix].to_numpy(dtype=bool), values, 0.0)
        result.append(values)
    return result[0], result[1]


def _proportion_row(item, key, group, base_values, cur_values, confidence, base) -> Result:
    both = np.isfinite(base_values) & np.isfinite(cur_values)
    before, after = base_values[both], cur_values[both]
    n = int(both.sum())
    estimates = [Estimate(n, float(v.mean()) if n else None,
                          stats.wilson_interval(int(v.sum()), n, confidence) if n else None) for v in (before, after)]
    row = Result(key, group, "proportion", *estimates, base=base, test="mcnemar_exact")
    if n == 0:
        return replace(row, test=None, note="no pair answered in both waves")
    lost, gained = int(((before == 1) & (after == 0)).sum()), int(((before == 0) & (after == 1)).sum())
    note = None if lost + gained else "no pair changed its answer"
    return replace(row, difference=(gained - lost) / n, statistic=float(lost), p_value=mcnemar_exact(lost, gained),
                   effect_size_name="cohens_h", effect_size=stats.cohens_h(before.mean(), after.mean()),
                   note=note)


def _numeric_row(key, kind, group, base_values, cur_values, confidence) -> Result:
    both = np.isfinite(base_values) & np.isfinite(cur_values)
    before, after = base_values[both], cur_values[both]
    estimates = [mean_estimate(knowledge.moments_of(v), confidence) for v in (before, after)]
    row = Result(key, group, kind, *estimates, test="wilcoxon" if kind == "ordinal" else "paired_t")
    if len(before) == 0:
        return replace(row, test=None, note="no pair answered in both waves")
    differences = after - before
    if kind == "ordinal":
        rank = wilcoxon_signed_rank(differences)
        note = None if rank.p_value is not None else "no pair changed its answer: no test"
        return replace(row, difference=float(differences.mean()), statistic=rank.statistic, p_value=rank.p_value,
                       effect_size_name="rank_biserial", effect_size=rank.rank_biserial, note=note)
    test = paired_t(differences, confidence)
    note = None
    if test.p_value is None:
        note = "fewer than 2 pairs: no test" if len(before) < 2 else stats.CONSTANT_NOTE.replace(
            "within the waves", "between the pairs")
    return replace(row, difference=float(differences.mean()), difference_ci=test.interval, statistic=test.statistic,
                   df=test.df, p_value=test.p_value, effect_size_name="cohens_dz", effect_size=test.dz,
                   effect_size_ci=test.dz_interval, note=note)
