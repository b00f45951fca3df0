"""Writes of invitations: one per contact, each with its token (shown once, stored as a hash); dispositions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..db import now
from ..models import Invitation, Wave
from .tokens import new_token, token_hash


@dataclass(frozen=True)
class Contact:
    group: str
    name: str | None = None
    email: str | None = None
    organisation: str | None = None
    identifier: str | None = None


def create_invitations(session: Session, wave: Wave, contacts: list[Contact], *, via_open_link: bool = False,
                       commit: bool = False) -> list[tuple[Invitation, str]]:
    """One invitation per contact; returns each with its token (shown once, stored only as a hash).

    Committed with `commit`; otherwise part of the caller's transaction (the outbox queues a message with each).
    """
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
    if commit:
        session.commit()
    return created


@contextmanager
def invitations_kept_if_done(session: Session, wave: Wave, contacts: list[Contact]) \
        -> Iterator[list[tuple[Invitation, str]]]:
    """Invitations made for the block, which hands out their links (tokens are shown once): committed when the
    block ends normally, gone when it raises or exits, so that no invitation is kept whose link was lost."""
    created = create_invitations(session, wave, contacts)
    try:
        yield created
    except BaseException:
        session.rollback()
        raise
    session.commit()


def record_disposition(session: Session, invitation: Invitation, disposition: str) -> None:
    """A researcher's word on what became of an invitation (refused, ineligible, undeliverable, or open again)."""
    invitation.disposition = disposition
    session.commit()
