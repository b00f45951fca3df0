"""Who is logged in, what their role lets them do, and the limit on failed logins."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash

from .. import db
from ..models import LoginAttempt, User
from ..operations import now

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
# Compared against when the account does not exist, so that a wrong e-mail costs as much time as
# a wrong password and the response time does not tell which accounts exist.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128


def current_user() -> User | None:
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = db.session().get(User, user_id) if user_id else None
    return g.user


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("admin.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    """Admin-only actions: changing waves, invitations, contacts. Analysts get 403."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user().role != "admin":
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def too_many_failures(email: str, address: str) -> bool:
    since = now() - WINDOW
    failures = db.session().scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since,
            or_(LoginAttempt.email == email, LoginAttempt.address == address)))
    return failures >= MAX_FAILURES


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user if the password is right; every attempt is recorded."""
    user = db.session().scalar(select(User).where(User.email == email))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    db.session().add(LoginAttempt(email=email, address=address, succeeded=valid, at=now()))
    db.session().commit()
    return user if valid else None


def log_in(user: User) -> None:
    session.clear()  # a new session: nothing from before login carries over
    session["user_id"] = user.id


def log_out() -> None:
    session.pop("user_id", None)
