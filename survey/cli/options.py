"""Click options shared by commands: the design options of a comparison, made from the one declaration in
`survey/comparison/options.py` (`compare` and `report` take them with `@design_options`, `trend` those that apply
to a trend with `@trend_design_options`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..comparison.options import DESIGN_OPTIONS


def _click_option(option):
    if option.off:  # on by default where it applies: None unless either flag is given
        return click.option(f"{option.flag}/--{option.off}", option.name, default=None, help=option.help)
    if option.is_flag:
        return click.option(option.flag, option.name, is_flag=True, default=None, help=option.help)
    if option.level:
        return click.option(option.flag, option.name, type=click.FloatRange(0, 1, min_open=True, max_open=True),
                            default=option.default, show_default=True, help=option.help)
    return click.option(option.flag, option.name, type=click.Choice(option.choices), default=option.default,
                        show_default=True, help=option.help)


def design_options(function):
    """Every design option of `DESIGN_OPTIONS` on a command, in their declared order."""
    for option in reversed(DESIGN_OPTIONS):
        function = _click_option(option)(function)
    return function


def trend_design_options(function):
    """The design options that apply to a trend (`trend=True` in `DESIGN_OPTIONS`), in their declared order."""
    for option in reversed(DESIGN_OPTIONS):
        if option.trend:
            function = _click_option(option)(function)
    return function


def data_options(function):
    """The options that say which data to compare: files, or waves of the database, and a population."""
    options = [
        click.option("--questionnaire", "questionnaire_path", type=click.Path(path_type=Path),
                     help="The questionnaire (YAML or XLSForm) both files answer."),
        click.option("--baseline", type=click.Path(path_type=Path), help="Last year's answers (CSV/XLSX or counts)."),
        click.option("--current", type=click.Path(path_type=Path), help="This year's answers."),
        click.option("--baseline-wave", help="Read the baseline from this wave of the database."),
        click.option("--current-wave", help="Read this year's answers from this wave of the database."),
        click.option("--population", type=click.Path(path_type=Path),
                     help="CSV group,size: add rows weighted to these population sizes."),
        *rake_options(),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def rake_options() -> list:
    """--rake and --trim: `compare`, `report`, `trend` and `verify` take them alike."""
    return [
        click.option("--rake", type=click.Path(path_type=Path, exists=True, dir_okay=False),
                     help="CSV/XLSX variable,category,size: add weighted rows raked to these margins (the group and "
                          "a single-choice item such as position)."),
        click.option("--trim", type=click.FloatRange(1, min_open=True),
                     help="With --rake: cap each weight at this many times the mean weight (R's trimWeights)."),
    ]


def check_weighting(options: dict) -> None:
    """The weighting options of `compare`, `report` and `trend` that contradict each other: a UsageError."""
    if options.get("weighted") is False and (options.get("population") or options.get("rake")):
        raise click.UsageError("--unweighted leaves the weights out: leave out --population and --rake too")
    if options.get("rake") and (options.get("population") or options.get("weighted")):
        raise click.UsageError("--rake gives the group sizes itself (its group margin): leave out --population "
                               "and --weighted")
    if options.get("trim") and not options.get("rake"):
        raise click.UsageError("--trim bounds the raked weights: give --rake FILE")
