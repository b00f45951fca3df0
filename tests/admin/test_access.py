"""Issue 10, findings 2, 4 and 6: logins behind a proxy, limits that hold under concurrency, sessions that end."""

from __future__ import annotations

import socket
import threading
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

import questionnaires
from survey import create_app, db
from survey.accounts.operations import create_user
from survey.admin import auth
from survey.invitations.operations import Contact, create_invitations
from survey.models import Invitation, LoginAttempt
from survey.monitoring import queries as monitoring
from survey.waves import queries
from survey.waves.operations import create_wave, store_edition

from ..conftest import PASSWORD, TWO_PAGES, csrf_token, password_hash, post

REDIS_URL = "redis://127.0.0.1:6379"


def _config(database_url, **extra):
    return {"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "panel-test-secret",
            "DATABASE_URL": database_url, **extra}


@pytest.fixture
def accounts(app, database_url):
    with app.app_context():
        session = db.session()
        create_user(session, "admin@example.org", password_hash(), "admin")
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        create_wave(session, "2018", edition, status="open", open_link=True)
        session.commit()
    return app


def _login(client, email, password=PASSWORD, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf_token(client, "/admin/login")
    return client.post("/admin/login", data={"email": email, "password": password, "csrf_token": token},
                       headers=headers)


# ------------------------------------------------------------------ finding 2: proxies and the login lockout

def test_behind_a_trusted_proxy_one_address_does_not_lock_out_another(accounts, database_url):
    app = create_app(_config(database_url, TRUSTED_PROXIES=1))
    client = app.test_client()
    for number in range(6):
        _login(client, f"nobody{number}@example.org", "wrong", address="203.0.113.5")
    assert _login(client, "admin@example.org", address="203.0.113.5").status_code == 429
    # The real admin, from another address, is not locked out by the attacker.
    assert _login(client, "admin@example.org", address="198.51.100.7").status_code == 302
    app.extensions["awareness.engine"].dispose()


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(accounts):
    client = accounts.test_client()
    for number in range(6):
        _login(client, f"nobody{number}@example.org", "wrong", address=f"203.0.113.{number}")
    # Choosing another X-Forwarded-For does not escape the lockout of the real address.
    assert _login(client, "admin@example.org", address="198.51.100.7").status_code == 429


def test_concurrent_guesses_reach_at_most_five_password_checks(accounts, monkeypatch):
    checks = []
    original = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda *a: checks.append(1) or original(*a))
    clients = [accounts.test_client() for _ in range(16)]
    tokens = [csrf_token(client, "/admin/login") for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def guess(client, token):
        barrier.wait()
        response = client.post("/admin/login", data={"email": "admin@example.org", "password": "wrong",
                                                     "csrf_token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Every attempt is answered; at most five reach the password (none, if all were recorded before any count).
    assert len(statuses) == len(clients) and set(statuses) <= {401, 429}
    assert len(checks) <= auth.MAX_FAILURES
    assert statuses.count(401) == len(checks)


def _failures_at(client, clock, minutes):
    for minute in minutes:
        clock.at(minute)
        assert _login(client, "admin@example.org", "wrong").status_code == 401


def test_attempts_during_a_lockout_are_refused_without_extending_it(accounts, clock):
    client = accounts.test_client()
    _failures_at(client, clock, range(5))  # the fifth failure, at 9:04, locks until 9:19
    for minute in range(5, 19):  # a researcher who keeps trying every minute
        clock.at(minute)
        refused = _login(client, "admin@example.org", "wrong")
        assert refused.status_code == 429
        assert f"Try again in {19 - minute} minute" in refused.get_data(as_text=True)
    clock.at(19 + 1 / 60)
    assert _login(client, "admin@example.org").status_code == 302
    with accounts.app_context():  # refused attempts checked no password and are not kept as failures
        rows = db.session().scalars(select(LoginAttempt.succeeded)).all()
    assert sorted(rows) == [False] * 5 + [True]


def test_the_lockout_ends_fifteen_minutes_after_the_failure_that_caused_it(accounts, clock):
    client = accounts.test_client()
    _failures_at(client, clock, [0, 10, 11, 12, 13])  # the fifth failure, at 9:13, locks until 9:28
    clock.at(27.99)
    refused = _login(client, "admin@example.org")  # even the right password waits
    assert refused.status_code == 429 and "Try again in 1 minute;" in refused.get_data(as_text=True)
    clock.at(28.01)
    assert _login(client, "admin@example.org").status_code == 302


def test_after_a_lockout_five_more_failures_lock_again(accounts, clock):
    client = accounts.test_client()
    _failures_at(client, clock, range(5))
    clock.at(10)
    assert _login(client, "admin@example.org", "wrong").status_code == 429
    _failures_at(client, clock, [20, 21, 22, 23, 24])  # the earlier failures no longer count
    clock.at(25)
    refused = _login(client, "admin@example.org")
    assert refused.status_code == 429 and "Try again in 14 minutes" in refused.get_data(as_text=True)


def test_an_address_locked_out_locks_every_account_it_tries(accounts, clock):
    client = accounts.test_client()
    for minute in range(5):
        clock.at(minute)
        assert _login(client, f"nobody{minute}@example.org", "wrong").status_code == 401
    clock.at(6)
    assert _login(client, "admin@example.org").status_code == 429
    clock.at(19.5)
    assert _login(client, "admin@example.org").status_code == 302


@pytest.mark.parametrize(("failures", "end"), [
    ([], None),
    ([0, 1, 2, 3], None),                      # four failures lock nothing
    ([0, 1, 2, 3, 4], 19),                     # the fifth locks for 15 minutes from itself
    ([0, 5, 10, 14, 14.5], 29.5),
    ([0, 5, 10, 15, 20], None),                # never five within 15 minutes
    ([0, 1, 2, 3, 4, 30, 31, 32, 33, 34], 49),  # the latest lockout
])
def test_lockout_end(failures, end):
    start = datetime(2027, 3, 1, 9, 0, 0)
    moments = [start + timedelta(minutes=minute) for minute in failures]
    expected = None if end is None else start + timedelta(minutes=end)
    assert auth.lockout_end(moments) == expected


# ------------------------------------------------------------------ finding 4: the open link's limit

def _start_open_link(client, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf_token(client, "/w/2018")
    return client.post("/w/2018", data={"group": "workers", "csrf_token": token}, headers=headers)


def _invitations(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Invitation))


def test_the_open_link_hands_out_twenty_links_per_address_per_hour(accounts, database_url):
    app = create_app(_config(database_url, TRUSTED_PROXIES=1))
    client = app.test_client()
    for _ in range(20):
        assert _start_open_link(client, "203.0.113.5").status_code == 302
    refused = _start_open_link(client, "203.0.113.5")
    assert refused.status_code == 429 and "Too many requests" in refused.get_data(as_text=True)
    assert _start_open_link(client, "198.51.100.7").status_code == 302  # another respondent
    assert _invitations(app) == 21
    km = client.get("/w/2018?lang=km")
    assert km.status_code == 200  # reading the page is not limited
    app.extensions["awareness.engine"].dispose()


def test_the_open_link_limit_is_configurable(accounts, database_url):
    app = create_app(_config(database_url, OPEN_LINK_RATE_LIMIT="2 per hour"))
    client = app.test_client()
    assert [_start_open_link(client).status_code for _ in range(3)] == [302, 302, 429]
    page = client.get("/w/2018?lang=km")
    assert page.status_code == 200
    app.extensions["awareness.engine"].dispose()


def test_open_link_starts_are_kept_apart_from_invitations(accounts, client):
    with accounts.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2018")
        create_invitations(session, wave, [Contact(group="workers", email="a@example.org")])
        session.commit()
    for _ in range(3):
        link = _start_open_link(client).location
        post(client, link, {"consent": "yes"})
    with accounts.app_context():
        session = db.session()
        rows = monitoring.wave_status(session, queries.wave_by_slug(session, "2018"), ("government", "workers"), {})
    workers = rows[1]
    assert (workers.invited, workers.started, workers.open_started, workers.open_completed) == (1, 0, 3, 0)
    assert workers.rates.rr1 == 0.0  # one invitation, not answered; the open-link starts do not dilute it


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis at 127.0.0.1:6379 (CI has it)")
def test_two_app_servers_share_the_limit_through_redis(accounts, database_url):
    import redis

    prefix = f"awareness-test-{uuid.uuid4().hex}"
    config = _config(database_url, RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix,
                     OPEN_LINK_RATE_LIMIT="3 per hour")
    servers = [create_app(config), create_app(config)]
    try:
        clients = [server.test_client() for server in servers]
        statuses = [_start_open_link(clients[n % 2]).status_code for n in range(4)]
        assert statuses == [302, 302, 302, 429]
    finally:
        connection = redis.Redis.from_url(REDIS_URL)
        keys = list(connection.scan_iter(f"*{prefix}*"))
        assert keys, "the counts were not kept in Redis"
        connection.delete(*keys)
        for server in servers:
            server.extensions["awareness.engine"].dispose()


# ------------------------------------------------------------------ finding 6: sessions end on the server

def _copied_cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief


def test_logout_ends_the_session_for_a_copied_cookie(accounts):
    client = accounts.test_client()
    assert _login(client, "admin@example.org").status_code == 302
    copied = _copied_cookie(client)
    assert _with_cookie(accounts, copied).get("/admin/waves/2018/export/csv").status_code == 200
    post(client, "/admin/logout", {}, token_from="/admin/")
    response = _with_cookie(accounts, copied).get("/admin/waves/2018/export/csv")
    assert response.status_code == 302 and response.location.startswith("/admin/login")


def test_a_password_change_ends_every_session(accounts, runner):
    client = accounts.test_client()
    _login(client, "admin@example.org")
    copied = _copied_cookie(client)
    result = runner.invoke(args=["set-password", "admin@example.org", "--password-stdin"],
                           input="a new long password\n")
    assert result.exit_code == 0 and "1 login(s) ended" in result.output
    assert _with_cookie(accounts, copied).get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert _login(accounts.test_client(), "admin@example.org", "a new long password").status_code == 302


def test_set_password_refuses_an_unknown_account(accounts, runner):
    result = runner.invoke(args=["set-password", "nobody@example.org", "--password-stdin"],
                           input="a new long password\n")
    assert result.exit_code == 1 and "no account for nobody@example.org" in result.output


def test_a_rate_limit_store_that_is_down_does_not_stop_respondents(accounts, database_url):
    app = create_app(_config(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9",
                             OPEN_LINK_RATE_LIMIT="2 per hour"))
    client = app.test_client()
    assert [_start_open_link(client).status_code for _ in range(3)] == [302, 302, 429]  # counted in memory
    app.extensions["awareness.engine"].dispose()
