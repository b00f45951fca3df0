"""Exports: labels survive into SPSS and Stata, no formula reaches a spreadsheet, CSV is next year's baseline."""

import io

import pandas as pd
import pyreadstat
import pytest
from openpyxl import load_workbook

from survey.exports import writers as exports
from survey.exports.formats import FORMATS

ROWS = [
    {"group": "government", "language": "en", "heard": "yes", "areas": "gov dev", "trainings": "3",
     "period": "p2", "comments": "=HYPERLINK(\"http://x\")", "understand": "2"},
    {"group": "workers", "language": "km", "heard": "no", "trainings": "0", "comments": "+1 and -2 @ ok"},
    {"group": "workers", "language": "en", "heard": "dk", "comments": "plain text"},
]


@pytest.fixture
def wave_frame(stored_wave):
    return stored_wave(ROWS)


def _read_back(wave_frame, path, write, read):
    """The wave written to `path` by `write` and read back by pyreadstat's `read`: data, metadata, column labels."""
    questionnaire, frame = wave_frame
    path.write_bytes(write(questionnaire, frame))
    data, meta = read(str(path))
    return data, meta, dict(zip(meta.column_names, meta.column_labels, strict=True))


def test_sav_carries_variable_and_value_labels(wave_frame, tmp_path):
    data, meta, labels = _read_back(wave_frame, tmp_path / "wave.sav", exports.to_sav, pyreadstat.read_sav)
    assert labels["heard"] == "Heard of the policy?"
    assert labels["areas_gov"] == "Areas heard of: Governance"
    assert meta.variable_value_labels["heard"] == {1.0: "Yes", 2.0: "No", 3.0: "Don't know"}
    assert meta.variable_value_labels["understand"] == {1.0: "Disagree", 2.0: "Agree"}
    assert meta.variable_measure["understand"] == "ordinal"
    assert meta.variable_value_labels["group"] == {1.0: "Government", 2.0: "Workers"}
    by_group = data.sort_values("heard")
    assert by_group["heard"].tolist() == [1.0, 2.0, 3.0]
    assert by_group["areas_gov"].tolist()[0] == 1.0 and pd.isna(by_group["areas_gov"].tolist()[1])
    assert sorted(data["trainings"].dropna().tolist()) == [0.0, 3.0]


def test_dta_carries_labels(wave_frame, tmp_path):
    data, meta, labels = _read_back(wave_frame, tmp_path / "wave.dta", exports.to_dta, pyreadstat.read_dta)
    assert labels["period"] == "Which period?"
    value_labels = {column: meta.value_labels[name] for column, name in meta.variable_to_label.items()}
    assert value_labels["period"] == {1: "2010-2013", 2: "2015-2018"}
    assert value_labels["areas_dev"] == {0: "not selected", 1: "selected"}
    assert len(data) == 3


def test_xlsx_holds_no_formula(wave_frame):
    questionnaire, frame = wave_frame
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(questionnaire, frame)))
    assert workbook.sheetnames == ["data", "data (labels)", "codebook"]
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                texts.append(cell.value)
    assert '=HYPERLINK("http://x")' in texts  # kept exactly, as text
    data = workbook["data"]
    header = [c.value for c in data[1]]
    trainings = [row[header.index("trainings")] for row in data.iter_rows(min_row=2, values_only=True)]
    assert sorted(v for v in trainings if v is not None) == [0, 3]  # numbers stay numbers
    labels = workbook["data (labels)"]
    assert "Governance; Development" in [c.value for row in labels.iter_rows() for c in row]


def test_csv_neutralises_formula_like_text_only(wave_frame):
    questionnaire, frame = wave_frame
    data = pd.read_csv(io.BytesIO(exports.to_csv(questionnaire, frame)), dtype=str, keep_default_na=False)
    assert sorted(data["comments"]) == ["'+1 and -2 @ ok", "'=HYPERLINK(\"http://x\")", "plain text"]
    assert sorted(data["trainings"]) == ["", "0", "3"]


def test_csv_labels(wave_frame):
    questionnaire, frame = wave_frame
    data = pd.read_csv(io.BytesIO(exports.to_csv_labels(questionnaire, frame)), dtype=str, keep_default_na=False)
    assert set(data["group"]) == {"Government", "Workers"}
    assert "Governance; Development" in set(data["areas"])


def test_codebook_describes_every_variable(wave_frame):
    questionnaire, _frame = wave_frame
    markdown = exports.to_codebook_markdown(questionnaire).decode()
    for item in questionnaire.answerable_items:
        assert f"## `{item.id}`" in markdown and item.fingerprint in markdown
    assert "- question (km): ធ្លាប់ឮអំពីគោលនយោបាយ?" in markdown
    assert "- relevant: `heard == 'yes'`" in markdown and "leading apostrophe" in markdown
    page = exports.to_codebook_html(questionnaire).decode()
    assert "<table>" in page and "ធ្លាប់ឮ" in page


def test_cli_export_formats(runner, wave_frame, tmp_path):
    for output_format in FORMATS:
        out = tmp_path / f"wave.{FORMATS[output_format].extension}"
        result = runner.invoke(args=["export", "2018", "--format", output_format, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    binary = runner.invoke(args=["export", "2018", "--format", "sav"])
    assert binary.exit_code != 0 and "give --output" in binary.output
