"""XLSForms as ODK reads them (through pyxform): a corpus of forms written by others, languages,
ODK's XPath functions, and the round trip back through pyxform's own converter."""

from pathlib import Path

import pytest
from openpyxl import Workbook

import questionnaires as q
from questionnaires import expressions
from questionnaires.answers import check_all
from questionnaires.library import BUNDLED_INSTRUMENT
from questionnaires.xlsform import read_xlsform, write_xlsform

from ..conftest import kobo_form, with_data_validation_extension

CORPUS = Path(__file__).parents[1] / "data" / "xlsform-corpus"
FORMS = sorted(path for path in CORPUS.glob("*/*") if path.suffix in (".xls", ".xlsx"))

# What some forms must give: "imports", or words every refusal must contain (the construct's name).
EXPECTED = {
    "pyxform/specify_other.xlsx": "imports",
    "pyxform/yes_or_no_question.xlsx": "imports",
    "pyxform/group.xlsx": "imports",
    "kobo/battery_life.xls": "imports",
    "kobo/sample_accent.xlsx": "imports",
    "pyxform/tutorial.xls": ["repeat"],
    "pyxform/calculate.xls": ["calculate"],
    "pyxform/choice_filter_test.xlsx": ["choice_filter"],
    "pyxform/case_insensitivity.xlsx": ["select_one_external"],
    "pyxform/include.xlsx": ["'include'"],
    "pyxform/widgets.xls": ["default", "question type"],
    "kobo/tutorial.xls": ["media question (image)"],
    "kobo/gps.xls": ["'geopoint'"],
    "kobo/new_cascading_select.xls": ["choice_filter"],
    "kobo/childrens_survey.xls": ["repeat"],
}


def test_the_corpus_is_there_with_its_licences():
    assert len(FORMS) >= 70
    assert (CORPUS / "pyxform" / "LICENSE").is_file() and (CORPUS / "kobo" / "LICENSE").is_file()


@pytest.mark.parametrize("path", FORMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_public_form_imports_or_is_refused_by_name(path):
    key = f"{path.parent.name}/{path.name}"
    try:
        questionnaire = read_xlsform(path)
    except q.QuestionnaireError as error:
        errors = [p for p in error.problems if p.severity == "error"]
        assert errors and all(p.message for p in errors)
        assert all(str(path) in str(p) for p in errors)
        expected = EXPECTED.get(key)
        assert expected != "imports", [str(p) for p in errors]
        for word in expected or ():
            assert any(word in p.message for p in errors), (word, [str(p) for p in errors])
        return
    assert EXPECTED.get(key, "imports") == "imports"
    assert questionnaire.items and questionnaire.languages
    # What was imported is a valid questionnaire of its own: it loads again from its definition.
    assert q.from_dict(q.to_dict(questionnaire)).fingerprint == questionnaire.fingerprint


def test_or_other_is_a_choice_with_its_text_question():
    questionnaire = read_xlsform(CORPUS / "pyxform" / "specify_other.xlsx")
    assert "other" in questionnaire.item("sex").codes
    other = questionnaire.item("sex_other")
    assert other.type == "text" and other.relevant == "selected(sex, 'other')"
    assert other.is_relevant({"sex": "other"}) and not other.is_relevant({"sex": "male"})


def test_metadata_is_dropped_with_a_warning_naming_row_and_type():
    questionnaire = read_xlsform(CORPUS / "kobo" / "battery_life.xls")
    warnings = [str(w) for w in questionnaire.warnings]
    assert any("row 2, column 'type': metadata 'start' dropped" in w for w in warnings)
    assert any("metadata 'deviceid' dropped" in w for w in warnings)
    assert not questionnaire.has_item("start")


def test_a_kobo_form_without_settings_imports_with_its_logic(tmp_path):
    questionnaire = read_xlsform(kobo_form(tmp_path / "kobo.xlsx"))
    assert questionnaire.languages == ("en", "km") and questionnaire.group_codes == ("gov", "csos")
    assert questionnaire.id == "kobo" and questionnaire.version == "1"
    areas, phone = questionnaire.item("areas"), questionnaire.item("phone")
    assert areas.relevant == "selected(heard, 'yes')" and areas.constraint == "count_selected(.) <= 2"
    assert areas.is_relevant({"heard": "yes"}) and not areas.is_relevant({"heard": "no"})
    assert phone.is_relevant({}) and not phone.is_relevant({"heard": "no"})
    assert check_all(questionnaire, {"stakeholder_group": "gov", "heard": "yes", "areas": "gov dev pro",
                                       "phone": "12345"}).errors.keys() == {"areas", "phone"}
    assert not check_all(questionnaire, {"stakeholder_group": "gov", "heard": "yes", "areas": "gov",
                                           "phone": "012345678"}).errors
    assert questionnaire.item("heard").label["km"] == "ធ្លាប់ឮ?"


@pytest.mark.parametrize("headers", [
    ("label::English (en)", "label::Khmer (km)"),
    ("label::English", "label::Khmer"),
    ("label:English", "label:Khmer"),
    ("Label::English", "LABEL::khmer"),
    ("label", "label::Khmer (km)"),
])
def test_language_columns_read_as_odk_reads_them(tmp_path, headers):
    questionnaire = read_xlsform(kobo_form(tmp_path / "kobo.xlsx", headers=headers))
    assert questionnaire.languages == ("en", "km")
    assert questionnaire.item("heard").label == {"en": "Heard of the policy?", "km": "ធ្លាប់ឮ?"}


def test_the_default_language_comes_from_the_settings(tmp_path):
    path = kobo_form(tmp_path / "kobo.xlsx", settings={"form_id": "k", "default_language": "Khmer (km)"})
    assert read_xlsform(path).languages == ("km", "en")


@pytest.mark.parametrize("text, answers, current, expected", [
    ("count-selected(${a}) >= 2", {"a": ("x", "y")}, None, True),
    ("count-selected(${a}) >= 2", {"a": ("x",)}, None, False),
    ("string-length(.) <= 3", {}, "abcd", False),
    ("string-length(${t}) = 0", {}, None, True),
    ("regex(., '^[0-9]+$')", {}, "0123", True),
    ("regex(., '^[0-9]+$')", {}, "01a", False),
    ("if(${n} > 5, 'big', 'small') = 'big'", {"n": 7}, None, True),
    ("coalesce(${t}, 'none') = 'none'", {}, None, True),
    ("selected(${s}, 'yes')", {"s": "yes"}, None, True),
    ("selected(${s}, 'yes') and not(selected(${m}, 'b'))", {"s": "yes", "m": ("a",)}, None, True),
    ("selected(., 'b') or ${s} = 'no'", {"s": "yes"}, ("a",), False),
])
def test_odk_functions_mean_what_they_mean_in_odk(text, answers, current, expected):
    node = expressions.parse(text, dialect="xlsform")
    assert expressions.evaluate(node, answers, current) is expected
    # Written back in both spellings, they read back to the same tree.
    assert expressions.parse(expressions.unparse(node)) == node
    assert expressions.parse(expressions.unparse(node, dialect="xlsform"), dialect="xlsform") == node


@pytest.mark.parametrize("text, name", [
    ("today() > ${d}", "today()"), ("format-date(${d}, '%Y') = '2024'", "format-date()"),
    ("jr:choice-name(${a}, '${a}') = 'x'", None), ("position(..) = 1", "position()"),
    ("${a} + ${b} > 3", "arithmetic (+)"), ("${a} div 2 = 1", "arithmetic (div)"),
    ("/data/a = 1", "an XPath path (/)"), ("${a}[1] = 1", "an XPath predicate ([...])"),
])
def test_other_functions_are_refused_by_name(text, name):
    with pytest.raises(expressions.ExpressionError) as info:
        expressions.parse(text, dialect="xlsform")
    if name and "(" in name and name.endswith("()"):
        assert f"the function {name} is not supported" in str(info.value)
    elif name:
        assert f"{name} is not supported" in str(info.value)


def test_the_exported_form_converts_with_pyxform_and_reads_back_the_same(tmp_path):
    from pyxform.xls2xform import convert

    for source in (q.load(BUNDLED_INSTRUMENT), read_xlsform(kobo_form(tmp_path / "kobo.xlsx"))):
        path = tmp_path / f"{source.id}.xlsx"
        write_xlsform(source, path)
        result = convert(str(path), warnings=[])  # raises PyXFormError on any error
        assert "<h:title>" in result.xform and 'lang="Khmer (km)"' in result.xform
        again = read_xlsform(path)
        assert q.to_dict(again)["sections"] == q.to_dict(source)["sections"]
        assert again.languages == source.languages and again.group_codes == source.group_codes
        assert q.to_dict(again)["choice_lists"] == q.to_dict(source)["choice_lists"]


def test_pyxform_errors_are_messages_with_the_row(tmp_path):
    workbook = Workbook()
    workbook.active.title = "survey"
    workbook.active.append(["type", "name", "label"])
    workbook.active.append(["begin group", "g", "G"])
    workbook.active.append(["text", "t", "T"])
    workbook.save(tmp_path / "open.xlsx")
    with pytest.raises(q.QuestionnaireError) as info:
        read_xlsform(tmp_path / "open.xlsx")
    assert "sheet 'survey', row 2: not a valid XLSForm: Unmatched 'begin_group'" in str(info.value.problems[0])


def test_xls_forms_on_the_command_line(runner, tmp_path):
    result = runner.invoke(args=["questionnaire", "import", str(CORPUS / "kobo" / "battery_life.xls"),
                                 "-o", str(tmp_path / "q.yaml")])
    assert result.exit_code == 0, result.output
    assert "metadata 'start' dropped" in result.output and (tmp_path / "q.yaml").is_file()
    result = runner.invoke(args=["questionnaire", "import", str(CORPUS / "kobo" / "childrens_survey.xls"),
                                 "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 1 and "repeat (begin repeat) is not supported" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.yaml").exists()


def test_no_library_warning_reaches_the_user(runner, tmp_path):
    # pytest turns any warning into an error (pyproject: filterwarnings = error): reading is silent.
    path = with_data_validation_extension(kobo_form(tmp_path / "kobo.xlsx"), tmp_path / "excel.xlsx")
    assert read_xlsform(path).items
    result = runner.invoke(args=["questionnaire", "import", str(path), "-o", str(tmp_path / "q.yaml")])
    assert result.exit_code == 0 and "extension is not supported" not in result.output


def test_an_empty_media_column_is_a_warning(tmp_path):
    from openpyxl import load_workbook

    path = kobo_form(tmp_path / "kobo.xlsx")
    workbook = load_workbook(path)
    workbook["choices"]["E1"] = "image"
    workbook["survey"]["H1"] = "media::audio::English (en)"
    workbook.save(path)
    warnings = [str(w) for w in read_xlsform(path).warnings]
    assert any("sheet 'choices', column 'image': an empty media column; ignored" in w for w in warnings)
    assert any("column 'media::audio::English (en)': an empty media column" in w for w in warnings)


def test_capitalised_sheet_names_are_read(tmp_path):
    from openpyxl import load_workbook

    path = kobo_form(tmp_path / "kobo.xlsx")
    workbook = load_workbook(path)
    for name, title in (("survey", "Survey"), ("choices", "CHOICES")):
        workbook[name].title = "renamed"  # openpyxl would make "Survey" "Survey1" beside "survey"
        workbook["renamed"].title = title
    workbook.save(path)
    assert read_xlsform(path).group_codes == ("gov", "csos")
