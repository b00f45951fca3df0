"""Everything a report says, built once from the comparison JSON and rendered by each writer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

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
    mark: str = ""  # the letter of its note, listed once under the table


NOTE_MARKS = "abcdefghijklmnopqrstuvwxyz"


def with_marks(rows: list[TableRow]) -> tuple[list[TableRow], list[tuple[str, str]]]:
    """Each distinct note of a table once, lettered; each row carries the letter of its note."""
    letters: dict[str, str] = {}
    for row in rows:
        if row.note and row.note not in letters:
            index = len(letters)
            letters[row.note] = NOTE_MARKS[index % 26] * (index // 26 + 1)
    return ([replace(row, mark=letters.get(row.note, "")) for row in rows],
            [(letter, note) for note, letter in letters.items()])


_P_IN_TEXT = re.compile(r"\bp = (\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")


def readable_note(questionnaire: Questionnaire, text: str, language: str) -> str:
    """A note as a reader reads it: its p values the APA way and its groups by name ('civil_society' is
    “Civil society organisation”)."""
    for group in questionnaire.groups:
        text = text.replace(repr(group.code), word("quoted", language, text=questionnaire.text(group.label, language)))
    return apa_p_in(text)


def apa_p_in(text: str) -> str:
    """A note's "p = 3.3e-11" or "p = 0.015" written the APA way: "p < .001", "p = .015"."""
    return _P_IN_TEXT.sub(lambda match: "p\u00a0" + apa.p_value(float(match[1])), text)


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[TableRow]
    charts: list[charts.Chart] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (letter, note) under the table


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
    title_block: list[tuple[str, str]] = field(default_factory=list)  # organisation, author, fieldwork, date
    unanswered: list[str] = field(default_factory=list)  # questions no one answered in either wave, listed once
    provisional: str = ""  # "Provisional: fieldwork still open (2018)" while a wave is open, on every page

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
    note = readable_note(questionnaire, "; ".join(filter(None, [note, _homogeneity(row.get("homogeneity"), language)])),
                         language)
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


def _chart_sets(rows: list[dict], lead: str = "independent",
                questionnaire: Questionnaire | None = None) -> list[tuple[str, str, list[dict]]]:
    """Rows sharing a scale: all proportions; the ordinal means of each answer scale; each score alone; each
    item's row of the headline's design (the lead), else its independent row."""
    mine = chart_rows(rows, lead)
    sets = [("proportion", "p", [row for row in mine if row["kind"] == "proportion"])]
    scales: dict[tuple, list[dict]] = {}
    for row in mine:
        if row["kind"] == "ordinal":
            scale = _answer_scale(questionnaire, row["item"]) if questionnaire else ()
            scales.setdefault(scale, []).append(row)
    sets += [("ordinal", f"o{index}", members) for index, members in enumerate(scales.values())]
    sets += [("score", f"s-{row['item']}", [row]) for row in mine if row["kind"] == "score"]
    return [entry for entry in sets if entry[2]]


def _answer_scale(questionnaire: Questionnaire, key: str) -> tuple:
    item_id = key.partition("/")[0]
    return tuple(questionnaire.item(item_id).codes) if questionnaire.has_item(item_id) else ()


def scale_of(questionnaire: Questionnaire, key: str, kind: str, points: list[charts.Point],
             language: str) -> charts.Scale:
    """The measure's whole scale: 0–100 % for shares, 1 to the last answer for a Likert item (both ends
    named), 0–100 for the knowledge score, 0 to a round number above the highest interval otherwise."""
    if kind == "proportion":
        return charts.PERCENT
    item_id = key.partition("/")[0]
    item = questionnaire.item(item_id) if questionnaire.has_item(item_id) else None
    if kind == "ordinal" and item is not None and item.choices:
        size = len(item.codes)
        low, high = (questionnaire.text(item.choice(item.codes[i]).label, language) for i in (0, -1))
        return charts.Scale(1, size, tuple(range(1, size + 1)), caption=f"1 = {low} … {size} = {high}")
    if key == KNOWLEDGE_SCORE:
        return charts.Scale(0, 100, (0, 25, 50, 75, 100))
    top = charts.nice_ceiling(max([value[2] for point in points for value in (point.baseline, point.current)
                                   if value is not None] or [1]))
    return charts.Scale(0, top, charts.nice_ticks(top))


def _section_charts(questionnaire, section_id, title, rows, context, min_cell, with_png,
                    lead: str = "independent") -> list[charts.Chart]:
    made = []
    level = f"{100 * context.confidence:g}%"
    for kind, suffix, chosen in _chart_sets(rows, lead, questionnaire):
        points = [charts.Point(question(questionnaire, row["item"], context.language),
                               charts.point_of(row, "baseline", min_cell), charts.point_of(row, "current", min_cell))
                  for row in chosen]
        points = [p for p in points if p.baseline or p.current]
        if not points:
            continue
        scale = scale_of(questionnaire, chosen[0]["item"], kind, points, context.language)
        what = {"proportion": word("chart_shares", context.language),
                "ordinal": word("chart_means_on", context.language, scale=scale.caption),
                "score": points[0].label}[kind]
        heading = word("chart_section", context.language, section=title if kind != "score" else what,
                       what=what if kind != "score" else word("chart_mean", context.language),
                       baseline=context.baseline, current=context.current, confidence=level)
        heading = _after_question(heading)
        made.append(charts.dot_interval(heading, points, labels=(context.baseline, context.current), scale=scale,
                                        language=context.language, chart_id=f"{section_id}-{suffix}",
                                        with_png=with_png))
    return made


def _after_question(heading: str) -> str:
    """A title that starts with a question keeps its question mark and no colon after it ("…?: mean" reads badly)."""
    return heading.replace("?: ", "? \u2014 ").replace("?\u17d6 ", "? \u2014 ")  # \u17d6: the Khmer colon
