"""Numbers written the APA way: p without a leading zero, statistics to two decimals, a true minus sign."""

from __future__ import annotations

MINUS = "\u2212"


def signed(text: str) -> str:
    """A typographic minus instead of the hyphen Python writes."""
    return text.replace("-", MINUS)


def number(value: float, decimals: int = 2) -> str:
    return signed(f"{value:.{decimals}f}")


def plus(value: float, decimals: int = 2) -> str:
    return signed(f"{value:+.{decimals}f}")


def percent(value: float) -> str:
    """A proportion as a percentage to one decimal, without the % sign."""
    return number(100 * value, 1)


def df(value: float) -> str:
    """Whole degrees of freedom as integers, Welch's fractional ones to two decimals."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def p_value(value: float) -> str:
    """'= .034' or '< .001' (APA: exact to three decimals, no leading zero)."""
    if value < 0.001:
        return "<\u00a0.001"
    text = f"{value:.3f}"
    if text == "0.050" and value != 0.05:  # .0496 or .0504: three decimals would hide which side of .05 it is
        text = f"{value:.4f}"
    return "=\u00a0" + (text[1:] if text.startswith("0") else text)


def estimate(kind: str, value: float) -> str:
    return percent(value) + "%" if kind == "proportion" else number(value)


def bound(kind: str, value: float) -> str:
    return percent(value) if kind == "proportion" else number(value)


def difference(kind: str, value: float) -> str:
    return plus(100 * value, 1) if kind == "proportion" else plus(value)
