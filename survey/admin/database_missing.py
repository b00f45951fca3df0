"""The console's answer when the database has no schema yet: what to run, not an error 500."""

from __future__ import annotations

from flask import g, render_template
from sqlalchemy import inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from .. import db
from ..security import error_page
from . import bp


@bp.errorhandler(OperationalError)
@bp.errorhandler(ProgrammingError)
def database_not_set_up(error):
    """A missing table means `awareness db upgrade` was not run; any other database error is a 503 for the
    researcher (raising it again here would skip the app's handlers and become a 500)."""
    db.session().rollback()
    g.user = None  # the pages must not ask the database who is logged in
    try:
        ready = inspect(db.engine()).has_table("waves")
    except (OperationalError, ProgrammingError):
        ready = None  # the database cannot be reached: not the same as not set up
    if ready is False:
        return render_template("admin/setup_needed.html"), 503
    # The console is in English, like its other pages.
    return error_page(503, "The database is not available",
                      "The console cannot read or write the database at the moment. Nothing was changed; "
                      "try again in a minute, and check the database server if this lasts.")
