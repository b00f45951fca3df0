"""Reads of invitations: the invitation a personal link opens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Invitation, InvitationLink
from .tokens import token_hash


def invitation_by_token(session: Session, token: str) -> Invitation | None:
    """The invitation of a link: the one made with it (a links CSV, the open link) or any link e-mailed for it."""
    digest = token_hash(token)
    # Two look-ups along a unique index each, rather than one OR that PostgreSQL would answer with a scan.
    return session.scalar(select(Invitation).where(Invitation.token_hash == digest)) or session.scalar(
        select(Invitation).join(InvitationLink, InvitationLink.invitation_id == Invitation.id)
        .where(InvitationLink.token_hash == digest))
