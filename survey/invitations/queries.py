"""Reads of invitations: the invitation a personal link opens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Invitation, InvitationLink, Wave
from .tokens import token_hash

# Every respondent page reads the invitation's wave (open or closed) and its edition (the questionnaire):
# loaded with the invitation, in its query, instead of two lazy loads of one row each per request.
_WITH_QUESTIONNAIRE = joinedload(Invitation.wave, innerjoin=True).joinedload(Wave.edition, innerjoin=True)


def invitation_by_token(session: Session, token: str) -> Invitation | None:
    """The invitation of a link: the one made with it (a links CSV, the open link) or any link e-mailed for it.

    Its wave and the wave's edition come with it."""
    digest = token_hash(token)
    # Two look-ups along a unique index each, rather than one OR that PostgreSQL would answer with a scan.
    return session.scalar(select(Invitation).options(_WITH_QUESTIONNAIRE).where(Invitation.token_hash == digest)) \
        or session.scalar(select(Invitation).options(_WITH_QUESTIONNAIRE)
                          .join(InvitationLink, InvitationLink.invitation_id == Invitation.id)
                          .where(InvitationLink.token_hash == digest))
