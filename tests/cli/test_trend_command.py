"""`awareness trend` as a user runs it: from files (respondent files and a counts table) and from the demo's
four waves in the database (SQLite and PostgreSQL)."""

import json

import pandas as pd
import pytest

from survey.waves.operations import create_wave, store_edition

from ..analysis.test_trend import COUNTS, POPULATION, wave_file
from ..conftest import EXAMPLE


@pytest.fixture
def files(tmp_path):
    paths = {label: wave_file(tmp_path, label, k) for k, label in enumerate(COUNTS)}
    # 2016 as a published table of counts: the same answers, counted.
    rows = [{"item": "heard_policy", "code": code, "count": count, "group": group}
            for group, (yes, no) in COUNTS["2016"].items() for code, count in (("yes", yes), ("no", no))]
    paths["2016"] = tmp_path / "2016-counts.csv"
    pd.DataFrame(rows).to_csv(paths["2016"], index=False)
    population = tmp_path / "population.csv"
    pd.DataFrame({"group": list(POPULATION), "size": list(POPULATION.values())}).to_csv(population, index=False)
    return paths, population


def wave_args(paths):
    return [argument for label, path in paths.items() for argument in ("--wave", f"{label}={path}")]


def test_trend_from_files_as_json(runner, files, tmp_path):
    paths, population = files
    output = tmp_path / "trend.json"
    result = runner.invoke(args=["trend", "--questionnaire", str(EXAMPLE), *wave_args(paths), "--by-group",
                                 "--stratify", "--population", str(population), "--format", "json", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.output
    data = json.loads(output.read_text())
    assert [wave["label"] for wave in data["waves"]] == list(COUNTS)
    assert data["waves"][1]["format"] == "counts" and len(data["waves"][1]["sha256"]) == 64
    heard = next(r for r in data["results"] if r["item"] == "heard_policy" and r["group"] == "all"
                 and r["design"] == "independent")
    assert set(heard) >= {"item", "group", "design", "kind", "waves", "steps", "trend", "family"}
    assert set(heard["waves"][0]) == {"wave", "position", "n", "estimate", "ci"}
    assert set(heard["steps"][0]) >= {"from", "to", "difference", "difference_ci", "p_value"}
    assert set(heard["trend"]) >= {"test", "statistic", "df", "slope", "slope_ci", "p_value"}
    # The counts table gives the same numbers as the respondent file: R's prop.trend.test as in test_trend.
    assert heard["trend"]["statistic"] == pytest.approx(21.0157777363546, rel=1e-6)
    assert {r["design"] for r in data["results"]} == {"independent", "stratified", "weighted"}
    assert data["settings"]["populations"]["2015"] == POPULATION


def test_trend_from_files_as_table_and_csv(runner, files):
    paths, _population = files
    table = runner.invoke(args=["trend", "--questionnaire", str(EXAMPLE), *wave_args(paths)])
    assert table.exit_code == 0, table.output
    assert "2015: 31.2% (80)   2016: 43.2% (74)   2017: 58.6% (58)   2018: 65.0% (80)" in table.output
    assert "Cochran-Armitage" in table.output and "reported over waves 2015, 2017, 2018" in table.output
    csv = runner.invoke(args=["trend", "--questionnaire", str(EXAMPLE), *wave_args(paths), "--format", "csv"])
    assert csv.output.startswith("item,group,design,kind,row,wave,from,to,n,estimate")


@pytest.mark.parametrize(("arguments", "message"), [
    (["--wave", "2015=a.csv"], "give --questionnaire FILE and two or more --wave LABEL=FILE"),
    (["--wave", "2015"], "give the wave's name and its file, as 2016=answers-2016.csv"),
    (["--waves", "2015"], "a trend needs at least two waves"),
    (["--waves", "2015", "2016", "--wave", "2017=x.csv"], "not both"),
    (["2015", "2016"], "name waves of the database after --waves"),
])
def test_trend_usage_errors(runner, arguments, message):
    result = runner.invoke(args=["trend", *arguments])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_trend_bad_files_say_which(runner, files, tmp_path):
    paths, _population = files
    paths["2017"] = tmp_path / "missing.csv"
    result = runner.invoke(args=["trend", "--questionnaire", str(EXAMPLE), *wave_args(paths)])
    assert result.exit_code == 1 and "missing.csv: no such file" in result.output
    paths = {"2018": paths["2018"], "2015": paths["2015"]}
    result = runner.invoke(args=["trend", "--questionnaire", str(EXAMPLE), *wave_args(paths)])
    assert result.exit_code == 1 and "out of order" in result.output


def test_trend_from_the_demos_waves(demo, app, runner, database_url):
    waves = ["--waves", "2015", "2016", "2017", "2018"]
    result = runner.invoke(args=["trend", *waves, "--by-group", "--stratify", "--weighted", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [wave["source"] for wave in data["waves"]] == ["wave 2015", "wave 2016", "wave 2017", "wave 2018"]
    heard = next(r for r in data["results"] if r["item"] == "heard_policy" and r["group"] == "all"
                 and r["design"] == "independent")
    estimates = [wave["estimate"] for wave in heard["waves"]]
    assert estimates == sorted(estimates) and heard["trend"]["p_value"] < 0.001  # the demo's awareness rose
    assert {r["design"] for r in data["results"]} == {"independent", "stratified", "weighted"}
    # A step is compare's row for that pair of waves.
    compared = json.loads(runner.invoke(args=["compare", "--baseline-wave", "2017", "--current-wave", "2018",
                                              "--format", "json"]).output)
    same = next(r for r in compared["results"] if r["item"] == "heard_policy" and r["group"] == "all")
    assert heard["steps"][2]["p_value"] == same["p_value"] and heard["steps"][2]["difference"] == same["difference"]
    assert data["waves"][3]["sha256"] == compared["current"]["sha256"]
    unknown = runner.invoke(args=["trend", "--waves", "2015", "2019"])
    assert unknown.exit_code == 1 and "no wave named '2019'" in unknown.output


def test_readme_shows_the_demos_trend(demo, app, runner, database_url):
    from pathlib import Path

    output = runner.invoke(args=["trend", "--waves", "2015", "2016", "2017", "2018"]).output
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ awareness trend --waves 2015 2016 2017 2018\n", 1)[1].split("```", 1)[0]
    for line in shown.splitlines():
        if line != "...":
            assert line in output.splitlines(), line


def test_trend_carries_each_wave_through_the_crosswalks(app, runner, database_url, tmp_path):
    """2023 and 2024 in the example's edition, 2025 in one that renames heard_policy to heard and rewords
    trainings: heard is followed over all three waves, trainings only where it was asked as it is now."""
    import questionnaires
    from survey import db
    from survey.responses import operations

    text = EXAMPLE.read_text(encoding="utf-8")
    later = tmp_path / "2025.yaml"
    later.write_text(text.replace('version: "2024.1"', 'version: "2025.1"').replace("id: heard_policy", "id: heard")
                     .replace("heard_policy == 'yes'", "heard == 'yes'")
                     .replace("How many trainings on labour migration did you attend last year?",
                              "How many trainings did you attend in the past 12 months?"), encoding="utf-8")
    with app.app_context():
        session = db.session()
        first = store_edition(session, questionnaires.load(EXAMPLE))
        waves = {}
        for slug, edition, heard_item, yes in (("2023", first, "heard_policy", 2), ("2024", first, "heard_policy", 3),
                                               ("2025", None, "heard", 4)):
            edition = edition or store_edition(session, questionnaires.load(later))
            waves[slug] = create_wave(session, slug, edition, status="closed",
                                                 baseline=waves.get(str(int(slug) - 1)))
            operations.store_responses(session, waves[slug], [
                {"group": "workers", heard_item: "yes" if i < yes else "no", "trainings": str(i)} for i in range(5)])
    crosswalk = tmp_path / "crosswalk.yaml"
    crosswalk.write_text("heard_policy: heard\n", encoding="utf-8")
    assert runner.invoke(args=["crosswalk", "2025", "--file", str(crosswalk)]).exit_code == 0
    result = runner.invoke(args=["trend", "--waves", "2023", "2024", "2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {r["item"]: r for r in data["results"] if r["group"] == "all" and r["design"] == "independent"}
    assert [(w["wave"], w["estimate"]) for w in rows["heard"]["waves"]] == [("2023", 0.4), ("2024", 0.6),
                                                                          ("2025", 0.8)]
    assert [w["wave"] for w in rows["trainings"]["waves"]] == ["2025"]
    assert "no trend" in rows["trainings"]["note"]
    assert any("'trainings' changed wording" in note and "left out of the waves up to 2024" in note
               for note in data["notes"])


def test_trend_reads_kobo_exports_as_compare_does(runner, tmp_path):
    """A KoboToolbox export (group paths, 0/1 columns, metadata) among the rounds, as `compare` reads it."""
    from analysis.synthetic import synthetic_wave
    from questionnaires.library import BUNDLED_INSTRUMENT
    from questionnaires.xlsform import write_xlsform

    from ..analysis.test_field_exports import QUESTIONNAIRE, kobo_export

    form = tmp_path / "lmp.xlsx"
    write_xlsform(QUESTIONNAIRE, form)
    arguments = []
    for k, label in enumerate(("2016", "2017", "2018")):
        answers = synthetic_wave(QUESTIONNAIRE, 40, seed=k, awareness=0.3 + 0.2 * k)
        path = tmp_path / f"{label}.csv"
        if label == "2017":
            kobo_export(answers.drop(columns=["respondent", "language"]).fillna(""), form).to_csv(path, index=False)
        else:
            answers.to_csv(path, index=False)
        arguments += ["--wave", f"{label}={path}"]
    result = runner.invoke(args=["trend", "--questionnaire", str(BUNDLED_INSTRUMENT), *arguments, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    heard = next(r for r in data["results"] if r["item"] == "heard_policy" and r["group"] == "all")
    assert [w["n"] for w in heard["waves"]] == [40, 40, 40]
    compared = json.loads(runner.invoke(args=["compare", "--questionnaire", str(BUNDLED_INSTRUMENT), "--baseline",
                                              str(tmp_path / "2016.csv"), "--current", str(tmp_path / "2017.csv"),
                                              "--format", "json"]).output)
    same = next(r for r in compared["results"] if r["item"] == "heard_policy" and r["group"] == "all")
    assert heard["steps"][0]["p_value"] == same["p_value"]
