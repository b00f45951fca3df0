"""Compare the current wave with the baseline, item by item and by stakeholder group."""

from __future__ import annotations

import math
import platform
from dataclasses import dataclass, field, replace
from importlib import metadata
from typing import Any

import numpy as np

from questionnaires import Item, Questionnaire

from . import stats
from .inputs import WaveData, proportion_keys

KNOWLEDGE_SCORE = "knowledge_score"
ALL = "all"


@dataclass(frozen=True)
class Estimate:
    n: int
    estimate: float | None
    ci: stats.Interval | None


@dataclass(frozen=True)
class Result:
    """One compared row: an item (or ITEM/CODE) in one group."""

    item: str
    group: str
    kind: str  # proportion | ordinal | score
    baseline: Estimate
    current: Estimate
    difference: float | None = None
    difference_ci: stats.Interval | None = None
    test: str | None = None
    statistic: float | None = None
    df: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    effect_size_name: str | None = None
    effect_size: float | None = None
    note: str | None = None
    design: str = "independent"


@dataclass(frozen=True)
class Comparison:
    questionnaire: Questionnaire
    baseline: WaveData
    current: WaveData
    confidence: float
    adjust: str
    by_group: bool
    results: tuple[Result, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def compare(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, *,
            by_group: bool = False, adjust: str = "holm", confidence: float = 0.95,
            notes: tuple[str, ...] = ()) -> Comparison:
    """Every comparable item for group `all` and, with by_group, each group present in both waves."""
    if adjust not in stats.ADJUSTMENTS:
        raise ValueError(f"adjust must be one of {', '.join(stats.ADJUSTMENTS)}, not {adjust!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    groups = [ALL]
    notes = list(notes)
    if by_group:
        for group in questionnaire.group_codes:
            in_base, in_cur = group in baseline.groups, group in current.groups
            if in_base and in_cur:
                groups.append(group)
            elif in_base or in_cur:
                wave = "baseline" if in_base else "current wave"
                notes.append(f"group {group!r} is only in the {wave}: not compared")
    rows = [row for group in groups for row in _rows_for_group(questionnaire, baseline, current, group, confidence)]
    return Comparison(questionnaire, baseline, current, confidence, adjust, by_group,
                      tuple(_adjusted(rows, adjust)), tuple(notes))


def _rows_for_group(questionnaire, baseline, current, group, confidence) -> list[Result]:
    rows: list[Result] = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "proportion":
            for key, _codes in proportion_keys(item):
                rows.append(_proportion_row(key, group, _counts(baseline, key, group),
                                            _counts(current, key, group), confidence))
        elif kind == "ordinal":
            rows.append(_ordinal_row(item, group, _levels(baseline, item, group),
                                     _levels(current, item, group), confidence))
        elif kind == "score":
            rows.append(_score_row(item.id, group, _moments(baseline, item.id, group),
                                   _moments(current, item.id, group), confidence))
    if questionnaire.knowledge_items:
        row = _score_row(KNOWLEDGE_SCORE, group, _moments(baseline, KNOWLEDGE_SCORE, group),
                         _moments(current, KNOWLEDGE_SCORE, group), confidence)
        for wave, data in (("baseline", baseline), ("current wave", current)):
            if data.format == "counts":
                row = replace(row, note=f"the {wave} is a counts table: a knowledge score needs each "
                                        "respondent's answers")
        rows.append(row)
    return rows


# ---------------------------------------------------------------- gathering a group's statistics


def _groups(data: WaveData, group: str) -> list[str]:
    if group != ALL:
        return [group]
    # The groups the wave holds; a counts table without a group column holds its totals under `all`.
    return list(data.group_sizes)


def _counts(data: WaveData, key: str, group: str) -> tuple[int, int]:
    parts = [data.proportions.get((key, g), (0, 0)) for g in _groups(data, group)]
    return sum(p[0] for p in parts), sum(p[1] for p in parts)


def _levels(data: WaveData, item: Item, group: str) -> np.ndarray:
    total = np.zeros(len(item.codes), dtype=np.int64)
    for g in _groups(data, group):
        total = total + data.levels.get((item.id, g), 0)
    return total


def _moments(data: WaveData, key: str, group: str) -> stats.Moments:
    return stats.Moments.pool([data.moments[(key, g)] for g in _groups(data, group) if (key, g) in data.moments])


def _missing_note(n_base: int, n_cur: int) -> str | None:
    if n_base == 0 and n_cur == 0:
        return "no answers in either wave"
    if n_base == 0:
        return "no answers in the baseline"
    if n_cur == 0:
        return "no answers in the current wave"
    return None


# ---------------------------------------------------------------- rows by kind


def _proportion_row(key, group, base, cur, confidence) -> Result:
    (x_base, n_base), (x_cur, n_cur) = base, cur
    estimates = [Estimate(n, x / n if n else None, stats.wilson_interval(x, n, confidence) if n else None)
                 for x, n in (base, cur)]
    row = Result(key, group, "proportion", *estimates)
    note = _missing_note(n_base, n_cur)
    if note:
        return replace(row, note=note, test=None)
    p_base, p_cur = x_base / n_base, x_cur / n_cur
    test = stats.proportion_test(x_base, n_base, x_cur, n_cur)
    return replace(
        row, difference=p_cur - p_base, difference_ci=stats.newcombe_interval(x_base, n_base, x_cur, n_cur, confidence),
        test=test.test, statistic=test.statistic, df=test.df, p_value=test.p_value,
        effect_size_name="cohens_h", effect_size=stats.cohens_h(p_base, p_cur), note=test.note,
    )


def _level_moments(counts: np.ndarray) -> stats.Moments:
    n = int(counts.sum())
    if n == 0:
        return stats.Moments(0, math.nan, math.nan)
    levels = np.arange(1, len(counts) + 1)
    mean = float((counts * levels).sum() / n)
    variance = float((counts * (levels - mean) ** 2).sum() / (n - 1)) if n > 1 else math.nan
    return stats.Moments(n, mean, variance)


def _ordinal_row(item, group, base_counts, cur_counts, confidence) -> Result:
    base_m, cur_m = _level_moments(base_counts), _level_moments(cur_counts)
    row = Result(item.id, group, "ordinal", _mean_estimate(base_m, confidence), _mean_estimate(cur_m, confidence))
    note = _missing_note(base_m.n, cur_m.n)
    if note:
        return replace(row, note=note)
    rank = stats.mann_whitney_from_counts(base_counts, cur_counts)
    return replace(
        row, difference=cur_m.mean - base_m.mean, test=rank.result.test, statistic=rank.result.statistic,
        p_value=rank.result.p_value, effect_size_name="rank_biserial", effect_size=rank.rank_biserial,
        note=rank.result.note,
    )


def _mean_estimate(sample: stats.Moments, confidence: float) -> Estimate:
    if sample.n == 0:
        return Estimate(0, None, None)
    return Estimate(sample.n, sample.mean, stats.mean_interval(sample, confidence))


def _score_row(key, group, base, cur, confidence) -> Result:
    row = Result(key, group, "score", _mean_estimate(base, confidence), _mean_estimate(cur, confidence))
    note = _missing_note(base.n, cur.n)
    if note:
        return replace(row, note=note)
    welch = stats.welch_t(base, cur, confidence)
    return replace(
        row, difference=cur.mean - base.mean, difference_ci=welch.interval, test=welch.result.test,
        statistic=welch.result.statistic, df=welch.result.df, p_value=welch.result.p_value,
        effect_size_name="hedges_g", effect_size=welch.hedges_g, note=welch.result.note,
    )


def _adjusted(rows: list[Result], method: str) -> list[Result]:
    """Adjust p-values within each family: the rows sharing a group and a design."""
    adjusted = list(rows)
    families: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(rows):
        if row.p_value is not None:
            families.setdefault((row.group, row.design), []).append(index)
    for members in families.values():
        values = stats.adjust_p_values([rows[i].p_value for i in members], method)
        for index, value in zip(members, values, strict=True):
            adjusted[index] = replace(rows[index], p_adjusted=value)
    return adjusted


# ---------------------------------------------------------------- output


def software() -> dict[str, str]:
    versions = {"name": "awareness-survey", "version": _version("awareness-survey"),
                "python": platform.python_version()}
    for package in ("numpy", "scipy", "pandas"):
        versions[package] = _version(package)
    return versions


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _number(value: float | None) -> float | None:
    """JSON never holds NaN or Infinity."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _interval(interval: stats.Interval | None) -> list[float | None] | None:
    return None if interval is None else [_number(interval.low), _number(interval.high)]


def _wave(data: WaveData) -> dict[str, Any]:
    return {"source": data.source, "sha256": data.sha256, "n": data.n, "format": data.format,
            "groups": {g: n for g, n in data.group_sizes.items() if n}}


def result_dict(row: Result) -> dict[str, Any]:
    return {
        "item": row.item, "group": row.group, "design": row.design, "kind": row.kind,
        "baseline": {"n": row.baseline.n, "estimate": _number(row.baseline.estimate),
                     "ci": _interval(row.baseline.ci)},
        "current": {"n": row.current.n, "estimate": _number(row.current.estimate),
                    "ci": _interval(row.current.ci)},
        "difference": _number(row.difference), "difference_ci": _interval(row.difference_ci),
        "test": row.test, "statistic": _number(row.statistic), "df": _number(row.df),
        "p_value": _number(row.p_value), "p_adjusted": _number(row.p_adjusted),
        "effect_size": None if row.effect_size_name is None else
        {"name": row.effect_size_name, "value": _number(row.effect_size), "ci": None},
        "note": row.note,
    }


def to_dict(comparison: Comparison) -> dict[str, Any]:
    """The JSON contract: fields may be added, none removed or renamed."""
    questionnaire = comparison.questionnaire
    return {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version,
                          "fingerprint": questionnaire.fingerprint},
        "baseline": _wave(comparison.baseline),
        "current": _wave(comparison.current),
        "settings": {
            "confidence": comparison.confidence, "adjust": comparison.adjust, "by_group": comparison.by_group,
            "adjust_families": "rows sharing a group and a design",
            "proportion_test": "Pearson chi-square without continuity correction when every expected count "
                               f"is at least {stats.EXPECTED_MINIMUM}, otherwise Fisher's exact test",
            "ordinal_test": "Mann-Whitney U with tie and continuity correction (normal approximation)",
            "score_test": "Welch's t-test",
            "intervals": "Wilson score (proportions), Newcombe hybrid score (differences of proportions), "
                         "t (means)",
        },
        "software": software(),
        "notes": list(comparison.notes),
        "results": [result_dict(row) for row in comparison.results],
    }
