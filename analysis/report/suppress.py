"""Disclosure control for reports: which cells are hidden, and how the shown ones are written.

A cell is one wave's estimate of one row (an item, a group, a design). It is hidden (primary suppression)
when it rests on 1 to min_cell − 1 respondents, or when it is a share of 0 % or 100 % on fewer than 25
respondents (every one of them gave the same answer). Where the groups of an item are shown beside their
total, a single hidden group could be recovered as the total minus the other groups: the smallest other
groups are hidden too (secondary suppression) until the hidden cells together hold at least min_cell
respondents and are not all of one answer. A hidden cell shows neither its estimate nor its n, in the
tables, the sentences and the charts alike. Estimates on fewer than 25 respondents are in parentheses (DHS).
"""

from __future__ import annotations

from . import apa

CAUTION_BELOW = 25  # DHS convention: an estimate on fewer than 25 respondents is shown in parentheses
SMALL, EXTREME, COMPLEMENT = "small", "extreme", "complement"  # why a cell is hidden
MARK = "‡"  # a cell hidden so that another cannot be derived (or all of whose few respondents agree)
WAVES = ("baseline", "current")


def hidden(n: int, min_cell: int) -> bool:
    """A small cell: 1 to min_cell − 1 respondents (none is "no answers", which discloses nothing)."""
    return 0 < n < min_cell


def cautious(n: int) -> bool:
    return 0 < n < CAUTION_BELOW


def _extreme(kind: str, wave: dict) -> bool:
    """A share of 0 % or 100 % on fewer than 25 respondents: it tells each respondent's answer."""
    return (kind == "proportion" and cautious(wave["n"]) and wave["estimate"] is not None
            and wave["estimate"] in (0.0, 1.0))


def primary(kind: str, wave: dict, min_cell: int) -> str | None:
    """Why a cell must be hidden on its own (None: it may be shown)."""
    if hidden(wave["n"], min_cell):
        return SMALL
    return EXTREME if _extreme(kind, wave) else None


def reason(kind: str, wave: dict, min_cell: int) -> str | None:
    """Why a cell is hidden: the mark `mark` left on it, else its own primary reason."""
    return wave["suppressed"] if "suppressed" in wave else primary(kind, wave, min_cell)


def _needs_more(cells: list[tuple[str, dict]], kind: str, min_cell: int) -> bool:
    """Whether the hidden cells of a set, added up, would still disclose: one alone, few, or all alike."""
    hidden_cells = [wave for why, wave in cells if why]
    if not hidden_cells:
        return False
    n = sum(wave["n"] for wave in hidden_cells)
    if len(hidden_cells) == 1 or n < min_cell:
        return True
    if kind != "proportion" or n >= CAUTION_BELOW or any(w["estimate"] is None for w in hidden_cells):
        return False
    share = sum(w["estimate"] * w["n"] for w in hidden_cells) / n
    return round(share, 9) in (0.0, 1.0)


def _complement(rows: list[dict], wave: str, min_cell: int) -> None:
    """Hide the smallest shown groups of one item, design and wave until the hidden ones are safe together."""
    kind = rows[0]["kind"]
    cells = [[row[wave].get("suppressed"), row[wave]] for row in rows if row[wave]["n"] > 0]
    while _needs_more(cells, kind, min_cell):
        shown = [cell for cell in cells if not cell[0]]
        if not shown:
            return
        smallest = min(shown, key=lambda cell: cell[1]["n"])
        smallest[0] = smallest[1]["suppressed"] = COMPLEMENT


def mark(results: list[dict], min_cell: int) -> list[dict]:
    """Copies of the comparison's rows with each wave's cell marked "suppressed": None or why it is hidden.

    The comparison's JSON itself (report.json) keeps every number unmarked, for `verify`."""
    rows = [row | {wave: row[wave] | {"suppressed": primary(row["kind"], row[wave], min_cell)} for wave in WAVES}
            for row in results]
    sets: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["group"] != "all":
            sets.setdefault((row["item"], row.get("design") or "independent"), []).append(row)
    for members in sets.values():
        for wave in WAVES:
            _complement(members, wave, min_cell)
    return rows


def _interval(kind: str, ci) -> str:
    if not ci or ci[0] is None:
        return ""
    return f" [{apa.bound(kind, ci[0])}, {apa.bound(kind, ci[1])}]"


def _hidden_text(why: str, min_cell: int) -> str:
    return f"n < {min_cell}" if why == SMALL else MARK


def n_cell(kind: str, wave: dict, min_cell: int) -> str:
    """A cell's number of respondents, unless the cell is hidden."""
    why = reason(kind, wave, min_cell)
    return _hidden_text(why, min_cell) if why else str(wave["n"])


def estimate_cell(kind: str, wave: dict, min_cell: int) -> str:
    """A wave's estimate with its interval, "n < 5" or ‡ when hidden, in parentheses under 25, "–" for none."""
    why = reason(kind, wave, min_cell)
    if why:
        return _hidden_text(why, min_cell)
    if wave["n"] == 0 or wave["estimate"] is None:
        return "–"
    text = apa.estimate(kind, wave["estimate"]) + _interval(kind, wave["ci"])
    return f"({text})" if cautious(wave["n"]) else text


def difference_cell(row: dict, min_cell: int) -> str:
    """The difference and its interval, hidden when either wave's cell is."""
    smallest = min(row["baseline"]["n"], row["current"]["n"])
    if smallest == 0:  # nothing to compare (and nothing disclosed)
        return "–"
    reasons = [reason(row["kind"], row[wave], min_cell) for wave in WAVES]
    if any(reasons):
        return _hidden_text(SMALL if SMALL in reasons else MARK, min_cell)
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
    return not any(reason(row["kind"], row[wave], min_cell) for wave in WAVES)


def any_caution(rows: list[dict], min_cell: int) -> bool:
    return any(not reason(row["kind"], row[w], min_cell) and cautious(row[w]["n"]) for row in rows for w in WAVES)


def any_hidden(rows: list[dict], min_cell: int, why: str = SMALL) -> bool:
    """Whether any cell is hidden for `why` (SMALL), or for either other reason (MARK)."""
    reasons = {reason(row["kind"], row[w], min_cell) for row in rows for w in WAVES}
    return why in reasons if why == SMALL else bool(reasons & {EXTREME, COMPLEMENT})
