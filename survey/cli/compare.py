"""`awareness compare`: this year against the baseline, from files or from waves of the database."""

from __future__ import annotations

from pathlib import Path

import click

from .common import Progress, writable_or_exit, write_text
from .options import data_options, design_options
from .sources import Run


@click.command("compare")
@data_options
@design_options
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
def compare_command(output_format, output, **options):
    """Compare this year's answers with the baseline, item by item, with the right test for each.

    Either files (--questionnaire, --baseline, --current) or waves of the database
    (--baseline-wave, --current-wave).
    """
    run = Run(options)
    writable_or_exit(output)
    with run.sources() as respondents, Progress("comparing", 2, respondents=respondents) as bar:
        comparison, _questionnaire = run.comparison(bar.step)
    from analysis import formats  # after the sources: waves of the database are being read meanwhile

    render = {"table": formats.to_table, "json": formats.to_json, "csv": formats.to_csv}[output_format]
    write_text(render(comparison), output, f"{len(comparison.results)} results")
