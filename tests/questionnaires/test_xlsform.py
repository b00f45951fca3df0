from pathlib import Path

import pytest
from openpyxl import Workbook

import questionnaires as q
from questionnaires.library import BUNDLED_INSTRUMENT
from questionnaires.xlsform import read_xlsform, write_xlsform

from ..conftest import rename_group_question

SURVEY_HEADER = ["type", "name", "label::English (en)", "label::Khmer (km)", "hint::English (en)",
                 "required", "relevant", "constraint", "constraint_message::English (en)", "appearance",
                 "measure", "correct", "success", "headline"]


def build_form(path: Path, extra_rows=(), extra_survey_columns=()) -> Path:
    """A KoboToolbox-style form: translations, groups, select_multiple, relevant, constraint."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    header = SURVEY_HEADER + [c for c, _ in extra_survey_columns]
    survey.append(header)
    rows = [
        ["select_one org", "stakeholder_group", "Your organisation", "ស្ថាប័នរបស់អ្នក", None, "yes"],
        ["begin group", "aware", "Awareness", "ការយល់ដឹង", None, None, None, None, None, "field-list"],
        ["select_one yn", "heard", "Heard of the policy?", "ធ្លាប់ឮ?", "Tick one", "yes", None, None, None, None,
         "awareness", None, "yes", "yes"],
        ["select_one period", "period", "Which period?", "រយៈពេលណា?", None, None, "${heard} = 'yes'", None, None,
         None, "knowledge", "p2"],
        ["select_multiple areas", "areas", "Areas heard of", "វិស័យ", None, None, "${heard} = 'yes'", None, None,
         None, "awareness"],
        ["end group"],
        ["begin_group", "opinions", "Opinions", "មតិ"],
        ["select_one agree", "understand", "I understand it", "ខ្ញុំយល់", None, None,
         "selected(${areas}, 'gov') or ${heard} != 'no'", None, None, "likert"],
        ["integer", "trainings", "Trainings attended", "វគ្គ", None, None, None, ". >= 0 and . <= 100 and . != 13",
         "Between 0 and 100"],
        ["decimal", "share", "Donor share", "ចំណែក", None, None, None, ". <= 100"],
        ["note", "thanks", "Thank you", "សូមអរគុណ"],
        ["text", "comments", "Comments", "មតិយោបល់"],
        ["end_group"],
        *extra_rows,
    ]
    for row in rows:
        survey.append(list(row) + [None] * (len(header) - len(row)))
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label::English (en)", "label::Khmer (km)"])
    for row in [("org", "gov", "Government", "រដ្ឋាភិបាល"), ("org", "csos", "Civil society", "សង្គមស៊ីវិល"),
                ("yn", "yes", "Yes", "បាទ/ចាស"), ("yn", "no", "No", "ទេ"), ("yn", "dk", "Don't know", "មិនដឹង"),
                ("period", "p1", "2010-2013", "២០១០-២០១៣"), ("period", "p2", "2015-2018", "២០១៥-២០១៨"),
                ("areas", "gov", "Governance", "អភិបាលកិច្ច"), ("areas", "dev", "Development", "ការអភិវឌ្ឍ"),
                ("agree", "1", "Disagree", "មិនយល់ស្រប"), ("agree", "2", "Agree", "យល់ស្រប")]:
        choices.append(list(row))
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version", "form_title", "default_language"])
    settings.append(["kobo-test", "2024011001", "Policy survey", "English (en)"])
    workbook.save(path)
    return path


def test_xlsform_converts(tmp_path):
    questionnaire = read_xlsform(build_form(tmp_path / "form.xlsx"))
    assert questionnaire.id == "kobo-test" and questionnaire.version == "2024011001"
    assert questionnaire.languages == ("en", "km")
    assert [g.code for g in questionnaire.groups] == ["gov", "csos"]
    assert [s.id for s in questionnaire.sections] == ["aware", "opinions"]
    heard = questionnaire.item("heard")
    assert heard.label["km"] == "ធ្លាប់ឮ?" and heard.hint["en"] == "Tick one"
    assert heard.required and heard.headline and heard.success == ("yes",)
    assert questionnaire.item("period").relevant == "heard == 'yes'"
    assert questionnaire.item("period").correct == "p2"
    assert questionnaire.item("areas").type == "multiple_choice"
    assert questionnaire.item("understand").type == "likert"
    assert questionnaire.item("understand").relevant == "selected(areas, 'gov') or heard != 'no'"
    trainings = questionnaire.item("trainings")
    assert (trainings.integer, trainings.minimum, trainings.maximum, trainings.constraint) == (True, 0, 100, ". != 13")
    assert trainings.constraint_message["en"] == "Between 0 and 100"
    assert questionnaire.item("share").maximum == 100 and not questionnaire.item("share").integer
    assert questionnaire.item("thanks").type == "note"


def test_xlsform_yaml_xlsform_yaml_round_trip(tmp_path):
    first = read_xlsform(build_form(tmp_path / "form.xlsx"))
    yaml_path = tmp_path / "first.yaml"
    yaml_path.write_text(q.to_yaml(first), encoding="utf-8")
    from_yaml = q.load(yaml_path)
    write_xlsform(from_yaml, tmp_path / "again.xlsx")
    second = q.loads(q.to_yaml(read_xlsform(tmp_path / "again.xlsx")))
    assert q.to_dict(second) == q.to_dict(first)
    assert [i.fingerprint for i in second.items] == [i.fingerprint for i in first.items]
    assert second.fingerprint == first.fingerprint


def test_bundled_instrument_survives_xlsform(tmp_path):
    questionnaire = q.load(BUNDLED_INSTRUMENT)
    write_xlsform(questionnaire, tmp_path / "lmp.xlsx")
    assert q.to_dict(read_xlsform(tmp_path / "lmp.xlsx")) == q.to_dict(questionnaire)


def messages(path: Path) -> list[str]:
    with pytest.raises(q.QuestionnaireError) as info:
        read_xlsform(path)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("row, expected", [
    (["begin repeat", "visits", "Visits"], "row 15: not a valid XLSForm: Unmatched 'begin_repeat'"),
    (["begin repeat", "visits", "Visits"] + [None] * 11 + [None], "row 15: not a valid XLSForm: Unmatched"),
    (["calculate", "total", "Total", None, None, None, None, None, None, None, None, None, None, None],
     "row 15: not a valid XLSForm: Missing calculation"),
    (["image", "photo", "Photo"], "row 15, column 'type': media question (image) is not supported"),
    (["geopoint", "where", "Where"], "row 15, column 'type': question type 'geopoint' is not supported"),
    (["select_one nolist", "x", "X"], "row 15: not a valid XLSForm: List name not in choices sheet: nolist"),
    (["text", "t", "T", None, None, "maybe"], "row 15, column 'required': required 'maybe' is an expression"),
    (["text", "t", "T", None, None, None, "${heard} = = 'y'"], "row 15, column 'relevant': cannot convert"),
    (["text", "t", "T", None, None, None, "today() > 1"],
     "row 15, column 'relevant': cannot convert 'today() > 1': the function today() is not supported"),
])
def test_unconvertible_rows_are_named(tmp_path, row, expected):
    found = messages(build_form(tmp_path / "form.xlsx", extra_rows=[row]))
    assert any(f"sheet 'survey', {expected}" in m for m in found), found


def test_media_column_is_named(tmp_path):
    path = build_form(tmp_path / "form.xlsx", extra_rows=[["note", "pic", "Picture", None] + [None] * 10 + ["a.png"]],
                      extra_survey_columns=[("media::image::English (en)", None)])
    assert any("row 15, column 'media::image::English (en)': media in labels (image) are not supported" in m
               for m in messages(path))


def test_a_form_without_the_group_question_imports_with_one_group_and_a_warning(tmp_path):
    path = rename_group_question(tmp_path / "form.xlsx", "org_type")
    questionnaire = read_xlsform(path)
    assert questionnaire.group_codes == ("all",)
    warning = next(str(w) for w in questionnaire.warnings if "stakeholder_group" in str(w))
    assert "single stakeholder group 'all'" in warning and "--group-question NAME" in warning
    # The form's own select_one is then an ordinary question, outside any group: a section of its own.
    assert questionnaire.sections[0].items[0].id == "org_type"


def test_group_question_names_the_groups(tmp_path):
    path = rename_group_question(tmp_path / "form.xlsx", "org_type")
    questionnaire = read_xlsform(path, group_question="org_type")
    assert questionnaire.group_codes == q.load(BUNDLED_INSTRUMENT).group_codes
    assert not questionnaire.has_item("org_type") and not questionnaire.warnings


def test_group_question_option_of_the_cli(runner, tmp_path):
    path = rename_group_question(tmp_path / "form.xlsx", "org_type")
    result = runner.invoke(args=["questionnaire", "import", str(path), "-o", str(tmp_path / "q.yaml"),
                                 "--group-question", "org_type"])
    assert result.exit_code == 0, result.output
    assert "government" in (tmp_path / "q.yaml").read_text(encoding="utf-8")
    result = runner.invoke(args=["questionnaire", "import", str(path), "-o", str(tmp_path / "one.yaml")])
    assert result.exit_code == 0 and "warning" in result.output and "--group-question" in result.output


def test_not_a_workbook(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("not a workbook")
    assert "not an XLSForm workbook" in messages(path)[0]


def test_a_language_only_in_the_settings_is_kept(tmp_path):
    path = build_form(tmp_path / "form.xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    settings = workbook["settings"]
    settings["E1"], settings["E2"] = "form_title::French (fr)", "Enquête"
    workbook.save(path)
    questionnaire = read_xlsform(path)
    assert questionnaire.languages[0] == "en" and set(questionnaire.languages) == {"en", "km", "fr"}
    assert questionnaire.title["fr"] == "Enquête"
    assert any("no translation in fr" in str(w) for w in questionnaire.warnings)
