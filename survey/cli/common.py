"""Helpers shared by the commands: find a wave, load a questionnaire, write output."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click


class Problems(click.ClickException):
    """Every problem found, one a line, after "Error: "; exit 1."""

    def __init__(self, problems: list[str] | tuple[str, ...]):
        super().__init__("\n".join(str(problem) for problem in problems))


def database_or_exit() -> None:
    """A ClickException saying what to do when the database cannot be reached or has no schema yet (or not the
    latest)."""
    from .. import db
    from ..comparison.errors import DatabaseUnavailable
    from ..comparison.queries import ready_database

    try:
        ready_database(db.session())
    except DatabaseUnavailable as error:
        raise click.ClickException(str(error)) from None


def wave_or_exit(slug: str):
    """The wave named `slug`, or a ClickException listing the waves there are."""
    from .. import db
    from ..comparison.errors import WaveNotFound
    from ..comparison.queries import wave_named

    database_or_exit()
    try:
        return wave_named(db.session(), slug)
    except WaveNotFound as error:
        raise click.ClickException(str(error)) from None


def load_or_exit(path: Path):
    """The questionnaire in `path`, or a ClickException with every problem."""
    from questionnaires import QuestionnaireError, load

    try:
        return load(path)
    except QuestionnaireError as error:
        raise Problems(error.problems) from None
    except OSError as error:  # a folder, a file that cannot be read
        raise click.ClickException(f"{path}: cannot be read ({error.strerror or error})") from None


def population_or_exit(path: Path, questionnaire=None, *, then: str | None = None) -> dict[str, int]:
    """Group sizes from a population file (`group,size`), or a ClickException with every problem (and `then`)."""
    from analysis import InputError
    from analysis.population import read_population

    try:
        return read_population(path, questionnaire)
    except InputError as error:
        raise Problems([*error.problems, *([then] if then else [])]) from None


def writable_or_exit(output: Path | None) -> None:
    """A ClickException, before any work is done, when `output` cannot be written."""
    import os

    if output is None:
        return
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise click.ClickException(f"{output}: is a folder; give a file name")
    if not folder.is_dir():
        raise click.ClickException(f"{output}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise click.ClickException(f"{output}: cannot be written here (permission denied)")


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
    """Write `content` into `output` (a file, or a device or pipe given as the output), or a ClickException
    saying why: a full disk or a refused path is a message, never a traceback. `on_failure()` undoes what the
    file was for."""
    try:
        with removed_if_interrupted(output), open(output, "wb") as file:
            file.write(content)
    except OSError as error:
        if on_failure is not None:
            on_failure()
        raise unwritable(output, error) from None


def unwritable(output: Path, error: OSError) -> click.ClickException:
    """The error to raise when `output` could not be written."""
    return click.ClickException(f"{output}: cannot be written ({error.strerror or error})")


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

    from .. import local_address

    where = local_address(current_app.config)
    if where:
        base = current_app.config["BASE_URL"].rstrip("/")
        click.echo(f"warning: the links point at {base}, {where}, which only this computer "
                   "reaches; set AWARENESS_BASE_URL to the address respondents open (such as "
                   "https://survey.example.org)", err=True)
