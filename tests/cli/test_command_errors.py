"""A command's errors are click.ClickExceptions: "Error: <what>" on stderr, exit 1, no traceback; a wave that
does not exist, a database out of reach or failing while read, as the comparison raises them."""

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.exc import OperationalError

import survey.cli
import survey.comparison.trend_inputs  # noqa: F401 - imported before its `stored_wave` is patched
from survey.cli import cli

CLI_FOLDER = Path(survey.cli.__file__).parent
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/nothing"  # port 1: nothing listens, the connection is refused


def test_no_command_exits_by_itself():
    """No sys.exit in survey/cli: errors are raised (ClickException, UsageError, BadParameter), and the two
    checks whose exit code is their answer (questionnaire validate, verify) exit through click's context."""
    calls = [f"{path.name}:{node.lineno}" for path in CLI_FOLDER.glob("*.py")
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Attribute) and node.attr == "exit" and isinstance(node.value, ast.Name)
             and node.value.id == "sys"]
    assert calls == []


def test_waves_not_found(runner, waves, tmp_path):
    """Each command that reads waves by name says which ones there are (stderr), and changes nothing."""
    for args in (["compare", "--baseline-wave", "nope", "--current-wave", "nope2"],
                 ["trend", "--waves", "2017", "nope"],
                 ["report", "--baseline-wave", "2017", "--current-wave", "nope", "-o", str(tmp_path / "r.html")],
                 ["export", "nope"], ["wave", "show", "nope"], ["mail", "status", "nope"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.startswith("Error: no wave named 'nope' (waves: 2017, 2018)\n"), (args, result.stderr)
        assert result.stdout == "" and not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("args", [["compare", "--baseline-wave", "2017", "--current-wave", "2018"],
                                  ["trend", "--waves", "2017", "2018"], ["wave", "list"], ["export", "2018"]])
def test_a_database_out_of_reach(monkeypatch, tmp_path, args):
    """`awareness` itself with AWARENESS_DATABASE_URL at a server that does not answer: one line, exit 1."""
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("AWARENESS_DATABASE_URL", UNREACHABLE)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.stderr == ("Error: cannot reach the database postgresql+psycopg://nobody@127.0.0.1:1/nothing: "
                             "OperationalError; check AWARENESS_DATABASE_URL\n")
    assert "Traceback" not in result.output


def test_a_database_without_tables(monkeypatch, tmp_path):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("AWARENESS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    result = CliRunner().invoke(cli, ["compare", "--baseline-wave", "2017", "--current-wave", "2018"])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: the database sqlite:///{tmp_path / 'empty.sqlite'} is not set up: "
                             "run `awareness db upgrade` first\n")


def failing_read(*_args, **_kwargs):
    raise OperationalError("SELECT ...", {}, Exception("server closed the connection unexpectedly\nmore"))


@pytest.mark.parametrize("args", [["compare", "--baseline-wave", "2017", "--current-wave", "2018"],
                                  ["trend", "--waves", "2017", "2018"]])
def test_a_database_failing_while_the_waves_are_read(runner, waves, monkeypatch, args):
    monkeypatch.setattr("survey.comparison.queries.stored_wave", failing_read)
    monkeypatch.setattr("survey.comparison.trend_inputs.stored_wave", failing_read)
    result = runner.invoke(args=args)
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: cannot read the waves from the database: server closed the connection " \
                            "unexpectedly\n"


def test_several_problems_one_a_line(runner, tmp_path):
    """A questionnaire's problems: each on its own line, the first after "Error: "."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\n", encoding="utf-8")
    result = runner.invoke(args=["questionnaire", "show", str(bad)])
    lines = result.stderr.splitlines()
    assert result.exit_code == 1 and len(lines) >= 2 and lines[0].startswith(f"Error: {bad}: ")
    assert all(line.startswith(str(bad)) for line in lines[1:]), lines


def test_the_users_own_argument_is_a_usage_error(runner, tmp_path):
    """A wave name or an edition the command cannot take is the user's argument: exit 2, the usage shown."""
    result = runner.invoke(args=["wave", "create", "two words", "--questionnaire", str(tmp_path / "q.yaml")])
    assert result.exit_code == 2 and "Invalid value for SLUG: 'two words' is not a wave name" in result.stderr
    assert "Usage: " in result.stderr
    result = runner.invoke(args=["wave", "create", "2018", "--questionnaire", str(tmp_path / "q.yaml")])
    assert result.exit_code == 2 and f"Invalid value for --questionnaire: {tmp_path / 'q.yaml'}: no such file" \
        in result.stderr


def test_checks_exit_1_with_their_findings_not_an_error(runner, tmp_path):
    """`questionnaire validate` lists the problems and exits 1, without an "Error:" line of its own."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    result = runner.invoke(args=["questionnaire", "validate", str(bad)])
    assert result.exit_code == 1 and result.stderr.rstrip().endswith("error(s)") and "Error:" not in result.stderr


def test_ctrl_c_while_the_command_line_loads():
    """The `awareness` program (pyproject's entry point) loads the command line inside a guard: Ctrl-C while Flask
    and click are imported is one line and exit 130, not a traceback."""
    import subprocess
    import sys
    import tomllib

    pyproject = tomllib.loads((CLI_FOLDER.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["awareness"] == "survey.command:main"
    code = ("import sys\n"
            "class Interrupt:  # as if Ctrl-C came while flask.cli is imported\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'flask.cli':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            "from survey.command import main\n"
            "main()\n")
    interrupted = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True)
    assert (interrupted.returncode, interrupted.stderr, interrupted.stdout) == (130, "interrupted: nothing was done\n",
                                                                               "")
    helped = subprocess.run([sys.executable, "-c", "from survey.command import main; main()", "--version"],
                            capture_output=True, text=True)
    assert helped.returncode == 0 and helped.stdout.startswith("awareness 0."), helped
