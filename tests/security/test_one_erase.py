"""Issue 21, item 2: closing an anonymous wave, from the command line or the console, erases the unfinished
answers and checkpoints SQLite, so no copy stays in the database, its WAL or its SHM file."""

from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

import questionnaires
from survey import db
from survey.accounts.operations import create_user
from survey.invitations.operations import Contact, create_invitations
from survey.waves import queries
from survey.waves.operations import create_wave, set_status, store_edition
from tests.conftest import TWO_PAGES, post

CANARY = "canary-okapi-7f3a"


@pytest.fixture
def sqlite_app(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own files")
    return app


def _open_wave(app) -> str:
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        wave = create_wave(session, "2018", edition, status="open")
        ((_invitation, token),) = create_invitations(session, wave, [Contact(group="government")])
        session.commit()
    return f"/s/{token}"


def _leave_a_draft(app) -> None:
    """A respondent who writes the canary on page 2 and never submits."""
    client = app.test_client()
    link = _open_wave(app)
    assert post(client, link, {"consent": "yes"}).status_code == 302
    post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]})
    post(client, f"{link}/2", {"action": "next", "trainings": "3", "period": "p2", "comments": CANARY})


def _raw_files(database_url: str) -> bytes:
    path = Path(database_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def test_closing_from_the_command_line_leaves_no_draft_in_the_files(sqlite_app, database_url):
    _leave_a_draft(sqlite_app)
    assert CANARY.encode() in _raw_files(database_url)  # the canary is there to be found
    result = sqlite_app.test_cli_runner().invoke(args=["wave", "close", "2018"])
    assert result.exit_code == 0, result.output
    assert "answers of 1 unfinished respondent were erased" in result.output
    assert CANARY.encode() not in _raw_files(database_url)


def test_closing_from_the_console_leaves_no_draft_in_the_files(sqlite_app, database_url):
    _leave_a_draft(sqlite_app)
    with sqlite_app.app_context():
        create_user(db.session(), "admin@example.org", generate_password_hash("pass phrase 1"), "admin")
    console = sqlite_app.test_client()
    post(console, "/admin/login", {"email": "admin@example.org", "password": "pass phrase 1"})
    assert post(console, "/admin/waves/2018/close", {}, token_from="/admin/waves/2018").status_code == 302
    assert CANARY.encode() not in _raw_files(database_url)


def test_one_operation_erases_and_checkpoints(sqlite_app, database_url):
    """What both callers use: `set_status` itself leaves the files clean, with no step after it."""
    _leave_a_draft(sqlite_app)
    with sqlite_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2018")
        assert set_status(session, wave, "closed") == 1
        assert CANARY.encode() not in _raw_files(database_url)
