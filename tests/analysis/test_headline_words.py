"""Issue 23 items 2 and 5: the headline's words follow the numbers shown beside them.

- significance words agree with the interval and the p shown, and say when the adjustment decided;
- a census reports an exact change with no test, and says so;
- a group absent from a wave, or in the population without respondents, is named in the headline's note.
"""


import pandas as pd
import pytest

from analysis import compare, read_wave, report, to_dict
from analysis.report.sentences import Context, sentence


def heard(path, yes_no: dict, lmp):
    groups, answers = [], []
    for group, (yes, no) in yes_no.items():
        groups += [group] * (yes + no)
        answers += ["yes"] * yes + ["no"] * no
    pd.DataFrame({"group": groups, "heard_policy": answers}).to_csv(path, index=False)
    return read_wave(path, lmp)


def heard_row(lmp, tmp_path, base: tuple[int, int], cur: tuple[int, int], **options):
    data = to_dict(compare(lmp, heard(tmp_path / "b.csv", {"government": base}, lmp),
                           heard(tmp_path / "c.csv", {"government": cur}, lmp), **options))
    row = next(r for r in data["results"] if r["item"] == "heard_policy" and r["group"] == "all")
    return data, row


def context(lmp, data, adjust="holm"):
    from analysis.report.build import family_sizes

    return Context(lmp, "en", "2017", "2018", 0.95, adjust, 5, frozenset(), family_sizes(data["results"]))


def test_a_test_significant_beside_an_interval_touching_zero_shows_the_digits_that_decide(lmp, tmp_path):
    data, row = heard_row(lmp, tmp_path, (5, 28), (12, 21), adjust="none")
    # R: chisq.test(rbind(c(5, 28), c(12, 21)), correct = FALSE)$p.value
    assert row["p_value"] == pytest.approx(0.0487961263920494, rel=1e-6)
    # R (Newcombe hybrid score, tests/r/reference.R): 8.03752185827844e-05 4.02372281425575e-01
    assert row["difference_ci"] == pytest.approx([8.03752185827844e-05, 4.02372281425575e-01], rel=1e-6)
    text = sentence(row, context(lmp, data, "none"))
    # Never "rose ... (95% CI 0.0 to 40.2)": the lower bound is shown with the digits that keep it above zero.
    assert " rose from " in text and "95% CI 0.01 to 40.2" in text and "p\u00a0=\u00a0.049" in text


def test_not_significant_beside_an_interval_excluding_zero_says_so(lmp, tmp_path):
    data, row = heard_row(lmp, tmp_path, (11, 23), (19, 15), adjust="none")
    # R: chisq.test(rbind(c(11, 23), c(19, 15)), correct = FALSE)$p.value
    assert row["p_value"] == pytest.approx(0.0507185342071071, rel=1e-6)
    assert row["difference_ci"] == pytest.approx([0.00028900580150823, 0.43700740131814925], rel=1e-6)
    text = sentence(row, context(lmp, data, "none"))
    assert "did not change significantly" in text and "95% CI 0.03 to 43.7" in text
    assert "the interval of the change excludes zero, however: the evidence is borderline" in text
    assert "p\u00a0=\u00a0.051" in text and "h\u00a0=\u00a00.48 (95% CI 0.003 to 0.95)" in text


def test_significant_beside_an_interval_including_zero_says_so(lmp, tmp_path):
    data, row = heard_row(lmp, tmp_path, (5, 29), (12, 22), adjust="none")
    # R: chisq.test(rbind(c(5, 29), c(12, 22)), correct = FALSE)$p.value
    assert row["p_value"] == pytest.approx(0.0499499764547463, rel=1e-6)
    assert row["difference_ci"] == pytest.approx([-0.00110907981040853, 0.39300193182133181], rel=1e-6)
    text = sentence(row, context(lmp, data, "none"))
    assert " rose from " in text and "p\u00a0=\u00a0.0499" in text and "95% CI −0.1 to 39.3" in text
    assert "the interval of the change includes zero, however" in text


def test_where_the_adjustment_decides_the_sentence_says_so(lmp):
    """The issue's example: +12.0 points (95% CI 0.7 to 22.9), p = .037, Holm-adjusted p = .111."""
    from tests.conftest import proportion_row

    row = proportion_row(difference=0.12, difference_ci=[0.007, 0.229], p_value=0.037, p_adjusted=0.111,
                         family="all/independent/headline")
    rows = [row, *({**row, "item": f"x{i}"} for i in range(5))]
    text = sentence(row, context(lmp, {"results": rows}))
    assert "did not change significantly after adjustment for 6 comparisons (unadjusted p\u00a0=\u00a0.037)" in text
    assert "the interval" not in text  # the interval is the unadjusted one, and the sentence says which p decided


def test_a_census_reports_an_exact_change_with_no_test(lmp, tmp_path):
    base = heard(tmp_path / "b.csv", {"government": (6, 4), "workers": (5, 15)}, lmp)
    cur = heard(tmp_path / "c.csv", {"government": (9, 1), "workers": (10, 10)}, lmp)
    data = to_dict(compare(lmp, base, cur, population={"government": 10, "workers": 20}))
    row = next(r for r in data["results"] if r["item"] == "heard_policy" and r["design"] == "weighted")
    # R: svymean(~y, svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d)) of each wave: 11/30, 19/30, SE 0
    assert row["baseline"]["estimate"] == pytest.approx(11 / 30, rel=1e-6)
    assert row["current"]["estimate"] == pytest.approx(19 / 30, rel=1e-6)
    assert row["p_value"] is None and row["difference"] == pytest.approx(8 / 30, rel=1e-6)
    finding = next(f for f in report.build(data, lmp, labels=("2017", "2018")).findings if "heard of" in f)
    assert "rose from 36.7% in 2017 to 63.3% in 2018, an exact change of +26.7 percentage points" in finding
    assert "a census" in finding and "no test" in finding and "not compared" not in finding


def test_groups_absent_from_a_wave_or_without_respondents_are_named_in_the_headline(lmp, tmp_path):
    base = heard(tmp_path / "b.csv", {"government": (6, 4), "workers": (5, 15)}, lmp)
    cur = heard(tmp_path / "c.csv", {"government": (9, 1), "workers": (10, 10), "employers": (3, 7)}, lmp)
    data = to_dict(compare(lmp, base, cur))
    lead = report.build(data, lmp, labels=("2017", "2018")).lead
    assert "No respondent of Employers' organisation answered in 2017" in lead
    population = {"government": 40, "workers": 60, "employers": 30, "civil_society": 25}
    data = to_dict(compare(lmp, base, cur, population=population))
    lead = report.build(data, lmp, labels=("2017", "2018")).lead
    assert "No respondent of Employers' organisation answered in 2017: each round is weighted" in lead
    assert "Civil society organisation: in the population, but no respondent in either round" in lead


def test_a_weighted_headline_resting_on_single_respondent_groups_says_so(lmp, tmp_path):
    base = heard(tmp_path / "b.csv", {"government": (6, 4), "workers": (1, 0)}, lmp)
    cur = heard(tmp_path / "c.csv", {"government": (9, 1), "workers": (10, 10)}, lmp)
    data = to_dict(compare(lmp, base, cur, population={"government": 40, "workers": 60}))
    row = next(r for r in data["results"] if r["item"] == "heard_policy" and r["design"] == "weighted")
    assert row["lonely_groups"] == ["workers"]
    finding = next(f for f in report.build(data, lmp, labels=("2017", "2018")).findings if "heard of" in f)
    assert "rests partly on groups with a single respondent (Workers' organisation or trade union)" in finding
