"""Helpers shared by the commands: find a wave, load a questionnaire, write output."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click


def database_or_exit() -> None:
    """Exit 1 with what to do when the database has no schema yet (or is not the latest)."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from .. import db

    try:
        inspector = inspect(db.engine())
        ready = inspector.has_table("waves") and "import_id" in {c["name"] for c in inspector.get_columns("responses")}
    except SQLAlchemyError as error:
        click.echo(f"cannot reach the database {db.engine().url.render_as_string(hide_password=True)}: "
                   f"{error.__class__.__name__}; check AWARENESS_DATABASE_URL", err=True)
        sys.exit(1)
    if not ready:
        click.echo(f"the database {db.engine().url.render_as_string(hide_password=True)} is not set up or is "
                   "out of date: run `awareness db upgrade` first", err=True)
        sys.exit(1)


def wave_or_exit(slug: str):
    """The wave named `slug`, or a message listing the waves there are and exit 1."""
    from sqlalchemy import select

    from .. import db
    from ..models import Wave
    from ..waves import queries

    database_or_exit()
    wave = queries.wave_by_slug(db.session(), slug)
    if wave is None:
        known = ", ".join(db.session().scalars(select(Wave.slug).order_by(Wave.slug))) or "none yet"
        click.echo(f"no wave named {slug!r} (waves: {known})", err=True)
        sys.exit(1)
    return wave


def load_or_exit(path: Path):
    """The questionnaire in `path`, or every problem printed and exit 1."""
    from questionnaires import QuestionnaireError, load

    try:
        return load(path)
    except QuestionnaireError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    except OSError as error:  # a folder, a file that cannot be read
        click.echo(f"{path}: cannot be read ({error.strerror or error})", err=True)
        sys.exit(1)


def population_or_exit(path: Path, questionnaire=None, *, then: str | None = None) -> dict[str, int]:
    """Group sizes from a population file (`group,size`), or every problem printed (and `then`) and exit 1."""
    from analysis import InputError
    from analysis.population import read_population

    try:
        return read_population(path, questionnaire)
    except InputError as error:
        exit_with([*error.problems, *([then] if then else [])])


def exit_with(problems: list[str]) -> NoReturn:
    """Print each problem on stderr and exit 1."""
    for problem in problems:
        click.echo(problem, err=True)
    sys.exit(1)


def writable_or_exit(output: Path | None) -> None:
    """Exit 1 with a message, before any work is done, when `output` cannot be written."""
    import os

    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        click.echo(f"{output}: is a folder; give a file name", err=True)
    elif not folder.is_dir():
        click.echo(f"{output}: the folder {folder} does not exist", err=True)
    elif not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        click.echo(f"{output}: cannot be written here (permission denied)", err=True)
    else:
        return
    sys.exit(1)


def write_text(text: str, output: Path | None, summary: str, *, on_failure=None) -> None:
    """Write `text` to `output` (and say so on stderr), or to stdout when there is no output file."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_or_exit(output, text.encode("utf-8"), on_failure=on_failure)
        click.echo(f"wrote {output}: {summary}", err=True)


@contextmanager
def removed_if_interrupted(*outputs: Path) -> Iterator[None]:
    """Files being written: on Ctrl-C the regular files among them are removed, so that none is left
    half-written (a pipe or a device given as the output is left alone). The interrupt goes on to the
    command line's one-line message."""
    try:
        yield
    except KeyboardInterrupt:
        for output in outputs:
            if output.is_file():
                output.unlink()
        raise


def write_or_exit(output: Path, content: bytes, *, on_failure=None) -> None:
    """Write `content` into `output` (a file, or a device or pipe given as the output), or exit 1 saying why:
    a full disk or a refused path is a message, never a traceback. `on_failure()` undoes what the file was for."""
    try:
        with removed_if_interrupted(output), open(output, "wb") as file:
            file.write(content)
    except OSError as error:
        if on_failure is not None:
            on_failure()
        exit_unwritable(output, error)


def exit_unwritable(output: Path, error: OSError) -> None:
    click.echo(f"{output}: cannot be written ({error.strerror or error})", err=True)
    sys.exit(1)


def format_full_help(group: click.Group, ctx: click.Context, formatter: click.HelpFormatter, *,
                     lazy: dict[str, str] | None = None) -> None:
    """List a group's commands with their whole first line of help, never cut with "...".

    `lazy` gives the help of commands that are listed without being loaded.
    """
    lazy = lazy or {}
    rows = [(name, lazy[name]) if name in lazy else (name, command.get_short_help_str(limit=1000))
            for name in group.list_commands(ctx)
            if name in lazy or ((command := group.get_command(ctx, name)) is not None and not command.hidden)]
    if rows:
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class FullHelpGroup(click.Group):
    """A command group whose help lists each command's whole first line."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        format_full_help(self, ctx, formatter)


class Progress:
    """A progress bar on a terminal for work over many respondents; silent when stderr is not a terminal.

    `step(n)` advances by n units (respondents, or stages of the work); used as a context manager.
    Nothing shows for fewer than `threshold` respondents (`respondents`, else `length`).
    """

    def __init__(self, label: str, length: int, *, respondents: int | None = None, threshold: int = 10_000):
        self.bar = None
        if (length if respondents is None else respondents) >= threshold and sys.stderr.isatty():
            self.bar = click.progressbar(length=length, label=label, file=sys.stderr)

    def __enter__(self) -> Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def step(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def csv_rows(*paths: Path) -> int:
    """Roughly how many respondents CSV files hold (their lines), to size a progress bar; 0 off a terminal."""
    if not sys.stderr.isatty():
        return 0
    total = 0
    for path in paths:
        if path.suffix.lower() == ".csv" and path.is_file():
            with open(path, "rb") as file:
                total += max(0, sum(block.count(b"\n") for block in iter(lambda f=file: f.read(1 << 20), b"")) - 1)
    return total


def stored_responses(*waves) -> int:
    """How many responses the waves hold (for the progress bar); 0 off a terminal."""
    if not sys.stderr.isatty():
        return 0
    from sqlalchemy import func, select

    from .. import db
    from ..models import Response

    return db.session().scalar(select(func.count()).select_from(Response)
                               .where(Response.wave_id.in_([wave.id for wave in waves]))) or 0


class WholeNumber(click.ParamType):
    """A whole number within a range, refused with a message that says so (not "not a valid integer range")."""

    name = "N"

    def __init__(self, minimum: int, maximum: int | None = None):
        self.minimum, self.maximum = minimum, maximum

    def _wanted(self) -> str:
        if self.maximum is None:
            return f"a whole number of at least {self.minimum}"
        return f"a whole number from {self.minimum} to {self.maximum}"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not {self._wanted()}", param, ctx)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            self.fail(f"{number} is not {self._wanted()}", param, ctx)
        return number


def warn_if_default_base_url() -> None:
    """Links about to be handed out point at the default address, which only this computer reaches: say so."""
    from flask import current_app

    from .. import DEFAULT_BASE_URL

    if current_app.config["BASE_URL"].rstrip("/") == DEFAULT_BASE_URL:
        click.echo(f"warning: the links point at {DEFAULT_BASE_URL}, the default, which only this computer "
                   "reaches; set AWARENESS_BASE_URL to the address respondents open (such as "
                   "https://survey.example.org)", err=True)
