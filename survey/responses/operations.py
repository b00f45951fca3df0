"""Writes of responses: consent, drafts, submission, bulk stores, corrections, imports undone."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from questionnaires import Questionnaire
from questionnaires.answers import answered_share

from ..db import OperationError, now, start_of_day
from ..invitations.tokens import new_receipt, panel_key
from ..models import (
    Answer,
    BaselineCount,
    Completion,
    Draft,
    Invitation,
    Response,
    Wave,
    WaveImport,
)
from .queries import imports_of
from .records import edition_columns, record_of


def _stamp(invitation: Invitation) -> datetime:
    moment = now()
    return start_of_day(moment) if invitation.wave.mode == "anonymous" else moment


def record_consent(session: Session, invitation: Invitation, language: str) -> Draft:
    invitation.consented_at = invitation.consented_at or _stamp(invitation)
    invitation.started_at = invitation.started_at or _stamp(invitation)
    if invitation.disposition == "invited":
        invitation.disposition = "started"
    draft = session.scalar(select(Draft).where(Draft.invitation_id == invitation.id))
    if draft is None:
        draft = Draft(invitation_id=invitation.id, page=0, answers="{}", language=language,
                      updated_at=_stamp(invitation))
        session.add(draft)
    session.commit()
    return draft


# Built once: save_draft runs on every page a respondent sends, and the ORM's UPDATE (built, then matched
# against the objects in the session) cost it more than the rest of the draft's saving.
_INVITATION_PROGRESS = (update(Invitation.__table__).where(Invitation.__table__.c.id == bindparam("invitation"))
                        .values(answered=bindparam("now_answered"), progress=bindparam("now_progress")))


def save_draft(session: Session, draft: Draft, page: int, texts: dict[str, str], language: str,
               questionnaire: Questionnaire | None = None) -> None:
    """Save the respondent's answers so far, and on the invitation how much of what applies they answered
    (AAPOR's break-off rule classes an unsubmitted case by it). `questionnaire`: the wave's, when the caller has it."""
    invitation = session.get(Invitation, draft.invitation_id)
    if questionnaire is None:
        from ..waves.queries import questionnaire_of

        questionnaire = questionnaire_of(invitation.wave.edition)
    progress = int(100 * answered_share(questionnaire, texts))
    answered = any(texts.values())
    if (answered and not draft.answered) or progress != invitation.progress:
        # The invitation first, the draft after, as submit_response does: two requests of one
        # respondent never wait for each other's rows in opposite orders.
        ever_answered = answered or draft.answered
        session.connection().execute(_INVITATION_PROGRESS, {"invitation": invitation.id,
                                                            "now_answered": ever_answered, "now_progress": progress})
        # What the statement wrote, on the invitation this session holds (it is not expired on commit).
        set_committed_value(invitation, "answered", ever_answered)
        set_committed_value(invitation, "progress", progress)
    draft.page = page
    draft.answers = json.dumps(texts, ensure_ascii=False, sort_keys=True)
    draft.answered = draft.answered or any(texts.values())
    draft.language = language
    draft.updated_at = _stamp(invitation)  # to the day in anonymous waves: no time of day to match
    session.commit()


def submit_response(session: Session, invitation: Invitation, texts: dict[str, str], language: str,
                    panel_secret: str) -> str | None:
    """Store the response, mark the invitation completed and remove the draft, in one transaction.

    Returns the receipt, or None when the invitation was already completed (by
    this or a concurrent request). Two guards, both in the database: the
    conditional UPDATE lets one transaction through (writes to the row are
    serialised), and the primary key of `completions` refuses a second row.
    """
    wave = invitation.wave
    today = now().date()
    claimed = session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.completed.is_(False))
        .values(completed=True, disposition="completed", completed_on=today)
    ).rowcount
    if claimed != 1:
        session.rollback()
        return None
    try:
        session.execute(insert(Completion).values(invitation_id=invitation.id))
    except IntegrityError:
        session.rollback()
        return None
    key = None
    if wave.mode == "panel" and invitation.contact_identifier:
        key = panel_key(panel_secret, invitation.contact_identifier)
    receipt = new_receipt()
    response = Response(wave_id=wave.id, group_code=invitation.group_code, language=language,
                        submitted_on=today, panel_key=key, receipt=receipt,
                        record=record_of(texts, edition_columns(wave)))
    response.answers = [Answer(item_id=item_id, value=value) for item_id, value in texts.items()]
    session.add(response)
    session.execute(Draft.__table__.delete().where(Draft.invitation_id == invitation.id))
    session.commit()
    return receipt


def store_responses(session: Session, wave: Wave, rows: list[dict[str, str]], *, commit: bool = True,
                    import_id: int | None = None, days: list | None = None) -> int:
    """Store completed responses given in the interchange format (group, language, respondent, item ids).

    The rows must already be checked against the wave's questionnaire. `import_id` names the import
    that brought them; `days` gives each row's submission day (default today).
    """
    import pandas as pd

    from .bulk import store_frame

    stored = store_frame(session, wave, pd.DataFrame(rows), default_language="en", day=days or now().date(),
                         import_id=import_id)
    if commit:
        session.commit()
    return stored


def correct_answer(session: Session, response: Response, item_id: str, value: str) -> None:
    """Change one stored answer (a researcher's correction): the answer row and the response's record together."""
    answer = session.get(Answer, (response.id, item_id))
    if answer is None:
        session.add(Answer(response_id=response.id, item_id=item_id, value=value))
    else:
        answer.value = value
    session.flush()
    answers = dict(session.execute(select(Answer.item_id, Answer.value).where(Answer.response_id == response.id)).all())
    response.record = record_of(answers, edition_columns(session.get(Wave, response.wave_id)))
    session.commit()


def undo_import(session: Session, wave: Wave, import_id: int | None = None) -> WaveImport:
    """Remove an import (the latest unless told) with every response and count it brought, in one transaction."""
    records = imports_of(session, wave)
    record = next((r for r in records if r.id == import_id), None) if import_id else (records[-1] if records else None)
    if record is None:
        raise OperationError(f"wave {wave.slug} has no import to undo" if import_id is None
                                        else f"wave {wave.slug} has no import {import_id}")
    mine = Response.import_id == record.id
    invited = session.scalar(select(func.count()).select_from(Invitation).where(Invitation.wave_id == wave.id))
    if len(records) == 1 and not invited:
        # An import recorded before responses named their import: with no invitation, nothing else is there.
        mine = mine | Response.import_id.is_(None)
    brought = select(Response.id).where(Response.wave_id == wave.id, mine)
    session.execute(delete(Answer).where(Answer.response_id.in_(brought)))
    session.execute(delete(Response).where(Response.wave_id == wave.id, mine))
    session.execute(delete(BaselineCount).where(BaselineCount.wave_id == wave.id, (BaselineCount.import_id == record.id)
                                                | BaselineCount.import_id.is_(None)))
    session.delete(record)
    session.commit()
    return record


def store_import(session: Session, wave: Wave, record: WaveImport, rows, *, default_language: str,
                 progress=None) -> None:
    """Store an imported file's record and its rows in one transaction: a checked frame of responses
    (`progress(n)` told of respondents stored), or, when `record.kind` is "counts", a list of rows of item, code,
    group and count. OperationError, and nothing kept, when a respondent appears twice."""
    try:
        session.add(record)
        session.flush()
        if record.kind == "counts":
            _store_counts(session, wave, record, rows)
        else:
            from .bulk import store_frame  # pandas: imports only, never the respondent's pages

            store_frame(session, wave, rows, default_language=default_language, day=now().date(),
                        import_id=record.id, progress=progress)
        session.commit()
    except IntegrityError:
        # A panel key given twice that the reader let through: PostgreSQL's COPY refuses it as it
        # writes, SQLite at the commit; either way nothing is kept.
        session.rollback()
        raise OperationError("a respondent appears more than once; a panel member has one response per wave") \
            from None


def _store_counts(session: Session, wave: Wave, record: WaveImport, rows: list[dict]) -> None:
    for row in rows:
        session.add(BaselineCount(wave_id=wave.id, item_id=str(row["item"]).strip(), code=str(row["code"]).strip(),
                                  group_code=str(row.get("group") or "").strip(), count=int(float(row["count"])),
                                  import_id=record.id))


def analyze_responses(session: Session) -> None:
    """On PostgreSQL, the planner's statistics of `responses` renewed after a bulk load, as its manual advises.

    Without them a wave of a million just imported is estimated at a few thousand rows, and its reading in
    the export's order sorts on disk (2.6 s a wave) instead of walking ix_responses_export_order (0.5 s),
    until autovacuum's own ANALYZE comes round. A sample of the table: under a second at two million rows.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    try:
        session.execute(text("ANALYZE responses"))
        session.commit()
    except SQLAlchemyError:  # the import is stored already; autovacuum will renew them in its own time
        session.rollback()
