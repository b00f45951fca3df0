"""The invitations of a wave, a page at a time, found by group, disposition or contact; dispositions recorded."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from .. import db
from ..invitations.contacts import ContactsError, links_csv, read_contacts
from ..invitations.operations import Contact, create_invitations, record_disposition
from ..models import DISPOSITIONS, Invitation
from ..monitoring import queries as monitoring
from ..waves import queries
from . import bp
from .auth import admin_required
from .common import download, uploaded_file, wave_or_404
from .forms import GenerateLinksForm, options

PER_PAGE = 100


def recordable_dispositions(invitation: Invitation) -> tuple[str, ...]:
    """What a researcher may record: the open state (started once the respondent consented) or a final one."""
    return ("started" if invitation.consented_at else "invited", "refused", "ineligible", "undeliverable")


def _filters(wave_id: int, group: str, disposition: str, contact: str) -> list:
    conditions = [Invitation.wave_id == wave_id]
    if group:
        conditions.append(Invitation.group_code == group)
    if disposition:
        conditions.append(Invitation.disposition == disposition)
    if contact:
        conditions.append(or_(*(column.icontains(contact, autoescape=True) for column in (
            Invitation.contact_name, Invitation.contact_email, Invitation.contact_organisation))))
    return conditions


def _known(name: str, allowed) -> str:
    """A filter's value from the address, "" when it is not one of `allowed`: an unknown value (from a link a
    researcher edited) filters nothing rather than failing."""
    value = request.args.get(name, "")
    return value if value in allowed else ""


@bp.route("/waves/<slug>/invitations")
@admin_required
def invitations(slug: str):
    wave = wave_or_404(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    groups = questionnaire.group_labels()
    group, disposition = _known("group", groups), _known("disposition", DISPOSITIONS)
    contact = request.args.get("contact", "").strip()[:200]
    session = db.session()
    conditions = _filters(wave.id, group, disposition, contact)
    if disposition or contact:
        total = session.scalar(select(func.count()).select_from(Invitation).where(*conditions))
    else:  # from the tallies: a few rows rather than a count of 100,000
        total = monitoring.invitation_count(session, wave, group or None)
    last = max(1, -(-total // PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), last)
    rows = session.scalars(select(Invitation).where(*conditions).order_by(Invitation.group_code, Invitation.id)
                           .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    # Only what filters: links and forms carry no empty "group=&disposition=".
    search = {key: value for key, value in (("group", group), ("disposition", disposition), ("contact", contact))
              if value}
    return render_template("admin/invitations.html", wave=wave, invitations=rows, choices=recordable_dispositions,
                           groups=groups, dispositions=DISPOSITIONS, search=search, page=page, last=last,
                           total=total, first_shown=(page - 1) * PER_PAGE + 1 if rows else 0,
                           last_shown=(page - 1) * PER_PAGE + len(rows))


def _back(slug: str) -> str:
    """The filtered page the form was sent from, else the first page."""
    search = {key: request.form.get(f"back_{key}", "") for key in ("group", "disposition", "contact", "page")}
    return url_for("admin.invitations", slug=slug, **{key: value for key, value in search.items() if value})


@bp.route("/waves/<slug>/invitations/<int:invitation_id>", methods=["POST"])
@admin_required
def disposition(slug: str, invitation_id: int):
    wave = wave_or_404(slug)
    invitation = db.session().get(Invitation, invitation_id)
    if invitation is None or invitation.wave_id != wave.id:
        abort(404)
    value = request.form.get("disposition", "")
    if invitation.completed or value not in recordable_dispositions(invitation):
        flash("That disposition cannot be recorded for this invitation.", "error")
    else:
        record_disposition(db.session(), invitation, value)
        flash(f"Invitation {invitation.id}: {value}.")
    return redirect(_back(slug))


@bp.route("/waves/<slug>/links", methods=["POST"])
@admin_required
def generate_links(slug: str):
    wave = wave_or_404(slug)
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
    created = create_invitations(db.session(), wave, [Contact(group=form.group.data) for _ in range(form.count.data)],
                                 commit=True)
    # Tokens are stored only as hashes: this download is the one chance to have the links.
    return download(links_csv(created, current_app.config["BASE_URL"], False),
                     f"links-{wave.slug}-{form.group.data}.csv")


@bp.route("/waves/<slug>/contacts", methods=["POST"])
@admin_required
def upload_contacts(slug: str):
    wave = wave_or_404(slug)
    if wave.status == "closed":
        flash(f"No links created: wave {wave.slug} is closed, its links would accept no answers. Open it first.",
              "error")
        return redirect(url_for("admin.wave", slug=slug) + "#invitations")
    upload = uploaded_file("a contacts CSV file")
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
    created = create_invitations(db.session(), wave, contacts, commit=True)
    return download(links_csv(created, current_app.config["BASE_URL"], True), f"links-{wave.slug}.csv")
