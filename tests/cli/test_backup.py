"""`awareness backup` / `awareness restore`: a copy made while respondents submit holds every response."""

import threading

import pytest
from sqlalchemy import func, select

import questionnaires
from survey import create_app, db
from survey.invitations.operations import Contact, create_invitations
from survey.models import Answer, Completion, Invitation, Response
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES

ANSWERS = {"heard": "yes", "areas": "gov", "trainings": "3", "period": "p2", "understand": "2"}


def _invitations(app, count):
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2018", store_edition(session, questionnaires.load(TWO_PAGES)),
                                      status="open")
        ids = [i.id for i, _t in create_invitations(
            session, wave, [Contact(group="workers") for _ in range(count)])]
        session.commit()
    return ids


def _respond(app, invitation_ids, receipts, stop):
    """Complete invitations one after the other, as respondents do, until told to stop."""
    with app.app_context():
        for invitation_id in invitation_ids:
            if stop.is_set():
                break
            session = db.session()
            invitation = session.get(Invitation, invitation_id)
            operations.record_consent(session, invitation, "en")
            receipts.append(operations.submit_response(session, invitation, ANSWERS, "en", "secret"))
            session.close()
            db.close_session()


def _contents(app):
    with app.app_context():
        session = db.session()
        receipts = set(session.scalars(select(Response.receipt)))
        answers = session.scalar(select(func.count()).select_from(Answer))
        completions = session.scalar(select(func.count()).select_from(Completion))
        completed = session.scalar(select(func.count()).where(Invitation.completed.is_(True)))
    return receipts, answers, completions, completed


def test_backup_under_load_then_restore_finds_every_response(app, runner, database_url, tmp_path, monkeypatch):
    if not database_url.startswith("sqlite"):
        import shutil

        if shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
    ids = _invitations(app, 400)
    receipts, stop = [], threading.Event()
    writer = threading.Thread(target=_respond, args=(app, ids, receipts, stop))
    writer.start()
    while len(receipts) < 20:
        threading.Event().wait(0.01)
    acknowledged_before = set(receipts)
    result = runner.invoke(args=["backup", str(tmp_path / "copy.bak")])
    acknowledged_after = set(receipts)
    stop.set()
    writer.join()
    assert result.exit_code == 0, result.output
    assert "backed up to" in result.output

    result = runner.invoke(args=["restore", "--yes", str(tmp_path / "copy.bak")])
    assert result.exit_code == 0, result.output
    restored, answers, completions, completed = _contents(app)
    assert acknowledged_before <= restored <= acknowledged_after | set(receipts)
    # One consistent moment: every restored response has all its answers and its invitation's completion.
    assert answers == len(ANSWERS) * len(restored)
    assert completions == completed == len(restored)
    assert len(restored) < len(receipts)  # what came after the copy is not in it


def test_restore_refuses_what_is_not_a_backup(app, runner, database_url, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    result = runner.invoke(args=["restore", "--yes", str(junk)])
    assert result.exit_code == 1 and "is not a" in result.output and "Traceback" not in result.output
    assert runner.invoke(args=["backup", str(junk)]).exit_code == 1  # never overwrites a file


def test_restore_refuses_a_damaged_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": "t", "PANEL_SECRET": "p", "DATABASE_URL": f"sqlite:///{tmp_path}/live.sqlite"})
    db.upgrade(app)
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(damaged)])
    assert result.exit_code == 1 and "nothing restored" in result.output
    app.extensions["awareness.engine"].dispose()
