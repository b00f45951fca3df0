"""Invitations and reminders by e-mail through a real SMTP server on 127.0.0.1, on SQLite and PostgreSQL."""

import os
import signal
import subprocess
import sys
from datetime import date, timedelta

from survey import db
from survey.db import now
from survey.invitations.operations import Contact, create_invitations
from survey.mail import operations
from survey.models import Invitation, MailOptOut, MailSettings, OutboxMessage
from survey.waves import queries

from ..conftest import post
from .conftest import CONTACTS, LINK, OPTOUT, SENDER, complete, contacts_file, link_of, rows, run, text_of


def test_invitations_in_both_languages_with_working_links(mail_app, smtp_server, client, tmp_path):
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
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
    assert "Dear Ann Lee," in text_of(english) and "31 March 2099" in text_of(english)
    assert "earlier message" not in text_of(english)  # a first message speaks of no earlier link
    html = english.get_body(("html",)).get_content()
    assert f'<a href="http://survey.test{link_of(english)}?lang=en">' in html
    assert khmer["Subject"] == "ការអញ្ជើញ៖ ការស្ទង់មតិភាគីពាក់ព័ន្ធសម្រាប់ការពិនិត្យគោលនយោបាយ"
    assert "ជូនចំពោះ Sokha Chan" in text_of(khmer) and "ថ្ងៃទី៣១ ខែមីនា ឆ្នាំ២០៩៩" in text_of(khmer)
    assert LINK.search(text_of(khmer)).group(2) == "km"
    assert "Dear colleague," in text_of(unnamed)  # no language given: the questionnaire's first
    for message, title in ((english, "Test survey"), (khmer, "ការស្ទង់មតិសាកល្បង")):
        page = client.get(LINK.search(text_of(message)).group(0).removeprefix("http://survey.test"))
        assert page.status_code == 200 and title in page.get_data(as_text=True)
    assert {row.status for row in rows(mail_app, OutboxMessage)} == {"sent"}


def test_reminders_reach_only_those_who_have_not_completed(mail_app, smtp_server, client, tmp_path):
    assert run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline",
               "2099-03-31").exit_code == 0
    first = {m["X-Envelope-To"]: link_of(m) for m in smtp_server.messages}
    complete(mail_app, first["ann@union.test"])
    smtp_server.messages.clear()
    waiting = run(mail_app, "remind", "2025").output  # invited less than 7 days ago
    assert "queued 0 reminders" in waiting
    assert "not due a reminder: 1 contact completed, 2 contacts last e-mailed fewer than 7 days ago" in waiting
    result = run(mail_app, "remind", "2025", "--after", "0")
    assert result.exit_code == 0, result.output
    assert "queued 2 reminders" in result.output
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == ["anon@union.test", "sokha@ministry.test"]
    reminder = smtp_server.to("sokha@")[0]
    assert reminder["Subject"].startswith("ការរំលឹក")  # the language of the invitation
    assert "នៅតែប្រើបានដែរ" in text_of(reminder)  # says the earlier link still works
    assert client.get(first["sokha@ministry.test"]).status_code == 200
    assert client.get(link_of(reminder)).status_code == 200


def test_opt_out_records_a_refusal_and_stops_reminders(mail_app, smtp_server, client, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
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


def test_sending_again_keeps_the_old_link_and_says_so(mail_app, smtp_server, client, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    old = link_of(smtp_server.to("ann@")[0])
    result = run(mail_app, "invite", "2025", "--again", "ANN@union.test", "--again", "nobody@x.test")
    assert "queued 1 invitation sent again\n" in result.output
    assert "nobody@x.test: no invitation of wave 2025" in result.output
    again = smtp_server.to("ann@")[1]
    assert "the link in our earlier message still works too" in text_of(again)
    assert client.get(old).status_code == 200 and client.get(link_of(again)).status_code == 200


def test_invitations_made_earlier_are_mailed_once(mail_app, smtp_server):
    with mail_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2025")
        create_invitations(session, wave, [Contact(group="workers", email="a@x.test"),
                                                      Contact(group="workers")])
        session.commit()
    result = run(mail_app, "invite", "2025", "--deadline", "2099-03-31")
    assert "queued 1 invitation\n" in result.output
    assert "queued 0 invitations" in run(mail_app, "invite", "2025").output
    assert len(smtp_server.messages) == 1


def test_bad_contacts_change_nothing(mail_app, smtp_server, tmp_path):
    bad = ("name,email,group,language\n"
           "A,a@x.test,workers,fr\n"
           "B,,workers,en\n"
           "C,c@x.test,nobody,en\n")
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path, bad), "--deadline", "2099-01-01")
    assert result.exit_code == 1
    assert "row 2, column 'language': 'fr' is not one of en, km" in result.output
    assert "row 3, column 'email': empty" in result.output
    assert "row 4, column 'group'" in result.output
    assert rows(mail_app, Invitation) == [] and smtp_server.messages == []
    assert rows(mail_app, MailSettings) == []


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
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    khmer = smtp_server.to("sokha@")[0]
    assert khmer["Subject"] == "សូមឆ្លើយ" and text_of(khmer).startswith("សួស្តី Sokha Chan! http://survey.test/s/")


def test_transient_errors_are_retried_and_permanent_ones_recorded(mail_app, smtp_server, tmp_path):
    smtp_server.replies = ["451 4.3.0 try again later", "451 4.3.0 try again later"]
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path, CONTACTS.splitlines()[0] + "\n"
                                                                + CONTACTS.splitlines()[1] + "\n"),
        "--deadline", "2099-03-31")
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
        operations.save_deadline(session, queries.wave_by_slug(session, "2025"), date(2099, 3, 31))
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
    assert "1 message was being handed to the mail server when a run stopped" in result.output
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == addresses  # exactly one each
    for message in smtp_server.messages:  # the link of the message sent as the run died works too
        assert client.get(link_of(message)).status_code == 200
    with mail_app.app_context():
        session = db.session()
        later = now() + operations.STALE_CLAIM + timedelta(minutes=1)
        assert operations.release_stale_claims(session, queries.wave_by_slug(session, "2025"), later) == 1
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split() == ["all", "0", "5", "0", "0", "1",
                                                                               "0", "0"]
