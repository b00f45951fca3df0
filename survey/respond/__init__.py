"""The respondent's side: invitation links, consent, one page per section, review, submit."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from . import receipts, routes  # noqa: E402,F401  (routes register themselves on bp)
