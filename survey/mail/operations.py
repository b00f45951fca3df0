"""Writes of mail, the only commits of the package: the outbox (every message is recorded, queued, before it is
sent, and claimed once before it is handed over), each message's outcome, a wave's wording and deadline,
bounces and opt-outs. Reads are in queries.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from ..db import now
from ..invitations.operations import Contact, create_invitations
from ..invitations.tokens import new_token, token_hash
from ..models import Invitation, InvitationLink, MailOptOut, MailSettings, MailTemplate, OutboxMessage, Wave
from .bounces import BounceReport, Failure, bounced_rows, read_bounces
from .messages import check_wording
from .queries import has_message, mailable, reasons_not_reminded, sent_before, with_last_language

# A message still "sending" this long after it was claimed belongs to a run that stopped half way.
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class Queued:
    """What a request to send added to the outbox."""

    queued: int = 0
    skipped: list[str] = field(default_factory=list)
    not_due: list[str] = field(default_factory=list)  # reminders: why the other contacts got none


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
                for invitation in session.scalars(mailable(wave).where(~has_message("invitation")))]
    _queue_all(session, messages)
    session.commit()
    return Queued(queued=len(messages))


def queue_again(session: Session, wave: Wave, addresses: list[str], default_language: str) -> Queued:
    """The invitation sent again to these addresses, each with a new link (the old ones keep working)."""
    result = Queued()
    for address in addresses:
        found = session.execute(with_last_language(
            mailable(wave).where(func.lower(Invitation.contact_email) == address.lower()))).all()
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
    waiting = has_message(None, ("queued", "sending"))
    mailable_ids = mailable(wave).where(~waiting).with_only_columns(Invitation.id).order_by(None)
    latest = (select(func.max(OutboxMessage.id)).where(OutboxMessage.invitation_id == Invitation.id)
              .correlate(Invitation).scalar_subquery())
    ids = list(session.scalars(select(OutboxMessage.id).join(Invitation, OutboxMessage.invitation_id == Invitation.id)
                               .where(Invitation.id.in_(mailable_ids), OutboxMessage.id == latest,
                                      OutboxMessage.status == "failed")))
    queued = session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == "failed")
                             .values(status="queued", claimed_at=None, error=None)).rowcount if ids else 0
    session.commit()
    return Queued(queued=queued)


def queue_reminders(session: Session, wave: Wave, after_days: int, default_language: str) -> Queued:
    """A reminder for each invitation not completed whose last message was sent `after_days` or more ago.

    Uses only whether an invitation completed, refused, bounced or opted out: never an answer.
    """
    cutoff = now() - timedelta(days=after_days)
    last_sent = (select(func.max(OutboxMessage.sent_at)).where(OutboxMessage.invitation_id == Invitation.id,
                                                               OutboxMessage.status == "sent")
                 .scalar_subquery())
    candidates = mailable(wave).where(has_message("invitation", ("sent",)),
                                      ~has_message(None, ("queued", "sending")), last_sent <= cutoff)
    not_due = reasons_not_reminded(session, wave, after_days, cutoff)
    # The reminder carries a new link too (the token of the first message exists only as a hash); the first
    # keeps working.
    messages = [_message(invitation.id, "reminder", language or default_language)
                for invitation, language in session.execute(with_last_language(candidates)).all()]
    _queue_all(session, messages)
    session.commit()
    return Queued(queued=len(messages), not_due=not_due)


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


def claim(session: Session, message_id: int) -> bool:
    """Take a queued message for sending (committed by the caller's next write); false when another run took it
    first."""
    taken = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                        OutboxMessage.status == "queued")
                            .values(status="sending", claimed_at=now())).rowcount
    return taken == 1


def claim_with_new_link(session: Session, message_id: int, header_id: str) -> tuple[OutboxMessage, str] | None:
    """Claim a queued message and give it a new link (its token returned, stored as a hash) and its Message-ID
    `header_id`; None when another run took it first.

    The claim and the new link are committed before the message leaves: after a crash the database never
    lacks the token that a delivered message carries. The link is added to the invitation's links: the ones
    sent before keep working.
    """
    if not claim(session, message_id):
        return None
    row = session.get(OutboxMessage, message_id)
    session.refresh(row)
    token = new_token()
    session.add(InvitationLink(token_hash=token_hash(token), invitation_id=row.invitation_id))
    row.replaces_link = sent_before(session, row)
    row.message_id = header_id
    session.commit()
    return row, token


def record_outcome(session: Session, row: OutboxMessage, status: str, error: str | None, attempts: int) -> None:
    """What became of a claimed message: "sent" (now), "failed" or "unconfirmed" (with what went wrong)."""
    row.status, row.error, row.attempts = status, error, attempts
    if status == "sent":
        row.sent_at = now()
    session.commit()


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


def save_wording(session: Session, wave: Wave, kind: str, language: str, subject: str, body: str) -> list[str]:
    """Save a wave's own wording of a message, or change nothing and return every problem."""
    body = body.replace("\r\n", "\n").strip()
    problems = check_wording(subject, body)
    if problems:
        return problems
    row = session.get(MailTemplate, (wave.id, kind, language))
    if row is None:
        row = MailTemplate(wave_id=wave.id, kind=kind, language=language)
        session.add(row)
    row.subject, row.body, row.updated_at = subject.strip(), body, now()
    session.commit()
    return []


def reset_wording(session: Session, wave: Wave, kind: str, language: str) -> None:
    """Back to the built-in wording."""
    row = session.get(MailTemplate, (wave.id, kind, language))
    if row is not None:
        session.delete(row)
        session.commit()


def save_deadline(session: Session, wave: Wave, deadline: date | None) -> None:
    """The day a wave's messages ask for answers by (settings.parse_deadline checks what a user typed)."""
    settings = session.get(MailSettings, wave.id)
    if settings is None:
        settings = MailSettings(wave_id=wave.id)
        session.add(settings)
    settings.deadline = deadline
    session.commit()


def mark_bounced(message: OutboxMessage) -> None:
    """The message bounced, and so its contact: the invitation's flag is what the monitoring counts."""
    message.bounced_at = now()
    message.invitation.bounced = True


def apply_failures(session: Session, failures: list[Failure], report: BounceReport) -> None:
    """Mark each invitation a failure is about undeliverable once (unless it completed), and its message bounced.

    Counts invitations, not messages nor reports: several reports about one invitation (its invitation
    and its reminder, or the same report twice in the file) mark it once. Committed by import_bounces.
    """
    seen: set[int] = set()
    for failure in failures:
        rows = bounced_rows(session, failure)
        if not rows:
            report.unmatched.append(f"{failure.source}: {failure.recipient} ({failure.status or 'failed'}): "
                                    "names no message we sent (neither our return path nor one of our "
                                    "Message-IDs): ignored")
            continue
        for row in rows:
            if row.invitation_id in seen:
                if row.bounced_at is None:
                    mark_bounced(row)  # another message of an invitation marked by this file
                continue
            seen.add(row.invitation_id)
            if row.invitation.bounced:  # by an earlier file
                report.already += 1
                continue
            mark_bounced(row)
            invitation = row.invitation
            if not invitation.completed and invitation.disposition in ("invited", "started"):
                invitation.disposition = "undeliverable"
            report.marked.append(f"{failure.recipient} (wave {invitation.wave.slug}, {failure.status or 'failed'})")


def import_bounces(session: Session, path: Path) -> BounceReport:
    """Read every report in the mailbox first (bounces.MailboxError when it cannot be read), then apply them all
    in one transaction."""
    report, failures = read_bounces(path)
    apply_failures(session, failures, report)
    session.commit()
    return report
