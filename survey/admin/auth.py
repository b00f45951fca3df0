"""Who is logged in, what their role lets them do, and the limit on failed logins.

A login is a row in `admin_sessions`: the signed cookie carries a random token whose SHA-256 is
that row's key. Logging out deletes the row and a password change deletes all of the user's rows,
so a copied cookie stops working at once (a signed cookie alone would stay valid). A login also ends
on the server after CONSOLE_IDLE_TIMEOUT_MINUTES without a request and CONSOLE_SESSION_LIFETIME_HOURS
after it began, whatever the cookie says; its last request's time is written at most once a minute.
The writes are in accounts/operations.py.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import wraps

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash

from .. import db
from ..accounts import operations
from ..db import now
from ..invitations.tokens import new_token, token_hash
from ..models import AdminSession, LoginAttempt, User

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
# How stale the stored time of a login's last request may get before a request writes it again.
TOUCH_EVERY = timedelta(minutes=1)
# Compared against when the account does not exist, so that a wrong e-mail costs as much time as
# a wrong password and the response time does not tell which accounts exist.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128


def current_user() -> User | None:
    if "user" not in g:
        g.user = _session_user(session.get("login"))
    return g.user


def session_limits() -> tuple[timedelta, timedelta]:
    """How long a login may stay idle, and how long it may last at most (the configuration's)."""
    config = current_app.config
    return (timedelta(minutes=float(config["CONSOLE_IDLE_TIMEOUT_MINUTES"])),
            timedelta(hours=float(config["CONSOLE_SESSION_LIFETIME_HOURS"])))


def _session_user(token: str | None) -> User | None:
    if not isinstance(token, str):
        return None
    key = token_hash(token)
    row = db.session().scalar(select(AdminSession).where(AdminSession.token_hash == key))
    if row is None:
        return None
    moment, (idle, lifetime) = now(), session_limits()
    seen = row.last_seen or row.created_at
    if moment - row.created_at >= lifetime or moment - seen >= idle:
        operations.end_session(db.session(), key)
        session.pop("login", None)
        flash(f"Your session ended after {_duration(idle)} without activity. Log in again."
              if moment - seen >= idle else
              f"Your session ended: a login lasts at most {_duration(lifetime)}. Log in again.", "error")
        return None
    interval = min(TOUCH_EVERY, idle / 4)  # a short idle timeout (a test, a strict site) is still kept exactly
    if moment - seen >= interval:
        operations.touch_session(db.session(), key, moment, unless_since=moment - interval)
    return db.session().get(User, row.user_id)


def _duration(span: timedelta) -> str:
    """12 hours, 30 minutes, 1 minute, 45 seconds: in the largest unit that divides it."""
    seconds = round(span.total_seconds())
    for unit, size in (("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0 or size == 1:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    raise AssertionError("unreachable")


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
    attempt = operations.record_login_attempt(db.session(), email, address, now())
    ends = [lockout_end(_failure_times(column, value, attempt.id, attempt.at))
            for column, value in ((LoginAttempt.email, email), (LoginAttempt.address, address))]
    until = max((end for end in ends if end is not None), default=None)
    if until is not None and until > attempt.at:
        operations.forget_login_attempt(db.session(), attempt.id)
        raise LockedOut(until, until - attempt.at)
    user = db.session().scalar(select(User).where(User.email == email))
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    if valid:
        operations.mark_login_succeeded(db.session(), attempt.id)
    return user if valid else None


def log_in(user: User) -> None:
    session.clear()  # a new session: nothing from before login carries over
    token = new_token()
    idle, lifetime = session_limits()
    operations.start_session(db.session(), user.id, token_hash(token), now(), idle=idle, lifetime=lifetime)
    session["login"] = token


def log_out() -> None:
    """End this login on the server too: a copy of the cookie opens nothing afterwards."""
    token = session.pop("login", None)
    if isinstance(token, str):
        operations.end_session(db.session(), token_hash(token))
    session.clear()

