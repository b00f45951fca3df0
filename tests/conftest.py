"""Shared fixtures: an app on a temporary instance folder and database, its client and CLI runner.

Database tests run on SQLite and, when AWARENESS_TEST_DATABASE_URL is set, on PostgreSQL too;
either way the schema comes from the Alembic migrations.
"""

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from survey import create_app

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-awareness.yaml"
TWO_PAGES = DATA / "two-pages.yaml"
POSTGRES_URL = os.environ.get("AWARENESS_TEST_DATABASE_URL")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite'}"
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need AWARENESS_TEST_DATABASE_URL")
    _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def app(tmp_path, monkeypatch, request):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "panel-test-secret",
              "BASE_URL": "http://survey.test"}
    if "database_url" in request.fixturenames:
        config["DATABASE_URL"] = request.getfixturevalue("database_url")
    application = create_app(config)
    if "database_url" in request.fixturenames:
        from survey import db

        db.upgrade(application)
    yield application
    application.extensions["awareness.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def post(client, url: str, data: dict, *, token_from: str | None = None):
    """POST as a browser would: with the CSRF token of the page the form is on."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from or url)})


# Tests write to addresses under .test (RFC 2606: reserved, never delivered); email-validator refuses them
# outside a test environment, as the platform does in use.
import email_validator  # noqa: E402

email_validator.TEST_ENVIRONMENT = True
