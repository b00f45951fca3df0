"""The data `compare`, `report` and `verify` compare: files, or two waves of the database found once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .common import Problems, csv_rows, load_or_exit, population_or_exit, stored_responses
from .options import check_weighting

# The options that say which data to compare (as the commands name their parameters).
SOURCE_KEYS = ("questionnaire_path", "baseline", "current", "baseline_wave", "current_wave")


def reads_database(options: dict) -> bool:
    """True for waves of the database, False for files; a UsageError when the options mix the two or miss one."""
    o = options
    check_weighting(o)
    if o["baseline_wave"] or o["current_wave"]:
        if not (o["baseline_wave"] and o["current_wave"]) or o["baseline"] or o["current"] or o["questionnaire_path"]:
            raise click.UsageError("give --baseline-wave with --current-wave, or --questionnaire with --baseline "
                                   "and --current")
        if o["baseline_wave"] == o["current_wave"]:
            raise click.UsageError(f"--baseline-wave and --current-wave both name wave {o['current_wave']}: a "
                                   "wave compared with itself shows no change; name last year's wave as the baseline")
        return True
    if not (o["questionnaire_path"] and o["baseline"] and o["current"]):
        raise click.UsageError("give --questionnaire, --baseline and --current (or --baseline-wave and "
                               "--current-wave)")
    if o.get("weighted") and not o.get("population"):
        raise click.UsageError("--weighted takes the population sizes stored with --current-wave; with files, "
                               "give --population FILE")
    return False


def app_context():
    """The application's context, created only for commands that read the database.

    The `awareness` command's own application is the database-only one (these commands show no page),
    which starts in a fraction of the time; an application given by a caller (the tests', `flask --app`)
    is used as it is.
    """
    from flask.cli import ScriptInfo

    from .. import create_app, database_app

    info = click.get_current_context().ensure_object(ScriptInfo)
    if info.create_app is not create_app:
        return info.load_app().app_context()
    if "database_app" not in info.data:  # one per command, as load_app keeps one
        info.data["database_app"] = database_app()
    return info.data["database_app"].app_context()


@contextmanager
def database_context() -> Iterator[None]:
    """The application's context. Inside it, a wave not found (`WaveNotFound`) or a database out of reach or
    failing (`DatabaseUnavailable`, which `reading_database` makes of a database error) is a ClickException
    with its reason, not a traceback."""
    from .. import db
    from ..comparison.errors import ComparisonInputError
    from ..comparison.queries import reading_database

    with app_context():
        try:
            with reading_database(db.session()):
                yield
        except ComparisonInputError as error:
            raise click.ClickException(str(error)) from None


class Run:
    """One comparison from a command's options: SOURCE_KEYS, and the design's (`comparison.options`); usage is
    checked at once."""

    def __init__(self, options: dict):
        self.options = options
        self.from_database = reads_database(options)
        self.waves = None  # (baseline, current) Wave objects, found once inside `sources()`
        self.ahead = None  # both waves read by a thread of its own from the moment they are found
        self.stored_population = None  # the sizes stored with the current wave (read unless --unweighted)
        self.stored_sizes = False  # whether they weight the comparison (by default whenever they are stored)

    @contextmanager
    def sources(self) -> Iterator[int]:
        """While the comparison is made: for waves, the app's context with both waves found and being read.
        Yields how many respondents will be read (to size a progress bar; 0 off a terminal)."""
        o = self.options
        if not self.from_database:
            yield csv_rows(o["baseline"], o["current"])
            return
        from .. import db
        from ..comparison.queries import comparison_waves
        from ..responses.stored import read_ahead

        with database_context():
            self.waves = tuple(comparison_waves(db.session(), (o["baseline_wave"], o["current_wave"])))
            # Started before the analysis (pandas, scipy) is imported: the database reads meanwhile.
            with read_ahead(db.session(), *self.waves) as self.ahead:
                yield stored_responses(*self.waves)

    def comparison(self, step: Callable[[], None] = lambda: None):
        """(Comparison, Questionnaire): the data read (one step), then compared (another); problems are a
        ClickException."""
        from analysis import InputError, compare

        from ..comparison.options import design_arguments

        questionnaire, waves, notes, changed = self._read()
        step()
        population, unused = self._population(questionnaire, waves)
        try:
            comparison = compare(questionnaire, *waves, notes=(*notes, *unused), population=population,
                                 rake=self._rake(questionnaire), wording_changed=changed,
                                 **design_arguments(self.options))
        except InputError as error:
            raise Problems(error.problems) from None
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        step()
        return comparison, questionnaire

    def _read(self):
        """The questionnaire, both waves' data, notes on items left out, and the items whose wording changed."""
        if self.from_database:
            from .. import db
            from ..comparison.inputs import comparison_inputs

            o = self.options
            stored, *inputs = comparison_inputs(db.session(), *self.waves, ahead=self.ahead, population=not (
                o.get("weighted") is False or o.get("population") or o.get("rake")))
            self.stored_population = stored.population
            return *inputs, stored.changed
        questionnaire = load_or_exit(self.options["questionnaire_path"])
        return questionnaire, files_or_exit(questionnaire, self.options["baseline"], self.options["current"]), (), ()

    def _rake(self, questionnaire):
        """The margins of --rake FILE (with the --trim bound), or None."""
        if not self.options.get("rake"):
            return None
        from analysis import InputError
        from analysis.designs.rake import read_margins

        try:
            return read_margins(self.options["rake"], questionnaire, self.options.get("trim"))
        except InputError as error:
            raise Problems(error.problems) from None

    def _population(self, questionnaire, waves) -> tuple[dict[str, int] | None, list[str]]:
        """The sizes to weight to, and notes: --population FILE, else those stored with the current wave (by
        default when there are some that fit the data; --weighted requires them, --unweighted leaves them out)."""
        from ..comparison.weighting import stored_weighting

        o = self.options
        if o.get("population"):
            return population_or_exit(o["population"], questionnaire), []
        if not self.from_database or o.get("rake"):
            return None, []
        if o.get("weighted") and not self.stored_population:
            raise click.ClickException(f"wave {o['current_wave']} has no population sizes stored: give "
                                       "--population FILE")
        sizes, notes = stored_weighting(o.get("weighted"), self.stored_population, o["current_wave"], *waves)
        self.stored_sizes = sizes is not None
        return sizes, notes


def files_or_exit(questionnaire, *paths: Path) -> list:
    """The files read as the questionnaire's waves (KoboToolbox/ODK exports too), or a ClickException with the
    problems of all of them."""
    from analysis import InputError
    from analysis.field_exports import read_wave_file

    waves, problems = [], []
    for path in paths:
        try:
            waves.append(read_wave_file(path, questionnaire))
        except InputError as error:
            problems += error.problems
    if problems:
        raise Problems(problems)
    return waves
