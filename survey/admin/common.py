"""What every page family of the console shares: its template context, the wave of a URL, uploads and downloads."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Response, abort, current_app, flash, url_for

from .. import db
from ..comparison.errors import DatabaseUnavailable, WaveNotFound
from ..models import Wave
from ..security import error_page
from ..waves import queries
from . import bp
from .auth import (
    current_user,
)
from .forms import UploadForm


@bp.context_processor
def console_context():
    # The console is in English (its pages have no language switch), whatever a respondent page chose.
    return {"user": current_user(), "lang": "en"}


@bp.errorhandler(WaveNotFound)
def wave_not_found(error: WaveNotFound):
    """A comparison or trend of a wave that does not exist (`comparison.queries.wave_named`)."""
    return error_page(404, "No such wave", f"There is no wave named {error.slug!r} (waves: "
                                           f"{', '.join(error.known) or 'none yet'}).")


@bp.errorhandler(ValueError)
def refused(error: ValueError):
    """What the waves cannot give as asked on the compare and trend pages and their downloads (e.g. weighting
    ticked while the sizes stored with the wave do not fit its respondents), `analysis.errors.InputError`: the
    reasons on a page, as the command line prints them, not a server error. (The import page catches its own, to
    list the file's problems.) Registered for its base class, ValueError, so that create_app() and the respondent's
    pages import nothing of `analysis` (tests/test_architecture.py); any other ValueError stays a server error."""
    from analysis.errors import InputError  # already loaded when one was raised

    if not isinstance(error, InputError):
        raise error
    shown = error.problems[:10]
    more = f" ({len(error.problems) - len(shown)} more)" if len(error.problems) > len(shown) else ""
    return error_page(422, "These waves cannot be compared as asked",
                      "; ".join(shown) + more + ". Nothing was changed: fix this on the wave's page, or untick the "
                                                "option.")


@bp.errorhandler(DatabaseUnavailable)
def comparison_database_unavailable(error: DatabaseUnavailable):
    """The waves of a comparison or trend could not be read (`comparison.queries.reading_database`)."""
    current_app.logger.warning("comparison: %s", error)  # the driver's reason, for the administrator only
    return error_page(503, "The database is not available",
                      "The waves to compare could not be read from the database. Nothing was changed; try again in "
                      "a minute, and check the database server if this lasts.")


def wave_or_404(slug: str) -> Wave:
    wave = queries.wave_by_slug(db.session(), slug)
    if wave is None:
        abort(404)
    return wave


def safe_next(target: str | None) -> str:
    # Only a path on this site: never redirect a login to another host.
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.waves")


UPLOAD_SUFFIXES = ("", ".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".yaml", ".yml")


@contextmanager
def saved_upload(upload, default_suffix: str = ""):
    """The uploaded file on disk (readers tell CSV from XLSX by its suffix), removed afterwards."""
    suffix = Path(upload.filename or "").suffix.lower() or default_suffix
    if suffix not in UPLOAD_SUFFIXES:  # the browser's name may hold anything, NUL included
        suffix = default_suffix
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        upload.save(path)
        yield path


def download(content, filename: str, mimetype: str = "text/csv") -> Response:
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def uploaded_file(what: str):
    """The uploaded file of an UploadForm, or None after telling the user what to choose."""
    form = UploadForm()
    if form.validate_on_submit():
        return form.file.data
    flash(f"Choose {what}.", "error")
    return None
