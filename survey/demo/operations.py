"""Writes of the demo: its waves with their invitations, dispositions, responses and population sizes, the
admin, the personal links of the open wave. The demo's own writes (dispositions, completions, broken-off pages,
the fieldwork's dates) are committed here; the waves, invitations, responses and accounts are made by their
packages' operations."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from questionnaires import Questionnaire

from ..models import Completion, Draft, Edition, Invitation, Wave
from . import queries
from .fieldwork import (
    DEMO_ADMIN,
    DEMO_WAVES,
    OPEN_WAVE,
    fieldwork_days,
    fieldwork_start,
    opened_and_closed,
    response_rate,
)

FIRST_PAGE = {"heard_policy": "yes"}  # what the invitations broken off after the first page answered


@dataclass
class Demo:
    """What `prepare_demo` did: the bundled questionnaire, whether it made the waves (or found them made), the
    personal links of the open wave as (group code, token) when it made them, the admin's password when it made
    the admin."""
    questionnaire: Questionnaire
    made: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)
    admin_password: str | None = None


def prepare_demo(session: Session) -> Demo:
    """Make the demo's waves, those not made yet, each the next one's baseline, and the admin; a second run
    reuses them unchanged (its response rates stay as they were)."""
    from questionnaires import load
    from questionnaires.library import BUNDLED_INSTRUMENT

    from ..invitations.operations import Contact, create_invitations
    from ..waves.operations import store_edition
    from ..waves.queries import wave_by_slug

    demo = Demo(load(BUNDLED_INSTRUMENT))
    edition = store_edition(session, demo.questionnaire)
    waves, previous = {}, None
    for slug, status, count, seed in DEMO_WAVES:
        wave = wave_by_slug(session, slug)
        if wave is None:
            wave = _demo_wave(session, demo.questionnaire, edition, (slug, status, count, seed), previous)
            demo.made = True
        waves[slug] = previous = wave
    demo.admin_password = _admin(session)
    if demo.made:  # tokens are stored only as hashes: the links exist once, when the demo is made
        created = create_invitations(session, waves[OPEN_WAVE],
                                     [Contact(group=code) for code in demo.questionnaire.group_codes], commit=True)
        demo.links = [(invitation.group_code, token) for invitation, token in created]
    return demo


def _admin(session: Session) -> str | None:
    """Create the demo admin once, with a new password (returned); None when it exists."""
    import secrets

    from werkzeug.security import generate_password_hash

    from ..accounts.operations import create_user

    if queries.admin_exists(session):
        return None
    password = secrets.token_urlsafe(12)
    create_user(session, DEMO_ADMIN, generate_password_hash(password), "admin")
    return password


def _demo_wave(session: Session, questionnaire: Questionnaire, edition: Edition, plan: tuple, baseline) -> Wave:
    """A wave with synthetic responses, their invitations and dispositions, and the groups' population sizes."""
    import numpy as np

    from analysis.synthetic import DEMO_AWARENESS, synthetic_wave

    from ..responses.operations import store_responses
    from ..waves.operations import create_wave, set_populations, set_status

    slug, status, count, seed = plan
    wave = create_wave(session, slug, edition, status="open", baseline=baseline, open_link=slug == OPEN_WAVE)
    rng = np.random.default_rng(seed)
    frame = synthetic_wave(questionnaire, count, awareness=DEMO_AWARENESS[slug], seed=seed)
    rows = frame.fillna("").astype(str).to_dict("records")
    days_of_rows: list = [None] * len(rows)
    sizes = {}
    for group in questionnaire.group_codes:
        positions = [number for number, row in enumerate(rows) if row["group"] == group]
        days = fieldwork_days(rng, len(positions), fieldwork_start(slug))
        for position, day in zip(positions, rng.permutation(days), strict=True):
            days_of_rows[position] = day
        _invitations_for(session, wave, group, days, days[0] if days else fieldwork_start(slug))
        sizes[group] = round(len(positions) / response_rate(group) * 1.2)
    store_responses(session, wave, rows, days=days_of_rows, commit=False)
    session.commit()  # the wave, its invitations and dispositions and its responses, in one transaction
    if status != "open":  # closed as a researcher would: the broken-off answers of an anonymous wave go
        set_status(session, wave, status)
    set_populations(session, wave, sizes)
    wave.created_at, closed_at = opened_and_closed(fieldwork_start(slug), status)
    if closed_at is not None:
        wave.closed_at = closed_at
    session.commit()  # the fieldwork's dates, over those of the operations just run
    return wave


def _invitations_for(session: Session, wave: Wave, group: str, days: list[date], start: date) -> None:
    """The invitations of one group: one completed per response (on its day), and those that were not
    (broken off after the first page, refused, never answered); committed with the wave's responses."""
    from ..invitations.operations import Contact, create_invitations

    completes = len(days)
    invited = max(completes, round(completes / response_rate(group)))
    others = invited - completes
    partial, refused = round(others * 0.15), round(others * 0.2)
    invitations = [invitation for invitation, _token in
                   create_invitations(session, wave, [Contact(group=group)] * invited)]
    for invitation, day in zip(invitations, days, strict=False):
        invitation.consented_at = invitation.started_at = datetime(day.year, day.month, day.day)  # to the day
        invitation.completed, invitation.disposition, invitation.completed_on = True, "completed", day
    broken_off = invitations[completes:completes + partial]
    _broken_off_after_the_first_page(wave, broken_off, datetime(start.year, start.month, start.day))
    for invitation in invitations[completes + partial:completes + partial + refused]:
        invitation.disposition = "refused"
    session.flush()
    session.add_all(Completion(invitation_id=invitation.id) for invitation in invitations[:completes])
    # AAPOR's rule makes them break-offs (a few % of the questions answered), with the first page as a draft.
    session.add_all(Draft(invitation_id=invitation.id, page=1, answers=json.dumps(FIRST_PAGE), answered=True,
                          language="en", updated_at=invitation.started_at) for invitation in broken_off)


def _broken_off_after_the_first_page(wave: Wave, invitations: list[Invitation], moment: datetime) -> None:
    from questionnaires.answers import answered_share

    from ..waves.queries import questionnaire_of

    progress = int(100 * answered_share(questionnaire_of(wave.edition), FIRST_PAGE))
    for invitation in invitations:
        invitation.consented_at = invitation.started_at = moment
        invitation.disposition, invitation.answered, invitation.progress = "started", True, progress
