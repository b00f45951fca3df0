"""Raking (`--rake FILE`): weights that give the population's size on the stakeholder group and on other
variables held for each respondent (a single-choice item, such as organisation type), at once.

The file (CSV or XLSX) has the columns `variable`, `category` and `size`, one row per category:

    variable,category,size
    group,government,120
    group,workers,1500
    position,director,400
    ...

`group` must be one of the variables (it also gives the weighted design's population sizes); every
margin counts the same population, so each adds up to the group margin's total. Each wave's design,
svydesign(ids = ~1, strata = ~group, fpc = ~N), is raked by svy to every margin, as R's
rake(design, list(~group, ~position), list(...)) run to convergence, and estimated as before (svymean).

Trimming (`--trim K`): weights above K times the mean weight (N / n) are cut to that bound and what they
lose is spread equally over the others, until none is above it: R's trimWeights(raked, upper = K *
mean(weights(raked)), strict = TRUE). svy's trim spreads in proportion to the weights instead, so this one
rule is ours. The trimmed weights no longer meet the margins exactly; their variance is that of a design
with those weights (R: svydesign(..., weights = ~trimmed)), which gives the raking no credit: conservative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Questionnaire

from ..inputs import read_table
from ..population import size_problem
from ..wavedata import CODE, InputError, Problems, WaveData
from .engine import Raking

COLUMNS = ("variable", "category", "size")
GROUP = "group"


@dataclass(frozen=True)
class Margins:
    """variable -> category -> population size; `group` first."""

    source: str
    sizes: dict[str, dict[str, int]]
    trim: float | None = None  # weights capped at trim x the mean weight
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # variable -> first and last row in the file

    @property
    def population(self) -> dict[str, int]:
        return self.sizes[GROUP]

    @property
    def variables(self) -> list[str]:
        return [v for v in self.sizes if v != GROUP]


def read_margins(path: str | Path, questionnaire: Questionnaire, trim: float | None = None) -> Margins:
    """The margins of a rake file; InputError naming file, row and column for every problem."""
    path = Path(path)
    frame = read_table(path)
    problems = Problems(path)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        problems.add(1, None, f"a rake file needs the columns variable, category and size (missing: "
                              f"{', '.join(missing)})")
        problems.raise_if_any()
    sizes: dict[str, dict[str, int]] = {}
    first: dict[tuple[str, str], int] = {}
    rows: dict[str, tuple[int, int]] = {}
    for row, cells in enumerate(zip(*(frame[c] for c in COLUMNS), strict=True), start=2):
        variable, category, size = (_text(cell) for cell in cells)
        codes, problem = _codes(variable, questionnaire)
        if problem:
            problems.add(row, "variable", problem)
            continue
        if category not in codes:
            problems.add(row, "category", f"{category!r} is not a category of {variable!r} (categories: "
                                          f"{', '.join(codes)})" if category else "category is blank")
        elif (variable, category) in first:
            problems.add(row, "category", f"{variable} {category!r} is given twice (also in row "
                                          f"{first[(variable, category)]})")
        size_text = size_problem(size) if size else "size is blank"
        if size_text:
            problems.add(row, "size", size_text)
        if category in codes and (variable, category) not in first and not size_text:
            sizes.setdefault(variable, {})[category] = int(size)
            rows[variable] = (rows.get(variable, (row, row))[0], row)
        first.setdefault((variable, category), row)
    problems.raise_if_any()
    _check_totals(path, sizes, rows)
    return Margins(str(path), {GROUP: sizes[GROUP], **{v: s for v, s in sizes.items() if v != GROUP}}, trim, rows)


def _text(cell) -> str:
    return str(cell).strip() if pd.notna(cell) else ""


def _codes(variable: str, questionnaire: Questionnaire) -> tuple[tuple[str, ...], str | None]:
    if not variable:
        return (), "variable is blank"
    if variable == GROUP:
        return tuple(questionnaire.group_codes), None
    if questionnaire.has_item(variable) and questionnaire.item(variable).type == "single_choice":
        return tuple(questionnaire.item(variable).codes), None
    return (), (f"{variable!r} is neither {GROUP} nor a single-choice item of {questionnaire.id} "
                f"{questionnaire.version}")


def _check_totals(path: Path, sizes: dict, rows: dict) -> None:
    if GROUP not in sizes:
        raise InputError([f"{path}: no margin for {GROUP}: give each stakeholder group's size (variable {GROUP})"])
    if len(sizes) < 2:
        raise InputError([f"{path}: only the {GROUP} margin: raking needs another variable (with the group "
                          "sizes alone, use --population)"])
    total = sum(sizes[GROUP].values())
    problems = [f"{path}: rows {rows[v][0]}-{rows[v][1]}, column 'size': the margin of {v!r} adds up to "
                f"{sum(s.values()):,}, the {GROUP} margin to {total:,} (every margin counts the same population)"
                for v, s in sizes.items() if v != GROUP and sum(s.values()) != total]
    if problems:
        raise InputError(problems)


def categories(data: WaveData, margins: Margins, wave: str) -> dict[str, np.ndarray]:
    """Each respondent's category of every raking variable; InputError when a wave cannot be raked."""
    if data.records is None:
        raise InputError([f"{margins.source}: {wave} ({data.source}) is a counts table: raking needs a "
                          "row per respondent"])
    found, problems = {}, []
    for variable in margins.variables:
        if CODE + variable not in data.records:
            problems.append(f"{margins.source}: {wave} ({data.source}) has no answers to {variable!r} to rake on")
            continue
        codes = data.records[CODE + variable]
        blank = int(codes.isna().sum())
        if blank:
            problems.append(f"{margins.source}: {wave} ({data.source}): {blank} respondent(s) did not answer "
                            f"{variable!r}, so cannot be raked to its margin")
        found[variable] = codes.astype(object).to_numpy()
        for category in sorted(set(codes.dropna()) - set(margins.sizes[variable])):
            problems.append(f"{margins.source}: {wave} ({data.source}): {int((codes == category).sum())} "
                            f"respondent(s) are in {variable} {category!r}, which has no size in the file")
        for category, size in margins.sizes[variable].items():
            if size > 0 and not (found[variable] == category).any():
                problems.append(f"{margins.source}: {wave} ({data.source}): no respondent is in {variable} "
                                f"{category!r} (population {size:,}): the margin cannot be met")
    groups = data.records["group"].to_numpy()
    for group, size in margins.population.items():
        if size > 0 and len(groups) and not (groups == group).any():
            problems.append(f"{margins.source}: {wave} ({data.source}): no respondent is in group {group!r} "
                            f"(population {size:,}): the margin cannot be met")
    if problems:
        raise InputError(problems)
    return found


def raking(data: WaveData, margins: Margins, wave: str) -> Raking:
    """What engine.Design rakes the wave's design to; InputError when the wave cannot be raked."""
    return Raking(categories(data, margins, wave), margins.sizes, margins.trim)
