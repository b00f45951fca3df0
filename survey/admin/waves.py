"""Routes of the researchers' console. Every page needs a login; changes need the admin role."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import db, local_address
from ..db import OperationError
from ..exports.formats import NAMES as FORMAT_NAMES
from ..models import Edition, Wave
from ..monitoring import queries as monitoring
from ..monitoring import tallies
from ..responses.queries import imports_of
from ..waves import crosswalk, queries
from ..waves.operations import change_settings, create_wave, set_populations, set_status, store_edition
from ..waves.queries import stored_population
from . import bp, database_missing  # noqa: F401  (database_missing registers its error handler on bp)
from .auth import (
    admin_required,
    login_required,
)
from .common import saved_upload, wave_or_404
from .forms import GenerateLinksForm, SettingsForm, WaveForm, options


@bp.route("/")
@login_required
def waves():
    rows = db.session().scalars(select(Wave).order_by(Wave.created_at.desc(), Wave.slug.desc())).all()
    return render_template("admin/waves.html", waves=rows)


def _edition_from_upload(upload, group_question: str) -> tuple[Edition | None, list[str]]:
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx", ".xls"):
        return None, [f"{upload.filename}: expected a .yaml, .yml, .xlsx or .xls file"]
    from questionnaires import QuestionnaireError, load
    from questionnaires.xlsform import read_xlsform

    with saved_upload(upload) as path:
        try:
            questionnaire = read_xlsform(path, group_question) if suffix in (".xlsx", ".xls") else load(path)
        except QuestionnaireError as error:
            return None, [str(p).replace(str(path), upload.filename) for p in error.problems]
    for warning in questionnaire.warnings:
        if "--group-question" in warning.message:  # the one warning that changes what the wave is
            flash(str(warning).replace(str(path), upload.filename).replace("--group-question NAME",
                                                                           "the group question"), "error")
    try:
        return store_edition(db.session(), questionnaire), []
    except OperationError as error:
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
    from analysis.field_exports import GROUP_QUESTION  # pandas: imported by the pages that need it

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
                wave = create_wave(session, form.slug.data, edition, mode=form.mode.data,
                                   baseline=session.get(Wave, form.baseline.data or 0),
                                   open_link=form.open_link.data, commit=True)
            except OperationError as error:
                problems = [str(error)]
            else:
                flash(f"Wave {wave.slug} created (draft). Set population sizes, then open it.")
                return redirect(url_for("admin.wave", slug=wave.slug))
        session.rollback()
    status = 422 if problems or form.errors else 200
    return render_template("admin/new_wave.html", form=form, problems=problems), status


@bp.route("/waves/<slug>")
@login_required
def wave(slug: str):
    from analysis.aapor import FORMULAS

    wave = wave_or_404(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    session = db.session()
    populations = stored_population(session, wave)
    group_labels = questionnaire.group_labels()
    # Not obj=wave: WTForms would take `baseline` (a Wave) from it instead of the id.
    settings = SettingsForm(mode=wave.mode, baseline=wave.baseline_wave_id or 0, open_link=wave.open_link)
    _wave_choices(settings, exclude=wave)
    links = GenerateLinksForm()
    counted = tallies.of_wave(session, wave.id)  # one read for the status, the chart and the e-mail counts
    completions = monitoring.completions_by_day(session, wave, counted=counted)
    links.group.choices = options(group_labels.items())
    return render_template(
        "admin/wave.html", wave=wave, questionnaire=questionnaire, populations=populations,
        status=monitoring.wave_status(session, wave, questionnaire.group_codes, populations, counted=counted),
        counts=monitoring.mail_counts(session, wave, counted=counted),
        chart=monitoring.completions_svg(completions, group_labels, legend=False),
        legend=monitoring.completions_legend(completions, group_labels),
        formulas=FORMULAS, break_off=monitoring.break_off_rule(), group_labels=group_labels,
        settings=settings, links=links,
        crosswalk=crosswalk.crosswalk(session, wave), formats=FORMAT_NAMES, imports=imports_of(session, wave),
        local_address=local_address(current_app.config))


@bp.route("/waves/<slug>/settings", methods=["POST"])
@admin_required
def wave_settings(slug: str):
    wave = wave_or_404(slug)
    form = SettingsForm()
    _wave_choices(form, exclude=wave)
    if not form.validate_on_submit():
        flash("Settings not saved: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()), "error")
        return redirect(url_for("admin.wave", slug=slug))
    try:
        change_settings(db.session(), wave, mode=form.mode.data, baseline=db.session().get(Wave, form.baseline.data or 0),
                        open_link=form.open_link.data)
    except OperationError as error:
        flash(f"Settings not saved: {error}.", "error")
        return redirect(url_for("admin.wave", slug=slug))
    flash("Settings saved.")
    return redirect(url_for("admin.wave", slug=slug))


@bp.route("/waves/<slug>/populations", methods=["POST"])
@admin_required
def wave_populations(slug: str):
    from analysis.population import size_problem

    wave = wave_or_404(slug)
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
    set_populations(db.session(), wave, sizes)
    flash("Population sizes saved.")
    return redirect(url_for("admin.wave", slug=slug))


@bp.route("/waves/<slug>/<any(open, close):action>", methods=["POST"])
@admin_required
def wave_status(slug: str, action: str):
    wave = wave_or_404(slug)
    try:
        erased = set_status(db.session(), wave, "open" if action == "open" else "closed")
    except OperationError as error:
        flash(str(error), "error")
    else:
        flash(f"Wave {wave.slug} is {wave.status}." + (f" The answers of {erased} unfinished respondent(s) were "
                                                       "erased." if erased else ""))
    return redirect(url_for("admin.wave", slug=slug))




