"""Issue 21, item 1: every file and folder the platform writes is its owner's alone (0600 / 0700).

The commands start as from a user's shell, whose umask is the usual 022: `db upgrade` in a process of its own
(the entry point), the others through click's runner in this process with the umask set back to 022 before
each (the umask is the process's; the commands set it, the files follow it, wherever `cli.main` runs).
"""

import os
import stat
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey.cli import cli
from tests.conftest import EXAMPLE

LMP = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"


def _awareness_process(instance: Path, *arguments: str) -> subprocess.CompletedProcess:
    """The command in a process of its own, started with umask 022."""
    environment = {**os.environ, "AWARENESS_INSTANCE_PATH": str(instance)}
    environment.pop("AWARENESS_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0o022); from survey.cli import cli; "
                             "sys.exit(cli.main(sys.argv[1:], prog_name='awareness'))", *arguments],
                            env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def umask_restored():
    """The test process's umask as it was before the test, whatever the commands set."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _awareness(instance: Path, *arguments: str):
    """The command as `awareness` runs it (cli.main), in this process, started with umask 022."""
    os.umask(0o022)
    result = CliRunner().invoke(cli, list(arguments), prog_name="awareness",
                                env={"AWARENESS_INSTANCE_PATH": str(instance), "AWARENESS_DATABASE_URL": None})
    assert result.exit_code == 0, (result.output, result.exception)
    assert os.umask(0o022) == 0o077  # the command itself made the process's files private
    return result


def _synthetic_waves(folder: Path) -> list[Path]:
    import questionnaires as q
    from analysis.synthetic import synthetic_wave

    paths = []
    for name, awareness, seed in (("2017", 0.5, 1), ("2018", 0.7, 2)):
        path = folder / f"{name}.csv"
        synthetic_wave(q.load(LMP), 60, awareness=awareness, seed=seed).to_csv(path, index=False)
        paths.append(path)
    return paths


def _open_to_others(root: Path, *, itself: bool = True) -> list[str]:
    paths = [root, *root.rglob("*")] if itself else list(root.rglob("*"))
    return [f"{path}: {stat.filemode(path.stat().st_mode)}" for path in paths if path.stat().st_mode & 0o077]


def test_commands_write_private_files(tmp_path, umask_restored):
    instance = tmp_path / "instance"
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    _awareness_process(instance, "db", "upgrade")
    _awareness(instance, "wave", "create", "2018", "--questionnaire", str(EXAMPLE))
    _awareness(instance, "invite", "2018", "--group", "government", "--count", "3",
               "-o", str(outputs / "links.csv"))
    _awareness(instance, "export", "2018", "--format", "csv", "-o", str(outputs / "answers.csv"))
    _awareness(instance, "export", "2018", "--format", "codebook", "-o", str(outputs / "codebook.md"))
    _awareness(instance, "backup", str(outputs / "copy.bak"))
    written = sorted(path.name for path in [*instance.iterdir(), *outputs.iterdir()])
    assert {"awareness.sqlite", "links.csv", "answers.csv", "codebook.md", "copy.bak"} <= set(written)
    assert _open_to_others(instance) == []
    assert _open_to_others(outputs, itself=False) == []  # the test made the folder; the commands its files


def test_the_report_command_writes_private_files(tmp_path, umask_restored):
    instance = tmp_path / "instance"
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    waves = _synthetic_waves(tmp_path)
    _awareness(instance, "report", "--questionnaire", str(LMP), "--baseline", str(waves[0]),
               "--current", str(waves[1]), "--output", str(outputs / "report.md"))
    assert {"report.md", "report.json"} <= {path.name for path in outputs.iterdir()}
    assert list(outputs.glob("report-*.png"))  # the charts beside the Markdown
    assert _open_to_others(outputs, itself=False) == []  # the test made the folder; the command its files


def test_the_app_makes_its_instance_and_database_private(tmp_path, monkeypatch):
    from survey import create_app, db

    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)  # as an older release left it
    old = os.umask(0o022)
    try:
        monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(instance))
        app = create_app({"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "p"})
        db.upgrade(app)
        with app.app_context():
            with db.engine().begin() as connection:  # a write: SQLite makes the WAL and SHM now
                connection.exec_driver_sql("CREATE TABLE canary (x)")
            assert (instance / "awareness.sqlite-wal").exists()
            assert _open_to_others(instance) == []
        app.extensions["awareness.engine"].dispose()
    finally:
        os.umask(old)


def test_files_an_older_release_left_open_are_tightened(tmp_path, monkeypatch):
    from survey import create_app

    instance = tmp_path / "instance"
    instance.mkdir()
    instance.chmod(0o755)
    database = instance / "awareness.sqlite"
    database.write_bytes(b"")
    database.chmod(0o644)
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(instance))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "p"})
    app.extensions["awareness.engine"].dispose()
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
