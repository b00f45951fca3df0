"""The researchers' console: waves, invitations, monitoring, exports, imports, crosswalk, e-mail."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The route modules register themselves on bp.
from . import common, data, invitations, login, mail, reports, trend, waves  # noqa: E402,F401
