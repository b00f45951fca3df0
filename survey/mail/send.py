"""Sending a wave's queued messages: one new link per message, throttled, each outcome recorded."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import now
from ..invitations.addresses import recipient
from ..invitations.contacts import invitation_url
from ..models import MailSettings, MailTemplate, OutboxMessage, Wave
from . import operations, verp
from .messages import KINDS, Wording, check_wording, default_wording, render, uses_deadline
from .optout import optout_url
from .queries import queued_ids
from .smtp import (
    DeliveryUncertain,
    MailConfigError,
    Mailer,
    PermanentFailure,
    TransientFailure,
    parse_smtp_url,
)

SETTINGS = {"MAIL_PER_MINUTE": 60, "MAIL_RETRIES": 3, "MAIL_RETRY_DELAY": 5.0}


def setting(name: str):
    """A mail setting from the configuration (AWARENESS_<NAME>), else its default."""
    return current_app.config.get(name, SETTINGS[name])


@dataclass
class SendReport:
    sent: int = 0
    failed: list[str] = field(default_factory=list)
    unconfirmed: list[str] = field(default_factory=list)  # the connection broke while handing them over
    stale: int = 0  # left "sending" by a run that stopped: now unconfirmed
    busy: int = 0  # still "sending": another run is handing them over, or one that stopped just now


def wording_of(session: Session, wave: Wave, kind: str, language: str) -> Wording:
    row = session.get(MailTemplate, (wave.id, kind, language))
    return Wording(row.subject, row.body) if row else default_wording(kind, language)


def deadline_of(session: Session, wave: Wave) -> date | None:
    settings = session.get(MailSettings, wave.id)
    return settings.deadline if settings else None


def check_ready(session: Session, wave: Wave, languages: tuple[str, ...]) -> list[str]:
    """What stops this wave's messages from being sent (settings, wording, deadline); empty when ready."""
    problems = []
    config = current_app.config
    try:
        parse_smtp_url(config.get("SMTP_URL"))
    except MailConfigError as error:
        problems.append(str(error))
    if "@" not in parseaddr(config.get("MAIL_FROM") or "")[1]:
        problems.append("no sender address: set AWARENESS_MAIL_FROM, e.g. 'Policy review <review@example.org>'")
    if wave.status != "open":
        problems.append(f"wave {wave.slug} is {wave.status}: open it first, or the links would not work")
    for kind in KINDS:
        for language in languages:
            wording = wording_of(session, wave, kind, language)
            problems += [f"{kind} message ({language}): {p}" for p in check_wording(wording.subject, wording.body)]
            if uses_deadline(wording) and deadline_of(session, wave) is None:
                problems.append(f"{kind} message ({language}) uses {{deadline}} but wave {wave.slug} has no "
                                "deadline: set one (--deadline YYYY-MM-DD, or on the console)")
            elif uses_deadline(wording) and deadline_of(session, wave) < now().date():
                problems.append(f"the deadline of wave {wave.slug}, {deadline_of(session, wave).isoformat()}, "
                                "has passed: messages would ask for answers by a day that has gone; set a new "
                                "one (--deadline YYYY-MM-DD, or on the console)")
    return sorted(set(problems), key=problems.index)


def build_message(session: Session, row: OutboxMessage, token: str) -> EmailMessage:
    """The e-mail of one outbox row with its personal link, in plain text and HTML."""
    invitation, config = row.invitation, current_app.config
    wave = invitation.wave
    link = invitation_url(config["BASE_URL"], token) + f"?lang={row.language}"
    rendered = render(wording_of(session, wave, row.kind, row.language), row.language,
                      name=invitation.contact_name, link=link, optout=optout_url(invitation, row.language),
                      deadline=deadline_of(session, wave), earlier_link=row.replaces_link)
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = recipient(invitation.contact_name, invitation.contact_email)
    message["Subject"] = rendered.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = row.message_id
    message["List-Unsubscribe"] = f"<{optout_url(invitation, row.language)}>"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    message["Content-Language"] = row.language  # after the parts: making them moves Content-* headers down
    return message


def _message_id() -> str:
    sender = parseaddr(current_app.config.get("MAIL_FROM") or "")[1]
    return make_msgid("awareness", domain=sender.rpartition("@")[2] or None)


def _send_one(session: Session, mailer: Mailer, row_id: int) -> tuple[str | None, str | None]:
    """Claim, give a new link, hand over and record one message: its new status (None when another run
    took it) and, unless sent, what went wrong."""
    claimed = operations.claim_with_new_link(session, row_id, _message_id())
    if claimed is None:
        return None, None
    row, token = claimed
    message = build_message(session, row, token)
    try:
        attempts = mailer.send(message, verp.return_path(row.id))
    except (PermanentFailure, TransientFailure, DeliveryUncertain) as failure:
        status = "unconfirmed" if isinstance(failure, DeliveryUncertain) else "failed"
        operations.record_outcome(session, row, status, str(failure), getattr(failure, "attempts", 1))
    except MailConfigError:
        operations.unqueue(session, row_id, "not sent: the mail server refused the settings")
        raise
    else:
        operations.record_outcome(session, row, "sent", None, attempts)
    return row.status, None if row.status == "sent" else f"{row.invitation.contact_email}: {row.error}"


def send_queued(session: Session, wave: Wave, *, progress=None, sleep=time.sleep, clock=time.monotonic,
                mailer: Mailer | None = None) -> SendReport:
    """Send every queued message of the wave, at most MAIL_PER_MINUTE a minute; MailConfigError stops it."""
    config = current_app.config
    report = SendReport(stale=operations.release_stale_claims(session, wave))
    ids = queued_ids(session, wave)
    if ids:
        mailer = mailer or Mailer(parse_smtp_url(config.get("SMTP_URL")), retries=int(setting("MAIL_RETRIES")),
                                  retry_delay=float(setting("MAIL_RETRY_DELAY")), sleep=sleep)
        interval = 60.0 / max(1, int(setting("MAIL_PER_MINUTE")))
        mailer.check()
        next_at = clock()
        try:
            for row_id in ids:
                sleep(max(0.0, next_at - clock()))
                next_at = clock() + interval
                status, problem = _send_one(session, mailer, row_id)
                if status == "sent":
                    report.sent += 1
                elif status:
                    (report.unconfirmed if status == "unconfirmed" else report.failed).append(problem)
                if progress:
                    progress(report)
        finally:
            mailer.close()
    report.busy = len(session.scalars(select(OutboxMessage.id).join(OutboxMessage.invitation).where(
        OutboxMessage.status == "sending", OutboxMessage.invitation.has(wave_id=wave.id))).all())
    return report


