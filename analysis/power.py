"""How large a change in a proportion two waves can detect, and how many respondents a change needs.

The normal approximation of R's power.prop.test (two-sided, strict = FALSE), with an optional
finite population correction: sampling n of N without replacement is worth n(N - 1)/(N - n)
respondents drawn with replacement (Cochran 1977, 4.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import optimize
from scipy import stats as distributions


@dataclass(frozen=True)
class Plan:
    baseline: float  # the proportion at the baseline
    n: float  # respondents per wave
    alpha: float = 0.05
    power: float = 0.8
    population: int | None = None  # total population size, for the finite population correction


def _check(baseline: float, alpha: float, power: float) -> None:
    if not 0 < baseline < 1:
        raise ValueError(f"the baseline proportion must be between 0 and 1, not {baseline}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    if not 0 < power < 1:
        raise ValueError(f"power must be between 0 and 1, not {power}")


def effective_n(n: float, population: int | None) -> float:
    """Respondents per wave as worth as many drawn with replacement."""
    if population is None:
        return n
    if n >= population:
        raise ValueError(f"{n:g} respondents per wave is not a sample of a population of {population}")
    return n * (population - 1) / (population - n)


def power_of(n: float, p1: float, p2: float, alpha: float) -> float:
    """R: power.prop.test(n, p1, p2, sig.level = alpha)$power (two-sided, strict = FALSE)."""
    q1, q2 = 1 - p1, 1 - p2
    z = distributions.norm.isf(alpha / 2)
    numerator = math.sqrt(n) * abs(p1 - p2) - z * math.sqrt((p1 + p2) * (q1 + q2) / 2)
    return float(distributions.norm.cdf(numerator / math.sqrt(p1 * q1 + p2 * q2)))


def detectable_rise(plan: Plan) -> float | None:
    """The smallest p2 - p1 > 0 found with the plan's power; None if even p2 = 1 is not.
    R: power.prop.test(n, p1, power = power, sig.level = alpha)$p2 - p1."""
    _check(plan.baseline, plan.alpha, plan.power)
    n = effective_n(plan.n, plan.population)
    p1 = plan.baseline
    top = 1 - 1e-12
    if power_of(n, p1, top, plan.alpha) < plan.power:
        return None
    p2 = optimize.brentq(lambda p: power_of(n, p1, p, plan.alpha) - plan.power, p1 + 1e-12, top, xtol=1e-14)
    return p2 - p1


def detectable_fall(plan: Plan) -> float | None:
    """The smallest p1 - p2 > 0 found with the plan's power (the rise from 1 - p1, by symmetry)."""
    mirrored = Plan(1 - plan.baseline, plan.n, plan.alpha, plan.power, plan.population)
    return detectable_rise(mirrored)


def sample_size(baseline: float, difference: float, alpha: float = 0.05, power: float = 0.8,
                population: int | None = None) -> float:
    """Respondents per wave to detect `difference` (p2 = baseline + difference).
    R: power.prop.test(p1, p2, power = power, sig.level = alpha)$n, then the finite population correction
    n = n0 N / (n0 + N - 1)."""
    _check(baseline, alpha, power)
    p1, p2 = baseline, baseline + difference
    if not 0 < p2 < 1 or difference == 0:
        raise ValueError(f"baseline + difference must be a proportion other than the baseline, not {p2:g}")
    z_alpha, z_power = distributions.norm.isf(alpha / 2), distributions.norm.isf(1 - power)
    root = z_alpha * math.sqrt((p1 + p2) * (2 - p1 - p2) / 2) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    n0 = (root / difference) ** 2
    if population is None:
        return float(n0)
    return float(n0 * population / (n0 + population - 1))
