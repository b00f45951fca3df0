"""Writes of console accounts: users, passwords, login attempts and logins (sessions)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..db import OperationError, now
from ..models import AdminSession, LoginAttempt, User


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


def record_login_attempt(session: Session, email: str, address: str, at: datetime) -> LoginAttempt:
    """A login attempt, committed as a failure before any check (admin/auth.py says why)."""
    attempt = LoginAttempt(email=email, address=address, succeeded=False, at=at)
    session.add(attempt)
    session.commit()
    return attempt


def forget_login_attempt(session: Session, attempt_id: int) -> None:
    """Delete an attempt that the lockout refused: it checked no password."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))
    session.commit()


def mark_login_succeeded(session: Session, attempt_id: int) -> None:
    session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True))
    session.commit()


def start_session(session: Session, user_id: int, token_hash: str, moment: datetime, *, idle: timedelta,
                  lifetime: timedelta) -> None:
    """Store a new login begun at `moment`, and delete every login expired by then (anyone's: they open nothing)."""
    end_expired_sessions(session, moment, idle=idle, lifetime=lifetime)
    session.add(AdminSession(token_hash=token_hash, user_id=user_id, created_at=moment, last_seen=moment))
    session.commit()


def end_expired_sessions(session: Session, moment: datetime, *, idle: timedelta, lifetime: timedelta) -> None:
    """Delete the logins idle for `idle` or begun `lifetime` ago, as of `moment` (not committed)."""
    session.execute(delete(AdminSession).where(or_(
        AdminSession.created_at <= moment - lifetime,
        func.coalesce(AdminSession.last_seen, AdminSession.created_at) <= moment - idle)))


def end_session(session: Session, token_hash: str) -> None:
    """End one login on the server (logout, or expiry): a copy of its cookie opens nothing afterwards."""
    session.execute(delete(AdminSession).where(AdminSession.token_hash == token_hash))
    session.commit()


def touch_session(session: Session, token_hash: str, moment: datetime, *, unless_since: datetime) -> None:
    """Record that the login was used at `moment`, unless that was already recorded at `unless_since` or later.

    One conditional UPDATE (the caller issues it only when the time it read is older than `unless_since`), so
    that several requests or app servers at once write it once.
    """
    session.execute(update(AdminSession).where(
        AdminSession.token_hash == token_hash,
        func.coalesce(AdminSession.last_seen, AdminSession.created_at) < unless_since).values(last_seen=moment))
    session.commit()
