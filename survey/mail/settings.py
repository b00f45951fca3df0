"""A wave's own wording of its messages and its deadline, saved only when they can be used."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from ..db import now
from ..models import MailSettings, MailTemplate, Wave
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


class DeadlineError(ValueError):
    """A deadline that cannot be used; the message says why."""


def parse_deadline(text: str, today: date) -> date:
    """A deadline typed as YYYY-MM-DD, from today on; DeadlineError saying what is wrong otherwise."""
    text = text.strip()
    # date.fromisoformat also takes 20190331 and 2019-W13-7: only the form we ask for is accepted.
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise DeadlineError(f"{text!r} is not a date (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DeadlineError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    check_not_past(day, today)
    return day


def check_not_past(day: date, today: date) -> None:
    """A message must never ask for an answer by a day that has gone."""
    if day < today:
        raise DeadlineError(f"{day.isoformat()} is in the past (today is {today.isoformat()}): "
                            "give a deadline from today on")


def plural(count: int, singular: str, several: str | None = None) -> str:
    """'1 message', '2 messages': a count with its noun in the right number."""
    return f"{count} {singular if count == 1 else several or singular + 's'}"
