"""`awareness demo`: the platform with demo data on the embedded database.

The data is made by `survey/demo/` (its plan in `fieldwork.py`, its writes in `operations.py`); this module parses
the options, says what was made and serves.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


def prepare_demo(app) -> list[str]:
    """Create or reuse the demo data; returns lines to print (links and the admin login)."""
    from .. import db
    from ..demo.fieldwork import DEMO_ADMIN
    from ..demo.operations import prepare_demo as make
    from ..invitations.contacts import invitation_url

    db.upgrade(app)
    demo = make(db.session())
    questionnaire = demo.questionnaire
    base = current_app.config["BASE_URL"].rstrip("/")
    lines = ["Demo data: waves 2015, 2016 and 2017 (closed, each the next one's baseline) and 2018 (open, fielded "
             f"from February 2018), bundled instrument {questionnaire.id} {questionnaire.version}.", ""]
    if demo.made:
        labels = {group.code: questionnaire.text(group.label) for group in questionnaire.groups}
        width = max(len(label) for label in labels.values())
        lines += ["Invitation links for wave 2018, one per group (printed once: only their hashes are stored):"]
        lines += [f"  {labels[group]:{width}}  {invitation_url(base, token)}" for group, token in demo.links]
    else:
        lines += ["The demo data was made earlier and is reused unchanged; its personal links were printed then.",
                  "A new personal link (counted as invited):  awareness invite 2018 --group workers --count 1"]
    if demo.admin_password is not None:
        admin = [f"Admin login: {DEMO_ADMIN} / {demo.admin_password}  (shown once: note it)"]
    else:
        admin = [f"Admin login: {DEMO_ADMIN}, with the password shown when the demo first ran "
                 f"(a new one: awareness create-admin {DEMO_ADMIN} --reset)"]
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
    from .. import local_base_url

    app = current_app._get_current_object()
    if not no_serve:
        _port_free_or_exit(host, port)
    if local_base_url(app.config):  # not set by the researcher: the links point where the demo serves
        app.config["BASE_URL"] = served_address(app.instance_path, host, port)
    for line in prepare_demo(app):
        click.echo(line)
    if not no_serve:
        from werkzeug.serving import run_simple

        click.echo(f"\nServing on http://{host}:{port} (Ctrl+C to stop)")
        # run_simple, not app.run: Flask ignores app.run() inside its own command line.
        run_simple(host, port, app, threaded=True)


def served_address(instance_path: str, host: str, port: int) -> str:
    """The demo's address, kept in the instance folder when it is not the default (survey/__init__.py:
    served_demo_address): the later commands' links (invite, mail) point at it too."""
    from pathlib import Path

    from .. import DEFAULT_BASE_URL, DEMO_ADDRESS

    address = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    kept = Path(instance_path) / DEMO_ADDRESS
    if address == DEFAULT_BASE_URL:
        kept.unlink(missing_ok=True)
    else:
        kept.write_text(address + "\n")
    return address


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
