"""Build a Report from the comparison JSON, the questionnaire and the report's options."""

from __future__ import annotations

from questionnaires import Questionnaire

from . import charts, suppress
from .content import (
    LABELLED_DESIGNS,
    Report,
    Section,
    _section_charts,
    _section_of,
    readable_note,
    scale_of,
    table_row,
    with_marks,
)
from .cover import open_waves, title_block
from .disclosure import disclosure
from .i18n import note, word
from .lead import MIX_NOTE, design, headline_rows, lead_design, lead_paragraph
from .methods import REFERENCES, methods
from .sentences import Context, sentence
from .subjects import KNOWLEDGE_SCORE, question


def _group_chart(questionnaire, rows_by_key, context, min_cell, with_png, lead) -> list[charts.Chart]:
    """Small multiples: for each headline item, each stakeholder group's baseline and current estimate
    (the paired rows when pairs lead: the only design with rows per group besides the independent one)."""
    made = []
    wanted = "paired" if lead == "paired" else "independent"
    for key, rows in rows_by_key.items():
        groups = [row for row in rows if row["group"] != "all" and design(row) == wanted]
        if not groups:
            continue
        labels = {g.code: questionnaire.text(g.label, context.language) for g in questionnaire.groups}
        points = [charts.Point(labels.get(row["group"], row["group"]), charts.point_of(row, "baseline", min_cell),
                               charts.point_of(row, "current", min_cell)) for row in groups]
        points = [point for point in points if point.baseline or point.current]
        if not points:  # no group has a shown estimate: an empty chart would only mislead
            continue
        title = word("chart_groups", context.language, question=question(questionnaire, key, context.language))
        scale = scale_of(questionnaire, key, groups[0]["kind"], points, context.language)
        made.append(charts.dot_interval(title, points, labels=(context.baseline, context.current), scale=scale,
                                        language=context.language, chart_id=f"groups-{key}", with_png=with_png))
    return made


def _response(questionnaire, data, context, response, min_cell, with_png):
    """Respondents by group and wave, with AAPOR RR1 and RR2 where the waves' invitations are known."""
    labels = {g.code: questionnaire.text(g.label, context.language) for g in questionnaire.groups}
    codes = [c for c in questionnaire.group_codes if c in data["baseline"]["groups"] or c in data["current"]["groups"]]
    header = [word("group", context.language)]
    for wave, label in (("baseline", context.baseline), ("current", context.current)):
        header.append(f"{word('respondents', context.language)} {label}")
        if response and response.get(wave):
            header += [f"{word('rr1', context.language)} {label}", f"{word('rr2', context.language)} {label}"]
    rows = []
    for code in codes + ["all"]:
        line = [labels.get(code, word("all", context.language))]
        for wave in ("baseline", "current"):
            groups = data[wave]["groups"]
            line.append(str(data[wave]["n"] if code == "all" and data[wave]["n"] is not None
                            else groups.get(code, sum(groups.values()) if code == "all" else 0)))
            if response and response.get(wave):
                rates = response[wave].get(code, {})
                line += [_rate(rates.get("rr1")), _rate(rates.get("rr2"))]
        rows.append(line)
    counts = {label: [data[wave]["groups"].get(c, 0) for c in codes]
              for wave, label in (("baseline", context.baseline), ("current", context.current))}
    chart = charts.response_bars(word("chart_response", context.language), [labels[c] for c in codes], counts,
                                 language=context.language, chart_id="response", with_png=with_png) if codes else None
    return header, rows, chart


def family_sizes(rows: list[dict]) -> tuple[tuple[str, int], ...]:
    """How many rows with a p-value each adjustment family holds."""
    sizes: dict[str, int] = {}
    for row in rows:
        if row.get("p_value") is not None and row.get("family"):
            sizes[row["family"]] = sizes.get(row["family"], 0) + 1
    return tuple(sizes.items())


def _group_names(questionnaire, language: str) -> dict[str, str]:
    return {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}


def _rate(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _finding(row: dict, context: Context, lead: str) -> str:
    """A headline sentence; one whose item has no row of the lead design says it is compared independently."""
    text = sentence(row, context)
    if design(row) != lead and lead in LABELLED_DESIGNS:
        text += " " + word("not_lead_design", context.language, design=word(f"design_{lead}", context.language))
    return text


def build(data: dict, questionnaire: Questionnaire, *, language: str = "en", labels: tuple[str, str],
          min_cell: int = 5, title: str | None = None, response: dict | None = None, with_png: bool = False,
          json_name: str = "report.json", cover: dict | None = None) -> Report:
    """The whole report: title block, findings, tables and charts per section, response, methods, stamp.

    `cover`: organisation, author, the report's date and each wave's fieldwork (see cover.py)."""
    settings = data["settings"]
    # Disclosure control once, on copies: every table, sentence and chart reads the same hidden cells,
    # while `data` (report.json) keeps every number for `verify`.
    data = data | {"results": suppress.mark(data["results"], min_cell)}
    changed = set(data.get("wording_changed", ()))
    context = Context(questionnaire, language, labels[0], labels[1], settings["confidence"], settings["adjust"],
                      min_cell, frozenset(changed), family_sizes(data["results"]))
    lead, headline = lead_design(data), headline_rows(data, questionnaire)  # each scans every row: once
    # A sentence quoting a note of the comparison names its groups, not their codes.
    findings = [readable_note(questionnaire, _finding(row, context, lead), language) for row in headline]
    sections = []
    by_section: dict[str, list[dict]] = {}
    unanswered = _unanswered(data["results"])
    for row in data["results"]:
        if row["item"] not in unanswered:
            by_section.setdefault(_section_of(questionnaire, row["item"]), []).append(row)
    titles = [(section.id, questionnaire.text(section.title, language)) for section in questionnaire.sections]
    for section_id, title_text in titles + [(KNOWLEDGE_SCORE, word("knowledge_score", language))]:
        rows = by_section.get(section_id, [])
        if not rows:
            continue
        order = {key: i for i, key in enumerate(dict.fromkeys(row["item"] for row in rows))}
        rows = sorted(rows, key=lambda row: (order[row["item"]], row["group"] != "all"))
        table, table_notes = with_marks([table_row(questionnaire, row, language, min_cell, changed) for row in rows])
        sections.append(Section(title_text, table,
                                _section_charts(questionnaire, section_id, title_text, rows, context, min_cell,
                                                with_png, lead), table_notes))
    # In the order of the headline sentences (a set would follow string hashing and vary between runs).
    headline_keys = list(dict.fromkeys(row["item"] for row in headline))
    group_rows = {key: [row for row in data["results"] if row["item"] == key] for key in headline_keys}
    response_header, response_rows, response_chart = _response(questionnaire, data, context, response, min_cell,
                                                                with_png)
    all_rows = data["results"]
    footnotes = []
    if suppress.any_hidden(all_rows, min_cell):
        footnotes.append(word("suppressed", language, min_cell=min_cell))
    if suppress.any_hidden(all_rows, min_cell, suppress.MARK):
        footnotes.append(word("complement", language, mark=suppress.MARK))
    if suppress.any_caution(all_rows, min_cell):
        footnotes.append(word("caution", language))
    return Report(
        language=language,
        title=title or word("title", language, baseline=labels[0], current=labels[1]),
        labels=labels, lead=lead_paragraph(data, language, labels, _group_names(questionnaire, language)),
        findings=findings, sections=sections,
        group_charts=_group_chart(questionnaire, group_rows, context, min_cell, with_png, lead),
        response_header=response_header, response_rows=response_rows, response_chart=response_chart,
        methods=methods(data, language, min_cell, labels)
        + disclosure(data, questionnaire, labels, language, min_cell, cover, response), references=REFERENCES,
        footnotes=footnotes,
        notes=[readable_note(questionnaire, note(text, language), language) for text in data["notes"]
               if not text.startswith(MIX_NOTE)],
        unanswered=[question(questionnaire, key, language) for key in unanswered], stamp=data.get("stamp", {}),
        json_name=json_name, title_block=title_block(cover, labels, language),
        provisional=_provisional(cover, labels, language),
    )


def _unanswered(results: list[dict]) -> list[str]:
    """The items no one answered in either wave (their rows would fill pages with dashes): listed once."""
    return list(dict.fromkeys(row["item"] for row in results if row["group"] == "all"
                              and row["baseline"]["n"] == 0 and row["current"]["n"] == 0))


def _provisional(cover: dict | None, labels: tuple[str, str], language: str) -> str:
    still_open = open_waves(cover, labels)
    return word("provisional", language, waves=", ".join(still_open)) if still_open else ""
