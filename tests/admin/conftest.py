"""Fixtures of the console's tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from survey.admin import auth

START = datetime(2027, 3, 1, 9, 0, 0)


class Clock:
    """The console's idea of now (`survey.admin.auth.now`), moved by hand: lockouts and session lifetimes are
    tested minute by minute."""

    def __init__(self):
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment

    def at(self, minutes: float) -> Clock:
        self.moment = START + timedelta(minutes=minutes)
        return self


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(auth, "now", clock)
    return clock
