"""Issue 21.8: no secret appears in any message or log.

Canary values stand in for SECRET_KEY, PANEL_SECRET, the SMTP password (raw and percent-encoded in the SMTP URL)
and a respondent's token; the paths that print or log are run (the mail commands against failing SMTP servers,
`mail status`, the development server's request log, error pages, a failing send in the worker and in the web
process's sending thread) while stdout, stderr and every log record are captured, and no canary may appear.
"""

from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request

import pytest
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select
from werkzeug.serving import make_server

import questionnaires
from survey import create_app, db
from survey.invitations.operations import Contact, create_invitations
from survey.mail import background, jobs
from survey.models import Wave
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES
from ..mail.smtp_server import Inbox, free_port, start

SECRET_KEY = "canary-secret-key-Qx7Lm2"
PANEL_SECRET = "canary-panel-secret-Zk9Wd4"
SMTP_PASSWORD = "canary#smtp/pw:Vb3"
SMTP_PASSWORD_URL = "canary%23smtp%2Fpw%3AVb3"  # as written in AWARENESS_SMTP_URL
CANARIES = (SECRET_KEY, PANEL_SECRET, SMTP_PASSWORD, SMTP_PASSWORD_URL, "smtp/pw:Vb3", "pw%3AVb3")
LINK_TOKEN = re.compile(r"/(?:s|optout)/(?!\[redacted\])[\w.-]{16,}")
CONTACTS = "name,email,group\nAnn Lee,ann@union.test,workers\nBo Chan,bo@union.test,workers\n"


def _config(database_url: str, **extra) -> dict:
    return {"TESTING": True, "SECRET_KEY": SECRET_KEY, "PANEL_SECRET": PANEL_SECRET, "DATABASE_URL": database_url,
            "BASE_URL": "http://survey.test", "MAIL_FROM": "Review <review@ministry.test>", "MAIL_RETRY_DELAY": 0,
            "MAIL_RETRIES": 1, "MAIL_PER_MINUTE": 10_000, **extra}


def _smtp_url(port: int, password: str = SMTP_PASSWORD_URL) -> str:
    return f"smtp://sender:{password}@127.0.0.1:{port}"


@pytest.fixture
def canary_app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(_config(database_url))
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        for slug, mode in (("2025", "anonymous"), ("panel", "panel")):
            create_wave(session, slug, edition, mode=mode, status="open")
        session.commit()
    yield app
    app.extensions["awareness.engine"].dispose()


@pytest.fixture
def captured(caplog, capfd):
    """Everything printed or logged while the test runs (the test SMTP server's own log aside)."""
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []

    def text() -> str:
        records = [caplog.handler.format(record) for record in caplog.records if not record.name.startswith("mail.log")]
        out, err = capfd.readouterr()
        outputs.extend([out, err])
        return "\n".join([*records, *outputs])

    text.outputs = outputs
    return text


def assert_no_canary(text: str, *also: str) -> None:
    for canary in (*CANARIES, *also):
        assert canary not in text, f"{canary!r} appears in:\n{text}"
    assert not LINK_TOKEN.search(text), LINK_TOKEN.search(text)


def _refusing_server(inbox: Inbox):
    """An SMTP server that asks for a login and refuses every password."""
    return start(inbox, auth_require_tls=False,
                 authenticator=lambda *args: AuthResult(success=False, handled=False))


def _accepting_server(inbox: Inbox):
    return start(inbox, auth_require_tls=False,
                 authenticator=lambda *args: AuthResult(success=True))


def _mail(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["mail", *args])
    assert "Traceback" not in result.output
    return result.output


def test_mail_commands_with_failing_servers_print_no_secret(canary_app, captured, tmp_path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(CONTACTS, encoding="utf-8")
    outputs = []
    refusing = Inbox()
    controller = _refusing_server(refusing)
    try:
        canary_app.config["SMTP_URL"] = _smtp_url(refusing.port)
        outputs.append(_mail(canary_app, "invite", "2025", "--contacts", str(contacts), "--deadline", "2099-03-31"))
        assert "refused the user name or password" in outputs[-1]  # the failing path was taken
        outputs.append(_mail(canary_app, "send", "2025"))
        outputs.append(_mail(canary_app, "remind", "2025", "--after", "0"))
        outputs.append(_mail(canary_app, "status", "2025"))
    finally:
        controller.stop()
    canary_app.config["SMTP_URL"] = _smtp_url(free_port())  # nobody listening
    outputs.append(_mail(canary_app, "send", "2025"))
    assert "cannot use the mail server" in outputs[-1]
    for raw in (_smtp_url(refusing.port, SMTP_PASSWORD), f"smtp://sender:{SMTP_PASSWORD}@mail.example.org:x"):
        canary_app.config["SMTP_URL"] = raw  # a raw '#' and '/', and a bad port
        outputs.append(_mail(canary_app, "send", "2025"))
        assert "AWARENESS_SMTP_URL" in outputs[-1]
    # A server that takes the login and refuses the messages: the failures are listed, with no link in them.
    accepting = Inbox()
    accepting.replies = ["550 5.7.1 message refused"] * 10
    controller = _accepting_server(accepting)
    try:
        canary_app.config["SMTP_URL"] = _smtp_url(accepting.port)
        outputs.append(_mail(canary_app, "send", "2025"))
        assert "failed: ann@union.test: 550 5.7.1 message refused" in outputs[-1]
        accepting.replies = []
        outputs.append(_mail(canary_app, "send", "2025", "--retry-failed"))
        assert len(accepting.messages) == 2
    finally:
        controller.stop()
    outputs.append(_mail(canary_app, "status", "2025"))
    # The canary would be found: the links the messages carry are there to see, and none was printed.
    sent = accepting.messages[0].get_body(("plain",)).get_content()
    assert LINK_TOKEN.search(sent)
    assert_no_canary("\n".join([captured(), *outputs]), LINK_TOKEN.search(sent)[0])


def test_a_failing_send_in_the_worker_and_the_web_process_logs_no_secret(canary_app, captured, tmp_path,
                                                                          database_url, monkeypatch):
    with canary_app.app_context():
        wave_id = db.session().scalar(select(Wave.id).where(Wave.slug == "2025"))
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(CONTACTS, encoding="utf-8")
    refusing = Inbox()
    controller = _refusing_server(refusing)
    try:
        canary_app.config["SMTP_URL"] = _smtp_url(refusing.port)
        _mail(canary_app, "invite", "2025", "--contacts", str(contacts), "--deadline", "2099-03-31")  # queued, not sent
        # The worker's job, configured from the environment as `awareness worker` is.
        for key, value in _config(database_url, SMTP_URL=_smtp_url(refusing.port)).items():
            monkeypatch.setenv(f"AWARENESS_{key}", str(value))
        assert jobs.send_wave(wave_id) == "stopped: the mail server refused the user name or password (535)"
        # The embedded sender: a thread of the web process.
        assert background.start(canary_app, wave_id)
        background.wait(wave_id, 30)
        assert "refused the user name or password" in background.last_stop[wave_id]
    finally:
        controller.stop()
    text = captured()
    assert "mail for wave" in text  # both stops were logged
    assert_no_canary(text)


def _serve(app):
    """The development server (werkzeug, as `awareness run` uses) on a free port, in a thread."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_request_logs_and_error_pages_hold_no_token_or_secret(canary_app, captured, monkeypatch):
    canary_app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: a failure becomes the 500 page
    with canary_app.app_context():
        session = db.session()
        waves = {w.slug: w for w in session.scalars(select(Wave))}
        (_, token), = create_invitations(session, waves["2025"], [Contact(group="workers")])
        (_, panel_token), = create_invitations(session, waves["panel"], [Contact(group="workers",
                                                                                identifier="person-1")])
        session.commit()
    server, base = _serve(canary_app)
    pages = []
    try:
        for path in (f"/s/{token}", f"/s/{token}?lang=km", f"/s/{token}/1", f"/s/{panel_token}",
                     f"/s/{token}x-unknown", "/optout/forged.signature", "/admin/waves/none"):
            pages.append(_get(base + path))
        assert pages[0][0] == 200 and pages[4][0] == 404
        # A page that fails: the 500 page, and the app's log of the failure with its traceback.
        from survey.respond import routes

        def broken(*args, **kwargs):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(routes, "invitation_by_token", broken)
        pages.append(_get(f"{base}/s/{token}?lang=en"))
        assert pages[-1][0] == 500
        pages.append(_get(f"{base}/s/{panel_token}/2"))
    finally:
        server.shutdown()
        server.server_close()
    text = captured()
    assert "GET /s/" in text and "Exception on /s/" in text and "RuntimeError" in text  # what was logged
    assert_no_canary(text + "\n".join(body for _status, body in pages), token, panel_token)
    assert "Exception on /s/[redacted] [GET]" in text


def test_the_smtp_settings_never_show_their_password():
    from survey.mail.smtp import parse_smtp_url

    settings = parse_smtp_url(_smtp_url(587))
    assert settings.password == SMTP_PASSWORD
    assert_no_canary(f"{settings!r} {settings}")


def test_gunicorns_error_log_cuts_tokens(caplog):
    """gunicorn logs "Error handling request /s/<token>" when a request fails outside Flask."""
    from gunicorn.config import Config

    from survey.gunicorn_logging import RedactingLogger

    logger = RedactingLogger(Config())
    logger.error_log.propagate = True  # to pytest's handler
    with caplog.at_level(logging.DEBUG, logger="gunicorn.error"):
        try:
            raise ValueError("bad request line")
        except ValueError:
            logger.exception("Error handling request %s", "/s/canary-token-0123456789abcdef")
    assert "Error handling request /s/[redacted]" in caplog.text
    assert "canary-token-0123456789abcdef" not in caplog.text
