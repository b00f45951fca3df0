"""Bounces from a mailbox export, and the console's e-mail page."""

import io

from survey import db
from survey.accounts.operations import create_user
from survey.models import Invitation
from survey.waves import queries

from ..conftest import password_hash, post
from .conftest import CONTACTS, contacts_file, dsn, rows, run


def test_bounces_mark_invitations_undeliverable(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
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
    assert "read 4 messages: 3 delivery reports, 1 other message skipped" in result.output
    assert ("1 invitation marked undeliverable, 0 already marked; 1 recipient only delayed (nothing to do), "
            "1 recipient not matched") in result.output
    assert "message 4: stranger@x.test (5.1.1): names no message we sent" in result.output
    dispositions = {i.contact_email: i.disposition for i in rows(mail_app, Invitation)}
    assert dispositions == {"ann@union.test": "undeliverable", "sokha@ministry.test": "invited",
                            "anon@union.test": "invited"}
    assert "0 invitations marked undeliverable, 1 already marked" in run(mail_app, "bounces", str(mbox)).output
    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "1.eml").write_bytes(dsn(None, "Anon@Union.test"))  # no Message-ID of ours: an address is not enough
    assert "0 invitations marked undeliverable" in run(mail_app, "bounces", str(folder)).output
    smtp_server.messages.clear()
    run(mail_app, "remind", "2025", "--after", "0")
    assert sorted(m["X-Envelope-To"] for m in smtp_server.messages) == ["anon@union.test", "sokha@ministry.test"]
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split() == ["all", "0", "3", "2", "0", "0",
                                                                               "1", "0"]


def test_a_file_that_is_no_mailbox_changes_nothing(mail_app, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    result = run(mail_app, "bounces", str(path))
    assert result.exit_code == 1 and "neither an mbox file" in result.output and "Traceback" not in result.output
    (tmp_path / "empty").mkdir()
    assert "no .eml files in this folder" in run(mail_app, "bounces", str(tmp_path / "empty")).output




def test_console_edits_wording_and_sends_in_the_background(mail_app, smtp_server, tmp_path):

    from survey.mail import background

    from .conftest import csrf_token

    with mail_app.app_context():
        create_user(db.session(), "admin@example.org", password_hash("pw-long-enough"), "admin")
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
    post(client, "/admin/waves/2025/mail/deadline", {"deadline": "2099-03-31"}, token_from="/admin/waves/2025/mail")
    sent = client.post("/admin/waves/2025/mail/send", data={
        "what": "invite", "csrf_token": csrf_token(client, "/admin/waves/2025/mail"),
        "file": (io.BytesIO(CONTACTS.encode()), "contacts.csv")}, content_type="multipart/form-data")
    assert sent.status_code == 302
    with mail_app.app_context():
        background.wait(queries.wave_by_slug(db.session(), "2025").id, timeout=30)
    assert len(smtp_server.messages) == 3
    page = client.get("/admin/waves/2025").get_data(as_text=True)
    assert "Invitations sent" in page and "Invitations and reminders by e-mail" in page




def test_console_reads_bounces_and_refuses_bad_contacts(mail_app, smtp_server, tmp_path):

    from .conftest import csrf_token

    with mail_app.app_context():
        create_user(db.session(), "admin@example.org", password_hash("pw-long-enough"), "admin")
    client = mail_app.test_client()
    client.post("/admin/login", data={"email": "admin@example.org", "password": "pw-long-enough",
                                      "csrf_token": csrf_token(client, "/admin/login")})
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    to_ann = smtp_server.to("ann@")[0]["Message-ID"]

    def upload(url, field, files):
        return client.post(url, data={"csrf_token": csrf_token(client, "/admin/waves/2025/mail"),
                                      field: [(io.BytesIO(content), name) for name, content in files]},
                           content_type="multipart/form-data")

    page = upload("/admin/waves/2025/mail/bounces", "files",
                  [("a.eml", dsn(to_ann, "ann@union.test")), ("b.eml", dsn(None, "stranger@x.test"))])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 invitation marked undeliverable" in text
    assert "b.eml: stranger@x.test" in text and "/tmp" not in text  # the uploaded name, not a temporary path
    bad = upload("/admin/waves/2025/mail/bounces", "files", [("notes.txt", b"hello")])
    assert bad.status_code == 422 and "notes.txt: neither an mbox file" in bad.get_data(as_text=True)
    refused = upload("/admin/waves/2025/mail/send", "file", [("c.csv", b"name,email,group\nX,,workers\n")])
    assert refused.status_code == 422 and "row 2, column &#39;email&#39;: empty" in refused.get_data(as_text=True)
    assert len(rows(mail_app, Invitation)) == 3
