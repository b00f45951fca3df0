"""`awareness mail`: invitations and reminders by e-mail, bounces, counts and the wording of messages."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .common import warn_if_default_base_url, wave_or_exit
from .lazy import LazyGroup

KIND = click.Choice(["invitation", "reminder"])


@click.group("mail", cls=LazyGroup)
def mail_group() -> None:
    """Send invitations and reminders by e-mail; read bounces; count what was sent."""


class DeadlineType(click.ParamType):
    """A day from today on, written YYYY-MM-DD."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        from ..db import now
        from ..mail.settings import DeadlineError, parse_deadline

        try:
            return parse_deadline(str(value), now().date())
        except DeadlineError as error:
            self.fail(f"{error}; nothing sent", param, ctx)


def _deadline_option(function):
    return click.option("--deadline", type=DeadlineType(),
                        help="Answer by this day (YYYY-MM-DD, not in the past), shown as {deadline}; "
                             "saved for the wave.")(function)


def _rate_option(function):
    return click.option("--per-minute", type=click.IntRange(1, 10_000),
                        help="At most this many messages a minute (default AWARENESS_MAIL_PER_MINUTE, else 60).")(
        function)


def _prepare(wave, deadline, per_minute) -> None:
    """Apply the options, then stop with every problem if the wave's messages cannot be sent."""
    from flask import current_app

    from .. import db
    from ..mail.operations import save_deadline
    from ..mail.send import check_ready
    from ..waves import queries

    if per_minute:
        current_app.config["MAIL_PER_MINUTE"] = per_minute
    if deadline:
        save_deadline(db.session(), wave, deadline)
    languages = queries.questionnaire_of(wave.edition).languages
    problems = check_ready(db.session(), wave, languages)
    if problems:
        raise click.ClickException("nothing sent:\n" + "\n".join(f"  {p}" for p in problems))
    warn_if_default_base_url()


def _say_queued(queued, what: str, several: str) -> None:
    """What was queued, e.g. _say_queued(queued, "invitation sent again", "invitations sent again")."""
    from ..mail.settings import plural

    click.echo(f"queued {plural(queued.queued, what, several)}", err=True)
    for line in queued.skipped:
        click.echo(f"  not queued: {line}", err=True)
    if queued.not_due:
        click.echo(f"  not due a reminder: {', '.join(queued.not_due)}", err=True)


def _send(wave) -> None:
    """Send what is queued for the wave and say how it went; exit 1 when a message failed."""
    from .. import db
    from ..mail.send import send_queued
    from ..mail.settings import plural
    from ..mail.smtp import MailConfigError

    def progress(report):
        click.echo(f"  sent {report.sent}, failed {len(report.failed)}", err=True)

    try:
        report = send_queued(db.session(), wave, progress=progress)
    except MailConfigError as error:
        raise click.ClickException(f"stopped: {error}; the messages not sent stay queued (run the command "
                                   "again)") from None
    click.echo(f"{plural(report.sent, 'message')} sent, {len(report.failed)} failed", err=True)
    for line in report.failed:
        click.echo(f"  failed: {line}", err=True)
    for line in report.unconfirmed:
        click.echo(f"  unconfirmed (not sent again; check the mail server's log): {line}", err=True)
    if report.stale or report.busy:
        stopped = report.stale + report.busy
        click.echo(f"  {plural(stopped, 'message was', 'messages were')} being handed to the mail server when a "
                   f"run stopped (or {'is' if stopped == 1 else 'are'} being sent by another run): not sent again, "
                   "so that nobody gets two; check the mail server's log and use --again ADDRESS if needed",
                   err=True)
    if report.failed or report.unconfirmed:  # each listed above: the exit code alone says so
        click.get_current_context().exit(1)


@mail_group.command("invite")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--contacts", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="CSV of new contacts: name, email, organisation, group, optional id and language.")
@click.option("--again", "addresses", multiple=True, metavar="ADDRESS",
              help="Send the invitation again to this address, with a new link (the links sent before keep working).")
@_deadline_option
@_rate_option
@with_appcontext
def invite_command(wave_slug, contacts, addresses, deadline, per_minute) -> None:
    """E-mail each contact of a wave its personal link (new contacts, or invitations never mailed)."""
    from sqlalchemy import select

    from .. import db
    from ..invitations.contacts import ContactsError
    from ..mail import operations
    from ..mail.recipients import read_mail_contacts
    from ..models import Invitation
    from ..waves import queries

    wave = wave_or_exit(wave_slug)
    session = db.session()
    questionnaire = queries.questionnaire_of(wave.edition)
    default = questionnaire.languages[0]
    if contacts:
        # Read before any option is applied: a bad file changes nothing, not even the deadline.
        existing = {(e or "").lower() for e in session.scalars(
            select(Invitation.contact_email).where(Invitation.wave_id == wave.id))}
        try:
            people = read_mail_contacts(contacts.read_text(encoding="utf-8-sig"), str(contacts), questionnaire,
                                        existing)
        except (ContactsError, UnicodeDecodeError) as error:
            problems = getattr(error, "problems", [f"{contacts}: not UTF-8 text"])
            raise click.ClickException("nothing imported or sent:\n" + "\n".join(problems)) from None
    _prepare(wave, deadline, per_minute)
    if contacts:
        _say_queued(operations.queue_new_contacts(session, wave, people), "invitation to a new contact",
                    "invitations to new contacts")
    if addresses:
        _say_queued(operations.queue_again(session, wave, list(addresses), default), "invitation sent again",
                    "invitations sent again")
    if not contacts and not addresses:
        _say_queued(operations.queue_invitations(session, wave, default), "invitation", "invitations")
    _send(wave)


@mail_group.command("remind")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--after", "after_days", type=click.IntRange(0, 365), default=7, show_default=True,
              help="Remind only contacts whose last message is at least this many days old.")
@_deadline_option
@_rate_option
@with_appcontext
def remind_command(wave_slug, after_days, deadline, per_minute) -> None:
    """E-mail a reminder to the contacts who have not completed, refused, bounced or opted out."""
    from .. import db
    from ..mail import operations
    from ..waves import queries

    wave = wave_or_exit(wave_slug)
    _prepare(wave, deadline, per_minute)
    default = queries.questionnaire_of(wave.edition).languages[0]
    _say_queued(operations.queue_reminders(db.session(), wave, after_days, default), "reminder", "reminders")
    _send(wave)


@mail_group.command("send")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--retry-failed", is_flag=True,
              help="First queue again the messages that failed (each contact's latest, unless completed, "
                   "refused, bounced or opted out since).")
@_rate_option
@with_appcontext
def send_command(wave_slug, retry_failed, per_minute) -> None:
    """Send the messages already queued for a wave (resume a run that stopped), or failed ones again."""
    from .. import db
    from ..mail import operations

    wave = wave_or_exit(wave_slug)
    _prepare(wave, None, per_minute)
    if retry_failed:
        _say_queued(operations.queue_failed_again(db.session(), wave), "failed message again", "failed messages again")
    _send(wave)


@mail_group.command("bounces")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path, exists=True))
@with_appcontext
def bounces_command(path) -> None:
    """Read delivery-status reports (an mbox file or a folder of .eml) and mark those invitations undeliverable."""
    from .. import db
    from ..mail.bounces import MailboxError
    from ..mail.operations import import_bounces

    try:
        report = import_bounces(db.session(), path)
    except (MailboxError, OSError) as error:
        raise click.ClickException(f"nothing marked: {error}") from None
    for line in report.summary():
        click.echo(line)
    for line in report.marked:
        click.echo(f"  undeliverable: {line}")
    for line in report.unmatched:
        click.echo(f"  not matched: {line}")
    for line in report.malformed:
        click.echo(f"  unreadable: {line}")


@mail_group.command("status")
@click.argument("wave_slug", metavar="WAVE")
@with_appcontext
def status_command(wave_slug) -> None:
    """Count a wave's e-mail by stakeholder group: messages queued, sent, failed, unconfirmed; contacts bounced,
    opted out."""
    from .. import db
    from ..monitoring.queries import MAIL_LEGEND, mail_lines

    wave = wave_or_exit(wave_slug)
    lines = mail_lines(db.session(), wave)
    if not lines:
        click.echo(f"wave {wave.slug} has sent no e-mail")
        return
    click.echo(f"E-mail of wave {wave.slug} by stakeholder group.")
    for line in MAIL_LEGEND:
        click.echo(line)
    click.echo()
    for line in lines:
        click.echo(line)


@mail_group.command("wording")
@click.argument("wave_slug", metavar="WAVE")
@click.argument("kind", type=KIND)
@click.argument("language")
@click.option("--subject", help="New subject line.")
@click.option("--body", "body_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="File with the new body (UTF-8 text with {name}, {link}, {deadline}).")
@with_appcontext
def wording_command(wave_slug, kind, language, subject, body_file) -> None:
    """Show a wave's message in one language, or change it (checked before it is saved)."""
    from .. import db
    from ..mail.operations import save_wording
    from ..mail.send import wording_of
    from ..waves import queries

    wave = wave_or_exit(wave_slug)
    languages = queries.questionnaire_of(wave.edition).languages
    if language not in languages:
        raise click.BadParameter(f"{language!r} is not one of {', '.join(languages)}", param_hint="LANGUAGE")
    current = wording_of(db.session(), wave, kind, language)
    if subject is None and body_file is None:
        click.echo(f"Subject: {current.subject}\n\n{current.body}")
        return
    try:
        body = body_file.read_text(encoding="utf-8-sig") if body_file else current.body
    except UnicodeDecodeError:
        raise click.ClickException(f"{body_file}: not UTF-8 text; nothing saved") from None
    problems = save_wording(db.session(), wave, kind, language, subject or current.subject, body)
    if problems:
        raise click.ClickException("nothing saved:\n" + "\n".join(f"  {p}" for p in problems))
    click.echo(f"saved the {kind} message of wave {wave.slug} in {language}")
