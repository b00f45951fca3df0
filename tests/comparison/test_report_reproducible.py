"""Reports that are the same from one run to the next, and that say what is true about empty cells."""

import os
import re
import subprocess
import sys
from importlib import resources

import pytest

import questionnaires as q
from analysis import compare, read_wave, report, to_dict
from analysis.synthetic import synthetic_wave

LMP = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"
STAMP_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@pytest.fixture(scope="module")
def lmp():
    return q.load(LMP)


@pytest.fixture(scope="module")
def waves(lmp, tmp_path_factory):
    folder = tmp_path_factory.mktemp("waves")
    paths = []
    for name, awareness, seed, n in (("2017", 0.5, 1, 150), ("2018", 0.7, 2, 170)):
        path = folder / f"{name}.csv"
        synthetic_wave(lmp, n, awareness=awareness, seed=seed).to_csv(path, index=False)
        paths.append(path)
    return paths


def _html_with_hash_seed(seed: str, waves, folder) -> str:
    folder.mkdir()
    output = folder / "report.html"
    command = [sys.executable, "-c", "from survey.cli import cli; cli()", "report", "--questionnaire", str(LMP),
               "--baseline", str(waves[0]), "--current", str(waves[1]), "--by-group", "--output", str(output)]
    done = subprocess.run(command, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return output.read_text(encoding="utf-8")


def test_two_runs_with_different_hash_seeds_write_the_same_html(waves, tmp_path):
    first, second = (_html_with_hash_seed(seed, waves, tmp_path / seed) for seed in ("1", "2"))
    assert len(STAMP_TIME.findall(first)) == 1  # the stamp's time is the only thing allowed to differ
    assert STAMP_TIME.sub("TIME", first) == STAMP_TIME.sub("TIME", second)


def test_group_charts_follow_the_order_of_the_headline_sentences(lmp, waves):
    data = to_dict(compare(lmp, read_wave(waves[0], lmp), read_wave(waves[1], lmp), by_group=True))
    # Many headline items, so that an order taken from a set would almost surely differ from theirs.
    items = list(dict.fromkeys(row["item"] for row in data["results"] if row["kind"] == "proportion"))[:8]
    assert len(items) == 8
    for row in data["results"]:
        row["role"] = "headline" if row["item"] in items else "other"
    built = report.build(data, lmp, labels=("2017", "2018"))
    from analysis.report.subjects import question

    expected = [f"By stakeholder group: {question(lmp, item, 'en')}" for item in items]
    assert [chart.title for chart in built.group_charts] == expected
    assert len(built.findings) == 8


def test_a_counts_table_baseline_says_why_the_score_is_not_compared_and_draws_no_empty_chart(lmp, tmp_path):
    import pandas as pd

    counts = tmp_path / "2017.csv"
    pd.DataFrame([("heard_policy", "yes", 60, "government"), ("heard_policy", "no", 40, "government")],
                 columns=["item", "code", "count", "group"]).to_csv(counts, index=False)
    one = tmp_path / "2018.csv"
    respondent = synthetic_wave(lmp, 1, awareness=1.0, seed=3)
    assert respondent[[item.id for item in lmp.knowledge_items]].notna().all(axis=None)  # every knowledge item
    respondent.to_csv(one, index=False)
    data = to_dict(compare(lmp, read_wave(counts, lmp), read_wave(one, lmp), by_group=True))
    built = report.build(data, lmp, labels=("2017", "2018"), min_cell=5)
    score = next(text for text in built.findings if text.startswith("The mean knowledge score"))
    assert "no answers" not in score and "counts table, which carries no knowledge score" in score
    assert not any("Knowledge score" in chart.title for chart in built.group_charts)
    rows = [row for section in built.sections for row in section.rows]
    empty = [row for row in rows if row.cells[0] == "0" or row.cells[2] == "0"]
    assert empty and all("n < 5" not in cell for row in empty for cell in row.cells[:2] + row.cells[4:5])
    assert all(row.cells[1] == "–" for row in empty if row.cells[0] == "0")
    khmer = report.build(data, lmp, language="km", labels=("2017", "2018"), min_cell=5)
    assert any("ជុំមូលដ្ឋានជាតារាងចំនួន ដែលគ្មានពិន្ទុចំណេះដឹង" in text for text in khmer.findings)
    # The current wave's own score is kept: its one respondent is counted (and hidden as a small cell).
    knowledge_row = next(row for row in data["results"] if row["item"] == "knowledge_score" and row["group"] == "all")
    assert knowledge_row["current"]["n"] == 1 and knowledge_row["current"]["estimate"] is not None


def test_no_answers_is_not_a_small_cell():
    from analysis.report import suppress

    nobody = {"n": 0, "estimate": None, "ci": None}
    assert suppress.estimate_cell("proportion", nobody, 5) == "–"
    assert suppress.estimate_cell("proportion", {"n": 3, "estimate": 0.5, "ci": None}, 5) == "n < 5"
    row = {"kind": "proportion", "baseline": nobody, "current": {"n": 30, "estimate": 0.5, "ci": None},
           "difference": None, "difference_ci": None}
    assert suppress.difference_cell(row, 5) == "–" and suppress.shown(row, 5)
    assert not suppress.any_hidden([row], 5) and not suppress.any_caution([row], 5)
