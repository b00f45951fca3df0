"""The `awareness` command: Flask's commands (run, shell, routes) plus the platform's own.

One module per topic, imported only when one of its commands is run or its help shown (`COMMANDS`, read by
`lazy.LazyGroup`): a command starts without the other commands' modules, and `awareness --help` and `--version`
without any of them, the web application, SQLAlchemy or pandas. A command's errors are `click.ClickException`s
("Error: ..." on stderr, exit 1); Ctrl-C exits 130.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup, FlaskGroup

from .. import create_app
from .lazy import Lazy, LazyGroup

# Every command: name -> (module, attribute, the first line of its help, as `awareness --help` lists it).
# A new command is one line here (tests/cli/test_lazy_commands.py checks the help is the command's own).
COMMANDS = {
    "backup": Lazy("survey.cli.backup", "backup_command",
                   "Write a consistent copy of the whole database to FILE (safe while respondents answer)."),
    "compare": Lazy("survey.cli.compare", "compare_command",
                    "Compare this year's answers with the baseline, item by item, with the right test for each."),
    "create-admin": Lazy("survey.cli.accounts", "create_admin_command",
                         "Create a researcher's account, or --reset its password (asked for, or read from stdin)."),
    "crosswalk": Lazy("survey.cli.crosswalk", "crosswalk_command",
                      "Show (and set) how the wave's items match its baseline wave's: comparable, changed, new, "
                      "dropped."),
    "db": Lazy("survey.db", "db_group", "Manage the database schema (Alembic migrations)."),
    "demo": Lazy("survey.cli.demo", "demo_command", "Run the platform with demo data on the embedded database."),
    "export": Lazy("survey.cli.data", "export_command",
                   "Export a wave's completed responses (this year's CSV is next year's baseline)."),
    "import": Lazy("survey.cli.data", "import_command",
                   "Import a wave's data: interchange CSV/XLSX, a counts CSV, or a KoboToolbox/ODK Central export."),
    "invite": Lazy("survey.cli.invitations", "invite_command",
                   "Create invitation links for a wave and write them as CSV (a `url` column)."),
    "mail": Lazy("survey.cli.mail", "mail_group",
                 "Send invitations and reminders by e-mail; read bounces; count what was sent."),
    "power": Lazy("survey.cli.power", "power_command",
                  "Minimum detectable difference of a proportion, or sample size per wave (as R's power.prop.test)."),
    "questionnaire": Lazy("survey.cli.questionnaire", "questionnaire",
                          "Validate, show and convert questionnaire definitions (YAML or XLSForm)."),
    "report": Lazy("survey.cli.report", "report_command",
                   "Write a report reviewers can cite (HTML, PDF, DOCX or Markdown), with its JSON and stamp beside "
                   "it."),
    "restore": Lazy("survey.cli.backup", "restore_command",
                    "Replace the database's content with the backup in FILE (stop the app servers first)."),
    "set-password": Lazy("survey.cli.accounts", "set_password_command",
                         "Change a researcher's password; every login of that account ends."),
    "trend": Lazy("survey.cli.trend", "trend_command",
                  "Every wave of the period, each step from the wave before, and a test of the trend over them all."),
    "verify": Lazy("survey.cli.report", "verify_command",
                   "Recompute a report's comparison from the same data; exit 0 when every number matches."),
    "wave": Lazy("survey.cli.wave", "wave_group",
                 "Create, list, show, open and close the yearly rounds (waves) of a survey."),
    "worker": Lazy("survey.cli.worker", "worker_command",
                   "Send the e-mail that the console queues (AWARENESS_MAIL_QUEUE_URL); run it under the service "
                   "manager."),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("awareness-survey")
    except PackageNotFoundError:  # running from a source tree that was not installed
        from .. import __version__

        return __version__


class AwarenessGroup(LazyGroup, FlaskGroup):
    """A FlaskGroup that lists its commands without creating the application or importing their modules."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        # FlaskGroup would create the app here to find the app's own commands; ours are all on
        # this group already, so `awareness --help` stays fast and works without a database.
        return sorted({*self.commands, *self.lazy})

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
            raise click.ClickException(message) from None


class AppCommands(LazyGroup, AppGroup):
    """The application's own command group (`flask --app survey`, the tests' CLI runner), with the platform's
    commands loaded as `awareness` loads them."""


def _database_problem(error: Exception) -> str | None:
    """A clear message for a file that cannot be read or written, or a database without tables or out of
    reach; None for anything else."""
    import sys

    from ..comparison.errors import ComparisonInputError

    if isinstance(error, ComparisonInputError):  # a wave or database a command did not check itself
        return str(error)
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


@click.group(cls=AwarenessGroup, create_app=create_app, add_version_option=False, lazy=COMMANDS,
             context_settings={"max_content_width": 100})
@click.version_option(_version(), "--version", prog_name="awareness", message="%(prog)s %(version)s")
def cli() -> None:
    """Stakeholder awareness surveys: run yearly rounds and compare them."""


def register_commands(app) -> None:
    """Put the platform's commands on the app too (loaded when run), so `flask` and the tests' CLI runner see
    them: the app's command group becomes an `AppCommands` holding the commands it had."""
    app.cli = AppCommands(app.cli.name, commands=app.cli.commands, lazy=COMMANDS)
