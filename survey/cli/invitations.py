"""`awareness invite`: invitation links for a wave, anonymous by group or from a contacts file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from .common import warn_if_default_base_url, wave_or_exit, writable_or_exit, write_text


@click.command("invite")
@click.argument("wave_slug", metavar="WAVE")
@click.option("--group", help="Stakeholder group of anonymous links.")
@click.option("--count", type=click.IntRange(1, 100_000), help="How many anonymous links (at least 1).")
@click.option("--contacts", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="CSV of contacts: name, email, organisation, group (and optional id).")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the links CSV here (default: stdout).")
@with_appcontext
def invite_command(wave_slug, group, count, contacts, output) -> None:
    """Create invitation links for a wave and write them as CSV (a `url` column)."""
    from flask import current_app

    from .. import db
    from ..invitations.contacts import ContactsError, links_csv, read_contacts
    from ..invitations.operations import Contact, create_invitations, invitations_kept_if_done
    from ..waves import queries

    writable_or_exit(output)  # before any link is made: tokens are shown once, in this file
    wave = wave_or_exit(wave_slug)
    if wave.status == "closed":
        raise click.ClickException(f"wave {wave.slug} is closed: its links would accept no answers "
                                   f"(awareness wave open {wave.slug} to reopen it)")
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
        people = [Contact(group=group) for _ in range(count)]
    else:
        raise click.UsageError("give --group and --count, or --contacts")
    # Said once the request is known to be good, so that it does not hide the real error.
    warn_if_default_base_url()
    summary = f"{len(people)} invitation links for wave {wave.slug}"
    if output is None:
        created = create_invitations(db.session(), wave, people, commit=True)
        write_text(links_csv(created, current_app.config["BASE_URL"], with_contacts=bool(contacts)), output, summary)
        return

    def say_none_kept() -> None:  # invitations_kept_if_done undoes them
        click.echo("no invitation created", err=True)

    # The links are shown once, in this file (tokens are stored as hashes): no invitation is kept unless
    # the file holding its link was written.
    with invitations_kept_if_done(db.session(), wave, people) as created:
        text = links_csv(created, current_app.config["BASE_URL"], with_contacts=bool(contacts))
        write_text(text, output, summary, on_failure=say_none_kept)
