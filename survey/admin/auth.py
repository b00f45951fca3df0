"""Who is logged in, what their role lets them do, and the limit on failed logins.

A login is a row in `admin_sessions`: the signed cookie carries a random token whose SHA-256 is
that row's key. Logging out deletes the row and a password change deletes all of the user's rows,
so a copied cookie stops working at once (a signed cookie alone would stay valid).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash

from .. import db
from ..db import now
from ..invitations.tokens import new_token, token_hash
from ..models import AdminSession, LoginAttempt, User

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
# Compared against when the account does not exist, so that a wrong e-mail costs as much time as
# a wrong password and the response time does not tell which accounts exist.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128


def current_user() -> User | None:
    if "user" not in g:
        g.user = _session_user(session.get("login"))
    return g.user


def _session_user(token: str | None) -> User | None:
    if not isinstance(token, str):
        return None
    return db.session().scalar(select(User).join(AdminSession, AdminSession.user_id == User.id)
                               .where(AdminSession.token_hash == token_hash(token)))


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


class LockedOut(Exception):
    """Too many failed logins: no password is checked until `until`, `wait` after this attempt."""

    def __init__(self, until: datetime, wait: timedelta):
        super().__init__(f"locked out until {until:%H:%M:%S}")
        self.until, self.wait = until, wait

    def message(self) -> str:
        minutes = max(1, math.ceil(self.wait.total_seconds() / 60))
        return (f"Too many failed logins. Try again in {minutes} minute{'s' if minutes != 1 else ''}; "
                "attempts before then are refused and do not extend the wait.")


def _failure_times(column, value: str, attempt_id: int, moment: datetime) -> list[datetime]:
    """When the other failed logins of this account or address happened, back as far as a lockout can reach."""
    return list(db.session().scalars(select(LoginAttempt.at).where(
        column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.id != attempt_id,
        LoginAttempt.at > moment - 2 * WINDOW)))


def lockout_end(failures: list[datetime]) -> datetime | None:
    """When the latest lockout these failures caused ends: WINDOW after the failure that made MAX_FAILURES."""
    ordered = sorted(failures)
    trips = [moment for index, moment in enumerate(ordered)
             if index + 1 >= MAX_FAILURES and ordered[index + 1 - MAX_FAILURES] > moment - WINDOW]
    return trips[-1] + WINDOW if trips else None


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user if the password is right, None if wrong; LockedOut while the account or address is locked.

    The attempt is committed as a failure *before* the lockout check and the password check, so
    that concurrent guesses each see the others: of any number of simultaneous attempts at most
    MAX_FAILURES reach the password check. An attempt refused by the lockout is then deleted: it
    checked no password, so it neither counts as a failure nor extends the lockout (otherwise
    someone who keeps trying would be locked out for ever). A right password turns its row into a
    success.
    """
    attempt = LoginAttempt(email=email, address=address, succeeded=False, at=now())
    db.session().add(attempt)
    db.session().commit()
    ends = [lockout_end(_failure_times(column, value, attempt.id, attempt.at))
            for column, value in ((LoginAttempt.email, email), (LoginAttempt.address, address))]
    until = max((end for end in ends if end is not None), default=None)
    if until is not None and until > attempt.at:
        db.session().execute(delete(LoginAttempt).where(LoginAttempt.id == attempt.id))
        db.session().commit()
        raise LockedOut(until, until - attempt.at)
    user = db.session().scalar(select(User).where(User.email == email))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    if valid:
        db.session().execute(update(LoginAttempt).where(LoginAttempt.id == attempt.id).values(succeeded=True))
        db.session().commit()
    return user if valid else None


def log_in(user: User) -> None:
    session.clear()  # a new session: nothing from before login carries over
    token = new_token()
    db.session().add(AdminSession(token_hash=token_hash(token), user_id=user.id, created_at=now()))
    db.session().commit()
    session["login"] = token


def log_out() -> None:
    """End this login on the server too: a copy of the cookie opens nothing afterwards."""
    token = session.pop("login", None)
    if isinstance(token, str):
        db.session().execute(delete(AdminSession).where(AdminSession.token_hash == token_hash(token)))
        db.session().commit()
    session.clear()

