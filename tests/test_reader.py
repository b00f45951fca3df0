"""`awareness compare` reads waves of the database in a process of its own (survey/cli/reader.py):
the same comparison as when read in this process, and every way that process can end told here."""

import io
import json
import os
import subprocess
import sys
import threading

import click
import pandas as pd
import pytest

from survey.cli import reader

from .test_compare_waves import rows_of, waves  # noqa: F401 (a fixture)
from .test_designs import BASE_MIX, CUR_MIX, POPULATION, heard, panel_files

COMPARE = ["compare", "--baseline-wave", "2024", "--current-wave", "2025", "--format", "json"]


@pytest.fixture
def forks(monkeypatch):
    """Counts the reading processes forked (and forks even if another test left a thread running)."""
    made = []

    class Counted(reader.WaveReader):
        def __init__(self, read):
            made.append(read)
            super().__init__(read)

    monkeypatch.setattr(reader, "WaveReader", Counted)
    monkeypatch.setattr(reader, "can_fork", lambda: True)
    return made


def test_waves_read_apart_are_compared_as_when_read_here(runner, waves, forks, monkeypatch, tmp_path):  # noqa: F811
    base, cur = panel_files(tmp_path)
    waves(rows_of(base), rows_of(cur), POPULATION)
    options = ["--by-group", "--paired", "--weighted", "--stratify", "--base", "all"]
    apart = runner.invoke(args=COMPARE + options)
    assert apart.exit_code == 0, apart.output
    assert len(forks) == 1
    monkeypatch.setattr(reader, "can_fork", lambda: False)
    here = runner.invoke(args=COMPARE + options)
    assert here.exit_code == 0, here.output
    assert len(forks) == 1
    assert json.loads(apart.output) == json.loads(here.output)
    designs = {row["design"] for row in json.loads(apart.output)["results"]}
    assert designs == {"independent", "paired", "weighted", "stratified"}


def test_what_the_reading_process_says_before_it_exits_is_said_here(runner, waves, forks):  # noqa: F811
    to_rows = lambda mix: pd.DataFrame(heard(mix)).to_dict("records")  # noqa: E731
    waves(to_rows(BASE_MIX), to_rows(CUR_MIX))
    unknown = runner.invoke(args=["compare", "--baseline-wave", "nosuch", "--current-wave", "2025"])
    assert unknown.exit_code == 1
    assert unknown.output == "no wave named 'nosuch' (waves: 2024, 2025)\n"
    no_sizes = runner.invoke(args=COMPARE + ["--weighted"])
    assert no_sizes.exit_code == 1
    assert no_sizes.output == "wave 2025 has no population sizes stored: give --population FILE\n"
    assert len(forks) == 2


def test_the_real_command_reads_apart_on_its_own_application(app, waves, database_url, tmp_path):  # noqa: F811
    """`awareness compare` as a user runs it: its own application made in the reading process, and no database
    layer loaded in this one."""
    base, cur = panel_files(tmp_path)
    waves(rows_of(base), rows_of(cur))
    output = tmp_path / "apart.json"
    code = ("import sys, threading; from survey.cli import cli, reader\n"
            "made = []; Reader = reader.WaveReader\n"
            "reader.WaveReader = lambda read: made.append(1) or Reader(read)\n"
            "try:\n    cli()\nexcept SystemExit as stop:\n    print('forked', len(made), 'sqlalchemy' in sys.modules); raise\n")
    env = {**os.environ, "AWARENESS_DATABASE_URL": database_url, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([sys.executable, "-c", code, *COMPARE, "--paired", "--output", str(output)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "forked 1 False\n"
    here = app.test_cli_runner().invoke(args=COMPARE + ["--paired"])
    assert json.loads(output.read_text(encoding="utf-8")) == json.loads(here.output)


def _announce_then(result):
    def read(announce):
        announce(1)
        announce({"two": 2})
        return result
    return read


def test_the_reader_gives_what_was_announced_then_what_was_returned():
    large = "x" * 5_000_000 + "ឆ្នាំ"  # more than a pipe holds: sent while this process reads
    with reader.WaveReader(_announce_then(large)) as process:
        assert process.receive() == 1
        assert process.receive() == {"two": 2}
        assert process.receive() == large
        pid = process._pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # gone, and waited for


def _fails(error):
    def read(_announce):
        raise error
    return read


def _exits(_announce):
    click.echo("no wave named 'x'", err=True)
    sys.exit(3)


def _dies(_announce):
    os._exit(9)


def test_the_reader_ends_here_as_the_reading_process_ended(capsys):
    with reader.WaveReader(_fails(ValueError("no such item"))) as process, \
            pytest.raises(ValueError, match="no such item"):
        process.receive()
    unpicklable = ValueError(threading.Lock())
    with reader.WaveReader(_fails(unpicklable)) as process, pytest.raises(RuntimeError, match="ValueError: <"):
        process.receive()
    with reader.WaveReader(_exits) as process, pytest.raises(SystemExit) as stop:
        process.receive()
    assert stop.value.code == 3 and capsys.readouterr().err == "no wave named 'x'\n"
    with reader.WaveReader(_dies) as process, pytest.raises(SystemExit) as stop:
        process.receive()
    assert stop.value.code == 1
    assert capsys.readouterr().err == "the process reading the waves stopped (exit status 9)\n"


def test_a_reader_left_early_is_stopped_and_waited_for():
    with pytest.raises(KeyboardInterrupt), reader.WaveReader(_announce_then("y" * 5_000_000)) as process:
        pid = process._pid
        raise KeyboardInterrupt  # before anything is received: the process is blocked writing
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_fork_only_without_other_threads():
    assert reader.can_fork() == (hasattr(os, "fork") and sys.platform != "darwin"
                                 and threading.active_count() == 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not reader.can_fork()
    finally:
        stop.set()
        thread.join()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_its_progress_bar_when_the_waves_are_read_apart(app, waves, forks, monkeypatch,  # noqa: F811
                                                                          tmp_path):
    """The reading process counts the respondents for the bar, though its own stderr is no terminal."""
    from flask.cli import ScriptInfo

    from survey.cli import compare

    base, cur = panel_files(tmp_path)
    waves(rows_of(base), rows_of(cur))
    counted = []

    class Shown(compare.Progress):  # shown for any number of respondents, and the number kept
        def __init__(self, label, length, *, respondents=None, threshold=10_000):
            counted.append(respondents)
            super().__init__(label, length, respondents=respondents, threshold=1)

    monkeypatch.setattr(compare, "Progress", Shown)
    monkeypatch.setattr(sys, "stderr", _Terminal())
    compare.compare_command.main([*COMPARE[1:], "--output", str(tmp_path / "out.json")], standalone_mode=False,
                                 obj=ScriptInfo(create_app=lambda: app))
    assert counted == [len(rows_of(base)) + len(rows_of(cur))] and len(forks) == 1
    assert "comparing" in sys.stderr.getvalue() and "100%" in sys.stderr.getvalue()
