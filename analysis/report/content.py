"""Everything a report says, built once from the comparison JSON and rendered by each writer."""

from __future__ import annotations

from dataclasses import dataclass, field

from questionnaires import Questionnaire

from . import apa, charts, suppress
from .i18n import effect_name, test_name, word
from .i18n import note as note_text
from .lead import chart_rows, design
from .subjects import KNOWLEDGE_SCORE, question

STRATA = "strata: "  # the stratified rows' note: the groups compared within
LABELLED_DESIGNS = ("stratified", "paired", "weighted")  # named beside the group: word("design_" + design)


@dataclass(frozen=True)
class TableRow:
    question: str
    group: str
    cells: tuple[str, ...]  # n base, baseline, n current, current, difference, test, p, p adjusted, effect
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[TableRow]
    charts: list[charts.Chart] = field(default_factory=list)


@dataclass
class Report:
    language: str
    title: str
    labels: tuple[str, str]
    lead: str  # the paragraph saying which rows lead and why
    findings: list[str]
    sections: list[Section]
    group_charts: list[charts.Chart]
    response_header: list[str]
    response_rows: list[list[str]]
    response_chart: charts.Chart | None
    methods: list[str]
    references: tuple[str, ...]
    footnotes: list[str]
    notes: list[str]
    stamp: dict
    json_name: str = "report.json"

    @property
    def header(self) -> list[str]:
        base, cur = self.labels
        names = [word(key, self.language) for key in ("question", "group")]
        tail = [word(key, self.language) for key in ("difference", "test")] + ["p"] + \
            [word(key, self.language) for key in ("p_adjusted", "effect")]
        return names + [f"n {base}", base, f"n {cur}", cur] + tail


def _group_label(questionnaire: Questionnaire, row: dict, language: str) -> str:
    if row["group"] == "all":
        label = word("all", language)
    else:
        group = next((g for g in questionnaire.groups if g.code == row["group"]), None)
        label = questionnaire.text(group.label, language) if group else row["group"]
    kind = design(row)
    if kind in LABELLED_DESIGNS:
        label += f" ({word(f'design_{kind}', language)})"
    return label


def _p(value) -> str:
    return "–" if value is None else apa.p_value(value).replace("=\u00a0", "")


def table_row(questionnaire: Questionnaire, row: dict, language: str, min_cell: int, changed: set[str]) -> TableRow:
    """One row of a results table, with disclosure control applied."""
    kind, visible = row["kind"], suppress.shown(row, min_cell)
    effect = row.get("effect_size") or {}
    effect_text = (f"{effect_name(effect['name'], language)} {apa.number(effect['value'])}"
                   if visible and effect.get("value") is not None else "–")
    note = word("wording_changed", language) if row["item"].partition("/")[0] in changed else \
        note_text(_with_group_labels(questionnaire, row.get("note"), language), language)
    note = "; ".join(filter(None, [note, _homogeneity(row.get("homogeneity"), language)]))
    cells = (suppress.n_cell(kind, row["baseline"], min_cell), suppress.estimate_cell(kind, row["baseline"], min_cell),
             suppress.n_cell(kind, row["current"], min_cell), suppress.estimate_cell(kind, row["current"], min_cell),
             suppress.difference_cell(row, min_cell), test_name(row["test"], language) if visible else "–",
             _p(row["p_value"]) if visible else "–", _p(row["p_adjusted"]) if visible else "–", effect_text)
    return TableRow(question(questionnaire, row["item"], language), _group_label(questionnaire, row, language),
                    cells, note)


def _with_group_labels(questionnaire: Questionnaire, text: str | None, language: str) -> str | None:
    """A stratified row's "strata: code, code" note, with the groups' names instead of their codes; none
    when every group of the questionnaire is a stratum."""
    if not text or not text.startswith(STRATA):
        return text
    codes, _, rest = text[len(STRATA):].partition("; ")
    codes = [code.strip() for code in codes.split(",")]
    if set(codes) >= set(questionnaire.group_codes):  # every group: the "(stratified)" label says it all
        return rest or None
    labels = {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}
    names = ", ".join(labels.get(code, code) for code in codes)
    return f"{word('strata', language)}: {names}" + (f"; {rest}" if rest else "")


def _homogeneity(test: dict | None, language: str) -> str:
    """A stratified row's Breslow–Day test, worth a note when the groups' odds ratios differ."""
    if not test or test.get("p_value") is None or test["p_value"] >= 0.05:
        return ""
    return word("odds_ratios_differ", language, p=apa.p_value(test["p_value"]))


def _section_of(questionnaire: Questionnaire, key: str) -> str:
    item_id = key.partition("/")[0]
    if item_id == KNOWLEDGE_SCORE or not questionnaire.has_item(item_id):
        return KNOWLEDGE_SCORE
    return questionnaire.item(item_id).section


def _chart_sets(rows: list[dict], lead: str = "independent") -> list[tuple[bool, str, list[dict]]]:
    """Rows sharing a scale: all proportions; all ordinal means; each score on its own; each item's row of the
    headline's design (the lead), else its independent row."""
    mine = chart_rows(rows, lead)
    sets = [(True, "p", [row for row in mine if row["kind"] == "proportion"]),
            (False, "o", [row for row in mine if row["kind"] == "ordinal"])]
    sets += [(False, f"s-{row['item']}", [row]) for row in mine if row["kind"] == "score"]
    return [entry for entry in sets if entry[2]]


def _section_charts(questionnaire, section_id, title, rows, context, min_cell, with_png,
                    lead: str = "independent") -> list[charts.Chart]:
    made = []
    for percent, suffix, chosen in _chart_sets(rows, lead):
        points = [charts.Point(question(questionnaire, row["item"], context.language),
                               charts.point_of(row, "baseline", min_cell), charts.point_of(row, "current", min_cell))
                  for row in chosen]
        points = [p for p in points if p.baseline or p.current]
        if points:
            level = f"{100 * context.confidence:g}%"
            heading = word("chart_section", context.language, section=title, baseline=context.baseline,
                           current=context.current, confidence=level)
            made.append(charts.dot_interval(heading, points, labels=(context.baseline, context.current),
                                            percent=percent, language=context.language,
                                            chart_id=f"{section_id}-{suffix}", with_png=with_png))
    return made
