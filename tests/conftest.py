"""Shared fixtures: an app on a temporary instance folder, its test client and CLI runner."""

from pathlib import Path

import pytest

from survey import create_app

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-awareness.yaml"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
