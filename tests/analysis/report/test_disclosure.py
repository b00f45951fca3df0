"""Disclosure control that holds: no hidden cell's n, no hidden cell by subtraction, no unanimous small cell."""

import copy
import re

import pandas as pd
import pytest

from analysis import compare, read_frame, to_dict
from analysis.report import build, suppress
from analysis.report.html import render
from analysis.synthetic import synthetic_wave


def _wave(questionnaire, n, seed, tiny_group, tiny_n):
    """A synthetic wave in which one group has only `tiny_n` respondents."""
    frame = synthetic_wave(questionnaire, n, awareness=0.6, seed=seed)
    tiny = frame[frame["group"] == tiny_group].head(tiny_n)
    return pd.concat([frame[frame["group"] != tiny_group], tiny], ignore_index=True)


@pytest.fixture(scope="module")
def data(lmp):
    """By-group comparison in which the government group has 3 respondents in each wave."""
    waves = [read_frame(_wave(lmp, n, seed, "government", 3), lmp, source=f"{name}.csv")
             for name, n, seed in (("2017", 150, 1), ("2018", 170, 2))]
    return to_dict(compare(lmp, *waves, by_group=True))


def _cell(row, wave):
    return row[wave] | {"suppressed": None}


def test_a_single_small_group_takes_the_smallest_other_group_with_it(data):
    rows = suppress.mark(data["results"], 5)
    item = [row for row in rows if row["item"] == "heard_policy" and row["group"] != "all"]
    for wave in ("baseline", "current"):
        reasons = {row["group"]: row[wave]["suppressed"] for row in item}
        assert reasons["government"] == suppress.SMALL
        hidden = [row for row in item if row[wave]["suppressed"]]
        assert len(hidden) >= 2 and sum(row[wave]["n"] for row in hidden) >= 5
        smallest_other = min((row for row in item if row["group"] != "government"), key=lambda r: r[wave]["n"])
        assert smallest_other[wave]["suppressed"] == suppress.COMPLEMENT
    # The JSON the rows came from is not touched: report.json keeps every number.
    assert "suppressed" not in data["results"][0]["baseline"]


def test_no_hidden_cell_can_be_derived_from_the_total_and_the_shown_groups(data):
    """What subtraction gives is the hidden cells together: at least min_cell respondents, never one cell."""
    for row_set in _sets(suppress.mark(data["results"], 5)):
        for wave in ("baseline", "current"):
            hidden = [row[wave] for row in row_set if row[wave]["suppressed"]]
            if hidden:
                assert len(hidden) >= 2 and sum(cell["n"] for cell in hidden) >= 5


def _sets(rows):
    sets = {}
    for row in rows:
        if row["group"] != "all":
            sets.setdefault((row["item"], row["design"]), []).append(row)
    return sets.values()


def test_the_table_shows_neither_the_estimate_nor_the_n_of_a_hidden_cell(data, lmp):
    report = build(data, lmp, labels=("2017", "2018"))
    government = "Government ministry or agency"
    rows = [row for section in report.sections for row in section.rows if row.group == government]
    assert rows and all(row.cells[0] == "n < 5" and row.cells[2] == "n < 5" for row in rows
                        if row.cells[1] != "–")
    complement = [row for section in report.sections for row in section.rows if suppress.MARK in row.cells]
    assert complement and all(row.cells[5] == "–" and row.cells[6] == "–" for row in complement)
    assert any(suppress.MARK in note for note in report.footnotes)


def test_the_html_and_the_group_charts_never_show_the_hidden_n(data, lmp):
    report = build(data, lmp, labels=("2017", "2018"))
    # The results tables; the response section counts respondents, which discloses no answer.
    html = "".join(re.findall(r'<table class="results">.*?</table>', render(report), re.S))
    assert "Government ministry" in html
    for match in re.finditer(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if "Government ministry" in match[1]:
            assert ">3<" not in match[1], match[1]
    for chart in report.group_charts:
        assert "Government ministry or agency" not in chart.key


def _row(kind="proportion", n=20, estimate=1.0):
    wave = {"n": n, "estimate": estimate, "ci": [0.83, 1.0]}
    return {"item": "heard_policy", "group": "all", "design": "independent", "kind": kind, "base": "answered",
            "baseline": dict(wave), "current": {"n": 40, "estimate": 0.5, "ci": [0.35, 0.65]},
            "difference": estimate - 0.5, "difference_ci": [0.3, 0.7], "test": "fisher", "statistic": None, "df": None,
            "p_value": 0.0001, "p_adjusted": 0.0003, "effect_size": None, "note": None}


@pytest.mark.parametrize("n, estimate, hidden", [(20, 1.0, True), (24, 0.0, True), (25, 1.0, False),
                                                  (20, 0.95, False)])
def test_a_unanimous_share_on_fewer_than_25_respondents_is_not_shown(n, estimate, hidden):
    row = _row(n=n, estimate=estimate)
    assert (suppress.estimate_cell("proportion", row["baseline"], 5) == suppress.MARK) is hidden
    assert (suppress.n_cell("proportion", row["baseline"], 5) == suppress.MARK) is hidden
    assert suppress.shown(row, 5) is not hidden
    # A mean of 1.0 on 20 respondents says nothing about each one.
    assert suppress.estimate_cell("score", {"n": n, "estimate": estimate, "ci": None}, 5) != suppress.MARK


def test_a_unanimous_headline_is_not_worded_with_its_numbers(lmp):
    data = {"settings": {"confidence": 0.95, "adjust": "holm"}, "results": [_row()], "notes": [],
            "baseline": {"n": 20, "groups": {"government": 20}}, "current": {"n": 40, "groups": {"government": 40}},
            "questionnaire": {}, "stamp": {}}
    report = build(copy.deepcopy(data), lmp, labels=("2017", "2018"))
    assert report.findings and "100.0" not in report.findings[0] and "n\u00a0=\u00a020" not in report.findings[0]
    assert "confidentiality" in report.findings[0]


def test_two_small_groups_together_still_under_min_cell_take_a_third():
    rows = [{"item": "x", "group": g, "design": "independent", "kind": "proportion",
             "baseline": {"n": n, "estimate": 0.5, "ci": None}, "current": {"n": 30, "estimate": 0.5, "ci": None}}
            for g, n in (("a", 1), ("b", 2), ("c", 30), ("d", 40))]
    marked = suppress.mark(rows, 5)
    assert [row["baseline"]["suppressed"] for row in marked] == [suppress.SMALL, suppress.SMALL,
                                                                   suppress.COMPLEMENT, None]
    assert all(row["current"]["suppressed"] is None for row in marked)


def test_hidden_cells_that_add_up_to_a_unanimous_few_take_another():
    rows = [{"item": "x", "group": g, "design": "independent", "kind": "proportion",
             "baseline": {"n": n, "estimate": e, "ci": None}, "current": {"n": 30, "estimate": 0.5, "ci": None}}
            for g, n, e in (("a", 3, 1.0), ("b", 10, 1.0), ("c", 30, 0.4), ("d", 40, 0.5))]
    marked = suppress.mark(rows, 5)
    assert [row["baseline"]["suppressed"] for row in marked] == [suppress.SMALL, suppress.EXTREME,
                                                                   suppress.COMPLEMENT, None]
