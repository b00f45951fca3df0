"""Every command's module is imported only when that command is run or its help shown; `awareness --help` lists
them all from the registry (`survey.cli.COMMANDS`), whose short help is each command's own."""

import subprocess
import sys

import click
import click.testing
import pytest

from survey.cli import COMMANDS

COMMAND_MODULES = {entry.module for entry in COMMANDS.values() if entry.module.startswith("survey.cli.")}


def loaded_after(code: str) -> set[str]:
    """The command modules (survey.cli.*) a fresh interpreter holds after running `code`."""
    script = (f"import sys\nfrom survey.cli import cli\ntry:\n    {code}\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.startswith('survey.cli.')))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(eval(result.stdout.splitlines()[-1]))  # noqa: S307 - our own script's printed list


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_registry_names_each_command_with_its_own_short_help(name):
    command = COMMANDS[name].load()
    assert isinstance(command, click.Command) and command.name == name
    assert COMMANDS[name].help == command.get_short_help_str(limit=1000)


def test_help_lists_every_command_from_the_registry_without_importing_one():
    from survey.cli import cli

    runner = click.testing.CliRunner()
    listed = runner.invoke(cli, ["--help"], terminal_width=400).output.split("Commands:")[1]
    rows = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in listed.strip().splitlines()}
    assert {name: rows[name] for name in COMMANDS} == {name: entry.help for name, entry in COMMANDS.items()}
    assert {"run", "shell", "routes"} <= set(rows)
    assert loaded_after("cli(['--help'])") == {"survey.cli.lazy"}


def test_a_command_imports_its_own_module_only():
    """`awareness power` loads survey.cli.power (and what it uses), none of the other commands' modules."""
    loaded = loaded_after("cli(['power', '--baseline', '0.5', '--n', '100'])")
    assert "survey.cli.power" in loaded
    assert not (loaded & COMMAND_MODULES - {"survey.cli.power"}), loaded
    assert loaded_after("cli(['wave', '--help'])") & COMMAND_MODULES == {"survey.cli.wave"}
    # `report` takes the rounds of `trend` (--waves, --wave LABEL=FILE) from its module.
    assert loaded_after("cli(['report', '--help'])") & COMMAND_MODULES == {"survey.cli.report", "survey.cli.trend"}


def test_the_application_loads_no_command_until_one_is_run(app, runner):
    """create_app() (the web servers' start) imports no command module; the app's own command group (the tests'
    runner, `flask --app survey`) still runs every command."""
    code = ("import sys\nfrom survey import create_app\ncreate_app({'TESTING': True, 'DATABASE_URL': 'sqlite://'})\n"
            "print(sorted(m for m in sys.modules if m.startswith('survey.cli.')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert not set(eval(result.stdout.splitlines()[-1])) & COMMAND_MODULES  # noqa: S307
    assert set(COMMANDS) <= set(app.cli.list_commands(click.Context(app.cli)))
    done = runner.invoke(args=["power", "--baseline", "0.5", "--n", "100"])
    assert done.exit_code == 0 and "smallest detectable rise" in done.output
    help_text = runner.invoke(args=["wave", "--help"]).output
    assert "populations" in help_text and "..." not in help_text.split("Commands:")[1]
