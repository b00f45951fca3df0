"""The `awareness` command: Flask's commands (run, shell, routes) plus the platform's own.

One module per topic. Each imports only click at module level, so that `awareness --help`,
`--version` and the commands that need no database start without loading the web application,
SQLAlchemy or pandas.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from .. import create_app
from . import accounts, backup, compare, crosswalk, data, demo, invitations, questionnaire
from .common import format_full_help

COMMANDS = (questionnaire.questionnaire, demo.demo_command, compare.compare_command,
            invitations.invite_command, data.export_command, data.import_command,
            crosswalk.crosswalk_command, accounts.create_admin_command,
            accounts.set_password_command, backup.backup_command, backup.restore_command)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("awareness-survey")
    except PackageNotFoundError:  # running from a source tree that was not installed
        from .. import __version__

        return __version__


class AwarenessGroup(FlaskGroup):
    """A FlaskGroup that lists its commands without creating the application."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # FlaskGroup would create the app here to find the app's own commands; ours are all on
        # this group already, so `awareness --help` stays fast and works without a database.
        return sorted(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        format_full_help(self, ctx, formatter)


@click.group(cls=AwarenessGroup, create_app=create_app, add_version_option=False,
             context_settings={"max_content_width": 100})
@click.version_option(_version(), "--version", prog_name="awareness", message="%(prog)s %(version)s")
def cli() -> None:
    """Stakeholder awareness surveys: run yearly rounds and compare them."""


for _command in COMMANDS:
    cli.add_command(_command)


def register_commands(app) -> None:
    """Put the platform's commands on the app too, so `flask` and the tests' CLI runner see them."""
    for command in COMMANDS:
        app.cli.add_command(command)
