"""A wave's responses for R, SPSS, Stata and Excel, with labels, and its codebook.

Every format starts from the interchange frame (one row per response, answers as
text codes). No respondent's text can become a live spreadsheet formula: XLSX
cells are written as text, and in CSV a text answer beginning with =, +, -, @, a
tab or a carriage return gets a leading apostrophe.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "csv-labels", "xlsx", "sav", "dta", "codebook", "codebook-html")
NEUTRALISED = ("Text answers beginning with =, +, -, @, a tab or a carriage return are written with a leading "
               "apostrophe (') in CSV files, and every text cell of an XLSX file is stored as text, so that no "
               "answer can run as a spreadsheet formula. Numeric columns are not changed.")


def neutral(text: str) -> str:
    return "'" + text if isinstance(text, str) and text.startswith(FORMULA_START) else text


def _text_columns(questionnaire: Questionnaire) -> list[str]:
    return [item.id for item in questionnaire.answerable_items if item.type == "text"]


def to_csv(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    frame = frame.copy()
    for column in _text_columns(questionnaire):
        frame[column] = frame[column].map(neutral)
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


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
    from openpyxl import Workbook

    workbook = Workbook()
    numbers = {item.id for item in questionnaire.answerable_items if item.type == "number"}
    for index, (title, data) in enumerate((("data", frame), ("data (labels)", labelled(questionnaire, frame)))):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append(list(data.columns))
        for row in data.itertuples(index=False):
            sheet.append([_cell(value, column in numbers) for column, value in zip(data.columns, row, strict=True)])
    codebook = workbook.create_sheet("codebook")
    codebook.append(["variable", "question", "type", "codes", "relevant", "measure", "fingerprint"])
    for variable in codebook_rows(questionnaire):
        codebook.append([variable["name"], variable["question"], variable["type"], variable["codes"],
                         variable["relevant"], variable["measure"], variable["fingerprint"]])
    codebook.append([])
    codebook.append(["note", NEUTRALISED])
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula, whatever it begins with
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value, numeric: bool):
    if value in ("", None) or (isinstance(value, float) and np.isnan(value)):
        return None
    if numeric:
        number = float(value)
        return int(number) if number.is_integer() else number
    return str(value)


# ---------------------------------------------------------------- SPSS and Stata


def _variable_name(name: str, taken: set[str], limit: int) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", name)[:limit]
    if not re.match(r"[A-Za-z_]", base):
        base = ("v_" + base)[:limit]
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f"_{number}"
        candidate, number = base[: limit - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def statistical_frame(questionnaire: Questionnaire, frame: pd.DataFrame, *, name_limit: int = 64):
    """Numeric codes with labels: choices as 1..k (likert: ordered levels), multiple choice as 0/1 per option."""
    language = questionnaire.default_language
    data: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    measures: dict[str, str] = {}
    taken: set[str] = set()

    def add(name, series, label, values=None, measure="nominal"):
        variable = _variable_name(name, taken, name_limit)
        data[variable], labels[variable], measures[variable] = series, label[:80], measure
        if values:
            value_labels[variable] = values
        return variable

    add("respondent", frame["respondent"].astype(str), "Panel key (empty in anonymous waves)")
    add("group", frame["group"].map({g.code: i for i, g in enumerate(questionnaire.groups, 1)}).astype(float),
        "Stakeholder group", {float(i): questionnaire.text(g.label, language)
                              for i, g in enumerate(questionnaire.groups, 1)})
    add("language", frame["language"].astype(str), "Language of the answers")
    for item in questionnaire.answerable_items:
        question = questionnaire.text(item.label, language)
        column = frame[item.id].fillna("").astype(str)
        if item.type in ("single_choice", "likert"):
            position = {c.code: float(i) for i, c in enumerate(item.choices, 1)}
            add(item.id, column.map(lambda code, p=position: p.get(code, np.nan)), question,
                {float(i): questionnaire.text(c.label, language) for i, c in enumerate(item.choices, 1)},
                "ordinal" if item.type == "likert" else "nominal")
        elif item.type == "multiple_choice":
            answered = column != ""
            for choice in item.choices:
                chosen = column.map(lambda text, code=choice.code: code in text.split()).astype(float)
                add(f"{item.id}_{choice.code}", chosen.where(answered, np.nan),
                    f"{question}: {questionnaire.text(choice.label, language)}", {0.0: "not selected", 1.0: "selected"})
        elif item.type == "number":
            add(item.id, pd.to_numeric(column.replace("", np.nan)), question, measure="scale")
        else:
            add(item.id, column, question)
    return pd.DataFrame(data), labels, value_labels, measures


def to_sav(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    import pyreadstat

    data, labels, values, measures = statistical_frame(questionnaire, frame, name_limit=64)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wave.sav"
        pyreadstat.write_sav(data, str(path), column_labels=labels, variable_value_labels=values,
                             variable_measure=measures)
        return path.read_bytes()


def to_dta(questionnaire: Questionnaire, frame: pd.DataFrame) -> bytes:
    import pyreadstat

    data, labels, values, _measures = statistical_frame(questionnaire, frame, name_limit=32)
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


def to_codebook_markdown(questionnaire: Questionnaire) -> bytes:
    lines = [f"# Codebook: {questionnaire.text(questionnaire.title)}", "",
             f"Questionnaire `{questionnaire.id}`, version `{questionnaire.version}`, fingerprint "
             f"`{questionnaire.fingerprint}`. Languages: {', '.join(questionnaire.languages)}.", "",
             "A blank answer means not answered or not shown (relevance).", "", NEUTRALISED, ""]
    for row in codebook_rows(questionnaire):
        lines += [f"## `{row['name']}`", ""]
        for language, text in row["texts"].items():
            lines.append(f"- question ({language}): {text}")
        if not row["texts"]:
            lines.append(f"- {row['question']}")
        for key in ("type", "codes", "relevant", "measure", "fingerprint"):
            if row[key]:
                lines.append(f"- {key}: {row[key]}")
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def to_codebook_html(questionnaire: Questionnaire) -> bytes:
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
    parts.append("</tbody></table></body></html>")
    return "".join(parts).encode("utf-8")


def export(questionnaire: Questionnaire, frame: pd.DataFrame, output_format: str) -> bytes:
    writers = {
        "csv": to_csv, "csv-labels": to_csv_labels, "xlsx": to_xlsx, "sav": to_sav, "dta": to_dta,
        "codebook": lambda q, _frame: to_codebook_markdown(q),
        "codebook-html": lambda q, _frame: to_codebook_html(q),
    }
    return writers[output_format](questionnaire, frame)


EXTENSIONS = {"csv": "csv", "csv-labels": "csv", "xlsx": "xlsx", "sav": "sav", "dta": "dta", "codebook": "md",
              "codebook-html": "html"}
