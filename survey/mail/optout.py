"""The opt-out link in every message: an opaque signed token that stops working a set time after the wave closes.

The link carries the invitation's random `optout_key`, signed with the SECRET_KEY (itsdangerous): it shows no
sequential id, cannot be made up without the secret, is the same in every message of the invitation (so a
reminder's new survey link changes nothing) and needs no token of its own in the database. It works while the
wave is open and for OPTOUT_DAYS_AFTER_CLOSE days after it closes (docs/SECURITY.md).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, Signer, URLSafeSerializer
from sqlalchemy import select

from .. import db
from ..db import now
from ..models import Invitation
from .operations import record_opt_out

SALT = "awareness-mail-opt-out-key"
# Links sent before the opaque tokens carried the signed id; those already in mailboxes keep working, and expire.
LEGACY_SALT = "awareness-mail-opt-out"
# Its own blueprint: the respondent pages and the mail package need not import each other.
bp = Blueprint("mail", __name__)


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=SALT, digest_method=hashlib.sha256)


def optout_url(invitation: Invitation, language: str) -> str:
    signed = _signer().sign(invitation.optout_key).decode()
    return f"{current_app.config['BASE_URL'].rstrip('/')}/optout/{signed}?lang={language}"


def _invitation_of(signed: str) -> Invitation | None:
    session = db.session()
    try:
        key = _signer().unsign(signed).decode()
    except BadSignature:
        key = None
    if key is not None:
        return session.scalar(select(Invitation).where(Invitation.optout_key == key))
    try:
        legacy = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LEGACY_SALT).loads(signed)
    except BadSignature:
        return None
    return session.get(Invitation, legacy) if isinstance(legacy, int) and not isinstance(legacy, bool) else None


def expired(invitation: Invitation) -> bool:
    """Whether the wave closed more than OPTOUT_DAYS_AFTER_CLOSE days ago."""
    wave = invitation.wave
    if wave.status != "closed":
        return False
    days = float(current_app.config["OPTOUT_DAYS_AFTER_CLOSE"])
    return now() >= (wave.closed_at or wave.created_at) + timedelta(days=days)


def _refused(status: int, title: str, message: str):
    return make_response(render_template("respond/message.html", title=title, message=message), status)


@bp.route("/optout/<signed>", methods=["GET", "POST"])
def optout(signed: str):
    """Ask, then record: a GET changes nothing, since mail filters open links to scan them."""
    invitation = _invitation_of(signed)
    if invitation is None:
        return _refused(404, _("Link not recognised"),
                        _("This link to stop messages is not one that we sent, or part of it is missing. Open it "
                          "again from your e-mail, in full."))
    if expired(invitation):
        return _refused(410, _("Link expired"),
                        _("This link to stop messages about the survey has expired: the survey closed some time "
                          "ago, and no more messages about it will be sent."))
    if request.method == "POST":
        record_opt_out(db.session(), invitation)
        return render_template("respond/message.html", title=_("You will receive no more messages"),
                               message=_("Your wish has been recorded: we will not write to you again about "
                                         "this survey. Thank you for letting us know."))
    return render_template("respond/mail_optout.html", action=url_for("mail.optout", signed=signed))
