"""Every wave compared with the one before and with the first, and a trend test over them all.

A row is one key (item, ITEM/CODE or the knowledge score) in one group by one design, over the waves
that hold it. Steps between waves come from the very functions `compare` uses for that pair and design
(analysis/designs/); the trend test is in `models`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import stats as distributions

from questionnaires import Questionnaire

from .. import knowledge, stats
from ..compare import MIX_ALPHA, _adjusted, _check_settings, _with_roles, lead_rule
from ..designs import glm, independent, standardised, stratified, weighted
from ..designs import rake as raking
from ..designs.rake import Margins
from ..results import ALL, Estimate, MixTest, Result
from ..wavedata import InputError, WaveData
from . import models, series

FEW_WAVES = 4  # NCHS: a regression on time once there are four or more time points
FEW_WAVES_NOTE = "fewer than four waves: the trend test has little power"
DESIGNS = ("independent", "stratified", "weighted")
RAKED_SLOPE_NOTE = ("the weighted rows are raked, each wave to the same margins; the trend test of a raked row "
                    "takes the raked weights as they are, giving the raking no credit in its variance (conservative)")



@dataclass(frozen=True)
class Step:
    """From one wave to a later one: the difference and compare's test of it."""

    start: str
    end: str
    difference: float | None
    difference_ci: stats.Interval | None
    test: str | None
    statistic: float | None
    df: float | None
    p_value: float | None
    note: str | None = None
    p_adjusted: float | None = None


@dataclass(frozen=True)
class WaveEstimate:
    wave: str
    position: float
    estimate: Estimate


@dataclass(frozen=True)
class TrendRow:
    item: str
    group: str
    design: str
    kind: str
    waves: tuple[WaveEstimate, ...]
    steps: tuple[Step, ...]
    from_first: tuple[Step, ...]
    trend: models.TrendFit | None
    base: str = "answered"
    asked_if: str | None = None
    note: str | None = None
    family: str | None = None
    role: str = "other"
    p_value: float | None = None  # the trend test's, adjusted within the family like compare's rows
    p_adjusted: float | None = None


@dataclass(frozen=True)
class Trend:
    questionnaire: Questionnaire
    labels: tuple[str, ...]
    positions: tuple[float, ...]
    waves: tuple[WaveData, ...]
    confidence: float
    adjust: str
    by_group: bool
    results: tuple[TrendRow, ...]
    notes: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    mix_test: MixTest | None = None  # Pearson chi-square of group x wave over every wave
    mix_changed: bool = False
    lead: dict[str, str] = field(default_factory=lambda: {"design": "independent", "reason": ""})  # compare's rule


def positions_of(labels: list[str]) -> tuple[list[float], str]:
    """Each wave's position: its label's number when every label is a whole number (a skipped year
    counts), else its place in the order given; and which of the two it is."""
    try:
        numbers = [int(label) for label in labels]
    except ValueError:
        return [float(i) for i in range(1, len(labels) + 1)], "order"
    if len(set(numbers)) < len(numbers) or numbers != sorted(numbers):
        raise InputError([f"the waves {', '.join(labels)} are numbered out of order or twice: give them in "
                          "time order, each once"])
    return [float(n) for n in numbers], "label"


def trend(questionnaire: Questionnaire, waves: list[tuple[str, WaveData]], *, by_group: bool = False,
          stratify: bool = False, populations: dict[str, dict[str, int]] | None = None, base: str = "answered",
          confidence: float = 0.95, adjust: str = "holm", notes: tuple[str, ...] = (),
          lonely: str = weighted.LONELY_PSU, rake: Margins | None = None) -> Trend:
    """The trend of every key over `waves` ((label, data), in time order). `populations`: each wave's group
    sizes (by label) for the weighted rows; `lonely`: R's survey.lonely.psu for a stratum of one; `rake`: the
    margins every wave's weighted rows are raked to (the same file for every wave; its group margin gives the
    population sizes, so `populations` must be None)."""
    _check_settings(adjust, confidence, base)
    if rake is not None:
        if populations is not None:
            raise ValueError("rake gives the group sizes itself: give populations=None")
        populations = {label: rake.population for label, _data in waves}
    if len(waves) < 2:
        raise InputError(["a trend needs at least two waves"])
    labels = [label for label, _data in waves]
    if len(set(labels)) < len(labels):
        raise InputError([f"a wave is named twice: {', '.join(labels)}"])
    positions, scoring = positions_of(labels)
    if populations is not None:
        check_populations(populations, waves)
    notes = list(notes)
    datas, knowledge_items, left_out = _common_knowledge(questionnaire, [data for _label, data in waves], notes)
    maker = _Rows(questionnaire, labels, positions, datas, (knowledge_items, left_out), base, confidence, lonely)
    groups = [ALL] + ([g for g in questionnaire.group_codes if any(g in data.groups for data in datas)]
                      if by_group else [])
    rows = [maker.row(key, group, "independent") for group in groups for key in series.keys(questionnaire)]
    mix = mix_test(datas)
    mix_changed = mix is not None and mix.p_value < MIX_ALPHA
    # As compare: adjusted for group without being asked when the mix of groups changed.
    lead = lead_rule(paired=False, weighted=populations is not None, mix_changed=mix_changed)
    adjusted = stratify or lead["design"] == "stratified"
    if adjusted:
        rows += [maker.row(key, ALL, "stratified") for key in series.keys(questionnaire)]
    if populations is not None:
        maker.populations = populations
        if rake is not None:
            maker.rakings = {i: raking.raking(data, rake, f"wave {label}") for i, (label, data) in enumerate(waves)}
            notes.append(RAKED_SLOPE_NOTE)
        rows += [maker.row(key, ALL, "weighted") for key in series.keys(questionnaire) if key.kind != "ordinal"]
    rows = [row for row in rows if row is not None]
    rows = _adjusted(_with_roles(questionnaire, rows), adjust)
    rows = _steps_adjusted(rows, adjust)
    settings = {"stratify": adjusted, "stratify_asked": stratify, "weighted": populations is not None, "base": base,
                "positions": scoring, "lonely_psu": lonely,
                "populations": {label: dict(sizes) for label, sizes in populations.items()} if populations else None,
                "rake": None if rake is None else {"source": rake.source, "variables": [raking.GROUP, *rake.variables],
                                                   "margins": rake.sizes, "trim": rake.trim}}
    if mix_changed:
        notes.append(f"the group mix differs between the waves (Pearson chi-square({mix.df}) = {mix.statistic:.3g}, "
                     f"p = {mix.p_value:.2g}): the independent rows mix a change in who answered with a change in "
                     "answers; see the stratified rows")
    return Trend(questionnaire, tuple(labels), tuple(positions), tuple(datas), confidence, adjust, by_group,
                 tuple(rows), tuple(notes), settings, mix, mix_changed, lead)


def mix_test(datas: list[WaveData]) -> MixTest | None:
    """Did the mix of stakeholder groups change over the waves? compare's test, over every wave:
    R's chisq.test(table of respondents by wave and group, correct = FALSE); None without two groups."""
    groups = [g for g in dict.fromkeys(g for data in datas for g in data.group_sizes)
              if g != ALL and any(data.group_sizes.get(g, 0) for data in datas)]
    table = np.array([[data.group_sizes.get(g, 0) for g in groups] for data in datas], dtype=float)
    if len(groups) < 2 or (table.sum(axis=1) == 0).any():
        return None
    result = distributions.chi2_contingency(table, correction=False)
    return MixTest(float(result.statistic), int(result.dof), float(result.pvalue))


def check_populations(populations: dict[str, dict[str, int]], waves: list[tuple[str, WaveData]]) -> None:
    """compare's check of the population sizes, wave by wave; InputError naming wave and group."""
    from ..designs.weighted import check_population

    problems = []
    for label, data in waves:
        if label not in populations:
            problems.append(f"population: no sizes for wave {label}")
            continue
        try:
            check_population(populations[label], data, data)
        except InputError as error:  # each problem is found twice (the wave as baseline and as current)
            problems += [p.replace("the baseline", f"wave {label}") for p in error.problems if "current" not in p]
    if problems:
        raise InputError(problems)


def _common_knowledge(questionnaire, datas: list[WaveData], notes: list[str]):
    """The knowledge items answered in every wave with respondent rows: the score is over those in every wave
    (as compare scores over the items answered in both); the waves' data without the others, those items, the
    others."""
    holding = [data for data in datas if data.records is not None]
    items = [item for item in questionnaire.knowledge_items if all(knowledge.answered(data, item) for data in holding)]
    left_out = [item for item in questionnaire.knowledge_items if item not in items]
    if questionnaire.knowledge_items and holding and left_out:
        notes.append(knowledge.left_out_note(items, left_out).replace("both waves", "every wave"))
    dropped = {item.id for item in left_out}
    return [replace(data, items=data.items - dropped) for data in datas], items, left_out


class _Rows:
    """Builds the rows, keeping each pair of waves' compare rows once made."""

    def __init__(self, questionnaire, labels, positions, datas, knowledge, base, confidence, lonely):
        self.questionnaire, self.labels, self.positions, self.datas = questionnaire, labels, positions, datas
        self.base, self.confidence, self.lonely = base, confidence, lonely
        # (the knowledge items every wave answered, the others): _common_knowledge's, which dropped the others from
        # the waves, so that they are also knowledge.common_items of any two of them.
        self.knowledge = knowledge
        self.knowledge_items = knowledge[0]
        self.populations: dict[str, dict[str, int]] = {}
        self.rakings: dict[int, Any] = {}  # wave index -> what its weighted design is raked to (--rake)
        self._pairs: dict[tuple[int, int, str, str], dict[str, Result]] = {}
        self._designs: dict[int, Any] = {}
        self._knowledge: dict[int, dict[str, stats.Moments]] = {}

    def row(self, key: series.Key, group: str, design: str) -> TrendRow | None:
        held = [i for i, data in enumerate(self.datas) if series.holds(data, key, self.knowledge_items)]
        if design == "weighted":
            wave_cells = {i: series.cells(self.datas[i], key, self.positions[i], self.base, self.knowledge_items,
                                          self.populations[self.labels[i]], self._known(i, key)) for i in held}
            column = series.weighted_column(key, self.base, [self.datas[i] for i in held])
            shown = {i: weighted._estimate(self._design(i).mean(column, proportion=key.kind == "proportion",
                                                                confidence=self.confidence)
                                           if column in self._design(i).values else None) for i in held}
        else:
            summaries = {i: series.summary(self.datas[i], key, group, self.base, self.knowledge_items,
                                           self._known(i, key)) for i in held}
            shown = {i: series.estimate(summaries[i], key.kind, self.confidence) for i in held}
            if design == "stratified":  # standardised to the last wave's mix, as compare's baseline
                shown = {i: self._pair(i, held[-1], ALL, design)[key.key].baseline for i in held}
        used = [i for i in held if shown[i].n > 0]
        note = self._missing_note(key, group, used)
        waves = tuple(WaveEstimate(self.labels[i], self.positions[i], shown[i]) for i in used)
        row = TrendRow(key.key, group, design, key.kind, waves, (), (), None, note=note,
                       asked_if=key.item.relevant if key.item is not None else None)
        if len(used) < 2:
            only = f"answers in wave {self.labels[used[0]]} only" if used else "no answers in any wave"
            return replace(row, note=f"{only}: no trend")
        pairs = list(zip(used, used[1:], strict=False))
        firsts = [(used[0], i) for i in used[1:]]
        if design == "weighted":
            step = self._weighted_step_maker(key, column)
            fit = self._raked_fit(key, column, used) if self.rakings else \
                models.weighted([c for i in used for c in wave_cells[i]], self.confidence,
                                logistic_link=key.kind == "proportion", lonely=self.lonely)
        else:
            step = self._compare_step_maker(key, group, design)
            fit = self._fit(key, group, design, used, summaries)
        if len(used) < FEW_WAVES:
            fit = replace(fit, note=_join(fit.note, FEW_WAVES_NOTE))
        bases = {summaries[i].base for i in used} if design != "weighted" else {self.base}
        return replace(row, steps=tuple(step(a, b) for a, b in pairs), from_first=tuple(step(a, b) for a, b in firsts),
                       trend=fit, p_value=fit.p_value, base=self.base if bases == {self.base} else "answered",
                       note=_join(note, independent.UNKNOWN_BASE if bases != {self.base} else None))

    def _missing_note(self, key, group, used) -> str | None:
        missing = [self.labels[i] for i in range(len(self.datas)) if i not in used]
        if not missing:
            return None
        what = "the group has no answers" if group != ALL else "not asked or no answers"
        return f"{what} in wave(s) {', '.join(missing)}: reported over waves {', '.join(self.labels[i] for i in used)}"

    def _fit(self, key, group, design, used, summaries) -> models.TrendFit:
        if design == "stratified":
            cells = [c for i in used for c in series.cells(self.datas[i], key, self.positions[i], self.base,
                                                             self.knowledge_items, None, self._known(i, key))]
            if key.kind != "proportion":
                return models.linear(cells, self.confidence, adjust_groups=True)
            return models.logistic(cells, self.confidence)
        if key.kind == "proportion":
            return models.cochran_armitage([summaries[i].successes for i in used], [summaries[i].n for i in used],
                                           [self.positions[i] for i in used], self.confidence)
        cells = [models.Cell(self.positions[i], group, summaries[i].n, summaries[i].mean, summaries[i].variance)
                 for i in used]
        return models.linear(cells, self.confidence)

    def _pair(self, a: int, b: int, group: str, design: str) -> dict[str, Result]:
        """compare's rows of one design and group for waves a and b, by key (made once)."""
        index = (a, b, group, design)
        if index not in self._pairs:
            one, other = self.datas[a], self.datas[b]
            # Over the items of every wave, which are those both waves answered (_common_knowledge dropped the others).
            both = one.records is not None and other.records is not None
            moments = [self._knowledge_moments(a), self._knowledge_moments(b)] if both else None
            if design == "stratified":  # shares by Mantel-Haenszel, means standardised to the later wave's mix
                rows = stratified.rows(self.questionnaire, one, other, self.confidence, self.base) + \
                    standardised.rows(self.questionnaire, one, other, self.confidence, moments)
            else:
                rows = independent.rows(self.questionnaire, one, other, group, self.confidence, self.base, moments,
                                        self.knowledge if both else None)
            self._pairs[index] = {row.item: row for row in rows}
        return self._pairs[index]

    def _knowledge_moments(self, i: int) -> dict[str, stats.Moments]:
        """Wave i's knowledge score by group (made once: every row and step of the score reads it)."""
        if i not in self._knowledge:
            self._knowledge[i] = knowledge.moments_by_group(self.datas[i], self.knowledge_items)
        return self._knowledge[i]

    def _known(self, i: int, key: series.Key) -> dict[str, stats.Moments] | None:
        """The knowledge score's moments of wave i when `key` is the score of a wave of respondents, else None."""
        return self._knowledge_moments(i) if key.item is None and self.datas[i].records is not None else None

    def _compare_step_maker(self, key, group, design):
        def step(a: int, b: int) -> Step:
            row = self._pair(a, b, group, design)[key.key]
            return Step(self.labels[a], self.labels[b], row.difference, row.difference_ci, row.test, row.statistic,
                        row.df, row.p_value, row.note)
        return step

    def _design(self, i: int):
        """compare's weighted design of wave i (its own population sizes), made once."""
        if i not in self._designs:
            data = self.datas[i]
            self._designs[i] = weighted.design_of(self.questionnaire, data, self.populations[self.labels[i]],
                                                  self.knowledge_items if data.records is not None else None,
                                                  self.rakings.get(i))
        return self._designs[i]

    def _raked_fit(self, key, column, used) -> models.TrendFit:
        """The slope over the raked waves: R's svyglm(y ~ position, svydesign(ids = ~1, strata =
        ~interaction(wave, group), fpc = ~N, weights = ~raked), family = quasibinomial() or gaussian()), one row
        per respondent, the raked weights taken as they are (no raking credit)."""
        test = "weighted_logistic" if key.kind == "proportion" else "weighted_linear"
        designs = [self._design(i) for i in used]
        sizes = [self.populations[self.labels[i]] for i in used]
        y = np.concatenate([design.values[column] for design in designs])
        answered = y[~np.isnan(y)]
        if key.kind == "proportion" and (answered.min() == answered.max()):
            return models.TrendFit(test, None, None, None, None, None, "every answer is a success (or none is): no test")
        fit = glm.svyglm(y, {"position": np.concatenate([np.full(len(d.groups), self.positions[i])
                                                         for i, d in zip(used, designs, strict=True)])},
                         strata=np.concatenate([[f"{self.labels[i]}.{g}" for g in d.groups]
                                                for i, d in zip(used, designs, strict=True)]),
                         population=np.concatenate([[sizes[k][g] for g in d.groups] for k, d in enumerate(designs)]),
                         family="quasibinomial" if key.kind == "proportion" else "gaussian",
                         confidence=self.confidence, weights=np.concatenate([d.weights for d in designs]))
        slope = fit.terms["position"]
        if not slope.se > 0:
            return models.TrendFit(test, None, None, slope.estimate, None, None, "no sampling variance: no test")
        return models.TrendFit(test, slope.statistic, slope.df, slope.estimate, slope.ci, slope.p_value)

    def _weighted_step_maker(self, key, column):
        """compare's weighted test (weighted._row): the z test of the two waves' weighted estimates."""
        def step(a: int, b: int) -> Step:
            row = weighted._row(key.key, key.kind, (self._design(a), self._design(b)), column, None, self.confidence)
            return Step(self.labels[a], self.labels[b], row.difference, row.difference_ci, row.test, row.statistic,
                        row.df, row.p_value, row.note)
        return step


def _join(*notes: str | None) -> str | None:
    return "; ".join(n for n in notes if n) or None


def _steps_adjusted(rows: list[TrendRow], method: str) -> list[TrendRow]:
    """Each step's p adjusted with the same step of the other rows of its family, as compare adjusts that
    pair's rows (the first step is also the first change from the first wave: counted once)."""
    members: dict[tuple, dict[int, float]] = {}
    for index, row in enumerate(rows):
        for step in (*row.steps, *row.from_first):
            if step.p_value is not None:
                members.setdefault((row.family, step.start, step.end), {})[index] = step.p_value
    adjusted: dict[tuple, float] = {}
    for (_family, start, end), found in members.items():
        values = stats.adjust_p_values(list(found.values()), method)
        adjusted.update({(index, start, end): value for index, value in zip(found, values, strict=True)})

    def with_p(index: int, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        return tuple(replace(step, p_adjusted=adjusted.get((index, step.start, step.end))) for step in steps)

    return [replace(row, steps=with_p(i, row.steps), from_first=with_p(i, row.from_first))
            for i, row in enumerate(rows)]
