"""Two-sample statistics on sufficient statistics (counts, level counts, moments).

Every function works from summaries, not from respondent rows, so a wave of a
million respondents costs one group-by, and a baseline published only as a
table of counts is analysed exactly like raw data. Each function matches an R
call, named in its docstring; tests pin the values R gives.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special, stats

EXPECTED_MINIMUM = 5  # Chi-square needs every expected count >= 5 (Cochran); otherwise Fisher.
# R's t.test refuses "essentially constant" data: a standard error below this many machine epsilons
# of the larger mean is rounding noise, not variation.
CONSTANT_TOLERANCE = 10 * np.finfo(float).eps
CONSTANT_NOTE = "the answers do not vary within the waves: no test"


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class TestResult:
    """A two-sample test: the current wave against the baseline."""

    test: str  # chi2 | fisher | mann_whitney | welch_t
    statistic: float | None
    df: float | None
    p_value: float | None
    note: str | None = None


# scipy's ppf costs ~0.1-0.2 ms a call, and a report asks for the same few quantiles thousands of times: each
# level (and df) is computed once a process, the very value scipy gives. Bounded: a Welch df is any real number.
QUANTILES_KEPT = 4096


@lru_cache(maxsize=QUANTILES_KEPT)
def z_value(confidence: float) -> float:
    return float(stats.norm.ppf(1 - (1 - confidence) / 2))


@lru_cache(maxsize=QUANTILES_KEPT)
def t_value(confidence: float, df: float) -> np.float64:
    """The two-sided t quantile at `confidence` with `df` degrees of freedom, as scipy gives it (a numpy float)."""
    return stats.t.ppf(1 - (1 - confidence) / 2, df)


# ---------------------------------------------------------------- proportions


def wilson_interval(successes: int, n: int, confidence: float) -> Interval:
    """Wilson score interval: R's prop.test(x, n, correct = FALSE)$conf.int."""
    z = z_value(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 % and 100 % the bound is exactly 0 or 1; rounding must not move it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(low, high)


def newcombe_interval(x_base: int, n_base: int, x_cur: int, n_cur: int, confidence: float) -> Interval:
    """Interval of p_current - p_baseline: Newcombe (1998) hybrid score, method 10, from the two Wilson intervals."""
    p_base, p_cur = x_base / n_base, x_cur / n_cur
    base, cur = wilson_interval(x_base, n_base, confidence), wilson_interval(x_cur, n_cur, confidence)
    difference = p_cur - p_base
    low = difference - math.sqrt((p_cur - cur.low) ** 2 + (base.high - p_base) ** 2)
    high = difference + math.sqrt((cur.high - p_cur) ** 2 + (p_base - base.low) ** 2)
    return Interval(max(-1.0, low), min(1.0, high))


def proportion_test(x_base: int, n_base: int, x_cur: int, n_cur: int) -> TestResult:
    """Pearson's chi-square without continuity correction when every expected count is >= 5
    (R: chisq.test(table, correct = FALSE)), otherwise Fisher's exact test (R: fisher.test(table))."""
    table = np.array([[x_base, n_base - x_base], [x_cur, n_cur - x_cur]], dtype=float)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if expected.min() >= EXPECTED_MINIMUM:
        statistic, p_value = _pearson(table, expected)
        return TestResult("chi2", statistic, 1.0, p_value)
    p_value = fisher_p(x_base, n_base - x_base, x_cur, n_cur - x_cur)
    note = "Fisher's exact test: an expected count is below 5"
    return TestResult("fisher", None, None, min(1.0, p_value), note)


def fisher_p(a: int, b: int, c: int, d: int) -> float:
    """The two-sided p-value of Fisher's exact test of the table [[a, b], [c, d]] (R: fisher.test(table)$p.value):
    scipy.stats.fisher_exact's own algorithm and numbers, the hypergeometric probabilities of the whole support
    computed in one call instead of one scipy call per probability its search looks at (each a few tenths of
    a millisecond of argument checks)."""
    if 0 in (a + c, b + d, a + b, c + d):  # a row or column of zeros
        return 1.0
    n1, n2, n = a + b, c + d, a + c
    total = n1 + n2
    low, high = max(0, n - n2), min(n1, n)
    probabilities = stats.hypergeom.pmf(np.arange(low, high + 1), total, n1, n)

    def pmf(x: int) -> float:
        return probabilities[x - low] if low <= x <= high else 0.0

    mode = int((n + 1) * (n1 + 1) / (total + 2))
    exact, at_mode = pmf(a), pmf(mode)
    epsilon = 1e-14
    gamma = 1 + epsilon
    if np.abs(exact - at_mode) / np.maximum(exact, at_mode) <= epsilon:
        return 1.0
    if a < mode:
        lower = stats.hypergeom.cdf(a, total, n1, n)
        if pmf(n) > exact * gamma:
            return float(lower)
        guess = _binary_search(lambda x: -pmf(x), -exact * gamma, mode, n)
        return float(min(lower + stats.hypergeom.sf(guess, total, n1, n), 1.0))
    upper = stats.hypergeom.sf(a - 1, total, n1, n)
    if pmf(0) > exact * gamma:
        return float(upper)
    guess = _binary_search(pmf, exact * gamma, 0, mode)
    return float(min(upper + stats.hypergeom.cdf(guess, total, n1, n), 1.0))


def _binary_search(values, target: float, low: int, high: int) -> int:
    """scipy's _binary_search_for_binom_tst: the i in [low, high] with values(i) <= target < values(i + 1), for
    values ascending there."""
    while low < high:
        middle = low + (high - low) // 2
        value = values(middle)
        if value < target:
            low = middle + 1
        elif value > target:
            high = middle - 1
        else:
            return middle
    return low if values(low) <= target else low - 1


def _pearson(table: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """scipy.stats.chi2_contingency(table, correction=False) of a 2 x 2 table, its very arithmetic without its
    checks and dispatch (about 1 ms a call, and a trend makes hundreds): `expected` is its expected_freq (the
    margins' product over the total), the statistic the sum of (observed - expected)^2 / expected, the p-value
    chi-square(1)'s upper tail as power_divergence computes it."""
    statistic = ((table - expected) ** 2 / expected).sum()
    return float(statistic), chi2_sf(statistic, 1.0)


def chi2_sf(x: float, df: float) -> float:
    """scipy.stats.chi2.sf(x, df) for x >= 0 and df > 0: scipy's own special.chdtrc(df, x), without the
    distribution's argument checks (a tenth of a millisecond a call)."""
    return float(special.chdtrc(df, x))


def normal_sf(x: float) -> float:
    """scipy.stats.norm.sf(x): the upper tail scipy computes, special.ndtr(-x), without the distribution's
    argument checks (a tenth of a millisecond a call)."""
    return float(special.ndtr(-x))


def t_sf(x: float, df: float) -> float:
    """scipy.stats.t.sf(x, df) for df > 0: scipy's own special.stdtr(df, -x), without the argument checks."""
    return float(special.stdtr(df, -x))


def cohens_h(p_base: float, p_cur: float) -> float:
    return 2 * math.asin(math.sqrt(p_cur)) - 2 * math.asin(math.sqrt(p_base))


def cohens_h_interval(h: float, n_base: int, n_cur: int, confidence: float) -> Interval:
    """h +- z sqrt(1/n_b + 1/n_c): the arcsine transform's variance is 1/(4n) per proportion (Cohen 1988, 6.2)."""
    half = z_value(confidence) * math.sqrt(1 / n_base + 1 / n_cur)
    return Interval(h - half, h + half)


def is_constant(standard_error: float, *means: float) -> bool:
    """True when a standard error is zero or rounding noise (R's t.test: "data are essentially constant")."""
    return not standard_error > CONSTANT_TOLERANCE * max(abs(m) for m in means)


# ---------------------------------------------------------------- ordinal


@dataclass(frozen=True)
class RankTest:
    result: TestResult
    u_current: float
    rank_biserial: float


def mann_whitney_from_counts(base_counts: np.ndarray, cur_counts: np.ndarray) -> RankTest:
    """Mann-Whitney U from the counts at each ordered level, with tie and continuity correction:
    R's wilcox.test(current, baseline, exact = FALSE, correct = TRUE). U is R's W for the current sample."""
    base_counts = np.asarray(base_counts, dtype=float)
    cur_counts = np.asarray(cur_counts, dtype=float)
    n_base, n_cur = base_counts.sum(), cur_counts.sum()
    ties = base_counts + cur_counts
    # Mid-rank of each level in the pooled sample.
    ranks = np.cumsum(ties) - (ties - 1) / 2
    u_cur = float((cur_counts * ranks).sum() - n_cur * (n_cur + 1) / 2)
    rank_biserial = 2 * u_cur / (n_base * n_cur) - 1
    # The variance in whole numbers: with every answer tied, floating point would leave a tiny
    # positive variance instead of zero.
    whole = [int(t) for t in ties]
    total, nb, nc = sum(whole), int(n_base), int(n_cur)
    numerator = nb * nc * (total**3 - total - sum(t**3 - t for t in whole))
    sigma = math.sqrt(numerator / (12 * total * (total - 1))) if numerator > 0 else 0.0
    if sigma == 0:
        note = "all answers are identical: no test"
        return RankTest(TestResult("mann_whitney", u_cur, None, None, note), u_cur, rank_biserial)
    centred = u_cur - n_base * n_cur / 2
    z = (centred - math.copysign(0.5, centred) if centred != 0 else 0.0) / sigma
    p_value = 2 * normal_sf(abs(z))
    return RankTest(TestResult("mann_whitney", u_cur, None, min(1.0, p_value)), u_cur, rank_biserial)


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class Moments:
    """n, mean and sample variance (ddof 1) of one sample."""

    n: int
    mean: float
    variance: float

    @classmethod
    def pool(cls, parts: list[Moments]) -> Moments:
        """Moments of the union of samples (exact, from each part's n, mean and variance)."""
        parts = [p for p in parts if p.n > 0]
        n = sum(p.n for p in parts)
        if n == 0:
            return cls(0, math.nan, math.nan)
        mean = sum(p.n * p.mean for p in parts) / n
        squares = sum((p.n - 1) * (p.variance if p.n > 1 else 0.0) + p.n * (p.mean - mean) ** 2 for p in parts)
        return cls(n, mean, squares / (n - 1) if n > 1 else math.nan)


def mean_interval(sample: Moments, confidence: float) -> Interval | None:
    """t interval of a mean: R's t.test(x)$conf.int."""
    if sample.n < 2:
        return None
    half = t_value(confidence, sample.n - 1) * math.sqrt(sample.variance / sample.n)
    return Interval(sample.mean - half, sample.mean + half)


@dataclass(frozen=True)
class WelchTest:
    result: TestResult
    interval: Interval | None
    hedges_g: float | None
    hedges_g_ci: Interval | None = None


def welch_t(base: Moments, cur: Moments, confidence: float) -> WelchTest:
    """Welch's t-test of current - baseline: R's t.test(current, baseline) (var.equal = FALSE)."""
    if base.n < 2 or cur.n < 2:
        note = "fewer than 2 answers in a wave: no test"
        return WelchTest(TestResult("welch_t", None, None, None, note), None, None)
    se_base, se_cur = base.variance / base.n, cur.variance / cur.n
    se = math.sqrt(se_base + se_cur)
    if is_constant(se, base.mean, cur.mean):
        return WelchTest(TestResult("welch_t", None, None, None, CONSTANT_NOTE), None, None)
    hedges = _hedges_g(base, cur)
    hedges_ci = None if hedges is None else hedges_g_interval(hedges, base.n, cur.n, confidence)
    difference = cur.mean - base.mean
    df = (se_base + se_cur) ** 2 / (se_base**2 / (base.n - 1) + se_cur**2 / (cur.n - 1))
    t = difference / se
    p_value = 2 * t_sf(abs(t), df)
    half = float(t_value(confidence, df)) * se
    return WelchTest(TestResult("welch_t", t, df, p_value), Interval(difference - half, difference + half),
                     hedges, hedges_ci)


def hedges_g_interval(g: float, n_base: int, n_cur: int, confidence: float) -> Interval:
    """g +- z sqrt((n_b + n_c)/(n_b n_c) + g^2/(2(n_b + n_c))): Hedges & Olkin (1985), eq. 5.15."""
    total = n_base + n_cur
    half = z_value(confidence) * math.sqrt(total / (n_base * n_cur) + g * g / (2 * total))
    return Interval(g - half, g + half)


def _hedges_g(base: Moments, cur: Moments) -> float | None:
    pooled_variance = ((base.n - 1) * base.variance + (cur.n - 1) * cur.variance) / (base.n + cur.n - 2)
    # A pooled SD that is rounding noise would give g ~ 1e15: no effect size then.
    if is_constant(math.sqrt(max(pooled_variance, 0.0)), base.mean, cur.mean):
        return None
    correction = 1 - 3 / (4 * (base.n + cur.n) - 9)
    return (cur.mean - base.mean) / math.sqrt(pooled_variance) * correction


# ---------------------------------------------------------------- multiple comparisons


ADJUSTMENTS = ("holm", "bh", "none")


def adjust_p_values(p_values: list[float], method: str) -> list[float]:
    """R's p.adjust(p, method = "holm" | "BH" | "none")."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0 or method == "none":
        return p.tolist()
    if method == "holm":
        order = np.argsort(p, kind="stable")
        adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    elif method == "bh":
        order = np.argsort(p, kind="stable")[::-1]
        adjusted = np.minimum.accumulate(m / np.arange(m, 0, -1) * p[order])
    else:
        raise ValueError(f"unknown adjustment {method!r}; use one of {', '.join(ADJUSTMENTS)}")
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    return result.tolist()
