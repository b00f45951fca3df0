"""Reads of the demo: whether a second run finds its admin already there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import User
from .fieldwork import DEMO_ADMIN


def admin_exists(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.email == DEMO_ADMIN)) is not None
