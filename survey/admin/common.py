"""What every page family of the console shares: its template context, the wave of a URL, uploads and downloads."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Response, abort, flash, url_for

from .. import db
from ..models import Wave
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
