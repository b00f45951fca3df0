"""Interface language: English or Khmer, chosen with ?lang= and remembered in the session."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel

LANGUAGES = {"en": "English", "km": "ខ្មែរ"}


def current_language() -> str:
    if request.path == "/admin" or request.path.startswith("/admin/"):
        return "en"  # the console is in English, its error pages too, whatever a respondent page chose
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        return wanted
    stored = session.get("lang")
    return stored if stored in LANGUAGES else "en"


def _remember_language() -> None:
    wanted = request.args.get("lang")
    if wanted in LANGUAGES and session.get("lang") != wanted:
        session["lang"] = wanted


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=current_language)
    app.before_request(_remember_language)

    @app.context_processor
    def language_context():
        return {"lang": current_language(), "languages": LANGUAGES}
