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
        flat["difference_ci_low"], flat["difference_ci_high"] = row["difference_ci"] or (None, None)
        effect = row["effect_size"] or {}
        flat["effect_size_name"], flat["effect_size"] = effect.get("name"), effect.get("value")
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


def _estimate(kind: str, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f}%" if kind == "proportion" else f"{value:.2f}"


def _ci(kind: str, interval) -> str:
    if not interval or interval[0] is None:
        return ""
    low, high = interval
    if kind == "proportion":
        return f"[{100 * low:.1f}, {100 * high:.1f}]"
    return f"[{low:.2f}, {high:.2f}]"


def _difference(kind: str, value: float | None) -> str:
    if value is None:
        return "–"
    return f"{100 * value:+.1f} pp" if kind == "proportion" else f"{value:+.2f}"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def to_table(comparison: Comparison) -> str:
    """Percentages for proportions, means for ordinal items and scores, aligned for a terminal."""
    data = to_dict(comparison)
    header = ("item", "group", "kind", "n base", "baseline", "n cur", "current", "difference", "95% CI",
              "test", "p", "p adj", "effect", "note")
    confidence = f"{100 * comparison.confidence:g}% CI"
    header = header[:8] + (confidence,) + header[9:]
    lines = [header]
    for row in data["results"]:
        kind = row["kind"]
        effect = row["effect_size"]
        lines.append((
            row["item"], row["group"], kind,
            str(row["baseline"]["n"]), f"{_estimate(kind, row['baseline']['estimate'])} {_ci(kind, row['baseline']['ci'])}",
            str(row["current"]["n"]), f"{_estimate(kind, row['current']['estimate'])} {_ci(kind, row['current']['ci'])}",
            _difference(kind, row["difference"]), _ci(kind, row["difference_ci"]),
            row["test"] or "–", _p(row["p_value"]), _p(row["p_adjusted"]),
            f"{effect['name']} {effect['value']:+.2f}" if effect and effect["value"] is not None else "–",
            row["note"] or "",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = [f"{comparison.questionnaire.id} {comparison.questionnaire.version}: "
           f"{data['baseline']['source']} (baseline) vs {data['current']['source']} (current); "
           f"p adjusted by {comparison.adjust}"]
    for line in lines:
        out.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)) + "  " + line[-1])
    out.extend(f"note: {note}" for note in data["notes"])
    return "\n".join(text.rstrip() for text in out) + "\n"
