"""Issue 23 item 3: the knowledge score counts the knowledge items answered by at least one respondent in
each wave, so that a blank column and a missing column give the same result, and the note names the rest.

Values pinned to R (the R call beside each); the data are in the test.
"""


import pandas as pd
import pytest

from analysis import compare, read_wave, to_dict

PP_BASE = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1]
LM_BASE = [1, 1, 0, 0, 0, 1, 1, 0, None, 1]
PP_CUR = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0]
LM_CUR = [1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1]
REINTEGRATION_CUR = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]  # new this year: every one but one knows


def _codes(values, right, wrong="dk"):
    return [None if v is None else right if v else wrong for v in values]


def _wave(path, policy, ministry, reintegration=None, blank_reintegration=False):
    columns = {"group": ["government", "workers"] * (len(policy) // 2),
               "policy_period": _codes(policy, "p2", "p1"), "lead_ministry": _codes(ministry, "molvt", "moi")}
    if reintegration is not None:
        columns["know_reintegration"] = _codes(reintegration, "returnees", "deported")
    elif blank_reintegration:
        columns["know_reintegration"] = [None] * len(policy)
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


def _score(lmp, tmp_path, blank):
    base = read_wave(_wave(tmp_path / f"b{blank}.csv", PP_BASE, LM_BASE, blank_reintegration=blank), lmp)
    cur = read_wave(_wave(tmp_path / "c.csv", PP_CUR, LM_CUR, REINTEGRATION_CUR), lmp)
    data = to_dict(compare(lmp, base, cur))
    return next(r for r in data["results"] if r["item"] == "knowledge_score" and r["group"] == "all")


def test_a_blank_column_and_a_missing_column_give_the_same_score(lmp, tmp_path):
    blank, missing = _score(lmp, tmp_path, True), _score(lmp, tmp_path, False)
    assert blank == missing
    # R: pp_b <- c(1,0,1,1,0,0,1,0,1,1); lm_b <- c(1,1,0,0,0,1,1,0,NA,1)
    #    pp_c <- c(1,1,1,0,1,1,1,0,1,1,1,0); lm_c <- c(1,1,1,1,0,1,1,0,1,1,0,1)
    #    sb <- 100*rowMeans(cbind(pp_b,lm_b), na.rm=TRUE); sc <- 100*rowMeans(cbind(pp_c,lm_c), na.rm=TRUE)
    #    r <- t.test(sc, sb)
    assert blank["baseline"]["estimate"] == pytest.approx(60, rel=1e-6)  # mean(sb)
    assert blank["current"]["estimate"] == pytest.approx(75, rel=1e-6)  # mean(sc)
    assert blank["statistic"] == pytest.approx(0.948204527745961, rel=1e-6)  # r$statistic
    assert blank["df"] == pytest.approx(17.873609490038, rel=1e-6)  # r$parameter
    assert blank["p_value"] == pytest.approx(0.355670441542833, rel=1e-6)  # r$p.value
    assert blank["difference_ci"] == pytest.approx([-18.2521209410837, 48.2521209410837], rel=1e-6)  # r$conf.int


def test_the_note_names_the_items_left_out(lmp, tmp_path):
    note = _score(lmp, tmp_path, True)["note"]
    assert "score over the 2 knowledge item(s) answered in both waves" in note
    assert "know_reintegration" in note and "policy_period" not in note


def test_no_item_answered_in_both_waves_gives_no_score(lmp, tmp_path):
    base = read_wave(_wave(tmp_path / "b.csv", [None] * 4, [None] * 4), lmp)
    cur = read_wave(_wave(tmp_path / "c.csv", [1, 0, 1, 1], [1, 1, 0, 1]), lmp)
    row = next(r for r in to_dict(compare(lmp, base, cur))["results"] if r["item"] == "knowledge_score")
    assert row["p_value"] is None and "no knowledge item is answered in both waves" in row["note"]
