"""Issue 10, finding 1 and 5: what an anonymous wave keeps, and the mode fixed once anyone consented."""

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from werkzeug.security import generate_password_hash

from survey import db
from survey.accounts.operations import create_user
from survey.db import OperationError
from survey.invitations.operations import Contact
from survey.models import Draft, Response
from survey.monitoring import queries as monitoring
from survey.responses.queries import wave_frame
from survey.waves import queries
from survey.waves.operations import set_status, set_wave_mode

from ..conftest import answer_all, consent, csrf_token, post, stored

MARKER = "zebra-quokka-marker"
PASSWORD = "correct horse battery"


def _admin(app):
    """A client logged in to the console as an admin."""
    with app.app_context():
        create_user(db.session(), "admin@example.org", generate_password_hash(PASSWORD), "admin")
    client = app.test_client()
    post(client, "/admin/login", {"email": "admin@example.org", "password": PASSWORD})
    return client


def _sqlite_files(database_url: str) -> bytes:
    path = Path(database_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _fill_with_marker(client, link):
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]})
    post(client, f"{link}/2", {"action": "next", "trainings": "3", "period": "p2", "comments": MARKER})
    post(client, f"{link}/3", {"action": "next", "understand": "2"})


def test_a_submitted_draft_leaves_no_trace_in_the_sqlite_files(app, client, make_wave, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's files only")
    link = make_wave()[0]
    _fill_with_marker(client, link)
    # The draft, as JSON beside its invitation id, is in the files while the respondent is unfinished.
    draft_json = f'"comments": "{MARKER}"'.encode()
    assert draft_json in _sqlite_files(database_url)
    assert post(client, f"{link}/review", {}).status_code == 302
    files = _sqlite_files(database_url)
    assert draft_json not in files  # neither in a free page of the database nor in the WAL
    assert MARKER.encode() in files  # the response itself is stored, in `answers`


def test_sqlite_stores_responses_without_a_rowid(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("rowid is SQLite's")
    with app.app_context():
        for table in ("responses", "answers"):
            with pytest.raises(OperationalError, match="no such column"):
                db.session().execute(text(f"SELECT rowid FROM {table}"))


def test_sqlite_reads_responses_back_in_the_order_of_their_random_ids(app, client, make_wave, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's heap keeps insertion order: docs/SECURITY.md says so")
    links = make_wave(count=6)
    for link in links:
        answer_all(client, link)
        post(client, f"{link}/review", {})
    with app.app_context():
        session = db.session()
        ids = session.scalars(select(Response.id)).all()
        frame = wave_frame(session, queries.wave_by_slug(session, "2018"))
    assert ids == sorted(ids)  # the physical order is the order of the random ids
    assert len(frame) == 6


def test_closing_an_anonymous_wave_erases_unfinished_answers(app, client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]})
    post(client, f"{link}/2", {"action": "back", "comments": MARKER})
    closed = post(_admin(app), "/admin/waves/2018/close", {}, token_from="/admin/waves/2018")
    assert closed.status_code == 302
    with app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2018")
        (draft,) = session.scalars(select(Draft)).all()
        assert (draft.answers, draft.language) == ("{}", None)
        # The monitoring still counts the break-off as partial, not as a refusal.
        (row, _total) = monitoring.wave_status(session, wave, ("government",), {})
        assert row.partial == 1
    assert client.get(link).status_code == 403


def test_closing_a_panel_wave_keeps_unfinished_answers(app, client, make_wave):
    link = make_wave(mode="panel", contacts=[Contact(group="government", email="a@example.org")])[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]})
    with app.app_context():
        session = db.session()
        assert set_status(session, queries.wave_by_slug(session, "2018"), "closed") == 0
        (draft,) = session.scalars(select(Draft)).all()
        assert "gov" in draft.answers


@pytest.mark.parametrize(("mode", "lang", "expected", "absent"), [
    ("anonymous", "en", "your answers are stored without your name, e-mail address or link", "a code made from"),
    ("anonymous", "km", "ចម្លើយរបស់អ្នកត្រូវបានរក្សាទុកដោយគ្មានឈ្មោះ", "លេខកូដ"),
    ("panel", "en", "your answers are stored with a code made from your contact details", "without your name"),
    ("panel", "km", "លេខកូដមួយដែលបង្កើតចេញពីព័ត៌មានទំនាក់ទំនងរបស់អ្នក", "ដោយគ្មានឈ្មោះ"),
])
def test_the_welcome_page_promises_what_is_stored(client, make_wave, mode, lang, expected, absent):
    link = make_wave(mode=mode, contacts=[Contact(group="government", email="a@example.org")])[0]
    page = client.get(f"{link}?lang={lang}").get_data(as_text=True)
    assert expected in page and absent not in page
    assert "are not stored with your name" not in page  # the old promise, untrue while a draft is kept


def test_the_mode_is_fixed_once_anyone_has_consented(app, client, make_wave):
    links = make_wave(contacts=[Contact(group="government", email="dara@example.org")] * 2)
    with app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2018")
        set_wave_mode(session, wave, "panel")  # nobody has consented yet: allowed
        set_wave_mode(session, wave, "anonymous")
    consent(client, links[0])
    with app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2018")
        with pytest.raises(OperationError, match="already consented"):
            set_wave_mode(session, wave, "panel")
        assert queries.wave_by_slug(db.session(), "2018").mode == "anonymous"


def test_the_console_cannot_switch_a_wave_to_panel_after_a_consent(app, client, make_wave):
    link = make_wave(contacts=[Contact(group="government", email="dara@example.org")])[0]
    answer_all(client, link)  # consented under anonymity
    admin = _admin(app)
    token = csrf_token(admin, "/admin/waves/2018")
    admin.post("/admin/waves/2018/settings", data={"mode": "panel", "baseline": "0", "csrf_token": token})
    assert "respondents have already consented" in admin.get("/admin/waves/2018").get_data(as_text=True)
    assert post(client, f"{link}/review", {}).status_code == 302
    (response,) = stored(app, Response)
    assert response.panel_key is None
    with app.app_context():
        assert queries.wave_by_slug(db.session(), "2018").mode == "anonymous"
