"""`awareness demo`: the platform with demo data on the embedded database.

The demo is a fieldwork that could have happened: every synthetic response comes with the
invitation it answered, over six weeks of fieldwork in February and March of the wave's year (the
2018 wave's responses are dated 2018, so a report's title block is coherent), beside invitations
refused, broken off or never answered, so that the monitoring's counts and AAPOR rates agree with the
responses.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

DEMO_ADMIN = "admin@example.org"
# Share of invitations completed, by group: ministries answer more readily than employers.
DEMO_RESPONSE_RATE = {"government": 0.75, "employers": 0.5, "workers": 0.6, "civil_society": 0.7,
                      "development_partners": 0.8}
FIELDWORK_DAYS = 42
# (slug, status, respondents, seed): one round a year, each fielded in its year; the last is still open.
DEMO_WAVES = (("2015", "closed", 130, 15), ("2016", "closed", 140, 29), ("2017", "closed", 150, 17),
              ("2018", "open", 170, 18))
OPEN_WAVE = DEMO_WAVES[-1][0]


def fieldwork_start(slug: str):
    """The first day of a wave's six weeks: the first Monday of February of its year, for the open wave too (a
    2018 round fielded in 2018: the report's title block says "from 5 February 2018, still open")."""
    from datetime import date, timedelta

    year = int(slug)
    return date(year, 2, 1) + timedelta(days=(7 - date(year, 2, 1).weekday()) % 7)


def _dated(wave, start, status: str) -> None:
    """The wave opened on its first day of fieldwork and, if closed, closed the day after its six weeks."""
    from datetime import datetime, timedelta

    wave.created_at = datetime(start.year, start.month, start.day, 8)
    if status != "open":
        end = start + timedelta(days=FIELDWORK_DAYS)
        wave.closed_at = datetime(end.year, end.month, end.day, 8)


def _fieldwork_days(rng, count: int, start) -> list:
    """Completion days over six weeks from `start`: most early, more after a reminder."""
    from datetime import timedelta

    early = rng.gamma(1.6, 5.0, size=count)
    reminded = 21 + rng.gamma(1.4, 4.0, size=count)  # the reminder at three weeks brings a second wave
    offsets = [min(FIELDWORK_DAYS - 1, int(e if r < 0.7 else m))
               for e, m, r in zip(early, reminded, rng.random(count), strict=True)]
    return sorted(start + timedelta(days=offset) for offset in offsets)


def _invitations_for(session, wave, group: str, days: list, start) -> None:
    """The invitations of one group: one completed per response (on its day), and those that were not."""
    import json
    from datetime import datetime

    from ..invitations.operations import Contact, create_invitations
    from ..models import Completion, Draft

    completes = len(days)
    invited = max(completes, round(completes / DEMO_RESPONSE_RATE.get(group, 0.6)))
    others = invited - completes
    partial, refused = round(others * 0.15), round(others * 0.2)
    created = create_invitations(session, wave, [Contact(group=group)] * invited)
    invitations = [invitation for invitation, _token in created]
    for invitation, day in zip(invitations, days, strict=False):
        moment = datetime(day.year, day.month, day.day)  # anonymous waves keep dates to the day
        invitation.consented_at = invitation.started_at = moment
        invitation.completed, invitation.disposition, invitation.completed_on = True, "completed", day
    from questionnaires.answers import answered_share

    from ..waves.queries import questionnaire_of

    first_page = {"heard_policy": "yes"}
    progress = int(100 * answered_share(questionnaire_of(wave.edition), first_page))
    for invitation in invitations[completes:completes + partial]:
        invitation.consented_at = invitation.started_at = datetime(start.year, start.month, start.day)
        invitation.disposition, invitation.answered, invitation.progress = "started", True, progress
    for invitation in invitations[completes + partial:completes + partial + refused]:
        invitation.disposition = "refused"
    session.flush()
    session.add_all(Completion(invitation_id=invitation.id) for invitation in invitations[:completes])
    # Broken off after the first page: AAPOR's rule makes them break-offs (a few % of the questions answered).
    session.add_all(Draft(invitation_id=invitation.id, page=1, answers=json.dumps(first_page),
                          answered=True, language="en", updated_at=invitation.started_at)
                    for invitation in invitations[completes:completes + partial])


def _demo_wave(session, questionnaire, edition, slug: str, status: str, count: int, seed: int, baseline):
    """A wave with synthetic responses, their invitations and dispositions, and the groups' population sizes."""
    import numpy as np

    from analysis.synthetic import DEMO_AWARENESS, synthetic_wave

    from ..responses import operations
    from ..waves.operations import create_wave, set_populations, set_status

    wave = create_wave(session, slug, edition, status="open", baseline=baseline,
                                  open_link=slug == OPEN_WAVE)
    rng = np.random.default_rng(seed)
    frame = synthetic_wave(questionnaire, count, awareness=DEMO_AWARENESS[slug], seed=seed)
    rows = frame.fillna("").astype(str).to_dict("records")
    days_of_rows: list = [None] * len(rows)
    sizes = {}
    for group in questionnaire.group_codes:
        positions = [number for number, row in enumerate(rows) if row["group"] == group]
        days = _fieldwork_days(rng, len(positions), fieldwork_start(slug))
        for position, day in zip(positions, rng.permutation(days), strict=True):
            days_of_rows[position] = day
        _invitations_for(session, wave, group, days, days[0] if days else fieldwork_start(slug))
        sizes[group] = round(len(positions) / DEMO_RESPONSE_RATE.get(group, 0.6) * 1.2)
    # Committed with the wave and the invitations made for the responses, in one transaction.
    operations.store_responses(session, wave, rows, days=days_of_rows)
    if status != "open":  # closed as a researcher would: the broken-off answers of an anonymous wave go
        set_status(session, wave, status)
    _dated(wave, fieldwork_start(slug), status)  # committed with the population sizes
    set_populations(session, wave, sizes)
    return wave


def _admin_lines(session) -> list[str]:
    """Create the demo admin once; later runs keep its password and say how to set a new one."""
    import secrets

    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from ..accounts.operations import create_user
    from ..models import User

    if session.scalar(select(User).where(User.email == DEMO_ADMIN)) is None:
        password = secrets.token_urlsafe(12)
        create_user(session, DEMO_ADMIN, generate_password_hash(password), "admin")
        return [f"Admin login: {DEMO_ADMIN} / {password}  (shown once: note it)"]
    return [f"Admin login: {DEMO_ADMIN}, with the password shown when the demo first ran "
            f"(a new one: awareness create-admin {DEMO_ADMIN} --reset)"]


def prepare_demo(app) -> list[str]:
    """Create or reuse the demo data; returns lines to print (links and the admin login)."""
    from questionnaires import load
    from questionnaires.library import BUNDLED_INSTRUMENT

    from .. import db
    from ..invitations.contacts import invitation_url
    from ..invitations.operations import Contact, create_invitations
    from ..waves import queries
    from ..waves.operations import store_edition

    db.upgrade(app)
    session = db.session()
    questionnaire = load(BUNDLED_INSTRUMENT)
    edition = store_edition(session, questionnaire)
    waves, made, previous = {}, False, None
    for slug, status, count, seed in DEMO_WAVES:
        wave = queries.wave_by_slug(session, slug)
        if wave is None:
            wave = _demo_wave(session, questionnaire, edition, slug, status, count, seed, previous)
            made = True
        waves[slug] = previous = wave
    admin = _admin_lines(session)
    base = current_app.config["BASE_URL"].rstrip("/")
    lines = ["Demo data: waves 2015, 2016 and 2017 (closed, each the next one's baseline) and 2018 (open, fielded "
             f"from February 2018), bundled instrument {questionnaire.id} {questionnaire.version}.", ""]
    if made:
        # Tokens are stored only as hashes: the links are printed once, when the demo is made.
        created = create_invitations(
            session, waves["2018"], [Contact(group=code) for code in questionnaire.group_codes], commit=True)
        labels = {group.code: questionnaire.text(group.label) for group in questionnaire.groups}
        width = max(len(label) for label in labels.values())
        lines += ["Invitation links for wave 2018, one per group (printed once: only their hashes are stored):"]
        lines += [f"  {labels[invitation.group_code]:{width}}  {invitation_url(base, token)}"
                  for invitation, token in created]
    else:
        # Run again, nothing is added: the response rates stay as they were.
        lines += ["The demo data was made earlier and is reused unchanged; its personal links were printed then.",
                  "A new personal link (counted as invited):  awareness invite 2018 --group workers --count 1"]
    lines += ["", f"Open link (respondents choose their group): {base}/w/2018", *admin,
              f"Researchers' console: {base}/admin/", "",
              "Monitoring:  awareness wave show 2018",
              "Compare 2018 with 2017:  awareness compare --baseline-wave 2017 --current-wave 2018 --by-group",
              "The trend over the period:  awareness trend --waves 2015 2016 2017 2018"]
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
    if not no_serve:
        _port_free_or_exit(host, port)
    if app.config["BASE_URL"] == DEFAULT_BASE_URL:  # links should point where the demo serves
        app.config["BASE_URL"] = f"http://{host}:{port}"
    for line in prepare_demo(app):
        click.echo(line)
    if not no_serve:
        from werkzeug.serving import run_simple

        click.echo(f"\nServing on http://{host}:{port} (Ctrl+C to stop)")
        # run_simple, not app.run: Flask ignores app.run() inside its own command line.
        run_simple(host, port, app, threaded=True)


def _port_free_or_exit(host: str, port: int) -> None:
    """A ClickException, before any data is made, when the demo could not serve on host:port."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
        try:
            probe.bind((host, port))
        except OSError as error:
            raise click.ClickException(f"cannot serve on {host}:{port} ({error.strerror}); choose another with "
                                       "--port") from None
