"""The opt-out link in every message: signed, so it needs no stored token and survives a new link."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from .. import db
from ..models import Invitation
from .operations import record_opt_out

SALT = "awareness-mail-opt-out"
# Its own blueprint: the respondent pages and the mail package need not import each other.
bp = Blueprint("mail", __name__)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def optout_url(invitation: Invitation, language: str) -> str:
    signed = _signer().dumps(invitation.id)
    return f"{current_app.config['BASE_URL'].rstrip('/')}/optout/{signed}?lang={language}"


@bp.route("/optout/<signed>", methods=["GET", "POST"])
def optout(signed: str):
    """Ask, then record: a GET changes nothing, since mail filters open links to scan them."""
    try:
        invitation = db.session().get(Invitation, int(_signer().loads(signed)))
    except (BadSignature, ValueError, TypeError):
        invitation = None
    if invitation is None:
        abort(404)
    if request.method == "POST":
        record_opt_out(db.session(), invitation)
        return render_template("respond/message.html", title=_("You will receive no more messages"),
                               message=_("Your wish has been recorded: we will not write to you again about "
                                         "this survey. Thank you for letting us know."))
    return render_template("respond/mail_optout.html", action=url_for("mail.optout", signed=signed))
