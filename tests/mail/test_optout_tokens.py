"""Issue 21.8: the opt-out link is an opaque signed token that stops working a set time after the wave closes.

It used to carry the invitation's sequential id in base64 and never expire. An expired or unknown link gets a
page that says why, in English and Khmer, instead of a bare 404.
"""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import URLSafeSerializer
from itsdangerous.encoding import base64_decode
from sqlalchemy import select

from survey import db
from survey.db import now
from survey.mail import optout
from survey.models import Invitation, MailOptOut, Wave
from survey.waves.operations import set_status

from ..conftest import csrf_token, post
from .conftest import OPTOUT, contacts_file, rows, run, text_of


def _invite(mail_app, tmp_path) -> None:
    result = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert result.exit_code == 0, result.output


def _optout_of(message) -> str:
    return OPTOUT.search(text_of(message)).group(1)


def _set_status(app, status: str) -> None:
    with app.app_context():
        session = db.session()
        set_status(session, session.scalar(select(Wave).where(Wave.slug == "2025")), status)


def _days_after_close(monkeypatch, app, days: float) -> None:
    """Move the opt-out page's clock to `days` after the wave closed."""
    with app.app_context():
        closed = db.session().scalar(select(Wave.closed_at).where(Wave.slug == "2025"))
    assert closed is not None and abs(closed - now()) < timedelta(minutes=1)
    monkeypatch.setattr(optout, "now", lambda: closed + timedelta(days=days))


def test_the_link_carries_no_readable_id(mail_app, smtp_server, tmp_path):
    _invite(mail_app, tmp_path)
    tokens = {m["X-Envelope-To"]: _optout_of(m).removeprefix("/optout/") for m in smtp_server.messages}
    invitations = {i.contact_email: i for i in rows(mail_app, Invitation)}
    assert len(set(tokens.values())) == 3
    for address, token in tokens.items():
        payload = token.split(".")[0]
        assert payload == invitations[address].optout_key and len(payload) >= 22  # 128 random bits
        assert base64_decode(payload) != str(invitations[address].id).encode()  # what the old links carried
    # Unsigned or re-signed with another secret, the random value opens nothing.
    for token in tokens.values():
        payload = token.split(".")[0]
        with mail_app.test_client() as client:
            assert client.get(f"/optout/{payload}").status_code == 404
            assert client.get(f"/optout/{payload}.{'A' * 43}").status_code == 404


def test_unknown_links_get_a_page_that_says_why_in_english_and_khmer(mail_app, client):
    english = client.get("/optout/forged.signature")
    assert english.status_code == 404
    assert "This link to stop messages is not one that we sent" in english.get_data(as_text=True)
    khmer = client.get("/optout/forged.signature?lang=km")
    assert khmer.status_code == 404
    assert "តំណសម្រាប់បញ្ឈប់សារនេះមិនមែនជាតំណដែលយើងខ្ញុំបានផ្ញើទេ" in khmer.get_data(as_text=True)


def test_the_link_works_until_the_set_time_after_the_wave_closes(mail_app, smtp_server, client, tmp_path,
                                                                 monkeypatch):
    mail_app.config["OPTOUT_DAYS_AFTER_CLOSE"] = 30
    _invite(mail_app, tmp_path)
    ann, sokha = _optout_of(smtp_server.to("ann@")[0]), _optout_of(smtp_server.to("sokha@")[0])
    _set_status(mail_app, "closed")
    _days_after_close(monkeypatch, mail_app, 29.9)
    assert client.get(ann).status_code == 200
    form_token = csrf_token(client, sokha)
    assert post(client, ann, {}).status_code == 200
    assert [row.invitation_id for row in rows(mail_app, MailOptOut)] != []
    _days_after_close(monkeypatch, mail_app, 30)
    for path, language, words in ((ann + "?lang=en", "en", "This link to stop messages about the survey has "
                                   "expired"), (sokha + "?lang=km", "km", "បានផុតកំណត់ហើយ")):
        page = client.get(path)
        assert page.status_code == 410, language
        assert words in page.get_data(as_text=True), language
    assert client.post(sokha, data={"csrf_token": form_token}).status_code == 410  # and records nothing
    assert len(rows(mail_app, MailOptOut)) == 1


def test_the_default_is_ninety_days_and_a_reopened_wave_revives_the_link(mail_app, smtp_server, client, tmp_path,
                                                                         monkeypatch):
    assert mail_app.config["OPTOUT_DAYS_AFTER_CLOSE"] == 90
    _invite(mail_app, tmp_path)
    ann = _optout_of(smtp_server.to("ann@")[0])
    _set_status(mail_app, "closed")
    _days_after_close(monkeypatch, mail_app, 89)
    assert client.get(ann).status_code == 200
    _days_after_close(monkeypatch, mail_app, 91)
    assert client.get(ann).status_code == 410
    monkeypatch.undo()
    _set_status(mail_app, "open")
    assert client.get(ann).status_code == 200


def test_opting_out_works_from_every_message_after_a_reminder(mail_app, smtp_server, client, tmp_path):
    _invite(mail_app, tmp_path)
    assert "queued 3 reminders" in run(mail_app, "remind", "2025", "--after", "0").output
    first, reminder = smtp_server.to("ann@")
    assert _optout_of(first) == _optout_of(reminder)  # the reminder's new survey link leaves it as it was
    assert post(client, _optout_of(first), {}).status_code == 200
    assert post(client, _optout_of(smtp_server.to("sokha@")[1]), {}).status_code == 200
    opted = {i.contact_email for i in rows(mail_app, Invitation) if i.disposition == "refused"}
    assert opted == {"ann@union.test", "sokha@ministry.test"}


def test_links_sent_before_the_change_keep_working_and_expire_too(mail_app, smtp_server, client, tmp_path,
                                                                   monkeypatch):
    _invite(mail_app, tmp_path)
    ann = next(i for i in rows(mail_app, Invitation) if i.contact_email == "ann@union.test")
    old = "/optout/" + URLSafeSerializer("test", salt="awareness-mail-opt-out").dumps(ann.id)
    assert client.get(old).status_code == 200
    _set_status(mail_app, "closed")
    _days_after_close(monkeypatch, mail_app, 91)
    assert client.get(old).status_code == 410
    forged = "/optout/" + URLSafeSerializer("another secret", salt="awareness-mail-opt-out").dumps(ann.id)
    assert client.get(forged).status_code == 404
