"""Routes of the researchers' console. Every page needs a login; changes need the admin role."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from sqlalchemy import select

from analysis import InputError
from analysis.aapor import FORMULAS
from analysis.field_exports import GROUP_QUESTION
from analysis.population import size_problem
from questionnaires import QuestionnaireError, load
from questionnaires.xlsform import read_xlsform

from .. import DEFAULT_BASE_URL, db
from ..exports import csv_stream
from ..exports import writers as exports
from ..invitations.contacts import ContactsError, links_csv, read_contacts
from ..models import Edition, Wave
from ..monitoring import queries as monitoring
from ..monitoring import tallies
from ..responses import imports, operations
from ..responses.imports import imports_of, undo_import
from ..responses.stored import stored_population
from ..security import client_key
from ..waves import crosswalk, queries
from . import bp, database_missing  # noqa: F401  (database_missing registers its error handler on bp)
from .auth import (
    LockedOut,
    admin_required,
    authenticate,
    current_user,
    log_in,
    log_out,
    login_required,
)
from .forms import GenerateLinksForm, LoginForm, SettingsForm, UploadForm, WaveForm, options


@bp.context_processor
def console_context():
    # The console is in English (its pages have no language switch), whatever a respondent page chose.
    return {"user": current_user(), "lang": "en"}


def _wave(slug: str) -> Wave:
    wave = queries.wave_by_slug(db.session(), slug)
    if wave is None:
        abort(404)
    return wave


def _safe_next(target: str | None) -> str:
    # Only a path on this site: never redirect a login to another host.
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for("admin.waves")


# ---------------------------------------------------------------- login


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        email, address = form.email.data.strip().lower(), client_key()  # an IPv6 client by its /64
        try:
            user = authenticate(email, form.password.data, address)
        except LockedOut as lockout:
            return render_template("admin/login.html", form=form, error=lockout.message()), 429
        if user is not None:
            log_in(user)
            return redirect(_safe_next(request.args.get("next")))
        return render_template("admin/login.html", form=form, error="Wrong e-mail or password."), 401
    return render_template("admin/login.html", form=form, error=None)


@bp.route("/logout", methods=["POST"])
def logout():
    log_out()
    return redirect(url_for("admin.login"))


# ---------------------------------------------------------------- waves


@bp.route("/")
@login_required
def waves():
    rows = db.session().scalars(select(Wave).order_by(Wave.created_at.desc(), Wave.slug.desc())).all()
    return render_template("admin/waves.html", waves=rows)


UPLOAD_SUFFIXES = ("", ".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".yaml", ".yml")


@contextmanager
def _saved(upload, default_suffix: str = ""):
    """The uploaded file on disk (readers tell CSV from XLSX by its suffix), removed afterwards."""
    suffix = Path(upload.filename or "").suffix.lower() or default_suffix
    if suffix not in UPLOAD_SUFFIXES:  # the browser's name may hold anything, NUL included
        suffix = default_suffix
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        upload.save(path)
        yield path


def _edition_from_upload(upload, group_question: str) -> tuple[Edition | None, list[str]]:
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx", ".xls"):
        return None, [f"{upload.filename}: expected a .yaml, .yml, .xlsx or .xls file"]
    with _saved(upload) as path:
        try:
            questionnaire = read_xlsform(path, group_question) if suffix in (".xlsx", ".xls") else load(path)
        except QuestionnaireError as error:
            return None, [str(p).replace(str(path), upload.filename) for p in error.problems]
    for warning in questionnaire.warnings:
        if "--group-question" in warning.message:  # the one warning that changes what the wave is
            flash(str(warning).replace(str(path), upload.filename).replace("--group-question NAME",
                                                                           "the group question"), "error")
    try:
        return operations.store_edition(db.session(), questionnaire), []
    except operations.OperationError as error:
        return None, [str(error)]


def _wave_choices(form, exclude: Wave | None = None) -> None:
    session = db.session()
    others = [w for w in session.scalars(select(Wave).order_by(Wave.slug)) if w != exclude]
    form.baseline.choices = options([(0, "none")] + [(w.id, w.slug) for w in others])
    if hasattr(form, "edition"):
        editions = session.scalars(select(Edition).order_by(Edition.questionnaire_id, Edition.version)).all()
        form.edition.choices = options([(0, "none")] + [(e.id, f"{e.questionnaire_id} {e.version}") for e in editions])


@bp.route("/waves/new", methods=["GET", "POST"])
@admin_required
def new_wave():
    form = WaveForm()
    _wave_choices(form)
    problems: list[str] = []
    if form.validate_on_submit():
        session = db.session()
        if form.questionnaire.data:
            edition, problems = _edition_from_upload(form.questionnaire.data,
                                                     form.group_question.data.strip() or GROUP_QUESTION)
        elif form.edition.data:
            edition = session.get(Edition, form.edition.data)
        else:
            edition, problems = None, ["Upload a questionnaire or choose a stored edition."]
        if edition is not None and not problems:
            try:
                wave = operations.create_wave(session, form.slug.data, edition, mode=form.mode.data,
                                              baseline=session.get(Wave, form.baseline.data or 0),
                                              open_link=form.open_link.data)
            except operations.OperationError as error:
                problems = [str(error)]
            else:
                session.commit()
                flash(f"Wave {wave.slug} created (draft). Set population sizes, then open it.")
                return redirect(url_for("admin.wave", slug=wave.slug))
        session.rollback()
    status = 422 if problems or form.errors else 200
    return render_template("admin/new_wave.html", form=form, problems=problems), status


@bp.route("/waves/<slug>")
@login_required
def wave(slug: str):
    wave = _wave(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    session = db.session()
    populations = stored_population(session, wave)
    group_labels = {g.code: questionnaire.text(g.label) for g in questionnaire.groups}
    # Not obj=wave: WTForms would take `baseline` (a Wave) from it instead of the id.
    settings = SettingsForm(mode=wave.mode, baseline=wave.baseline_wave_id or 0, open_link=wave.open_link)
    _wave_choices(settings, exclude=wave)
    links = GenerateLinksForm()
    counted = tallies.of_wave(session, wave.id)  # one read for the status, the chart and the e-mail counts
    completions = monitoring.completions_by_day(session, wave, counted=counted)
    links.group.choices = options((g.code, questionnaire.text(g.label)) for g in questionnaire.groups)
    return render_template(
        "admin/wave.html", wave=wave, questionnaire=questionnaire, populations=populations,
        status=monitoring.wave_status(session, wave, questionnaire.group_codes, populations, counted=counted),
        counts=monitoring.mail_counts(session, wave, counted=counted),
        chart=monitoring.completions_svg(completions, group_labels, legend=False),
        legend=monitoring.completions_legend(completions, group_labels),
        formulas=FORMULAS, break_off=monitoring.break_off_rule(), group_labels=group_labels,
        settings=settings, links=links,
        crosswalk=crosswalk.crosswalk(session, wave), formats=exports.FORMATS, imports=imports_of(session, wave),
        default_base_url=current_app.config["BASE_URL"].rstrip("/") == DEFAULT_BASE_URL)


@bp.route("/waves/<slug>/settings", methods=["POST"])
@admin_required
def wave_settings(slug: str):
    wave = _wave(slug)
    form = SettingsForm()
    _wave_choices(form, exclude=wave)
    if not form.validate_on_submit():
        flash("Settings not saved: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()), "error")
        return redirect(url_for("admin.wave", slug=slug))
    try:
        operations.set_wave_mode(db.session(), wave, form.mode.data)
    except operations.OperationError as error:
        flash(f"Settings not saved: {error}.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    wave.baseline = db.session().get(Wave, form.baseline.data or 0)
    wave.open_link = form.open_link.data
    db.session().commit()
    flash("Settings saved.")
    return redirect(url_for("admin.wave", slug=slug))


@bp.route("/waves/<slug>/populations", methods=["POST"])
@admin_required
def wave_populations(slug: str):
    wave = _wave(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    sizes, problems = {}, []
    for group in questionnaire.group_codes:
        text = request.form.get(f"population_{group}", "").strip()
        if not text:
            continue
        problem = size_problem(text)
        if problem:
            problems.append(f"{group}: {problem}")
        else:
            sizes[group] = int(text)
    if problems:
        flash("Population sizes not saved: " + "; ".join(problems), "error")
        return redirect(url_for("admin.wave", slug=slug))
    operations.set_populations(db.session(), wave, sizes)
    flash("Population sizes saved.")
    return redirect(url_for("admin.wave", slug=slug))


@bp.route("/waves/<slug>/<any(open, close):action>", methods=["POST"])
@admin_required
def wave_status(slug: str, action: str):
    wave = _wave(slug)
    try:
        erased = operations.set_status(db.session(), wave, "open" if action == "open" else "closed")
    except operations.OperationError as error:
        flash(str(error), "error")
    else:
        flash(f"Wave {wave.slug} is {wave.status}." + (f" The answers of {erased} unfinished respondent(s) were "
                                                       "erased." if erased else ""))
    return redirect(url_for("admin.wave", slug=slug))


# ---------------------------------------------------------------- invitations


def _download(content, filename: str, mimetype: str = "text/csv") -> Response:
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _uploaded_file(what: str):
    """The uploaded file of an UploadForm, or None after telling the user what to choose."""
    form = UploadForm()
    if form.validate_on_submit():
        return form.file.data
    flash(f"Choose {what}.", "error")
    return None


@bp.route("/waves/<slug>/links", methods=["POST"])
@admin_required
def generate_links(slug: str):
    wave = _wave(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    form = GenerateLinksForm()
    form.group.choices = options((g.code, g.code) for g in questionnaire.groups)
    if wave.status == "closed":
        flash(f"No links created: wave {wave.slug} is closed, its links would accept no answers. Open it first.",
              "error")
        return redirect(url_for("admin.wave", slug=slug) + "#invitations")
    if not form.validate_on_submit():
        flash("No links created: " + "; ".join(f"{getattr(form, k).label.text}: {', '.join(v)}"
                                               for k, v in form.errors.items()), "error")
        return redirect(url_for("admin.wave", slug=slug) + "#invitations")
    created = operations.create_invitations(db.session(), wave, [operations.Contact(group=form.group.data)
                                                                 for _ in range(form.count.data)])
    db.session().commit()
    # Tokens are stored only as hashes: this download is the one chance to have the links.
    return _download(links_csv(created, current_app.config["BASE_URL"], False),
                     f"links-{wave.slug}-{form.group.data}.csv")


@bp.route("/waves/<slug>/contacts", methods=["POST"])
@admin_required
def upload_contacts(slug: str):
    wave = _wave(slug)
    if wave.status == "closed":
        flash(f"No links created: wave {wave.slug} is closed, its links would accept no answers. Open it first.",
              "error")
        return redirect(url_for("admin.wave", slug=slug) + "#invitations")
    upload = _uploaded_file("a contacts CSV file")
    if upload is None:
        return redirect(url_for("admin.wave", slug=slug))
    questionnaire = queries.questionnaire_of(wave.edition)
    try:
        contacts = read_contacts(upload.read().decode("utf-8-sig"), upload.filename, questionnaire)
    except UnicodeDecodeError:
        contacts, problems = None, [f"{upload.filename}: not UTF-8 text; save the CSV as UTF-8"]
    except ContactsError as error:
        contacts, problems = None, error.problems
    if contacts is None:
        return render_template("admin/problems.html", wave=wave, title="Contacts not imported",
                               problems=problems), 422
    created = operations.create_invitations(db.session(), wave, contacts)
    db.session().commit()
    return _download(links_csv(created, current_app.config["BASE_URL"], True), f"links-{wave.slug}.csv")


# ---------------------------------------------------------------- data in and out


@bp.route("/waves/<slug>/export/<output_format>")
@login_required
def export(slug: str, output_format: str):
    if output_format not in exports.FORMATS:
        abort(404)
    wave = _wave(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    session = db.session()
    if output_format == "csv" and (chunks := csv_stream.wave_export(session, wave)) is not None:
        # Sent as it is read, in bounded memory, whatever the size of the wave.
        content = stream_with_context(chunk.encode("utf-8") for chunk in chunks)
    else:
        frame = queries.wave_frame(session, wave, categorical=output_format in ("sav", "dta"))
        study = queries.ddi_study(session, wave) if output_format == "ddi" else None
        content = exports.export(questionnaire, frame, output_format, study)
    mimetypes = {"xml": "application/xml", "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "sav": "application/x-spss-sav", "dta": "application/x-stata-dta", "md": "text/markdown",
                 "html": "text/html"}
    extension = exports.EXTENSIONS[output_format]
    name = f"{questionnaire.id}-{wave.slug}{'-labels' if output_format == 'csv-labels' else ''}.{extension}"
    return _download(content, name, mimetypes[extension])


@bp.route("/waves/<slug>/import", methods=["POST"])
@admin_required
def import_file(slug: str):
    wave = _wave(slug)
    upload = _uploaded_file("a file to import")
    if upload is None:
        return redirect(url_for("admin.wave", slug=slug))
    with _saved(upload, ".csv") as path:
        try:
            record = imports.import_file(
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
    wave = _wave(slug)
    try:
        record = undo_import(db.session(), wave, import_id)
    except operations.OperationError as error:
        flash(str(error), "error")
    else:
        flash(f"Import of {record.filename} undone: its {record.rows} rows are removed.")
    return redirect(url_for("admin.wave", slug=slug) + "#import")


@bp.route("/waves/<slug>/crosswalk", methods=["POST"])
@admin_required
def upload_crosswalk(slug: str):
    wave = _wave(slug)
    if wave.baseline is None:
        flash("Set a baseline wave first.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    upload = _uploaded_file("a crosswalk file")
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
    crosswalk.save_crosswalk(db.session(), wave, links)
    flash("Crosswalk saved.")
    return redirect(url_for("admin.wave", slug=slug) + "#crosswalk")


@bp.route("/waves/<slug>/crosswalk/<item>", methods=["POST"])
@admin_required
def confirm_item(slug: str, item: str):
    wave = _wave(slug)
    if item not in {row.item for row in crosswalk.crosswalk(db.session(), wave)}:
        abort(404)
    comparable = request.form.get("comparable") == "yes"
    crosswalk.confirm(db.session(), wave, item, comparable)
    flash(f"{item}: {'confirmed comparable' if comparable else 'confirmation taken back'}.")
    return redirect(url_for("admin.wave", slug=slug) + "#crosswalk")
