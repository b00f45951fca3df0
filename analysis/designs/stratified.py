"""Stratified by stakeholder group: Cochran-Mantel-Haenszel, for a change in the mix of who answered.

Each stratum is a 2x2 table: rows current and baseline wave, columns success and failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats as distributions

from questionnaires import Questionnaire

from .. import stats
from ..results import ALL, Estimate, Result
from ..wavedata import WaveData, proportion_keys
from .independent import UNKNOWN_BASE, counts

STRATIFIED = "stratified"
ZERO_ODDS_RATIO = "each stratum lacks current successes or baseline failures: odds ratio 0 (as in R), no interval"


@dataclass(frozen=True)
class MantelHaenszel:
    statistic: float | None
    p_value: float | None
    odds_ratio: float | None
    interval: stats.Interval | None


def mantel_haenszel(tables: np.ndarray, confidence: float) -> MantelHaenszel:
    """CMH test without continuity correction and the MH common odds ratio with its
    Robins-Breslow-Greenland interval: R's mantelhaen.test(x, correct = FALSE), x[wave, outcome, stratum].

    `tables` holds one row per stratum: current successes, current failures, baseline successes,
    baseline failures."""
    a, b, c, d = (tables[:, i].astype(float) for i in range(4))
    total = a + b + c + d
    row, column = a + b, a + c
    variance = float((row * (total - row) * column * (total - column) / (total**2 * (total - 1))).sum())
    delta = float((a - row * column / total).sum())
    statistic = p_value = None
    if variance > 0:
        statistic = delta**2 / variance
        p_value = float(distributions.chi2.sf(statistic, 1))
    diagonal, off = float((a * d / total).sum()), float((b * c / total).sum())
    if off == 0:  # R: Inf (or NaN with diagonal 0 too), which JSON cannot hold
        return MantelHaenszel(statistic, p_value, None, None)
    if diagonal == 0:  # R: estimate 0, conf.int NaN NaN
        return MantelHaenszel(statistic, p_value, 0.0, None)
    estimate = diagonal / off
    sd = math.sqrt(float(((a + d) * a * d / total**2).sum()) / (2 * diagonal**2)
                   + float((((a + d) * b * c + (b + c) * a * d) / total**2).sum()) / (2 * diagonal * off)
                   + float(((b + c) * b * c / total**2).sum()) / (2 * off**2))
    half = stats.z_value(confidence) * sd
    return MantelHaenszel(statistic, p_value, estimate, stats.Interval(estimate * math.exp(-half),
                                                                       estimate * math.exp(half)))


def breslow_day(tables: np.ndarray, odds_ratio: float) -> dict | None:
    """Breslow-Day test of a common odds ratio, as statsmodels' StratifiedTable.test_equal_odds(adjust=False).

    Strata with an empty margin carry no information on their odds ratio and are left out."""
    a, b, c, d = (tables[:, i].astype(float) for i in range(4))
    informative = (a + b > 0) & (c + d > 0) & (a + c > 0) & (b + d > 0)
    a, b, c, d = a[informative], b[informative], c[informative], d[informative]
    if len(a) < 2:
        return None
    row, column, rest = a + b, a + c, d - a
    quadratic = 1 - odds_ratio
    linear = odds_ratio * (row + column) + rest
    constant = -odds_ratio * row * column
    if abs(quadratic) < 1e-12:  # common odds ratio 1: the equation is linear
        expected = -constant / linear
    else:
        expected = (-linear + np.sqrt(linear**2 - 4 * quadratic * constant)) / (2 * quadratic)
    variance = 1 / (1 / expected + 1 / (column - expected) + 1 / (row - expected) + 1 / (rest + expected))
    statistic = float(((a - expected) ** 2 / variance).sum())
    df = len(a) - 1
    return {"test": "breslow_day", "statistic": statistic, "df": df,
            "p_value": float(distributions.chi2.sf(statistic, df))}


def rows(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, confidence: float,
         base: str) -> list[Result]:
    """One row per proportion key: group `all`, design `stratified`."""
    found = []
    for item in questionnaire.answerable_items:
        if item.analysis_kind != "proportion":
            continue
        for key, _codes in proportion_keys(item):
            found.append(_row(questionnaire, item, key, baseline, current, confidence, base))
    return found


def _strata(questionnaire, item, key, baseline, current, base) -> tuple[list[str], np.ndarray] | None:
    """Groups with answers in both waves, and their tables; None when a wave cannot give base `all`."""
    names, tables = [], []
    for group in questionnaire.group_codes:
        pair = counts(baseline, key, group, item, base), counts(current, key, group, item, base)
        if None in pair:
            return None
        (x_base, n_base), (x_cur, n_cur) = pair
        if n_base > 0 and n_cur > 0:
            names.append(group)
            tables.append((x_cur, n_cur - x_cur, x_base, n_base - x_base))
    return names, np.array(tables, dtype=np.int64).reshape(len(tables), 4)


def _row(questionnaire, item, key, baseline, current, confidence, base) -> Result:
    empty = Estimate(0, None, None)
    row = Result(key, ALL, "proportion", empty, empty, design=STRATIFIED, test="cmh", base=base,
                 asked_if=item.relevant)
    strata = _strata(questionnaire, item, key, baseline, current, base)
    if strata is None:
        return replace(row, test=None, base="answered",
                       note=UNKNOWN_BASE.replace("share among those who answered", "no stratified row with base all"))
    names, tables = strata
    if not names:
        return replace(row, test=None, note="no stakeholder group has answers in both waves: nothing to stratify")
    weights = tables[:, 0] + tables[:, 1]  # current respondents with an answer in each stratum
    base_share = (tables[:, 2] / (tables[:, 2] + tables[:, 3]) * weights).sum() / weights.sum()
    current_share = tables[:, 0].sum() / weights.sum()
    row = replace(row, baseline=Estimate(int((tables[:, 2] + tables[:, 3]).sum()), float(base_share), None),
                  current=Estimate(int(weights.sum()), float(current_share), None),
                  difference=float(current_share - base_share))
    mh = mantel_haenszel(tables, confidence)
    note = f"strata: {', '.join(names)}"
    if mh.statistic is None:
        note += "; every answer is a success (or none is) in each stratum: no test"
    row = replace(row, statistic=mh.statistic, df=1.0 if mh.statistic is not None else None, p_value=mh.p_value,
                  effect_size_name="mh_odds_ratio", effect_size=mh.odds_ratio, effect_size_ci=mh.interval,
                  note=note)
    if mh.odds_ratio:
        row = replace(row, homogeneity=breslow_day(tables, mh.odds_ratio))
    elif mh.odds_ratio == 0:
        row = row.with_note(ZERO_ODDS_RATIO)
    else:
        row = row.with_note("a zero in every stratum's cross-product: no common odds ratio")
    return row
