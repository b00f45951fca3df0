"""Console pages for e-mail: the wave's messages (wording, deadline), sending, and the counts."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from redis.exceptions import RedisError
from sqlalchemy import select

from .. import db
from ..db import now
from ..invitations.contacts import ContactsError
from ..mail import background, jobs, operations
from ..mail.bounces import MailboxError
from ..mail.messages import KINDS, Wording
from ..mail.recipients import read_mail_contacts
from ..mail.send import check_ready, deadline_of, wording_of
from ..mail.settings import DeadlineError, parse_deadline, plural
from ..models import Invitation, Wave
from ..monitoring import queries as monitoring
from ..waves import queries
from . import bp
from .auth import admin_required, login_required
from .common import wave_or_404


@bp.app_template_global()
def mail_counts_of(wave: Wave) -> list[monitoring.MailCounts]:
    """For the monitoring page: the wave's e-mail counts by group (empty when it sent none)."""
    return monitoring.mail_counts(db.session(), wave)


def _page(wave: Wave, problems: dict[tuple[str, str], list[str]] | None = None, drafts=None, status: int = 200):
    questionnaire = queries.questionnaire_of(wave.edition)
    session = db.session()
    wordings = {(kind, language): (drafts or {}).get((kind, language)) or wording_of(session, wave, kind, language)
                for kind in KINDS for language in questionnaire.languages}
    return render_template(
        "admin/mail_wave.html", wave=wave, questionnaire=questionnaire, wordings=wordings, kinds=KINDS,
        problems=problems or {}, deadline=deadline_of(session, wave), counts=mail_counts_of(wave),
        group_labels=questionnaire.group_labels(),
        not_ready=check_ready(session, wave, questionnaire.languages), sending=background.is_sending(wave.id),
        on_worker=bool(jobs.queue_url(current_app)),
        last_stop=background.last_stop.get(wave.id)), status


@bp.route("/waves/<slug>/mail")
@login_required
def mail_page(slug: str):
    return _page(wave_or_404(slug))


@bp.route("/waves/<slug>/mail/wording", methods=["POST"])
@admin_required
def mail_wording(slug: str):
    wave = wave_or_404(slug)
    kind, language = request.form.get("kind", ""), request.form.get("language", "")
    if kind not in KINDS or language not in queries.questionnaire_of(wave.edition).languages:
        return redirect(url_for("admin.mail_page", slug=slug))
    if request.form.get("action") == "reset":
        operations.reset_wording(db.session(), wave, kind, language)
        flash(f"The {kind} message in {language} is back to the built-in wording.")
        return redirect(url_for("admin.mail_page", slug=slug))
    subject, body = request.form.get("subject", ""), request.form.get("body", "")
    problems = operations.save_wording(db.session(), wave, kind, language, subject, body)
    if problems:
        return _page(wave, {(kind, language): problems}, {(kind, language): Wording(subject, body)}, 422)
    flash(f"The {kind} message in {language} is saved.")
    return redirect(url_for("admin.mail_page", slug=slug))


@bp.route("/waves/<slug>/mail/deadline", methods=["POST"])
@admin_required
def mail_deadline(slug: str):
    wave = wave_or_404(slug)
    text = request.form.get("deadline", "").strip()
    try:
        day = parse_deadline(text, now().date()) if text else None
    except DeadlineError as error:
        flash(f"Deadline not saved: {error}.", "error")
        return redirect(url_for("admin.mail_page", slug=slug))
    operations.save_deadline(db.session(), wave, day)
    flash(f"Deadline {'saved' if day else 'removed'}.")
    return redirect(url_for("admin.mail_page", slug=slug))


def _queue_from_form(wave: Wave, what: str) -> operations.Queued | list[str]:
    """Queue what the form asks for: the queued counts, or the problems of an uploaded contacts file."""
    session = db.session()
    questionnaire = queries.questionnaire_of(wave.edition)
    default = questionnaire.languages[0]
    if what == "remind":
        try:
            after = int(request.form.get("after", "7"))
        except ValueError:
            return ["days since the last message: not a whole number"]
        return operations.queue_reminders(session, wave, max(0, after), default)
    if what == "resume":
        return operations.Queued()
    if what == "retry":
        return operations.queue_failed_again(session, wave)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return operations.queue_invitations(session, wave, default)
    existing = {(e or "").lower() for e in session.scalars(
        select(Invitation.contact_email).where(Invitation.wave_id == wave.id))}
    try:
        people = read_mail_contacts(upload.read().decode("utf-8-sig"), upload.filename, questionnaire, existing)
    except UnicodeDecodeError:
        return [f"{upload.filename}: not UTF-8 text; save the CSV as UTF-8"]
    except ContactsError as error:
        return error.problems
    return operations.queue_new_contacts(session, wave, people)


@bp.route("/waves/<slug>/mail/send", methods=["POST"])
@admin_required
def mail_send(slug: str):
    wave = wave_or_404(slug)
    what = request.form.get("what", "invite")
    questionnaire = queries.questionnaire_of(wave.edition)
    not_ready = check_ready(db.session(), wave, questionnaire.languages)
    if not_ready:
        flash("Nothing sent: " + "; ".join(not_ready), "error")
        return redirect(url_for("admin.mail_page", slug=slug))
    queued = _queue_from_form(wave, what)
    if isinstance(queued, list):
        return render_template("admin/problems.html", wave=wave, title="Nothing imported or sent",
                               problems=queued), 422
    noun = {"remind": "reminder", "retry": "failed message"}.get(what, "invitation")
    message = f"Queued {plural(queued.queued, noun)}{' again' if what == 'retry' else ''}."
    if queued.not_due:
        message += f" Not due a reminder: {', '.join(queued.not_due)}."
    app = current_app._get_current_object()
    try:
        started = background.start(app, wave.id)
    except RedisError as error:
        app.logger.error("mail queue unavailable: %s", error)
        flash(message + " Sending could not be handed to the worker: the queue (Redis) cannot be reached. "
              "The messages stay queued; press Send what is queued once it is back.", "error")
        return redirect(url_for("admin.mail_page", slug=slug))
    worker = " by the worker" if jobs.queue_url(app) else ""
    flash(message + (f" Sending has started{worker}." if started else " Sending was already under way."))
    return redirect(url_for("admin.mail_page", slug=slug))


@bp.route("/waves/<slug>/mail/bounces", methods=["POST"])
@admin_required
def mail_bounces(slug: str):
    """Delivery-status reports uploaded as an mbox file or as .eml files: the same as `awareness mail bounces`."""
    wave = wave_or_404(slug)
    uploads = [u for u in request.files.getlist("files") if u and u.filename]
    if not uploads:
        flash("Choose an mbox file or one or more .eml files.", "error")
        return redirect(url_for("admin.mail_page", slug=slug))
    with tempfile.TemporaryDirectory() as folder:
        for number, upload in enumerate(uploads):
            # Our own names: an uploaded name is never used as a path.
            suffix = ".eml" if len(uploads) > 1 or upload.filename.lower().endswith(".eml") else ".mbox"
            upload.save(Path(folder) / f"{number:05d}{suffix}")
        files = sorted(Path(folder).iterdir())
        try:
            report = operations.import_bounces(db.session(), files[0] if len(files) == 1 else Path(folder))
        except MailboxError as error:
            names = ", ".join(u.filename for u in uploads)
            return render_template("admin/problems.html", wave=wave, title="Bounces not read",
                                   problems=[f"{names}: {str(error).split(': ', 1)[-1]}"]), 422
    # Say where each report is by the uploaded file's name, not the temporary one.
    for saved, upload in sorted(zip(files, uploads, strict=True), key=lambda pair: -len(str(pair[0]))):
        report.unmatched = [line.replace(str(saved), upload.filename) for line in report.unmatched]
        report.malformed = [line.replace(str(saved), upload.filename) for line in report.malformed]
    return render_template("admin/mail_bounces.html", wave=wave, report=report)
