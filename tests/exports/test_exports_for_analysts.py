"""Spreadsheets for analysts: numeric codes are numbers in the XLSX export; an export with labels imported
as codes says so once; a KoboToolbox export of a form read through pyxform imports."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.field_exports import to_interchange
from analysis.inputs import InputError, read_frame, read_wave
from questionnaires.xlsform import read_xlsform
from survey.exports import writers as exports

from ..conftest import kobo_form, with_data_validation_extension

ROWS = [
    {"group": "government", "language": "en", "heard": "yes", "areas": "gov dev", "trainings": "3",
     "period": "p2", "understand": "2"},
    {"group": "workers", "language": "km", "heard": "no", "trainings": "0"},
    {"group": "workers", "language": "en", "heard": "yes", "understand": "1"},
] * 5


@pytest.fixture
def wave_frame(stored_wave):
    return stored_wave(ROWS)


def test_xlsx_codes_and_numbers_are_numbers(wave_frame):
    questionnaire, frame = wave_frame
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(questionnaire, frame)))
    rows = list(workbook["data"].iter_rows(values_only=True))
    header = rows[0]
    understand = [row[header.index("understand")] for row in rows[1:]]
    trainings = [row[header.index("trainings")] for row in rows[1:]]
    assert {type(v) for v in understand if v is not None} == {int}  # Likert codes 1 and 2: Excel averages them
    assert {type(v) for v in trainings if v is not None} == {int}
    assert {type(row[header.index("heard")]) for row in rows[1:]} == {str}  # text codes stay text
    labels = list(workbook["data (labels)"].iter_rows(values_only=True))
    assert {type(row[labels[0].index("understand")]) for row in labels[1:] if row[labels[0].index("understand")]} \
        == {str}


def test_the_xlsx_export_imports_back(wave_frame, tmp_path):
    questionnaire, frame = wave_frame
    path = tmp_path / "wave.xlsx"
    path.write_bytes(exports.to_xlsx(questionnaire, frame))
    data = read_wave(path, questionnaire)
    assert data.n == len(ROWS)
    # Saved again by Excel with data validation: openpyxl's warning about it never reaches the user.
    assert read_wave(with_data_validation_extension(path, tmp_path / "excel.xlsx"), questionnaire).n == len(ROWS)


def test_an_export_with_labels_says_codes_are_needed_once(wave_frame, tmp_path):
    questionnaire, frame = wave_frame
    path = tmp_path / "labels.csv"
    path.write_bytes(exports.to_csv_labels(questionnaire, frame))
    with pytest.raises(InputError) as info:
        read_wave(path, questionnaire)
    assert len(info.value.problems) == 1
    message = info.value.problems[0]
    assert "labels, not their codes" in message and "import the csv export" in message


def test_a_kobo_export_of_a_form_read_through_pyxform_imports(tmp_path):
    questionnaire = read_xlsform(kobo_form(tmp_path / "kobo.xlsx"))
    export = pd.DataFrame({
        "start": ["2024-01-01T10:00"] * 3, "stakeholder_group": ["gov", "csos", "gov"],
        "aware/heard": ["yes", "yes", "no"], "aware/areas": ["gov dev", "pro", ""],
        "aware/areas/gov": ["1", "0", "0"], "aware/areas/dev": ["1", "0", "0"], "aware/areas/pro": ["0", "1", "0"],
        "aware/phone": ["012345678", "", ""], "_uuid": ["a", "b", "c"], "_submission_time": ["x", "y", "z"],
    })
    table = to_interchange(export, questionnaire, source="kobo.csv")
    assert not table.problems
    assert table.frame["areas"].fillna("").tolist() == ["gov dev", "pro", ""]
    data = read_frame(table.frame.fillna(""), questionnaire, source="kobo.csv")
    assert data.n == 3
    # The same export with only the 0/1 columns of the select_multiple.
    table = to_interchange(export.drop(columns=["aware/areas"]), questionnaire, source="kobo.csv")
    assert table.frame["areas"].fillna("").tolist() == ["gov dev", "pro", ""]
