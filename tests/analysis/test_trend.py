"""The trend over waves (issue 24): every number pinned to R; the R calls are beside each value and in
tests/r/trend.R, which builds the same respondents.

Four waves of heard_policy by group (employers did not answer in 2017) and `trainings`, a number the
2016 file lacks.
"""

import pandas as pd
import pytest

import questionnaires as q
from analysis import InputError, compare, read_wave, to_dict
from analysis.trend import positions_of, to_csv, to_table, trend
from analysis.trend import to_dict as trend_dict
from analysis.trend.models import Cell, weighted

from ..conftest import EXAMPLE

REL = 1e-6
GROUPS = ("government", "employers", "workers")
COUNTS = {  # heard_policy (yes, no) per group
    "2015": {"government": (12, 18), "employers": (5, 15), "workers": (8, 22)},
    "2016": {"government": (15, 10), "employers": (7, 14), "workers": (10, 18)},
    "2017": {"government": (20, 8), "workers": (14, 16)},
    "2018": {"government": (24, 6), "employers": (10, 10), "workers": (18, 12)},
}
POPULATION = {"government": 100, "employers": 60, "workers": 200}


@pytest.fixture(scope="module")
def questionnaire():
    return q.load(EXAMPLE)


def wave_file(folder, label: str, wave_index: int):
    columns = {"group": [], "heard_policy": [], "trainings": []}
    for group, (yes, no) in COUNTS[label].items():
        n = yes + no
        columns["group"] += [group] * n
        columns["heard_policy"] += ["yes"] * yes + ["no"] * no
        columns["trainings"] += [(7 * j + 3 * wave_index + GROUPS.index(group)) % 6 for j in range(n)]
    if label == "2016":
        del columns["trainings"]
    path = folder / f"{label}.csv"
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def waves(tmp_path_factory, questionnaire):
    folder = tmp_path_factory.mktemp("waves")
    return [(label, read_wave(wave_file(folder, label, k), questionnaire)) for k, label in enumerate(COUNTS)]


@pytest.fixture(scope="module")
def result(questionnaire, waves):
    return trend(questionnaire, waves, by_group=True, stratify=True,
                 populations={label: POPULATION for label in COUNTS})


def row(result, item, group="all", design="independent"):
    return next(r for r in trend_dict(result)["results"]
                if r["item"] == item and r["group"] == group and r["design"] == design)


def test_each_wave_as_compare_gives_it(questionnaire, waves, result):
    heard = row(result, "heard_policy")
    assert [w["wave"] for w in heard["waves"]] == list(COUNTS)
    assert [w["n"] for w in heard["waves"]] == [80, 74, 58, 80]  # R: tapply(d$heard, d$wave, length)
    assert heard["waves"][2]["estimate"] == pytest.approx(34 / 58)
    # R: prop.test(34, 58, correct = FALSE)$conf.int
    assert heard["waves"][2]["ci"] == pytest.approx([0.457984081708557, 0.703719736259167], rel=REL)
    pair = to_dict(compare(questionnaire, waves[1][1], waves[2][1]))
    same = next(r for r in pair["results"] if r["item"] == "heard_policy" and r["group"] == "all")
    assert heard["waves"][1]["ci"] == same["baseline"]["ci"] and heard["waves"][2]["ci"] == same["current"]["ci"]


def test_steps_are_compares_tests(questionnaire, waves, result):
    heard = row(result, "heard_policy")
    assert [(s["from"], s["to"]) for s in heard["steps"]] == [("2015", "2016"), ("2016", "2017"), ("2017", "2018")]
    step = heard["steps"][1]
    # R: chisq.test(matrix(c(32, 42, 34, 24), 2, byrow = TRUE), correct = FALSE)$statistic
    assert step["test"] == "chi2" and step["statistic"] == pytest.approx(3.07548928238583, rel=REL)
    pair = to_dict(compare(questionnaire, waves[1][1], waves[2][1]))
    same = next(r for r in pair["results"] if r["item"] == "heard_policy" and r["group"] == "all")
    for field in ("difference", "difference_ci", "p_value"):
        assert step[field] == same[field]
    # The change from the first wave, to each later one.
    assert [(s["from"], s["to"]) for s in heard["from_first"]] == [("2015", "2016"), ("2015", "2017"),
                                                                   ("2015", "2018")]
    assert heard["from_first"][2]["difference"] == pytest.approx(52 / 80 - 25 / 80)


def test_cochran_armitage_matches_prop_trend_test(result):
    fit = row(result, "heard_policy")["trend"]
    # R: prop.trend.test(c(25, 32, 34, 52), c(80, 74, 58, 80), score = c(2015, 2016, 2017, 2018))
    assert fit["test"] == "cochran_armitage" and fit["df"] == 1
    assert fit["statistic"] == pytest.approx(21.0157777363546, rel=REL)
    assert fit["p_value"] == pytest.approx(4.55516682815378e-06, rel=REL)
    assert fit["slope"] > 0 and fit["slope_ci"][0] > 0
    assert fit["note"] is None  # four waves: no warning of little power


def test_group_missing_in_one_wave(result):
    employers = row(result, "heard_policy", group="employers")
    assert [w["wave"] for w in employers["waves"]] == ["2015", "2016", "2018"]
    assert "2017" in employers["note"] and "reported over waves 2015, 2016, 2018" in employers["note"]
    assert [(s["from"], s["to"]) for s in employers["steps"]] == [("2015", "2016"), ("2016", "2018")]
    # R: prop.trend.test(c(5, 7, 10), c(20, 21, 20), score = c(2015, 2016, 2018))
    assert employers["trend"]["statistic"] == pytest.approx(2.81419968919969, rel=REL)
    assert employers["trend"]["p_value"] == pytest.approx(0.0934334850144844, rel=REL)
    assert "little power" in employers["trend"]["note"]


def test_item_missing_in_one_wave_and_lm_slope(result):
    trainings = row(result, "trainings")
    assert [w["wave"] for w in trainings["waves"]] == ["2015", "2017", "2018"]
    assert "2016" in trainings["note"]
    assert [(s["from"], s["to"], s["test"]) for s in trainings["steps"]] == [("2015", "2017", "welch_t"),
                                                                            ("2017", "2018", "welch_t")]
    fit = trainings["trend"]
    # R: m <- lm(trainings ~ wave, d); summary(m)$coefficients["wave", ]; confint(m)
    assert fit["test"] == "linear" and fit["df"] == 216
    assert fit["slope"] == pytest.approx(0.0196039603960781, rel=REL)
    assert fit["statistic"] == pytest.approx(0.220583523770461, rel=REL)
    assert fit["p_value"] == pytest.approx(0.825625086838440, rel=REL)
    assert fit["slope_ci"] == pytest.approx([-0.155565752015253, 0.194773672807409], rel=REL)


def test_stratified_trend_is_glm_with_group(result):
    fit = row(result, "heard_policy", design="stratified")["trend"]
    # R: glm(heard ~ wave + group, binomial, d); summary()$coefficients["wave", ]; confint.default()
    assert fit["test"] == "logistic" and fit["df"] is None
    assert fit["slope"] == pytest.approx(0.490657013985322, rel=REL)
    assert fit["statistic"] == pytest.approx(4.46571175745965, rel=REL)
    assert fit["p_value"] == pytest.approx(7.98029940742532e-06, rel=REL)
    assert fit["slope_ci"] == pytest.approx([0.275311705464951, 0.706002322505693], rel=REL)


def test_stratified_score_is_lm_with_group(questionnaire, waves, result):
    trainings = row(result, "trainings", design="stratified")
    # Steps and each wave as compare's stratified (standardised) rows give them.
    pair = to_dict(compare(questionnaire, waves[0][1], waves[2][1], stratify=True))
    same = next(r for r in pair["results"] if r["item"] == "trainings" and r["design"] == "stratified")
    assert trainings["steps"][0]["test"] == same["test"] == "std_z"
    assert trainings["steps"][0]["difference"] == same["difference"] and trainings["steps"][0]["p_value"] == \
        same["p_value"]
    last = to_dict(compare(questionnaire, waves[0][1], waves[3][1], stratify=True))
    same = next(r for r in last["results"] if r["item"] == "trainings" and r["design"] == "stratified")
    assert trainings["waves"][0]["estimate"] == same["baseline"]["estimate"]  # standardised to 2018's mix
    # R: summary(lm(trainings ~ wave + group, d))$coefficients["wave", ]
    assert trainings["trend"]["test"] == "linear" and trainings["trend"]["df"] == 218 - 4
    assert trainings["trend"]["slope"] == pytest.approx(0.0206515058390054, rel=REL)
    assert trainings["trend"]["p_value"] == pytest.approx(0.8174798841160450, rel=REL)


def test_linear_model_adjusted_for_group():
    from analysis.trend.models import linear

    cells = []
    for k, label in enumerate(COUNTS):
        if label == "2016":
            continue
        for group, (yes, no) in COUNTS[label].items():
            values = pd.Series([(7 * j + 3 * k + GROUPS.index(group)) % 6 for j in range(yes + no)], dtype=float)
            cells.append(Cell(float(label), group, len(values), values.mean(), values.var()))
    fit = linear(cells, 0.95, adjust_groups=True)
    # R: summary(lm(trainings ~ wave + group, d))$coefficients["wave", ]
    assert fit.slope == pytest.approx(0.0206515058390054, rel=REL)
    assert fit.statistic == pytest.approx(0.2310716849809248, rel=REL)
    assert fit.p_value == pytest.approx(0.8174798841160450, rel=REL)


def test_weighted_rows_match_svyglm_and_svymean(result):
    heard = row(result, "heard_policy", design="weighted")
    # R: svyby(~heard, ~wave, svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, data = d), svymean)
    assert [w["estimate"] for w in heard["waves"]] == pytest.approx(
        [0.300925925925926, 0.420634920634921, 0.549206349206349, 0.638888888888889], rel=REL)
    # R: attr(svyciprop(~heard, subset(design, wave == w), method = "logit"), "ci"), as compare's weighted rows
    assert [w["ci"] for w in heard["waves"]] == [
        pytest.approx([0.213074447507323, 0.406297401663201], rel=REL),
        pytest.approx([0.316258506368433, 0.532624811281302], rel=REL),
        pytest.approx([0.42448512763783, 0.66803636347148], rel=REL),
        pytest.approx([0.530214060263730, 0.734989360278954], rel=REL)]
    assert heard["waves"][0]["deff"] > 1 and heard["waves"][0]["n_effective"] < heard["waves"][0]["n"]
    # R: svycontrast(svyby(..., covmat = TRUE), quote(`2017` - `2016`))
    step = heard["steps"][1]
    assert step["test"] == "z" and step["difference"] == pytest.approx(0.1285714285714286, rel=REL)
    assert (step["difference_ci"][1] - step["difference"]) / 1.959963984540054 == pytest.approx(
        0.0829657381868205, rel=REL)
    fit = heard["trend"]
    # R: svyglm(heard ~ wave, design, family = quasibinomial()); summary()$coefficients["wave", ]; confint()
    assert fit["test"] == "weighted_logistic" and fit["df"] == 280  # R: m$df.residual
    assert fit["slope"] == pytest.approx(0.474371202543166, rel=REL)
    assert fit["statistic"] == pytest.approx(4.60972945564649, rel=REL)
    assert fit["p_value"] == pytest.approx(6.13516822436661e-06, rel=REL)
    assert fit["slope_ci"] == pytest.approx([0.271802553806178, 0.676939851280155], rel=REL)
    trainings = row(result, "trainings", design="weighted")["trend"]
    # R: svyglm(trainings ~ wave, subset(design, !is.na(trainings))); df.residual 209
    assert trainings["test"] == "weighted_linear" and trainings["df"] == 209
    assert trainings["slope"] == pytest.approx(0.0125979505733328, rel=REL)
    assert trainings["statistic"] == pytest.approx(0.1458241146650331, rel=REL)
    assert trainings["p_value"] == pytest.approx(0.8842007846945958, rel=REL)


def test_lonely_stratum_as_r_removes_or_adjusts_it():
    rows = [(2015, "a", 3), (2015, "a", 5), (2015, "b", 4), (2016, "a", 6), (2016, "b", 2), (2017, "a", 7),
            (2017, "b", 7), (2017, "b", 5), (2017, "b", 6), (2018, "a", 8), (2018, "b", 9), (2018, "b", 7)]
    cells = []
    for wave, group in dict.fromkeys((w, g) for w, g, _y in rows):
        values = pd.Series([y for w, g, y in rows if (w, g) == (wave, group)], dtype=float)
        cells.append(Cell(wave, group, len(values), values.mean(), values.var(), 10 if group == "a" else 20))
    # R: options(survey.lonely.psu = "remove" / "adjust"); d$N <- ifelse(d$group == "a", 10, 20)
    #    summary(svyglm(y ~ wave, svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, data = d)))
    removed = weighted(cells, 0.95, logistic_link=False, lonely="remove")
    assert removed.slope == pytest.approx(1.5, rel=REL) and removed.df == 3
    assert removed.statistic == pytest.approx(7.05078607589613, rel=REL)
    assert removed.p_value == pytest.approx(0.00586367618269691, rel=REL)
    assert "single respondent" in removed.note and '"remove"' in removed.note
    adjusted = weighted(cells, 0.95, logistic_link=False, lonely="adjust")
    assert adjusted.statistic == pytest.approx(4.62590616392966, rel=REL)
    assert adjusted.p_value == pytest.approx(0.0190216882734644, rel=REL)


def test_weighted_slope_of_an_item_asked_of_some():
    """Respondents without an answer stay in their stratum (a domain), as R's svyglm leaves them."""
    rows = [(2015, "a", 3), (2015, "a", None), (2015, "b", 4), (2016, "a", 6), (2016, "b", 2), (2017, "a", 7),
            (2017, "b", None), (2017, "b", 5), (2017, "b", 6), (2018, "a", 8), (2018, "b", 9), (2018, "b", 7)]
    cells = []
    for wave, group in dict.fromkeys((w, g) for w, g, _y in rows):
        everyone = [y for w, g, y in rows if (w, g) == (wave, group)]
        values = pd.Series([y for y in everyone if y is not None], dtype=float)
        cells.append(Cell(wave, group, len(values), values.mean(), values.var(), 10 if group == "a" else 20,
                          len(everyone)))
    fit = weighted(cells, 0.95, logistic_link=False, lonely="adjust")
    # R (tests/r/trend.R, "domain"): summary(svyglm(y ~ wave, design))$coefficients["wave", ]; m$df.residual
    assert fit.df == 1 and fit.slope == pytest.approx(1.584269662921081, rel=REL)
    assert fit.statistic == pytest.approx(4.218479945478123, rel=REL)
    assert fit.p_value == pytest.approx(0.148176994623157, rel=REL)


def test_two_waves_only(questionnaire, waves):
    result = trend(questionnaire, [waves[0], waves[3]])
    fit = row(result, "heard_policy")["trend"]
    # R: prop.trend.test(c(25, 52), c(80, 80), score = c(2015, 2018)), the same as
    #    chisq.test(table(wave, heard), correct = FALSE)
    assert fit["statistic"] == pytest.approx(18.2506649976529, rel=REL)
    assert fit["p_value"] == pytest.approx(1.93658327619855e-05, rel=REL)
    assert row(result, "heard_policy")["steps"][0]["statistic"] == pytest.approx(18.250664997653, rel=REL)
    assert "little power" in fit["note"]


def test_labels_that_are_not_numbers_count_in_order(questionnaire, waves):
    named = [("baseline", waves[0][1]), ("midterm", waves[1][1]), ("late", waves[2][1])]
    result = trend(questionnaire, named)
    assert result.positions == (1.0, 2.0, 3.0) and result.settings["positions"] == "order"
    fit = row(result, "heard_policy")["trend"]
    # R: prop.trend.test(c(25, 32, 34), c(80, 74, 58))  (score = 1, 2, 3)
    assert fit["statistic"] == pytest.approx(10.230398748276, rel=REL)
    assert fit["p_value"] == pytest.approx(0.00138144795333965, rel=REL)


def test_positions_and_refusals(questionnaire, waves):
    assert positions_of(["2015", "2017", "2018"]) == ([2015.0, 2017.0, 2018.0], "label")
    with pytest.raises(InputError, match="out of order"):
        positions_of(["2018", "2015"])
    with pytest.raises(InputError, match="at least two waves"):
        trend(questionnaire, waves[:1])
    with pytest.raises(InputError, match="employers.*wave 2015.*no population size"):
        trend(questionnaire, waves, populations={label: {"government": 100, "workers": 200} for label in COUNTS})


def test_mix_over_the_waves(questionnaire, waves, result):
    data = trend_dict(result)
    assert data["lead"]["design"] == "weighted"
    # A changed mix adds the rows adjusted for group without being asked, as compare does.
    alone = trend_dict(trend(questionnaire, waves))
    assert alone["lead"]["design"] == "stratified" and alone["settings"]["stratify"] is True
    assert any(r["design"] == "stratified" for r in alone["results"]) and "group mix differs" in alone["notes"][-1]
    # R: chisq.test(table(d$wave, d$group), correct = FALSE): employers absent in 2017
    assert data["mix_test"]["df"] == 6 and data["mix_changed"] is True
    assert data["mix_test"]["statistic"] == pytest.approx(19.5858207036175, rel=REL)
    assert data["mix_test"]["p_value"] == pytest.approx(0.0032805946529986, rel=REL)


def test_families_outputs_and_adjustment(result):
    data = trend_dict(result)
    heard = row(result, "heard_policy")
    assert heard["family"] == "all/independent" and heard["role"] == "other"  # no item is a headline
    assert heard["trend"]["p_adjusted"] >= heard["trend"]["p_value"]
    assert all(step["p_adjusted"] is not None for step in heard["steps"])
    assert data["settings"]["positions"] == "label" and data["software"]["scipy"]
    assert [w["label"] for w in data["waves"]] == list(COUNTS) and data["waves"][0]["sha256"]
    lines = to_csv(result).splitlines()
    assert lines[0].startswith("item,group,design,kind,row,wave")
    assert sum(line.startswith("heard_policy,all,independent,proportion,trend") for line in lines) == 1
    table = to_table(result)
    assert "2015: 31.2% (80)" in table and "Cochran-Armitage" in table and "svyglm" in table
