"""Reads: look-ups and the tables the console and the exports show."""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from questionnaires import Questionnaire, loads

from .models import Answer, Draft, Edition, Invitation, Response, Wave
from .tokens import token_hash


@lru_cache(maxsize=32)
def _parse(definition: str, source: str) -> Questionnaire:
    # A pure function of the stored text: caching it keeps no state between requests.
    return loads(definition, source=source)


def questionnaire_of(edition: Edition) -> Questionnaire:
    return _parse(edition.definition, f"{edition.questionnaire_id} {edition.version}")


def invitation_by_token(session: Session, token: str) -> Invitation | None:
    return session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))


def wave_by_slug(session: Session, slug: str) -> Wave | None:
    return session.scalar(select(Wave).where(Wave.slug == slug))


def draft_of(session: Session, invitation: Invitation) -> Draft | None:
    return session.scalar(select(Draft).where(Draft.invitation_id == invitation.id))


def draft_answers(draft: Draft | None) -> dict[str, str]:
    return json.loads(draft.answers) if draft else {}


def wave_frame(session: Session, wave: Wave) -> pd.DataFrame:
    """Completed responses in the interchange format: respondent, group, language, one column per item."""
    questionnaire = questionnaire_of(wave.edition)
    columns = [item.id for item in questionnaire.answerable_items]
    responses = session.execute(
        select(Response.id, Response.panel_key, Response.group_code, Response.language)
        .where(Response.wave_id == wave.id).order_by(Response.group_code, Response.id)
    ).all()
    answers = session.execute(
        select(Answer.response_id, Answer.item_id, Answer.value)
        .join(Response, Response.id == Answer.response_id).where(Response.wave_id == wave.id)
    ).all()
    by_response: dict[str, dict[str, str]] = {}
    for response_id, item_id, value in answers:
        by_response.setdefault(response_id, {})[item_id] = value
    rows = [{"respondent": panel or "", "group": group, "language": language,
             **{item: by_response.get(rid, {}).get(item, "") for item in columns}}
            for rid, panel, group, language in responses]
    return pd.DataFrame(rows, columns=["respondent", "group", "language", *columns])
