"""Weighted to the population: each group counts by its size, not by how many of it answered.

A stratified random sample, strata the stakeholder groups, with a finite population
correction: R's svymean(~y, svydesign(ids = ~1, strata = ~group, fpc = ~N, data = ...)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from scipy import stats as distributions

from questionnaires import Questionnaire

from .. import knowledge, stats
from ..results import ALL, Estimate, Result
from ..wavedata import InputError, WaveData, proportion_keys
from .independent import UNKNOWN_BASE, counts, moments

WEIGHTED = "weighted"


def check_population(population: dict[str, int], baseline: WaveData, current: WaveData) -> None:
    """Every group with respondents has a population at least as large; InputError naming the group."""
    problems = []
    for wave, data in (("baseline", baseline), ("current wave", current)):
        for group, size in data.group_sizes.items():
            if size == 0:
                continue
            if group == ALL:
                problems.append(f"population: the {wave} has no stakeholder groups (a counts table without a "
                                "group column): it cannot be weighted")
            elif group not in population:
                problems.append(f"population: group {group!r} has {size} respondent(s) in the {wave} but no "
                                "population size")
            elif size > population[group]:
                problems.append(f"population: group {group!r} has {size} respondents in the {wave}, more than "
                                f"its population of {population[group]}")
    if problems:
        raise InputError(problems)


@dataclass(frozen=True)
class StratumMean:
    group: str
    n: int
    mean: float
    variance: float  # sample variance (ddof 1); NaN for a single respondent


@dataclass(frozen=True)
class WeightedMean:
    estimate: float
    variance: float
    lonely: tuple[str, ...]  # groups of a single respondent: no variance within them


def weighted_mean(parts: list[StratumMean], population: dict[str, int]) -> WeightedMean | None:
    """Sum of W_g * mean_g, W_g = N_g / N over the groups with answers; variance
    Sum of W_g^2 (1 - n_g/N_g) s_g^2 / n_g. A group of one contributes no variance (R's
    options(survey.lonely.psu = "remove"))."""
    parts = [p for p in parts if p.n > 0]
    if not parts:
        return None
    total = sum(population[p.group] for p in parts)
    estimate = variance = 0.0
    for part in parts:
        weight = population[part.group] / total
        estimate += weight * part.mean
        if part.n > 1:
            variance += weight**2 * (1 - part.n / population[part.group]) * part.variance / part.n
    return WeightedMean(estimate, variance, tuple(p.group for p in parts if p.n == 1 and population[p.group] > 1))


def rows(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, population: dict[str, int],
         confidence: float, base: str, knowledge_items: list) -> list[Result]:
    """Group `all`, design `weighted`: every proportion and score item, and the knowledge score."""
    found = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "proportion":
            for key, _codes in proportion_keys(item):
                parts = [_proportion_parts(data, item, key, base) for data in (baseline, current)]
                if None in parts:
                    parts = [_proportion_parts(data, item, key, "answered") for data in (baseline, current)]
                    row = _row(key, "proportion", *parts, population, confidence).with_note(
                        UNKNOWN_BASE)
                else:
                    row = replace(_row(key, "proportion", *parts, population, confidence), base=base)
                found.append(replace(row, asked_if=item.relevant))
        elif kind == "score":
            parts = [[_moment_part(g, moments(data, item.id, g)) for g in data.group_sizes if g != ALL]
                     for data in (baseline, current)]
            found.append(_row(item.id, "score", *parts, population, confidence))
    if questionnaire.knowledge_items and baseline.records is not None and current.records is not None:
        parts = [[_moment_part(g, m) for g, m in knowledge.moments_by_group(data, knowledge_items).items()]
                 for data in (baseline, current)]
        found.append(_row(knowledge.KNOWLEDGE_SCORE, "score", *parts, population, confidence))
    return [replace(row, design=WEIGHTED) for row in found]


def _proportion_parts(data: WaveData, item, key: str, base: str) -> list[StratumMean] | None:
    parts = []
    for group in data.group_sizes:
        pair = counts(data, key, group, item, base)
        if pair is None:
            return None
        x, n = pair
        p = x / n if n else math.nan
        parts.append(StratumMean(group, n, p, p * (1 - p) * n / (n - 1) if n > 1 else math.nan))
    return parts


def _moment_part(group: str, m: stats.Moments) -> StratumMean:
    return StratumMean(group, m.n, m.mean, m.variance)


def differing_groups(base_parts: list[StratumMean], cur_parts: list[StratumMean]) -> str | None:
    """A note when a group answered in one wave only: each estimate then stands for a different set of groups."""
    answered = [{p.group for p in parts if p.n > 0} for parts in (base_parts, cur_parts)]
    details = [f"{', '.join(repr(g) for g in sorted(only))} only in the {wave}" for only, wave in (
        (answered[0] - answered[1], "baseline"), (answered[1] - answered[0], "current wave")) if only]
    if not details:
        return None
    return f"each wave is weighted over the groups that answered in it, and these differ ({', '.join(details)})"


def _estimate(mean: WeightedMean | None, n: int, z: float) -> Estimate:
    if mean is None:
        return Estimate(0, None, None)
    half = z * math.sqrt(mean.variance)
    return Estimate(n, mean.estimate, stats.Interval(mean.estimate - half, mean.estimate + half))


def _row(key, kind, base_parts, cur_parts, population, confidence) -> Result:
    z = stats.z_value(confidence)
    means = [weighted_mean(parts, population) for parts in (base_parts, cur_parts)]
    sizes = [sum(p.n for p in parts if p.n > 0) for parts in (base_parts, cur_parts)]
    row = Result(key, ALL, kind, _estimate(means[0], sizes[0], z), _estimate(means[1], sizes[1], z), test="z")
    if None in means:
        return replace(row, test=None, note="no answers in the baseline" if means[0] is None else
                       "no answers in the current wave")
    lonely = sorted(set(means[0].lonely) | set(means[1].lonely))
    notes = [differing_groups(base_parts, cur_parts),
             f"group(s) of a single respondent, no variance within them: {', '.join(lonely)}" if lonely else None]
    note = "; ".join(n for n in notes if n) or None
    difference = means[1].estimate - means[0].estimate
    se = math.sqrt(means[0].variance + means[1].variance)
    if stats.is_constant(se, means[0].estimate, means[1].estimate):
        census = all(p.n >= population[p.group] for parts in (base_parts, cur_parts) for p in parts if p.n > 0)
        reason = "every group answered in full: no sampling error, no test" if census else stats.CONSTANT_NOTE
        return replace(row, difference=difference, note=reason).with_note(note)
    statistic = difference / se
    return replace(row, difference=difference, difference_ci=stats.Interval(difference - z * se, difference + z * se),
                   statistic=statistic, p_value=float(2 * distributions.norm.sf(abs(statistic))), note=note)
