"""What a report needs from the database beyond the comparison: AAPOR response rates of each wave."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Wave
from ..monitoring.queries import wave_status
from ..waves import queries
from ..waves.queries import fieldwork


def response_rates(session: Session, baseline: Wave, current: Wave) -> dict | None:
    """AAPOR RR1 and RR2 by group (and `all`) for each wave whose personal invitations brought completed
    responses; None when neither did (open links and imported baselines have no response rate)."""
    rates = {}
    for key, wave in (("baseline", baseline), ("current", current)):
        groups = queries.questionnaire_of(wave.edition).group_codes
        rows = wave_status(session, wave, groups, {})
        if rows and rows[-1].completed:
            rates[key] = {row.group: {"invited": row.invited, "rr1": row.rates.rr1, "rr2": row.rates.rr2}
                          for row in rows}
    return rates or None


def cover(config, *, organisation: str | None = None, author: str | None = None, session: Session | None = None,
          waves: tuple[Wave, Wave] | None = None) -> dict:
    """A report's title block: organisation and author (given, else REPORT_ORGANISATION and REPORT_AUTHOR of
    the instance configuration), today's date, and each database wave's fieldwork."""
    from datetime import UTC, datetime

    made = {"organisation": organisation or config.get("REPORT_ORGANISATION"),
            "author": author or config.get("REPORT_AUTHOR"), "date": datetime.now(UTC).date().isoformat(),
            # The AAPOR disclosure's sponsor and conductor (analysis/report/disclosure.py).
            "sponsor": config.get("REPORT_SPONSOR"), "conductor": config.get("REPORT_CONDUCTOR")}
    if waves is not None and session is not None:
        made["fieldwork"] = {key: fieldwork(session, wave) for key, wave in zip(("baseline", "current"), waves,
                                                                               strict=True)}
    return made
