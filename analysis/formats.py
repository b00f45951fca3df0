"""Render a comparison as JSON, an aligned terminal table, or flat CSV rows."""

from __future__ import annotations

import csv
import io
import json

from questionnaires.cells import csv_cell

from .compare import Comparison, result_dict, to_dict

CSV_COLUMNS = [
    "item", "group", "design", "kind",
    "baseline_n", "baseline_estimate", "baseline_ci_low", "baseline_ci_high",
    "current_n", "current_estimate", "current_ci_low", "current_ci_high",
    "difference", "difference_ci_low", "difference_ci_high",
    "test", "statistic", "df", "p_value", "p_adjusted", "effect_size_name", "effect_size", "note",
    # weighted rows: Kish design effect, effective n, groups of a single respondent
    "baseline_deff", "baseline_n_effective", "current_deff", "current_n_effective", "lonely_groups",
]


def to_json(comparison: Comparison) -> str:
    return json.dumps(to_dict(comparison), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def flat_rows(comparison: Comparison) -> list[dict]:
    rows = []
    for row in map(result_dict, comparison.results):
        flat = {key: row[key] for key in ("item", "group", "design", "kind", "difference", "test", "statistic",
                                          "df", "p_value", "p_adjusted", "note")}
        for wave in ("baseline", "current"):
            flat[f"{wave}_n"] = row[wave]["n"]
            flat[f"{wave}_estimate"] = row[wave]["estimate"]
            flat[f"{wave}_ci_low"], flat[f"{wave}_ci_high"] = row[wave]["ci"] or (None, None)
            flat[f"{wave}_deff"], flat[f"{wave}_n_effective"] = row[wave].get("deff"), row[wave].get("n_effective")
        flat["difference_ci_low"], flat["difference_ci_high"] = row["difference_ci"] or (None, None)
        effect = row["effect_size"] or {}
        flat["effect_size_name"], flat["effect_size"] = effect.get("name"), effect.get("value")
        flat["lonely_groups"] = " ".join(row["lonely_groups"]) or None
        rows.append(flat)
    return rows


def to_csv(comparison: Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in flat_rows(comparison):
        # csv_cell: item and group names come from questionnaire files; no cell may run as a formula.
        writer.writerow({key: "" if value is None else csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()


TABLE_WIDTH = 100  # columns of the terminal table
SHORT_TESTS = {"chi2": "chi2", "fisher": "Fisher", "mann_whitney": "MWU", "welch_t": "Welch",
               "cmh": "CMH", "mcnemar_exact": "McNemar", "wilcoxon": "Wilcox", "paired_t": "pair t", "z": "z",
               "std_z": "std z"}
SHORT_EFFECTS = {"cohens_h": "h", "rank_biserial": "r", "hedges_g": "g", "mh_odds_ratio": "OR", "cohens_dz": "dz"}
SHORT_DESIGNS = {"independent": "indep", "stratified": "strat", "paired": "pair", "weighted": "wtd"}
DESIGN_NAMES = {"independent": "independent samples", "stratified": "adjusted for group (CMH; means standardised)",
                "paired": "paired (same respondent key)", "weighted": "weighted to the population sizes"}
MIN_ITEM_WIDTH = 12  # a longer item id gets a line of its own


def _estimate(kind: str, wave: dict) -> str:
    value = wave["estimate"]
    if value is None:
        return f"– ({wave['n']})"
    number = f"{100 * value:.1f}%" if kind == "proportion" else f"{value:.2f}"
    return f"{number} ({wave['n']})"


def _difference(row: dict) -> str:
    kind, value, ci = row["kind"], row["difference"], row["difference_ci"]
    if value is None:
        return "–"
    scale, digits = (100, 1) if kind == "proportion" else (1, 2)
    text = f"{scale * value:+.{digits}f}" + (" pp" if kind == "proportion" else "")
    if ci and ci[0] is not None:
        text += f" [{scale * ci[0]:.{digits}f}, {scale * ci[1]:.{digits}f}]"
    return text


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _design(row: dict) -> str:
    return row.get("design") or "independent"


def _effect(effect: dict | None) -> str:
    if not effect or effect["value"] is None:
        return "–"
    # A signed difference (h, r, g, dz) shows its direction; an odds ratio is a ratio: 0.72, not +0.72.
    sign = "" if effect["name"].endswith("odds_ratio") else "+"
    return f"{SHORT_EFFECTS.get(effect['name'], effect['name'])} {effect['value']:{sign}.2f}"


def _table_line(row: dict) -> tuple[str, ...]:
    return (row["item"], SHORT_DESIGNS.get(_design(row), _design(row)),
            _estimate(row["kind"], row["baseline"]), _estimate(row["kind"], row["current"]), _difference(row),
            SHORT_TESTS.get(row["test"], row["test"] or "–"), _p(row["p_value"]), _p(row["p_adjusted"]),
            _effect(row["effect_size"]))


def _widths(lines: list[tuple[str, ...]], gaps: list[int]) -> list[int]:
    """Each column as wide as its widest cell; the item column gives way down to MIN_ITEM_WIDTH."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    excess = sum(widths) + sum(gaps) - TABLE_WIDTH
    if excess > 0:
        cut = min(excess, max(widths[0] - MIN_ITEM_WIDTH, 0))
        widths[0] -= cut
        if excess > cut:  # extreme numbers: every item id on a line of its own, the row below it
            widths[0] = len(lines[0][0])
    return widths


def _grouped(results: list[dict]) -> list[tuple[str, list[dict]]]:
    """The rows by group, and within a group by item: each item's rows of every design together, in the order
    the comparison gives them (a stratified or weighted row straight below the item's independent one)."""
    groups: dict[str, dict[str, list[dict]]] = {}
    for row in results:
        groups.setdefault(row["group"], {}).setdefault(row["item"], []).append(row)
    return [(group, [row for rows in items.values() for row in rows]) for group, items in groups.items()]


def _heading(group: str, rows: list[dict]) -> tuple[list[str], dict[str, str]]:
    """The group's heading: its design named when it has one; with several, a line per design giving its short
    name, and the note every row of that design carries (said there once instead of under each row)."""
    designs = list(dict.fromkeys(_design(row) for row in rows))
    if len(designs) == 1:
        return [f"-- group {group}, {DESIGN_NAMES.get(designs[0], designs[0])}"], {}
    lines, shared = [f"-- group {group}: each item's rows, one per design"], {}
    for design in designs:
        notes = {row["note"] for row in rows if _design(row) == design}
        text = f"   {SHORT_DESIGNS.get(design, design)} = {DESIGN_NAMES.get(design, design)}"
        if len(notes) == 1 and None not in notes and sum(_design(row) == design for row in rows) > 1:
            shared[design] = notes.pop()
            text += f"; on every row: {shared[design]}"
        lines.extend(_wrap(text, " " * (len(SHORT_DESIGNS.get(design, design)) + 6)))
    return lines, shared


def to_table(comparison: Comparison) -> str:
    """Within 100 columns: a heading per group naming its designs, then each item's rows (one per design, the
    item id on the first), each with the design, estimates with n, the difference with its interval, the test,
    p, adjusted p and effect size; a long item id on a line of its own, notes indented below. Every number is
    in JSON and CSV."""
    data = to_dict(comparison)
    level = f"{100 * comparison.confidence:g}%"
    header = ("item", "design", "baseline (n)", "current (n)", f"difference [{level} CI]", "test", "p", "p adj",
              "effect")
    gaps = [2] + [1] * (len(header) - 2)
    widths = _widths([header, *map(_table_line, data["results"])], gaps)

    def line_of(cells: tuple[str, ...]) -> str:
        return "".join(cell.ljust(width) + " " * gap
                       for cell, width, gap in zip(cells, widths, [*gaps, 0], strict=True)).rstrip()

    out = _wrap(f"{comparison.questionnaire.id} {comparison.questionnaire.version}: {data['baseline']['source']} "
                f"(baseline) vs {data['current']['source']} (current); p adjusted by {comparison.adjust}", "    ")
    out.append(line_of(header))
    for group, rows in _grouped(data["results"]):
        heading, shared = _heading(group, rows)
        out.extend(heading)
        previous = None
        for row in rows:
            line = _table_line(row)
            if row["item"] == previous:  # the same item in another design: its id is on the row above
                line = ("", *line[1:])
            elif len(line[0]) > widths[0]:  # a long item id gets a line of its own, never cut
                out.append(line[0])
                line = ("", *line[1:])
            previous = row["item"]
            out.append(line_of(line))
            if row["note"] and row["note"] != shared.get(_design(row)):
                out.extend(_wrap("    note: " + row["note"], "          "))
    for note in data["notes"]:
        out.extend(_wrap(f"note: {note}", "      "))
    return "\n".join(out) + "\n"


def _wrap(text: str, indent: str) -> list[str]:
    """A note wrapped to the table's width (rows are never wrapped: they fit)."""
    import textwrap

    return textwrap.wrap(text, TABLE_WIDTH, subsequent_indent=indent, break_on_hyphens=False) or [text]
