"""Fixtures of the e-mail tests: a real SMTP server on 127.0.0.1 (aiosmtpd) and an open wave to mail."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

import questionnaires
from survey import db
from survey.accounts.operations import create_user
from survey.invitations.queries import invitation_by_token
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES, csrf_token, password_hash
from .smtp_server import Inbox, start

LINK = re.compile(r"http://survey\.test(/s/[\w-]+)\?lang=(\w+)")
OPTOUT = re.compile(r"http://survey\.test(/optout/[\w.-]+)\?lang=\w+")
SENDER = "Policy review <review@ministry.test>"
CONTACTS = ("name,email,organisation,group,language\n"
            "Sokha Chan,sokha@ministry.test,Ministry of Labour,government,km\n"
            "Ann Lee,ann@union.test,Union,workers,en\n"
            ",anon@union.test,Union,workers,\n")


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 keeping what it receives; `url` for AWARENESS_SMTP_URL."""
    inbox = Inbox()
    controller = start(inbox)
    inbox.url = f"smtp://127.0.0.1:{inbox.port}"
    yield inbox
    controller.stop()


@pytest.fixture
def mail_app(app, database_url, smtp_server):
    app.config.update(SMTP_URL=smtp_server.url, MAIL_FROM=SENDER, MAIL_RETRY_DELAY=0, MAIL_PER_MINUTE=10_000)
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        create_wave(session, "2025", edition, status="open")
        session.commit()
    return app


def run(app, *args):
    return app.test_cli_runner().invoke(args=["mail", *args])


def contacts_file(tmp_path: Path, text: str = CONTACTS) -> str:
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_of(message) -> str:
    return LINK.search(text_of(message)).group(1)


def rows(app, model):
    with app.app_context():
        return db.session().scalars(select(model)).all()


def complete(app, path: str) -> None:
    """Answer as the respondent would have: consent and submit (the questionnaire's content is not at stake)."""
    with app.app_context():
        session = db.session()
        invitation = invitation_by_token(session, path.rsplit("/", 1)[1])
        operations.record_consent(session, invitation, "en")
        assert operations.submit_response(session, invitation, {"heard": "no"}, "en", "secret")




def dsn(original_id: str | None, recipient: str, action: str = "failed", status: str = "5.1.1") -> bytes:
    """A delivery-status notification as a mail server writes it (RFC 3464)."""
    headers = f"Message-ID: {original_id}\r\n" if original_id else ""
    return (
        "From: MAILER-DAEMON@mx.test\r\nTo: review@ministry.test\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.test\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\n{headers}Subject: Invitation\r\n\r\n--B--\r\n"
    ).encode()


@pytest.fixture
def server_tls(tmp_path, monkeypatch):
    """A TLS context for the test server, with a certificate for 127.0.0.1 that the platform then trusts."""
    import ssl

    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # what ssl.create_default_context() trusts
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def log_in_admin(app):
    """A test client logged in to the console as an admin."""
    with app.app_context():
        create_user(db.session(), "admin@example.org", password_hash("pw-long-enough"), "admin")
    client = app.test_client()
    client.post("/admin/login", data={"email": "admin@example.org", "password": "pw-long-enough",
                                      "csrf_token": csrf_token(client, "/admin/login")})
    return client
