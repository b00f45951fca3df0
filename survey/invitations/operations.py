"""Writes of invitations: one per contact, each with its token (shown once, stored as a hash)."""

from __future__ import annotations

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
