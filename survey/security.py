"""HTTP security: CSRF on every POST, strict headers, request size limit."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

# No inline script or style anywhere: everything comes from /static.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # the invitation token is in the URL
    response.headers["X-Frame-Options"] = "DENY"
    return response


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(_headers)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("respond/message.html", title=_("Session expired"),
                               message=_("The form had expired or was not sent from this site. Go back, reload "
                                         "the page and try again: your saved answers are kept.")), 400

    @app.errorhandler(413)
    def too_large(error):
        return render_template("respond/message.html", title=_("Too large"),
                               message=_("What was sent is larger than this site accepts.")), 413

    @app.errorhandler(404)
    def not_found(error):
        return render_template("respond/message.html", title=_("Not found"),
                               message=_("There is no page at this address. Check the link you were sent.")), 404
