"""Every design option of `comparison.options.DESIGN_OPTIONS` reaches the analysis: it is a keyword of
`analysis.compare` (and of `analysis.trend.trend` unless marked trend=False), and `design_arguments`, which every
caller (the command line's compare, report and trend, the console's compare and trend pages) passes on, carries
each one. An option added to the declaration alone cannot be accepted, stamped and then silently ignored."""

import inspect

from analysis import compare
from analysis.trend import trend
from survey.comparison.options import DESIGN_OPTIONS, design_arguments


def _keywords(function) -> set[str]:
    return {name for name, p in inspect.signature(function).parameters.items() if p.kind is p.KEYWORD_ONLY}


def test_every_design_option_is_a_keyword_of_the_analysis():
    for option in DESIGN_OPTIONS:
        if option.name == "weighted":  # becomes the population sizes (`population`, `populations`)
            assert {"population"} <= _keywords(compare) and {"populations"} <= _keywords(trend)
            continue
        assert option.name in _keywords(compare), option.name
        assert not option.trend or option.name in _keywords(trend), option.name


def test_design_arguments_carry_every_option_with_its_default():
    given = {"by_group": True, "base": "all", "confidence": None}
    arguments = design_arguments(given)
    assert set(arguments) == {option.name for option in DESIGN_OPTIONS} - {"weighted"}
    assert arguments["by_group"] is True and arguments["base"] == "all" and arguments["confidence"] == 0.95
    assert arguments["stratify"] is False and arguments["adjust"] == "holm"
    trend_arguments = design_arguments(given, trend=True)
    assert set(trend_arguments) == {option.name for option in DESIGN_OPTIONS if option.trend} - {"weighted"}
    assert "paired" not in trend_arguments


def test_every_caller_passes_design_arguments():
    from pathlib import Path

    root = Path(__file__).parents[2] / "survey"
    for caller in ("cli/sources.py", "cli/trend.py", "admin/reports.py", "admin/trend.py"):
        source = (root / caller).read_text()
        assert "**design_arguments(" in source, caller
        assert "by_group=" not in source, caller  # no option passed by hand beside it
