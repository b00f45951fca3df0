"""Reads: look-ups and the tables the console and the exports show."""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from questionnaires import Questionnaire, loads

from ..invitations.tokens import token_hash
from ..models import Draft, Edition, Invitation, InvitationLink, Response, Wave


@lru_cache(maxsize=32)
def _parse(definition: str, source: str) -> Questionnaire:
    # A pure function of the stored text: caching it keeps no state between requests.
    return loads(definition, source=source)


def questionnaire_of(edition: Edition) -> Questionnaire:
    return _parse(edition.definition, f"{edition.questionnaire_id} {edition.version}")


def invitation_by_token(session: Session, token: str) -> Invitation | None:
    """The invitation of a link: the one made with it (a links CSV, the open link) or any link e-mailed for it."""
    digest = token_hash(token)
    # Two look-ups along a unique index each, rather than one OR that PostgreSQL would answer with a scan.
    return session.scalar(select(Invitation).where(Invitation.token_hash == digest)) or session.scalar(
        select(Invitation).join(InvitationLink, InvitationLink.invitation_id == Invitation.id)
        .where(InvitationLink.token_hash == digest))


def receipt_day(session: Session, receipt: str) -> date | None:
    """The day the response with this receipt was submitted; None when there is none."""
    return session.scalar(select(Response.submitted_on).where(Response.receipt == receipt))


def wave_by_slug(session: Session, slug: str) -> Wave | None:
    return session.scalar(select(Wave).where(Wave.slug == slug))


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


def ddi_study(session: Session, wave: Wave):
    """The wave as the DDI codebook describes it: slug, mode and the days of its first and last responses."""
    from sqlalchemy import func

    from ..exports.ddi import Study
    from ..models import Response

    first, last = session.execute(select(func.min(Response.submitted_on), func.max(Response.submitted_on))
                                  .where(Response.wave_id == wave.id)).one()
    return Study(wave=wave.slug, mode=wave.mode, first_day=first, last_day=last)
