"""`awareness trend`: every wave of the policy period, the steps between them and a trend test."""

from __future__ import annotations

from pathlib import Path

import click

from ..comparison.options import DESIGN_OPTIONS, design_arguments, report_settings, stamp_settings
from .common import Problems, load_or_exit, population_or_exit, writable_or_exit, write_or_exit, write_text
from .options import check_weighting, rake_options, trend_design_options

FORMATS = ("table", "json", "csv")


class WaveFile(click.ParamType):
    """LABEL=FILE: a wave's name (its year, say) and its answers."""

    name = "LABEL=FILE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        label, equals, path = str(value).partition("=")
        if not equals or not label.strip() or not path.strip():
            self.fail(f"{value!r}: give the wave's name and its file, as 2016=answers-2016.csv", param, ctx)
        return label.strip(), Path(path.strip())


def rounds_options(function):
    """--wave LABEL=FILE (repeated) and --waves SLUG SLUG ...: the rounds of a trend (also `report`'s)."""
    options = [
        click.option("--wave", "wave_files", type=WaveFile(), multiple=True,
                     help="A wave as LABEL=FILE (respondent CSV/XLSX, counts CSV), in time order; repeat it."),
        click.option("--waves", "first_wave", metavar="SLUG ...",
                     help="Waves of the database, in time order: --waves 2015 2016 2017 2018."),
    ]
    for option in reversed(options):
        function = option(function)
    return click.argument("more_waves", nargs=-1, metavar="")(function)


def wave_options(function):
    """The options that say which waves: files with their names, or waves of the database."""
    options = [
        click.option("--questionnaire", "questionnaire_path", type=click.Path(path_type=Path),
                     help="The questionnaire (YAML or XLSForm) the files answer."),
        click.option("--population", type=click.Path(path_type=Path),
                     help="CSV group,size: add rows weighted to these sizes (every wave)."),
        *rake_options(),
    ]
    for option in reversed(options):
        function = option(function)
    return rounds_options(function)


def asks_for_rounds(options: dict) -> bool:
    """Whether a command's options name the rounds of a trend (rather than a baseline and a current wave)."""
    return bool(options.get("first_wave") or options.get("wave_files") or options.get("more_waves"))


def wave_labels(options: dict) -> list[str] | None:
    """The database waves named (--waves A B C, or --waves A,B,C), None for files; UsageError when mixed."""
    more = list(options.get("more_waves") or ())
    if options.get("first_wave"):
        if options.get("wave_files") or options.get("questionnaire_path"):
            raise click.UsageError("give --waves (waves of the database) or --questionnaire with --wave LABEL=FILE "
                                   "(files), not both")
        slugs = [slug for text in [options["first_wave"], *more] for slug in text.split(",") if slug.strip()]
        if len(slugs) < 2:
            raise click.UsageError("a trend needs at least two waves: --waves 2015 2016 2017 2018")
        check_weighting(options)
        return [slug.strip() for slug in slugs]
    check_weighting(options)
    if more:
        raise click.UsageError(f"unexpected {' '.join(more)!r}: name waves of the database after --waves")
    if not options.get("questionnaire_path") or len(options.get("wave_files") or ()) < 2:
        raise click.UsageError("give --questionnaire FILE and two or more --wave LABEL=FILE, or --waves with two or "
                               "more waves of the database")
    if options.get("weighted") and not options.get("population"):
        raise click.UsageError("--weighted takes the population sizes stored with each wave of the database; with "
                               "files, give --population FILE")
    return None


class TrendRun:
    """The trend asked for by a command's options: the waves read, then analysed; problems are a
    ClickException."""

    def __init__(self, options: dict):
        self.options = options
        self.slugs = wave_labels(options)
        self.waves = None  # the database's Wave objects (database runs)
        self.fieldwork = None  # each database wave's first and last response, and whether it is open
        self.stored_sizes = False  # whether the sizes stored with each wave weight the trend (by default if stored)

    def read(self):
        """(questionnaire, [(label, WaveData)], notes, populations by label or None)."""
        if self.slugs is not None:
            return self._read_database()
        questionnaire = load_or_exit(self.options["questionnaire_path"])
        labels = [label for label, _path in self.options["wave_files"]]
        from .sources import files_or_exit

        datas = files_or_exit(questionnaire, *[path for _label, path in self.options["wave_files"]])
        return questionnaire, list(zip(labels, datas, strict=True)), [], self._file_population(questionnaire, labels)

    def _file_population(self, questionnaire, labels):
        if not self.options.get("population"):
            return None
        sizes = population_or_exit(self.options["population"], questionnaire)
        return {label: sizes for label in labels}

    def _read_database(self):
        from .. import db
        from ..comparison.queries import comparison_waves
        from ..comparison.trend_inputs import trend_inputs
        from ..comparison.weighting import stored_trend_weighting
        from ..waves.queries import fieldwork

        o = self.options
        self.waves = comparison_waves(db.session(), self.slugs)
        self.fieldwork = {wave.slug: fieldwork(db.session(), wave) for wave in self.waves}
        inputs = trend_inputs(db.session(), self.waves, population=not (
            o.get("weighted") is False or o.get("population") or o.get("rake")))
        if o.get("population"):
            sizes = population_or_exit(o["population"], inputs.questionnaire)
            return inputs.questionnaire, inputs.waves, inputs.notes, {slug: sizes for slug in self.slugs}
        if o.get("weighted") and inputs.missing_population:
            raise Problems([f"wave {slug} has no population sizes stored (awareness wave populations {slug} FILE), "
                            "or give --population FILE" for slug in inputs.missing_population])
        populations, unused = stored_trend_weighting(None if o.get("rake") else o.get("weighted"),
                                                     None if o.get("rake") else inputs.populations, inputs.waves)
        self.stored_sizes = populations is not None
        return inputs.questionnaire, inputs.waves, [*inputs.notes, *unused], populations

    def trend(self):
        """(Trend, questionnaire)."""
        from analysis import InputError
        from analysis.designs.rake import read_margins
        from analysis.trend import trend

        questionnaire, waves, notes, populations = self.read()
        o = self.options
        try:
            # One margins file for every wave: the population the policy addresses, as --population.
            rake = read_margins(o["rake"], questionnaire, o.get("trim")) if o.get("rake") else None
            result = trend(questionnaire, waves, populations=populations, notes=tuple(notes), rake=rake,
                           **design_arguments(o, trend=True))
        except InputError as error:
            raise Problems(error.problems) from None
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        return result, questionnaire

    def run(self):
        """The trend, inside the database's context when it reads waves of the database."""
        if self.slugs is None:
            return self.trend()
        from .sources import database_context

        with database_context():
            return self.trend()


@click.command("trend")
@wave_options
@trend_design_options
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
def trend_command(output_format, output, **options):
    """Every wave of the period, each step from the wave before, and a test of the trend over them all.

    Either files (--questionnaire Q.yaml --wave 2015=a.csv --wave 2016=b.csv ...) or waves of the
    database (--waves 2015 2016 2017 2018). A wave's position is its name's number when every name is a
    whole number (a skipped year counts), else its place in the order given.
    """
    run = TrendRun(options)
    writable_or_exit(output)
    result, _questionnaire = run.run()
    from analysis import trend as trends

    render = {"table": trends.to_table, "json": trends.to_json, "csv": trends.to_csv}[output_format]
    write_text(render(result), output, f"{len(result.results)} rows over {len(result.labels)} waves")


def trend_report(output: Path, language: str, min_cell: int, title: str | None, options: dict, *,
                 organisation: str | None = None, author: str | None = None) -> None:
    """`awareness report --waves ...`: the report over the period, with its JSON and stamp beside it."""
    import json

    from ..comparison.response_rates import cover
    from .report_files import REPORT_SUFFIXES, instance_config, questionnaire_sha256, write_report_or_exit

    # The data options of two rounds, and the design options that do not apply to a trend (`trend=False`).
    not_trend = tuple(option.name for option in DESIGN_OPTIONS if not option.trend)
    for two_round in ("baseline", "current", "baseline_wave", "current_wave", *not_trend):
        if options.get(two_round):
            raise click.UsageError(f"--{two_round.replace('_', '-')} compares two rounds: with --waves or --wave "
                                   "LABEL=FILE the report covers every round named")
    if output.suffix.lower() not in REPORT_SUFFIXES:
        raise click.UsageError(f"--output {output}: the format follows the extension; use one of "
                               f"{', '.join(REPORT_SUFFIXES)}")
    from analysis import report as reports
    from analysis.report.trend import build_trend, stamp
    from analysis.trend import to_dict

    json_path = output.with_suffix(".json")
    writable_or_exit(output)
    writable_or_exit(json_path)
    run = TrendRun(options)
    result, questionnaire = run.run()
    data = to_dict(result)
    settings = stamp_settings(options | {"waves": run.slugs}, stored_sizes=run.stored_sizes, trend=True) \
        | report_settings(language, min_cell, title, reports.format_of(output))
    made = cover(instance_config(), organisation=organisation, author=author)
    if run.fieldwork is not None:
        made["fieldwork"] = run.fieldwork
    data["stamp"] = stamp(data, settings=settings, questionnaire_sha256=questionnaire_sha256(options), cover=made)
    document = build_trend(data, questionnaire, language=language, min_cell=min_cell, title=title,
                           with_png=output.suffix.lower() in (".md", ".docx"), json_name=json_path.name, cover=made)
    written = write_report_or_exit(reports, document, output)
    write_or_exit(json_path, (json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode())
    charts = f" (and {len(written) - 1} PNG charts beside it)" if len(written) > 1 else ""
    click.echo(f"wrote {output}{charts} and {json_path}: {len(document.findings)} headline findings over "
               f"{len(result.labels)} rounds, {len(data['results'])} rows", err=True)


def verify_trend(report_json: Path, recorded: dict, options: dict) -> None:
    """`awareness verify` of a report over the period: the trend computed again from the rounds its stamp records
    (the waves of the database, or the files given again with --questionnaire), every number compared."""
    from analysis.report.trend import differences
    from analysis.trend import to_dict

    settings = recorded["stamp"]["settings"]
    o = {option.name: settings.get(option.name) for option in DESIGN_OPTIONS if option.trend}
    # Files come from the command line only, never from paths the JSON names (a report's JSON may come from
    # anyone): the stamp's paths are shown, for the user to give again. The stamp's `weighted` says whether the
    # sizes stored with the waves were used: asked for again, or left out (stored since or not).
    o["weighted"] = None if options.get("population") or options.get("rake") else bool(settings.get("weighted"))
    o["population"] = options.get("population")
    if settings.get("population") and not o["population"]:
        raise click.UsageError(f"{report_json} was weighted with population sizes from a file "
                               f"({settings['population']!r}): give it with --population FILE")
    o["rake"], o["trim"] = options.get("rake"), options.get("trim") or settings.get("trim")
    if settings.get("rake") and not o["rake"]:
        raise click.UsageError(f"{report_json} was raked to the margins of a file ({settings['rake']!r}): give it "
                               "with --rake FILE" + (f" --trim {settings['trim']}" if settings.get("trim") else ""))
    if settings.get("waves"):
        o["first_wave"] = ",".join(settings["waves"])
        click.echo(f"using the waves recorded in {report_json.name}: --waves {' '.join(settings['waves'])}", err=True)
    else:
        if not options.get("questionnaire_path"):
            raise click.UsageError(f"{report_json} covers files: give the questionnaire again with --questionnaire "
                                   "FILE and each round's file with --wave LABEL=FILE")
        o["questionnaire_path"] = options["questionnaire_path"]
        o["wave_files"] = list(options.get("wave_files") or ())
        if not o["wave_files"]:
            recorded_files = " ".join(f"--wave {label}={path}" for label, path in
                                      (settings.get("wave_files") or {}).items())
            raise click.UsageError(f"{report_json} covers files: give each round's file again with --wave LABEL=FILE "
                                   f"(the report used {recorded_files or 'no files it names'})")
    result, _questionnaire = TrendRun(o).run()
    data = to_dict(result)
    found = differences(recorded, data)
    if found:
        click.echo(f"{report_json}: {len(found)} difference(s) from the data given:", err=True)
        for line in found:
            click.echo(f"  {line}", err=True)
        click.get_current_context().exit(1)  # the differences are the answer: listed, without "Error:"
    click.echo(f"{report_json}: verified, every number of its {len(data['results'])} rows over "
               f"{len(data['waves'])} rounds matches")
