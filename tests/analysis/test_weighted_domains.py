"""Weighted rows of items asked only of some are domains of the wave's design (issue 23, item 1).

The waves are written to CSV and read by R as they are read here: tests/r/weighted_domains.R
prints every value pinned below. The design: svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d),
options(survey.lonely.psu = "adjust"); `policy_period` is asked of those who heard of the policy, its share
`y` = (policy_period == "p2").
"""

import pandas as pd
import pytest

import questionnaires as q
from analysis import compare, read_wave, to_dict

from ..conftest import EXAMPLE

REL = 1e-6


def wave(spec: dict) -> pd.DataFrame:
    """spec: group -> list of (heard_policy, policy_period or None, trainings, count)."""
    rows = []
    for group, answers in spec.items():
        for heard, period, trainings, count in answers:
            rows += [{"group": group, "heard_policy": heard, "policy_period": period, "trainings": trainings}] * count
    return pd.DataFrame(rows)


BASELINE = {
    "government": [("yes", "p2", 3, 4), ("yes", "p1", 1, 1), ("yes", "dk", 0, 1), ("no", None, 0, 4)],
    "workers": [("yes", "p2", 2, 3), ("yes", "p3", 1, 2), ("yes", "dk", 0, 2), ("yes", None, 5, 1),
                ("no", None, 0, 17)],
    "employers": [("yes", "p2", 4, 1), ("yes", "dk", 2, 1), ("no", None, 1, 4)],
}
CURRENT = {
    "government": [("yes", "p2", 4, 7), ("yes", "p1", 2, 2), ("no", None, 1, 3)],
    "workers": [("yes", "p2", 3, 9), ("yes", "p3", 0, 3), ("yes", "dk", 1, 3), ("no", None, 0, 15)],
    "employers": [("yes", "p2", 6, 1)],
}
POPULATION = {"government": 120, "workers": 1500, "employers": 40}


@pytest.fixture(scope="module")
def questionnaire():
    return q.load(EXAMPLE)


@pytest.fixture
def waves(questionnaire, read_frames):
    return read_frames(questionnaire, wave(BASELINE), wave(CURRENT))


def find(comparison, item, design="weighted"):
    return next(r for r in to_dict(comparison)["results"] if r["item"] == item and r["group"] == "all"
                and r["design"] == design)


def test_an_item_asked_of_some_is_a_domain_of_the_design(questionnaire, waves):
    row = find(compare(questionnaire, *waves, population=POPULATION), "policy_period")
    # R: svymean(~y, subset(des, !is.na(y))), des the baseline's design
    assert row["baseline"]["estimate"] == pytest.approx(0.464379947229552, rel=REL)
    # The old estimate weighted each group by its whole population: (120 * 4/6 + 1500 * 3/7 + 40 * 1/2) / 1660
    assert row["baseline"]["estimate"] != pytest.approx((120 * 4 / 6 + 1500 * 3 / 7 + 40 / 2) / 1660, rel=1e-3)
    # R: attr(svyciprop(~y, subset(des, !is.na(y)), method = "logit"), "ci")
    assert row["baseline"]["ci"] == [pytest.approx(0.175284010778908, rel=REL),
                                     pytest.approx(0.779574334643072, rel=REL)]
    assert row["current"]["estimate"] == pytest.approx(0.636363636363636, rel=REL)
    assert row["current"]["ci"] == [pytest.approx(0.393247854431589, rel=REL),
                                    pytest.approx(0.825333898608725, rel=REL)]
    assert (row["baseline"]["n"], row["current"]["n"]) == (15, 25)  # respondents with an answer
    # R: svycontrast(svyby(~y, ~wave, subset(both, !is.na(y)), svymean), c(-1, 1)), both the design over the
    # two waves, strata = ~interaction(wave, group): 0.1719836891341, SE 0.19505; z = contrast / SE and
    # 2 * pnorm(-abs(z)) from the two waves' SE(svymean(...)): 0.160497299953399 and 0.110833031464194
    assert row["difference"] == pytest.approx(0.171983689134085, rel=REL)
    assert (row["test"], row["df"]) == ("z", None)
    assert row["statistic"] == pytest.approx(0.88175497254398, rel=REL)
    assert row["p_value"] == pytest.approx(0.377909326128482, rel=REL)
    assert row["difference_ci"] == [pytest.approx(-0.210301466183626, rel=REL),
                                    pytest.approx(0.554268844451795, rel=REL)]


def test_weighted_rows_give_the_kish_design_effect_and_the_effective_n(questionnaire, waves):
    row = find(compare(questionnaire, *waves, population=POPULATION), "policy_period")
    # R: w <- weights(des)[!is.na(d$y)]; length(w) * sum(w^2) / sum(w)^2, and n / deff
    assert row["baseline"]["deff"] == pytest.approx(1.53622572942266, rel=REL)
    assert row["baseline"]["n_effective"] == pytest.approx(9.76419006185847, rel=REL)
    assert row["current"]["deff"] == pytest.approx(1.29132231404959, rel=REL)
    assert row["current"]["n_effective"] == pytest.approx(19.36, rel=REL)
    score = find(compare(questionnaire, *waves, population=POPULATION), "trainings")
    # R: svymean(~trainings, des), confint(...) and the Kish design effect over every respondent
    assert score["baseline"]["estimate"] == pytest.approx(0.604016064257028, rel=REL)
    assert score["baseline"]["ci"] == [pytest.approx(0.191335331848467, rel=REL),
                                       pytest.approx(1.01669679666559, rel=REL)]
    assert score["baseline"]["deff"] == pytest.approx(1.36448444379929, rel=REL)
    assert score["current"]["estimate"] == pytest.approx(1.25903614457831, rel=REL)
    assert score["current"]["deff"] == pytest.approx(1.21403687037306, rel=REL)
    independent = find(compare(questionnaire, *waves, population=POPULATION), "trainings", "independent")
    assert "deff" not in independent["baseline"] and "n_effective" not in independent["baseline"]


def test_a_group_of_one_is_named_on_the_row(questionnaire, waves):
    """The current wave's employers are one respondent: R's survey.lonely.psu = "adjust" (the values above),
    and the row names the group in `lonely_groups` for the headline."""
    row = find(compare(questionnaire, *waves, population=POPULATION), "policy_period")
    assert row["lonely_groups"] == ["employers"]
    assert 'survey.lonely.psu = "adjust"' in row["note"] and "employers" in row["note"]
    both_large = {**CURRENT, "employers": [("yes", "p2", 6, 1), ("yes", "dk", 6, 1)]}
    assert "lonely" not in (find(compare(questionnaire, waves[0], _read(both_large, questionnaire),
                                         population=POPULATION), "policy_period")["note"] or "")


def test_base_all_counts_those_not_asked_as_not_successful(questionnaire, waves):
    row = find(compare(questionnaire, *waves, population=POPULATION, base="all"), "policy_period")
    assert row["base"] == "all"
    # R: y_all <- ifelse(d$heard_policy != "yes", 0, d$y); svymean(~y_all, subset(des, !is.na(y_all)))
    assert row["baseline"]["estimate"] == pytest.approx(0.146666666666667, rel=REL)
    # R: attr(svyciprop(~y_all, subset(des, !is.na(y_all)), method = "logit"), "ci")
    assert row["baseline"]["ci"] == [pytest.approx(0.058611943982534, rel=REL),
                                     pytest.approx(0.321789811849186, rel=REL)]
    assert row["current"]["estimate"] == pytest.approx(0.337349397590361, rel=REL)
    assert row["current"]["ci"] == [pytest.approx(0.200372223351097, rel=REL),
                                    pytest.approx(0.508427261002212, rel=REL)]


def _read(spec, questionnaire, name="w.csv"):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / name
    wave(spec).to_csv(path, index=False)
    return read_wave(path, questionnaire)


def test_a_share_of_0_or_3_7_percent_has_an_interval_inside_0_to_100(questionnaire, tmp_path):
    one_in_27 = {"workers": [("yes", "p2", 0, 1), ("yes", "p1", 0, 26)]}
    row = find(compare(questionnaire, _read(one_in_27, questionnaire), _read(one_in_27, questionnaire),
                       population=POPULATION), "policy_period")
    # R: d <- data.frame(group = "workers", y = c(1, rep(0, 26)), N = 1500)
    #    attr(svyciprop(~y, svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d), method = "logit"), "ci")
    assert row["baseline"]["estimate"] == pytest.approx(1 / 27, rel=REL)
    assert row["baseline"]["ci"] == [pytest.approx(0.00461698242191661, rel=REL),
                                     pytest.approx(0.24180540065205144, rel=REL)]
    none = {"government": [("yes", "p1", 0, 10)], "workers": [("yes", "dk", 0, 17)]}
    row = find(compare(questionnaire, _read(none, questionnaire), _read(none, questionnaire),
                       population=POPULATION), "policy_period")
    # R's logit interval at 0 is 0 to 0 (7.0e-12 both ends); Korn-Graubard with the NCHS rule instead:
    # R: n <- 27; df <- degf(des); neff <- min(n, n * (qt(0.975, n - 1) / qt(0.975, df))^2); qbeta(0.975, 1, neff)
    assert row["baseline"]["estimate"] == 0
    assert row["baseline"]["ci"] == [0, pytest.approx(0.128168086503546, rel=REL)]


def test_a_counts_table_gives_the_respondent_files_domain_estimate(questionnaire, waves, tmp_path):
    """A counts table's groups become records with the same counts: the design-based estimate, its
    interval and the domain are those of the respondent file (the R values of the first test)."""
    table = wave(BASELINE).melt(id_vars="group", value_vars=["heard_policy", "policy_period"], var_name="item",
                                value_name="code").dropna().value_counts().rename("count").reset_index()
    table.to_csv(tmp_path / "counts.csv", index=False)
    counts = read_wave(tmp_path / "counts.csv", questionnaire)
    assert counts.format == "counts"
    row = find(compare(questionnaire, counts, waves[1], population=POPULATION), "policy_period")
    assert row["baseline"]["estimate"] == pytest.approx(0.464379947229552, rel=REL)
    assert row["baseline"]["ci"] == [pytest.approx(0.175284010778908, rel=REL),
                                     pytest.approx(0.779574334643072, rel=REL)]
    assert row["p_value"] == pytest.approx(0.377909326128482, rel=REL)


def test_weighted_mean_from_each_groups_moments():
    """The API the trend takes its weighted waves from: a group's n, mean and variance are all the design needs."""
    import math
    import statistics

    from analysis.designs.weighted import StratumMean, weighted_mean

    parts = [StratumMean("government", 1, 4.0, math.nan), StratumMean("workers", 3, 3.0, statistics.variance([1, 2, 6]))]
    mean = weighted_mean(parts, POPULATION)
    # R: options(survey.lonely.psu = "adjust"); d <- data.frame(group = c("government", rep("workers", 3)),
    #    y = c(4, 1, 2, 6)); d$N <- pop[d$group]; svymean(~y, svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d))
    assert mean.estimate == pytest.approx(3.07407407407407, rel=REL)
    assert math.sqrt(mean.variance) == pytest.approx(1.41460995413642, rel=REL)
    assert mean.lonely == ("government",)
    # As a domain: the policy_period shares of the baseline above, each group's respondents given.
    shares = [StratumMean("government", 6, 4 / 6, 4 / 6 * 2 / 6 * 6 / 5), StratumMean("workers", 7, 3 / 7, 3 / 7 * 4 / 7 * 7 / 6),
              StratumMean("employers", 2, 1 / 2, 1 / 2 * 1 / 2 * 2)]
    domain = weighted_mean(shares, POPULATION, group_sizes={"government": 10, "workers": 25, "employers": 6})
    # R: svymean(~y, subset(des, !is.na(y))) of the baseline (tests/r/weighted_domains.R)
    assert domain.estimate == pytest.approx(0.464379947229552, rel=REL)
    assert math.sqrt(domain.variance) == pytest.approx(0.160497299953399, rel=REL)


def test_csv_gives_the_design_effect_and_the_lonely_groups(questionnaire, waves):
    import csv
    import io

    from analysis.formats import to_csv

    rows = list(csv.DictReader(io.StringIO(to_csv(compare(questionnaire, *waves, population=POPULATION)))))
    row = next(r for r in rows if r["item"] == "policy_period" and r["design"] == "weighted")
    assert float(row["baseline_deff"]) == pytest.approx(1.53622572942266, rel=REL)
    assert float(row["current_n_effective"]) == pytest.approx(19.36, rel=REL)
    assert row["lonely_groups"] == "employers"
    independent = next(r for r in rows if r["item"] == "policy_period" and r["design"] == "independent")
    assert independent["baseline_deff"] == "" and independent["lonely_groups"] == ""
