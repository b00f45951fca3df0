"""Reads of mail: which invitations may be mailed, which messages wait, why a contact is due no reminder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from ..models import Invitation, MailOptOut, OutboxMessage, Wave
from .settings import plural

NOT_TO_BE_MAILED = ("completed", "refused", "undeliverable", "ineligible")
# Why a contact is due no reminder, in the order they are checked and said ("recent" is said with the days).
REASONS = ("completed", "opted out", "refused", "bounced (undeliverable)", "ineligible", "without an e-mail address",
           "with a message waiting to be sent (mail send)", "whose invitation failed (mail send --retry-failed)",
           "not yet invited by e-mail (mail invite)", "recent")


def mailable(wave: Wave):
    """Invitations of the wave that may receive a message: an address, not done, no refusal, no opt-out."""
    opted_out = exists().where(MailOptOut.invitation_id == Invitation.id)
    return (select(Invitation).where(Invitation.wave_id == wave.id, Invitation.contact_email.is_not(None),
                                     Invitation.contact_email != "", Invitation.completed.is_(False),
                                     Invitation.disposition.not_in(NOT_TO_BE_MAILED), ~opted_out,
                                     Invitation.bounced.is_(False))
            .order_by(Invitation.id))


def has_message(kind: str | None = None, statuses: tuple[str, ...] | None = None):
    """A condition on an invitation: it has a message (of this kind, in one of these statuses)."""
    conditions = [OutboxMessage.invitation_id == Invitation.id]
    if kind:
        conditions.append(OutboxMessage.kind == kind)
    if statuses:
        conditions.append(OutboxMessage.status.in_(statuses))
    return exists().where(and_(*conditions))


def with_last_language(statement):
    """The statement's invitations, each with the language of its latest message (None before any), in one query."""
    latest = (select(OutboxMessage.language).where(OutboxMessage.invitation_id == Invitation.id)
              .order_by(OutboxMessage.id.desc()).limit(1).correlate(Invitation).scalar_subquery())
    return statement.add_columns(latest)


def queued_ids(session: Session, wave: Wave) -> list[int]:
    return list(session.scalars(select(OutboxMessage.id).join(Invitation)
                                .where(Invitation.wave_id == wave.id, OutboxMessage.status == "queued")
                                .order_by(OutboxMessage.id)))


def sent_before(session: Session, row: OutboxMessage) -> bool:
    """Whether another message of the invitation was sent: only then does this one speak of an earlier link."""
    return session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.invitation_id == row.invitation_id, OutboxMessage.id != row.id,
        OutboxMessage.status == "sent").limit(1)) is not None


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
