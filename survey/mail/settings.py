"""A deadline as typed, checked; counts in words. Saving a wave's wording and deadline: operations.py."""

from __future__ import annotations

import re
from datetime import date


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
