"""`mail remind` reads each contact's language with the contacts, not with one query per contact."""

from datetime import timedelta

from sqlalchemy import event, select, update

import questionnaires
from survey import db
from survey.db import now
from survey.invitations.operations import Contact
from survey.mail import operations
from survey.models import OutboxMessage
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES

LANGUAGES = ("km", "en", "en")


def _wave_invited_a_week_ago(session, slug: str, size: int):
    """A wave whose `size` contacts were e-mailed their invitation eight days ago, in turn in km, en, en."""
    edition = store_edition(session, questionnaires.load(TWO_PAGES))
    wave = create_wave(session, slug, edition, status="open")
    contacts = [(Contact(group="workers", email=f"c{number}@{slug}.test"), LANGUAGES[number % 3])
                for number in range(size)]
    operations.queue_new_contacts(session, wave, contacts)
    session.execute(update(OutboxMessage).values(status="sent", sent_at=now() - timedelta(days=8)))
    session.commit()
    return wave


def _statements_to_remind(app, session, wave) -> int:
    statements = []
    engine = app.extensions["awareness.engine"]

    def count(*_arguments):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        queued = operations.queue_reminders(session, wave, 7, "en")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert queued.queued == len({message.invitation_id for message in _messages(session, wave)})
    return len(statements)


def _messages(session, wave):
    return session.scalars(select(OutboxMessage).join(OutboxMessage.invitation)
                           .where(OutboxMessage.invitation.has(wave_id=wave.id)).order_by(OutboxMessage.id)).all()


def test_reminding_more_contacts_takes_no_more_statements(app, database_url):
    with app.app_context():
        session = db.session()
        small = _wave_invited_a_week_ago(session, "small", 3)
        large = _wave_invited_a_week_ago(session, "large", 60)
        assert _statements_to_remind(app, session, large) == _statements_to_remind(app, session, small)


def test_each_reminder_is_in_the_language_of_the_contacts_last_message(app, database_url):
    with app.app_context():
        session = db.session()
        wave = _wave_invited_a_week_ago(session, "2025", 6)
        first = _messages(session, wave)[0]  # invited in Khmer, then sent the invitation again in English
        session.add(OutboxMessage(invitation_id=first.invitation_id, kind="invitation", language="en",
                                  status="sent", replaces_link=True, attempts=1,
                                  queued_at=first.queued_at, sent_at=first.sent_at))
        session.commit()
        operations.queue_reminders(session, wave, 7, "km")
        reminders = {message.invitation_id: message.language for message in _messages(session, wave)
                     if message.kind == "reminder"}
        invitations = sorted({message.invitation_id for message in _messages(session, wave)})
        assert [reminders[identifier] for identifier in invitations] == ["en", "en", "en", "km", "en", "en"]
