"""Handing messages to the server: throttling, retries with back-off, TLS and logins, broken connections."""

import re
from datetime import date
from email.message import EmailMessage

import pytest

from survey import db
from survey.invitations.operations import Contact
from survey.mail import operations
from survey.models import OutboxMessage
from survey.waves import queries

from .conftest import contacts_file, rows, run
from .smtp_server import Inbox, free_port, start


def test_sending_is_throttled(mail_app, smtp_server, tmp_path):
    from survey.mail.send import send_queued

    mail_app.config["MAIL_PER_MINUTE"] = 30
    moments, clock = [], [0.0]

    def sleep(seconds):
        clock[0] += seconds

    smtp_server.on_message = lambda count: moments.append(clock[0])
    with mail_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2025")
        operations.save_deadline(session, wave, date(2099, 3, 31))
        people = [(Contact(group="workers", email=f"p{n}@x.test"), "en") for n in range(4)]
        operations.queue_new_contacts(session, wave, people)
        report = send_queued(session, wave, sleep=sleep, clock=lambda: clock[0])
    assert report.sent == 4 and moments == [0.0, 2.0, 4.0, 6.0]  # 30 a minute: one every 2 seconds


@pytest.mark.parametrize(("url", "problem"), [
    (None, "set AWARENESS_SMTP_URL"), ("http://x", "scheme 'http' is not smtp or smtps"),
    ("smtp://host:99999", "the port is not a number"), ("smtp://", "no host name")])
def test_wrong_smtp_urls_are_named(url, problem):
    from survey.mail.smtp import MailConfigError, parse_smtp_url

    with pytest.raises(MailConfigError, match=re.escape(problem)):
        parse_smtp_url(url)


def test_smtp_urls():
    from survey.mail.smtp import parse_smtp_url

    plain = parse_smtp_url("smtp://user%40x.org:p%3Ass@mail.x.org")
    assert (plain.secure, plain.host, plain.port, plain.username, plain.password) == \
        (False, "mail.x.org", 587, "user@x.org", "p:ss")
    assert parse_smtp_url("smtps://mail.x.org").port == 465




@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_or_smtps_with_a_login(mail_app, server_tls, tmp_path, scheme):
    from aiosmtpd.smtp import AuthResult

    logins = []

    def authenticator(server, session, envelope, mechanism, data):
        logins.append((data.login, data.password, session.ssl is not None))
        return AuthResult(success=(data.login, data.password) == (b"review@ministry.test", b"p@ss:word"),
                          handled=False)  # handled=False: the server answers 535 itself

    inbox = Inbox()
    tls = {"tls_context": server_tls, "require_starttls": True} if scheme == "smtp" else {"ssl_context": server_tls}
    controller = start(inbox, authenticator=authenticator, auth_require_tls=scheme == "smtp", **tls)
    try:
        mail_app.config["SMTP_URL"] = f"{scheme}://review%40ministry.test:wrong@127.0.0.1:{inbox.port}"
        result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
        assert result.exit_code == 1 and "refused the user name or password" in result.output
        assert {r.status for r in rows(mail_app, OutboxMessage)} == {"queued"} and inbox.messages == []
        mail_app.config["SMTP_URL"] = f"{scheme}://review%40ministry.test:p%40ss%3Aword@127.0.0.1:{inbox.port}"
        result = run(mail_app, "send", "2025")
        assert result.exit_code == 0 and "3 messages sent" in result.output
    finally:
        controller.stop()
    assert len(inbox.messages) == 3 and logins[-1][:2] == (b"review@ministry.test", b"p@ss:word")
    # STARTTLS came before the login; an SMTPS server speaks nothing but TLS from the first byte.
    assert all(encrypted for _login, _password, encrypted in logins) or scheme == "smtps"


def test_an_unreachable_server_stops_the_run_and_keeps_the_queue(mail_app, tmp_path):
    mail_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert result.exit_code == 1 and "cannot use the mail server at 127.0.0.1" in result.output
    assert "stay queued" in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert {r.status for r in rows(mail_app, OutboxMessage)} == {"queued"}




class StubConnection:
    """Stands for smtplib.SMTP: each send raises the next of `outcomes` (None: accepted)."""

    def __init__(self, *outcomes):
        self.outcomes, self.accepted = list(outcomes), 0

    def noop(self):
        return 250, b"OK"

    def send_message(self, message, from_addr=None):
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome
        self.accepted += 1

    def rset(self):
        pass

    def quit(self):
        pass

    close = quit


def stub_mailer(connection, delays):
    from survey.mail.smtp import Mailer, parse_smtp_url

    mailer = Mailer(parse_smtp_url("smtp://127.0.0.1:1"), retries=3, retry_delay=5, sleep=delays.append)
    mailer.connection = connection
    mailer._connect = lambda: connection  # connecting again finds the same stand-in
    return mailer


def test_retries_back_off_by_doubling():
    import smtplib

    delays = []
    busy = smtplib.SMTPDataError(451, b"4.3.0 busy")
    assert stub_mailer(StubConnection(busy, busy, None), delays).send(EmailMessage()) == 3
    assert delays == [5, 10]


def test_a_connection_broken_during_the_hand_over_is_never_retried(mail_app, smtp_server):
    import smtplib

    from survey.mail.send import send_queued

    delays, connection = [], StubConnection(smtplib.SMTPServerDisconnected("gone"), None)
    with mail_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2025")
        operations.save_deadline(session, wave, date(2099, 3, 31))
        people = [(Contact(group="workers", email=f"p{n}@x.test"), "en") for n in range(2)]
        operations.queue_new_contacts(session, wave, people)
        report = send_queued(session, wave, mailer=stub_mailer(connection, delays), sleep=lambda _s: None)
    assert report.sent == 1 and len(report.unconfirmed) == 1 and "connection broke" in report.unconfirmed[0]
    assert connection.accepted == 1 and delays == []  # the second message went; the first was not tried again
    assert sorted(r.status for r in rows(mail_app, OutboxMessage)) == ["sent", "unconfirmed"]
    assert "0 messages sent" in run(mail_app, "send", "2025").output and smtp_server.messages == []
