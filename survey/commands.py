"""Commands that work on the database: create-admin, invite, export, demo."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from questionnaires import load
from questionnaires.library import BUNDLED_INSTRUMENT

from . import DEFAULT_BASE_URL, db, exports, operations, queries
from .contacts import ContactsError, invitation_url, links_csv, read_contacts
from .models import User, Wave


def _wave_or_exit(slug: str) -> Wave:
    wave = queries.wave_by_slug(db.session(), slug)
    if wave is None:
        known = ", ".join(db.session().scalars(select(Wave.slug).order_by(Wave.slug))) or "none yet"
        click.echo(f"no wave named {slug!r} (waves: {known})", err=True)
        sys.exit(1)
    return wave


# ---------------------------------------------------------------- accounts


@click.command("create-admin")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--role", type=click.Choice(["admin", "analyst"]), default="admin", show_default=True)
@with_appcontext
def create_admin_command(email: str, password_stdin: bool, role: str) -> None:
    """Create a researcher's account (the password is asked for, or read from stdin)."""
    email = email.strip().lower()
    if "@" not in email or " " in email:
        click.echo(f"{email!r} is not an e-mail address", err=True)
        sys.exit(1)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        click.echo("the password must have at least 10 characters", err=True)
        sys.exit(1)
    try:
        operations.create_user(db.session(), email, generate_password_hash(password), role)
    except operations.OperationError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"created {role} account {email}")


# ---------------------------------------------------------------- invitations


@click.command("invite")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--group", help="Stakeholder group of anonymous links.")
@click.option("--count", type=click.IntRange(1, 100_000), help="How many anonymous links.")
@click.option("--contacts", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="CSV of contacts: name, email, organisation, group (and optional id).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the links CSV here (default: stdout).")
@with_appcontext
def invite_command(wave_slug, group, count, contacts, output) -> None:
    """Create invitation links for a wave and write them as CSV (a `url` column)."""
    wave = _wave_or_exit(wave_slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    if contacts and (group or count):
        raise click.UsageError("give either --contacts or --group with --count")
    if contacts:
        try:
            people = read_contacts(contacts.read_text(encoding="utf-8-sig"), str(contacts), questionnaire)
        except (ContactsError, UnicodeDecodeError) as error:
            problems = getattr(error, "problems", [f"{contacts}: not UTF-8 text"])
            raise click.ClickException("nothing imported:\n" + "\n".join(problems)) from None
    elif group and count:
        if group not in questionnaire.group_codes:
            raise click.BadParameter(f"{group!r} is not one of {', '.join(questionnaire.group_codes)}",
                                     param_hint="--group")
        people = [operations.Contact(group=group) for _ in range(count)]
    else:
        raise click.UsageError("give --group and --count, or --contacts")
    created = operations.create_invitations(db.session(), wave, people)
    db.session().commit()
    text = links_csv(created, current_app.config["BASE_URL"], with_contacts=bool(contacts))
    _write(text, output, f"{len(created)} invitation links for wave {wave.slug}")


# ---------------------------------------------------------------- export


@click.command("export")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--format", "output_format", type=click.Choice(exports.FORMATS), default="csv", show_default=True,
              help="csv: codes (the interchange format); csv-labels; xlsx (data, labels, codebook); sav (SPSS); "
                   "dta (Stata); codebook (Markdown) or codebook-html.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write here (default: stdout, text formats).")
@with_appcontext
def export_command(wave_slug, output_format, output) -> None:
    """Export a wave's completed responses (this year's CSV is next year's baseline)."""
    wave = _wave_or_exit(wave_slug)
    questionnaire = queries.questionnaire_of(wave.edition)
    frame = queries.wave_frame(db.session(), wave)
    content = exports.export(questionnaire, frame, output_format)
    if output is None:
        if output_format in ("xlsx", "sav", "dta"):
            raise click.UsageError(f"--format {output_format} is binary: give --output FILE")
        click.echo(content.decode("utf-8"), nl=False)
    else:
        output.write_bytes(content)
        click.echo(f"wrote {output}: {len(frame)} responses", err=True)


@click.command("import")
@click.argument("wave_slug", metavar="WAVE")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@with_appcontext
def import_command(wave_slug: str, path: Path) -> None:
    """Import a baseline: respondent-level CSV/XLSX, or a counts CSV (item, code, count[, group])."""
    from analysis import InputError

    from .imports import import_baseline

    wave = _wave_or_exit(wave_slug)
    try:
        record = import_baseline(db.session(), wave, path)
    except InputError as error:
        db.session().rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo("nothing imported", err=True)
        sys.exit(1)
    click.echo(f"imported {record.rows} {'rows of counts' if record.kind == 'counts' else 'responses'} into wave "
               f"{wave.slug} (sha256 {record.sha256})")


@click.command("crosswalk")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--file", "crosswalk_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="YAML: baseline item id -> current item id, or -> {item: ID, codes: {old: new}}.")
@click.option("--confirm", multiple=True, metavar="ITEM", help="Confirm that a changed item is comparable.")
@click.option("--unconfirm", multiple=True, metavar="ITEM", help="Take a confirmation back.")
@with_appcontext
def crosswalk_command(wave_slug, crosswalk_file, confirm, unconfirm) -> None:
    """Show (and set) how the wave's items match its baseline wave's: comparable, changed, new, dropped."""
    from . import crosswalk

    wave = _wave_or_exit(wave_slug)
    if wave.baseline is None:
        raise click.ClickException(f"wave {wave.slug} has no baseline wave")
    session = db.session()
    if crosswalk_file:
        try:
            links = crosswalk.parse_crosswalk(crosswalk_file.read_text(encoding="utf-8"), str(crosswalk_file),
                                              queries.questionnaire_of(wave.baseline.edition),
                                              queries.questionnaire_of(wave.edition))
        except crosswalk.CrosswalkError as error:
            raise click.ClickException("nothing saved:\n" + "\n".join(error.problems)) from None
        crosswalk.save_crosswalk(session, wave, links)
    rows = crosswalk.crosswalk(session, wave)
    known = {row.item for row in rows if row.item}
    for item, comparable in [(i, True) for i in confirm] + [(i, False) for i in unconfirm]:
        if item not in known:
            raise click.ClickException(f"wave {wave.slug} has no item {item!r}")
        crosswalk.confirm(session, wave, item, comparable)
    rows = crosswalk.crosswalk(session, wave)
    click.echo(f"wave {wave.slug} ({wave.edition.version}) against baseline {wave.baseline.slug} "
               f"({wave.baseline.edition.version}):")
    for row in rows:
        mapping = f"  codes {row.code_map}" if row.code_map else ""
        click.echo(f"  {row.status:10}  {row.baseline_item or '-':24} -> {row.item or '-'}{mapping}")


def _write(text: str, output: Path | None, summary: str) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}: {summary}", err=True)


# ---------------------------------------------------------------- demo


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
    from analysis.synthetic import synthetic_wave

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
