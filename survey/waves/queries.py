"""Reads: look-ups and the tables the console and the exports show."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from questionnaires import Questionnaire, loads

from ..models import Edition, GroupPopulation, Response, Wave


@lru_cache(maxsize=32)
def _parse(definition: str, source: str) -> Questionnaire:
    # A pure function of the stored text: caching it keeps no state between requests.
    return loads(definition, source=source)


def questionnaire_of(edition: Edition) -> Questionnaire:
    return _parse(edition.definition, f"{edition.questionnaire_id} {edition.version}")


def receipt_day(session: Session, receipt: str) -> date | None:
    """The day the response with this receipt was submitted; None when there is none."""
    return session.scalar(select(Response.submitted_on).where(Response.receipt == receipt))


def wave_by_slug(session: Session, slug: str) -> Wave | None:
    return session.scalar(select(Wave).where(Wave.slug == slug))


def ddi_study(session: Session, wave: Wave):
    """The wave as the DDI codebook describes it: slug, mode and the days of its first and last responses."""
    from sqlalchemy import func

    from ..exports.ddi import Study
    from ..models import Response

    first, last = session.execute(select(func.min(Response.submitted_on), func.max(Response.submitted_on))
                                  .where(Response.wave_id == wave.id)).one()
    return Study(wave=wave.slug, mode=wave.mode, first_day=first, last_day=last)


def stored_population(session: Session, wave: Wave) -> dict[str, int]:
    """The population sizes stored with a wave: group -> size (empty when none are stored)."""
    rows = session.scalars(select(GroupPopulation).where(GroupPopulation.wave_id == wave.id)).all()
    return {row.group_code: row.size for row in rows}
