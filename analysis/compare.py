"""Compare the current wave with the baseline: every design asked for, adjusted within families.

The designs live in analysis/designs/ (independent, stratified, paired, weighted); this module
chooses the groups, gathers the rows, adds the notes a reviewer needs (group mix, panel overlap)
and adjusts p-values within families.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import stats as distributions

from questionnaires import Questionnaire

from . import knowledge, stats
from .designs import independent, paired, standardised, stratified, weighted
from .designs import rake as raking
from .designs.rake import Margins
from .results import ALL, Comparison, Estimate, MixTest, Result, result_dict, software, to_dict
from .wavedata import WaveData

__all__ = ["ALL", "Comparison", "Estimate", "MixTest", "Result", "compare", "result_dict", "software", "to_dict"]

KNOWLEDGE_SCORE = knowledge.KNOWLEDGE_SCORE
BASES = ("answered", "all")
MIX_ALPHA = 0.05
PAIRED_SUGGESTION = ("most respondents answered both years: a paired comparison (--paired) would compare each "
                     "with themselves and lead the report")


def compare(questionnaire: Questionnaire, baseline: WaveData, current: WaveData, *,
            by_group: bool = False, adjust: str = "holm", confidence: float = 0.95,
            notes: tuple[str, ...] = (), stratify: bool = False, paired: bool = False,
            population: dict[str, int] | None = None, base: str = "answered",
            wording_changed: tuple[str, ...] = (), rake: Margins | None = None) -> Comparison:
    """Every comparable item for group `all` and, with by_group, each group present in both waves;
    with stratify, paired or population, the rows of those designs besides. `wording_changed` names the
    items the caller left out of the baseline because their wording or codes changed (with a note saying so).
    `rake` (analysis/designs/rake.py) gives the population sizes and the margins to rake the weighted rows to."""
    _check_settings(adjust, confidence, base)
    rakings = None
    if rake is not None:
        if population is not None and population != rake.population:
            raise ValueError("rake gives the group sizes itself: give population=None (or the same sizes)")
        population = rake.population
        weighted.check_population(population, baseline, current)
        rakings = (raking.raking(baseline, rake, "the baseline"), raking.raking(current, rake, "the current wave"))
    elif population is not None:
        weighted.check_population(population, baseline, current)
    notes = list(notes)
    groups = _groups(questionnaire, baseline, current, by_group, notes)
    knowledge_items = knowledge.common_items(questionnaire, baseline, current)[0]
    # Each respondent's knowledge score, reduced per group once for all the rows that need it.
    knowledge_moments = None
    if baseline.records is not None and current.records is not None:
        knowledge_moments = [knowledge.moments_by_group(data, knowledge_items) for data in (baseline, current)]
    rows: list[Result] = []
    for group in groups:
        rows += independent.rows(questionnaire, baseline, current, group, confidence, base, knowledge_moments)
    rows = _with_overlap(rows, baseline, current, paired, notes)
    mix = mix_test(baseline, current)
    mix_changed = mix is not None and mix.p_value < MIX_ALPHA
    pairs = _paired_rows(questionnaire, baseline, current, groups, confidence, base, knowledge_items, notes) \
        if paired else []
    lead = lead_rule(paired=bool(pairs), weighted=population is not None, mix_changed=mix_changed)
    if mix_changed:
        notes.append(mix_note(mix, lead))
    adjusted = stratify or lead["design"] == stratified.STRATIFIED
    if adjusted:
        rows += stratified.rows(questionnaire, baseline, current, confidence, base)
        rows += standardised.rows(questionnaire, baseline, current, confidence, knowledge_moments)
    if population is not None:
        rows += weighted.rows(questionnaire, baseline, current, population, confidence, base, knowledge_items,
                              rakings)
    rows += pairs
    rows = _said_once_when_empty(rows, baseline, current, notes)
    rows = _with_roles(questionnaire, rows)
    settings = {"stratify": adjusted, "stratify_asked": stratify, "paired": paired,
                "weighted": population is not None, "base": base,
                "population": dict(population) if population is not None else None,
                "rake": None if rake is None else {"source": rake.source, "variables": [raking.GROUP, *rake.variables],
                                                   "margins": rake.sizes, "trim": rake.trim}}
    return Comparison(questionnaire, baseline, current, confidence, adjust, by_group,
                      tuple(_adjusted(rows, adjust)), tuple(notes), settings, mix_test=mix, mix_changed=mix_changed,
                      wording_changed=tuple(wording_changed), lead=lead)


def _said_once_when_empty(rows: list[Result], baseline: WaveData, current: WaveData, notes: list[str]) -> list[Result]:
    """A wave with no responses at all (a wave of the database not fielded yet): said once among the comparison's
    notes, naming the wave, instead of "no answers in the current wave" under every row."""
    empty = [(data.source, role) for data, role in ((baseline, "the baseline"), (current, "the current wave"))
             if not data.groups]
    if not empty:
        return rows
    waves = " and ".join(f"{source} ({role})" for source, role in empty)
    notes.insert(0, f"{waves} {'has' if len(empty) == 1 else 'have'} no responses: no item can be compared")
    return [replace(row, note=_without_missing(row.note)) for row in rows]


def _without_missing(note: str | None) -> str | None:
    """A row's note without the "no answers in …" that the comparison's note says once for every row."""
    kept = [part for part in (note or "").split("; ") if part and part not in independent.MISSING_NOTES]
    return "; ".join(kept) or None


# The lead design: the rows a report's headline follows, by a documented rule (docs/report.md).
LEAD_REASONS = {
    "paired": "the same respondents answered both waves and a paired comparison was asked for",
    "weighted": "the population size of each stakeholder group is known",
    "stratified": "the mix of stakeholder groups changed between the waves (Pearson chi-square of group by wave, "
                  f"p < {MIX_ALPHA})",
    "independent": "no pairs were asked for, no population sizes were given and the mix of groups did not change",
}


def lead_rule(*, paired: bool, weighted: bool, mix_changed: bool) -> dict[str, str]:
    """Paired when asked for; else weighted when population sizes are known; else adjusted for group
    (stratified) when the mix test fires; else independent."""
    design = "paired" if paired else "weighted" if weighted else "stratified" if mix_changed else "independent"
    return {"design": design, "reason": LEAD_REASONS[design]}


def _check_settings(adjust: str, confidence: float, base: str) -> None:
    if adjust not in stats.ADJUSTMENTS:
        raise ValueError(f"adjust must be one of {', '.join(stats.ADJUSTMENTS)}, not {adjust!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence}")
    if base not in BASES:
        raise ValueError(f"base must be one of {', '.join(BASES)}, not {base!r}")


def _groups(questionnaire, baseline, current, by_group, notes) -> list[str]:
    groups = [ALL]
    if by_group:
        for group in questionnaire.group_codes:
            in_base, in_cur = group in baseline.groups, group in current.groups
            if in_base and in_cur:
                groups.append(group)
            elif in_base or in_cur:
                wave = "baseline" if in_base else "current wave"
                notes.append(f"group {group!r} is only in the {wave}: not compared")
    return groups


# ---------------------------------------------------------------- notes a reviewer needs


def _with_overlap(rows, baseline, current, want_pairs, notes) -> list[Result]:
    """Independent rows say how many respondents (same key) answered both years."""
    if baseline.records is None or current.records is None:
        return rows
    shared = paired.shared_keys(baseline, current)
    if shared and not want_pairs:
        notes.append(f"{len(shared)} respondent(s) answered both years (same respondent key): the independent "
                     "rows treat them as separate people; --paired compares them as pairs")
        if 2 * len(shared) > min(len(baseline.records), len(current.records)):
            notes.append(PAIRED_SUGGESTION)
    if not shared:
        return [replace(row, overlap=0) for row in rows]
    by_group = current.records[current.records["respondent"].isin(shared)]["group"].value_counts()
    note = f"{len(shared)} respondent(s) answered both years; see the paired rows" if want_pairs else \
        f"{len(shared)} respondent(s) answered both years: not independent samples (--paired)"
    return [replace(row, overlap=len(shared) if row.group == ALL else int(by_group.get(row.group, 0)))
            .with_note(note if row.group == ALL else None) for row in rows]


def mix_test(baseline: WaveData, current: WaveData) -> MixTest | None:
    """Pearson chi-square of group x wave, or None without two groups.
    R: chisq.test(rbind(baseline_sizes, current_sizes), correct = FALSE)."""
    groups = [g for g in dict.fromkeys([*baseline.group_sizes, *current.group_sizes]) if g != ALL
              and (baseline.group_sizes.get(g, 0) or current.group_sizes.get(g, 0))]
    if len(groups) < 2:
        return None
    table = np.array([[data.group_sizes.get(g, 0) for g in groups] for data in (baseline, current)], dtype=float)
    if (table.sum(axis=1) == 0).any():
        return None
    result = distributions.chi2_contingency(table, correction=False)
    return MixTest(float(result.statistic), int(result.dof), float(result.pvalue))


def mix_note(test: MixTest, lead: dict) -> str:
    """One note (not one per row): the mix changed, and which rows allow for it."""
    pointer = {"stratified": "the rows adjusted for group (stratified) lead",
               "weighted": "the weighted rows lead", "paired": "the paired rows lead"}[lead["design"]]
    return (f"the group mix differs between the waves (Pearson chi-square({test.df}) = {test.statistic:.3g}, "
            f"p = {test.p_value:.2g}): the unadjusted rows of all stakeholders mix a change in who answered with "
            f"a change in answers; {pointer}")


def _paired_rows(questionnaire, baseline, current, groups, confidence, base, knowledge_items, notes):
    if baseline.records is None or current.records is None:
        notes.append("paired rows need respondent files with a respondent key in both waves: none given")
        return []
    pairs = paired.matched(baseline, current)
    if pairs.empty:
        notes.append("no respondent key is in both waves: no paired rows")
        return []
    return [row for group in groups
            for row in paired.rows(questionnaire, pairs, group, confidence, base, knowledge_items)]


# ---------------------------------------------------------------- families and adjustment


def _with_roles(questionnaire: Questionnaire, rows: list[Result]) -> list[Result]:
    """Role headline for items marked `headline: true` (the knowledge score when any knowledge item
    is); family (group, design, role), or (group, design) when no item is a headline."""
    headline = {item.id for item in questionnaire.items if item.headline}
    if any(item.headline for item in questionnaire.knowledge_items):
        headline.add(KNOWLEDGE_SCORE)
    result = []
    for row in rows:
        role = "headline" if row.item.split("/")[0] in headline else "other"
        family = f"{row.group}/{row.design}" + (f"/{role}" if headline else "")
        result.append(replace(row, role=role, family=family))
    return result


def _adjusted(rows: list[Result], method: str) -> list[Result]:
    """Adjust p-values within each family."""
    adjusted = list(rows)
    families: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.p_value is not None:
            families.setdefault(row.family, []).append(index)
    for members in families.values():
        values = stats.adjust_p_values([rows[i].p_value for i in members], method)
        for index, value in zip(members, values, strict=True):
            adjusted[index] = replace(rows[index], p_adjusted=value)
    return adjusted
