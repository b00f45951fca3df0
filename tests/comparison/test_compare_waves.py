"""The new designs from waves of the database (SQLite and PostgreSQL): panel keys and stored population sizes."""

import json

import pandas as pd
import pytest

import questionnaires
from survey import db
from survey.models import GroupPopulation
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

from ..conftest import BASE_MIX, CUR_MIX, EXAMPLE, POPULATION, heard, panel_files

REL = 1e-6


def rows_of(path):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame.to_dict("records")


@pytest.fixture
def waves(app, database_url):
    def make(base_rows, cur_rows, population=None):
        with app.app_context():
            session = db.session()
            edition = store_edition(session, questionnaires.load(EXAMPLE))
            baseline = create_wave(session, "2024", edition, mode="panel", status="closed")
            current = create_wave(session, "2025", edition, mode="panel", status="open", baseline=baseline)
            operations.store_responses(session, baseline, base_rows, commit=False)
            operations.store_responses(session, current, cur_rows, commit=False)
            for group, size in (population or {}).items():
                session.add(GroupPopulation(wave_id=current.id, group_code=group, size=size))
            session.commit()
    return make


def compared(runner, *options):
    result = runner.invoke(args=["compare", "--baseline-wave", "2024", "--current-wave", "2025", "--format", "json",
                                 *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def find(data, item, design, group="all"):
    return next(r for r in data["results"] if r["item"] == item and r["design"] == design and r["group"] == group)


def test_panel_waves_are_paired(runner, waves, tmp_path):
    base, cur = panel_files(tmp_path)
    waves(rows_of(base), rows_of(cur))
    independent = compared(runner)
    assert find(independent, "heard_policy", "independent")["overlap"] == 12
    data = compared(runner, "--paired")
    # R: binom.test(1, 7)$p.value and t.test(tc, tb, paired = TRUE) (as in tests/test_designs.py)
    assert find(data, "heard_policy", "paired")["p_value"] == pytest.approx(0.125, rel=REL)
    assert find(data, "trainings", "paired")["statistic"] == pytest.approx(4.06201920231798, rel=REL)


def test_weighted_from_the_population_stored_with_the_wave(runner, waves, tmp_path):
    to_rows = lambda mix: pd.DataFrame(heard(mix)).to_dict("records")  # noqa: E731
    waves(to_rows(BASE_MIX), to_rows(CUR_MIX), POPULATION)
    data = compared(runner, "--weighted", "--stratify")
    # R: svymean(...), see tests/r/reference.R ("Weighted")
    assert find(data, "heard_policy", "weighted")["difference"] == pytest.approx(0.0939759036144578, rel=REL)
    assert find(data, "heard_policy", "stratified")["statistic"] == pytest.approx(2.15086952119821, rel=REL)
    assert data["settings"]["weighted"] and data["settings"]["population"] == POPULATION


def test_weighted_without_stored_sizes_says_what_to_do(runner, waves, tmp_path):
    to_rows = lambda mix: pd.DataFrame(heard(mix)).to_dict("records")  # noqa: E731
    waves(to_rows(BASE_MIX), to_rows(CUR_MIX))
    result = runner.invoke(args=["compare", "--baseline-wave", "2024", "--current-wave", "2025", "--weighted"])
    assert result.exit_code == 1 and "wave 2025 has no population sizes stored: give --population FILE" in result.output


def test_files_with_population_file_and_its_problems(runner, tmp_path):
    base, cur = panel_files(tmp_path)
    population = tmp_path / "population.csv"
    population.write_text("group,size\ngovernment,50\nworkers,3\n", encoding="utf-8")
    args = ["compare", "--questionnaire", str(EXAMPLE), "--baseline", str(base), "--current", str(cur)]
    result = runner.invoke(args=args + ["--population", str(population)])
    assert result.exit_code == 1
    assert "population: group 'workers' has 7 respondents in the baseline, more than its population of 3" in result.output
    population.write_text("group,size\ngovernment,50\nministry,3\n", encoding="utf-8")
    result = runner.invoke(args=args + ["--population", str(population)])
    assert f"{population}: row 3, column 'group': group 'ministry' is not one of" in result.output
    assert runner.invoke(args=args + ["--weighted"]).exit_code == 2
    population.write_text("group,size\ngovernment,50\nworkers,70\n", encoding="utf-8")
    ok = runner.invoke(args=args + ["--population", str(population), "--paired", "--stratify", "--base", "all",
                                    "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    designs = {line.split(",")[2] for line in ok.output.splitlines()[1:]}
    assert designs == {"independent", "stratified", "paired", "weighted"}
