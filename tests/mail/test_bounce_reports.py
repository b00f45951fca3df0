"""Bounces: a report is used only when it names a message we sent (our per-message return path or one of our
Message-IDs); an unreadable report is skipped with one line, and the rest of the mailbox applied."""

import io

from survey.models import Invitation

from ..conftest import post
from .conftest import contacts_file, dsn, log_in_admin, rows, run

# Non-UTF-8 bytes in Final-Recipient: the report that stopped the whole mailbox with a TypeError.
MALFORMED = (b"From: MAILER-DAEMON@mx.test\nTo: review@ministry.test\nSubject: Undelivered\nMIME-Version: 1.0\n"
             b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
             b"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.test\n\n"
             b"Final-Recipient: rfc822; caf\xe9\xff@union.test\nAction: failed\nStatus: 5.1.1\n\n--B--\n")


def _mbox(*reports: bytes) -> bytes:
    return b"".join(b"From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n" + r.replace(b"\r\n", b"\n") + b"\n"
                    for r in reports)


def _dispositions(app) -> dict[str, str]:
    return {i.contact_email: i.disposition for i in rows(app, Invitation)}


def _to(report: bytes, address: str) -> bytes:
    """The report as delivered to `address` (a mail server sends it to the envelope sender)."""
    return report.replace(b"To: review@ministry.test", f"To: {address}".encode(), 1)


def test_a_forged_report_naming_only_an_address_silences_nobody(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    forged = tmp_path / "forged.eml"
    forged.write_bytes(dsn("<made-up@evil.test>", "ann@union.test"))
    result = run(mail_app, "bounces", str(forged))
    assert result.exit_code == 0, result.output
    assert "0 invitations marked undeliverable" in result.output
    assert "ann@union.test (5.1.1): names no message we sent" in result.output
    assert _dispositions(mail_app)["ann@union.test"] == "invited"


def test_a_report_to_the_return_path_of_a_message_marks_it(mail_app, smtp_server, tmp_path):
    mail_app.config["MAIL_RETURN_PATH"] = "bounces@ministry.test"
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    to_ann, to_sokha = smtp_server.to("ann@")[0], smtp_server.to("sokha@")[0]
    envelope = to_ann["X-Envelope-From"]
    assert envelope.startswith("bounces+") and envelope.endswith("@ministry.test")
    assert to_sokha["X-Envelope-From"] != envelope  # one return path per message
    assert to_ann["From"] == "Policy review <review@ministry.test>"  # what the reader sees is unchanged
    # Without the original's Message-ID (many servers leave it out): the return path alone names the message.
    genuine = _to(dsn(None, "ann@union.test"), envelope)
    # The same address with a signature made up: refused.
    number, _signature = envelope.split("+", 1)[1].split("@")[0].split("-")
    forged = _to(dsn(None, "sokha@ministry.test"), f"bounces+{number}-{'0' * 16}@ministry.test")
    mbox = tmp_path / "b.mbox"
    mbox.write_bytes(_mbox(genuine, forged))
    result = run(mail_app, "bounces", str(mbox))
    assert "1 invitation marked undeliverable" in result.output and "1 recipient not matched" in result.output
    assert _dispositions(mail_app) == {"ann@union.test": "undeliverable", "sokha@ministry.test": "invited",
                                       "anon@union.test": "invited"}


def test_an_unreadable_report_is_skipped_and_the_rest_applied(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    good = dsn(smtp_server.to("ann@")[0]["Message-ID"], "ann@union.test")
    mbox = tmp_path / "b.mbox"
    mbox.write_bytes(_mbox(MALFORMED, good))
    result = run(mail_app, "bounces", str(mbox))
    assert result.exit_code == 0 and "Traceback" not in result.output and "TypeError" not in result.output
    assert "read 2 messages: 1 delivery report, 0 other messages skipped, 1 unreadable report skipped" \
        in result.output
    assert "1 invitation marked undeliverable" in result.output
    unreadable = [line for line in result.output.splitlines() if "unreadable:" in line]
    assert unreadable == [f"  unreadable: {mbox} message 1: skipped, its Final-Recipient field is not plain text"]
    assert _dispositions(mail_app)["ann@union.test"] == "undeliverable"


def test_the_console_gives_the_same_summary(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    good = dsn(smtp_server.to("ann@")[0]["Message-ID"], "ann@union.test")
    client = log_in_admin(mail_app)
    response = post(client, "/admin/waves/2025/mail/bounces",
                    {"files": [(io.BytesIO(MALFORMED), "broken.eml"), (io.BytesIO(good), "good.eml"),
                               (io.BytesIO(dsn(None, "sokha@ministry.test")), "forged.eml")]},
                    token_from="/admin/waves/2025/mail")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "Read 3 messages: 2 delivery reports, 0 other messages skipped, 1 unreadable report skipped." in page
    assert "1 invitation marked undeliverable, 0 already marked" in page
    assert "broken.eml: skipped, its Final-Recipient field is not plain text" in page
    assert "forged.eml: sokha@ministry.test (5.1.1): names no message we sent" in page
    assert _dispositions(mail_app)["sokha@ministry.test"] == "invited"
