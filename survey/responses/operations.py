"""Writes: every change to the database goes through here."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from questionnaires import Questionnaire, to_yaml
from questionnaires.answers import answered_share

from ..db import forget_deleted
from ..invitations.tokens import new_receipt, new_token, panel_key, token_hash
from ..models import (
    AdminSession,
    Answer,
    Completion,
    Draft,
    Edition,
    GroupPopulation,
    Invitation,
    Response,
    User,
    Wave,
    WaveImport,
)
from .bulk import edition_columns, record_of


class OperationError(ValueError):
    """A request that cannot be carried out; the message says why."""


# A wave's name goes into links, file names and commands: matched in full (`$` would let "2018\n" in).
WAVE_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def store_edition(session: Session, questionnaire: Questionnaire) -> Edition:
    """The stored edition of this questionnaire version, stored now if new."""
    edition = session.scalar(select(Edition).where(Edition.questionnaire_id == questionnaire.id,
                                                   Edition.version == questionnaire.version))
    if edition is not None:
        if edition.fingerprint != questionnaire.fingerprint:
            raise OperationError(f"{questionnaire.id} version {questionnaire.version} is already stored with other "
                                 "content; give the changed questionnaire a new version")
        return edition
    edition = Edition(
        questionnaire_id=questionnaire.id, version=questionnaire.version, definition=to_yaml(questionnaire),
        fingerprint=questionnaire.fingerprint, created_at=now(),
        item_fingerprints=json.dumps({item.id: item.fingerprint for item in questionnaire.items}),
    )
    session.add(edition)
    session.flush()
    return edition


def create_wave(session: Session, slug: str, edition: Edition, *, mode: str = "anonymous", status: str = "draft",
                baseline: Wave | None = None, open_link: bool = False) -> Wave:
    if not WAVE_SLUG.fullmatch(slug):
        raise OperationError(f"the wave name {slug[:60]!r} must be 1 to 50 letters, digits, '.', '_' or '-', "
                             "beginning with a letter or digit")
    if session.scalar(select(Wave).where(Wave.slug == slug)) is not None:
        raise OperationError(f"a wave named {slug!r} already exists")
    wave = Wave(slug=slug, edition=edition, mode=mode, status=status, baseline=baseline, open_link=open_link,
                created_at=now())
    session.add(wave)
    session.flush()
    return wave


def set_wave_mode(session: Session, wave: Wave, mode: str) -> None:
    """Change a wave between anonymous and panel, refused once anyone has consented under the current mode.

    One conditional UPDATE: the check and the change cannot be separated by a consent in between.
    """
    if mode == wave.mode:
        return
    consented = select(Invitation.id).where(Invitation.wave_id == wave.id, Invitation.consented_at.is_not(None))
    changed = session.execute(update(Wave).where(Wave.id == wave.id, ~consented.exists())
                              .values(mode=mode)).rowcount
    if changed != 1:
        session.rollback()
        raise OperationError(f"wave {wave.slug} stays {wave.mode}: respondents have already consented "
                             f"under that mode")
    session.refresh(wave)


@dataclass(frozen=True)
class Contact:
    group: str
    name: str | None = None
    email: str | None = None
    organisation: str | None = None
    identifier: str | None = None


def create_invitations(session: Session, wave: Wave, contacts: list[Contact], *,
                       via_open_link: bool = False) -> list[tuple[Invitation, str]]:
    """One invitation per contact; returns each with its token (shown once, stored only as a hash)."""
    created = []
    for contact in contacts:
        token = new_token()
        invitation = Invitation(
            wave=wave, token_hash=token_hash(token), group_code=contact.group, contact_name=contact.name,
            contact_email=contact.email, contact_organisation=contact.organisation,
            contact_identifier=contact.identifier or contact.email, created_at=now(), via_open_link=via_open_link,
        )
        session.add(invitation)
        created.append((invitation, token))
    session.flush()
    return created


def _stamp(invitation: Invitation) -> datetime:
    moment = now()
    return _day(moment) if invitation.wave.mode == "anonymous" else moment


def record_consent(session: Session, invitation: Invitation, language: str) -> Draft:
    invitation.consented_at = invitation.consented_at or _stamp(invitation)
    invitation.started_at = invitation.started_at or _stamp(invitation)
    if invitation.disposition == "invited":
        invitation.disposition = "started"
    draft = session.scalar(select(Draft).where(Draft.invitation_id == invitation.id))
    if draft is None:
        draft = Draft(invitation_id=invitation.id, page=0, answers="{}", language=language, updated_at=now())
        session.add(draft)
    session.commit()
    return draft


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
        session.execute(update(Invitation).where(Invitation.id == draft.invitation_id)
                        .values(answered=answered or draft.answered, progress=progress))
    draft.page = page
    draft.answers = json.dumps(texts, ensure_ascii=False, sort_keys=True)
    draft.answered = draft.answered or any(texts.values())
    draft.language = language
    draft.updated_at = now()
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


def set_status(session: Session, wave: Wave, status: str) -> int:
    """Open or close a wave. Closing an anonymous wave erases the answers of every unfinished respondent.

    Those answers sit beside the invitation (name, e-mail) only so that the respondent can come
    back; once nobody can, they go, and SQLite's WAL is checkpointed so that no copy of them stays
    in its files. The command line and the console both close through here. Returns how many drafts
    were erased. A wave holding imported data is not opened: live answers would mix with it.
    """
    if status == "open" and session.scalar(select(WaveImport.id).where(WaveImport.wave_id == wave.id).limit(1)):
        raise OperationError(f"wave {wave.slug} holds imported data and cannot be opened; undo the import "
                             f"(awareness import --undo {wave.slug}) or collect in a new wave")
    wave.status = status
    erased = 0
    if status == "closed" and wave.mode == "anonymous":
        of_wave = select(Invitation.id).where(Invitation.wave_id == wave.id)
        erased = session.execute(update(Draft).where(Draft.invitation_id.in_(of_wave), Draft.answers != "{}")
                                 .values(answers="{}", language=None, updated_at=_day(now()))).rowcount
    session.commit()
    if erased:
        forget_deleted(session.get_bind())
    return erased


def create_user(session: Session, email: str, password_hash: str, role: str = "admin") -> User:
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise OperationError(f"an account for {email} already exists")
    user = User(email=email, password_hash=password_hash, role=role, created_at=now())
    session.add(user)
    session.commit()
    return user


def change_password(session: Session, email: str, password_hash: str) -> int:
    """Set a user's password and end every login of theirs; returns how many logins ended."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        raise OperationError(f"there is no account for {email}")
    user.password_hash = password_hash
    ended = session.execute(delete(AdminSession).where(AdminSession.user_id == user.id)).rowcount
    session.commit()
    return ended


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


def set_populations(session: Session, wave: Wave, sizes: dict[str, int]) -> None:
    """Replace the wave's population sizes by these."""
    session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
    for group, size in sizes.items():
        session.add(GroupPopulation(wave_id=wave.id, group_code=group, size=size))
    session.commit()


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
