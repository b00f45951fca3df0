"""/receipt: a respondent checks their receipt themselves, learning only whether their answers arrived and on which day.

Nobody else need see the receipt: shown to staff, it would let whoever can read the database find that
response (docs/SECURITY.md).
"""

from __future__ import annotations

import re

from flask import render_template, request
from flask_babel import gettext as _

from .. import db
from ..i18n import current_language
from ..invitations.tokens import RECEIPT_ALPHABET
from ..waves import queries
from . import bp
from .pages import local_digits

RECEIPT_LENGTH = 12


def normalise_receipt(text: str) -> str | None:
    """The receipt as stored (XXXX-XXXX-XXXX) from what was typed: any case, spaces or dashes; None if not one."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return None
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


@bp.route("/receipt", methods=["GET", "POST"])
def check_receipt():
    """A form, then whether answers with that receipt arrived and on which day: nothing else about them."""
    if request.method == "GET":
        return render_template("respond/receipt.html", result=None, typed="")
    typed = request.form.get("receipt", "")[:100]
    receipt = normalise_receipt(typed)
    day = queries.receipt_day(db.session(), receipt) if receipt else None
    if day is None:
        result = _("No answers with this receipt number have arrived. Check that you typed it as it was shown.")
    else:
        result = _("Answers with this receipt number arrived on %(day)s.",
                   day=local_digits(day.isoformat(), current_language()))
    return render_template("respond/receipt.html", result=result, found=day is not None, typed=typed), \
        200 if day else 404
