"""`awareness demo --port N`: its links point at the port it serves, and so do the links the instance's later
commands make (`invite`, the mail), which read the demo's address from the instance folder while no
AWARENESS_BASE_URL is set (they still warn: only this computer reaches it). Back on the default port, the kept
address goes; a researcher's own BASE_URL is never replaced (SQLite and PostgreSQL)."""

import pytest

from survey import DEFAULT_BASE_URL, create_app, local_base_url, served_demo_address
from survey.cli.demo import served_address

CONFIG = {"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "panel-test-secret"}  # no BASE_URL of its own


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    return tmp_path / "instance"


def _run(database_url: str, *args: str, **config):
    app = create_app({**CONFIG, "DATABASE_URL": database_url, **config})
    try:
        return app.config["BASE_URL"], app.test_cli_runner().invoke(args=list(args))
    finally:
        app.extensions["awareness.engine"].dispose()


def test_the_links_point_at_the_port_served_then_and_later(instance, database_url):
    _base, demo = _run(database_url, "demo", "--no-serve", "--port", "5123")
    assert demo.exit_code == 0, demo.output
    assert demo.output.count("http://127.0.0.1:5123/s/") == 5 and ":5000" not in demo.output
    assert "Open link (respondents choose their group): http://127.0.0.1:5123/w/2018" in demo.output
    base, invited = _run(database_url, "invite", "2018", "--group", "workers", "--count", "1")
    assert base == "http://127.0.0.1:5123" and invited.exit_code == 0, invited.output
    assert "http://127.0.0.1:5123/s/" in invited.stdout and ":5000" not in invited.stdout
    assert "warning: the links point at http://127.0.0.1:5123, where `awareness demo` serves" in invited.stderr
    _base, again = _run(database_url, "demo", "--no-serve")  # the default port again: the kept address goes
    assert again.exit_code == 0 and f"{DEFAULT_BASE_URL}/w/2018" in again.output
    assert not (instance / "demo_address").exists()
    assert _run(database_url, "wave", "list")[0] == DEFAULT_BASE_URL


def test_a_base_url_of_the_researchers_own_is_kept():
    assert not local_base_url({"BASE_URL": "https://survey.example.org", "DEMO_ADDRESS": "http://127.0.0.1:5123"})
    assert local_base_url({"BASE_URL": "http://127.0.0.1:5123/", "DEMO_ADDRESS": "http://127.0.0.1:5123"})
    assert local_base_url({"BASE_URL": DEFAULT_BASE_URL, "DEMO_ADDRESS": None})


def test_an_ipv6_host_is_bracketed_and_kept(tmp_path):
    assert served_address(str(tmp_path), "::1", 5124) == "http://[::1]:5124"
    assert served_demo_address(str(tmp_path)) == "http://[::1]:5124"
    assert served_address(str(tmp_path), "127.0.0.1", 5000) == DEFAULT_BASE_URL
    assert served_demo_address(str(tmp_path)) is None
