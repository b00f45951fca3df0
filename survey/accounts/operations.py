"""Writes of console accounts."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..db import OperationError, now
from ..models import AdminSession, User


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
