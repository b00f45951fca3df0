"""The researchers' console: waves, invitations, monitoring, exports, imports, crosswalk."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import reports, routes  # noqa: E402,F401  (routes register themselves on bp)
