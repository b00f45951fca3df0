"""`awareness compare`: this year against the baseline, from files or from waves of the database."""

from __future__ import annotations

from pathlib import Path

import click

from .common import Progress, writable_or_exit, write_text
from .sources import Run


@click.command("compare")
@click.option("--questionnaire", "questionnaire_path", type=click.Path(path_type=Path),
              help="The questionnaire (YAML or XLSForm) both files answer.")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Last year's answers: respondent-level CSV/XLSX, or a counts CSV.")
@click.option("--current", type=click.Path(path_type=Path), help="This year's answers.")
@click.option("--baseline-wave", help="Read the baseline from this wave of the database.")
@click.option("--current-wave", help="Read this year's answers from this wave of the database.")
@click.option("--by-group", is_flag=True, help="Also compare each stakeholder group present in both waves.")
@click.option("--adjust", type=click.Choice(["holm", "bh", "none"]), default="holm", show_default=True,
              help="Multiple-comparison correction within each family: rows sharing a group, a design and a role (headline or other).")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.95,
              show_default=True, help="Confidence level of the intervals.")
@click.option("--stratify", is_flag=True,
              help="Add, for each proportion, a row stratified by group (Cochran-Mantel-Haenszel).")
@click.option("--paired", is_flag=True,
              help="Add rows comparing the respondents present in both waves (same respondent key) as pairs.")
@click.option("--population", type=click.Path(path_type=Path),
              help="CSV group,size: add rows weighted to these population sizes.")
@click.option("--weighted", is_flag=True,
              help="Add rows weighted to the population sizes stored with the current wave (database waves).")
@click.option("--rake", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="CSV/XLSX variable,category,size: add weighted rows raked to these margins (the group and a "
                   "single-choice item such as position).")
@click.option("--trim", type=click.FloatRange(1, min_open=True),
              help="With --rake: cap each weight at this many times the mean weight (R's trimWeights).")
@click.option("--base", type=click.Choice(["answered", "all"]), default="answered", show_default=True,
              help="Proportions among those who answered, or among all the group's respondents "
                   "(those an item did not apply to count as not successful).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to this file instead of the terminal.")
def compare_command(output_format, output, **options):
    """Compare this year's answers with the baseline, item by item, with the right test for each.

    Either files (--questionnaire, --baseline, --current) or waves of the database
    (--baseline-wave, --current-wave).
    """
    run = Run(options, apart=True)
    writable_or_exit(output)
    with run.sources() as respondents, Progress("comparing", 2, respondents=respondents) as bar:
        comparison, _questionnaire = run.comparison(bar.step)
    from analysis import formats  # after the sources: waves of the database are being read meanwhile

    render = {"table": formats.to_table, "json": formats.to_json, "csv": formats.to_csv}[output_format]
    write_text(render(comparison), output, f"{len(comparison.results)} results")
