"""Tests for a trend over waves, fitted on sufficient statistics (one cell per wave, or per wave and group).

A cell holds n, mean and sample variance of its respondents' values (1/0 for a proportion): that is all
lm, glm and svyglm need when every respondent of a cell shares the same covariates (the wave's position,
the group), so a million respondents cost no more than a dozen cells. statsmodels fits the same models
only from one row per respondent, and has no design-based (Taylor-linearised) GLM.

Each function matches an R call, named in its docstring; tests/analysis/test_trend_models.py pins them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..stats import Interval, chi2_sf, normal_sf, t_sf, t_value, z_value

MAX_ITERATIONS, TOLERANCE = 50, 1e-10  # glm's IRLS: R's glm.control uses epsilon 1e-8; ours is tighter


@dataclass(frozen=True)
class Cell:
    """The respondents of one wave (and one group): their position, n, mean, sample variance (ddof 1),
    and for a stratum of a weighted design its population size."""

    position: float
    group: str
    n: int
    mean: float
    variance: float
    population: int | None = None
    sampled: int | None = None  # a weighted stratum's respondents, answering or not (default n): a domain

    @property
    def squares(self) -> float:
        """Sum of squared deviations from the cell's mean."""
        return (self.n - 1) * self.variance if self.n > 1 else 0.0


@dataclass(frozen=True)
class TrendFit:
    test: str  # cochran_armitage | linear | logistic | weighted_linear | weighted_logistic
    statistic: float | None
    df: float | None
    slope: float | None
    slope_ci: Interval | None
    p_value: float | None
    note: str | None = None


def _quantile(confidence: float, df: float | None) -> float:
    return z_value(confidence) if df is None else float(t_value(confidence, df))


def cochran_armitage(successes: list[int], sizes: list[int], positions: list[float],
                     confidence: float) -> TrendFit:
    """Chi-square test for trend in proportions: R's prop.trend.test(x, n, score = positions).

    The slope is the least-squares slope of the proportion on position, weighted by n (the slope the test
    is about); its interval is slope +- z * sqrt(p(1 - p) / Sxx), the test's own standard error, under no
    trend, so that it excludes 0 exactly when the test rejects at the same level."""
    x, n, s = (np.asarray(v, dtype=float) for v in (successes, sizes, positions))
    total = n.sum()
    pooled = x.sum() / total
    centre = (n * s).sum() / total
    sxx = float((n * (s - centre) ** 2).sum())
    if pooled in (0.0, 1.0) or sxx == 0:
        return TrendFit("cochran_armitage", None, None, None, None, None,
                        "every answer is a success (or none is): no test" if sxx else "a single position: no test")
    slope = float((n * (s - centre) * (x / n)).sum() / sxx)
    se = math.sqrt(pooled * (1 - pooled) / sxx)
    statistic = (slope / se) ** 2
    half = _quantile(confidence, None) * se
    return TrendFit("cochran_armitage", statistic, 1.0, slope, Interval(slope - half, slope + half),
                    chi2_sf(statistic, 1.0))


def design_matrix(cells: list[Cell], adjust_groups: bool) -> tuple[np.ndarray, list[str]]:
    """Intercept, position (centred) and, with adjust_groups, a dummy for each group but the first (R's treatment
    contrasts, the groups in the order given)."""
    positions = np.array([cell.position for cell in cells], dtype=float)
    # Centred: the slope is the same, and years such as 2015 leave the normal equations well conditioned.
    columns = [np.ones(len(cells)), positions - positions.mean()]
    names = ["(Intercept)", "position"]
    if adjust_groups:
        groups = list(dict.fromkeys(cell.group for cell in cells))
        for group in groups[1:]:
            columns.append(np.array([cell.group == group for cell in cells], dtype=float))
            names.append(f"group{group}")
    return np.column_stack(columns), names


def linear(cells: list[Cell], confidence: float, *, adjust_groups: bool = False) -> TrendFit:
    """Slope of position by least squares over the respondents, with its t test and interval:
    R's lm(y ~ position) (or lm(y ~ position + group)); summary()$coefficients["position", ] and confint()."""
    cells = [cell for cell in cells if cell.n > 0]
    X, _names = design_matrix(cells, adjust_groups)
    n = np.array([cell.n for cell in cells], dtype=float)
    means = np.array([cell.mean for cell in cells])
    gram = X.T @ (X * n[:, None])
    df = n.sum() - X.shape[1]
    if df <= 0 or np.linalg.matrix_rank(gram) < X.shape[1]:
        return TrendFit("linear", None, None, None, None, None, "too few respondents or positions: no test")
    inverse = np.linalg.inv(gram)
    beta = inverse @ (X.T @ (n * means))
    residual = sum(cell.squares for cell in cells) + float((n * (means - X @ beta) ** 2).sum())
    se = math.sqrt(residual / df * inverse[1, 1])
    slope = float(beta[1])
    if not se > 0:
        return TrendFit("linear", None, None, slope, None, None, "the answers do not vary: no test")
    t = slope / se
    half = _quantile(confidence, df) * se
    return TrendFit("linear", t, float(df), slope, Interval(slope - half, slope + half),
                    2 * t_sf(abs(t), df))


def _irls(X: np.ndarray, successes: np.ndarray, trials: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Logistic regression of successes out of trials (prior weights): coefficients and fitted means, by
    Newton-Raphson from R's starting values; None when it does not converge (separation)."""
    share = (successes + 0.5) / (trials + 1)  # R's binomial()$initialize: mustart = (n y + 0.5) / (n + 1)
    beta = np.linalg.lstsq(X * np.sqrt(trials * share * (1 - share))[:, None],
                           np.sqrt(trials * share * (1 - share)) * np.log(share / (1 - share)), rcond=None)[0]
    for _ in range(MAX_ITERATIONS):
        mu = 1 / (1 + np.exp(-(X @ beta)))
        weight = trials * mu * (1 - mu)
        step = np.linalg.solve(X.T @ (X * weight[:, None]), X.T @ (successes - trials * mu))
        beta = beta + step
        if np.max(np.abs(step)) < TOLERANCE * (1 + np.max(np.abs(beta))):
            return beta, 1 / (1 + np.exp(-(X @ beta)))
    return None


def logistic(cells: list[Cell], confidence: float) -> TrendFit:
    """Log-odds slope of position adjusted for group, Wald z test and interval:
    R's glm(cbind(x, n - x) ~ position + group, binomial); summary()$coefficients and confint.default()."""
    cells = [cell for cell in cells if cell.n > 0]
    X, _names = design_matrix(cells, True)
    trials = np.array([cell.n for cell in cells], dtype=float)
    successes = np.round(np.array([cell.mean for cell in cells]) * trials)
    if np.linalg.matrix_rank(X) < X.shape[1] or len(set(X[:, 1])) < 2:
        return TrendFit("logistic", None, None, None, None, None, "a single position: no test")
    fit = _irls(X, successes, trials)
    if fit is None or successes.sum() in (0, trials.sum()):
        return TrendFit("logistic", None, None, None, None, None,
                        "a group answered all yes or all no: the logistic model has no finite fit")
    beta, mu = fit
    covariance = np.linalg.inv(X.T @ (X * (trials * mu * (1 - mu))[:, None]))
    slope, se = float(beta[1]), math.sqrt(covariance[1, 1])
    z = slope / se
    half = _quantile(confidence, None) * se
    return TrendFit("logistic", z, None, slope, Interval(slope - half, slope + half),
                    2 * normal_sf(abs(z)))


LONELY_NOTE = "stratum (wave and group) of a single respondent, its variance as R's survey.lonely.psu = \"{}\": {}"


def weighted(cells: list[Cell], confidence: float, *, logistic_link: bool, lonely: str = "adjust") -> TrendFit:
    """Survey-weighted regression on position, strata wave x group with finite population correction:
    R's svyglm(y ~ position, svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N),
    family = quasibinomial() or gaussian()); the slope's t test with the design's degrees of freedom
    (respondents with an answer - their strata - 1) and confint() (Wald, t quantile). Respondents without an
    answer (an item asked of some) stay in the design with no weight in the fit, as R's na.action leaves
    them: a domain. `lonely`: R's options(survey.lonely.psu) for a stratum of one ("adjust" or "remove")."""
    test = "weighted_logistic" if logistic_link else "weighted_linear"
    cells = [cell for cell in cells if cell.n > 0]
    X, _names = design_matrix(cells, False)
    n = np.array([cell.n for cell in cells], dtype=float)
    sampled = np.array([cell.sampled or cell.n for cell in cells], dtype=float)
    # Each answer's weight is N_h / (respondents of the stratum); the cell's total weight N_h n_h / sampled_h.
    sizes = np.array([cell.population for cell in cells], dtype=float) * n / sampled
    means = np.array([cell.mean for cell in cells])
    df = n.sum() - len(cells) - 1
    if len({cell.position for cell in cells}) < 2 or df <= 0:
        return TrendFit(test, None, None, None, None, None, "too few respondents or positions: no test")
    if logistic_link:
        fit = _irls(X, means * sizes, sizes)  # sum N_h (p_h - mu_h) x_h = 0: svyglm's estimating equations
        if fit is None or means.min() == means.max() and means[0] in (0.0, 1.0):
            return TrendFit(test, None, None, None, None, None, "every answer is a success (or none is): no test")
        beta, mu = fit
        working = mu * (1 - mu)
    else:
        gram = X.T @ (X * sizes[:, None])
        beta = np.linalg.solve(gram, X.T @ (sizes * means))
        mu, working = X @ beta, np.ones(len(cells))
    bread = np.linalg.inv(X.T @ (X * (sizes * working)[:, None]))
    weights = sizes / n  # each respondent's sampling weight N_h / n_h
    # A stratum's units share x_h: their influence values are z_i = (A^-1 x_h) w_h d_i, d_i = y_i - mu_h for an
    # answer and 0 for a respondent without one. The stratum adds f_h n_h/(n_h - 1) * sum_i (z_i - zbar)^2, and
    # sum_i (d_i - dbar)^2 = S2 - S1^2 / n_h from the answers' count, mean and variance.
    variance = np.zeros_like(bread)
    lonely_cells = []
    for row, cell, weight, fitted, units in zip(X, cells, weights, mu, sampled, strict=True):
        keep = (cell.population - units) / cell.population  # R: f = (fpc - nPSU) / fpc
        if keep < 1e-7:  # a census of the stratum: no sampling error
            continue
        first = cell.n * (cell.mean - fitted)
        second = cell.squares + cell.n * (cell.mean - fitted) ** 2
        if units > 1:
            spread = units / (units - 1) * (second - first**2 / units)
        else:
            lonely_cells.append(f"{cell.group} at {cell.position:g}")
            # "remove": centred on its own mean, nothing; "adjust": centred on the whole sample's (zero).
            spread = second if lonely == "adjust" else 0.0
        direction = bread @ row
        variance += keep * weight**2 * spread * np.outer(direction, direction)
    se = math.sqrt(variance[1, 1])
    slope = float(beta[1])
    note = LONELY_NOTE.format(lonely, ", ".join(lonely_cells)) if lonely_cells else None
    if not se > 0:
        return TrendFit(test, None, None, slope, None, None, "no sampling variance: no test")
    t = slope / se
    half = _quantile(confidence, df) * se
    return TrendFit(test, t, float(df), slope, Interval(slope - half, slope + half),
                    2 * t_sf(abs(t), df), note)
