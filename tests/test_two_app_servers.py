"""Two gunicorn app servers on one PostgreSQL and one Redis: nothing lives in a web process.

A console login made on one is valid on the other and a logout on one ends it on both; the open-link limit
counts across both; a draft saved on one resumes on the other; and e-mail sending started on one is done
exactly once by the workers, although that server is killed the moment it has answered.
"""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

import questionnaires
from benchmarks.harness import PLATFORM_APP, start_gunicorn, worker_pids
from survey import db
from survey.accounts.operations import create_user
from survey.invitations.operations import Contact, create_invitations
from survey.mail.operations import save_deadline
from survey.models import OutboxMessage
from survey.waves.operations import create_wave, store_edition

from .conftest import TWO_PAGES
from .mail.smtp_server import Inbox, start

REDIS = "redis://127.0.0.1:6379/11"  # a database number of its own
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
ADDRESSES = [f"person{n}@example.org" for n in range(4)]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser: its cookies go to both servers (cookies belong to a host, whatever the port)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect)

    def get(self, url: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict, token_from: str | None = None) -> tuple[int, str, str]:
        token = CSRF.search(self.get(token_from or url)[1]).group(1)
        body = urllib.parse.urlencode({**data, "csrf_token": token}, doseq=True).encode()
        return self._open(urllib.request.Request(url, data=body))

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS).ping()
    except RedisError:
        pytest.skip("needs Redis at 127.0.0.1:6379")


@pytest.fixture
def platform(app, database_url, tmp_path):
    """The database of both servers: an admin, an open wave with an open link, four contacts to e-mail."""
    if not database_url.startswith("postgresql"):
        pytest.skip("two app servers share PostgreSQL")
    _redis_or_skip()
    from werkzeug.security import generate_password_hash

    with app.app_context():
        session = db.session()
        create_user(session, "admin@example.org", generate_password_hash("pw-long-enough"), "admin")
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        wave = create_wave(session, "2025", edition, status="open", open_link=True)
        created = create_invitations(
            session, wave, [Contact(group="workers", email=a) for a in ADDRESSES])
        session.commit()
        save_deadline(session, wave, date(2099, 3, 31))
    app.extensions["awareness.engine"].dispose()
    return [token for _invitation, token in created]


@pytest.fixture
def servers(platform, database_url, tmp_path):
    inbox = Inbox()
    controller = start(inbox)
    run = uuid.uuid4().hex[:8]  # this run's own keys in Redis
    env = {"AWARENESS_INSTANCE_PATH": str(tmp_path / "instance"), "AWARENESS_DATABASE_URL": database_url,
           "AWARENESS_SECRET_KEY": "shared-secret", "AWARENESS_PANEL_SECRET": "panel",
           "AWARENESS_BASE_URL": "http://survey.test", "AWARENESS_RATELIMIT_STORAGE_URI": REDIS,
           "AWARENESS_RATELIMIT_KEY_PREFIX": f"two-servers-{run}", "AWARENESS_OPEN_LINK_RATE_LIMIT": "3 per hour",
           "AWARENESS_MAIL_QUEUE_URL": REDIS, "AWARENESS_MAIL_QUEUE_NAME": f"two-servers-{run}",
           "AWARENESS_SMTP_URL": f"smtp://127.0.0.1:{inbox.port}", "AWARENESS_MAIL_FROM": "Review <r@example.org>",
           "AWARENESS_MAIL_PER_MINUTE": "120", "AWARENESS_MAIL_RETRY_DELAY": "0"}
    started = [start_gunicorn(PLATFORM_APP, env, workers=1) for _ in range(2)]
    try:
        yield [base for _process, base in started], [process for process, _base in started], env, inbox, platform
    finally:
        for process, _base in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
        controller.stop()


def _log_in(browser: Browser, base: str) -> None:
    status, _body, location = browser.post(f"{base}/admin/login",
                                           {"email": "admin@example.org", "password": "pw-long-enough"})
    assert status == 302 and not location.endswith("/login"), (status, location)


def _kill(process: subprocess.Popen) -> None:
    """The web process gone at once, workers and all, as a crash or an OOM kill would leave it."""
    for pid in [*worker_pids(process.pid), process.pid]:
        os.kill(pid, signal.SIGKILL)
    process.wait(timeout=30)


def _workers(env: dict, count: int) -> list[str]:
    """`awareness worker --burst` run `count` times at once on the servers' configuration; their outputs."""
    command = [str(Path(sys.executable).parent / "awareness"), "worker", "--burst"]
    running = [subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for _ in range(count)]
    outputs = [process.communicate(timeout=120)[0] for process in running]
    assert [process.returncode for process in running] == [0] * count, outputs
    return outputs


def test_two_app_servers_share_logins_limits_drafts_and_mail(servers, app):
    (one, two), processes, env, inbox, tokens = servers
    admin = Browser()
    _log_in(admin, one)
    assert admin.get(f"{two}/admin/")[0] == 200  # logged in on one, valid on the other
    assert admin.post(f"{two}/admin/logout", {}, token_from=f"{two}/admin/")[0] == 302
    for base in (one, two):  # logged out on two: ended on both
        status, _body, location = admin.get(f"{base}/admin/")
        assert status == 302 and "/admin/login" in location

    # The open-link limit (3 an hour for this address) counts across both servers.
    visitor = Browser()
    statuses = [visitor.post(f"{base}/w/2025", {"group": "workers"})[0] for base in (one, two, one, two)]
    assert statuses == [302, 302, 302, 429]

    # A draft saved on one resumes on the other.
    respondent, link = Browser(), f"/s/{tokens[0]}"
    assert respondent.post(f"{one}{link}", {"consent": "yes"})[0] == 302
    assert respondent.post(f"{one}{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]})[2] \
        .endswith(f"{link}/2")
    status, _body, location = respondent.get(f"{two}{link}")
    assert status == 302 and location.endswith(f"{link}/2")
    page = respondent.get(f"{two}{link}/1")[1]
    assert re.search(r'value="yes"[^>]*checked', page) and re.search(r'value="gov"[^>]*checked', page)

    # Sending started on one, which is killed as soon as it has answered, and asked again on two: each
    # message is sent once, by two workers working at the same time.
    _log_in(admin, one)
    status, _body, _location = admin.post(f"{one}/admin/waves/2025/mail/send", {"what": "invite"},
                                          token_from=f"{one}/admin/waves/2025/mail")
    assert status == 302
    _kill(processes[0])
    assert inbox.messages == []  # nothing was sent by the web process
    _log_in(admin, two)
    admin.post(f"{two}/admin/waves/2025/mail/send", {"what": "resume"}, token_from=f"{two}/admin/waves/2025/mail")
    _workers(env, 2)
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == ADDRESSES
    with app.app_context():
        assert [row.status for row in db.session().scalars(select(OutboxMessage))] == ["sent"] * len(ADDRESSES)
