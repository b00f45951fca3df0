"""A trend as JSON (the contract: fields may be added, none removed or renamed), flat CSV, or a terminal table."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from questionnaires.cells import csv_cell

from ..formats import SHORT_DESIGNS, SHORT_TESTS, _estimate, _grouped, _heading, _p, _wrap
from ..results import _interval, _number, _wave, software
from .build import FEW_WAVES, Step, Trend, TrendRow

TREND_TESTS = {"cochran_armitage": "Cochran-Armitage", "linear": "lm slope", "logistic": "glm slope",
               "weighted_linear": "svyglm slope", "weighted_logistic": "svyglm slope"}


def _step(step: Step) -> dict[str, Any]:
    return {"from": step.start, "to": step.end, "difference": _number(step.difference),
            "difference_ci": _interval(step.difference_ci), "test": step.test, "statistic": _number(step.statistic),
            "df": _number(step.df), "p_value": _number(step.p_value), "p_adjusted": _number(step.p_adjusted),
            "note": step.note}


def _wave_estimate(wave) -> dict[str, Any]:
    """A round's n, estimate and interval; weighted rows add the Kish design effect and the effective n."""
    estimate = wave.estimate
    found = {"wave": wave.wave, "position": wave.position, "n": estimate.n, "estimate": _number(estimate.estimate),
             "ci": _interval(estimate.ci)}
    if estimate.deff is not None:
        found |= {"deff": _number(estimate.deff), "n_effective": _number(estimate.n_effective)}
    return found


def row_dict(row: TrendRow) -> dict[str, Any]:
    fit = row.trend
    return {
        "item": row.item, "group": row.group, "design": row.design, "kind": row.kind, "base": row.base,
        "asked_if": row.asked_if, "family": row.family, "role": row.role,
        "waves": [_wave_estimate(wave) for wave in row.waves],
        "steps": [_step(step) for step in row.steps],
        "from_first": [_step(step) for step in row.from_first],
        "trend": None if fit is None else
        {"test": fit.test, "statistic": _number(fit.statistic), "df": _number(fit.df), "slope": _number(fit.slope),
         "slope_ci": _interval(fit.slope_ci), "p_value": _number(fit.p_value), "p_adjusted": _number(row.p_adjusted),
         "note": fit.note},
        "note": row.note,
    }


def to_dict(trend: Trend) -> dict[str, Any]:
    questionnaire = trend.questionnaire
    return {
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version,
                          "fingerprint": questionnaire.fingerprint},
        "waves": [{"label": label, "position": position, **_wave(data)}
                  for label, position, data in zip(trend.labels, trend.positions, trend.waves, strict=True)],
        "settings": {
            "confidence": trend.confidence, "adjust": trend.adjust, "by_group": trend.by_group, **trend.settings,
            "adjust_families": "trend tests of rows sharing a group, a design and a role (headline or other); "
                               "each step with the same step of those rows",
            "steps": "the tests compare uses for the pair and design: Pearson chi-square or Fisher (proportions), "
                     "Mann-Whitney U (ordinal), Welch's t (scores), Cochran-Mantel-Haenszel (stratified), "
                     "z test of the means standardised to the later wave's mix (stratified means), "
                     "z test of the weighted estimates (weighted)",
            "intervals": "Wilson score (proportions), Newcombe hybrid score (differences of proportions), "
                         "t (means); weighted: as compare's weighted rows (R svymean; shares svyciprop logit)",
            "trend_tests": "independent: Cochran-Armitage chi-square for trend (proportions; R prop.trend.test), "
                           "slope of lm(y ~ position) with its t test (ordinal as scores, scores); stratified: "
                           "glm(y ~ position + group, binomial), Wald z; weighted: svyglm(y ~ position) with strata "
                           "wave x group and finite population correction, quasibinomial (proportions) or gaussian, "
                           "t test on the design's degrees of freedom",
            "slope_scale": "cochran_armitage: proportion per position; logistic and weighted_logistic: log-odds "
                           "per position; linear and weighted_linear: the item's units per position",
            "few_waves": f"below {FEW_WAVES} waves the trend test is computed but has little power",
        },
        "software": software(),
        "lead": dict(trend.lead),
        "mix_changed": trend.mix_changed,
        "mix_test": None if trend.mix_test is None else
        {"test": "chi2", "statistic": _number(trend.mix_test.statistic), "df": trend.mix_test.df,
         "p_value": _number(trend.mix_test.p_value)},
        "notes": list(trend.notes),
        "results": [row_dict(row) for row in trend.results],
    }


def to_json(trend: Trend) -> str:
    return json.dumps(to_dict(trend), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


CSV_COLUMNS = ["item", "group", "design", "kind", "row", "wave", "from", "to", "n", "estimate", "ci_low",
               "ci_high", "difference", "difference_ci_low", "difference_ci_high", "test", "statistic", "df",
               "slope", "slope_ci_low", "slope_ci_high", "p_value", "p_adjusted", "note"]


def flat_rows(trend: Trend) -> list[dict]:
    """A line per wave, per step and per trend test of each row (`row` says which)."""
    lines = []
    for row in map(row_dict, trend.results):
        head = {key: row[key] for key in ("item", "group", "design", "kind")}
        for wave in row["waves"]:
            low, high = wave["ci"] or (None, None)
            lines.append({**head, "row": "wave", "wave": wave["wave"], "n": wave["n"], "estimate": wave["estimate"],
                          "ci_low": low, "ci_high": high})
        for kind in ("steps", "from_first"):
            for step in row[kind]:
                low, high = step["difference_ci"] or (None, None)
                lines.append({**head, "row": "step" if kind == "steps" else "from_first", "from": step["from"],
                              "to": step["to"], "difference": step["difference"], "difference_ci_low": low,
                              "difference_ci_high": high, **{k: step[k] for k in ("test", "statistic", "df",
                                                                                   "p_value", "p_adjusted", "note")}})
        fit = row["trend"]
        if fit is not None:
            low, high = fit["slope_ci"] or (None, None)
            lines.append({**head, "row": "trend", **{k: fit[k] for k in ("test", "statistic", "df", "slope", "p_value",
                                                                          "p_adjusted")},
                          "slope_ci_low": low, "slope_ci_high": high, "note": "; ".join(
                              n for n in (row["note"], fit["note"]) if n) or None})
    return lines


def to_csv(trend: Trend) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for line in flat_rows(trend):
        writer.writerow({key: "" if line.get(key) is None else csv_cell(line[key]) for key in CSV_COLUMNS})
    return buffer.getvalue()


def _change(kind: str, step: dict) -> str:
    value = step["difference"]
    if value is None:
        return "–"
    scale, digits = (100, 1) if kind == "proportion" else (1, 2)
    arrow = "" if step["p_value"] is None else "▲" if step["p_value"] < 0.05 and value > 0 else \
        "▼" if step["p_value"] < 0.05 else ""
    return f"{scale * value:+.{digits}f}{' pp' if kind == 'proportion' else ''} (p{_equals(_p(step['p_value']))}){arrow}"


def _trend_line(kind: str, fit: dict | None, level: str) -> str:
    if fit is None:
        return "trend: –"
    if fit["p_value"] is None:
        return f"trend: {TREND_TESTS.get(fit['test'], fit['test'])}: no test"
    scale, unit = (100, " pp") if fit["test"] == "cochran_armitage" else (1, "")
    slope = f"{scale * fit['slope']:+.3g}{unit} per position"
    if fit["slope_ci"] and fit["slope_ci"][0] is not None:
        slope += f" [{level} CI {scale * fit['slope_ci'][0]:.3g}, {scale * fit['slope_ci'][1]:.3g}]"
    statistic = "" if fit["statistic"] is None else f", statistic {fit['statistic']:.3g}" + (
        f" (df={fit['df']:g})" if fit["df"] is not None else "")
    return (f"trend: {TREND_TESTS.get(fit['test'], fit['test'])} {slope}{statistic}, p{_equals(_p(fit['p_value']))}, "
            f"p.adj{_equals(_p(fit['p_adjusted']))}")


def _equals(p_text: str) -> str:
    """'=0.297' or '<0.001': written without a space, so that a wrapped line never splits a p value."""
    return p_text if p_text[:1] in "<>–" else f"={p_text}"


def to_table(trend: Trend) -> str:
    """Per row: each wave's estimate (n), each step's change with its p (▲ ▼ where p < 0.05), and the trend
    test; notes indented below. Every number is in JSON and CSV."""
    data = to_dict(trend)
    level = f"{100 * trend.confidence:g}%"
    questionnaire = trend.questionnaire
    out = _wrap(f"{questionnaire.id} {questionnaire.version}: waves " + ", ".join(
        wave["label"] + ("" if wave["source"] == f"wave {wave['label']}" else f" ({wave['source']})")
        for wave in data["waves"]) + f"; p adjusted by {trend.adjust}", "    ")
    for group, rows in _grouped(data["results"]):
        heading, shared = _heading(group, rows)
        out.extend(heading)
        previous = None
        for row in rows:
            if row["item"] != previous:  # each item's rows of every design under it
                out.append(row["item"])
            previous = row["item"]
            # With several designs, each row's first line names its design (the heading says what each is).
            design = f"{SHORT_DESIGNS.get(row['design'], row['design'])}: " if len(heading) > 1 else ""
            out.append(f"    {design}" + "   ".join(f"{wave['wave']}: {_estimate(row['kind'], wave)}"
                                                   for wave in row["waves"]))
            if row["steps"]:
                out.extend(_wrap("    steps: " + "; ".join(f"{s['from']}→{s['to']} {_change(row['kind'], s)}"
                                                           + (f" {SHORT_TESTS.get(s['test'], s['test'])}"
                                                              if s["test"] else "") for s in row["steps"]), "      "))
            out.extend(_wrap("    " + _trend_line(row["kind"], row["trend"], level), "      "))
            for note in (row["note"], (row["trend"] or {}).get("note")):
                if note and note != shared.get(row["design"]):
                    out.extend(_wrap("    note: " + note, "          "))
    for note in data["notes"]:
        out.extend(_wrap(f"note: {note}", "      "))
    return "\n".join(out) + "\n"


__all__ = ["CSV_COLUMNS", "flat_rows", "row_dict", "to_csv", "to_dict", "to_json", "to_table"]
