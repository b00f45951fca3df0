"""`awareness demo`: the platform with demo data on the embedded database."""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

DEMO_ADMIN = "admin@example.org"
# Share aware by stakeholder group: a rise from 2017 to 2018 that differs between groups.
DEMO_AWARENESS = {
    "2017": {"government": 0.55, "employers": 0.30, "workers": 0.40, "civil_society": 0.50,
             "development_partners": 0.75},
    "2018": {"government": 0.85, "employers": 0.45, "workers": 0.65, "civil_society": 0.70,
             "development_partners": 0.85},
}


def prepare_demo(app) -> list[str]:
    """Create or reuse the demo data; returns lines to print (links and the admin login)."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from analysis.synthetic import synthetic_wave
    from questionnaires import load
    from questionnaires.library import BUNDLED_INSTRUMENT

    from .. import db, operations, queries
    from ..contacts import invitation_url
    from ..models import User

    db.upgrade(app)
    session = db.session()
    questionnaire = load(BUNDLED_INSTRUMENT)
    edition = operations.store_edition(session, questionnaire)
    waves = {}
    for slug, status, count, seed in (("2017", "closed", 150, 17), ("2018", "open", 170, 18)):
        wave = queries.wave_by_slug(session, slug)
        if wave is None:
            wave = operations.create_wave(session, slug, edition, status=status, baseline=waves.get("2017"),
                                          open_link=slug == "2018")
            frame = synthetic_wave(questionnaire, count, awareness=DEMO_AWARENESS[slug], seed=seed)
            rows = frame.fillna("").astype(str).to_dict("records")
            operations.store_responses(session, wave, rows)
        waves[slug] = wave
    password = secrets.token_urlsafe(12)
    admin = session.scalar(select(User).where(User.email == DEMO_ADMIN))
    if admin is None:
        operations.create_user(session, DEMO_ADMIN, generate_password_hash(password), "admin")
    else:
        admin.password_hash = generate_password_hash(password)  # a fresh password each run, printed below
        session.commit()
    created = operations.create_invitations(
        session, waves["2018"], [operations.Contact(group=code) for code in questionnaire.group_codes])
    session.commit()
    lines = ["Demo data: waves 2017 (closed, baseline) and 2018 (open), bundled instrument "
             f"{questionnaire.id} {questionnaire.version}.", "", "Invitation links for wave 2018, one per group:"]
    base = current_app.config["BASE_URL"].rstrip("/")
    lines += [f"  {invitation.group_code:22} {invitation_url(base, token)}" for invitation, token in created]
    lines += ["", f"Open link (respondents choose their group): {base}/w/2018",
              f"Admin login: {DEMO_ADMIN} / {password}  (researchers' console: {base}/admin/)", "",
              "Compare 2018 with 2017:  awareness compare --baseline-wave 2017 --current-wave 2018 --by-group"]
    return lines


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the demo data and exit.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Run the platform with demo data on the embedded database."""
    from .. import DEFAULT_BASE_URL

    app = current_app._get_current_object()
    if app.config["BASE_URL"] == DEFAULT_BASE_URL:  # links should point where the demo serves
        app.config["BASE_URL"] = f"http://{host}:{port}"
    for line in prepare_demo(app):
        click.echo(line)
    if not no_serve:
        from werkzeug.serving import run_simple

        click.echo(f"\nServing on http://{host}:{port} (Ctrl+C to stop)")
        # run_simple, not app.run: Flask ignores app.run() inside its own command line.
        run_simple(host, port, app, threaded=True)
