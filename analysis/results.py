"""What a comparison gives: `Result` rows, the `Comparison`, and the JSON contract (`to_dict`)."""

from __future__ import annotations

import math
import platform
from dataclasses import dataclass, field, replace
from importlib import metadata
from typing import Any

from questionnaires import Questionnaire

from . import stats
from .wavedata import WaveData

ALL = "all"


@dataclass(frozen=True)
class Estimate:
    n: int
    estimate: float | None
    ci: stats.Interval | None
    deff: float | None = None  # weighted rows: Kish design effect of the weights, n * sum(w^2) / sum(w)^2
    n_effective: float | None = None  # weighted rows: n / deff


@dataclass(frozen=True)
class Result:
    """One compared row: an item (or ITEM/CODE) in one group, by one design."""

    item: str
    group: str
    kind: str  # proportion | ordinal | score
    baseline: Estimate
    current: Estimate
    difference: float | None = None
    difference_ci: stats.Interval | None = None
    test: str | None = None  # chi2 | fisher | mann_whitney | welch_t | cmh | mcnemar_exact | wilcoxon | paired_t | z
    statistic: float | None = None
    df: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    effect_size_name: str | None = None
    effect_size: float | None = None
    note: str | None = None
    design: str = "independent"  # independent | stratified | paired | weighted
    base: str = "answered"  # answered | all: whose share a proportion is
    asked_if: str | None = None  # the item's relevance condition, as written
    family: str | None = None  # the rows adjusted together, e.g. "all/independent/headline"
    role: str = "other"  # headline | other
    effect_size_ci: stats.Interval | None = None
    homogeneity: dict | None = None  # stratified rows: Breslow-Day test of a common odds ratio
    overlap: int | None = None  # independent rows: respondents (same key) in both waves
    # weighted rows: groups of a single respondent behind the estimates (R's survey.lonely.psu = "adjust")
    lonely_groups: tuple[str, ...] = ()

    def with_note(self, note: str | None) -> Result:
        """This row with `note` added to any note it has."""
        if not note:
            return self
        return replace(self, note=f"{self.note}; {note}" if self.note else note)


@dataclass(frozen=True)
class MixTest:
    """Did the mix of stakeholder groups change? R: chisq.test(rbind(baseline_sizes, current_sizes), correct = FALSE)."""

    statistic: float
    df: int
    p_value: float


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
    settings: dict[str, Any] = field(default_factory=dict)  # the designs asked for (stratify, paired, ...)
    # Pearson chi-square of group x wave (None without two groups in the waves), and whether it found the
    # mix of stakeholder groups changed: the `all` rows then mix who answered with what they answered.
    mix_test: MixTest | None = None
    mix_changed: bool = False
    wording_changed: tuple[str, ...] = ()  # items left out by the caller: their wording or codes changed
    # The design a report's headline follows and why (compare.lead_rule): {"design": ..., "reason": ...}.
    lead: dict[str, str] = field(default_factory=lambda: {"design": "independent", "reason": ""})


def software() -> dict[str, str]:
    versions = {"name": "awareness-survey", "version": _version("awareness-survey"),
                "python": platform.python_version()}
    for package in ("numpy", "scipy", "pandas", "svy"):
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


def _estimate(estimate: Estimate, weighted: bool) -> dict[str, Any]:
    found = {"n": estimate.n, "estimate": _number(estimate.estimate), "ci": _interval(estimate.ci)}
    if weighted:  # the design's: Kish design effect of the weights and the effective n
        found.update(deff=_number(estimate.deff), n_effective=_number(estimate.n_effective))
    return found


def result_dict(row: Result) -> dict[str, Any]:
    return {
        "item": row.item, "group": row.group, "design": row.design, "kind": row.kind,
        "base": row.base, "asked_if": row.asked_if, "family": row.family, "role": row.role,
        "baseline": _estimate(row.baseline, row.design == "weighted"),
        "current": _estimate(row.current, row.design == "weighted"),
        "difference": _number(row.difference), "difference_ci": _interval(row.difference_ci),
        "test": row.test, "statistic": _number(row.statistic), "df": _number(row.df),
        "p_value": _number(row.p_value), "p_adjusted": _number(row.p_adjusted),
        "effect_size": None if row.effect_size_name is None else
        {"name": row.effect_size_name, "value": _number(row.effect_size), "ci": _interval(row.effect_size_ci)},
        "effect_size_ci": _interval(row.effect_size_ci),
        "homogeneity": None if row.homogeneity is None else
        {key: _number(value) if isinstance(value, float) else value for key, value in row.homogeneity.items()},
        "overlap": row.overlap,
        "lonely_groups": list(row.lonely_groups),
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
            **comparison.settings,
            "adjust_families": "rows sharing a group, a design and a role (headline or other)",
            "proportion_test": "Pearson chi-square without continuity correction when every expected count "
                               f"is at least {stats.EXPECTED_MINIMUM}, otherwise Fisher's exact test",
            "ordinal_test": "Mann-Whitney U with tie and continuity correction (normal approximation)",
            "score_test": "Welch's t-test",
            "intervals": "Wilson score (proportions), Newcombe hybrid score (differences of proportions), "
                         "t (means)",
            "stratified_test": "Cochran-Mantel-Haenszel without continuity correction (R: mantelhaen.test(x, "
                               "correct = FALSE)) over the groups with answers in both waves; Breslow-Day "
                               "homogeneity; means standardised to the current mix of groups, z test",
            "paired_tests": "exact McNemar (proportions), Wilcoxon signed-rank with tie and continuity correction "
                            "(ordinal), paired t (scores)",
            "weighted_estimator": "stratified-sample mean with finite population correction (R: svymean), "
                                  "items asked only of some as domains of the full design, groups of one "
                                  "respondent as survey.lonely.psu = \"adjust\"; shares with the logit interval "
                                  "(R: svyciprop), Korn-Graubard at 0 and 1; z test of the difference; "
                                  "engine svy",
            "effect_size_intervals": "Cohen's h and Hedges' g: normal approximation; MH odds ratio: "
                                     "Robins-Breslow-Greenland",
        },
        "software": software(),
        "mix_changed": comparison.mix_changed,
        "mix_test": None if comparison.mix_test is None else
        {"test": "chi2", "statistic": _number(comparison.mix_test.statistic), "df": comparison.mix_test.df,
         "p_value": _number(comparison.mix_test.p_value)},
        "wording_changed": list(comparison.wording_changed),
        "lead": dict(comparison.lead),
        "notes": list(comparison.notes),
        "results": [result_dict(row) for row in comparison.results],
    }
