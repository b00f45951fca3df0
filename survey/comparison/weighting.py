"""Whether a comparison of waves of the database weights to the population sizes stored with the wave: when asked
for (`weighted` True), and by default (None) whenever sizes are stored and fit the data; never when left out
(False). `awareness compare`/`report` and the console's compare page decide it here, alike."""

from __future__ import annotations

from .options import uses_stored_sizes


def stored_weighting(weighted: bool | None, sizes: dict[str, int] | None, slug: str, baseline, current) \
        -> tuple[dict[str, int] | None, list[str]]:
    """(the sizes to weight to, or None; notes). Sizes asked for are checked by the comparison itself (its
    problems are the user's to fix); sizes used by default that do not fit the data (a group with respondents
    but no size, more respondents than its size, a counts table without groups) are left out with a note, so
    that storing sizes never stops a comparison that worked without them."""
    if not sizes or not uses_stored_sizes(weighted, True):
        return None, []
    if weighted:
        return sizes, []
    from analysis import InputError
    from analysis.designs.weighted import check_population

    try:
        check_population(sizes, baseline, current)
    except InputError as error:
        return None, [f"the population sizes stored with wave {slug} were not used, so no rows are weighted: "
                      f"{problem.removeprefix('population: ')}" for problem in error.problems]
    return sizes, []


def stored_trend_weighting(weighted: bool | None, sizes: dict[str, dict[str, int]] | None, waves: list) \
        -> tuple[dict[str, dict[str, int]] | None, list[str]]:
    """`stored_weighting` for a trend: each wave weighted to the sizes stored with it (`sizes`, by wave; `waves`:
    (slug, data) in time order). By default only when every wave has sizes that fit its data, else a note says
    why none is weighted; asked for (`weighted` True), the sizes are the trend's to check."""
    if not sizes or weighted is False or not any(sizes.values()):
        return None, []
    missing = [slug for slug, _data in waves if not sizes.get(slug)]
    if weighted:
        return (None if missing else sizes), []
    if missing:
        stored = [slug for slug, _data in waves if sizes.get(slug)]
        return None, [f"population sizes are stored with wave(s) {', '.join(stored)} but not with "
                      f"{', '.join(missing)}: no rows are weighted (store them with every wave to weight the trend)"]
    from analysis import InputError
    from analysis.trend.build import check_populations

    try:
        check_populations(sizes, waves)
    except InputError as error:
        return None, [f"the population sizes stored with the waves were not used, so no rows are weighted: "
                      f"{problem.removeprefix('population: ')}" for problem in error.problems]
    return sizes, []
