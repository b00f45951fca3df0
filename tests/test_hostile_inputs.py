"""Hostile and broken inputs: refused quickly, with a message naming what and where, and nothing stored."""

import io
import time
import zipfile

import pandas as pd
import pytest

import questionnaires
from analysis import InputError, read_table
from questionnaires import QuestionnaireError, expressions, loads, to_yaml
from questionnaires.answers import check
from questionnaires.library import BUNDLED_INSTRUMENT
from questionnaires.xlsform import read_xlsform, write_xlsform
from survey.db import OperationError
from survey.invitations.contacts import ContactsError, read_contacts
from survey.waves.operations import create_wave, store_edition

from .conftest import TWO_PAGES, stored_counts

MINIMAL = """
id: tiny
version: "1"
title: {title}
groups: [{{code: g, label: G}}]
sections:
  - id: s
    title: S
    items:
      - {{id: a, type: text, label: {label}}}
"""


def _problems(text: str) -> str:
    with pytest.raises(QuestionnaireError) as caught:
        loads(text)
    return str(caught.value)


def test_yaml_alias_bomb_is_refused_at_once():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    started = time.monotonic()
    assert "anchors and aliases" in _problems(bomb)
    assert time.monotonic() - started < 1


def test_deep_yaml_and_deep_expressions_are_refused():
    assert "nested more than" in _problems("a: " + "[" * 5000 + "]" * 5000)
    assert "nested more than" in _problems("a: " + "{b: " * 3000 + "1" + "}" * 3000)
    deep = MINIMAL.format(title="T", label="L").replace("label: L}", "label: L, relevant: \"" + "(" * 900
                                                         + "a == 'x'" + ")" * 900 + "\"}")
    assert "nested more than" in _problems(deep)
    with pytest.raises(expressions.ExpressionError):
        expressions.parse("not " * 5000 + "a")


def test_names_must_match_whole():
    assert "id 'tiny\\n'" in _problems(MINIMAL.format(title="T", label="L").replace("id: tiny", 'id: "tiny\\n"'))
    assert "must start with a letter" in _problems(
        MINIMAL.format(title="T", label="L").replace("id: a,", 'id: "a\\n",'))


def test_control_characters_and_formula_codes_in_a_questionnaire():
    assert "U+000B" in _problems(MINIMAL.format(title='"T\\x0b"', label="L"))
    assert "U+0000" in _problems(MINIMAL.format(title="T", label='"nul\\0"'))
    assert "read it as a formula" in _problems(MINIMAL.format(title="T", label="L").replace("code: g", 'code: "=g"'))
    assert loads(MINIMAL.format(title="T", label="L").replace("code: g", 'code: "-9"')).group_codes == ("-9",)


def test_written_yaml_reads_back_identically():
    text = MINIMAL.format(title='"1e3"', label='{en: "0x1F"}').replace("id: s\n", "id: s\n    hint: '.inf'\n")
    questionnaire = loads(text)
    again = loads(to_yaml(questionnaire))
    assert again.text(again.title) == "1e3" and again.items[0].label["en"] == "0x1F"
    assert again.fingerprint == questionnaire.fingerprint
    bundled = questionnaires.load(BUNDLED_INSTRUMENT)
    assert loads(to_yaml(bundled)).fingerprint == bundled.fingerprint


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not UTF-8"),
    ("titre: é".encode("latin-1"), "not UTF-8"),
    (b"", "empty"),
    (b"id: [unclosed", "not valid YAML"),
])
def test_broken_questionnaire_files(tmp_path, content, message):
    path = tmp_path / "q.yaml"
    path.write_bytes(content)
    assert message in "\n".join(str(p) for p in questionnaires.validate(path))


def test_questionnaire_paths_that_cannot_be_files(tmp_path):
    assert "no such file" in str(questionnaires.validate(tmp_path / "missing.yaml")[0])
    assert "folder" in str(questionnaires.validate(tmp_path)[0])
    assert "cannot be read" in str(questionnaires.validate(tmp_path / "nul\x00.yaml")[0])


def _form(tmp_path):
    path = tmp_path / "form.xlsx"
    write_xlsform(questionnaires.load(TWO_PAGES), path)
    return path


def _rewrite(path, change):
    """The workbook with each member's bytes passed through `change(name, data)`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, change(member.filename, source.read(member)))
    path.write_bytes(buffer.getvalue())


def test_xlsx_declaring_a_huge_sheet_is_not_trusted(tmp_path):
    """The limits count the cells the sheet holds, never its <dimension> (issue 21; tests/security)."""
    path = _form(tmp_path)
    _rewrite(path, lambda name, data: data.replace(b'<dimension ref="A1:', b'<dimension ref="A1:XFD10000" x="')
             if name.startswith("xl/worksheets/") else data)
    started = time.monotonic()
    try:  # the platform's check passes it; pyxform's reader may then refuse the odd sheet: either way at once
        read_xlsform(path)
    except QuestionnaireError as error:
        assert "rows" not in str(error) and "columns" not in str(error)
    assert time.monotonic() - started < 2


def test_xlsx_unpacking_to_too_much_is_refused_before_parsing(tmp_path):
    path = _form(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    assert path.stat().st_size < 256 * 1024
    started = time.monotonic()
    with pytest.raises(QuestionnaireError, match="unpacks to 20.0 MB"):
        read_xlsform(path)
    assert time.monotonic() - started < 2


def test_xlsx_with_broken_xml_or_cut_short(tmp_path):
    path = _form(tmp_path)
    _rewrite(path, lambda name, data: data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(QuestionnaireError, match="cannot be read"):
        read_xlsform(path)
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(_form(tmp_path).read_bytes()[:3000])
    with pytest.raises(QuestionnaireError, match="not an XLSForm workbook"):
        read_xlsform(truncated)


def test_truncated_or_broken_xlsx_baseline(tmp_path):
    path = tmp_path / "baseline.xlsx"
    pd.DataFrame({"group": ["workers"], "heard": ["yes"]}).to_excel(path, index=False)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 200])
    with pytest.raises(InputError, match="baseline.xlsx"):
        read_table(path)
    path.write_bytes(whole)
    _rewrite(path, lambda name, data: data.replace(b"<row", b"<row <<") if "worksheets" in name else data)
    with pytest.raises(InputError, match="cannot be read"):
        read_table(path)


def test_control_characters_in_a_baseline_are_refused(tmp_path):
    path = tmp_path / "baseline.csv"
    path.write_text("group,heard,comments\nworkers,yes,fine\nworkers,no,bad\x0bcell\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3, column 'comments': the cell holds a control character"):
        read_table(path)
    path.write_text("group,comments\nworkers,fine\nworkers," + "x" * 40_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3, column 'comments': the cell holds 40000 characters"):
        read_table(path)



def test_duplicated_respondent_in_a_baseline(app, runner, waves, tmp_path):  # noqa: F811
    path = tmp_path / "panel.csv"
    path.write_text("respondent,group,heard\nk1,workers,yes\nk2,workers,no\nk1,workers,dk\n", encoding="utf-8")
    result = runner.invoke(args=["import", "2017", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    # The reader names both rows (analysis/respondents.py) before anything reaches the database.
    assert "row 4, column 'respondent': respondent 'k1' already answered this wave in row 2" in result.output
    assert stored_counts(app)[0] == 0


def test_contacts_with_hostile_fields():
    questionnaire = questionnaires.load(TWO_PAGES)
    huge = "name,email,group\n" + "x" * 140_000 + ",a@example.org,workers\n"
    with pytest.raises(ContactsError, match="not a readable CSV file"):
        read_contacts(huge, "contacts.csv", questionnaire)
    long = "name,email,group\n" + "x" * 300 + ",a@example.org,workers\n"
    with pytest.raises(ContactsError, match="row 2, column 'name': 300 characters; at most 200"):
        read_contacts(long, "contacts.csv", questionnaire)
    control = "name,email,group\nSok\x1bDara,a@example.org,workers\n"
    with pytest.raises(ContactsError, match="row 2, column 'name': holds the control character U[+]001B"):
        read_contacts(control, "contacts.csv", questionnaire)


def test_answers_with_control_characters_are_refused():
    questionnaire = questionnaires.load(TWO_PAGES)
    text_item = next(item for item in questionnaire.items if item.type == "text")
    checked = check([text_item], {text_item.id: "ok\x01 not"})
    assert checked.errors[text_item.id].code == "control_character" and text_item.id not in checked.texts
    fine = check([text_item], {text_item.id: "line one\r\nline two\ttab"})
    assert not fine.errors


@pytest.mark.parametrize("population", ["²", "٣", "99999999999", "0", "-4", "1.5"])
def test_population_sizes_that_are_not_whole_numbers(console, population):  # noqa: F811
    from .conftest import csrf_token, log_in

    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    response = client.post("/admin/waves/2018/populations", data={"csrf_token": token, "population_workers": population},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Population sizes not saved" in page
    assert "is not a whole number from 1 to 999,999,999" in page


def test_wave_names_are_matched_in_full(app, database_url):
    from survey import db

    with app.app_context():
        edition = store_edition(db.session(), questionnaires.load(TWO_PAGES))
        for slug in ("nl\n", "a b", "", "x" * 51, "-x"):
            with pytest.raises(OperationError, match="wave name"):
                create_wave(db.session(), slug, edition)
        assert create_wave(db.session(), "2018.r1", edition).slug == "2018.r1"


def test_an_import_file_name_with_nul_is_stored_without_it(app, runner, waves, tmp_path):  # noqa: F811
    from sqlalchemy import select

    from survey import db
    from survey.models import Wave, WaveImport
    from survey.responses.imports import import_baseline

    path = tmp_path / "baseline.csv"
    path.write_text("group,heard\nworkers,yes\n", encoding="utf-8")
    with app.app_context():
        session = db.session()
        wave = session.scalar(select(Wave).where(Wave.slug == "2017"))
        import_baseline(session, wave, path, filename="base\x00line.csv")
        assert session.scalar(select(WaveImport.filename)) == "baseline.csv"


def test_xlsform_written_with_formula_like_labels_stays_text(tmp_path):
    from openpyxl import load_workbook

    questionnaire = loads(MINIMAL.format(title='"=1+2"', label='"@SUM(1)"'))
    write_xlsform(questionnaire, tmp_path / "form.xlsx")
    cells = [cell for sheet in load_workbook(tmp_path / "form.xlsx") for row in sheet.iter_rows() for cell in row]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value[:1] in "=@"]
    assert {cell.value for cell in risky} == {"=1+2", "@SUM(1)"}
    assert all(cell.quotePrefix and cell.data_type == "s" for cell in risky)
    assert read_xlsform(tmp_path / "form.xlsx").fingerprint == questionnaire.fingerprint


@pytest.mark.parametrize("language, message", [
    ("en", "This answer holds an invisible control character"),
    ("km", "ចម្លើយនេះមានតួអក្សរបញ្ជាដែលមើលមិនឃើញ"),
])
def test_respondent_answer_with_control_characters(client, make_wave, language, message):  # noqa: F811
    from .conftest import consent, post

    link = make_wave()[0]
    client.get(f"{link}?lang={language}")
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "no"})
    for hostile in ("vertical\x0btab", "nul\x00byte", "escape\x1b[31m"):
        response = post(client, f"{link}/2", {"action": "next", "trainings": "1", "comments": hostile})
        assert response.status_code == 422 and message in response.get_data(as_text=True), hostile


@pytest.mark.parametrize("filename", ["base\x00line.csv", "old.c\x00sv", "x" * 400 + ".csv", "\x1b[31m.csv"])
def test_console_uploads_with_hostile_file_names(console, filename):  # noqa: F811
    from .conftest import csrf_token, log_in

    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/new")
    client.post("/admin/waves/new", data={"csrf_token": token, "slug": "2016", "edition": "1", "mode": "anonymous",
                                          "baseline": "0"})
    response = client.post("/admin/waves/2016/import", data={"csrf_token": token, "file": (
        io.BytesIO(b"item,code,count\nheard,yes,30\nheard,no,10\n"), filename)}, content_type="multipart/form-data")
    assert response.status_code in (302, 422)
    contacts = client.post("/admin/waves/2018/contacts", data={"csrf_token": token, "file": (
        io.BytesIO(b"name,email,group\nSok,s@example.org,nobody\n"), filename)}, content_type="multipart/form-data")
    assert contacts.status_code < 500


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_respondent_key_repeated_with_spaces_around_is_the_same_key(tmp_path, suffix):
    from analysis import read_wave

    frame = pd.DataFrame({"respondent": ["k1", "k2", " k1 "], "group": ["workers"] * 3, "heard": ["yes", "no", "dk"]})
    path = tmp_path / f"panel{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_excel(path, index=False)
    with pytest.raises(InputError, match="row 4, column 'respondent': respondent 'k1' already answered this wave "
                                         "in row 2"):
        read_wave(path, questionnaires.load(TWO_PAGES))
