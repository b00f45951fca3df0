"""Issue 21, item 7: `verify` checks report.json against a schema (types, depth, sizes) and never opens a file the
JSON names; hostile JSON gets one clear line, never a traceback."""

import json
from importlib import resources

import pytest
from click.testing import CliRunner

import questionnaires as q
from analysis.synthetic import synthetic_wave
from survey.cli import cli
from survey.waves.operations import create_wave, store_edition

LMP = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A report's JSON made from two files, weighted to a population file: (folder, JSON, data arguments)."""
    folder = tmp_path_factory.mktemp("verify")
    questionnaire = q.load(LMP)
    paths = []
    for name, awareness, seed in (("2017", 0.4, 1), ("2018", 0.7, 2)):
        paths.append(folder / f"{name}.csv")
        synthetic_wave(questionnaire, 80, awareness=awareness, seed=seed).to_csv(paths[-1], index=False)
    arguments = ["--questionnaire", str(LMP), "--baseline", str(paths[0]), "--current", str(paths[1])]
    output = folder / "report.md"
    result = CliRunner().invoke(cli, ["report", *arguments, "--output", str(output)])
    assert result.exit_code == 0, result.output
    return folder, json.loads(output.with_suffix(".json").read_text()), arguments


def _verify(tmp_path, recorded, *arguments) -> tuple[int, str]:
    path = tmp_path / "hostile.json"
    path.write_text(recorded if isinstance(recorded, str) else json.dumps(recorded))
    result = CliRunner().invoke(cli, ["verify", str(path), *arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_the_report_as_written_still_verifies(made, tmp_path):
    _folder, recorded, arguments = made
    code, output = _verify(tmp_path, recorded, *arguments)
    assert code == 0, output


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r["stamp"].update(settings=[]), "stamp.settings: a list, where the report has an object"),
    (lambda r: r["stamp"]["settings"].update(confidence="high"), "stamp.settings.confidence: a string"),
    (lambda r: r["stamp"]["settings"].update(confidence=7), "stamp.settings.confidence: 7"),
    (lambda r: r["stamp"]["settings"].update(by_group="yes"), "stamp.settings.by_group: a string"),
    (lambda r: r["stamp"]["settings"].update(adjust="bonferroni"), "stamp.settings.adjust: 'bonferroni'"),
    (lambda r: r["stamp"]["settings"].update(current_wave="../../etc"), "is not a wave's name"),
    (lambda r: r.update(results={"a": 1}), "results: an object, where the report has a list"),
    (lambda r: r["results"].append("row"), "a string, where the report has an object"),
    (lambda r: r["results"][0].pop("item"), ".item: missing"),
    (lambda r: r.update(questionnaire=None), "questionnaire: null, where the report has an object"),
    (lambda r: r["baseline"].update(sha256=5), "baseline.sha256: a number"),
    (lambda r: r.update(notes="x" * 200_000), "a string of 200,000 characters"),
])
def test_a_field_of_the_wrong_type_is_named(made, tmp_path, change, message):
    _folder, recorded, arguments = made
    hostile = json.loads(json.dumps(recorded))
    change(hostile)
    code, output = _verify(tmp_path, hostile, *arguments)
    assert code == 1 and message in output, output


@pytest.mark.parametrize("depth", [50, 100_000])
def test_deep_nesting_is_refused_with_one_line(made, tmp_path, depth):
    _folder, recorded, arguments = made
    text = json.dumps(recorded)[:-1] + ', "deep": ' + "[" * depth + "]" * depth + "}"
    code, output = _verify(tmp_path, text, *arguments)
    assert code == 1 and "nested more than 16 levels deep" in output, output


def test_a_list_at_the_top_or_not_json_is_refused(tmp_path):
    assert _verify(tmp_path, "[]")[1].strip().endswith("a list at the top, where a report's JSON has an object")
    assert "not JSON" in _verify(tmp_path, "{")[1]


OPENED: list[str] = []


def _record_opens(event: str, arguments: tuple) -> None:
    if event == "open" and isinstance(arguments[0], str):
        OPENED.append(arguments[0])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_verify_never_opens_the_population_file_the_json_names(app, database_url, made, tmp_path):
    """A stamp naming a file (one that exists and could be read) does not make verify open it."""
    import sys

    from survey import db

    _folder, recorded, _arguments = made
    with app.app_context():
        session = db.session()
        edition = store_edition(session, q.load(LMP))
        for slug in ("2017", "2018"):
            create_wave(session, slug, edition)
        session.commit()
    secret = tmp_path / "secret.csv"
    secret.write_text("group,size\ngovernment,10\n")
    hostile = json.loads(json.dumps(recorded))
    hostile["stamp"]["settings"].update(population=str(secret), baseline_wave="2017", current_wave="2018")
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile))
    sys.addaudithook(_record_opens)  # stays for the session; records only while this test runs
    OPENED.clear()
    result = app.test_cli_runner().invoke(args=["verify", str(path)])
    opened = list(OPENED)
    OPENED.clear()
    assert result.exit_code == 2, result.output
    assert "give it with --baseline-wave 2017 --current-wave 2018 --population FILE" in result.output
    assert str(secret) not in opened and str(path) in opened
