"""HTTP security: CSRF on every POST, strict headers, request size limit, trusted proxies, rate limits,
and the branded error pages (403, 404, 429, 500, 503) in the respondent's language."""

from __future__ import annotations

import ipaddress

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

csrf = CSRFProtect()

# No inline script or style anywhere: everything comes from /static.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")

# Which views are limited, by which setting. Only POSTs count: reading a page costs nothing.
RATE_LIMITED = (("respond.open_link", "OPEN_LINK_RATE_LIMIT"), ("admin.login", "LOGIN_RATE_LIMIT"),
                ("respond.check_receipt", "RECEIPT_RATE_LIMIT"))


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"  # the invitation token is in the URL
    response.headers["X-Frame-Options"] = "DENY"
    return response


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    app.after_request(_headers)
    _trust_proxies(app)
    _error_pages(app)


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client's address and scheme from the last N X-Forwarded-* hops.

    Off (0) by default: without a proxy those headers come from the client and would let anyone
    choose the address that the login and open-link limits count.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def client_key() -> str:
    """The client's address as the rate limits and the login lockout count it: an IPv6 client by its /64.

    An IPv6 host or household is given a whole /64 and can take a new address in it for every request;
    counting each address apart would let it pass any limit. (An IPv4-mapped address counts as IPv4.)
    """
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def limit_requests(app: Flask) -> Limiter:
    """Rate limits per client address on the open link and the login (after the blueprints are registered)."""
    limiter = Limiter(client_key, app=app, storage_uri=app.config["RATELIMIT_STORAGE_URI"],
                      key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "awareness"))
    for endpoint, setting in RATE_LIMITED:
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(app.config[setting], methods=["POST"])(view)
    app.extensions["awareness.limiter"] = limiter
    return limiter


def error_page(status: int, title: str, message: str):
    return render_template("error.html", status=status, title=title, message=message), status


def _error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, _("Session expired"),
                          _("The form had expired or was not sent from this site. Go back, reload "
                            "the page and try again: your saved answers are kept."))

    @app.errorhandler(403)
    def forbidden(error):
        return error_page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(error):
        return error_page(404, _("Not found"), _("There is no page at this address. Check the link you were sent."))

    @app.errorhandler(413)
    def too_large(error):
        return error_page(413, _("Too large"), _("What was sent is larger than this site accepts."))

    @app.errorhandler(429)
    def too_many(error):
        return error_page(429, _("Too many requests"),
                          _("Too many requests came from your network in a short time. Please wait a while "
                            "and try again."))

    @app.errorhandler(500)
    def server_error(error):
        return error_page(500, _("Something went wrong"),
                          _("The site could not answer this request. Your saved answers are kept; please try "
                            "again in a few minutes."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InternalError)
    @app.errorhandler(503)
    def unavailable(error):
        return error_page(503, _("Your answers could not be saved yet"), unsaved_message())


def unsaved_message() -> str:
    """Why a page came back with 503, in the respondent's language."""
    return _("The site cannot store answers at the moment. What you entered on this page is still in "
             "your browser: go back, wait a minute and send it again. Pages you saved earlier are kept.")
