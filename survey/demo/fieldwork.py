"""The demo's plan, without the database: its waves, each group's response rate, the days of fieldwork.

Every synthetic response comes with the invitation it answered, over six weeks of fieldwork in February and
March of the wave's year (the 2018 wave's responses are dated 2018, so a report's title block is coherent),
beside invitations refused, broken off or never answered, so that the monitoring's counts and AAPOR rates agree
with the responses.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

DEMO_ADMIN = "admin@example.org"
# Share of invitations completed, by group: ministries answer more readily than employers.
DEMO_RESPONSE_RATE = {"government": 0.75, "employers": 0.5, "workers": 0.6, "civil_society": 0.7,
                      "development_partners": 0.8}
FIELDWORK_DAYS = 42
# (slug, status, respondents, seed): one round a year, each fielded in its year; the last is still open.
DEMO_WAVES = (("2015", "closed", 130, 15), ("2016", "closed", 140, 29), ("2017", "closed", 150, 17),
              ("2018", "open", 170, 18))
OPEN_WAVE = DEMO_WAVES[-1][0]


def response_rate(group: str) -> float:
    return DEMO_RESPONSE_RATE.get(group, 0.6)


def fieldwork_start(slug: str) -> date:
    """The first day of a wave's six weeks: the first Monday of February of its year, for the open wave too (a
    2018 round fielded in 2018: the report's title block says "from 5 February 2018, still open")."""
    year = int(slug)
    return date(year, 2, 1) + timedelta(days=(7 - date(year, 2, 1).weekday()) % 7)


def opened_and_closed(start: date, status: str) -> tuple[datetime, datetime | None]:
    """The wave opened on its first day of fieldwork and, if closed, closed the day after its six weeks."""
    end = start + timedelta(days=FIELDWORK_DAYS)
    return (datetime(start.year, start.month, start.day, 8),
            None if status == "open" else datetime(end.year, end.month, end.day, 8))


def fieldwork_days(rng, count: int, start: date) -> list[date]:
    """Completion days over six weeks from `start`: most early, more after a reminder."""
    early = rng.gamma(1.6, 5.0, size=count)
    reminded = 21 + rng.gamma(1.4, 4.0, size=count)  # the reminder at three weeks brings a second wave
    offsets = [min(FIELDWORK_DAYS - 1, int(e if r < 0.7 else m))
               for e, m, r in zip(early, reminded, rng.random(count), strict=True)]
    return sorted(start + timedelta(days=offset) for offset in offsets)
