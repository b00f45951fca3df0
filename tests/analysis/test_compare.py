"""The comparison end to end: files in, rows out, checked against R and against the rules."""

import json

import numpy as np
import pandas as pd
import pytest

import questionnaires as q
from analysis import InputError, compare, read_wave, to_dict
from analysis.formats import to_csv, to_json, to_table

from ..conftest import EXAMPLE

REL = 1e-6


@pytest.fixture(scope="module")
def questionnaire():
    return q.load(EXAMPLE)


def write_counts(path, rows, groups=False):
    columns = ["item", "code", "count"] + (["group"] if groups else [])
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return path


def write_respondents(path, columns: dict):
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


def row(comparison, item, group="all"):
    return next(r for r in to_dict(comparison)["results"] if r["item"] == item and r["group"] == group)


def test_published_result_from_a_counts_file(tmp_path, questionnaire):
    # Malaria Journal 2016, doi 10.1186/s12936-016-1551-8, Table 6: positive attitude in 310 of 412
    # mothers before and 409 of 412 after: Pearson chi2(1) = 106.97 without continuity correction.
    base = write_counts(tmp_path / "before.csv", [("heard_policy", "yes", 310), ("heard_policy", "no", 102)])
    cur = write_counts(tmp_path / "after.csv", [("heard_policy", "yes", 409), ("heard_policy", "no", 3)])
    result = row(compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire)), "heard_policy")
    assert result["test"] == "chi2" and result["df"] == 1
    assert round(result["statistic"], 2) == 106.97
    # R: chisq.test(matrix(c(310, 102, 409, 3), 2, byrow = TRUE), correct = FALSE)$p.value
    assert result["p_value"] == pytest.approx(4.50982268730802e-25, rel=REL)
    assert result["baseline"] == {"n": 412, "estimate": pytest.approx(310 / 412),
                                  "ci": [pytest.approx(0.708547038571997, rel=REL), pytest.approx(0.791643588379625, rel=REL)]}
    assert result["difference_ci"] == [pytest.approx(0.198682529256020, rel=REL), pytest.approx(0.284433393440526, rel=REL)]
    assert result["effect_size"]["name"] == "cohens_h"
    assert result["effect_size"]["value"] == pytest.approx(2 * np.arcsin(np.sqrt(409 / 412)) - 2 * np.arcsin(np.sqrt(310 / 412)))


def test_respondent_files_give_r_values(tmp_path, questionnaire):
    # likert `understand`: baseline levels rep(1:5, c(10, 20, 30, 25, 15)), current rep(1:5, c(5, 10, 25, 35, 25))
    base_levels = np.repeat(np.arange(1, 6), [10, 20, 30, 25, 15])
    cur_levels = np.repeat(np.arange(1, 6), [5, 10, 25, 35, 25])
    # number `trainings`: R's sb and sc of tests/r/reference.R, padded with blanks
    sb = [0, 1, 1, 2, 3, 0, 5, 2, 1, 1, 4]
    sc = [2, 3, 1, 4, 6, 2, 3, 8, 5]
    base = write_respondents(tmp_path / "base.csv", {
        "group": ["government"] * 100, "understand": base_levels.astype(str),
        "trainings": sb + [None] * 89})
    cur = write_respondents(tmp_path / "cur.csv", {
        "group": ["workers"] * 100, "understand": cur_levels.astype(str),
        "trainings": sc + [None] * 91})
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire))
    ordinal = row(comparison, "understand")
    # R: wilcox.test(cur, base, exact = FALSE, correct = TRUE) -> W = 6200, p = 0.0025090740091198
    assert (ordinal["test"], ordinal["statistic"]) == ("mann_whitney", 6200)
    assert ordinal["p_value"] == pytest.approx(0.0025090740091198, rel=REL)
    assert ordinal["effect_size"] == {"name": "rank_biserial", "value": pytest.approx(2 * 6200 / 10000 - 1), "ci": None}
    assert ordinal["baseline"]["estimate"] == pytest.approx(base_levels.mean())
    # R: t.test(cur_levels)$conf.int
    assert ordinal["current"]["ci"] == [pytest.approx(3.42905595095099, rel=REL), pytest.approx(3.87094404904901, rel=REL)]
    score = row(comparison, "trainings")
    # R: t.test(sc, sb)
    assert score["test"] == "welch_t"
    assert score["statistic"] == pytest.approx(2.2153423798067, rel=REL)
    assert score["df"] == pytest.approx(14.1849776373113, rel=REL)
    assert score["p_value"] == pytest.approx(0.0435867634723172, rel=REL)
    assert score["difference_ci"] == [pytest.approx(0.0647289067637457, rel=REL), pytest.approx(3.8544630124281736, rel=REL)]
    assert (score["baseline"]["n"], score["current"]["n"]) == (11, 9)


def test_knowledge_score_and_dont_know(tmp_path, questionnaire):
    # One knowledge item: p2 correct, dk answered but wrong, blank left out.
    base = write_respondents(tmp_path / "b.csv", {"group": ["government"] * 4, "policy_period": ["p2", "dk", None, "p1"]})
    cur = write_respondents(tmp_path / "c.csv", {"group": ["government"] * 3, "policy_period": ["p2", "p2", "dk"]})
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire))
    period = row(comparison, "policy_period")
    assert (period["baseline"]["n"], period["baseline"]["estimate"]) == (3, pytest.approx(1 / 3))
    assert period["test"] == "fisher" and period["statistic"] is None and period["df"] is None
    score = row(comparison, "knowledge_score")
    assert score["kind"] == "score"
    assert (score["baseline"]["n"], score["baseline"]["estimate"]) == (3, pytest.approx(100 / 3))
    assert score["current"]["estimate"] == pytest.approx(200 / 3)


def test_multiple_choice_rows_per_option(tmp_path):
    definition = q.loads(EXAMPLE.read_text(encoding="utf-8").replace(
        "      - id: areas_known\n        type: multiple_choice\n",
        "      - id: areas_known\n        type: multiple_choice\n        measure: awareness\n"))
    base = write_respondents(tmp_path / "b.csv", {"group": ["workers"] * 3,
                                                  "areas_known": ["governance protection", "protection", None]})
    cur = write_respondents(tmp_path / "c.csv", {"group": ["workers"] * 2, "areas_known": ["governance", "development"]})
    comparison = compare(definition, read_wave(base, definition), read_wave(cur, definition))
    items = [r["item"] for r in to_dict(comparison)["results"] if r["item"].startswith("areas_known")]
    assert items == ["areas_known/governance", "areas_known/protection", "areas_known/development",
                     "areas_known/reintegration"]
    protection = row(comparison, "areas_known/protection")
    assert (protection["baseline"]["n"], protection["baseline"]["estimate"]) == (2, 1.0)
    assert protection["current"]["estimate"] == 0.0


def test_edge_cases(tmp_path, questionnaire):
    base = write_respondents(tmp_path / "b.csv", {
        "group": ["government", "government", "employers"],
        "heard_policy": ["no", "no", "no"],            # 0 %
        "understand": ["3", "3", "3"],                 # identical likert answers in both waves
        "trainings": [None, None, None],               # blank everywhere
    })
    cur = write_respondents(tmp_path / "c.csv", {
        "group": ["government", "government", "workers"],
        "heard_policy": ["yes", "yes", "yes"],         # 100 %
        "understand": ["3", "3", "3"],
        "trainings": [None, None, None],
    })
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire), by_group=True)
    data = json.loads(to_json(comparison), parse_constant=lambda c: pytest.fail(f"JSON holds {c}"))
    heard = row(comparison, "heard_policy")
    assert heard["baseline"]["ci"][0] == 0.0 and heard["current"]["ci"][1] == 1.0
    assert heard["test"] == "fisher" and heard["p_value"] == pytest.approx(0.1)  # R: fisher.test(matrix(c(0,3,3,0),2))
    understand = row(comparison, "understand")
    assert understand["p_value"] is None and "identical" in understand["note"]
    assert understand["effect_size"]["value"] == 0
    blank = row(comparison, "trainings")
    assert blank["baseline"]["estimate"] is None and blank["p_value"] is None
    assert blank["note"] == "no answers in either wave"
    # employers only in the baseline, workers only this year: no group rows, a note each.
    assert {r["group"] for r in data["results"]} == {"all", "government"}
    assert data["notes"] == ["group 'employers' is only in the baseline: not compared",
                             "group 'workers' is only in the current wave: not compared"]


def test_holm_within_each_group(tmp_path, questionnaire):
    rng = np.random.default_rng(3)
    frames = []
    for shift in (0.3, 0.7):
        heard = np.where(rng.random(200) < shift, "yes", "no")
        frames.append({"group": rng.choice(["government", "workers"], 200),
                       "heard_policy": heard,
                       # asked only of those who heard of the policy
                       "policy_period": np.where(heard == "yes", np.where(rng.random(200) < shift, "p2", "dk"), None),
                       "trainings": rng.integers(0, 5, 200)})
    base = write_respondents(tmp_path / "b.csv", frames[0])
    cur = write_respondents(tmp_path / "c.csv", frames[1])
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire), by_group=True)
    for group in ("all", "government", "workers"):
        rows = [r for r in to_dict(comparison)["results"] if r["group"] == group and r["p_value"] is not None]
        p = [r["p_value"] for r in rows]
        from analysis.stats import adjust_p_values

        assert [r["p_adjusted"] for r in rows] == pytest.approx(adjust_p_values(p, "holm"))
    bh = compare(questionnaire, read_wave(base, questionnaire), read_wave(cur, questionnaire), adjust="bh")
    assert row(bh, "heard_policy")["p_adjusted"] <= row(comparison, "heard_policy")["p_adjusted"]


def test_json_contract_shape(tmp_path, questionnaire):
    base = write_counts(tmp_path / "b.csv", [("heard_policy", "yes", 5), ("heard_policy", "no", 5)])
    data = json.loads(to_json(compare(questionnaire, read_wave(base, questionnaire), read_wave(base, questionnaire))))
    assert set(data) >= {"questionnaire", "baseline", "current", "settings", "software", "results"}
    assert data["questionnaire"]["id"] == "example-awareness" and data["questionnaire"]["version"] == "2024.1"
    assert set(data["baseline"]) >= {"source", "sha256", "n"} and len(data["baseline"]["sha256"]) == 64
    assert data["settings"]["confidence"] == 0.95 and data["settings"]["adjust"] == "holm"
    assert data["software"]["name"] == "awareness-survey"
    result = data["results"][0]
    assert set(result) >= {"item", "group", "design", "kind", "baseline", "current", "difference", "difference_ci",
                           "test", "statistic", "df", "p_value", "p_adjusted", "effect_size", "note"}
    assert result["design"] == "independent"


def test_counts_table_without_answers_for_knowledge_score(tmp_path, questionnaire):
    base = write_counts(tmp_path / "b.csv", [("policy_period", "p2", 5), ("policy_period", "dk", 5)])
    score = row(compare(questionnaire, read_wave(base, questionnaire), read_wave(base, questionnaire)), "knowledge_score")
    assert score["p_value"] is None and "counts table" in score["note"]


def test_counts_table_by_group_and_ordinal(tmp_path, questionnaire):
    rows = [("understand", str(level), count, group)
            for group, counts in (("government", [10, 20, 30, 25, 15]), ("workers", [1, 1, 1, 1, 1]))
            for level, count in zip(range(1, 6), counts, strict=True)]
    cur_rows = [("understand", str(level), count, "government")
                for level, count in zip(range(1, 6), [5, 10, 25, 35, 25], strict=True)]
    base = read_wave(write_counts(tmp_path / "b.csv", rows, groups=True), questionnaire)
    cur = read_wave(write_counts(tmp_path / "c.csv", cur_rows, groups=True), questionnaire)
    comparison = compare(questionnaire, base, cur, by_group=True)
    government = row(comparison, "understand", "government")
    assert government["statistic"] == 6200  # R: as in test_respondent_files_give_r_values
    assert row(comparison, "understand")["baseline"]["n"] == 105


def errors(path, questionnaire):
    with pytest.raises(InputError) as info:
        read_wave(path, questionnaire)
    return info.value.problems


def test_respondent_file_problems_have_file_row_and_column(tmp_path, questionnaire):
    path = write_respondents(tmp_path / "bad.csv", {
        "group": ["government", "ministry", None],
        "heard_policy": ["yes", "maybe", "no"],
        "areas_known": ["governance", "governance health", None],
        "trainings": ["3", "three", "2.5"],
    })
    found = errors(path, questionnaire)
    assert f"{path}: row 3, column 'group': group 'ministry' is not one of government, employers, workers" in found
    assert f"{path}: row 4, column 'group': group is blank (every respondent belongs to one group)" in found
    assert f"{path}: row 3, column 'heard_policy': 'maybe' is not one of the codes yes, no, dk" in found
    assert any(m.startswith(f"{path}: row 3, column 'areas_known': 'health' is not one of the codes") for m in found)
    assert f"{path}: row 3, column 'trainings': 'three' is not a number" in found
    assert f"{path}: row 4, column 'trainings': '2.5' is not a whole number" in found


def test_unknown_item_column(tmp_path, questionnaire):
    path = write_respondents(tmp_path / "bad.csv", {"group": ["workers"], "heard_it": ["yes"]})
    assert errors(path, questionnaire) == [
        f"{path}: row 1, column 'heard_it': unknown item column: example-awareness 2024.1 has no item 'heard_it'"]


def test_number_out_of_range(tmp_path, questionnaire):
    path = write_respondents(tmp_path / "bad.csv", {"group": ["workers"], "trainings": ["101"]})
    assert errors(path, questionnaire) == [f"{path}: row 2, column 'trainings': 101 is more than the maximum 100"]


def test_counts_table_problems(tmp_path, questionnaire):
    path = write_counts(tmp_path / "bad.csv", [
        ("heard_policy", "yes", "ten", "government"),
        ("heard_policy", "maybe", 3, "government"),
        ("heard_it", "yes", 3, "government"),
        ("heard_policy", "no", 3, "ministry"),
        ("comments", "x", 3, "government"),
        ("heard_policy", "no", -1, "workers"),
    ], groups=True)
    found = errors(path, questionnaire)
    assert f"{path}: row 2, column 'count': 'ten' is not a number" in found
    assert f"{path}: row 3, column 'code': 'maybe' is not one of the codes of 'heard_policy' (yes, no, dk)" in found
    assert f"{path}: row 4, column 'item': example-awareness 2024.1 has no item 'heard_it'" in found
    assert f"{path}: row 5, column 'group': group 'ministry' is not one of government, employers, workers" in found
    assert f"{path}: row 6, column 'item': 'comments' is a text item: its answers cannot be counted" in found
    assert f"{path}: row 7, column 'count': '-1' is not a whole number of respondents" in found


def test_nothing_computed_from_a_file_with_errors(tmp_path, questionnaire, runner):
    good = write_respondents(tmp_path / "good.csv", {"group": ["workers"], "heard_policy": ["yes"]})
    bad = write_respondents(tmp_path / "bad.csv", {"group": ["workers"], "heard_policy": ["maybe"]})
    out = tmp_path / "out.json"
    result = runner.invoke(args=["compare", "--questionnaire", str(EXAMPLE), "--baseline", str(good),
                                 "--current", str(bad), "--format", "json", "--output", str(out)])
    assert result.exit_code == 1
    assert "column 'heard_policy': 'maybe' is not one of the codes" in result.output
    assert not out.exists()


def test_cli_formats(tmp_path, runner):
    base = write_counts(tmp_path / "b.csv", [("heard_policy", "yes", 310), ("heard_policy", "no", 102)])
    cur = write_counts(tmp_path / "c.csv", [("heard_policy", "yes", 409), ("heard_policy", "no", 3)])
    args = ["compare", "--questionnaire", str(EXAMPLE), "--baseline", str(base), "--current", str(cur)]
    table = runner.invoke(args=args)
    assert table.exit_code == 0, table.output
    line = next(x for x in table.output.splitlines() if x.startswith("heard_policy"))
    assert "75.2% (412)" in line and "99.3% (412)" in line and "+24.0 pp [" in line and "chi2" in line
    assert max(len(x) for x in table.output.splitlines()) <= 100
    as_json = runner.invoke(args=args + ["--format", "json", "--confidence", "0.9", "--adjust", "none"])
    data = json.loads(as_json.output)
    assert data["settings"]["confidence"] == 0.9 and data["results"][0]["p_adjusted"] == data["results"][0]["p_value"]
    as_csv = runner.invoke(args=args + ["--format", "csv"])
    header, first = as_csv.output.splitlines()[:2]
    assert header.startswith("item,group,design,kind,baseline_n,baseline_estimate")
    assert first.startswith("heard_policy,all,independent,proportion,412,")
    written = runner.invoke(args=args + ["--format", "csv", "-o", str(tmp_path / "out.csv")])
    # As every command that writes a file: the file gets the output, stderr says so, stdout stays empty.
    assert written.exit_code == 0 and written.stdout == "" and written.stderr == f"wrote {tmp_path / 'out.csv'}: 5 results\n"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == as_csv.output
    nowhere = runner.invoke(args=args + ["-o", str(tmp_path / "no" / "out.csv")])
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.stderr and not (tmp_path / "no").exists()


def test_table_and_csv_render_every_row(tmp_path, questionnaire):
    base = write_counts(tmp_path / "b.csv", [("heard_policy", "yes", 1), ("heard_policy", "no", 1)])
    comparison = compare(questionnaire, read_wave(base, questionnaire), read_wave(base, questionnaire))
    assert len(to_csv(comparison).splitlines()) == len(comparison.results) + 1
    assert "no answers in either wave" in to_table(comparison)


def test_codes_with_leading_zeros_are_read_as_written(tmp_path):
    """A code "01" stays "01" in a CSV (pandas' own categories would read it as the number 1)."""
    from analysis import read_wave

    definition = tmp_path / "q.yaml"
    definition.write_text(
        'id: z\nversion: "1"\ntitle: {en: Z}\nlanguages: [en]\ngroups:\n  - {code: g1, label: {en: G1}}\n'
        'sections:\n  - id: s\n    title: {en: S}\n    items:\n      - id: likes\n        type: single_choice\n'
        '        label: {en: Likes?}\n        measure: awareness\n        success: ["01"]\n        choices:\n'
        '          - {code: "01", label: {en: "Yes"}}\n          - {code: "02", label: {en: "No"}}\n',
        encoding="utf-8")
    data_file = tmp_path / "wave.csv"
    data_file.write_text("group,likes\ng1,01\ng1,02\ng1,01\n", encoding="utf-8")
    data = read_wave(data_file, q.load(definition))
    assert data.proportions[("likes", "g1")] == (2, 3)


def test_an_odds_ratio_is_shown_without_a_sign():
    from analysis.formats import _effect

    assert _effect({"name": "mh_odds_ratio", "value": 0.72}) == "OR 0.72"
    assert _effect({"name": "cohens_h", "value": 0.2}) == "h +0.20"
