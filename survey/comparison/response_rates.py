"""What a report needs from the database beyond the comparison: AAPOR response rates of each wave."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import Wave
from ..monitoring.queries import wave_status
from ..waves import queries


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
