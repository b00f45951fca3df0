"""A wave's own wording of its messages and its deadline, saved only when they can be used."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from ..models import MailSettings, MailTemplate, Wave
from ..operations import now
from .messages import check_wording


def save_wording(session: Session, wave: Wave, kind: str, language: str, subject: str, body: str) -> list[str]:
    """Save the wording, or change nothing and return every problem."""
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
    settings = session.get(MailSettings, wave.id)
    if settings is None:
        settings = MailSettings(wave_id=wave.id)
        session.add(settings)
    settings.deadline = deadline
    session.commit()
