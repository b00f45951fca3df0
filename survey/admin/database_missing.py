"""The console's answer when the database has no schema yet: what to run, not an error 500."""

from __future__ import annotations

from flask import g, render_template
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from .. import db
from . import bp


@bp.errorhandler(OperationalError)
@bp.errorhandler(ProgrammingError)
def database_not_set_up(error):
    """A missing table means `awareness db upgrade` was not run; any other database error stays an error."""
    db.session().rollback()
    try:
        ready = inspect(db.engine()).has_table("waves")
    except (OperationalError, ProgrammingError):
        ready = False
    if ready:
        raise error
    g.user = None  # the page must not ask the database who is logged in
    return render_template("admin/setup_needed.html"), 503
