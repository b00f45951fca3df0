"""Issue 21.8: a console login ends on the server after an idle time and after a lifetime, set in the configuration.

The time of a login's last request is kept in the database (so that every app server sees it) and written at
most once a minute, not at every request.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from survey import create_app, db
from survey.accounts.operations import create_user
from survey.models import AdminSession

from ..conftest import PASSWORD, csrf_token, password_hash
from .conftest import START


@pytest.fixture
def console(app, database_url):
    app.config.update(CONSOLE_IDLE_TIMEOUT_MINUTES=30, CONSOLE_SESSION_LIFETIME_HOURS=12)
    with app.app_context():
        create_user(db.session(), "admin@example.org", password_hash(), "admin")
    return app


def _log_in(client):
    token = csrf_token(client, "/admin/login")
    response = client.post("/admin/login", data={"email": "admin@example.org", "password": PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302
    return response


def _sessions(app) -> list[AdminSession]:
    with app.app_context():
        return db.session().scalars(select(AdminSession)).all()


def test_an_idle_login_ends_on_the_server_with_a_message(console, clock):
    client = console.test_client()
    clock.at(0)
    _log_in(client)
    clock.at(29)
    assert client.get("/admin/").status_code == 200
    clock.at(29 + 30)  # thirty minutes after the last request
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.location
    assert _sessions(console) == []  # deleted on the server: a copy of the cookie opens nothing either
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session ended after 30 minutes without activity. Log in again." in page
    assert client.get("/admin/").status_code == 302


def test_an_active_login_ends_at_its_lifetime(console, clock):
    client = console.test_client()
    clock.at(0)
    _log_in(client)
    for minute in range(20, 12 * 60, 20):  # a request every 20 minutes: never idle for 30
        clock.at(minute)
        assert client.get("/admin/").status_code == 200, minute
    clock.at(12 * 60)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response.location
    assert "a login lasts at most 12 hours" in client.get(response.location).get_data(as_text=True)
    assert _sessions(console) == []


def test_the_limits_come_from_the_configuration(console, clock):
    console.config.update(CONSOLE_IDLE_TIMEOUT_MINUTES=2, CONSOLE_SESSION_LIFETIME_HOURS=0.5)
    client = console.test_client()
    clock.at(0)
    _log_in(client)
    clock.at(1.5)
    assert client.get("/admin/").status_code == 200
    clock.at(1.5 + 2)
    assert client.get("/admin/").status_code == 302
    _log_in(client)
    for minute in range(4, 34):  # idle never more than a minute...
        clock.at(minute)
        assert client.get("/admin/").status_code == 200, minute
    clock.at(3.5 + 30)  # ...but half an hour after this login began
    assert client.get("/admin/").status_code == 302


def test_the_last_request_is_written_at_most_once_a_minute(console, clock):
    client = console.test_client()
    clock.at(0)
    _log_in(client)
    engine = console.extensions["awareness.engine"]
    writes = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE ADMIN_SESSIONS"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for second in range(0, 60, 5):  # twelve requests within the first minute
            clock.at(second / 60)
            assert client.get("/admin/").status_code == 200
        assert writes == []
        clock.at(1.5)
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/").status_code == 200
        assert len(writes) == 1
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [row.last_seen for row in _sessions(console)] == [START + timedelta(minutes=1.5)]


def test_expiry_is_kept_in_the_database_for_every_app_server(console, database_url, clock, tmp_path):
    """A login used on one server stays alive on the other; idle on both, it ends on both."""
    other = create_app({"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "panel-test-secret",
                        "DATABASE_URL": database_url, "CONSOLE_IDLE_TIMEOUT_MINUTES": 30})
    try:
        first = console.test_client()
        clock.at(0)
        _log_in(first)
        second = other.test_client()
        second.set_cookie("session", first.get_cookie("session").value)
        for minute in (20, 40, 60):  # used only on the other server
            clock.at(minute)
            assert second.get("/admin/").status_code == 200
        clock.at(75)  # 75 minutes after the login, 15 after its last request (on the other server)
        assert first.get("/admin/").status_code == 200
        clock.at(75 + 30)
        assert first.get("/admin/").status_code == 302
        assert second.get("/admin/").status_code == 302
    finally:
        other.extensions["awareness.engine"].dispose()


def test_logging_in_deletes_the_expired_logins_of_others(console, clock):
    clock.at(0)
    _log_in(console.test_client())  # left without logging out
    clock.at(31)
    _log_in(console.test_client())
    assert [row.created_at for row in _sessions(console)] == [START + timedelta(minutes=31)]
