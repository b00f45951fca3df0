"""Weighted to the population: each group counts by its size, not by how many of it answered.

A stratified random sample, strata the stakeholder groups, with a finite population correction:
R's svydesign(ids = ~1, strata = ~group, fpc = ~N, data = ...), estimated by analysis/designs/engine.py (svy).
An item asked only of some is a domain of the wave's design: svymean(~y, subset(design, !is.na(y))), shares
with svyciprop(method = "logit"). Single-respondent groups: options(survey.lonely.psu = "adjust").
With margins (`--rake`), the weights are raked first: analysis/designs/rake.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from questionnaires import Questionnaire

from .. import knowledge, stats
from ..results import ALL, Estimate, Result
from ..wavedata import APPLIES, InputError, WaveData, proportion_keys
from .engine import LONELY_PSU, Design, DesignMean, Raking
from .independent import NO_ANSWERS_IN_BASELINE, NO_ANSWERS_IN_CURRENT, UNKNOWN_BASE, counts

WEIGHTED = "weighted"
ALL_BASE = "·all"  # suffix of a proportion's column with base `all`: not asked counts as not successful


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


def rows(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, population: dict[str, int],
         confidence: float, base: str, knowledge_items: list, rakings: tuple | None = None) -> list[Result]:
    """Group `all`, design `weighted`: every proportion and score item, and the knowledge score.
    `rakings`, when given, holds what to rake each wave's design to (engine.Raking)."""
    with_knowledge = bool(questionnaire.knowledge_items) and baseline.records is not None \
        and current.records is not None
    designs = [design_of(questionnaire, data, population, knowledge_items if with_knowledge else None,
                         None if rakings is None else rakings[i]) for i, data in enumerate((baseline, current))]
    found = []
    for item in questionnaire.answerable_items:
        kind = item.analysis_kind
        if kind == "proportion":
            for key, _codes in proportion_keys(item):
                unknown = base == "all" and any(counts(data, key, ALL, item, base) is None
                                                 for data in (baseline, current))
                column = key + ALL_BASE if base == "all" and not unknown else key
                row = _row(key, "proportion", designs, column, population, confidence)
                row = row.with_note(UNKNOWN_BASE) if unknown else replace(row, base=base)
                found.append(replace(row, asked_if=item.relevant))
        elif kind == "score":
            found.append(_row(item.id, "score", designs, item.id, population, confidence))
    if with_knowledge:
        found.append(_row(knowledge.KNOWLEDGE_SCORE, "score", designs, knowledge.KNOWLEDGE_SCORE, population,
                          confidence))
    return [replace(row, design=WEIGHTED) for row in found]


def design_of(questionnaire: Questionnaire, data: WaveData, population: dict[str, int], knowledge_items,
              raking: Raking | None = None) -> Design:
    """The wave's design over all its respondents, one column per proportion key (and key + ALL_BASE) and
    score item; a counts table's groups become records with the same count, mean and variance."""
    if data.records is None:
        return _counts_design(questionnaire, data, population)
    records = data.records
    values = {}
    for item in questionnaire.answerable_items:
        if item.analysis_kind == "proportion":
            for key, _codes in proportion_keys(item):
                if key in records:
                    values[key] = records[key].to_numpy(dtype=float)
                    applies = APPLIES + item.id
                    if applies in records:  # base `all`: those not asked count as not successful
                        values[key + ALL_BASE] = np.where(records[applies].to_numpy(dtype=bool), values[key], 0.0)
                    else:
                        values[key + ALL_BASE] = values[key]
        elif item.analysis_kind == "score" and item.id in records:
            values[item.id] = records[item.id].to_numpy(dtype=float)
    if knowledge_items is not None:
        values[knowledge.KNOWLEDGE_SCORE] = knowledge.scores(data, knowledge_items)
    return Design(records["group"].to_numpy(), population, values, raking)


def _counts_design(questionnaire: Questionnaire, data: WaveData, population: dict[str, int]) -> Design:
    """A counts table's sufficient statistics as records: for a stratified sample the design-based mean,
    its variance and the domains depend on each group's count, sum and sum of squares only."""
    groups = [g for g, size in data.group_sizes.items() if size > 0]
    sizes = [data.group_sizes[g] for g in groups]
    values = {}
    for item in questionnaire.answerable_items:
        if item.analysis_kind == "proportion":
            for key, _codes in proportion_keys(item):
                values[key] = np.concatenate([_binary(*data.proportions.get((key, g), (0, 0)), size)
                                              for g, size in zip(groups, sizes, strict=True)])
        elif item.analysis_kind == "score":
            values[item.id] = np.concatenate([_spread(data.moments.get((item.id, g)), size)
                                              for g, size in zip(groups, sizes, strict=True)])
    return Design(np.repeat(np.array(groups, dtype=object), sizes), population, values)


def _binary(successes: int, answered: int, size: int) -> np.ndarray:
    return np.concatenate([np.ones(successes), np.zeros(answered - successes), np.full(size - answered, np.nan)])


def _spread(moments: stats.Moments | None, size: int) -> np.ndarray:
    """n values with the given mean and sample variance: mean +- a, the rest at the mean, a^2 = var (n - 1) / 2."""
    if moments is None or moments.n == 0:
        return np.full(size, np.nan)
    values = np.full(moments.n, moments.mean)
    if moments.n > 1:
        half = math.sqrt(moments.variance * (moments.n - 1) / 2)
        values[0] += half
        values[1] -= half
    return np.concatenate([values, np.full(size - moments.n, np.nan)])


@dataclass(frozen=True)
class StratumMean:
    """A group's answers by their count, mean and sample variance (NaN for one respondent)."""

    group: str
    n: int
    mean: float
    variance: float


@dataclass(frozen=True)
class WeightedMean:
    estimate: float
    variance: float
    lonely: tuple[str, ...]  # groups of a single respondent (survey.lonely.psu = "adjust")


def weighted_mean(parts: list[StratumMean], population: dict[str, int],
                  group_sizes: dict[str, int] | None = None) -> WeightedMean | None:
    """svymean of the design from each group's count, mean and variance (records with the same moments);
    with `group_sizes` (each group's respondents, answered or not) the answers are a domain of that design,
    as compare's weighted rows are. None when no group has answers."""
    parts = [p for p in parts if p.n > 0]
    if not parts:
        return None
    sizes = {p.group: (group_sizes or {}).get(p.group, p.n) for p in parts}
    values = np.concatenate([_spread(stats.Moments(p.n, p.mean, p.variance), sizes[p.group]) for p in parts])
    design = Design(np.repeat(np.array([p.group for p in parts], dtype=object), [sizes[p.group] for p in parts]),
                    population, {"y": values})
    mean = design.mean("y", proportion=False, confidence=0.95)
    return WeightedMean(mean.estimate, mean.se ** 2, mean.lonely)


def differing_groups(base_groups: tuple[str, ...], current_groups: tuple[str, ...]) -> str | None:
    """A note when a group answered in one wave only: each estimate then stands for a different set of groups."""
    answered = [set(base_groups), set(current_groups)]
    details = [f"{', '.join(repr(g) for g in sorted(only))} only in the {wave}" for only, wave in (
        (answered[0] - answered[1], "baseline"), (answered[1] - answered[0], "current wave")) if only]
    if not details:
        return None
    return f"each wave is weighted over the groups that answered in it, and these differ ({', '.join(details)})"


def _estimate(mean: DesignMean | None) -> Estimate:
    if mean is None:
        return Estimate(0, None, None)
    return Estimate(mean.n, mean.estimate, mean.ci, deff=mean.deff, n_effective=mean.n_effective)


def _row(key, kind, designs, column, population, confidence) -> Result:
    means = [design.mean(column, proportion=kind == "proportion", confidence=confidence)
             if column in design.values else None for design in designs]
    row = Result(key, ALL, kind, _estimate(means[0]), _estimate(means[1]), test="z")
    if None in means:
        return replace(row, test=None, note=NO_ANSWERS_IN_BASELINE if means[0] is None else NO_ANSWERS_IN_CURRENT)
    lonely = tuple(sorted(set(means[0].lonely) | set(means[1].lonely)))
    notes = [differing_groups(means[0].groups, means[1].groups),
             f"group(s) of a single respondent, their variance estimated as R's survey.lonely.psu = "
             f"\"{LONELY_PSU}\" does: {', '.join(lonely)}" if lonely else None]
    row = replace(row, lonely_groups=lonely)
    note = "; ".join(n for n in notes if n) or None
    difference = means[1].estimate - means[0].estimate
    se = math.sqrt(means[0].se ** 2 + means[1].se ** 2)
    z = stats.z_value(confidence)
    if stats.is_constant(se, means[0].estimate, means[1].estimate):
        census = means[0].census and means[1].census
        reason = "every group answered in full: no sampling error, no test" if census else stats.CONSTANT_NOTE
        return replace(row, difference=difference, note=reason).with_note(note)
    statistic = difference / se
    return replace(row, difference=difference, difference_ci=stats.Interval(difference - z * se, difference + z * se),
                   statistic=statistic, p_value=2 * stats.normal_sf(abs(statistic)), note=note)
