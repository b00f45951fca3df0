"""The invitations of a wave, a page at a time, found by group, disposition or contact; dispositions recorded."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from .. import db
from ..models import DISPOSITIONS, Invitation
from ..monitoring import queries as monitoring
from ..waves import queries
from . import bp
from .auth import admin_required
from .waves import _wave

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
    wave = _wave(slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    groups = {g.code: questionnaire.text(g.label) for g in questionnaire.groups}
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
    wave = _wave(slug)
    invitation = db.session().get(Invitation, invitation_id)
    if invitation is None or invitation.wave_id != wave.id:
        abort(404)
    value = request.form.get("disposition", "")
    if invitation.completed or value not in recordable_dispositions(invitation):
        flash("That disposition cannot be recorded for this invitation.", "error")
    else:
        invitation.disposition = value
        db.session().commit()
        flash(f"Invitation {invitation.id}: {value}.")
    return redirect(_back(slug))
