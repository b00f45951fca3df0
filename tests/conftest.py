"""Shared fixtures: an app on a temporary instance folder and database, its client and CLI runner.

Database tests run on SQLite and, when AWARENESS_TEST_DATABASE_URL is set, on PostgreSQL too. The schema
comes from the Alembic migrations, run once per session into a template that each test gets a copy of:
a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL (databases named after the one in
AWARENESS_TEST_DATABASE_URL: <name>_tpl and <name>_test, with the xdist worker's id when there is one, so
that nobody else's database is touched). tests/test_migrations.py runs every migration up and down.
"""

import itertools
import os
import re
import shutil
from pathlib import Path
from unittest import mock

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

import questionnaires
from survey import create_app, database_app, db
from survey.invitations.operations import Contact, create_invitations
from survey.waves.operations import create_wave, store_edition

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-awareness.yaml"
TWO_PAGES = DATA / "two-pages.yaml"
POSTGRES_URL = os.environ.get("AWARENESS_TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1... under pytest-xdist


def migrate(url: str, instance: Path) -> None:
    """Every migration run on the database at `url`."""
    from survey import db

    with mock.patch.dict(os.environ, {"AWARENESS_INSTANCE_PATH": str(instance)}):
        app = database_app({"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "test", "DATABASE_URL": url})
    db.upgrade(app)
    app.extensions["awareness.engine"].dispose()


class PostgresDatabases:
    """Databases of this test session on the server of AWARENESS_TEST_DATABASE_URL, made and dropped through
    its maintenance database."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.prefix = f"{self.url.database}_{WORKER}" if WORKER else self.url.database
        server = self.url.set(drivername="postgresql+psycopg", database="postgres")
        self.server = create_engine(server, isolation_level="AUTOCOMMIT")
        self.names = (f"{self.prefix}_{n}" for n in itertools.count())

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> str:
        with self.server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        return self.url_of(name)

    def drop(self, name: str) -> None:
        with self.server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "migrated.sqlite"
    migrate(f"sqlite:///{path}", folder / "instance")
    return path


@pytest.fixture(scope="session")
def postgres():
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need AWARENESS_TEST_DATABASE_URL")
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.server.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres, tmp_path_factory) -> str:
    name = f"{postgres.prefix}_tpl"
    migrate(postgres.create(name), tmp_path_factory.mktemp("template"))
    yield name
    postgres.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A migrated database of the test's own."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    postgres, template = request.getfixturevalue("postgres"), request.getfixturevalue("postgres_template")
    name = next(postgres.names)
    yield postgres.create(name, template)
    postgres.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A database of the test's own without any table (for the migrations themselves)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    postgres = request.getfixturevalue("postgres")
    name = next(postgres.names)
    yield postgres.create(name)
    postgres.drop(name)


@pytest.fixture
def app(tmp_path, monkeypatch, request):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "panel-test-secret",
              "BASE_URL": "http://survey.test"}
    if "database_url" in request.fixturenames:
        config["DATABASE_URL"] = request.getfixturevalue("database_url")
    application = create_app(config)
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


@pytest.fixture
def make_wave(app, database_url):
    """Store a questionnaire, open a wave and return its invitation links."""

    def make(path=TWO_PAGES, *, slug="2018", mode="anonymous", status="open", open_link=False, contacts=None,
             count=2):
        with app.app_context():
            session = db.session()
            edition = store_edition(session, questionnaires.load(path))
            wave = create_wave(session, slug, edition, mode=mode, status=status, open_link=open_link)
            created = create_invitations(
                session, wave, contacts or [Contact(group="government") for _ in range(count)])
            session.commit()
            return [f"/s/{token}" for _invitation, token in created]

    return make


def stored(app, model):
    with app.app_context():
        return db.session().scalars(select(model)).all()


def consent(client, link):
    response = post(client, link, {"consent": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def answer_all(client, link):
    """Consent and fill the two-page questionnaire as someone who knows the policy; stop at review."""
    consent(client, link)
    assert post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov", "dev"]}).location \
        == f"{link}/2"
    assert post(client, f"{link}/2", {"action": "next", "trainings": "3", "period": "p2",
                                      "comments": "=cmd|' /C calc'!A0"}).location == f"{link}/3"
    assert post(client, f"{link}/3", {"action": "next", "understand": "2"}).location == f"{link}/review"
