"""Writes of waves: editions stored, waves created, opened, closed and changed, their population sizes, the
crosswalk to the baseline edition and the researcher's confirmations."""

from __future__ import annotations

import json
import re

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from questionnaires import Questionnaire, to_yaml

from ..db import OperationError, forget_deleted, now, start_of_day
from ..models import Draft, Edition, GroupPopulation, Invitation, ItemLink, Wave, WaveImport

# A wave's name goes into links, file names and commands: matched in full (`$` would let "2018\n" in).
WAVE_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}")


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
                baseline: Wave | None = None, open_link: bool = False, commit: bool = False) -> Wave:
    """A new wave (OperationError, nothing added, when the name is not one or is taken); committed with `commit`,
    with what the caller added before it (such as the edition it uses), else part of the caller's transaction."""
    if not WAVE_SLUG.fullmatch(slug):
        raise OperationError(f"the wave name {slug[:60]!r} must be 1 to 50 letters, digits, '.', '_' or '-', "
                             "beginning with a letter or digit")
    if session.scalar(select(Wave).where(Wave.slug == slug)) is not None:
        raise OperationError(f"a wave named {slug!r} already exists")
    wave = Wave(slug=slug, edition=edition, mode=mode, status=status, baseline=baseline, open_link=open_link,
                created_at=now(), closed_at=now() if status == "closed" else None)
    session.add(wave)
    session.flush()
    if commit:
        session.commit()
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


def change_settings(session: Session, wave: Wave, *, mode: str, baseline: Wave | None, open_link: bool) -> None:
    """A wave's mode (OperationError, nothing changed, once anyone consented under the current one), baseline
    wave and open link, saved together."""
    set_wave_mode(session, wave, mode)
    wave.baseline = baseline
    wave.open_link = open_link
    session.commit()


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
    if status != wave.status:  # closing again keeps the first time: opt-out links expire counting from it
        wave.closed_at = now() if status == "closed" else None
    wave.status = status
    erased = 0
    if status == "closed" and wave.mode == "anonymous":
        of_wave = select(Invitation.id).where(Invitation.wave_id == wave.id)
        erased = session.execute(update(Draft).where(Draft.invitation_id.in_(of_wave), Draft.answers != "{}")
                                 .values(answers="{}", language=None, updated_at=start_of_day(now()))).rowcount
    session.commit()
    if erased:
        forget_deleted(session.get_bind())
    return erased


def set_populations(session: Session, wave: Wave, sizes: dict[str, int]) -> None:
    """Replace the wave's population sizes by these."""
    session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
    for group, size in sizes.items():
        session.add(GroupPopulation(wave_id=wave.id, group_code=group, size=size))
    session.commit()


def save_crosswalk(session: Session, wave: Wave, links: list[tuple[str, str, dict[str, str]]]) -> None:
    """Replace the wave's crosswalk by these links (baseline id, current id, code map), each unconfirmed;
    crosswalk.parse_crosswalk reads them from a file."""
    session.execute(delete(ItemLink).where(ItemLink.wave_id == wave.id))
    for old, new, codes in links:
        session.add(ItemLink(wave_id=wave.id, item_id=new, baseline_item_id=old, code_map=json.dumps(codes),
                             confirmed=False))
    session.commit()


def confirm_item(session: Session, wave: Wave, item_id: str, comparable: bool = True) -> None:
    """Record the researcher's word that a changed item is comparable (or no longer)."""
    link = session.get(ItemLink, (wave.id, item_id))
    if link is None:
        link = ItemLink(wave_id=wave.id, item_id=item_id, baseline_item_id=item_id, code_map="{}")
        session.add(link)
    link.confirmed = comparable
    session.commit()
