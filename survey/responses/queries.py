"""Reads of responses: a respondent's draft, and a wave's stored responses as the interchange frame."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Draft, Invitation, Wave, WaveImport
from ..waves.queries import questionnaire_of


def draft_of(session: Session, invitation: Invitation) -> Draft | None:
    return session.scalar(select(Draft).where(Draft.invitation_id == invitation.id))


def draft_answers(draft: Draft | None) -> dict[str, str]:
    return json.loads(draft.answers) if draft else {}


def wave_frame(session: Session, wave: Wave, *, categorical: bool = False, with_sha256: bool = False):
    """Completed responses in the interchange format: respondent, group, language, one column per item.

    `categorical`: item columns may be pandas categoricals (for the analysis), else text.
    `with_sha256`: (frame, SHA-256 of `awareness export WAVE --format csv`), which a comparison records
    so that a reviewer handed the export can match it.
    """
    from ..responses import bulk  # pandas and the analysis: not imported by those who only find a wave

    columns = [item.id for item in questionnaire_of(wave.edition).answerable_items]
    return bulk.wave_frame(session, wave, columns, categorical=categorical, with_sha256=with_sha256)


def imports_of(session: Session, wave: Wave) -> list[WaveImport]:
    """The wave's imports, oldest first."""
    return list(session.scalars(select(WaveImport).where(WaveImport.wave_id == wave.id).order_by(WaveImport.id)))
