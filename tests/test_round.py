"""The README's "Running a round", command by command, from a fresh database to the comparison."""

import csv
import io
import json
import re
import shlex
import shutil
from functools import cache
from pathlib import Path

import pytest

import questionnaires
from analysis.synthetic import synthetic_wave
from questionnaires.library import BUNDLED_INSTRUMENT

from .conftest import post

README = Path(__file__).parent.parent / "README.md"


def round_commands() -> list[list[str]]:
    """The `awareness` command lines of the README's "Running a round" block, comments stripped."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Running a round\n.*?```\n(.*?)```", text, re.S).group(1)
    lines = [line.split("  #")[0].strip() for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("awareness ")]


@cache
def bundled() -> questionnaires.Questionnaire:
    """The bundled instrument, parsed once (a quarter of a second each time) for every respondent of the tests."""
    return questionnaires.load(BUNDLED_INSTRUMENT)


def prepare_files(folder: Path) -> None:
    """The files the README's commands name: the questionnaire, last year's data, populations, contacts."""
    questionnaire = bundled()
    target = folder / "questionnaires" / "library" / BUNDLED_INSTRUMENT.name
    target.parent.mkdir(parents=True)
    shutil.copy(BUNDLED_INSTRUMENT, target)
    synthetic_wave(questionnaire, 120, awareness=0.35, seed=7).to_csv(folder / "published-2017.csv", index=False)
    (folder / "populations.csv").write_text("group,size\nworkers,60\ngovernment,25\n", encoding="utf-8")
    (folder / "contacts.csv").write_text("name,email,organisation,group\n"
                                         "Sok Dara,dara@example.org,Ministry of Labour,government\n"
                                         "Chan Sophea,sophea@example.org,Ministry of Interior,government\n",
                                         encoding="utf-8")


def answer(client, link: str, row: dict) -> None:
    """A respondent goes through the bundled questionnaire page by page, answering as `row` says."""
    questionnaire = bundled()
    path = link.removeprefix("http://survey.test")
    location = post(client, path, {"consent": "yes"}).location
    while not location.endswith("/review"):
        number = int(location.rsplit("/", 1)[1])
        form = {"action": "next"}
        for item in questionnaire.sections[number - 1].items:
            value = row.get(item.id)
            if isinstance(value, str) and value:
                form[item.id] = value.split() if item.type == "multiple_choice" else value
        response = post(client, location, form)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        location = response.location
    assert post(client, f"{path}/review", {}).location.endswith("/done")


def test_running_a_round_as_the_readme_shows(app, runner, database_url, tmp_path, monkeypatch):
    commands = round_commands()
    assert commands[0] == ["db", "upgrade"] and [c[0] for c in commands[-3:]] == ["compare", "report", "verify"]
    monkeypatch.chdir(tmp_path)
    prepare_files(tmp_path)
    outputs = {}
    for command in commands:
        if command[:2] == ["wave", "show"]:
            # Twelve workers answer through their links before the researcher looks.
            links = list(csv.DictReader(io.StringIO(Path("links-workers.csv").read_text(encoding="utf-8"))))
            rows = synthetic_wave(bundled(), 12, awareness=0.7, seed=8)
            for link, row in zip(links, rows.to_dict("records"), strict=False):
                answer(app.test_client(), link["url"], row)
        given = "long enough password\nlong enough password\n" if command[0] == "create-admin" else None
        result = runner.invoke(args=command, input=given)
        assert result.exit_code == 0, (command, result.output)
        outputs[" ".join(command[:2])] = result.output
    assert "imported 120 responses into wave 2017" in outputs["import 2017"]
    shown = outputs["wave show"]
    workers = next(line for line in shown.splitlines() if line.startswith("workers"))
    assert workers.split()[1:7] == ["60", "40", "12", "0", "12", "12"]  # population, invited, started, ...
    assert "imports: none" in shown
    exported = list(csv.DictReader(io.StringIO(Path("2018.csv").read_text(encoding="utf-8"))))
    assert len(exported) == 12 and {row["group"] for row in exported} == {"workers"}
    assert "heard_policy" in outputs["compare --baseline-wave"]
    assert Path("report.html").stat().st_size > 10_000 and Path("report.json").is_file()
    assert "verified" in outputs["verify report.json"]


def test_a_round_can_be_compared_before_anyone_answered(app, runner, database_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    prepare_files(tmp_path)
    for command in round_commands()[:3]:
        runner.invoke(args=command, input="long enough password\nlong enough password\n")
    runner.invoke(args=["import", "2017", "published-2017.csv"])
    runner.invoke(args=["wave", "create", "2018", "--edition", "1", "--baseline", "2017"])
    result = runner.invoke(args=["compare", "--baseline-wave", "2017", "--current-wave", "2018", "--format", "json"])
    assert result.exit_code == 0, result.output  # before anyone answered: the baseline against nothing yet
    data = json.loads(result.output)
    assert data["baseline"]["n"] == 120 and data["current"]["n"] == 0


@pytest.mark.parametrize("command", [["wave", "show", "2099"], ["wave", "open", "2099"], ["import", "--undo", "2099"]])
def test_a_wrong_wave_name_lists_the_waves(app, runner, database_url, command):
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(args=command)
    assert result.exit_code == 1 and "no wave named '2099' (waves: none yet)" in result.output
