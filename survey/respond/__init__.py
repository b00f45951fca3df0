"""The respondent's side: invitation links, consent, one page per section, review, submit."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from ..mail import optout  # noqa: E402,F401  (the opt-out link of e-mails)
from . import receipts, routes  # noqa: E402,F401  (routes register themselves on bp)
