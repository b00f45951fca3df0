"""The designs a reviewer asks for (issue 8): stratified, weighted, paired, shares among all, families.

Every value is pinned to R; the R call is beside it and in tests/r/reference.R.
"""

import pandas as pd
import pytest

import questionnaires as q
from analysis import InputError, compare, read_wave, to_dict

from ..conftest import BASE_MIX, CUR_MIX, EXAMPLE, POPULATION, heard, panel_files, write

REL = 1e-6


@pytest.fixture(scope="module")
def questionnaire():
    return q.load(EXAMPLE)


def find(comparison, item, group="all", design="independent"):
    return next(r for r in to_dict(comparison)["results"]
                if r["item"] == item and r["group"] == group and r["design"] == design)


@pytest.fixture
def mix(tmp_path, questionnaire):
    base = read_wave(write(tmp_path / "b.csv", heard(BASE_MIX)), questionnaire)
    cur = read_wave(write(tmp_path / "c.csv", heard(CUR_MIX)), questionnaire)
    return base, cur


def test_mix_misleads_the_all_row_and_says_so(questionnaire, mix):
    comparison = compare(questionnaire, *mix)
    row = find(comparison, "heard_policy")
    assert row["difference"] < -0.2  # the pooled share fell although every group rose
    # R: chisq.test(rbind(c(100, 50, 10), c(20, 200, 12)), correct = FALSE)
    # The caveat is said once, in the comparison's notes, not pasted into each row (issue 23).
    assert row["note"] is None
    mix_notes = [note for note in to_dict(comparison)["notes"] if "group mix differs" in note]
    assert len(mix_notes) == 1 and "chi-square(2) = 135" in mix_notes[0] and "p = 5.2e-30" in mix_notes[0]
    # Without an option, the rows adjusted for group are made and lead.
    assert "adjusted for group (stratified) lead" in mix_notes[0]
    assert find(comparison, "heard_policy", design="stratified")["test"] == "cmh"
    assert to_dict(comparison)["lead"]["design"] == "stratified"
    # The same fact as fields, for a report to read without searching the notes' words.
    data = to_dict(comparison)
    assert comparison.mix_changed and data["mix_changed"] is True
    assert data["mix_test"]["test"] == "chi2" and data["mix_test"]["df"] == 2
    assert data["mix_test"]["statistic"] == pytest.approx(134.839602925810, rel=1e-9)
    assert data["mix_test"]["p_value"] == pytest.approx(5.24749766068e-30, rel=1e-6)


def test_no_mix_warning_when_the_mix_is_the_same(tmp_path, questionnaire):
    same = {"government": (5, 5), "workers": (10, 10)}
    base = read_wave(write(tmp_path / "b.csv", heard(same)), questionnaire)
    comparison = compare(questionnaire, base, base)
    assert find(comparison, "heard_policy")["note"] is None
    data = to_dict(comparison)
    assert data["mix_changed"] is False and data["mix_test"]["p_value"] == pytest.approx(1.0)
    assert data["wording_changed"] == []


def test_stratified_row_matches_mantelhaen_test(questionnaire, mix):
    row = find(compare(questionnaire, *mix, stratify=True), "heard_policy", design="stratified")
    assert (row["test"], row["df"], row["group"], row["kind"]) == ("cmh", 1, "all", "proportion")
    # R: x <- array(c(19, 90, 1, 10, 80, 15, 120, 35, 0, 0, 12, 10), dim = c(2, 2, 3))
    # R: mantelhaen.test(x, correct = FALSE)
    assert row["statistic"] == pytest.approx(2.15086952119821, rel=REL)
    assert row["p_value"] == pytest.approx(0.142489172371602, rel=REL)
    assert row["effect_size"]["name"] == "mh_odds_ratio"
    assert row["effect_size"]["value"] == pytest.approx(1.60796645702306, rel=REL)
    assert row["effect_size_ci"] == [pytest.approx(0.85192494291373, rel=REL), pytest.approx(3.03495765491763, rel=REL)]
    assert row["effect_size"]["ci"] == row["effect_size_ci"]
    # R: sum(c(20, 200, 12) * c(90/100, 15/50, 0/10)) / 232 (the baseline in the current wave's mix)
    assert row["baseline"]["estimate"] == pytest.approx(0.336206896551724, rel=REL)
    assert row["current"]["estimate"] == pytest.approx(99 / 232)
    assert row["difference"] == pytest.approx(99 / 232 - 0.336206896551724, rel=REL)
    assert (row["baseline"]["n"], row["current"]["n"]) == (160, 232)
    # Breslow-Day (employers, no successes in either wave, carries no odds ratio): R's breslow_day(x, mh$estimate)
    assert row["homogeneity"] == {"test": "breslow_day", "statistic": pytest.approx(0.0735179806133586, rel=REL),
                                  "df": 1, "p_value": pytest.approx(0.7862818247472328, rel=REL)}


def test_stratified_interval_at_another_confidence(questionnaire, mix):
    row = find(compare(questionnaire, *mix, stratify=True, confidence=0.9), "heard_policy", design="stratified")
    # R: mantelhaen.test(x, correct = FALSE, conf.level = 0.9)$conf.int
    assert row["effect_size_ci"] == [pytest.approx(0.943528103077854, rel=REL), pytest.approx(2.740306429111155, rel=REL)]


def test_a_stratum_in_one_wave_only_is_left_out(tmp_path, questionnaire):
    base = read_wave(write(tmp_path / "b.csv", heard({"government": (90, 10), "workers": (15, 35)})), questionnaire)
    cur = read_wave(write(tmp_path / "c.csv", heard({"government": (19, 1), "workers": (80, 120),
                                                     "employers": (3, 3)})), questionnaire)
    row = find(compare(questionnaire, base, cur, stratify=True), "heard_policy", design="stratified")
    assert row["note"].startswith("strata: government, workers")
    assert row["current"]["n"] == 220
    # R: mantelhaen.test(array(c(19, 90, 1, 10, 80, 15, 120, 35), dim = c(2, 2, 2)), correct = FALSE)
    # equals the three-stratum value: the employers' stratum above had no successes and adds nothing
    assert row["statistic"] == pytest.approx(2.15086952119821, rel=REL)
    assert row["homogeneity"]["df"] == 1


def test_weighted_row_matches_svymean(questionnaire, mix):
    row = find(compare(questionnaire, *mix, population=POPULATION), "heard_policy", design="weighted")
    # R: svymean(~y, svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d)), see reference.R
    assert row["baseline"]["estimate"] == pytest.approx(0.3361445783132530, rel=REL)
    assert row["current"]["estimate"] == pytest.approx(0.4301204819277109, rel=REL)
    # R: attr(svyciprop(~y, db, method = "logit"), "ci"), db the baseline's design (was confint(wb), a Wald
    # interval; shares now get the logit interval, issue 23)
    assert row["baseline"]["ci"] == [pytest.approx(0.232296744870407, rel=REL), pytest.approx(0.458679849100466, rel=REL)]
    assert row["difference"] == pytest.approx(0.0939759036144578, rel=REL)
    # R: (coef(wc) - coef(wb)) / sqrt(SE(wb)^2 + SE(wc)^2) and 2 * pnorm(-abs(z))
    assert (row["test"], row["df"]) == ("z", None)
    assert row["statistic"] == pytest.approx(1.44188970323947, rel=REL)
    assert row["p_value"] == pytest.approx(0.149333491434437, rel=REL)
    assert row["difference_ci"] == [pytest.approx(-0.0337657579600231, rel=REL),
                                    pytest.approx(0.2217175651889388, rel=REL)]


def test_weighted_group_of_one_gets_a_note(tmp_path, questionnaire):
    base = read_wave(write(tmp_path / "b.csv", {"group": ["government", "workers", "workers", "workers"],
                                                "trainings": [4, 1, 2, 6]}), questionnaire)
    row = find(compare(questionnaire, base, base, population=POPULATION), "trainings", design="weighted")
    # R: options(survey.lonely.psu = "adjust"); svymean(...) of y = c(4, 1, 2, 6), see reference.R
    # (was "remove", 1.41296013138237: a group of one then added no variance, issue 23)
    assert row["baseline"]["estimate"] == pytest.approx(3.07407407407407, rel=REL)
    se = (row["baseline"]["ci"][1] - row["baseline"]["estimate"]) / 1.959963984540054
    assert se == pytest.approx(1.41460995413642, rel=REL)
    assert row["lonely_groups"] == ["government"]
    assert "single respondent" in row["note"] and "government" in row["note"]


def test_weighted_rows_say_when_the_waves_cover_different_groups(tmp_path, questionnaire, mix):
    """A group that answered in one wave only is weighted into that wave alone: the estimates stand for
    different sets of groups, and the row says so (in the report's Khmer too)."""
    from analysis.report.i18n import note

    base = read_wave(write(tmp_path / "b.csv", heard({"government": (90, 10), "workers": (15, 35)})), questionnaire)
    cur = read_wave(write(tmp_path / "c.csv", heard({"workers": (80, 120), "employers": (3, 3)})), questionnaire)
    row = find(compare(questionnaire, base, cur, population=POPULATION), "heard_policy", design="weighted")
    assert row["note"] == ("each wave is weighted over the groups that answered in it, and these differ "
                           "('government' only in the baseline, 'employers' only in the current wave)")
    assert note(row["note"], "km") == ("ជុំនីមួយៗត្រូវបានថ្លឹងទម្ងន់លើក្រុមដែលបានឆ្លើយក្នុងជុំនោះ ហើយក្រុមទាំងនោះខុសគ្នា "
                                       "('government' តែក្នុងជុំមូលដ្ឋាន, 'employers' តែក្នុងជុំបច្ចុប្បន្ន)")
    # The estimates are what they were: each wave's own svymean over the groups it has.
    assert row["baseline"]["estimate"] == pytest.approx((120 * 0.9 + 1500 * 0.3) / 1620, rel=REL)
    assert row["current"]["estimate"] == pytest.approx((1500 * 0.4 + 40 * 0.5) / 1540, rel=REL)
    # Every group in both waves: no such note.
    assert "differ" not in (find(compare(questionnaire, *mix, population=POPULATION), "heard_policy",
                                 design="weighted")["note"] or "")


def test_population_problems_name_the_group(questionnaire, mix):
    with pytest.raises(InputError) as missing:
        compare(questionnaire, *mix, population={"government": 120, "workers": 1500})
    assert missing.value.problems == ["population: group 'employers' has 10 respondent(s) in the baseline but no "
                                      "population size",
                                      "population: group 'employers' has 12 respondent(s) in the current wave but "
                                      "no population size"]
    with pytest.raises(InputError) as small:
        compare(questionnaire, *mix, population={**POPULATION, "workers": 150})
    assert small.value.problems == ["population: group 'workers' has 200 respondents in the current wave, more "
                                    "than its population of 150"]


# ---------------------------------------------------------------- panels


@pytest.fixture
def panel(tmp_path, questionnaire):
    base, cur = panel_files(tmp_path)
    return read_wave(base, questionnaire), read_wave(cur, questionnaire)


def test_paired_rows_match_r(questionnaire, panel):
    comparison = compare(questionnaire, *panel, paired=True)
    heard_row = find(comparison, "heard_policy", design="paired")
    # R: binom.test(1, 7)$p.value: 1 pair lost, 6 gained
    assert (heard_row["test"], heard_row["statistic"], heard_row["baseline"]["n"]) == ("mcnemar_exact", 1, 12)
    assert heard_row["p_value"] == pytest.approx(0.125, rel=REL)
    assert heard_row["difference"] == pytest.approx(5 / 12)
    understand = find(comparison, "understand", design="paired")
    # R: wilcox.test(uc, ub, paired = TRUE, exact = FALSE, correct = TRUE)
    assert (understand["test"], understand["statistic"]) == ("wilcoxon", 32.5)
    assert understand["p_value"] == pytest.approx(0.0400667965381699, rel=REL)
    trainings = find(comparison, "trainings", design="paired")
    # R: t.test(tc, tb, paired = TRUE)
    assert (trainings["test"], trainings["df"]) == ("paired_t", 11)
    assert trainings["statistic"] == pytest.approx(4.06201920231798, rel=REL)
    assert trainings["p_value"] == pytest.approx(0.00187674199819961, rel=REL)
    assert trainings["difference_ci"] == [pytest.approx(0.45815491004187, rel=REL),
                                          pytest.approx(1.54184508995813, rel=REL)]
    score = find(comparison, "knowledge_score", design="paired")
    # R: t.test(c(100, 100, 100), c(100, 0, 0), paired = TRUE)
    assert score["current"]["n"] == 3
    assert score["statistic"] == pytest.approx(2, rel=REL)
    assert score["p_value"] == pytest.approx(0.183503419072274, rel=REL)
    assert score["difference_ci"] == [pytest.approx(-76.7550909916487, rel=REL), pytest.approx(210.0884243249821, rel=REL)]


def test_panel_is_not_treated_as_independent_without_a_note(questionnaire, panel):
    comparison = compare(questionnaire, *panel)
    row = find(comparison, "heard_policy")
    assert row["overlap"] == 12 and "12 respondent(s) answered both years" in row["note"]
    assert not [r for r in to_dict(comparison)["results"] if r["design"] == "paired"]


def test_paired_by_group_and_no_discordant_pairs(questionnaire, panel):
    base, _cur = panel
    comparison = compare(questionnaire, base, base, paired=True, by_group=True)
    row = find(comparison, "heard_policy", "workers", design="paired")
    assert row["baseline"]["n"] == row["current"]["n"] == 6
    assert row["p_value"] == 1.0 and row["note"] == "no pair changed its answer"
    assert find(comparison, "understand", design="paired")["p_value"] is None
    assert find(comparison, "trainings", design="paired")["note"].startswith("the answers do not vary")


def test_same_key_twice_in_one_wave_is_refused(tmp_path, questionnaire):
    path = write(tmp_path / "b.csv", {"respondent": ["k1", "k2", "k1"], "group": ["workers"] * 3})
    with pytest.raises(InputError) as info:
        read_wave(path, questionnaire)
    assert info.value.problems == [f"{path}: row 4, column 'respondent': respondent 'k1' already answered this "
                                   "wave in row 2"]


def test_census_and_counts_without_groups(tmp_path, questionnaire):
    census = {"government": (3, 1), "workers": (2, 2)}
    base = read_wave(write(tmp_path / "b.csv", heard(census)), questionnaire)
    row = find(compare(questionnaire, base, base, population={"government": 4, "workers": 4}), "heard_policy",
               design="weighted")
    assert row["p_value"] is None and row["note"] == "every group answered in full: no sampling error, no test"
    pd.DataFrame([("heard_policy", "yes", 3), ("heard_policy", "no", 1)],
                 columns=["item", "code", "count"]).to_csv(tmp_path / "t.csv", index=False)
    table = read_wave(tmp_path / "t.csv", questionnaire)
    with pytest.raises(InputError, match="no stakeholder groups"):
        compare(questionnaire, table, table, population=POPULATION)


def test_paired_base_all_when_a_wave_cannot_say_who_was_asked(tmp_path, questionnaire):
    base = write(tmp_path / "b.csv", {"respondent": ["k1", "k2"], "group": ["workers"] * 2,
                                      "policy_period": ["p2", "dk"]})  # no heard_policy column
    cur = write(tmp_path / "c.csv", {"respondent": ["k1", "k2"], "group": ["workers"] * 2,
                                     "heard_policy": ["yes", "yes"], "policy_period": ["p2", "p2"]})
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire),
                         paired=True, base="all")
    row = find(comparison, "policy_period", design="paired")
    assert row["base"] == "answered" and "cannot tell who was not asked" in row["note"]
    assert (row["baseline"]["estimate"], row["current"]["estimate"]) == (0.5, 1.0)


def test_paired_base_all_when_the_current_wave_cannot_say(tmp_path, questionnaire):
    base = write(tmp_path / "b.csv", {"respondent": ["k1", "k2"], "group": ["workers"] * 2,
                                      "heard_policy": ["yes", "no"], "policy_period": ["p2", None]})
    cur = write(tmp_path / "c.csv", {"respondent": ["k1", "k2"], "group": ["workers"] * 2,
                                     "policy_period": ["p2", "p2"]})
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire),
                         paired=True, base="all")
    row = find(comparison, "policy_period", design="paired")
    assert row["base"] == "answered" and "cannot tell who was not asked" in row["note"]
