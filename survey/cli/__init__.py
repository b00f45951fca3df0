"""The `awareness` command: Flask's commands (run, shell, routes) plus the platform's own.

One module per topic. Each imports only click at module level, so that `awareness --help`,
`--version` and the commands that need no database start without loading the web application,
SQLAlchemy or pandas.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from .. import create_app
from . import (
    accounts,
    backup,
    compare,
    crosswalk,
    data,
    demo,
    invitations,
    mail,
    power,
    questionnaire,
    report,
    trend,
    wave,
    worker,
)
from .common import format_full_help

COMMANDS = (questionnaire.questionnaire, demo.demo_command, compare.compare_command,
            invitations.invite_command, data.export_command, data.import_command,
            crosswalk.crosswalk_command, accounts.create_admin_command, accounts.set_password_command,
            backup.backup_command, backup.restore_command, mail.mail_group, power.power_command,
            report.report_command, report.verify_command, trend.trend_command, wave.wave_group,
            worker.worker_command)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("awareness-survey")
    except PackageNotFoundError:  # running from a source tree that was not installed
        from .. import __version__

        return __version__


# Commands that live with the module they manage, loaded only when asked for: (module, attribute, help).
LAZY = {"db": ("survey.db", "db_group", "Create or upgrade the database schema (Alembic migrations).")}


class AwarenessGroup(FlaskGroup):
    """A FlaskGroup that lists its commands without creating the application."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # FlaskGroup would create the app here to find the app's own commands; ours are all on
        # this group already, so `awareness --help` stays fast and works without a database.
        return sorted({*self.commands, *LAZY})

    def get_command(self, ctx: click.Context, name: str):
        if name in LAZY and name not in self.commands:
            from importlib import import_module

            module, attribute, _help = LAZY[name]
            return getattr(import_module(module), attribute)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        format_full_help(self, ctx, formatter, lazy={name: help for name, (_m, _a, help) in LAZY.items()})

    def invoke(self, ctx: click.Context):
        from ..private_files import private_umask

        private_umask()  # files a command writes (exports, links files, reports, backups): owner only
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # The app context has closed the database session on the way out, rolling back the
            # transaction under way; files being written were removed (common.removed_if_interrupted).
            click.echo("interrupted: the step under way was undone; nothing half-written was kept", err=True)
            ctx.exit(130)
        except Exception as error:
            message = _database_problem(error)
            if message is None:
                raise
            click.echo(message, err=True)
            ctx.exit(1)


def _database_problem(error: Exception) -> str | None:
    """A clear message for a file that cannot be read or written, or a database without tables or out of
    reach; None for anything else."""
    import sys

    if isinstance(error, OSError) and error.filename is not None:
        # An output folder that does not exist, a file without permission: the user's to fix.
        return f"{error.filename}: {error.strerror or error}"
    if "sqlalchemy" not in sys.modules:  # nothing touched a database
        return None
    from sqlalchemy.exc import OperationalError, ProgrammingError

    if not isinstance(error, (OperationalError, ProgrammingError)):
        return None
    text = str(error.orig)
    if "no such table" in text or "does not exist" in text:
        return "the database has no tables yet: run `awareness db upgrade` first"
    return f"cannot use the database: {text.strip().splitlines()[0] if text.strip() else type(error.orig).__name__}"


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
