"""A wave's responses for R, SPSS, Stata and Excel, with labels, and its codebook.

Every format starts from the interchange frame (one row per response, answers as
text codes). No text can become a live spreadsheet formula, whatever its source
(an answer, a code, a label): in CSV a text cell that is not a number and begins
with =, +, -, @, a tab or a carriage return gets a leading apostrophe; in XLSX every
text cell is stored as text, such a cell is marked as quoted text, and the
characters XML cannot hold are removed.
"""

from __future__ import annotations

import html
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.markdown_text import md_code, md_code_cell, md_text
from questionnaires import Item, Questionnaire
from questionnaires.cells import csv_cell, is_formula_like, strip_control

from .variables import SPSS, STATA, NameRules, short_names

NEUTRALISED = ("Text cells (answers, codes and labels) that are not numbers and begin with =, +, -, @, a tab or a "
               "carriage return are written with a leading apostrophe (') in CSV files; in XLSX files every text "
               "cell is stored as text and such cells are marked as quoted text, so that nothing can run as a "
               "spreadsheet formula. Numbers such as -9 are not changed.")

NAMES_NOTE = ("SPSS names have at most 64 characters and Stata names at most 28 (Stata's 32, less room for the "
              "number of each value-label set). A column whose name does not fit, or holds characters the format "
              "does not allow, is shortened and given six hex digits of the SHA-256 of its full name, so an item "
              "keeps the same short name every year; its variable label begins with the full name.")


def to_csv(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    return csv_bytes(frame)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The interchange CSV of a frame (csv_stream writes the same bytes from stored records)."""
    return _csv_cells(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _csv_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell through csv_cell, computed once per distinct value of a column (answers repeat): each column
    factorised, its distinct values (a missing one among them) made cells, taken back by code."""
    columns = {}
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        columns[column] = np.array([csv_cell(value) for value in uniques], dtype=object)[codes]
    return pd.DataFrame(columns, columns=frame.columns, index=frame.index)


def labelled(questionnaire: Questionnaire, frame: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """Choice codes replaced by their labels (multiple choice: labels separated by '; ')."""
    frame = frame.copy()
    language = language or questionnaire.default_language
    groups = {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}
    frame["group"] = frame["group"].map(lambda code: groups.get(code, code))
    for item in questionnaire.answerable_items:
        if item.kind.has_choices:
            labels = {c.code: questionnaire.text(c.label, language) for c in item.choices}
            frame[item.id] = frame[item.id].map(
                lambda text, labels=labels: "; ".join(labels.get(code, code) for code in str(text).split()))
    return frame


def to_csv_labels(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    return to_csv(questionnaire, labelled(questionnaire, frame))


def to_xlsx(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    """Three sheets (codes, labels, codebook), written row by row in openpyxl's write-only mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    numbers = {item.id for item in questionnaire.answerable_items if item.type == "number" or _numeric_codes(item)}
    for title, data in (("data", frame), ("data (labels)", labelled(questionnaire, frame))):
        sheet = workbook.create_sheet(title)
        sheet.append([_text_cell(sheet, column) for column in data.columns])
        numeric = [column in numbers and (title == "data" or questionnaire.item(column).type == "number")
                   for column in data.columns]
        for row in data.itertuples(index=False, name=None):
            sheet.append([_text_cell(sheet, _cell(value, is_number)) for value, is_number in zip(row, numeric,
                                                                                                  strict=True)])
    codebook = workbook.create_sheet("codebook")
    rows = [["variable", "question", "type", "codes", "relevant", "measure", "fingerprint"]]
    rows += [[variable[key] for key in ("name", "question", "type", "codes", "relevant", "measure", "fingerprint")]
             for variable in codebook_rows(questionnaire)]
    rows += [[], ["column", "SPSS name", "Stata name"], *[list(names) for names in variable_names(questionnaire)],
             [], ["note", NEUTRALISED]]
    for row in rows:
        codebook.append([_text_cell(codebook, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _numeric_codes(item: Item) -> bool:
    """A single choice or likert item whose codes are whole numbers as written (1..5, not 01): in the sheet
    of codes they are numbers, so that Excel's AVERAGE and a pivot table work on them."""
    return item.type in ("single_choice", "likert") and bool(item.codes) and \
        all(code.isascii() and code.lstrip("-").isdigit() and str(int(code)) == code for code in item.codes)


def _text_cell(sheet, value):
    """Text stays text: never a formula, nothing XML cannot hold, formula-like text marked as quoted."""
    if not isinstance(value, str):
        return value
    value = strip_control(value)
    if not (is_formula_like(value) or value.startswith("=")):
        return value  # plain text: openpyxl stores it as a string
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True  # what typing a leading apostrophe in the spreadsheet does
    return cell


def _cell(value, numeric: bool):
    if value in ("", None) or (isinstance(value, float) and np.isnan(value)):
        return None
    if numeric:
        try:
            number = float(value)
        except ValueError:
            return strip_control(str(value))  # stored under other rules: shown as it is
        return int(number) if number.is_integer() else number
    return strip_control(str(value))


# ---------------------------------------------------------------- SPSS and Stata


@dataclass(frozen=True)
class _Variable:
    """One variable of the SPSS and Stata files, under its full column name."""

    column: str
    series: pd.Series
    label: str
    values: dict[float, str] | None = None
    measure: str = "nominal"


def _each_distinct(column: pd.Series, function, dtype=float) -> pd.Series:
    """`function` of each cell's text ("" blank), computed once per distinct answer: answers repeat, and a
    categorical column (as a wave of a million respondents is read) is never expanded into strings."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    # Code -1 (a blank cell) takes the last value, the function of "".
    values = np.array([function(str(value)) for value in uniques] + [function("")], dtype=dtype)
    return pd.Series(values[codes], index=column.index)


def _text(column: pd.Series) -> pd.Series:
    return _each_distinct(column, str, dtype=object)


def _variables(questionnaire: Questionnaire, frame: pd.DataFrame) -> list[_Variable]:
    """Numeric codes with labels: choices as 1..k (likert: ordered levels), multiple choice as 0/1 per option."""
    language = questionnaire.default_language
    group_number = {g.code: float(i) for i, g in enumerate(questionnaire.groups, 1)}
    variables = [
        _Variable("respondent", _text(frame["respondent"]), "Panel key (empty in anonymous waves)"),
        _Variable("group", _each_distinct(frame["group"], lambda code: group_number.get(code, np.nan)),
                  "Stakeholder group",
                  {float(i): questionnaire.text(g.label, language) for i, g in enumerate(questionnaire.groups, 1)}),
        _Variable("language", _text(frame["language"]), "Language of the answers"),
    ]
    for item in questionnaire.answerable_items:
        variables += _item_variables(questionnaire, item, frame[item.id])
    return variables


def _item_variables(questionnaire: Questionnaire, item: Item, column: pd.Series) -> list[_Variable]:
    language = questionnaire.default_language
    question = questionnaire.text(item.label, language)
    if item.type in ("single_choice", "likert"):
        position = {c.code: float(i) for i, c in enumerate(item.choices, 1)}
        return [_Variable(item.id, _each_distinct(column, lambda code: position.get(code, np.nan)), question,
                          {float(i): questionnaire.text(c.label, language) for i, c in enumerate(item.choices, 1)},
                          "ordinal" if item.type == "likert" else "nominal")]
    if item.type == "multiple_choice":
        return [_Variable(f"{item.id}_{choice.code}",
                          _each_distinct(column, lambda text, code=choice.code:
                                         float(code in text.split()) if text else np.nan),
                          f"{question}: {questionnaire.text(choice.label, language)}",
                          {0.0: "not selected", 1.0: "selected"})
                for choice in item.choices]
    if item.type == "number":
        # float always: an empty wave's column would otherwise be untyped, which Stata refuses.
        return [_Variable(item.id, _each_distinct(column, _number), question, measure="scale")]
    return [_Variable(item.id, _text(column), question)]


def _number(text: str) -> float:
    """A number answer as pandas reads it (pd.to_numeric, errors="coerce"); NaN when blank or not a number."""
    return float(pd.to_numeric(pd.Series([text or np.nan], dtype=object), errors="coerce").iloc[0])


def statistical_columns(questionnaire: Questionnaire) -> list[str]:
    """The full names of the SPSS and Stata variables, in order (multiple choice: `item_code` per option)."""
    columns = ["respondent", "group", "language"]
    for item in questionnaire.answerable_items:
        columns += [f"{item.id}_{c.code}" for c in item.choices] if item.type == "multiple_choice" else [item.id]
    return columns


def variable_names(questionnaire: Questionnaire) -> list[tuple[str, str, str]]:
    """(column, SPSS name, Stata name) for every variable: the mapping the codebook gives."""
    columns = statistical_columns(questionnaire)
    spss, stata = short_names(columns, SPSS), short_names(columns, STATA)
    return [(column, spss[column], stata[column]) for column in columns]


def statistical_frame(questionnaire: Questionnaire, frame: pd.DataFrame, rules: NameRules = SPSS):
    """The data, variable labels, value labels and measures under the names `rules` allow.

    A variable whose name had to be shortened carries its full column name in its label.
    """
    variables = _variables(questionnaire, frame)
    names = short_names([v.column for v in variables], rules)
    data, labels, value_labels, measures = {}, {}, {}, {}
    for variable in variables:
        name = names[variable.column]
        label = variable.label if name == variable.column else f"{variable.column}: {variable.label}"
        data[name], labels[name], measures[name] = variable.series, label[:80], variable.measure
        if variable.values:
            value_labels[name] = variable.values
    return pd.DataFrame(data, index=frame.index), labels, value_labels, measures


def to_sav(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    import pyreadstat

    data, labels, values, measures = statistical_frame(questionnaire, frame, SPSS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wave.sav"
        pyreadstat.write_sav(data, str(path), column_labels=labels, variable_value_labels=values,
                             variable_measure=measures)
        return path.read_bytes()


def to_dta(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    import pyreadstat

    data, labels, values, _measures = statistical_frame(questionnaire, frame, STATA)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wave.dta"
        pyreadstat.write_dta(data, str(path), column_labels=labels, variable_value_labels=values, version=15)
        return path.read_bytes()


# ---------------------------------------------------------------- codebook


def _codes(questionnaire: Questionnaire, item: Item) -> str:
    language = questionnaire.default_language
    return "; ".join(f"{c.code} = {questionnaire.text(c.label, language)}" for c in item.choices)


def codebook_rows(questionnaire: Questionnaire) -> list[dict[str, str]]:
    rows = [{"name": "respondent", "question": "Panel key: HMAC-SHA256 of a person's identifier (panel waves)",
             "type": "text", "codes": "", "relevant": "", "measure": "", "fingerprint": "", "texts": {}},
            {"name": "group", "question": "Stakeholder group", "type": "code",
             "codes": "; ".join(f"{g.code} = {questionnaire.text(g.label)}" for g in questionnaire.groups),
             "relevant": "", "measure": "", "fingerprint": "", "texts": {}},
            {"name": "language", "question": "Language of the answers", "type": "code",
             "codes": ", ".join(questionnaire.languages), "relevant": "", "measure": "", "fingerprint": "",
             "texts": {}}]
    for item in questionnaire.answerable_items:
        measure = item.measure or item.analysis_kind
        if item.measure == "knowledge":
            measure += f" (correct: {item.correct})"
        elif item.success:
            measure += f" (success: {' '.join(item.success)})"
        kind = item.type
        if item.type == "number":
            bounds = [f"min {item.minimum}" if item.minimum is not None else "",
                      f"max {item.maximum}" if item.maximum is not None else "", "integer" if item.integer else ""]
            kind += " (" + ", ".join(b for b in bounds if b) + ")" if any(bounds) else ""
        if item.type == "multiple_choice":
            kind += ": codes separated by spaces; in SPSS and Stata one 0/1 variable per option"
        rows.append({"name": item.id, "question": questionnaire.text(item.label), "type": kind,
                     "codes": _codes(questionnaire, item), "relevant": item.relevant or "",
                     "measure": measure, "fingerprint": item.fingerprint, "texts": dict(item.label.items())})
    return rows


def to_codebook_markdown(questionnaire: Questionnaire, _frame=None) -> bytes:
    """The codebook in Markdown; every questionnaire text is escaped (analysis.markdown_text): no HTML, link,
    heading or table column comes from a label, a choice or an expression."""
    lines = [f"# Codebook: {md_text(questionnaire.text(questionnaire.title))}", "",
             f"Questionnaire {md_code(questionnaire.id)}, version {md_code(questionnaire.version)}, fingerprint "
             f"`{questionnaire.fingerprint}`. Languages: {md_text(', '.join(questionnaire.languages))}.", "",
             "A blank answer means not answered or not shown (relevance).", "", md_text(NEUTRALISED), ""]
    for row in codebook_rows(questionnaire):
        lines += [f"## {md_code(row['name'])}", ""]
        for language, text in row["texts"].items():
            lines.append(f"- question ({md_text(language)}): {md_text(text)}")
        if not row["texts"]:
            lines.append(f"- {md_text(row['question'])}")
        for key in ("type", "codes", "relevant", "measure", "fingerprint"):
            if row[key]:
                lines.append(f"- {key}: {md_code(row[key]) if key == 'relevant' else md_text(row[key])}")
        lines.append("")
    lines += ["## Variable names in SPSS and Stata", "", md_text(NAMES_NOTE), "", "| column | SPSS | Stata |",
              "|---|---|---|"]
    lines += [f"| {' | '.join(map(md_code_cell, names))} |"
              for names in variable_names(questionnaire)]
    return "\n".join(lines + [""]).encode("utf-8")


def to_codebook_html(questionnaire: Questionnaire, _frame=None) -> bytes:
    e = html.escape
    parts = [f"<!doctype html><html lang=\"{questionnaire.default_language}\"><head><meta charset=\"utf-8\">"
             f"<title>Codebook: {e(questionnaire.text(questionnaire.title))}</title></head><body>",
             f"<h1>Codebook: {e(questionnaire.text(questionnaire.title))}</h1>",
             f"<p>Questionnaire <code>{e(questionnaire.id)}</code>, version <code>{e(questionnaire.version)}</code>, "
             f"fingerprint <code>{questionnaire.fingerprint}</code>.</p><p>{e(NEUTRALISED)}</p>",
             "<table><thead><tr><th>variable</th><th>question</th><th>type</th><th>codes</th><th>relevant</th>"
             "<th>measure</th><th>fingerprint</th></tr></thead><tbody>"]
    for row in codebook_rows(questionnaire):
        texts = "<br>".join(f'<span lang="{e(lang)}">{e(text)}</span>' for lang, text in row["texts"].items()) \
            or e(row["question"])
        parts.append(f"<tr><td><code>{e(row['name'])}</code></td><td>{texts}</td><td>{e(row['type'])}</td>"
                     f"<td>{e(row['codes'])}</td><td><code>{e(row['relevant'])}</code></td><td>{e(row['measure'])}"
                     f"</td><td><code>{row['fingerprint'][:16]}</code></td></tr>")
    parts.append(f"</tbody></table><h2>Variable names in SPSS and Stata</h2><p>{e(NAMES_NOTE)}</p>"
                 "<table><thead><tr><th>column</th><th>SPSS</th><th>Stata</th></tr></thead><tbody>")
    parts += [f"<tr><td><code>{e(column)}</code></td><td><code>{e(spss)}</code></td><td><code>{e(stata)}</code></td></tr>"
              for column, spss, stata in variable_names(questionnaire)]
    parts.append("</tbody></table></body></html>")
    return "".join(parts).encode("utf-8")


def export(questionnaire: Questionnaire, frame: pd.DataFrame, output_format: str, study=None) -> bytes:
    """The wave in `output_format` (a name of `formats.FORMATS`); `study` (exports.ddi.Study: wave, mode, dates)
    describes it in the DDI codebook."""
    from .formats import FORMATS

    return FORMATS[output_format].write(questionnaire, frame, study)

