"""The web platform: respondents answer, researchers run the rounds."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when an application is made: `awareness` guards its own start (survey/command.py)
    from flask import Flask

__version__ = "0.1.0"
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# The address `awareness demo --port N` serves on, kept in the instance folder: the default BASE_URL of every
# later command and server of the instance (invite, mail, worker), so that their links reach the demo.
DEMO_ADDRESS = "demo_address"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the application: `database_app`, plus its pages, translations and rate limits."""
    app = database_app(test_config)
    from . import i18n, logs, security
    from .admin import bp as admin_bp
    from .mail.optout import bp as mail_bp
    from .respond import bp as respond_bp

    logs.install(app.logger.name)  # the request log, and the app's own (a failed page's path)
    i18n.init_app(app)
    security.init_app(app)
    app.register_blueprint(respond_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(mail_bp)
    security.limit_requests(app)

    from .cli import register_commands

    register_commands(app)
    return app


def database_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application's configuration and database only, for commands that need nothing else.

    Configuration, each step overriding the one before: defaults in code, then
    `instance/config.py`, then environment variables prefixed `AWARENESS_`.
    `test_config` replaces the last two (for tests).
    """
    from .routing import App

    instance_path = os.environ.get("AWARENESS_INSTANCE_PATH")
    app = App(__name__, instance_relative_config=True,
              instance_path=str(Path(instance_path).resolve()) if instance_path else None)
    from .private_files import private_instance, private_umask

    private_umask()  # the database, its WAL, backups, exports and reports: owner only (docs/deploy.md)
    private_instance(app.instance_path)
    demo_address = served_demo_address(app.instance_path)
    app.config.from_mapping(
        BASE_URL=demo_address or DEFAULT_BASE_URL,  # AWARENESS_BASE_URL (or config.py) overrides both
        DEMO_ADDRESS=demo_address,
        DATABASE_URL=None,  # default: SQLite in the instance folder
        MAX_CONTENT_LENGTH=256 * 1024,  # a questionnaire page is a few kB; larger requests get 413
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # set AWARENESS_SESSION_COOKIE_SECURE=true behind HTTPS
        WTF_CSRF_TIME_LIMIT=None,  # a page may stay open for hours; the token is bound to the session
        BABEL_DEFAULT_LOCALE="en",
        TRUSTED_PROXIES=0,  # how many reverse proxies stand in front (docs/deploy.md); 0 trusts no X-Forwarded-*
        RATELIMIT_STORAGE_URI="memory://",  # per process; redis://host:6379 to share counts between servers
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,  # Redis down: count per process rather than answer 500
        OPEN_LINK_RATE_LIMIT="20 per hour",  # open-link invitations per client address
        LOGIN_RATE_LIMIT="30 per minute",  # login POSTs per client address, on top of the failed-login lockout
        RECEIPT_RATE_LIMIT="30 per hour",  # receipt checks per client address (/receipt)
        # A console login ends after this many minutes without a request, and this many hours after it began
        # (checked on the server at every request: docs/SECURITY.md).
        CONSOLE_IDLE_TIMEOUT_MINUTES=30,
        CONSOLE_SESSION_LIFETIME_HOURS=12,
        OPTOUT_DAYS_AFTER_CLOSE=90,  # an e-mail's opt-out link stops working this long after its wave closes
        # AAPOR's break-off rule (analysis/aapor.py): the share of applicable questions answered that makes an
        # unsubmitted case a complete, else a partial, else a break-off.
        AAPOR_COMPLETE_SHARE=0.8,
        AAPOR_PARTIAL_SHARE=0.5,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("AWARENESS")
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path, "secret_key")
    if not app.config.get("PANEL_SECRET"):
        # Keep this file: panel keys of every year are made with it.
        app.config["PANEL_SECRET"] = _instance_secret(app.instance_path, "panel_secret")

    from . import db

    db.init_app(app)
    return app


def served_demo_address(instance_path: str) -> str | None:
    """Where `awareness demo` last served, when not on the default address (None otherwise)."""
    path = Path(instance_path) / DEMO_ADDRESS
    return (path.read_text().strip() or None) if path.exists() else None


def local_address(config) -> str | None:
    """What the links' address is when only this computer reaches it ("the default", or where the demo serves),
    for the warnings of the commands and the console; None when it is another address."""
    base = config["BASE_URL"].rstrip("/")
    if base == DEFAULT_BASE_URL:
        return "the default"
    return "where `awareness demo` serves" if base == config.get("DEMO_ADDRESS") else None


def local_base_url(config) -> bool:
    """Do the links point at an address only this computer reaches: the default, or the demo's own?"""
    return local_address(config) is not None


def _instance_secret(instance_path: str, name: str) -> str:
    """A secret kept in the instance folder, generated on first use (never in the repository)."""
    path = Path(instance_path) / name
    if not path.exists():
        # O_EXCL: when two processes start at once, exactly one writes the secret.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
    return path.read_text().strip()
