"""Links that keep working (a reminder adds a link and voids none), a page saying why a link no longer works,
and failed messages sent again (`mail send --retry-failed`, the console's button)."""

from sqlalchemy import select

from survey import db
from survey.invitations.operations import Contact, create_invitations
from survey.models import Invitation, OutboxMessage
from survey.waves import queries

from ..conftest import post
from .conftest import complete, contacts_file, link_of, log_in_admin, rows, run, text_of


def _invite(mail_app, tmp_path):
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert result.exit_code == 0, result.output


def test_every_link_sent_works_until_the_invitation_completes(mail_app, smtp_server, client, tmp_path):
    _invite(mail_app, tmp_path)
    first = link_of(smtp_server.to("ann@")[0])
    assert client.get(first).status_code == 200
    assert post(client, first, {"consent": "yes"}).status_code == 302  # a draft begun with the first link
    run(mail_app, "remind", "2025", "--after", "0")
    run(mail_app, "invite", "2025", "--again", "ann@union.test")
    links = [link_of(message) for message in smtp_server.to("ann@")]
    assert len(set(links)) == 3
    for link in links:  # each resumes the same draft, at its first page
        assert client.get(link).location == f"{link}/1"
    complete(mail_app, links[1])
    for link in links:
        page = client.get(link)
        assert page.status_code == 200 and "Already submitted" in page.get_data(as_text=True)


def test_a_link_that_no_longer_works_says_why(mail_app, smtp_server, client, tmp_path):
    _invite(mail_app, tmp_path)
    unknown = client.get("/s/a-link-we-never-sent")
    text = unknown.get_data(as_text=True)
    assert unknown.status_code == 404 and "Link not recognised" in text and "works until you submit" in text
    assert "There is no page at this address" not in text and "a-link-we-never-sent" not in text
    assert "រកមិនឃើញតំណនេះ" in client.get("/s/a-link-we-never-sent?lang=km").get_data(as_text=True)
    link = link_of(smtp_server.to("sokha@")[0])
    assert runner_closes(mail_app)
    closed = client.get(f"{link}?lang=en")
    assert closed.status_code == 403 and "not open for answers" in closed.get_data(as_text=True)


def runner_closes(app) -> bool:
    return app.test_cli_runner().invoke(args=["wave", "close", "2025"]).exit_code == 0


def test_a_link_handed_out_before_the_first_e_mail_keeps_working(mail_app, smtp_server, client):
    with mail_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2025")
        ((_invitation, token),) = create_invitations(
            session, wave, [Contact(group="workers", email="a@x.test")])
        session.commit()
    assert run(mail_app, "invite", "2025", "--deadline", "2099-03-31").exit_code == 0
    message = smtp_server.to("a@x.test")[0]
    assert "earlier message" not in text_of(message)  # no message was sent before this one
    assert client.get(f"/s/{token}").status_code == 200 and client.get(link_of(message)).status_code == 200


def test_the_earlier_link_line_appears_only_after_a_message_was_sent(mail_app, smtp_server, tmp_path):
    smtp_server.replies = ["554 5.7.1 refused for now"]  # the first message (to Sokha) fails for good
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert "2 messages sent, 1 failed" in result.output
    run(mail_app, "invite", "2025", "--again", "sokha@ministry.test", "--again", "ann@union.test")
    again_sokha, again_ann = smtp_server.to("sokha@")[0], smtp_server.to("ann@")[1]
    assert "នៅតែប្រើបានដែរ" not in text_of(again_sokha)  # its first message never left
    assert "the link in our earlier message still works too" in text_of(again_ann)


def test_failed_messages_are_sent_again_and_counted_once(mail_app, smtp_server, tmp_path):
    smtp_server.replies = ["554 5.7.1 refused", "554 5.7.1 refused"]
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert "1 message sent, 2 failed" in result.output
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split() == ["all", "0", "1", "0", "2", "0",
                                                                               "0", "0"]
    assert "0 messages sent" in run(mail_app, "send", "2025").output  # plain send: nothing is queued
    reminded = run(mail_app, "remind", "2025", "--after", "0").output
    assert "2 contacts whose invitation failed (mail send --retry-failed)" in reminded
    result = run(mail_app, "send", "2025", "--retry-failed")
    assert result.exit_code == 0, result.output
    assert "queued 2 failed messages again" in result.output and "2 messages sent, 0 failed" in result.output
    assert run(mail_app, "status", "2025").output.splitlines()[-1].split() == ["all", "0", "3", "1", "0", "0",
                                                                               "0", "0"]
    assert "queued 0 failed messages again" in run(mail_app, "send", "2025", "--retry-failed").output
    assert len(smtp_server.messages) == 4  # 1 invitation, 1 reminder, then the 2 that failed
    assert "earlier message" not in text_of(smtp_server.to("sokha@")[0])


def test_a_failed_message_is_not_retried_after_an_opt_out_or_a_later_message(mail_app, smtp_server, tmp_path):
    smtp_server.replies = ["554 refused", "554 refused"]  # Sokha's and Ann's invitations fail
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    run(mail_app, "invite", "2025", "--again", "ann@union.test")  # sent by hand: nothing left to retry
    with mail_app.app_context():
        session = db.session()
        sokha = session.scalar(select(Invitation).where(Invitation.contact_email == "sokha@ministry.test"))
        from survey.mail.operations import record_opt_out

        record_opt_out(session, sokha)
    smtp_server.messages.clear()
    assert "queued 0 failed messages again" in run(mail_app, "send", "2025", "--retry-failed").output
    assert smtp_server.messages == []


def test_the_console_sends_failed_messages_again(mail_app, smtp_server, tmp_path):
    from survey.mail import background

    smtp_server.replies = ["554 refused"]
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    client = log_in_admin(mail_app)
    assert "Send failed messages again" in client.get("/admin/waves/2025/mail").get_data(as_text=True)
    response = post(client, "/admin/waves/2025/mail/send", {"what": "retry"}, token_from="/admin/waves/2025/mail")
    assert response.status_code == 302
    background.wait(_wave_id(mail_app), timeout=30)
    assert "Queued 1 failed message again." in client.get("/admin/waves/2025/mail").get_data(as_text=True)
    assert sorted(row.status for row in rows(mail_app, OutboxMessage)) == ["sent", "sent", "sent"]


def _wave_id(app) -> int:
    with app.app_context():
        return queries.wave_by_slug(db.session(), "2025").id
