"""KoboToolbox and ODK Central data exports come back in: built from the bundled instrument's XLSForm."""

import csv

import pandas as pd
import pytest
from openpyxl import load_workbook

import questionnaires
from analysis import InputError
from analysis.field_exports import to_interchange
from analysis.synthetic import synthetic_wave
from questionnaires.library import BUNDLED_INSTRUMENT
from questionnaires.xlsform import write_xlsform
from survey import db
from survey.models import Response, WaveImport
from survey.responses.queries import wave_frame
from survey.waves import queries
from survey.waves.operations import create_wave, store_edition

QUESTIONNAIRE = questionnaires.load(BUNDLED_INSTRUMENT)


def form_paths(form) -> dict[str, str]:
    """Each question's path in the XLSForm (group/name), as KoboToolbox names export columns."""
    paths, group = {}, None
    for row in load_workbook(form)["survey"].iter_rows(min_row=2, values_only=True):
        kind, name = (row[0] or "").strip(), row[1]
        if kind == "begin group":
            group = name
        elif kind == "end group":
            group = None
        elif name:
            paths[name] = f"{group}/{name}" if group else name
    return paths


def kobo_export(answers: pd.DataFrame, form, separator="/") -> pd.DataFrame:
    """A KoboToolbox export "XML values and headers": group paths, 0/1 columns per option, metadata."""
    paths = {name: path.replace("/", separator) for name, path in form_paths(form).items()}
    table = {"start": "2018-03-01T09:00:00.000+07:00", "end": "2018-03-01T09:20:00.000+07:00",
             "deviceid": "collect:abc123", paths["stakeholder_group"]: answers["group"]}
    for item in QUESTIONNAIRE.answerable_items:
        values = answers[item.id].fillna("")
        table[paths[item.id]] = values
        if item.type == "multiple_choice":
            for code in item.codes:
                table[f"{paths[item.id]}/{code}"] = [
                    "" if not text else ("1" if code in text.split() else "0") for text in values]
    table |= {"_id": range(1, len(answers) + 1), "_uuid": [f"uuid-{n}" for n in range(len(answers))],
              "_submission_time": "2018-03-02T10:00:00", "_validation_status": "", "_index": range(len(answers))}
    return pd.DataFrame(table)


@pytest.fixture
def form(tmp_path):
    path = tmp_path / "lmp.xlsx"
    write_xlsform(QUESTIONNAIRE, path)
    return path


@pytest.fixture
def answers():
    return synthetic_wave(QUESTIONNAIRE, 40, seed=5).drop(columns=["respondent", "language"]).fillna("")


@pytest.fixture
def wave(app, database_url):
    with app.app_context():
        session = db.session()
        edition = store_edition(session, QUESTIONNAIRE)
        create_wave(session, "2018", edition)
        session.commit()


def imported(app) -> pd.DataFrame:
    with app.app_context():
        frame = wave_frame(db.session(), queries.wave_by_slug(db.session(), "2018"))
    return frame.drop(columns=["respondent", "language"])


def _text(value) -> str:
    """A cell as text, numbers written alike (a spreadsheet may give 7.0 for 7)."""
    try:
        return f"{float(value):g}"
    except ValueError:
        return str(value)


def same_answers(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    def key(frame):
        return frame.map(_text).sort_values(list(frame.columns)).reset_index(drop=True)

    return key(left[right.columns]).equals(key(right))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_kobo_export_round_trip(app, runner, wave, form, answers, tmp_path, kind):
    export = kobo_export(answers, form)
    path = tmp_path / f"kobo.{kind}"
    if kind == "csv":
        # As KoboToolbox writes it (kobotoolbox/formpack Export.to_csv): ';' between values, every value quoted.
        export.to_csv(path, index=False, sep=";", quoting=csv.QUOTE_ALL)
    else:
        export.to_excel(path, index=False, sheet_name="lmp-stakeholder-review")
    result = runner.invoke(args=["import", "2018", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 40 responses" in result.output
    assert same_answers(imported(app), answers)


def test_option_columns_alone_give_the_selections(app, runner, wave, form, answers, tmp_path):
    """An export with only the 0/1 columns of a select_multiple (and ODK Central's '-' group paths)."""
    export = kobo_export(answers, form, separator="-")
    multiple = [item for item in QUESTIONNAIRE.answerable_items if item.type == "multiple_choice"]
    paths = form_paths(form)
    export = export.drop(columns=[paths[item.id].replace("/", "-") for item in multiple])
    export = export.rename(columns={"_uuid": "meta-instanceID", "_submission_time": "SubmissionDate"})
    path = tmp_path / "central.csv"
    export.to_csv(path, index=False)
    result = runner.invoke(args=["import", "2018", str(path)])
    assert result.exit_code == 0, result.output
    assert same_answers(imported(app), answers)


def test_errors_name_the_exports_rows_and_columns(app, runner, wave, form, answers, tmp_path):
    export = kobo_export(answers, form)
    paths = form_paths(form)
    export.loc[3, paths["heard_policy"]] = "perhaps"
    multiple = next(item for item in QUESTIONNAIRE.answerable_items if item.type == "multiple_choice")
    export.loc[5, f"{paths[multiple.id]}/{multiple.codes[0]}"] = "2"
    export["awareness/favourite_colour"] = "blue"
    path = tmp_path / "kobo.csv"
    export.to_csv(path, index=False)
    result = runner.invoke(args=["import", "2018", str(path)])
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert "column 'awareness/favourite_colour': not a question of lmp-stakeholder-review" in result.output
    export = export.drop(columns="awareness/favourite_colour")
    export.to_csv(path, index=False)
    result = runner.invoke(args=["import", "2018", str(path)])
    assert f"row 5, column '{paths['heard_policy']}': 'perhaps' is not one of the codes" in result.output
    assert f"row 7, column '{paths[multiple.id]}/{multiple.codes[0]}': '2' is neither 1" in result.output
    with app.app_context():
        assert db.session().query(Response).count() == 0 and db.session().query(WaveImport).count() == 0


def test_group_question_option(app, runner, wave, form, answers, tmp_path):
    export = kobo_export(answers, form).rename(columns={"stakeholder_group": "org_type"})
    path = tmp_path / "kobo.csv"
    export.to_csv(path, index=False)
    result = runner.invoke(args=["import", "2018", str(path)])
    assert result.exit_code == 1 and "no column for the group question 'stakeholder_group'" in result.output
    result = runner.invoke(args=["import", "2018", str(path), "--group-question", "org_type"])
    assert result.exit_code == 0, result.output


def test_labels_are_read_as_codes():
    frame = pd.DataFrame({"stakeholder_group": ["Employers' organisation"],
                          "awareness/heard_policy": ["Yes"]}).astype("category")
    table = to_interchange(frame, QUESTIONNAIRE, source="kobo.csv")
    assert table.frame.loc[0, "group"] == "employers" and table.frame.loc[0, "heard_policy"] == "yes"


def test_a_question_named_like_metadata_is_a_question():
    frame = pd.DataFrame({"stakeholder_group": ["workers"], "start": ["2018-01-01"], "_uuid": ["x"]})
    assert list(to_interchange(frame, QUESTIONNAIRE, source="x.csv").frame.columns) == ["group"]
    with pytest.raises(InputError, match="no column for the group question"):
        to_interchange(frame.drop(columns="stakeholder_group"), QUESTIONNAIRE, source="x.csv")
