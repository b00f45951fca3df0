"""Issue 21, item 12: Ctrl-C in a command prints one line, exits 130, keeps nothing half-done and shows no traceback.

The command runs in a process group of its own and gets SIGINT as a terminal sends it (to the whole
group), once it is under way: once it has the file it imports open. The instance it runs on (its database,
its wave, for the export its 50,000 imported responses) is made once per module by the same commands run in
this process, and each test runs on a copy of it.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from importlib import resources
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

LMP = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"
MESSAGE = "interrupted: the step under way was undone; nothing half-written was kept"


def _environment(instance: Path) -> dict:
    environment = {**os.environ, "AWARENESS_INSTANCE_PATH": str(instance)}
    environment.pop("AWARENESS_DATABASE_URL", None)
    return environment


def _awareness(instance: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from survey.cli import cli; "
            "sys.exit(cli.main(sys.argv[1:], prog_name='awareness'))", *arguments]


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        return False


def _interrupt_once_open(command: list[str], environment: dict, path: Path) -> subprocess.CompletedProcess:
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not _has_open(process.pid, path):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never opened the file"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(command, process.returncode, out, err)


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """50,000 synthetic respondents of the bundled instrument: an import that takes seconds."""
    import questionnaires as q
    from analysis.synthetic import synthetic_wave

    frame = synthetic_wave(q.load(LMP), 2000, awareness=0.5, seed=1)
    path = tmp_path_factory.mktemp("big") / "answers.csv"
    pd.concat([frame] * 25, ignore_index=True).to_csv(path, index=False)
    return path


def _instance_made_by(instance: Path, *commands: tuple[str, ...]) -> Path:
    """An instance folder on which `commands` ran, in this process, as they would run from `awareness`."""
    from survey import create_app

    with mock.patch.dict(os.environ, _environment(instance), clear=True):
        app = create_app()
        try:
            for arguments in commands:
                result = app.test_cli_runner().invoke(args=list(arguments))
                assert result.exit_code == 0, (arguments, result.output, result.exception)
        finally:
            app.extensions["awareness.engine"].dispose()
    return instance


@pytest.fixture(scope="module")
def wave_instance(tmp_path_factory) -> Path:
    """A migrated instance with wave 2016 of the bundled instrument, no response yet."""
    return _instance_made_by(tmp_path_factory.mktemp("wave") / "instance",
                             ("db", "upgrade"), ("wave", "create", "2016", "--questionnaire", str(LMP)))


@pytest.fixture(scope="module")
def imported_instance(wave_instance, big_csv, tmp_path_factory) -> Path:
    """The wave instance with the 50,000 respondents of `big_csv` imported into 2016."""
    instance = tmp_path_factory.mktemp("imported") / "instance"
    shutil.copytree(wave_instance, instance)
    return _instance_made_by(instance, ("import", "2016", str(big_csv)))


def _copy(instance: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(instance, tmp_path / "instance"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="watches /proc for the open file")
def test_ctrl_c_during_an_import_keeps_nothing_and_says_one_line(tmp_path, wave_instance, big_csv):
    instance = _copy(wave_instance, tmp_path)
    environment = _environment(instance)
    result = _interrupt_once_open(_awareness(instance, "import", "2016", str(big_csv)), environment, big_csv)
    assert (result.returncode, result.stderr.strip()) == (130, MESSAGE), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    with sqlite3.connect(instance / "awareness.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM responses").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM wave_imports").fetchone() == (0,)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="watches /proc for the open file")
def test_ctrl_c_while_writing_an_export_leaves_no_half_file(tmp_path, imported_instance):
    instance = _copy(imported_instance, tmp_path)
    environment = _environment(instance)
    with closing(sqlite3.connect(instance / "awareness.sqlite")) as connection:  # an export that takes a while
        assert connection.execute("SELECT count(*) FROM responses").fetchone() == (50_000,)
    output = tmp_path / "export.csv"
    result = _interrupt_once_open(_awareness(instance, "export", "2016", "--format", "csv", "-o", str(output)),
                                  environment, output)
    assert (result.returncode, result.stderr.strip()) == (130, MESSAGE), result.stderr
    assert not output.exists()
