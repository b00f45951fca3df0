"""The reviewer's objections of issue 8, each with the test that would have caught it."""

import numpy as np
import pandas as pd
import pytest

import questionnaires as q
from analysis import InputError, compare, read_wave, to_dict

from ..conftest import EXAMPLE

REL = 1e-6
TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def questionnaire():
    return q.load(EXAMPLE)


def variant(old: str, new: str):
    assert old in TEXT
    return q.loads(TEXT.replace(old, new))


def write(path, columns: dict):
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


def counts(path, rows, groups=False):
    pd.DataFrame(rows, columns=["item", "code", "count"] + (["group"] if groups else [])).to_csv(path, index=False)
    return path


def find(comparison, item, group="all", design="independent"):
    return next(r for r in to_dict(comparison)["results"]
                if r["item"] == item and r["group"] == group and r["design"] == design)


def problems(path, questionnaire):
    with pytest.raises(InputError) as info:
        read_wave(path, questionnaire)
    return info.value.problems


# ---------------------------------------------------------------- degenerate data

KNOWLEDGE_ITEM = """      - id: fact{n}
        type: single_choice
        choices: yes_no_dk
        label: {{en: Fact {n}?}}
        measure: knowledge
        correct: "yes"
"""


def seven_facts():
    items = "".join(KNOWLEDGE_ITEM.format(n=n) for n in range(1, 8))
    return variant("      - id: understand\n", items + "      - id: understand\n")


def test_constant_knowledge_scores_give_no_test(tmp_path):
    # Seven employers each scoring 3/7 in the baseline and 6/7 now: R's t.test refuses,
    # "data are essentially constant" (reference.R); the means' rounding must not hide the zero.
    definition = seven_facts()
    facts = [f"fact{n}" for n in range(1, 8)]
    base = write(tmp_path / "b.csv", {"group": ["employers"] * 7,
                                      **{f: ["yes" if i < 3 else "no"] * 7 for i, f in enumerate(facts)}})
    cur = write(tmp_path / "c.csv", {"group": ["employers"] * 7,
                                     **{f: ["yes" if i < 6 else "no"] * 7 for i, f in enumerate(facts)}})
    row = find(compare(definition, read_wave(base, definition), read_wave(cur, definition)), "knowledge_score")
    assert row["baseline"]["estimate"] == pytest.approx(300 / 7) and row["current"]["estimate"] == pytest.approx(600 / 7)
    assert row["statistic"] is row["df"] is row["p_value"] is row["difference_ci"] is None
    assert row["effect_size"]["value"] is None and row["effect_size_ci"] is None
    assert row["note"].startswith("the answers do not vary within the waves: no test")


def test_constant_numbers_from_a_counts_table_give_no_test(tmp_path):
    # 0.1 x 10 against 0.3 x 10: R's t.test(rep(0.3, 10), rep(0.1, 10)) refuses (reference.R).
    definition = variant("        integer: true\n", "")
    base = counts(tmp_path / "b.csv", [("trainings", "0.1", 10)])
    cur = counts(tmp_path / "c.csv", [("trainings", "0.3", 10)])
    row = find(compare(definition, read_wave(base, definition), read_wave(cur, definition)), "trainings")
    assert row["p_value"] is None and row["effect_size"]["value"] is None
    assert "do not vary" in row["note"]
    assert row["difference"] == pytest.approx(0.2)


# ---------------------------------------------------------------- impossible inputs


def test_option_counted_more_often_than_the_item_is_refused(tmp_path, questionnaire):
    path = counts(tmp_path / "bad.csv", [("areas_known", "*", 10, "workers"), ("areas_known", "governance", 12, "workers")],
                  groups=True)
    assert problems(path, questionnaire) == [
        f"{path}: row 3, column 'count': 12 respondents chose 'governance' of 'areas_known' (group workers), "
        "but only 10 answered it (code '*')"]


def test_number_codes_of_a_counts_table_are_checked(tmp_path, questionnaire):
    path = counts(tmp_path / "bad.csv", [("trainings", "nan", 1), ("trainings", "inf", 1), ("trainings", "2.5", 1),
                                         ("trainings", "101", 1), ("trainings", "-1", 1), ("trainings", "3", 1)])
    assert problems(path, questionnaire) == [
        f"{path}: row 2, column 'code': 'nan' is not a number (item 'trainings' is a number)",
        f"{path}: row 3, column 'code': 'inf' is not a number (item 'trainings' is a number)",
        f"{path}: row 4, column 'code': '2.5' is not a whole number (item 'trainings' wants whole numbers)",
        f"{path}: row 5, column 'code': 101 is more than the maximum 100 of item 'trainings'",
        f"{path}: row 6, column 'code': -1 is less than the minimum 0 of item 'trainings'"]


def test_non_finite_numbers_in_respondent_files_are_refused(tmp_path, questionnaire):
    path = write(tmp_path / "bad.csv", {"group": ["workers"] * 3, "trainings": ["nan", "inf", "3"]})
    assert problems(path, questionnaire) == [f"{path}: row 2, column 'trainings': 'nan' is not a number",
                                             f"{path}: row 3, column 'trainings': 'inf' is not a number"]


def test_answer_to_an_item_not_asked_is_refused(tmp_path, questionnaire):
    path = write(tmp_path / "bad.csv", {"group": ["workers"] * 3, "heard_policy": ["yes", "no", None],
                                        "policy_period": ["p2", "p1", "p2"]})
    assert problems(path, questionnaire) == [
        f"{path}: row 3, column 'policy_period': answered, but the item is asked only if heard_policy == 'yes', "
        "which is false for this respondent",
        f"{path}: row 4, column 'policy_period': answered, but the item is asked only if heard_policy == 'yes', "
        "which is false for this respondent"]


def test_cli_refuses_an_impossible_counts_table_without_a_traceback(tmp_path, runner):
    bad = counts(tmp_path / "bad.csv", [("areas_known", "*", 2), ("areas_known", "governance", 3)])
    result = runner.invoke(args=["compare", "--questionnaire", str(EXAMPLE), "--baseline", str(bad),
                                 "--current", str(bad)])
    assert result.exit_code == 1 and "but only 2 answered it" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- whose share


def test_base_all_counts_those_not_asked_as_not_successful(tmp_path, questionnaire):
    base = write(tmp_path / "b.csv", {"group": ["workers"] * 10, "heard_policy": ["yes"] * 2 + ["no"] * 8,
                                      "policy_period": ["p2"] * 2 + [None] * 8})
    cur = write(tmp_path / "c.csv", {"group": ["workers"] * 10, "heard_policy": ["yes"] * 6 + ["no"] * 4,
                                     "policy_period": ["p2"] * 3 + ["dk"] * 2 + [None] * 5})
    waves = read_wave(base, questionnaire), read_wave(cur, questionnaire)
    answered = find(compare(questionnaire, *waves), "policy_period")
    assert (answered["base"], answered["asked_if"]) == ("answered", "heard_policy == 'yes'")
    assert (answered["baseline"]["estimate"], answered["current"]["estimate"]) == (1.0, 0.6)
    everyone = find(compare(questionnaire, *waves, base="all"), "policy_period")
    assert everyone["base"] == "all"
    # 2 of 10; this year 3 of 9: the one who was asked and left it blank is left out.
    assert (everyone["baseline"]["n"], everyone["baseline"]["estimate"]) == (10, 0.2)
    assert (everyone["current"]["n"], everyone["current"]["estimate"]) == (9, pytest.approx(1 / 3))
    assert everyone["difference"] > 0 > answered["difference"]
    assert find(compare(questionnaire, *waves), "heard_policy")["asked_if"] is None


def test_base_all_from_a_counts_table_says_it_cannot(tmp_path, questionnaire):
    path = counts(tmp_path / "b.csv", [("policy_period", "p2", 3), ("policy_period", "dk", 1)])
    row = find(compare(questionnaire, read_wave(path, questionnaire), read_wave(path, questionnaire), base="all"),
               "policy_period")
    assert row["base"] == "answered" and "cannot tell who was not asked" in row["note"]


# ---------------------------------------------------------------- knowledge score over common items

SECOND_FACT = KNOWLEDGE_ITEM.format(n=1)


def test_knowledge_item_missing_from_one_wave_is_left_out_of_both(tmp_path):
    definition = variant("      - id: understand\n", SECOND_FACT + "      - id: understand\n")
    answers = {"group": ["workers"] * 6, "heard_policy": ["yes"] * 6,
               "policy_period": ["p2", "p2", "dk", "p1", "p2", "p2"]}
    base = write(tmp_path / "b.csv", {**answers, "fact1": ["yes", "yes", "yes", "no", "yes", "yes"]})
    cur = write(tmp_path / "c.csv", answers)  # fact1 missing, the same answers otherwise
    row = find(compare(definition, read_wave(base, definition), read_wave(cur, definition)), "knowledge_score")
    assert row["difference"] == 0 and row["p_value"] == pytest.approx(1.0)
    assert "left out of both waves' scores: fact1" in row["note"]


# ---------------------------------------------------------------- families


def test_headline_items_form_their_own_family(tmp_path):
    definition = variant("        measure: awareness\n", "        measure: awareness\n        headline: true\n")
    rng = np.random.default_rng(8)
    waves = []
    for share in (0.5, 0.7):
        heard = np.where(rng.random(150) < share, "yes", "no")
        waves.append(read_wave(write(tmp_path / f"{share}.csv", {
            "group": ["workers"] * 150, "heard_policy": heard,
            "policy_period": np.where(heard == "yes", np.where(rng.random(150) < share, "p2", "dk"), None),
            "understand": rng.integers(1, 6, 150), "trainings": rng.integers(0, 9, 150)}), definition))
    data = to_dict(compare(definition, *waves))
    headline = [r for r in data["results"] if r["role"] == "headline"]
    assert [r["item"] for r in headline] == ["heard_policy"]
    # Alone in its family, the headline's p is not inflated by the descriptive rows.
    assert headline[0]["family"] == "all/independent/headline" and headline[0]["p_adjusted"] == headline[0]["p_value"]
    others = [r for r in data["results"] if r["p_value"] is not None and r["role"] == "other"]
    assert {r["family"] for r in others} == {"all/independent/other"}
    from analysis.stats import adjust_p_values

    assert [r["p_adjusted"] for r in others] == pytest.approx(adjust_p_values([r["p_value"] for r in others], "holm"))


def test_knowledge_score_is_headline_with_a_headline_knowledge_item(tmp_path):
    definition = variant("        correct: p2\n", "        correct: p2\n        headline: true\n")
    path = write(tmp_path / "b.csv", {"group": ["workers"] * 2, "heard_policy": ["yes"] * 2, "policy_period": ["p2", "dk"]})
    data = to_dict(compare(definition, read_wave(path, definition), read_wave(path, definition)))
    roles = {r["item"]: r["role"] for r in data["results"]}
    assert roles["knowledge_score"] == roles["policy_period"] == "headline" and roles["heard_policy"] == "other"


def test_without_headlines_one_family_per_group_and_design(tmp_path, questionnaire):
    path = write(tmp_path / "b.csv", {"group": ["workers"] * 2, "heard_policy": ["yes", "no"]})
    data = to_dict(compare(questionnaire, read_wave(path, questionnaire), read_wave(path, questionnaire)))
    assert {(r["family"], r["role"]) for r in data["results"]} == {("all/independent", "other")}


# ---------------------------------------------------------------- effect-size intervals


def test_effect_size_intervals(tmp_path, questionnaire):
    base = counts(tmp_path / "b.csv", [("heard_policy", "yes", 74), ("heard_policy", "no", 46),
                                       ("trainings", "1", 5), ("trainings", "2", 7), ("trainings", "4", 3)])
    cur = counts(tmp_path / "c.csv", [("heard_policy", "yes", 137), ("heard_policy", "no", 13),
                                      ("trainings", "2", 4), ("trainings", "3", 8), ("trainings", "5", 2)])
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire))
    heard = find(comparison, "heard_policy")
    # R: h <- 2 * asin(sqrt(137/150)) - 2 * asin(sqrt(74/120)); h + c(-1, 1) * qnorm(0.975) * sqrt(1/120 + 1/150)
    assert heard["effect_size_ci"] == [pytest.approx(0.497607919373192, rel=REL), pytest.approx(0.977699087008723, rel=REL)]
    trainings = find(comparison, "trainings")
    # R: g + c(-1, 1) * qnorm(0.975) * sqrt(29 / (15 * 14) + g^2 / (2 * 29)), g as in reference.R
    assert trainings["effect_size"]["value"] == pytest.approx(0.876332634559387, rel=REL)
    assert trainings["effect_size_ci"] == [pytest.approx(0.11386908737282, rel=REL), pytest.approx(1.63879618174595, rel=REL)]
    assert find(comparison, "understand")["effect_size_ci"] is None


def test_base_all_never_counts_a_respondent_twice(tmp_path, questionnaire):
    # A baseline recoded from another edition is read without the relevance check: an answer given
    # where this edition's condition is false counts once, as an answer.
    from analysis import read_frame

    frame = pd.DataFrame({"group": ["workers"] * 3, "heard_policy": ["yes", "no", "no"],
                          "policy_period": ["p2", "p2", ""]})
    data = read_frame(frame, questionnaire, source="recoded", check_relevance=False)
    row = find(compare(questionnaire, data, data, base="all"), "policy_period")
    assert (row["baseline"]["n"], row["baseline"]["estimate"]) == (3, pytest.approx(2 / 3))
