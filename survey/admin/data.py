"""A wave's data pages: exports in every format, imports of earlier data (and their undoing), the crosswalk."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, stream_with_context, url_for

from .. import db
from ..db import OperationError
from ..exports import csv_stream
from ..exports.formats import FORMATS
from ..responses.operations import undo_import
from ..waves import crosswalk, queries
from ..waves import operations as wave_operations
from . import bp
from .auth import (
    admin_required,
    current_user,
    login_required,
)
from .common import download, saved_upload, uploaded_file, wave_or_404


@bp.route("/waves/<slug>/export/<output_format>")
@login_required
def export(slug: str, output_format: str):
    export_format = FORMATS.get(output_format)
    if export_format is None:
        abort(404)
    wave = wave_or_404(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    session = db.session()
    if output_format == "csv" and (chunks := csv_stream.wave_export(session, wave)) is not None:
        # Sent as it is read, in bounded memory, whatever the size of the wave.
        content = stream_with_context(chunk.encode("utf-8") for chunk in chunks)
    else:
        from ..responses.queries import wave_frame  # pandas: only when a file is written from the frame

        frame = wave_frame(session, wave, categorical=export_format.categorical)
        study = queries.ddi_study(session, wave) if export_format.describes_study else None
        content = export_format.write(questionnaire, frame, study)
    return download(content, export_format.filename(questionnaire.id, wave.slug), export_format.mimetype)


@bp.route("/waves/<slug>/import", methods=["POST"])
@admin_required
def import_file(slug: str):
    from analysis import InputError
    from analysis.field_exports import GROUP_QUESTION

    from ..responses.imports import import_file  # the analysis reads the file: pandas, on this page only

    wave = wave_or_404(slug)
    upload = uploaded_file("a file to import")
    if upload is None:
        return redirect(url_for("admin.wave", slug=slug))
    with saved_upload(upload, ".csv") as path:
        try:
            record = import_file(
                db.session(), wave, path, filename=upload.filename, imported_by=current_user().email,
                group_question=request.form.get("group_question", "").strip() or GROUP_QUESTION)
        except InputError as error:
            db.session().rollback()
            problems = [p.replace(str(path), upload.filename) for p in error.problems]
            return render_template("admin/problems.html", wave=wave, title="Nothing imported",
                                   problems=problems), 422
    flash(f"Imported {record.rows} {'rows of counts' if record.kind == 'counts' else 'responses'} "
          f"(SHA-256 {record.sha256}).")
    return redirect(url_for("admin.wave", slug=slug) + "#import")


@bp.route("/waves/<slug>/import/<int:import_id>/undo", methods=["POST"])
@admin_required
def undo_import_route(slug: str, import_id: int):
    wave = wave_or_404(slug)
    try:
        record = undo_import(db.session(), wave, import_id)
    except OperationError as error:
        flash(str(error), "error")
    else:
        flash(f"Import of {record.filename} undone: its {record.rows} rows are removed.")
    return redirect(url_for("admin.wave", slug=slug) + "#import")


@bp.route("/waves/<slug>/crosswalk", methods=["POST"])
@admin_required
def upload_crosswalk(slug: str):
    wave = wave_or_404(slug)
    if wave.baseline is None:
        flash("Set a baseline wave first.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    upload = uploaded_file("a crosswalk file")
    if upload is None:
        return redirect(url_for("admin.wave", slug=slug))
    try:
        links = crosswalk.parse_crosswalk(upload.read().decode("utf-8"), upload.filename,
                                          queries.questionnaire_of(wave.baseline.edition),
                                          queries.questionnaire_of(wave.edition))
    except (crosswalk.CrosswalkError, UnicodeDecodeError) as error:
        problems = getattr(error, "problems", [f"{upload.filename}: not UTF-8 text"])
        return render_template("admin/problems.html", wave=wave, title="Crosswalk not saved",
                               problems=problems), 422
    wave_operations.save_crosswalk(db.session(), wave, links)
    flash("Crosswalk saved.")
    return redirect(url_for("admin.wave", slug=slug) + "#crosswalk")


@bp.route("/waves/<slug>/crosswalk/<item>", methods=["POST"])
@admin_required
def confirm_item(slug: str, item: str):
    wave = wave_or_404(slug)
    if item not in {row.item for row in crosswalk.crosswalk(db.session(), wave)}:
        abort(404)
    comparable = request.form.get("comparable") == "yes"
    wave_operations.confirm_item(db.session(), wave, item, comparable)
    flash(f"{item}: {'confirmed comparable' if comparable else 'confirmation taken back'}.")
    return redirect(url_for("admin.wave", slug=slug) + "#crosswalk")
