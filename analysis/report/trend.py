"""A report over the policy period, built from a trend's JSON (`analysis.trend.to_dict`).

It is the two-round report's document (the same writers, lead design, suppression and wording), with a
sentence per headline item over every round, a trend chart per item, and a table of the rounds with the
significant steps marked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from questionnaires import Questionnaire

from . import apa, suppress
from .content import LABELLED_DESIGNS, Report, Section, TableRow, _group_label, _section_of, with_marks
from .cover import open_waves, title_block
from .i18n import note, word
from .lead import chart_rows, design, headline_rows, lead_design
from .methods import REFERENCES
from .sentences import Context, _estimate, _p_part, significant
from .stamp import FACTS, _alike, _key, _leaves, _same
from .stamp import stamp as two_round_stamp
from .subjects import KNOWLEDGE_SCORE, base_phrase, question, subject
from .trend_charts import groups_chart, rounds_chart

TREND_REFERENCES = (
    "Armitage, P. (1955). Tests for linear trends in proportions and frequencies. Biometrics, 11(3), 375–386.",
    "Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex surveys. "
    "International Statistical Review, 51(3), 279–292.",
    "Cochran, W. G. (1954). Some methods for strengthening the common χ² tests. Biometrics, 10(4), 417–451.",
    "Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley.",
)
FEW_ROUNDS = 4
STEP_UP, STEP_DOWN = "▲", "▼"


@dataclass
class TrendReport(Report):
    rounds: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        return [word("question", self.language), word("group", self.language), *self.rounds,
                word("trend_column", self.language), "p", word("p_adjusted", self.language)]


def marked(data: dict, min_cell: int) -> list[dict]:
    """Copies of the rows with each round's cell marked "suppressed" as the two-round report marks its cells:
    small and extreme cells, then, among an item's groups, the smallest others so that none can be derived."""
    rows = [row | {"waves": [wave | {"suppressed": suppress.primary(row["kind"], wave, min_cell)}
                             for wave in row["waves"]]} for row in data["results"]]
    sets: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["group"] != "all":
            sets.setdefault((row["item"], design(row)), []).append(row)
    for members in sets.values():
        for wave in data["waves"]:
            label = wave["label"]
            # The same cell dicts, under the round's label: suppress marks them in place.
            cells = [{"kind": member["kind"], label: cell} for member in members for cell in member["waves"]
                     if cell["wave"] == label]
            if cells:
                suppress._complement(cells, label, min_cell)
    return rows


def _hidden(row: dict, min_cell: int) -> bool:
    return any(suppress.reason(row["kind"], wave, min_cell) for wave in row["waves"])


def _per(data: dict, language: str) -> str:
    years = data["settings"].get("positions") == "label" and all(w["position"] >= 1900 for w in data["waves"])
    return word("per_year" if years else "per_round", language)


def _slope(fit: dict, kind: str, per: str, context: Context, *, short: bool = False) -> str:
    """The slope in words on its scale: percentage points, an odds ratio, or the item's units, per round."""
    ci, language = fit["slope_ci"], context.language
    if fit["test"] in ("logistic", "weighted_logistic"):
        value, bounds = apa.number(math.exp(fit["slope"])), [apa.number(math.exp(b)) for b in ci] if ci else None
        text = f"OR {value}" if short else word("odds_ratio_per", language, value=value, per=per)
    elif fit["test"] == "cochran_armitage":
        value, bounds = apa.plus(100 * fit["slope"], 1), [apa.number(100 * b, 1) for b in ci] if ci else None
        text = f"{value} pp" if short else f"{value} {word('percentage_points', language)} {per}"
    else:
        value, bounds = apa.plus(fit["slope"]), [apa.number(b) for b in ci] if ci else None
        text = value if short else f"{value} {per}"
    if bounds:
        level = f"{100 * context.confidence:g}%"
        text += f" [{bounds[0]}, {bounds[1]}]" if short else \
            f" ({word('interval', language, level=level, low=bounds[0], high=bounds[1])})"
    if short or fit["test"] in ("logistic", "weighted_logistic"):
        return text
    return word("linear_trend", language, value=text)


def _evidence(fit: dict, context: Context) -> str:
    value = apa.number(fit["statistic"])
    if fit["test"] == "cochran_armitage":
        statistic = f"Cochran–Armitage χ²(1) = {value}"
    elif fit["df"] is None:  # the logistic model's Wald test
        statistic = f"Wald z = {value}"
    else:
        statistic = f"t({apa.df(fit['df'])}) = {value}"
    return f"{statistic}, {_p_part(fit, context)}"


def sentence(row: dict, context: Context, data: dict) -> str:
    """The finding over every round of one row: first and last round, the linear trend and its test."""
    language = context.language
    who = subject(context.questionnaire, row["item"], row["kind"], language)
    who += base_phrase(context.questionnaire, row["item"], row.get("base", "answered"), language)
    fit = row["trend"]
    if fit is None or fit["p_value"] is None:
        reason = note((fit or {}).get("note") or row.get("note"), language) or word("no_test", language)
        return word("trend_none", language, who=who, reason=reason)
    if _hidden(row, context.min_cell):
        return word("trend_small", language, who=who, min_cell=context.min_cell)
    first, last = row["waves"][0], row["waves"][-1]
    extra = ""
    if len(row["waves"]) < FEW_ROUNDS:
        extra += word("few_rounds", language, waves=len(row["waves"]))
    if len(row["waves"]) < len(data["waves"]):
        extra += word("asked_in", language, waves=", ".join(wave["wave"] for wave in row["waves"]))
    parts = {"who": who, "first": _estimate({"kind": row["kind"], "w": first}, "w", context),
             "last": _estimate({"kind": row["kind"], "w": last}, "w", context), "first_wave": first["wave"],
             "last_wave": last["wave"], "slope": _slope(fit, row["kind"], _per(data, language), context),
             "evidence": _evidence(fit, context), "extra": extra}
    if significant(fit, context):
        return word("trend_rose" if fit["slope"] > 0 else "trend_fell", language, **parts)
    return word("trend_flat", language, **parts)


def _step_mark(step: dict | None, context: Context) -> str:
    if step is None or step["p_value"] is None or not significant(step, context):
        return ""
    return f" {STEP_UP if step['difference'] > 0 else STEP_DOWN}"


def table_row(questionnaire: Questionnaire, row: dict, rounds: list[str], context: Context, per: str) -> TableRow:
    """A row of the table of rounds: each round's estimate (a significant step into it marked), the trend."""
    min_cell, language = context.min_cell, context.language
    cells = {wave["wave"]: suppress.estimate_cell(row["kind"], wave, min_cell) for wave in row["waves"]}
    shown = {wave["wave"] for wave in row["waves"] if not suppress.reason(row["kind"], wave, min_cell)}
    for step in row["steps"]:
        if step["from"] in shown and step["to"] in shown:
            cells[step["to"]] += _step_mark(step, context)
    fit, visible = row["trend"], not _hidden(row, min_cell)
    trend_cells = ["–", "–", "–"]
    if fit is not None and fit["p_value"] is not None and visible:
        p = lambda value: "–" if value is None else apa.p_value(value).replace("=\u00a0", "")  # noqa: E731
        trend_cells = [_slope(fit, row["kind"], per, context, short=True), p(fit["p_value"]), p(fit["p_adjusted"])]
    return TableRow(question(questionnaire, row["item"], language), _group_label(questionnaire, row, language),
                    tuple(cells.get(label, "–") for label in rounds) + tuple(trend_cells),
                    note(row.get("note"), language))


def _item_chart(questionnaire, row, data, context, with_png):
    """One item over the rounds (its `all` row of the lead design, else independent)."""
    language, rounds = context.language, [wave["label"] for wave in data["waves"]]
    title = word("chart_trend", language, question=question(questionnaire, row["item"], language),
                 confidence=f"{100 * context.confidence:g}%", first=rounds[0])
    return rounds_chart(questionnaire, title, row,
                        legend=(word("first_round_line", language, wave=rounds[0]), word("round", language)),
                        min_cell=context.min_cell, language=language, chart_id=f"trend-{row['item']}",
                        with_png=with_png)


def _group_chart(questionnaire, rows, context, with_png):
    """A headline item by group: each group's first and last round."""
    language = context.language
    labels = {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}
    title = word("chart_trend_groups", language, question=question(questionnaire, rows[0]["item"], language),
                 first=context.baseline, last=context.current)
    return groups_chart(questionnaire, title, rows, labels, legend=(context.baseline, context.current),
                        min_cell=context.min_cell, language=language, chart_id=f"trend-groups-{rows[0]['item']}",
                        with_png=with_png)


def _response(questionnaire, data, language):
    labels = {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}
    codes = [c for c in questionnaire.group_codes if any(c in wave["groups"] for wave in data["waves"])]
    header = [word("group", language)] + [wave["label"] for wave in data["waves"]]
    rows = [[labels[c]] + [str(wave["groups"].get(c, 0)) for wave in data["waves"]] for c in codes]
    rows.append([word("all", language)] + [str(wave["n"] if wave["n"] is not None else sum(wave["groups"].values()))
                                           for wave in data["waves"]])
    return header, rows


def build_trend(data: dict, questionnaire: Questionnaire, *, language: str = "en", min_cell: int = 5,
                title: str | None = None, with_png: bool = False, json_name: str = "report.json",
                cover: dict | None = None) -> TrendReport:
    """The whole report over the period: findings, charts, the table of rounds, respondents, methods, stamp.
    `cover`: organisation, author, the report's date and each round's fieldwork keyed by its name (cover.py)."""
    settings, rounds = data["settings"], [wave["label"] for wave in data["waves"]]
    context = Context(questionnaire, language, rounds[0], rounds[-1], settings["confidence"], settings["adjust"],
                      min_cell)
    rows = marked(data, min_cell)
    shown_data = data | {"results": rows}
    lead = lead_design(shown_data)
    headline = headline_rows(shown_data, questionnaire)
    findings = []
    for row in headline:
        text = sentence(row, context, data)
        if design(row) != lead and lead in LABELLED_DESIGNS:  # as the two-round report says it
            text += " " + word("not_lead_design", language, design=word(f"design_{lead}", language))
        findings.append(text)
    per = _per(data, language)
    by_section: dict[str, list[dict]] = {}
    for row in rows:
        if row["waves"]:  # items nobody answered are named once, in the notes
            by_section.setdefault(_section_of(questionnaire, row["item"]), []).append(row)
    unanswered = list(dict.fromkeys(question(questionnaire, row["item"], language) for row in rows
                                    if not row["waves"] and row["group"] == "all"))
    sections = []
    for section_id, title_text in [(s.id, questionnaire.text(s.title, language)) for s in questionnaire.sections] + \
            [(KNOWLEDGE_SCORE, word("knowledge_score", language))]:
        mine = by_section.get(section_id, [])
        if not mine:
            continue
        order = {key: i for i, key in enumerate(dict.fromkeys(row["item"] for row in mine))}
        mine = sorted(mine, key=lambda row: (order[row["item"]], row["group"] != "all"))
        charts = [chart for row in chart_rows(mine, lead)
                  if (chart := _item_chart(questionnaire, row, data, context, with_png))]
        table, table_notes = with_marks([table_row(questionnaire, row, rounds, context, per) for row in mine])
        sections.append(Section(title_text, table, charts, table_notes))
    group_charts = []
    for row in headline:
        groups = [r for r in rows if r["item"] == row["item"] and r["group"] != "all" and design(r) == "independent"]
        if groups and (chart := _group_chart(questionnaire, groups, context, with_png)):
            group_charts.append(chart)
    response_header, response_rows = _response(questionnaire, data, language)
    still_open = open_waves(cover, tuple(rounds), keys=tuple(rounds))
    footnotes = [word("step_marks", language, adjust=settings["adjust"], alpha=f"{1 - settings['confidence']:g}")]
    waves = [{"kind": row["kind"], "baseline": wave, "current": wave} for row in rows for wave in row["waves"]]
    if suppress.any_hidden(waves, min_cell):
        footnotes.append(word("suppressed", language, min_cell=min_cell))
    if suppress.any_caution(waves, min_cell):
        footnotes.append(word("caution", language))
    positions = "" if settings.get("positions") == "label" else word("positions_order", language)
    methods = [word("trend_methods", language, level=f"{100 * settings['confidence']:g}%", positions=positions,
                    adjust=settings["adjust"])]
    return TrendReport(
        language=language, title=title or word("trend_title", language, first=rounds[0], last=rounds[-1]),
        labels=(rounds[0], rounds[-1]), lead=_lead(data, lead, rounds, language),
        findings=findings, sections=sections, group_charts=group_charts, response_header=response_header,
        response_rows=response_rows, response_chart=None, methods=methods,
        references=tuple(sorted(REFERENCES + TREND_REFERENCES)), footnotes=footnotes,
        notes=[note(text, language) for text in data["notes"]], unanswered=unanswered,
        stamp=data.get("stamp", {}), json_name=json_name,
        rounds=tuple(rounds), title_block=title_block(cover, tuple(rounds), language, keys=tuple(rounds)),
        provisional=word("provisional", language, waves=", ".join(still_open)) if still_open else "")


def stamp(data: dict, *, settings: dict, questionnaire_sha256: str | None, cover: dict | None = None) -> dict:
    """The two-round report's stamp, with every round's source and hash."""
    first, last = data["waves"][0], data["waves"][-1]
    made = two_round_stamp(data | {"baseline": first, "current": last}, settings=settings,
                           questionnaire_sha256=questionnaire_sha256, cover=cover)
    made["data"] = {wave["label"]: {"source": wave["source"], "sha256": wave["sha256"]} for wave in data["waves"]}
    return made


def differences(recorded: dict, recomputed: dict) -> list[str]:
    """What differs between a report over the period's JSON and the same trend computed again (empty: all
    match): the questionnaire, each round's data (SHA-256), the mix test and lead, and every number of every row."""
    found = []
    if recorded["questionnaire"].get("fingerprint") != recomputed["questionnaire"].get("fingerprint"):
        found.append("questionnaire: its content differs from the one the report used (fingerprint)")
    new_waves = {wave["label"]: wave for wave in recomputed["waves"]}
    for wave in recorded["waves"]:
        new = new_waves.get(wave["label"], {}).get("sha256")
        if wave.get("sha256") != new:
            found.append(f"round {wave['label']} ({wave['source']}): SHA-256 {new} differs from the recorded "
                         f"{wave.get('sha256')}")
    for key in (*FACTS, "lead"):
        if key in recorded and not _alike(recorded[key], recomputed.get(key)):
            found.append(f"{key}: report {recorded[key]}, recomputed {recomputed.get(key)}")
    old_rows = {_key(row): row for row in recorded["results"]}
    new_rows = {_key(row): row for row in recomputed["results"]}
    found += [f"{'/'.join(key)}: in the report, not computed again" for key in old_rows.keys() - new_rows.keys()]
    found += [f"{'/'.join(key)}: computed again, not in the report" for key in new_rows.keys() - old_rows.keys()]
    for key in [k for k in old_rows if k in new_rows]:
        new_leaves = dict(_leaves(new_rows[key], ""))
        found += [f"{key[0]} ({key[1]}, {key[2]}) {path}: report {old}, recomputed {new_leaves.get(path)}"
                  for path, old in _leaves(old_rows[key], "") if not _same(old, new_leaves.get(path))]
    return found


def _lead(data: dict, lead: str, rounds: list[str], language: str) -> str:
    """The headline's note: the design the findings follow and, weighted to the sizes stored with the waves of the
    database (the stamp says so), whose sizes."""
    text = word(f"trend_lead_{lead}", language, waves=len(rounds))
    stamped = (data.get("stamp") or {}).get("settings") or {}
    if lead == "weighted" and stamped.get("weighted") and stamped.get("waves"):
        text += " " + word("trend_weighted_stored", language, waves=", ".join(stamped["waves"]))
    return text
