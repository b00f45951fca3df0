"""Invitations and reminders by e-mail through a real SMTP server on 127.0.0.1, on SQLite and PostgreSQL."""

import io
import os
import re
import signal
import subprocess
import sys
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

import questionnaires
from survey import db, operations, queries
from survey.mail import outbox, settings
from survey.models import Invitation, MailOptOut, OutboxMessage

from .conftest import TWO_PAGES, post
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
        edition = operations.store_edition(session, questionnaires.load(TWO_PAGES))
        operations.create_wave(session, "2025", edition, status="open")
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
        invitation = queries.invitation_by_token(session, path.rsplit("/", 1)[1])
        operations.record_consent(session, invitation, "en")
        assert operations.submit_response(session, invitation, {"heard": "no"}, "en", "secret")


def test_invitations_in_both_languages_with_working_links(mail_app, smtp_server, client, tmp_path):
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    assert result.exit_code == 0, result.output
    assert "3 messages sent, 0 failed" in result.output
    assert len(smtp_server.messages) == 3
    khmer, english, unnamed = (smtp_server.to(a)[0] for a in ("sokha@", "ann@", "anon@"))
    assert english["From"] == SENDER and english["To"] == "Ann Lee <ann@union.test>"
    assert english["Subject"] == "Invitation: stakeholder survey for the policy review"
    assert english["Message-ID"].endswith("@ministry.test>") and english["Content-Language"] == "en"
    assert english["List-Unsubscribe"].strip().startswith("<http://survey.test/optout/")
    assert [part.get_content_type() for part in english.walk()] == ["multipart/alternative", "text/plain",
                                                                     "text/html"]
    assert "Dear Ann Lee," in text_of(english) and "31 March 2027" in text_of(english)
    assert "no longer works" not in text_of(english)  # a first link replaces nothing
    html = english.get_body(("html",)).get_content()
    assert f'<a href="http://survey.test{link_of(english)}?lang=en">' in html
    assert khmer["Subject"] == "ការអញ្ជើញ៖ ការស្ទង់មតិភាគីពាក់ព័ន្ធសម្រាប់ការពិនិត្យគោលនយោបាយ"
    assert "ជូនចំពោះ Sokha Chan" in text_of(khmer) and "ថ្ងៃទី៣១ ខែមីនា ឆ្នាំ២០២៧" in text_of(khmer)
    assert LINK.search(text_of(khmer)).group(2) == "km"
    assert "Dear colleague," in text_of(unnamed)  # no language given: the questionnaire's first
    for message, title in ((english, "Test survey"), (khmer, "ការស្ទង់មតិសាកល្បង")):
        page = client.get(LINK.search(text_of(message)).group(0).removeprefix("http://survey.test"))
        assert page.status_code == 200 and title in page.get_data(as_text=True)
    assert {row.status for row in rows(mail_app, OutboxMessage)} == {"sent"}


def test_reminders_reach_only_those_who_have_not_completed(mail_app, smtp_server, client, tmp_path):
    assert run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline",
               "2027-03-31").exit_code == 0
    first = {m["X-Envelope-To"]: link_of(m) for m in smtp_server.messages}
    complete(mail_app, first["ann@union.test"])
    smtp_server.messages.clear()
    assert "queued 0 reminders" in run(mail_app, "remind", "2025").output  # invited less than 7 days ago
    result = run(mail_app, "remind", "2025", "--after", "0")
    assert result.exit_code == 0, result.output
    assert "queued 2 reminders" in result.output and "no longer works" in result.output
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == ["anon@union.test", "sokha@ministry.test"]
    reminder = smtp_server.to("sokha@")[0]
    assert reminder["Subject"].startswith("ការរំលឹក")  # the language of the invitation
    assert "លែងប្រើបានហើយ" in text_of(reminder)  # says the earlier link no longer works
    assert client.get(first["sokha@ministry.test"]).status_code == 404
    assert client.get(link_of(reminder)).status_code == 200


def test_opt_out_records_a_refusal_and_stops_reminders(mail_app, smtp_server, client, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    optout = OPTOUT.search(text_of(smtp_server.to("ann@")[0])).group(1)
    assert "Send me no more messages" in client.get(optout).get_data(as_text=True)
    assert rows(mail_app, MailOptOut) == []  # opening the link changes nothing: mail filters open links
    assert post(client, optout, {}).status_code == 200
    assert [i.disposition for i in rows(mail_app, Invitation) if i.contact_email == "ann@union.test"] == ["refused"]
    assert client.get("/optout/forged.signature").status_code == 404
    smtp_server.messages.clear()
    run(mail_app, "remind", "2025", "--after", "0")
    assert "ann@union.test" not in {m["X-Envelope-To"] for m in smtp_server.messages}
    status = run(mail_app, "status", "2025").output.splitlines()
    assert status[-1].split() == ["all", "0", "3", "2", "0", "0", "0", "1"]


def test_sending_again_voids_the_old_link_and_says_so(mail_app, smtp_server, client, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    old = link_of(smtp_server.to("ann@")[0])
    result = run(mail_app, "invite", "2025", "--again", "ANN@union.test", "--again", "nobody@x.test")
    assert "queued 1 invitations sent again" in result.output and "no longer works" in result.output
    assert "nobody@x.test: no invitation of wave 2025" in result.output
    again = smtp_server.to("ann@")[1]
    assert "replaces the one in our earlier message" in text_of(again)
    assert client.get(old).status_code == 404 and client.get(link_of(again)).status_code == 200


def test_invitations_made_earlier_are_mailed_once(mail_app, smtp_server):
    with mail_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2025")
        operations.create_invitations(session, wave, [operations.Contact(group="workers", email="a@x.test"),
                                                      operations.Contact(group="workers")])
        session.commit()
    result = run(mail_app, "invite", "2025", "--deadline", "2027-03-31")
    assert "queued 1 invitations" in result.output and "1 of them carry a new personal link" in result.output
    assert "queued 0 invitations" in run(mail_app, "invite", "2025").output
    assert len(smtp_server.messages) == 1


def test_bad_contacts_change_nothing(mail_app, smtp_server, tmp_path):
    bad = ("name,email,group,language\n"
           "A,a@x.test,workers,fr\n"
           "B,,workers,en\n"
           "C,c@x.test,nobody,en\n")
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path, bad), "--deadline", "2027-01-01")
    assert result.exit_code == 1
    assert "row 2, column 'language': 'fr' is not one of en, km" in result.output
    assert "row 3, column 'email': empty" in result.output
    assert "row 4, column 'group'" in result.output
    assert rows(mail_app, Invitation) == [] and smtp_server.messages == []


def test_missing_settings_send_nothing(mail_app, smtp_server, tmp_path):
    mail_app.config.update(SMTP_URL=None, MAIL_FROM=None)
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path))
    assert result.exit_code == 1
    for problem in ("set AWARENESS_SMTP_URL", "set AWARENESS_MAIL_FROM", "has no deadline"):
        assert problem in result.output
    assert rows(mail_app, Invitation) == [] and rows(mail_app, OutboxMessage) == []


def test_wording_is_checked_before_it_is_saved(mail_app, smtp_server, tmp_path):
    body = tmp_path / "body.txt"
    body.write_text("Hello {nom}, please answer.", encoding="utf-8")
    result = run(mail_app, "wording", "2025", "invitation", "en", "--body", str(body))
    assert result.exit_code == 1
    assert "body: unknown placeholder {nom}" in result.output and "{link} is missing" in result.output
    body.write_text("សួស្តី {name}! {link}", encoding="utf-8")
    assert run(mail_app, "wording", "2025", "invitation", "km", "--subject", "សូមឆ្លើយ", "--body",
               str(body)).exit_code == 0
    assert run(mail_app, "wording", "2025", "invitation", "km").output == "Subject: សូមឆ្លើយ\n\nសួស្តី {name}! {link}\n"
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    khmer = smtp_server.to("sokha@")[0]
    assert khmer["Subject"] == "សូមឆ្លើយ" and text_of(khmer).startswith("សួស្តី Sokha Chan! http://survey.test/s/")


def test_transient_errors_are_retried_and_permanent_ones_recorded(mail_app, smtp_server, tmp_path):
    smtp_server.replies = ["451 4.3.0 try again later", "451 4.3.0 try again later"]
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path, CONTACTS.splitlines()[0] + "\n"
                                                                + CONTACTS.splitlines()[1] + "\n"),
        "--deadline", "2027-03-31")
    assert [(r.status, r.attempts) for r in rows(mail_app, OutboxMessage)] == [("sent", 3)]
    smtp_server.replies = ["550 5.1.1 no such user"]
    result = run(mail_app, "invite", "2025", "--contacts",
                 contacts_file(tmp_path, "name,email,group\nX,x@union.test,workers\n"))
    assert result.exit_code == 1 and "failed: x@union.test: 550 5.1.1 no such user" in result.output
    failed = [r for r in rows(mail_app, OutboxMessage) if r.status == "failed"]
    assert len(failed) == 1 and failed[0].attempts == 1
    mail_app.config["MAIL_RETRIES"] = 1
    smtp_server.replies = ["421 busy", "421 busy"]
    result = run(mail_app, "invite", "2025", "--contacts",
                 contacts_file(tmp_path, "name,email,group\nY,y@union.test,workers\n"))
    assert "421 busy (after 2 attempts)" in result.output


def test_a_send_killed_half_way_and_resumed_sends_exactly_one_message_each(mail_app, smtp_server, client,
                                                                           database_url, tmp_path):
    addresses = [f"person{n}@union.test" for n in range(6)]
    with mail_app.app_context():
        session = db.session()
        settings.save_deadline(session, queries.wave_by_slug(session, "2025"), date(2027, 3, 31))
    contacts = "name,email,group\n" + "".join(f"P{n},{a},workers\n" for n, a in enumerate(addresses))
    environment = {**os.environ, "AWARENESS_INSTANCE_PATH": str(tmp_path / "instance"),
                   "AWARENESS_DATABASE_URL": database_url, "AWARENESS_SMTP_URL": smtp_server.url,
                   "AWARENESS_MAIL_FROM": SENDER, "AWARENESS_SECRET_KEY": "test",
                   "AWARENESS_BASE_URL": "http://survey.test", "AWARENESS_MAIL_PER_MINUTE": "600"}
    sender = {}

    def kill_on_third(count):  # the server has the third message; the sender dies before it hears "250"
        if count == 3:
            os.kill(sender["process"].pid, signal.SIGKILL)

    smtp_server.on_message = kill_on_third
    sender["process"] = subprocess.Popen(
        [sys.executable, "-c", "from survey.cli import cli; cli()", "mail", "invite", "2025", "--contacts", contacts_file(tmp_path, contacts)],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = sender["process"].communicate(timeout=120)[0].decode()
    assert sender["process"].returncode == -signal.SIGKILL, output
    smtp_server.on_message = None
    assert sorted(r.status for r in rows(mail_app, OutboxMessage)) == ["queued"] * 3 + ["sending"] + ["sent"] * 2

    result = run(mail_app, "send", "2025")
    assert result.exit_code == 0 and "3 messages sent" in result.output
    assert "1 messages were being handed to the mail server when a run stopped" in result.output
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == addresses  # exactly one each
    for message in smtp_server.messages:  # the link of the message sent as the run died works too
        assert client.get(link_of(message)).status_code == 200
    with mail_app.app_context():
        session = db.session()
        later = operations.now() + outbox.STALE_CLAIM + timedelta(minutes=1)
        assert outbox.release_stale_claims(session, queries.wave_by_slug(session, "2025"), later) == 1
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split() == ["all", "0", "5", "0", "0", "1",
                                                                               "0", "0"]


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


def test_bounces_mark_invitations_undeliverable(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    to_ann = smtp_server.to("ann@")[0]["Message-ID"]
    mbox = tmp_path / "bounces.mbox"
    mbox.write_bytes(b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n" + dsn(to_ann, "ann@union.test").replace(b"\r\n", b"\n")
                     + b"\nFrom someone Thu Nov 26 10:00:00 2026\nSubject: out of office\n\nAway.\n"
                     + b"\nFrom MAILER-DAEMON Thu Nov 26 10:00:00 2026\n"
                     + dsn(None, "sokha@ministry.test", "delayed", "4.4.1").replace(b"\r\n", b"\n")
                     + b"\nFrom MAILER-DAEMON Thu Nov 26 10:00:00 2026\n"
                     + dsn(None, "stranger@x.test").replace(b"\r\n", b"\n"))
    result = run(mail_app, "bounces", str(mbox))
    assert result.exit_code == 0, result.output
    assert "read 4 messages: 3 delivery reports, 1 other messages skipped" in result.output
    assert "1 marked undeliverable, 0 already marked, 1 only delayed (nothing to do), 1 not matched" in result.output
    assert "message 4: stranger@x.test (5.1.1): no message sent to this address was found" in result.output
    dispositions = {i.contact_email: i.disposition for i in rows(mail_app, Invitation)}
    assert dispositions == {"ann@union.test": "undeliverable", "sokha@ministry.test": "invited",
                            "anon@union.test": "invited"}
    assert "0 marked undeliverable, 1 already marked" in run(mail_app, "bounces", str(mbox)).output
    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "1.eml").write_bytes(dsn(None, "Anon@Union.test"))  # no Message-ID: matched by address
    assert "1 marked undeliverable" in run(mail_app, "bounces", str(folder)).output
    smtp_server.messages.clear()
    run(mail_app, "remind", "2025", "--after", "0")
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["sokha@ministry.test"]
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split() == ["all", "0", "3", "1", "0", "0",
                                                                               "2", "0"]


def test_a_file_that_is_no_mailbox_changes_nothing(mail_app, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    result = run(mail_app, "bounces", str(path))
    assert result.exit_code == 1 and "neither an mbox file" in result.output and "Traceback" not in result.output
    (tmp_path / "empty").mkdir()
    assert "no .eml files in this folder" in run(mail_app, "bounces", str(tmp_path / "empty")).output


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
        settings.save_deadline(session, wave, date(2027, 3, 31))
        people = [(operations.Contact(group="workers", email=f"p{n}@x.test"), "en") for n in range(4)]
        outbox.queue_new_contacts(session, wave, people)
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


def test_console_edits_wording_and_sends_in_the_background(mail_app, smtp_server, tmp_path):
    from werkzeug.security import generate_password_hash

    from survey.mail import background

    from .conftest import csrf_token

    with mail_app.app_context():
        operations.create_user(db.session(), "admin@example.org", generate_password_hash("pw-long-enough"), "admin")
    client = mail_app.test_client()
    client.post("/admin/login", data={"email": "admin@example.org", "password": "pw-long-enough",
                                      "csrf_token": csrf_token(client, "/admin/login")})
    page = client.get("/admin/waves/2025/mail").get_data(as_text=True)
    assert "has no deadline" in page and "ការអញ្ជើញ៖" in page  # Khmer wording to edit
    bad = post(client, "/admin/waves/2025/mail/wording", {"kind": "reminder", "language": "en", "action": "save",
                                                          "subject": "Hello", "body": "No link {here}"},
               token_from="/admin/waves/2025/mail")
    assert bad.status_code == 422 and "unknown placeholder {here}" in bad.get_data(as_text=True)
    assert "No link {here}" in bad.get_data(as_text=True)  # what was typed is kept to correct it
    post(client, "/admin/waves/2025/mail/deadline", {"deadline": "2027-03-31"}, token_from="/admin/waves/2025/mail")
    sent = client.post("/admin/waves/2025/mail/send", data={
        "what": "invite", "csrf_token": csrf_token(client, "/admin/waves/2025/mail"),
        "file": (io.BytesIO(CONTACTS.encode()), "contacts.csv")}, content_type="multipart/form-data")
    assert sent.status_code == 302
    with mail_app.app_context():
        background.wait(queries.wave_by_slug(db.session(), "2025").id, timeout=30)
    assert len(smtp_server.messages) == 3
    page = client.get("/admin/waves/2025").get_data(as_text=True)
    assert "Invitations sent" in page and "Invitations and reminders by e-mail" in page


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
        result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
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
    from .smtp_server import free_port

    mail_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens there
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    assert result.exit_code == 1 and "cannot use the mail server at 127.0.0.1" in result.output
    assert "stay queued" in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert {r.status for r in rows(mail_app, OutboxMessage)} == {"queued"}


def test_console_reads_bounces_and_refuses_bad_contacts(mail_app, smtp_server, tmp_path):
    from werkzeug.security import generate_password_hash

    from .conftest import csrf_token

    with mail_app.app_context():
        operations.create_user(db.session(), "admin@example.org", generate_password_hash("pw-long-enough"), "admin")
    client = mail_app.test_client()
    client.post("/admin/login", data={"email": "admin@example.org", "password": "pw-long-enough",
                                      "csrf_token": csrf_token(client, "/admin/login")})
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2027-03-31")
    to_ann = smtp_server.to("ann@")[0]["Message-ID"]

    def upload(url, field, files):
        return client.post(url, data={"csrf_token": csrf_token(client, "/admin/waves/2025/mail"),
                                      field: [(io.BytesIO(content), name) for name, content in files]},
                           content_type="multipart/form-data")

    page = upload("/admin/waves/2025/mail/bounces", "files",
                  [("a.eml", dsn(to_ann, "ann@union.test")), ("b.eml", dsn(None, "stranger@x.test"))])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 marked undeliverable" in text
    assert "b.eml: stranger@x.test" in text and "/tmp" not in text  # the uploaded name, not a temporary path
    bad = upload("/admin/waves/2025/mail/bounces", "files", [("notes.txt", b"hello")])
    assert bad.status_code == 422 and "notes.txt: neither an mbox file" in bad.get_data(as_text=True)
    refused = upload("/admin/waves/2025/mail/send", "file", [("c.csv", b"name,email,group\nX,,workers\n")])
    assert refused.status_code == 422 and "row 2, column &#39;email&#39;: empty" in refused.get_data(as_text=True)
    assert len(rows(mail_app, Invitation)) == 3


class StubConnection:
    """Stands for smtplib.SMTP: each send raises the next of `outcomes` (None: accepted)."""

    def __init__(self, *outcomes):
        self.outcomes, self.accepted = list(outcomes), 0

    def noop(self):
        return 250, b"OK"

    def send_message(self, message):
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
        settings.save_deadline(session, wave, date(2027, 3, 31))
        people = [(operations.Contact(group="workers", email=f"p{n}@x.test"), "en") for n in range(2)]
        outbox.queue_new_contacts(session, wave, people)
        report = send_queued(session, wave, mailer=stub_mailer(connection, delays), sleep=lambda _s: None)
    assert report.sent == 1 and len(report.unconfirmed) == 1 and "connection broke" in report.unconfirmed[0]
    assert connection.accepted == 1 and delays == []  # the second message went; the first was not tried again
    assert sorted(r.status for r in rows(mail_app, OutboxMessage)) == ["sent", "unconfirmed"]
    assert "0 messages sent" in run(mail_app, "send", "2025").output and smtp_server.messages == []
