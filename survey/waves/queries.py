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


def fieldwork_days(session: Session, wave: Wave) -> tuple[date | None, date | None]:
    """The days of the wave's first and last response (None, None before any)."""
    from sqlalchemy import func

    return tuple(session.execute(select(func.min(Response.submitted_on), func.max(Response.submitted_on))
                                 .where(Response.wave_id == wave.id)).one())


def fieldwork(session: Session, wave: Wave) -> dict:
    """The days of a wave's first and last response, and whether it is still open (its report provisional)."""
    first, last = fieldwork_days(session, wave)
    return {"first": first.isoformat() if first else None, "last": last.isoformat() if last else None,
            "open": wave.status == "open"}


def ddi_study(session: Session, wave: Wave):
    """The wave as the DDI codebook describes it: slug, mode and the days of its first and last responses."""
    from ..exports.ddi import Study

    first, last = fieldwork_days(session, wave)
    return Study(wave=wave.slug, mode=wave.mode, first_day=first, last_day=last)


def stored_population(session: Session, wave: Wave) -> dict[str, int]:
    """The population sizes stored with a wave: group -> size (empty when none are stored)."""
    rows = session.scalars(select(GroupPopulation).where(GroupPopulation.wave_id == wave.id)).all()
    return {row.group_code: row.size for row in rows}
