"""Disclosure control for reports: small cells hidden, estimates on few respondents in parentheses (DHS)."""

from __future__ import annotations

from . import apa

CAUTION_BELOW = 25  # DHS convention: an estimate on fewer than 25 respondents is shown in parentheses


def hidden(n: int, min_cell: int) -> bool:
    """A small cell: 1 to min_cell − 1 respondents (none is "no answers", which discloses nothing)."""
    return 0 < n < min_cell


def cautious(n: int) -> bool:
    return 0 < n < CAUTION_BELOW


def _interval(kind: str, ci) -> str:
    if not ci or ci[0] is None:
        return ""
    return f" [{apa.bound(kind, ci[0])}, {apa.bound(kind, ci[1])}]"


def estimate_cell(kind: str, wave: dict, min_cell: int) -> str:
    """A wave's estimate with its interval, "n < 5" for a small cell, in parentheses under 25, "–" for none."""
    if hidden(wave["n"], min_cell):
        return f"n < {min_cell}"
    if wave["n"] == 0 or wave["estimate"] is None:
        return "–"
    text = apa.estimate(kind, wave["estimate"]) + _interval(kind, wave["ci"])
    return f"({text})" if cautious(wave["n"]) else text


def difference_cell(row: dict, min_cell: int) -> str:
    """The difference and its interval, hidden when either wave's cell is."""
    smallest = min(row["baseline"]["n"], row["current"]["n"])
    if smallest == 0:  # nothing to compare (and nothing disclosed)
        return "–"
    if hidden(smallest, min_cell):
        return f"n < {min_cell}"
    if row["difference"] is None:
        return "–"
    kind = row["kind"]
    ci = row["difference_ci"]
    text = apa.difference(kind, row["difference"])
    if ci and ci[0] is not None:
        scale, digits = (100, 1) if kind == "proportion" else (1, 2)
        text += f" [{apa.number(scale * ci[0], digits)}, {apa.number(scale * ci[1], digits)}]"
    return f"({text})" if cautious(smallest) else text


def shown(row: dict, min_cell: int) -> bool:
    """Whether a row's test and effect may be shown (no wave's cell is hidden)."""
    return not any(hidden(row[wave]["n"], min_cell) for wave in ("baseline", "current"))


def any_caution(rows: list[dict], min_cell: int) -> bool:
    return any(not hidden(row[w]["n"], min_cell) and cautious(row[w]["n"]) for row in rows
               for w in ("baseline", "current"))


def any_hidden(rows: list[dict], min_cell: int) -> bool:
    return any(hidden(row[w]["n"], min_cell) for row in rows for w in ("baseline", "current"))
