import io
import sys

import pytest

from questionnaires.library import BUNDLED_INSTRUMENT

from ..conftest import EXAMPLE


def test_validate_ok(runner):
    result = runner.invoke(args=["questionnaire", "validate", str(BUNDLED_INSTRUMENT), str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert f"{BUNDLED_INSTRUMENT}: valid\n" in result.output
    assert "example-awareness.yaml: valid (23 warning(s))" in result.output


def test_validate_lists_every_problem_and_fails(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("correct: p2", "correct: p9")
                   .replace("type: number", "type: slider"), encoding="utf-8")
    result = runner.invoke(args=["questionnaire", "validate", str(bad)])
    assert result.exit_code == 1
    assert "item 'policy_period': correct code 'p9' is not among" in result.output
    assert "item 'trainings': type 'slider' is not one of" in result.output
    assert "bad.yaml: 2 error(s)" in result.output


def test_validate_missing_file(runner, tmp_path):
    result = runner.invoke(args=["questionnaire", "validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "nope.yaml: no such file" in result.output


def test_show_prints_table(runner):
    result = runner.invoke(args=["questionnaire", "show", str(EXAMPLE)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.split()[:3] == ["heard_policy", "single_choice", "(required)"] for line in lines)
    assert any("policy_period" in line and "knowledge (correct: p2)" in line and "heard_policy == 'yes'" in line
               for line in lines)
    assert any("trainings" in line and "min 0, max 100, integer" in line for line in lines)


def test_show_in_khmer(runner):
    result = runner.invoke(args=["questionnaire", "show", "--lang", "km", str(BUNDLED_INSTRUMENT)])
    assert "ការយល់ដឹងអំពីគោលនយោបាយ" in result.output


def test_export_then_import(runner, tmp_path):
    form, back = tmp_path / "form.xlsx", tmp_path / "back.yaml"
    assert runner.invoke(args=["questionnaire", "export", str(BUNDLED_INSTRUMENT), "-o", str(form)]).exit_code == 0
    result = runner.invoke(args=["questionnaire", "import", str(form), "--output", str(back)])
    assert result.exit_code == 0, result.output
    assert "35 items in 8 sections" in result.output
    assert runner.invoke(args=["questionnaire", "validate", str(back)]).exit_code == 0


def test_flask_commands_are_there(runner):
    from survey.cli import cli

    result = runner.invoke(cli, args=["--help"])
    for command in ("run", "shell", "routes", "questionnaire", "demo"):
        assert command in result.output


def test_cli_formats_match_the_exporter():
    from survey.cli import data
    from survey.exports.formats import FORMATS

    choices = next(p for p in data.export_command.params if p.name == "output_format").type.choices
    assert tuple(choices) == tuple(FORMATS)


def test_help_and_version_start_without_the_web_application():
    """`awareness --help` lists every command with its whole first line, loading no app, SQLAlchemy or pandas."""
    import subprocess
    import sys

    code = ("import sys; from survey.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'sqlalchemy', 'scipy', 'survey.admin') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.rstrip().endswith("[]"), result.stdout
    commands = result.stdout.split("Commands:")[1]
    assert "..." not in commands and "compare" in commands
    version = subprocess.run([sys.executable, "-c", "from survey.cli import cli; cli(['--version'])"],
                             capture_output=True, text=True)
    assert version.stdout.startswith("awareness 0."), version.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("terminal", "respondents", "shown"), [(True, 20_000, True), (True, 500, False),
                                                                 (False, 20_000, False)])
def test_progress_bar_only_on_a_terminal_and_for_large_work(monkeypatch, terminal, respondents, shown):
    from survey.cli.common import Progress

    stream = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    with Progress("importing x.csv", respondents) as bar:
        for _ in range(4):
            bar.step(respondents // 4)
    assert ("importing x.csv" in stream.getvalue() and "100%" in stream.getvalue()) is shown
    assert stream.getvalue() == "" or shown


@pytest.mark.parametrize(("terminal", "rows", "shown"), [(True, 2_500, True), (True, 50, False),
                                                         (False, 2_500, False)])
def test_report_and_verify_show_progress_on_a_terminal_for_large_work(monkeypatch, tmp_path, terminal, rows, shown):
    """Over 10,000 respondents (here 2 x 2 x 2,500) a terminal gets a bar; a pipe or a small report never does."""
    from survey.cli.report import report_command, verify_command

    files = []
    for name, answer in (("2017.csv", "no"), ("2018.csv", "yes")):
        files += [f"--{'baseline' if name == '2017.csv' else 'current'}", str(tmp_path / name)]
        (tmp_path / name).write_text("group,heard_policy\n" + f"workers,{answer}\ngovernment,yes\n" * rows,
                                     encoding="utf-8")
    stream = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    data = ["--questionnaire", str(EXAMPLE), *files]
    report_command.main([*data, "-o", str(tmp_path / "r.md")], standalone_mode=False)
    written = stream.getvalue()
    assert ("writing r.md" in written and "100%" in written) is shown, written
    assert written.rstrip().endswith("2 headline findings, 5 results") and (tmp_path / "r.md").is_file()
    assert shown or written.startswith("wrote ")  # nothing but the summary off a terminal or for a small report
    verify_command.main([str(tmp_path / "r.json"), *data], standalone_mode=False)
    assert ("recomputing" in stream.getvalue()[len(written):]) is shown


def test_commands_reading_waves_get_the_configured_database_without_the_pages(tmp_path, monkeypatch):
    """`awareness compare` of waves starts the database-only application (no pages to import), configured
    as the full one: the same instance folder, the same AWARENESS_DATABASE_URL."""
    from survey import create_app, db
    from survey.cli import cli
    from survey.cli.sources import app_context

    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("AWARENESS_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.sqlite'}")
    with cli.make_context("awareness", ["compare", "--baseline-wave", "a", "--current-wave", "b"]) as context:
        with context.scope(), app_context():
            from flask import current_app

            light, light_url = current_app._get_current_object(), str(db.engine().url)
    full = create_app()
    assert not light.blueprints and full.blueprints
    # The full application's extensions add their own defaults to the configuration, nothing else.
    assert light.instance_path == full.instance_path and light.config.items() <= full.config.items()
    assert light_url == str(full.extensions["awareness.engine"].url) == f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
