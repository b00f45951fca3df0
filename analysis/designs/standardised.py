"""Group-adjusted means: scores, the knowledge score and the mean scale points of ordinal items, standardised
to the current wave's mix of stakeholder groups (the adjusted rows that lead when the mix changed).

Each wave's mean is Σ w_g · mean_g with w_g = the current wave's respondents of group g over those of all the
groups compared (the groups with at least two answers in both waves): the baseline's group means are applied to
this year's mix, so a change in who answered does not pass for a change in what they answer. The mix is held
fixed, each wave a stratified sample with the groups as strata: the variance of a wave's mean is
Σ w_g² s_g² / n_g, R's svymean(~y, svydesign(ids = ~1, strata = ~group, weights = ~w)), and the difference of
the two independent waves is tested with z and given the z interval of the same variance, so that the interval
and the test always agree.
"""

from __future__ import annotations

import math
from dataclasses import replace

from questionnaires import Questionnaire

from .. import knowledge, stats
from ..results import ALL, Estimate, Result
from ..wavedata import WaveData
from .independent import level_moments, moments

STRATIFIED = "stratified"
TEST = "std_z"
NO_STRATA = "no stakeholder group has answers in both waves: nothing to stratify"


def rows(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, confidence: float,
         knowledge_moments: list[dict] | None) -> list[Result]:
    """One row per ordinal and score item, and the knowledge score: group `all`, design `stratified`."""
    found = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "ordinal":
            parts = [{g: level_moments(data.levels[(item.id, g)]) for g in questionnaire.group_codes
                      if (item.id, g) in data.levels} for data in (baseline, current)]
        elif kind == "score":
            parts = [{g: moments(data, item.id, g) for g in questionnaire.group_codes} for data in (baseline, current)]
        else:
            continue
        found.append(replace(standardised_row(item.id, kind, *parts, confidence), asked_if=item.relevant))
    if questionnaire.knowledge_items and knowledge_moments is not None:
        found.append(standardised_row(knowledge.KNOWLEDGE_SCORE, "score", *knowledge_moments, confidence))
    return found


def standardised_row(key: str, kind: str, base: dict[str, stats.Moments], cur: dict[str, stats.Moments],
                     confidence: float) -> Result:
    """Both waves' means standardised to the current mix of the groups with two answers or more in each."""
    empty = Estimate(0, None, None)
    row = Result(key, ALL, kind, empty, empty, design=STRATIFIED, test=TEST)
    strata = [g for g in cur if g != ALL and g in base and base[g].n > 1 and cur[g].n > 1]
    if not strata:
        return replace(row, test=None, note=NO_STRATA)
    total = sum(cur[g].n for g in strata)
    weights = {g: cur[g].n / total for g in strata}
    z = stats.z_value(confidence)
    waves = []
    for parts in (base, cur):
        mean = sum(weights[g] * parts[g].mean for g in strata)
        variance = sum(weights[g] ** 2 * parts[g].variance / parts[g].n for g in strata)
        half = z * math.sqrt(variance)
        waves.append((Estimate(sum(parts[g].n for g in strata), mean, stats.Interval(mean - half, mean + half)),
                      variance))
    (base_estimate, base_variance), (cur_estimate, cur_variance) = waves
    difference = cur_estimate.estimate - base_estimate.estimate
    se = math.sqrt(base_variance + cur_variance)
    row = replace(row, baseline=base_estimate, current=cur_estimate, difference=difference,
                  note=f"strata: {', '.join(strata)}")
    if stats.is_constant(se, base_estimate.estimate, cur_estimate.estimate):
        return replace(row, test=None).with_note(stats.CONSTANT_NOTE)
    statistic = difference / se
    return replace(row, difference_ci=stats.Interval(difference - z * se, difference + z * se),
                   statistic=statistic, p_value=2 * stats.normal_sf(abs(statistic)))
