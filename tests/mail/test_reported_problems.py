"""Problems a new user found: bounces counted once per invitation, deadlines, plurals, reminders explained."""

from datetime import date, timedelta

from survey import db
from survey.db import now
from survey.mail import operations
from survey.mail.settings import DeadlineError, parse_deadline, plural
from survey.models import Invitation, MailSettings, OutboxMessage
from survey.waves import queries

from ..conftest import post
from .conftest import contacts_file, dsn, log_in_admin, rows, run


def _mbox(*reports: bytes) -> bytes:
    return b"".join(b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n" + report.replace(b"\r\n", b"\n") + b"\n"
                    for report in reports)


def test_one_report_marks_a_contact_mailed_three_times_once(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    run(mail_app, "invite", "2025", "--again", "ann@union.test")
    run(mail_app, "remind", "2025", "--after", "0")
    assert len(smtp_server.to("ann@")) == 3  # two invitations and a reminder
    mbox = tmp_path / "b.mbox"
    first = smtp_server.to("ann@")[0]["Message-ID"]
    mbox.write_bytes(_mbox(dsn(first, "ann@union.test")))
    result = run(mail_app, "bounces", str(mbox))
    assert result.exit_code == 0, result.output
    assert "read 1 message: 1 delivery report, 0 other messages skipped" in result.output
    assert "1 invitation marked undeliverable, 0 already marked" in result.output
    assert result.output.count("undeliverable: ann@union.test") == 1
    assert len([m for m in rows(mail_app, OutboxMessage) if m.bounced_at is not None]) == 1
    status = run(mail_app, "status", "2025").output.splitlines()
    assert status[0] == "E-mail of wave 2025 by stakeholder group." and "Contacts, each counted once" in "".join(status)
    assert status[-1].split() == ["all", "0", "4", "3", "0", "0", "1", "0"]  # 4 invitations sent, 1 contact bounced
    # The same report again, and one naming the reminder by its Message-ID: the contact is already marked.
    reminder = [m for m in smtp_server.to("ann@") if m["Subject"].startswith("Reminder")][0]["Message-ID"]
    mbox.write_bytes(_mbox(dsn(first, "ann@union.test"), dsn(reminder, "ann@union.test")))
    again = run(mail_app, "bounces", str(mbox)).output
    assert "0 invitations marked undeliverable, 1 already marked" in again
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split()[6] == "1"


def test_reports_about_two_messages_of_one_invitation_in_one_file_mark_it_once(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    run(mail_app, "remind", "2025", "--after", "0")
    invitation, reminder = (m["Message-ID"] for m in smtp_server.to("ann@"))
    mbox = tmp_path / "b.mbox"
    mbox.write_bytes(_mbox(dsn(invitation, "ann@union.test"), dsn(reminder, "ann@union.test")))
    result = run(mail_app, "bounces", str(mbox)).output
    assert "read 2 messages: 2 delivery reports" in result and "1 invitation marked undeliverable" in result
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split()[6] == "1"


def test_a_deadline_in_the_past_is_refused_and_nothing_is_sent(mail_app, smtp_server, tmp_path):
    yesterday = (now().date() - timedelta(days=1)).isoformat()
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", yesterday)
    assert result.exit_code == 2 and f"{yesterday} is in the past" in result.output
    assert "Traceback" not in result.output
    assert smtp_server.messages == [] and rows(mail_app, Invitation) == [] and rows(mail_app, MailSettings) == []
    today = now().date().isoformat()
    assert run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", today).exit_code == 0


def test_a_saved_deadline_that_has_passed_stops_sending(mail_app, smtp_server, tmp_path):
    with mail_app.app_context():
        session = db.session()
        operations.save_deadline(session, queries.wave_by_slug(session, "2025"), date(2019, 3, 31))
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path))
    assert result.exit_code == 1 and "the deadline of wave 2025, 2019-03-31, has passed" in result.output
    assert smtp_server.messages == []


def test_a_deadline_that_is_no_date_says_so(mail_app, smtp_server, tmp_path):
    for text in ("2019-02-30", "20990331", "31/03/2099"):
        result = run(mail_app, "remind", "2025", "--deadline", text)
        assert result.exit_code == 2 and f"'{text}' is not a date (YYYY-MM-DD)" in result.output
        assert "does not match the format" not in result.output


def test_the_console_refuses_a_past_or_impossible_deadline(mail_app):
    client = log_in_admin(mail_app)
    for text, problem in (("2019-03-31", "2019-03-31 is in the past"),
                          ("2019-02-30", "&#39;2019-02-30&#39; is not a date (YYYY-MM-DD)")):
        page = post(client, "/admin/waves/2025/mail/deadline", {"deadline": text}, token_from="/admin/waves/2025/mail")
        assert page.status_code == 302
        assert problem in client.get("/admin/waves/2025/mail").get_data(as_text=True)
    assert rows(mail_app, MailSettings) == []


def test_deadline_parsing_and_plurals():
    today = date(2026, 11, 26)
    assert parse_deadline(" 2026-11-26 ", today) == today
    try:
        parse_deadline("2026-11-25", today)
    except DeadlineError as error:
        assert "is in the past (today is 2026-11-26)" in str(error)
    else:
        raise AssertionError("a past deadline was accepted")
    assert [plural(n, "message") for n in (0, 1, 2)] == ["0 messages", "1 message", "2 messages"]
    assert plural(1, "message was", "messages were") == "1 message was"


def test_remind_says_why_no_contact_was_due(mail_app, smtp_server, tmp_path):
    from .conftest import complete, link_of

    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    complete(mail_app, link_of(smtp_server.to("ann@")[0]))
    mbox = tmp_path / "b.mbox"
    mbox.write_bytes(_mbox(dsn(smtp_server.to("anon@")[0]["Message-ID"], "anon@union.test")))
    run(mail_app, "bounces", str(mbox))
    result = run(mail_app, "remind", "2025", "--after", "1")
    assert "queued 0 reminders" in result.output
    assert ("not due a reminder: 1 contact completed, 1 contact bounced (undeliverable), "
            "1 contact last e-mailed fewer than 1 day ago") in result.output
    result = run(mail_app, "remind", "2025", "--after", "0")
    assert "queued 1 reminder\n" in result.output
    assert "1 message sent, 0 failed" in result.output
    assert "not due a reminder: 1 contact completed, 1 contact bounced (undeliverable)\n" in result.output
