"""A survey-weighted regression on one design: R's svyglm, by svy (the engine, analysis/designs/engine.py).

    fit = svyglm(y, {"position": positions}, strata=wave_x_group, population=sizes, family="quasibinomial")
    fit.terms["position"].estimate, .se, .statistic, .df, .p_value, .ci

is R's svyglm(y ~ position, svydesign(ids = ~1, strata = ~strata, fpc = ~N), family = quasibinomial()):
coefficients on the model's scale (log-odds for quasibinomial, units for gaussian), the design-based
(sandwich) standard errors, t tests on R's residual degrees of freedom (degf(design) - terms + 1), and
intervals on the same t, as confint(fit, ddf = fit$df.residual). Groups of one respondent: survey.lonely.psu
= "adjust". Respondents with a missing y or predictor are left out of the fit, as R's na.action does.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .. import stats

FAMILIES = {"quasibinomial": "binomial", "gaussian": "gaussian"}  # R's name -> svy's (same fit, same SEs)
_Y = "·y"


@dataclass(frozen=True)
class Coefficient:
    estimate: float
    se: float
    statistic: float  # t
    df: float  # R's fit$df.residual
    p_value: float
    ci: stats.Interval


@dataclass(frozen=True)
class GlmFit:
    family: str
    n: int  # respondents in the fit
    terms: dict[str, Coefficient]  # "(Intercept)" and each predictor, as R names them


def svyglm(y, predictors: dict[str, np.ndarray], *, strata, population, family: str = "gaussian",
           confidence: float = 0.95, weights=None) -> GlmFit:
    """y ~ predictors on a stratified design with a finite population correction: `strata` one label per
    respondent (e.g. wave x group), `population` the size of the respondent's stratum (R's fpc = ~N),
    `weights` the sampling weights (default N_h / n_h, what svydesign derives from fpc)."""
    import polars as pl
    import svy

    from .engine import SIZE, STRATUM, WEIGHT

    if family not in FAMILIES:
        raise ValueError(f"family must be one of {', '.join(FAMILIES)}, not {family!r}")
    strata = np.asarray(strata, dtype=object).astype(str)
    population = np.asarray(population, dtype=float)
    if weights is None:
        _, where, sizes = np.unique(strata, return_inverse=True, return_counts=True)
        weights = population / sizes[where]
    columns = {STRATUM: pl.Series(strata.tolist(), dtype=pl.String), SIZE: population,
               WEIGHT: np.asarray(weights, dtype=float),
               _Y: pl.Series(np.asarray(y, dtype=float), nan_to_null=True)}
    columns.update({name: pl.Series(np.asarray(v, dtype=float), nan_to_null=True) for name, v in predictors.items()})
    sample = svy.Sample(pl.DataFrame(columns), svy.Design(stratum=STRATUM, wgt=WEIGHT, pop_size=SIZE,
                                                          singleton="center"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sample.glm.fit(_Y, x=list(predictors), family=FAMILIES[family], alpha=1 - confidence)
    terms = {}
    for coefficient in fit.coefs:
        name = "(Intercept)" if coefficient.term == "_intercept_" else coefficient.term
        terms[name] = Coefficient(float(coefficient.est), float(coefficient.se), float(coefficient.wald.value),
                                  float(coefficient.wald.df), float(coefficient.wald.p_value),
                                  stats.Interval(float(coefficient.lci), float(coefficient.uci)))
    return GlmFit(family, int(fit.stats.n), terms)
