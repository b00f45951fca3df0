"""A short run of benchmarks/faults_benchmark.py: gunicorn with 4 workers, one SIGKILLed mid-run.

The full run (2,000 questionnaires, 50 clients, two kills) is recorded in benchmarks/README.md.
"""

import shutil

import pytest

from benchmarks import faults_benchmark


class Arguments:
    questionnaires = 16
    clients = 6
    workers = 4
    kills = 1


@pytest.mark.skipif(shutil.which("pgrep") is None, reason="needs pgrep to find gunicorn's workers")
def test_respondents_finish_and_nothing_is_lost_or_doubled_when_a_worker_is_killed(database_url, tmp_path,
                                                                                     monkeypatch):
    # prepare_platform sets these for the gunicorn it starts; monkeypatch puts them back afterwards.
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("AWARENESS_DATABASE_URL", raising=False)
    url = None if database_url.startswith("sqlite") else database_url
    result = faults_benchmark.run("run", url, Arguments, tmp_path)
    assert result["errors"] == []
    assert len(result["killed"]) == 1
    assert result["completed"] == Arguments.questionnaires
    assert (result["lost"], result["duplicated"], result["consistent"]) == (0, 0, True)
