"""The design-based engine: svy (https://svylab.com/docs/svy), R's survey package in Python.

Every weighted estimate goes through here. The design is a stratified sample of the stakeholder groups
with a finite population correction, R's svydesign(ids = ~1, strata = ~group, fpc = ~N), its weights
N_g / n_g (or raked ones: analysis/designs/rake.py). A group with a single respondent is handled as
R's options(survey.lonely.psu = "adjust"): svy's Singleton "center". An item asked only of some is a
domain of the wave's full design (R: svymean(~y, subset(design, !is.na(y)))), never a design of its own.

svy is imported inside the functions: it brings polars, and only weighted analyses need it.
What svy does not give is written here, and only that (docs/analysis.md, "Engine"):
- the Kish design effect of a domain (svy's Sample.deff_w is the whole sample's);
- the interval of a mean: R's confint(svymean(...)) is normal, svy's t on the design's degrees of freedom;
- trimming: R's rule, the excess spread equally (svy spreads it in proportion to the weights);
- the interval of a proportion of exactly 0 or 1, where the logit interval is undefined: svy's
  Korn-Graubard interval with the NCHS rule (effective n = the domain's respondents) is used there.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import stats

LONELY_PSU = "adjust"  # R's name; svy calls it "center"
# Column names of the design frame that no item id can take (ids are identifiers: letters, digits, _).
STRATUM, SIZE, WEIGHT, RAKED, MARGIN = "·group", "·N", "·weight", "·raked", "·margin:"
RAKE_TOLERANCE = 1e-10  # the largest relative misfit of a margin at convergence
RAKE_SWEEPS = 1000


@dataclass(frozen=True)
class Raking:
    """What to rake a wave's design to (analysis/designs/rake.py): each respondent's category of every
    variable besides the group, the margins (variable -> category -> size; the group's under `group`),
    and the trimming bound as a multiple of the mean weight (None: no trimming)."""

    categories: dict[str, np.ndarray]
    margins: dict[str, dict[str, float]]
    trim: float | None = None


@dataclass(frozen=True)
class DesignMean:
    """A domain mean (a share for a 0/1 variable) of the design: R's svymean, svyciprop(method = "logit")."""

    n: int  # respondents in the domain
    estimate: float
    se: float
    df: int  # the domain's design degrees of freedom, R's degf(subset(design, ...))
    ci: stats.Interval | None  # None where R's is undefined (a domain of no degrees of freedom)
    deff: float  # Kish design effect of the domain's weights, n * sum(w^2) / sum(w)^2
    n_effective: float  # n / deff
    groups: tuple[str, ...]  # the groups with respondents in the domain
    lonely: tuple[str, ...]  # those of them with a single respondent (of more than one in the population)
    census: bool  # every group in the domain answered in full: no sampling error


class Design:
    """One wave's design: `groups` (one per respondent), the population size of each group and, when
    raked, the respondents' weights; `values` the per-respondent columns to estimate (NaN: not in the domain)."""

    def __init__(self, groups: np.ndarray, population: dict[str, float], values: dict[str, np.ndarray],
                 raking: Raking | None = None):
        import polars as pl

        groups = np.asarray(groups, dtype=object).astype(str)
        sizes = np.array([float(population[g]) for g in groups]) if len(groups) else np.zeros(0)
        counts = pd.Series(groups).value_counts()
        self.weights = sizes / counts.reindex(groups).to_numpy(dtype=float) if len(groups) else np.zeros(0)
        self.groups = groups
        # Each respondent's group as a small integer: the groups of a domain by one bincount, not a Python loop.
        self._group_codes, self._group_names = pd.factorize(groups)
        self.singletons = frozenset(g for g, n in counts.items() if n == 1 and population[g] > 1)
        self.census_groups = frozenset(g for g, n in counts.items() if n >= population[g])
        self.values = {name: np.asarray(v, dtype=float) for name, v in values.items()}
        columns = {STRATUM: pl.Series(groups.tolist(), dtype=pl.String), SIZE: sizes}
        columns.update({name: pl.Series(name, v, nan_to_null=True) for name, v in self.values.items()})
        self.sample = _sample(pl.DataFrame({**columns, WEIGHT: self.weights}))
        if raking is not None:
            self._rake(columns, raking)
        # Each domain mean once: a trend asks a wave's design for the same column once per step it is in.
        self._means: dict[tuple[str, bool, float], DesignMean | None] = {}

    def _rake(self, columns: dict, raking: Raking) -> None:
        """svy's rake to every margin (R: rake(design, ...) to convergence); the calibrated variance follows.
        Trimmed weights are a design's plain weights: the variance gives the raking no credit."""
        import polars as pl
        import svy

        from ..wavedata import InputError

        frame = self.sample.data.with_columns(  # prefixed: an item raked on is also a column of values
            *(pl.Series(MARGIN + name, [str(c) for c in values], dtype=pl.String)
              for name, values in raking.categories.items()))
        controls = {(STRATUM if name == "group" else MARGIN + name): {c: float(n) for c, n in sizes.items() if n > 0}
                    for name, sizes in raking.margins.items()}
        try:
            raked = _sample(frame).weighting.rake(controls=controls, tol=RAKE_TOLERANCE, max_iter=RAKE_SWEEPS,
                                                  wgt_name=RAKED)
        except svy.SvyError as error:  # margins no weights can meet at once (say a category found in one group only)
            raise InputError([f"the weights cannot be raked to these margins: {getattr(error, 'title', error)}"]) \
                from None
        self.weights = raked.data[RAKED].to_numpy()
        self.sample = raked
        if raking.trim is not None:
            self.weights = trimmed(self.weights, raking.trim * self.weights.mean())
            self.sample = _sample(pl.DataFrame({**columns, WEIGHT: self.weights}))

    def mean(self, column: str, *, proportion: bool, confidence: float) -> DesignMean | None:
        """The domain mean of `column` over the respondents with a value; None when none has one."""
        asked = (column, proportion, confidence)
        if asked not in self._means:
            self._means[asked] = self._mean(column, proportion=proportion, confidence=confidence)
        return self._means[asked]

    def _mean(self, column: str, *, proportion: bool, confidence: float) -> DesignMean | None:
        import svy

        inside = ~np.isnan(self.values[column])
        if not inside.any():
            return None
        alpha = 1 - confidence
        where = svy.col(column).is_not_null()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # svy's notes (boundary intervals, singletons) are ours to word
            if proportion:
                found = self._share(column, where, alpha)
            else:
                found = self.sample.estimation.mean(column, where=where, alpha=alpha).estimates[0]
                # R's confint(svymean(...)) is a normal interval; svy's is t on the design's df (Stata's).
                half = stats.z_value(confidence) * found.se
                found = (found.est, found.se, found.df, found.est - half, found.est + half)
        estimate, se, df, low, high = found
        w = self.weights[inside]
        deff = float(len(w) * (w**2).sum() / w.sum() ** 2)
        ci = stats.Interval(float(low), float(high)) if math.isfinite(low) and math.isfinite(high) else None
        present = np.bincount(self._group_codes[inside], minlength=len(self._group_names)) > 0
        groups = {str(g) for g in self._group_names[present]}
        return DesignMean(int(inside.sum()), float(estimate), float(se), int(df), ci, deff,
                          float(inside.sum() / deff), tuple(sorted(groups)), tuple(sorted(groups & self.singletons)),
                          groups <= self.census_groups)

    def _share(self, column, where, alpha) -> tuple:
        """svyciprop(method = "logit"); at 0 or 1, Korn-Graubard with the NCHS rule."""
        rows = self.sample.estimation.prop(column, where=where, alpha=alpha, ci_method="logit").estimates
        share = _level(rows, 1.0)
        if share is not None and 0 < share.est < 1:
            return share.est, share.se, share.df, share.lci, share.uci
        rows = self.sample.estimation.prop(column, where=where, alpha=alpha, ci_method="korn-graubard").estimates
        if share is not None:  # every answer a success
            return share.est, share.se, share.df, share.lci, share.uci
        failure = _level(rows, 0.0)  # no success: the share's interval mirrors the failures'
        return 0.0, failure.se, failure.df, 1 - failure.uci, 1 - failure.lci


def _sample(frame):
    import svy

    return svy.Sample(frame, svy.Design(stratum=STRATUM, wgt=WEIGHT, pop_size=SIZE, singleton="center"))


def trimmed(weights: np.ndarray, upper: float) -> np.ndarray:
    """R's trimWeights(design, upper = upper, strict = TRUE): cut to the bound, spread the excess equally
    over the weights not cut, again until none is above it. (svy's trim spreads in proportion instead.)"""
    weights = np.asarray(weights, dtype=float).copy()
    while (weights > upper * (1 + 1e-12)).any():
        outside = weights > upper
        excess = (weights[outside] - upper).sum()
        weights[outside] = upper
        weights[~outside] += excess / (~outside).sum()
    return weights


def _level(rows, level: float):
    return next((row for row in rows if row.y_level is not None and float(row.y_level) == level), None)
