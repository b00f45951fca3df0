"""Exports that never fail: every format on the bundled instrument, an empty wave and hostile answers."""

import csv
import io

import pandas as pd
import pyreadstat
import pytest
from openpyxl import load_workbook
from werkzeug.security import generate_password_hash

import questionnaires
from analysis.synthetic import synthetic_wave
from questionnaires.library import BUNDLED_INSTRUMENT as BUNDLED
from survey import db
from survey.accounts.operations import create_user
from survey.exports import writers as exports
from survey.exports.formats import FORMATS
from survey.exports.variables import SPSS, STATA, short_names
from survey.responses.queries import wave_frame
from survey.waves import queries

from ..conftest import log_in

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(1)", "+1+2", "-2-3", "\tTAB", "\rCR",
           "bell\x07 vt\x0b soh\x01 esc\x1b", "x" * 40_000, "ក" * 3_000, "-9", "line one\nline two"]
FORMULA_LIKE = {"=", "+", "-", "@", "\t", "\r"}


def _bundled_rows(questionnaire, hostile: bool):
    frame = synthetic_wave(questionnaire, 40, seed=3).fillna("").astype(str)
    rows = frame.to_dict("records")
    if hostile:
        text_items = [item.id for item in questionnaire.answerable_items if item.type == "text"]
        for index, row in enumerate(rows):
            for item_id in text_items:
                row[item_id] = HOSTILE[index % len(HOSTILE)]
    return rows


@pytest.fixture(params=["bundled", "empty", "hostile"])
def wave(request, stored_wave):
    questionnaire = questionnaires.load(BUNDLED)
    rows = [] if request.param == "empty" else _bundled_rows(questionnaire, request.param == "hostile")
    return stored_wave(rows, BUNDLED)


def test_every_format_on_the_bundled_instrument(wave, tmp_path):
    questionnaire, frame = wave
    for output_format in FORMATS:
        content = exports.export(questionnaire, frame, output_format)
        assert content, output_format
        path = tmp_path / f"{output_format}.{FORMATS[output_format].extension}"
        path.write_bytes(content)
    for name in ("csv.csv", "csv-labels.csv"):
        with open(tmp_path / name, encoding="utf-8", newline="") as file:
            assert len(list(csv.DictReader(file))) == len(frame)
    _check_statistical(questionnaire, tmp_path / "sav.sav", pyreadstat.read_sav, SPSS, len(frame))
    _check_statistical(questionnaire, tmp_path / "dta.dta", pyreadstat.read_dta, STATA, len(frame))
    workbook = load_workbook(tmp_path / "xlsx.xlsx")
    assert workbook["data"].max_row == len(frame) + 1


def test_statistical_exports_read_categorical_frames_alike(wave):
    """SPSS and Stata read a large wave as categoricals (as the analysis does): the same data as from text."""
    questionnaire, frame = wave
    categorical = frame.astype({item.id: "category" for item in questionnaire.answerable_items})
    for column in categorical.columns[3:]:  # blanks as the categorical reader has them: missing
        if isinstance(categorical[column].dtype, pd.CategoricalDtype) and "" in categorical[column].cat.categories:
            categorical[column] = categorical[column].cat.remove_categories([""])
    for rules in (SPSS, STATA):
        expected, *expected_meta = exports.statistical_frame(questionnaire, frame, rules)
        got, *got_meta = exports.statistical_frame(questionnaire, categorical, rules)
        pd.testing.assert_frame_equal(got, expected)
        assert got_meta == expected_meta


def _check_statistical(questionnaire, path, read, rules, count):
    data, meta = read(str(path))
    assert len(data) == count
    names = meta.column_names
    assert len({name.lower() for name in names}) == len(names)
    assert all(len(name) <= rules.limit and name.isascii() for name in names)
    expected = [name for _column, spss, stata in exports.variable_names(questionnaire)
                for name in [spss if rules is SPSS else stata]]
    assert names == expected
    labels = dict(zip(names, meta.column_labels, strict=True))
    shortened = [(column, short_names([column], rules)[column]) for column in exports.statistical_columns(questionnaire)]
    for column, name in shortened:
        if name != column:
            assert labels[name].startswith(f"{column}: ")  # the full column name travels in the label


def test_stata_names_of_the_bundled_instrument_are_shortened_stably():
    questionnaire = questionnaires.load(BUNDLED)
    columns = exports.statistical_columns(questionnaire)
    long = [c for c in columns if len(c) > STATA.limit]
    assert long, "the bundled instrument has column names longer than Stata allows"
    forward = short_names(columns, STATA)
    backward = short_names(list(reversed(columns)), STATA)
    assert forward == backward  # position in the questionnaire does not matter
    assert short_names(long[:1], STATA) == {long[0]: forward[long[0]]}  # nor do the other items
    assert forward[long[0]].startswith(long[0][:STATA.limit - 7]) and len(forward[long[0]]) == STATA.limit


def test_names_are_valid_unique_and_keep_what_fits():
    columns = ["heard", "_private", "Heard", "if", "with", "a" * 70, "a" * 71, "q_ខ្មែរ", "q_x-y", "q_x_y", "2x"]
    spss, stata = short_names(columns, SPSS), short_names(columns, STATA)
    assert spss["heard"] == stata["heard"] == "heard"
    assert stata["_private"] == "_private" and spss["_private"].startswith("v_private_")
    assert spss["Heard"] != "Heard" and spss["Heard"].lower() != "heard"  # SPSS ignores case
    assert stata["if"] != "if" and spss["with"] != "with"
    for names, rules in ((spss, SPSS), (stata, STATA)):
        assert len({n.lower() for n in names.values()}) == len(columns)
        for name in names.values():
            assert name.isascii() and len(name) <= rules.limit and name[0].isalpha() or name[0] == "_"
    assert spss["q_x-y"] != spss["q_x_y"] == "q_x_y"


def test_hostile_text_in_spreadsheets(stored_wave, tmp_path):
    definition = """
id: formulas
version: "1"
title: Formulas
groups:
  - {code: g1, label: "=HYPERLINK(\\"http://evil\\")"}
sections:
  - id: s
    title: S
    items:
      - {id: pick, type: single_choice, label: Pick, choices: [{code: a, label: "@SUM(1)"}, {code: "-9", label: "-9"}]}
      - {id: count, type: number, label: How many}
      - {id: say, type: text, label: Say}
"""
    rows = [{"group": "g1", "pick": "a", "count": "-3", "say": text} for text in HOSTILE]
    questionnaire, frame = stored_wave(rows, definition)
    for output_format in ("csv", "csv-labels"):
        for row in csv.reader(io.StringIO(exports.export(questionnaire, frame, output_format).decode())):
            for cell in row:
                assert not (cell[:1] in FORMULA_LIKE and cell not in ("-9", "-3")), (output_format, cell)
    labels = list(csv.DictReader(io.StringIO(exports.to_csv_labels(questionnaire, frame).decode())))
    assert labels[0]["group"] == "'=HYPERLINK(\"http://evil\")" and labels[0]["pick"] == "'@SUM(1)"
    assert labels[0]["count"] == "-3"  # a number stays a number
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(questionnaire, frame)))
    data = workbook["data (labels)"]
    header = [c.value for c in data[1]]
    for row in data.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert "\x0b" not in cell.value and "\x01" not in cell.value
                if cell.value[:1] in FORMULA_LIKE and cell.value != "-9":
                    assert cell.quotePrefix, cell.value
    counts = [row[header.index("count")] for row in data.iter_rows(min_row=2, values_only=True)]
    assert set(counts) == {-3}
    says = [row[header.index("say")] for row in data.iter_rows(min_row=2, values_only=True)]
    assert "bell vt soh esc" in says and '=HYPERLINK("http://evil.example","x")' in says


def test_console_exports_every_format(app, stored_wave, client):
    questionnaire = questionnaires.load(BUNDLED)
    stored_wave(_bundled_rows(questionnaire, hostile=True), BUNDLED)
    stored_wave([], BUNDLED, slug="empty")
    with app.app_context():
        create_user(db.session(), "a@example.org", generate_password_hash("correct horse battery"))
    log_in(client, "a@example.org")
    for slug in ("2018", "empty"):
        for output_format in FORMATS:
            response = client.get(f"/admin/waves/{slug}/export/{output_format}")
            assert response.status_code == 200, (slug, output_format, response.status_code)
            if output_format == "csv":  # streamed from the records: the bytes of the frame's export
                assert response.is_streamed
                streamed = response.data
                with app.app_context():
                    wave = queries.wave_by_slug(db.session(), slug)
                    assert streamed == exports.csv_bytes(wave_frame(db.session(), wave))

