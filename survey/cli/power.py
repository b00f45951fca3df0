"""`awareness power`: the change a planned survey can detect, or the sample a change needs."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("power")
@click.option("--baseline", "baseline", type=click.FloatRange(0, 1, min_open=True, max_open=True), required=True,
              help="The proportion at the baseline, e.g. 0.5 for 50 %.")
@click.option("--n", "n", type=click.IntRange(min=2),
              help="Planned respondents per wave: give the smallest difference they can detect.")
@click.option("--difference", type=click.FloatRange(-1, 1, min_open=True, max_open=True),
              help="A change to detect (e.g. 0.1 for +10 points): give the respondents per wave it needs.")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05, show_default=True,
              help="Two-sided significance level.")
@click.option("--power", "power", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.8,
              show_default=True, help="Probability of detecting the change.")
@click.option("--population", "population_path", type=click.Path(path_type=Path),
              help="CSV group,size: apply the finite population correction for their total.")
def power_command(baseline, n, difference, alpha, power, population_path):
    """Minimum detectable difference of a proportion, or sample size per wave (as R's power.prop.test).

    Give --n for the smallest change a survey of that size detects, or --difference for the
    respondents per wave that change needs (both, and you get both).
    """
    from analysis import power as planning

    from .common import population_or_exit

    if n is None and difference is None:
        raise click.UsageError("give --n (planned respondents per wave) or --difference (a change to detect)")
    population = None
    if population_path:
        population = sum(population_or_exit(population_path).values())
    setting = f"two-sided alpha {alpha:g}, power {power:g}" + (
        f", finite population of {population}" if population else "")
    try:
        if n is not None:
            plan = planning.Plan(baseline, n, alpha, power, population)
            rise, fall = planning.detectable_rise(plan), planning.detectable_fall(plan)
            click.echo(f"baseline {100 * baseline:.1f} %, {n} respondents per wave ({setting}):")
            click.echo(f"  smallest detectable rise: {_points(rise)}")
            click.echo(f"  smallest detectable fall: {_points(fall)}")
        if difference is not None:
            needed = planning.sample_size(baseline, difference, alpha, power, population)
            click.echo(f"baseline {100 * baseline:.1f} %, change {100 * difference:+.1f} points ({setting}):")
            click.echo(f"  respondents needed per wave: {_ceil(needed)} ({needed:.1f})")
    except ValueError as error:
        raise click.ClickException(str(error)) from None


def _points(value: float | None) -> str:
    return "none: even a change to 0 % or 100 % is not detected" if value is None else f"{100 * value:.1f} points"


def _ceil(value: float) -> int:
    import math

    return math.ceil(value - 1e-9)
