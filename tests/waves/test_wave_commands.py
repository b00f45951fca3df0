"""`awareness wave` and the round's other commands: what they do, and a clear message for every mistake."""

import pytest

from questionnaires.library import BUNDLED_INSTRUMENT

from ..conftest import TWO_PAGES


@pytest.fixture
def ready(app, runner, database_url):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["wave", "create", "2017", "--questionnaire", str(TWO_PAGES)]).exit_code == 0
    return runner


def test_create_list_show_open_close(ready):
    runner = ready
    result = runner.invoke(args=["wave", "create", "2018", "--edition", "1", "--baseline", "2017", "--mode", "panel"])
    assert result.exit_code == 0 and "created wave 2018 (draft, panel) of two-pages 1, baseline 2017" in result.output
    listed = runner.invoke(args=["wave", "list"]).output.splitlines()
    assert listed[0].split() == ["wave", "status", "mode", "edition", "baseline", "responses"]
    assert listed[2].split() == ["2018", "draft", "panel", "1:", "two-pages", "1", "2017", "0"]
    assert runner.invoke(args=["wave", "open", "2018"]).output == "wave 2018 is open\n"
    shown = runner.invoke(args=["wave", "show", "2018"]).output
    assert shown.startswith("wave 2018: open, panel, two-pages 1 (edition 1), baseline 2017")
    assert "imports: none" in shown
    assert runner.invoke(args=["wave", "close", "2018"]).output == "wave 2018 is closed\n"


@pytest.mark.parametrize("arguments, message", [
    (["wave", "create", "2017", "--edition", "1"], "a wave named '2017' already exists"),
    (["wave", "create", "2019", "--edition", "7"], "no edition 7 (editions: 1 (two-pages 1))"),
    (["wave", "create", "2019", "--edition", "1", "--baseline", "2016"], "no wave named '2016' (waves: 2017)"),
    (["wave", "create", "20 19", "--edition", "1"], "'20 19' is not a wave name"),
    (["wave", "create", "2019"], "give either --questionnaire FILE or --edition ID"),
    (["wave", "create", "2019", "--questionnaire", "missing.yaml"], "missing.yaml: no such file"),
    (["wave", "show", "2016"], "no wave named '2016' (waves: 2017)"),
    (["wave", "open", "2016"], "no wave named '2016'"),
    (["wave", "populations", "2017", "missing.csv"], "missing.csv: no such file"),
    (["import", "2016", "x.csv"], "no wave named '2016'"),
    (["import", "2017", "missing.csv"], "missing.csv: no such file"),
    (["import", "--undo", "2017"], "wave 2017 has no import to undo"),
])
def test_mistakes_get_a_message_and_change_nothing(ready, arguments, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = ready.invoke(args=arguments)
    assert result.exit_code in (1, 2) and message in result.output
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    assert ready.invoke(args=["wave", "list"]).output.count("\n") == 2  # still the header and wave 2017


BAD_FILES = {
    "binary.csv": bytes(range(256)) * 8,
    "latin1.csv": "group,heard\nworkers,d\xe9j\xe0\n".encode("latin-1"),
    "truncated.xlsx": b"PK\x03\x04" + bytes(200),
    "empty.csv": b"",
    "binary.yaml": b"\x00\x01\xff" * 50,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", [["import", "2017"], ["wave", "populations", "2017"],
                                     ["wave", "create", "2019", "--questionnaire"], ["invite", "2017", "--contacts"]])
def test_bad_files_get_a_message(ready, tmp_path, name, command):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    result = ready.invoke(args=[*command, str(path)])
    assert result.exit_code == 1, result.output
    assert str(path) in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _populations(ready, tmp_path, text: str):
    """`wave populations 2017` of a CSV holding `text`: the file and the command's result."""
    path = tmp_path / "populations.csv"
    path.write_text(text, encoding="utf-8")
    return path, ready.invoke(args=["wave", "populations", "2017", str(path)])


def test_populations(ready, tmp_path):
    path, result = _populations(ready, tmp_path, "group,size\nworkers,120\ngovernment,x\nministry,3\nworkers,4\n")
    assert result.exit_code == 1 and "nothing changed" in result.output
    assert f"{path}: row 3, column 'size': 'x' is not a whole number from 1 to 999,999,999" in result.output
    assert f"{path}: row 4, column 'group': group 'ministry' is not one of government, workers" in result.output
    assert f"{path}: row 5, column 'group': group 'workers' is given twice (also in row 2)" in result.output
    _path, result = _populations(ready, tmp_path, "group,size\nworkers,120\ngovernment,30\n")
    assert result.exit_code == 0 and "workers 120, government 30" in result.output
    shown = ready.invoke(args=["wave", "show", "2017"]).output
    assert any(line.split()[:2] == ["workers", "120"] for line in shown.splitlines())


def test_invite_refuses_a_closed_wave(ready):
    assert ready.invoke(args=["wave", "close", "2017"]).exit_code == 0
    result = ready.invoke(args=["invite", "2017", "--group", "workers", "--count", "2"])
    assert result.exit_code == 1 and "wave 2017 is closed" in result.output and "awareness wave open 2017" in result.output


def test_invite_warns_about_the_default_base_url(app, ready):
    result = ready.invoke(args=["invite", "2017", "--group", "workers", "--count", "1"])
    assert result.exit_code == 0 and "warning" not in result.output  # the tests' BASE_URL is survey.test
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    result = ready.invoke(args=["invite", "2017", "--group", "workers", "--count", "1"])
    assert result.exit_code == 0 and "warning: the links point at http://127.0.0.1:5000" in result.output
    assert "AWARENESS_BASE_URL" in result.output


def test_commands_before_db_upgrade_say_what_to_do(tmp_path, monkeypatch):
    from survey import create_app

    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite'}"})
    runner = app.test_cli_runner()
    for arguments in (["wave", "list"], ["wave", "show", "2018"], ["import", "2018", str(TWO_PAGES)],
                      ["invite", "2018", "--group", "workers", "--count", "1"], ["export", "2018"],
                      ["wave", "create", "2018", "--questionnaire", str(BUNDLED_INSTRUMENT)]):
        result = runner.invoke(args=arguments)
        assert result.exit_code == 1 and "run `awareness db upgrade` first" in result.output, arguments
    app.extensions["awareness.engine"].dispose()


def test_wave_from_an_xlsform_with_another_group_question(ready, tmp_path):
    from openpyxl import load_workbook

    import questionnaires
    from questionnaires.xlsform import write_xlsform

    path = tmp_path / "form.xlsx"
    write_xlsform(questionnaires.load(BUNDLED_INSTRUMENT), path)
    workbook = load_workbook(path)
    workbook["survey"].cell(2, 1).value, workbook["survey"].cell(2, 2).value = "select_one org_type", "org_type"
    for row in workbook["choices"].iter_rows(min_row=2):
        row[0].value = "org_type" if row[0].value == "stakeholder_group" else row[0].value
    workbook.save(path)
    result = ready.invoke(args=["wave", "create", "2019", "--questionnaire", str(path), "--group-question", "org_type"])
    assert result.exit_code == 0, result.output
    assert "government" in ready.invoke(args=["wave", "show", "2019"]).output


def test_links_are_not_made_when_they_cannot_be_written(app, ready, tmp_path):
    from sqlalchemy import func, select

    from survey import db
    from survey.models import Invitation

    for output in (tmp_path / "missing" / "links.csv", tmp_path):
        result = ready.invoke(args=["invite", "2017", "--group", "workers", "--count", "3", "-o", str(output)])
        assert result.exit_code == 1 and str(output) in result.output
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Invitation)) == 0  # no link made and lost


@pytest.mark.parametrize("arguments, message", [
    (["questionnaire", "show", "{tmp}"], "is a folder, not a file"),
    (["questionnaire", "validate", "{tmp}"], "a folder, not a questionnaire file"),
    (["questionnaire", "show", str(BUNDLED_INSTRUMENT), "--lang", "fr"], "no text in 'fr'; its languages are en, km"),
    (["questionnaire", "export", str(BUNDLED_INSTRUMENT), "-o", "{tmp}/no/form.xlsx"], "does not exist"),
    (["questionnaire", "import", "{tmp}/form.xlsx", "-o", "{tmp}/no/q.yaml"], "does not exist"),
])
def test_questionnaire_commands_on_mistakes(runner, tmp_path, arguments, message):
    result = runner.invoke(args=[argument.replace("{tmp}", str(tmp_path)) for argument in arguments])
    assert result.exit_code == 1 and message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_review_mistakes_get_a_message(ready, tmp_path):
    """Found reading the change again: a superscript size, a crosswalk not in UTF-8, a binary format to stdout."""
    _path, result = _populations(ready, tmp_path, "group,size\nworkers,²\n")
    assert result.exit_code == 1 and "'²' is not a whole number from 1 to 999,999,999" in result.output
    assert ready.invoke(args=["wave", "create", "2018", "--edition", "1", "--baseline", "2017"]).exit_code == 0
    crosswalk = tmp_path / "crosswalk.yaml"
    crosswalk.write_bytes(b"\xff\xfeheard: heard\n")
    result = ready.invoke(args=["crosswalk", "2018", "--file", str(crosswalk)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output and "nothing saved" in result.output
    result = ready.invoke(args=["export", "2018", "--format", "dta"])
    assert result.exit_code == 2 and "is binary: give --output FILE" in result.output
    result = ready.invoke(args=["export", "2018", "--output", str(tmp_path / "no" / "such" / "x.csv")])
    assert result.exit_code == 1 and "does not exist" in result.output
