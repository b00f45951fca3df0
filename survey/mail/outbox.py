"""The outbox: every message is recorded (queued) before it is sent, and claimed once before it is handed over."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.orm import Session

from ..db import now
from ..invitations.operations import Contact, create_invitations
from ..models import Invitation, MailOptOut, OutboxMessage, Wave
from .settings import plural

# A message still "sending" this long after it was claimed belongs to a run that stopped half way.
STALE_CLAIM = timedelta(minutes=10)
NOT_TO_BE_MAILED = ("completed", "refused", "undeliverable", "ineligible")
# Why a contact is due no reminder, in the order they are checked and said ("recent" is said with the days).
REASONS = ("completed", "opted out", "refused", "bounced (undeliverable)", "ineligible", "without an e-mail address",
           "with a message waiting to be sent (mail send)", "whose invitation failed (mail send --retry-failed)",
           "not yet invited by e-mail (mail invite)", "recent")


@dataclass
class Queued:
    """What a request to send added to the outbox."""

    queued: int = 0
    skipped: list[str] = field(default_factory=list)
    not_due: list[str] = field(default_factory=list)  # reminders: why the other contacts got none


def _mailable(wave: Wave):
    """Invitations of the wave that may receive a message: an address, not done, no refusal, no opt-out."""
    opted_out = exists().where(MailOptOut.invitation_id == Invitation.id)
    return (select(Invitation).where(Invitation.wave_id == wave.id, Invitation.contact_email.is_not(None),
                                     Invitation.contact_email != "", Invitation.completed.is_(False),
                                     Invitation.disposition.not_in(NOT_TO_BE_MAILED), ~opted_out,
                                     Invitation.bounced.is_(False))
            .order_by(Invitation.id))


def _has_message(kind: str | None = None, statuses: tuple[str, ...] | None = None):
    conditions = [OutboxMessage.invitation_id == Invitation.id]
    if kind:
        conditions.append(OutboxMessage.kind == kind)
    if statuses:
        conditions.append(OutboxMessage.status.in_(statuses))
    return exists().where(and_(*conditions))


def _queue(session: Session, invitation: Invitation, kind: str, language: str) -> None:
    session.add(OutboxMessage(**_message(invitation.id, kind, language)))


def _message(invitation_id: int, kind: str, language: str) -> dict:
    # replaces_link is decided when the message is sent: whether an earlier one was sent by then.
    return {"invitation_id": invitation_id, "kind": kind, "language": language, "status": "queued",
            "replaces_link": False, "attempts": 0, "queued_at": now()}


def _queue_all(session: Session, messages: list[dict]) -> None:
    """Queue many messages with one statement (executemany), however many contacts there are."""
    if messages:
        session.execute(insert(OutboxMessage), messages)


def queue_new_contacts(session: Session, wave: Wave, contacts: list[tuple[Contact, str]]) -> Queued:
    """An invitation for each (contact, language) and its message, in one transaction."""
    created = create_invitations(session, wave, [contact for contact, _language in contacts])
    for (invitation, _token), (_contact, language) in zip(created, contacts, strict=True):
        # The token made with the invitation is never shown: sending gives the invitation its link.
        _queue(session, invitation, "invitation", language)
    session.commit()
    return Queued(queued=len(created))


def queue_invitations(session: Session, wave: Wave, default_language: str) -> Queued:
    """An invitation message for each mailable invitation that has never had one."""
    # Made elsewhere (a links CSV): the link handed out keeps working beside the e-mailed one.
    messages = [_message(invitation.id, "invitation", default_language)
                for invitation in session.scalars(_mailable(wave).where(~_has_message("invitation")))]
    _queue_all(session, messages)
    session.commit()
    return Queued(queued=len(messages))


def queue_again(session: Session, wave: Wave, addresses: list[str], default_language: str) -> Queued:
    """The invitation sent again to these addresses, each with a new link (the old ones keep working)."""
    result = Queued()
    for address in addresses:
        found = session.execute(_with_last_language(
            _mailable(wave).where(func.lower(Invitation.contact_email) == address.lower()))).all()
        if not found:
            result.skipped.append(f"{address}: no invitation of wave {wave.slug} that can be mailed "
                                  "(unknown, completed, refused, bounced or opted out)")
        for invitation, language in found:
            if session.scalar(select(OutboxMessage.id).where(OutboxMessage.invitation_id == invitation.id,
                                                             OutboxMessage.status.in_(("queued", "sending")))):
                result.skipped.append(f"{address}: a message to this address is already waiting to be sent")
                continue
            _queue(session, invitation, "invitation", language or default_language)
            result.queued += 1
    session.commit()
    return result


def queue_failed_again(session: Session, wave: Wave) -> Queued:
    """Queue again each message that failed and is its invitation's latest, if the invitation may still be mailed.

    The failed row itself goes back to the queue (not a copy), so that the counts say what happened to it;
    a message sent since (--again) or one waiting already means there is nothing to retry.
    """
    waiting = _has_message(None, ("queued", "sending"))
    mailable = _mailable(wave).where(~waiting).with_only_columns(Invitation.id).order_by(None)
    latest = (select(func.max(OutboxMessage.id)).where(OutboxMessage.invitation_id == Invitation.id)
              .correlate(Invitation).scalar_subquery())
    ids = list(session.scalars(select(OutboxMessage.id).join(Invitation, OutboxMessage.invitation_id == Invitation.id)
                               .where(Invitation.id.in_(mailable), OutboxMessage.id == latest,
                                      OutboxMessage.status == "failed")))
    queued = session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == "failed")
                             .values(status="queued", claimed_at=None, error=None)).rowcount if ids else 0
    session.commit()
    return Queued(queued=queued)


def _with_last_language(statement):
    """The statement's invitations, each with the language of its latest message (None before any), in one query."""
    latest = (select(OutboxMessage.language).where(OutboxMessage.invitation_id == Invitation.id)
              .order_by(OutboxMessage.id.desc()).limit(1).correlate(Invitation).scalar_subquery())
    return statement.add_columns(latest)


def queue_reminders(session: Session, wave: Wave, after_days: int, default_language: str) -> Queued:
    """A reminder for each invitation not completed whose last message was sent `after_days` or more ago.

    Uses only whether an invitation completed, refused, bounced or opted out: never an answer.
    """
    cutoff = now() - timedelta(days=after_days)
    last_sent = (select(func.max(OutboxMessage.sent_at)).where(OutboxMessage.invitation_id == Invitation.id,
                                                               OutboxMessage.status == "sent")
                 .scalar_subquery())
    candidates = _mailable(wave).where(_has_message("invitation", ("sent",)),
                                       ~_has_message(None, ("queued", "sending")), last_sent <= cutoff)
    not_due = reasons_not_reminded(session, wave, after_days, cutoff)
    # The reminder carries a new link too (the token of the first message exists only as a hash); the first
    # keeps working.
    messages = [_message(invitation.id, "reminder", language or default_language)
                for invitation, language in session.execute(_with_last_language(candidates)).all()]
    _queue_all(session, messages)
    session.commit()
    return Queued(queued=len(messages), not_due=not_due)


def _invitation_ids(statement) -> set[int]:
    return set(statement.scalars().all())


def reasons_not_reminded(session: Session, wave: Wave, after_days: int, cutoff: datetime) -> list[str]:
    """How many contacts are due no reminder, by the first reason that applies ("2 contacts completed")."""
    in_wave = select(Invitation.id).where(Invitation.wave_id == wave.id)
    of_wave = OutboxMessage.invitation_id.in_(in_wave)
    opted_out = _invitation_ids(session.execute(select(MailOptOut.invitation_id)
                                                .where(MailOptOut.invitation_id.in_(in_wave))))
    waiting = _invitation_ids(session.execute(select(OutboxMessage.invitation_id)
                                              .where(of_wave, OutboxMessage.status.in_(("queued", "sending")))))
    invited = _invitation_ids(session.execute(select(OutboxMessage.invitation_id).where(
        of_wave, OutboxMessage.kind == "invitation", OutboxMessage.status == "sent")))
    failed = _invitation_ids(session.execute(select(OutboxMessage.invitation_id).where(
        of_wave, OutboxMessage.kind == "invitation", OutboxMessage.status == "failed")))
    recent = _invitation_ids(session.execute(select(OutboxMessage.invitation_id).where(
        of_wave, OutboxMessage.status == "sent").group_by(OutboxMessage.invitation_id)
        .having(func.max(OutboxMessage.sent_at) > cutoff)))
    counts: dict[str, int] = {}
    for invitation in session.scalars(select(Invitation).where(Invitation.wave_id == wave.id)):
        reason = _reason(invitation, (opted_out, waiting, invited, recent, failed))
        if reason:
            counts[reason] = counts.get(reason, 0) + 1
    recent_label = f"last e-mailed fewer than {plural(after_days, 'day')} ago"
    return [f"{plural(counts[reason], 'contact')} {recent_label if reason == 'recent' else reason}"
            for reason in REASONS if reason in counts]


def _reason(invitation: Invitation, sets: tuple[set[int], ...]) -> str | None:
    """Why this invitation gets no reminder now; None when it is due one."""
    opted_out, waiting, invited, recent, failed = sets
    identifier = invitation.id
    if invitation.completed or invitation.disposition == "completed":
        return "completed"
    if identifier in opted_out:
        return "opted out"
    if invitation.disposition == "refused":
        return "refused"
    if invitation.bounced or invitation.disposition == "undeliverable":
        return "bounced (undeliverable)"
    if invitation.disposition == "ineligible":
        return "ineligible"
    if not invitation.contact_email:
        return "without an e-mail address"
    if identifier in waiting:
        return "with a message waiting to be sent (mail send)"
    if identifier not in invited:
        return "whose invitation failed (mail send --retry-failed)" if identifier in failed \
            else "not yet invited by e-mail (mail invite)"
    if identifier in recent:
        return "recent"
    return None  # due a reminder


def release_stale_claims(session: Session, wave: Wave, moment: datetime | None = None) -> int:
    """Mark messages left "sending" by a run that stopped as unconfirmed: never sent again automatically.

    The server may or may not have accepted such a message before the run stopped; sending it again
    could deliver it twice, so it is left for the researcher to check (and re-send with --again).
    """
    cutoff = (moment or now()) - STALE_CLAIM
    ids = select(Invitation.id).where(Invitation.wave_id == wave.id)
    count = session.execute(update(OutboxMessage).where(
        OutboxMessage.invitation_id.in_(ids), OutboxMessage.status == "sending", OutboxMessage.claimed_at <= cutoff)
        .values(status="unconfirmed", error="the sending run stopped while this message was being handed over; "
                                           "check the mail server's log")).rowcount
    session.commit()
    return count


def queued_ids(session: Session, wave: Wave) -> list[int]:
    return list(session.scalars(select(OutboxMessage.id).join(Invitation)
                                .where(Invitation.wave_id == wave.id, OutboxMessage.status == "queued")
                                .order_by(OutboxMessage.id)))


def claim(session: Session, message_id: int) -> bool:
    """Take a queued message for sending; false when another run took it first."""
    taken = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                        OutboxMessage.status == "queued")
                            .values(status="sending", claimed_at=now())).rowcount
    return taken == 1


def unqueue(session: Session, message_id: int, reason: str) -> None:
    """A claimed message that was not handed over goes back to the queue (e.g. the server refused the login)."""
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                    .values(status="queued", claimed_at=None, error=reason))
    session.commit()


def record_opt_out(session: Session, invitation: Invitation) -> bool:
    """Record the contact's wish for no more messages, and a refusal unless already completed; idempotent."""
    if session.get(MailOptOut, invitation.id) is not None:
        return False
    session.add(MailOptOut(invitation_id=invitation.id, at=now()))
    if not invitation.completed and invitation.disposition in ("invited", "started"):
        invitation.disposition = "refused"
    session.execute(update(OutboxMessage).where(OutboxMessage.invitation_id == invitation.id,
                                                OutboxMessage.status == "queued")
                    .values(status="failed", error="the contact opted out before this message was sent"))
    session.commit()
    return True
