"""Every command on hostile and broken inputs: a clear message, a failing exit status, never a traceback."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from questionnaires.library import BUNDLED_INSTRUMENT
from survey.cli import cli
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES


@pytest.fixture
def files(tmp_path):
    (tmp_path / "binary.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin1.csv").write_bytes("group,heard\nworkers,oui é\n".encode("latin-1"))
    (tmp_path / "binary.csv").write_bytes(b"\x00\x01\x02\xff\xfe")
    (tmp_path / "contacts.csv").write_bytes(b"name,email,group\nSok\x1b,a@example.org,workers\n")
    book = tmp_path / "book.xlsx"
    pd.DataFrame({"group": ["workers"], "heard": ["yes"]}).to_excel(book, index=False)
    (tmp_path / "truncated.xlsx").write_bytes(book.read_bytes()[:900])
    (tmp_path / "not-yaml.yaml").write_text("just: [some, text\n", encoding="utf-8")
    return tmp_path


def _run(runner, args):
    result = runner.invoke(cli, args, catch_exceptions=True, input="a long enough password\n")
    shown = result.output + (result.stderr if result.stderr_bytes else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in shown, (args, shown)
    return result.exit_code, shown


def test_a_missing_database_says_to_upgrade(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()
    for args in (["export", "2018", "--format", "dta", "-o", str(tmp_path / "x.dta")], ["crosswalk", "2018"],
                 ["invite", "2018", "--group", "workers", "--count", "1"],
                 ["import", "2018", str(TWO_PAGES)], ["compare", "--baseline-wave", "a", "--current-wave", "b"],
                 ["create-admin", "a@example.org", "--password-stdin"]):
        code, shown = _run(runner, args)
        assert code == 1 and "run `awareness db upgrade`" in shown, (args, shown)


def test_every_command_on_broken_inputs(files, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(files / "instance"))
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    cases = [
        (["questionnaire", "validate", str(files / "missing.yaml")], "no such file"),
        (["questionnaire", "validate", str(files / "binary.yaml")], "not UTF-8"),
        (["questionnaire", "validate", str(files / "not-yaml.yaml")], "not valid YAML"),
        (["questionnaire", "validate", str(files / "truncated.xlsx")], "not an XLSForm workbook"),
        (["questionnaire", "show", str(files / "binary.yaml")], "not UTF-8"),
        (["questionnaire", "import", str(files / "truncated.xlsx"), "-o", str(files / "q.yaml")], "not an XLSForm"),
        (["questionnaire", "export", str(files / "missing.yaml"), "-o", str(files / "f.xlsx")], "no such file"),
        (["compare", "--questionnaire", str(TWO_PAGES), "--baseline", str(files / "latin1.csv"),
          "--current", str(files / "binary.csv")], "not UTF-8"),
        (["compare", "--questionnaire", str(TWO_PAGES), "--baseline", str(files / "truncated.xlsx"),
          "--current", str(files / "missing.csv")], "truncated.xlsx"),
        (["compare", "--questionnaire", str(files / "binary.yaml"), "--baseline", "a.csv", "--current", "b.csv"],
         "not UTF-8"),
        (["export", "nowave", "--format", "csv"], "no wave named 'nowave'"),
        (["import", "nowave", str(files / "latin1.csv")], "no wave named 'nowave'"),
        (["invite", "nowave", "--group", "workers", "--count", "2"], "no wave named 'nowave'"),
        (["crosswalk", "nowave"], "no wave named 'nowave'"),
        (["compare", "--baseline-wave", "x", "--current-wave", "y"], "no wave named 'x'"),
        (["create-admin", "not-an-address", "--password-stdin"], "not an e-mail address"),
        (["questionnaire", "import", str(TWO_PAGES), "-o", str(files / "no" / "such" / "q.yaml")],
         "does not exist"),
        (["questionnaire", "export", str(TWO_PAGES), "-o", str(files)], str(files)),
        (["compare", "--questionnaire", str(TWO_PAGES), "--baseline", str(TWO_PAGES), "--current",
          str(TWO_PAGES)], "two-pages.yaml"),
    ]
    for args, message in cases:
        code, shown = _run(runner, args)
        assert code == 1 and message in shown, (args, code, shown)


def _instance(files, monkeypatch, responses: int = 0):
    """An instance folder with waves 2017 (closed) and 2018 (open) of the bundled instrument, 2018 holding
    `responses` responses; the app, to look into its database."""
    from survey import create_app, db
    from survey.cli.common import load_or_exit
    from survey.responses import operations

    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(files / "instance"))
    assert CliRunner().invoke(cli, ["db", "upgrade"]).exit_code == 0
    app = create_app()
    with app.app_context():
        edition = store_edition(db.session(), load_or_exit(BUNDLED_INSTRUMENT))
        create_wave(db.session(), "2017", edition, status="closed")
        wave = create_wave(db.session(), "2018", edition, status="open")  # invite refuses a closed wave
        operations.store_responses(db.session(), wave, [{"group": "workers", "heard_policy": "yes"}] * responses)
        db.session().commit()
    return app


def test_commands_on_a_wave_with_broken_files(files, monkeypatch):
    _instance(files, monkeypatch).extensions["awareness.engine"].dispose()
    runner = CliRunner()
    for args, message in [
        (["import", "2017", str(files / "latin1.csv")], "not UTF-8"),
        (["import", "2017", str(files / "binary.csv")], "binary.csv"),
        (["import", "2017", str(files / "truncated.xlsx")], "truncated.xlsx"),
        (["invite", "2018", "--contacts", str(files / "contacts.csv")], "control character U+001B"),
        (["invite", "2018", "--contacts", str(files / "latin1.csv")], "not UTF-8"),
    ]:
        code, shown = _run(runner, args)
        assert code == 1 and message in shown, (args, code, shown)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
def test_outputs_that_cannot_be_written_are_messages_and_keep_nothing(files, monkeypatch):
    """A full disk (/dev/full) is a message, never a traceback; invite then keeps no invitation (its links
    would be lost); an output that is a symbolic link or a device is written into, never replaced."""
    from sqlalchemy import func, select

    from survey import db
    from survey.models import Invitation

    (files / "answers.csv").write_text("group,heard\nworkers,yes\nworkers,no\ngovernment,yes\n")
    app, runner = _instance(files, monkeypatch, responses=3), CliRunner()
    for args in (["export", "2018", "--format", "csv", "-o", "/dev/full"],
                 ["export", "2018", "--format", "dta", "-o", "/dev/full"],
                 ["export", "2018", "--format", "codebook", "-o", "/dev/full"],
                 ["compare", "--questionnaire", str(TWO_PAGES), "--baseline", str(files / "answers.csv"),
                  "--current", str(files / "answers.csv"), "-o", "/dev/full"],
                 ["invite", "2018", "--group", "workers", "--count", "3", "-o", "/dev/full"]):
        code, shown = _run(runner, args)
        assert code == 1 and "/dev/full: cannot be written (No space left on device)" in shown, (args, shown)
    assert "no invitation created" in shown
    code, shown = _run(runner, ["compare", "--baseline-wave", "2018", "--current-wave", "2018"])
    assert code == 2 and "both name wave 2018" in shown
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Invitation)) == 0
    target, link = files / "target.csv", files / "link.csv"
    target.write_text("old")
    link.symlink_to(target)
    code, shown = _run(runner, ["export", "2018", "--format", "csv", "-o", str(link)])
    assert code == 0 and link.is_symlink() and target.read_text().count("\n") == 4, shown
    app.extensions["awareness.engine"].dispose()


def test_report_refuses_a_missing_folder_before_any_work(files):
    code, shown = _run(CliRunner(), ["report", "--questionnaire", str(TWO_PAGES), "--baseline", "a.csv",
                                     "--current", "b.csv", "-o", str(files / "no" / "such" / "report.html")])
    assert code == 1 and "does not exist" in shown and not (files / "no").exists(), shown
