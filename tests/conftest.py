"""Shared fixtures: an app on a temporary instance folder and database, its client and CLI runner.

Database tests run on SQLite and, when AWARENESS_TEST_DATABASE_URL is set, on PostgreSQL too. The schema
comes from the Alembic migrations, run once per session into a template that each test gets at its migrated
state: a file copy on SQLite; on PostgreSQL, the previous test's database emptied back to the template's state
(PostgresDatabases: rows deleted, sequences restarted, the schema checked against the template's), or a
CREATE DATABASE ... TEMPLATE copy when it cannot be (databases named after the one in
AWARENESS_TEST_DATABASE_URL: <name>_tpl, <name>_demo and <name>_<n>, with the xdist worker's id when there is
one, so that nobody else's database is touched). tests/test_migrations.py runs every migration up and down.
"""

import contextlib
import functools
import gc
import itertools
import os
import re
import shutil
import threading
from pathlib import Path
from unittest import mock

import pandas as pd
import psycopg
import pytest
from openpyxl import Workbook
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from werkzeug.security import generate_password_hash

import questionnaires
from analysis.compare import Estimate, Result, result_dict
from analysis.stats import Interval
from survey import create_app, database_app, db
from survey.accounts.operations import create_user
from survey.invitations.operations import Contact, create_invitations
from survey.models import BaselineCount, Response, WaveImport
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-awareness.yaml"
TWO_PAGES = DATA / "two-pages.yaml"
POSTGRES_URL = os.environ.get("AWARENESS_TEST_DATABASE_URL")
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1... under pytest-xdist


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject's addopts): one worker more than the cores this process may run on. Part of many tests'
    time is spent waiting, not computing (on the commands, servers and browser they start, on the database
    server, on the disk), and a third worker fills it: on 2 cores the whole suite took 238 s with 3 workers
    against 282 s with 2 and 254 s with 4 (same clone, one run each, quiet machine). PYTEST_XDIST_AUTO_NUM_WORKERS,
    when set, still decides (xdist's own hook reads it)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


def pytest_collection_finish(session):
    """What the imports and the collection made (~300,000 objects: pandas, scipy, SQLAlchemy, every test module)
    lives until the process ends: moved out of the cycle collector's sight (gc.freeze), so that its full
    collections during the run, and the five of pytest's unraisable-exception check at exit, do not go through
    it all again (~2 s of CPU per process at exit alone: pytest --collect-only 6.4-7.0 -> 4.5 s). Objects made
    by the tests and fixtures are collected as before."""
    gc.freeze()


def migrate(url: str, instance: Path) -> None:
    """Every migration run on the database at `url`."""
    from survey import db

    with mock.patch.dict(os.environ, {"AWARENESS_INSTANCE_PATH": str(instance)}):
        app = database_app({"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "test", "DATABASE_URL": url})
    db.upgrade(app)
    app.extensions["awareness.engine"].dispose()


class PostgresDatabases:
    """Databases of this test session on the server of AWARENESS_TEST_DATABASE_URL, made and dropped through
    its maintenance database.

    CREATE DATABASE ... TEMPLATE costs the server about half a second of CPU for the migrated schema's hundred
    relations, more than most tests. So a test's database, once the test is done, is emptied back to the
    template's state (its rows deleted, its sequences restarted: milliseconds) and handed to the next test under
    a new name; it is dropped instead, and the next test gets a fresh copy of the template, when its schema
    (tables, columns, indexes, constraints, triggers, functions, migration revision) is no longer the
    template's, or when it cannot be emptied."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.prefix = f"{self.url.database}_{WORKER}" if WORKER else self.url.database
        server = self.url.set(drivername="postgresql+psycopg", database="postgres")
        self.server = create_engine(server, isolation_level="AUTOCOMMIT")
        self.names = (f"{self.prefix}_{n}" for n in itertools.count())
        self.spare: dict[str, str] = {}  # template -> an emptied database at its state, for the next test
        self.schema: dict[str, str] = {}  # template -> the fingerprint of its schema
        self._drop_leftovers()

    def _drop_leftovers(self) -> None:
        # A session that was killed leaves its databases behind under the names this one is about to use: a
        # rename onto one of them would fail ("already exists").
        with self.server.connect() as connection:
            leftovers = connection.scalars(text("SELECT datname FROM pg_database WHERE datname ~ :pattern"),
                                           {"pattern": f"^{re.escape(self.prefix)}_[0-9]+$"}).all()
        for name in leftovers:
            self.drop(name)

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

    def at_state_of(self, template: str) -> str:
        """A database of the test's own, at the state of the (empty, migrated) `template`: the last test's,
        emptied, or a new copy."""
        name = next(self.names)
        spare = self.spare.pop(template, None)
        if spare is not None:
            with self.server.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{spare}" RENAME TO "{name}"'))
            return self.url_of(name)
        url = self.create(name, template)
        if template not in self.schema:
            with psycopg.connect(self._dsn(name)) as connection:
                self.schema[template] = connection.execute(SCHEMA_FINGERPRINT).fetchone()[0]
        return url

    def give_back(self, name: str, template: str) -> None:
        """The test is done with database `name`: emptied back to the template's state for the next test, or
        dropped."""
        try:
            self._end_other_sessions(name)
            with psycopg.connect(self._dsn(name)) as connection:
                connection.execute(EMPTY_DATABASE)
                same_schema = connection.execute(SCHEMA_FINGERPRINT).fetchone()[0] == self.schema[template]
        except (psycopg.Error, DBAPIError):
            same_schema = False
        if same_schema and template not in self.spare:
            self.spare[template] = name
        else:
            self.drop(name)

    def _end_other_sessions(self, name: str) -> None:
        # A server or thread of the test's that is still connected would write into the next test's data.
        with self.server.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
                                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})

    def _dsn(self, name: str) -> str:
        return self.url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        for name in self.spare.values():
            self.drop(name)
        self.server.dispose()


# Every row deleted (triggers and foreign keys are not fired: session_replication_role), every sequence back to
# its start; the migration revision kept. One round trip, in the transaction psycopg opens.
EMPTY_DATABASE = """
SET LOCAL lock_timeout = '10s';
SET LOCAL session_replication_role = replica;
DO $$ DECLARE t record; BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
    EXECUTE format('DELETE FROM public.%I', t.tablename);
  END LOOP;
  PERFORM setval(seqrelid::regclass, seqstart, false) FROM pg_sequence;
END $$;
"""

# What makes two databases' schemas the same for the tests: every schema, relation, column (type, null,
# default), index, constraint, trigger (and whether it is enabled) and function, and the migration revision.
SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(part, E'\n' ORDER BY part)) FROM (
  SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast_temp%'
  UNION ALL SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'pg_toast',
    'information_schema') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
  UNION ALL SELECT 'column ' || a.attrelid::regclass::text || '.' || a.attname || ' ' ||
    format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema')
  UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema')
  UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL SELECT 'trigger ' || tgname || ' ' || tgenabled::text || ' ' || pg_get_triggerdef(oid) FROM pg_trigger
    WHERE NOT tgisinternal
  UNION ALL SELECT 'function ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, ''))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL SELECT 'revision ' || version_num FROM alembic_version
) parts(part)
"""


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
    databases.close()


@pytest.fixture(scope="session")
def postgres_template(postgres, tmp_path_factory) -> str:
    name = f"{postgres.prefix}_tpl"
    migrate(postgres.create(name), tmp_path_factory.mktemp("template"))
    yield name
    postgres.drop(name)


APP_CONFIG = {"TESTING": True, "SECRET_KEY": "test", "PANEL_SECRET": "panel-test-secret",
              "BASE_URL": "http://survey.test"}


def run_demo(url: str, instance: Path) -> str:
    """`awareness demo --no-serve` on the database at `url`, configured as the `app` fixture is; its output."""
    with mock.patch.dict(os.environ, {"AWARENESS_INSTANCE_PATH": str(instance)}):
        app = create_app({**APP_CONFIG, "DATABASE_URL": url})
    try:
        result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    finally:
        app.extensions["awareness.engine"].dispose()
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def sqlite_demo(sqlite_template, tmp_path_factory) -> tuple[Path, str]:
    """The demo's data, made once per session on a copy of the SQLite template: its file and the demo's output."""
    folder = tmp_path_factory.mktemp("demo")
    shutil.copyfile(sqlite_template, folder / "demo.sqlite")
    return folder / "demo.sqlite", run_demo(f"sqlite:///{folder / 'demo.sqlite'}", folder / "instance")


@pytest.fixture(scope="session")
def postgres_demo(postgres, postgres_template, tmp_path_factory):
    """The demo's data, made once per session into a PostgreSQL database that the tests' own are copies of:
    its name and the demo's output."""
    name = f"{postgres.prefix}_demo"
    yield name, run_demo(postgres.create(name, postgres_template), tmp_path_factory.mktemp("demo"))
    postgres.drop(name)


@pytest.fixture
def demo(request, database_url) -> str:
    """The output of `awareness demo --no-serve` (links, the admin's password), whose data the test's database
    (`database_url`) is a copy of: made once per session, not per test. Tests of the demo command itself run it."""
    return request.getfixturevalue("sqlite_demo" if database_url.startswith("sqlite") else "postgres_demo")[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A migrated database of the test's own; with the demo's data when the test asks for `demo`."""
    demo = "demo" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        template = request.getfixturevalue("sqlite_demo")[0] if demo else request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    postgres = request.getfixturevalue("postgres")
    if demo:  # the demo's rows cannot be emptied back: a copy each time
        name = next(postgres.names)
        yield postgres.create(name, request.getfixturevalue("postgres_demo")[0])
        postgres.drop(name)
        return
    template = request.getfixturevalue("postgres_template")
    url = postgres.at_state_of(template)
    yield url
    postgres.give_back(make_url(url).database, template)


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
    config = dict(APP_CONFIG)
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


@functools.cache
def two_pages() -> questionnaires.Questionnaire:
    """tests/data/two-pages.yaml parsed once a session for the fixtures that store it (make_wave, waves, console):
    ~15 ms of CPU per parse (ruamel's pure-Python YAML) in a few hundred tests' setup. A Questionnaire is frozen
    (its parts too), and the fixtures only store it; the parsing itself is tested in tests/questionnaires."""
    return questionnaires.load(TWO_PAGES)


@pytest.fixture
def make_wave(app, database_url):
    """Store a questionnaire, open a wave and return its invitation links."""

    def make(path=TWO_PAGES, *, slug="2018", mode="anonymous", status="open", open_link=False, contacts=None,
             count=2):
        with app.app_context():
            session = db.session()
            edition = store_edition(session, two_pages() if path == TWO_PAGES else questionnaires.load(path))
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


@pytest.fixture
def waves(app, database_url):
    with app.app_context():
        session = db.session()
        edition = store_edition(session, two_pages())
        for slug in ("2017", "2018"):
            create_wave(session, slug, edition, status="closed")
        session.commit()


def stored_counts(app):
    with app.app_context():
        session = db.session()
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Response, BaselineCount, WaveImport))


@pytest.fixture
def console(app, database_url):
    with app.app_context():
        session = db.session()
        create_user(session, "admin@example.org", password_hash(), "admin")
        create_user(session, "analyst@example.org", password_hash(), "analyst")
        edition = store_edition(session, two_pages())
        base = create_wave(session, "2017", edition, status="closed")
        wave = create_wave(session, "2018", edition, status="open", baseline=base)
        create_invitations(session, wave, [Contact(group="workers", name="Sok Dara",
                                                                           email="dara@example.org")])
        operations.store_responses(session, base, [{"group": "workers", "heard": "no", "trainings": "1"},
                                                   {"group": "workers", "heard": "yes", "trainings": "2"}])
        operations.store_responses(session, wave, [{"group": "workers", "heard": "yes", "trainings": "3"}])
    return app


@functools.cache
def password_hash(password: str | None = None) -> str:
    """The stored form of a test account's password: PBKDF2 with few rounds, made once a session. Logging in
    checks it through the same check_password_hash, in a millisecond instead of scrypt's tenth of a second of
    CPU per login; the accounts that `awareness user add` and the demo make (tests/cli) are scrypt's."""
    return generate_password_hash(password or PASSWORD, method="pbkdf2:sha256:1000")


def log_in(client, email):
    token = csrf_token(client, "/admin/login")
    return client.post("/admin/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def heard(yes_no_by_group: dict) -> dict:
    """A respondent file's columns: heard_policy yes/no per group."""
    groups, answers = [], []
    for group, (yes, no) in yes_no_by_group.items():
        groups += [group] * (yes + no)
        answers += ["yes"] * yes + ["no"] * no
    return {"group": groups, "heard_policy": answers}


# Every group improved, but this year far more workers answered (R: see reference.R, "Stratified").
BASE_MIX = {"government": (90, 10), "workers": (15, 35), "employers": (0, 10)}


CUR_MIX = {"government": (19, 1), "workers": (80, 120), "employers": (0, 12)}


POPULATION = {"government": 120, "workers": 1500, "employers": 40}


def panel_files(tmp_path):
    """A panel of 12 (k1..k12) and one respondent without a key in each wave (R: reference.R, "Paired")."""
    keys = [f"k{i}" for i in range(1, 13)]
    groups = ["government"] * 6 + ["workers"] * 6
    hb = ["yes"] * 4 + ["no"] * 8
    hc = ["yes"] * 3 + ["no"] + ["yes"] * 6 + ["no"] * 2
    base = {"respondent": keys + [None], "group": groups + ["workers"], "heard_policy": hb + ["yes"],
            "policy_period": ["p2", "dk", "p1", "p2"] + [None] * 8 + ["p2"],
            "understand": [2, 3, 3, 4, 1, 2, 5, 3, 2, 4, 3, 1, 5],
            "trainings": [1, 0, 2, 3, 1, 4, 2, 0, 1, 5, 2, 3, 9]}
    cur = {"respondent": keys + [None], "group": groups + ["workers"], "heard_policy": hc + ["no"],
           "policy_period": ["p2", "p2", "p2"] + [None] * 10,
           "understand": [3, 4, 3, 5, 2, 2, 5, 4, 4, 4, 2, 3, 1],
           "trainings": [2, 1, 2, 5, 1, 6, 3, 2, 1, 7, 2, 4, 0]}
    return write(tmp_path / "b.csv", base), write(tmp_path / "c.csv", cur)


def kobo_form(path: Path, headers=("label::English (en)", "label::Khmer (km)"), settings=None) -> Path:
    """A Kobo form as its users write it: groups, a group question, selected() on a select_one, two
    languages, and no settings sheet."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", *headers, "relevant", "constraint", "required"])
    for row in [
        ["select_one org", "stakeholder_group", "Your organisation", "ស្ថាប័នរបស់អ្នក", None, None, "yes"],
        ["begin_group", "aware", "Awareness", "ការយល់ដឹង"],
        ["select_one yn", "heard", "Heard of the policy?", "ធ្លាប់ឮ?", None, None, "yes"],
        ["select_multiple areas", "areas", "Areas heard of", "វិស័យ", "selected(${heard}, 'yes')",
         "count-selected(.) <= 2"],
        ["text", "phone", "Phone", "ទូរស័ព្ទ", "not(selected(${heard}, 'no'))", "regex(., '^[0-9]{9}$')"],
        ["end_group"],
    ]:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *headers])
    for row in [("org", "gov", "Government", "រដ្ឋាភិបាល"), ("org", "csos", "Civil society", "សង្គមស៊ីវិល"),
                ("yn", "yes", "Yes", "បាទ/ចាស"), ("yn", "no", "No", "ទេ"),
                ("areas", "gov", "Governance", "អភិបាលកិច្ច"), ("areas", "dev", "Development", "ការអភិវឌ្ឍ"),
                ("areas", "pro", "Protection", "ការការពារ")]:
        choices.append(list(row))
    if settings:
        sheet = workbook.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    workbook.save(path)
    return path


def with_data_validation_extension(source: Path, target: Path) -> Path:
    """The workbook as Excel saves one with data validation lists: openpyxl warns that it drops them."""
    import zipfile

    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</worksheet>", b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"/>'
                                                     b"</extLst></worksheet>")
            out.writestr(info, data)
    return target


def proportion_row(**changes) -> dict:
    row = Result("heard_policy", "all", "proportion", Estimate(120, 0.62, Interval(0.531, 0.702)),
                 Estimate(150, 0.913333, Interval(0.857, 0.949)), difference=0.293333,
                 difference_ci=Interval(0.196, 0.389), test="chi2", statistic=31.2434, df=1.0, p_value=2.3e-8,
                 p_adjusted=4.6e-7, effect_size_name="cohens_h", effect_size=0.7213)
    data = result_dict(row)
    data.update(changes)
    return data


def write(path, columns: dict):
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


PASSWORD = "correct horse battery"


def rename_group_question(path: Path, name: str) -> Path:
    """The bundled instrument's XLSForm with its group question (and choice list) renamed, as Kobo forms name it."""
    from openpyxl import load_workbook

    from questionnaires.library import BUNDLED_INSTRUMENT
    from questionnaires.xlsform import write_xlsform

    write_xlsform(questionnaires.load(BUNDLED_INSTRUMENT), path)
    workbook = load_workbook(path)
    workbook["survey"].cell(2, 1).value = f"select_one {name}"
    workbook["survey"].cell(2, 2).value = name
    for row in workbook["choices"].iter_rows(min_row=2):
        if row[0].value == "stakeholder_group":
            row[0].value = name
    workbook.save(path)
    return path


# Debian's chromium: its headless shell (package chromium-headless-shell: what `chromium --headless=old` was, and what
# Playwright's own headless mode runs) where it is installed. The full browser's headless mode also runs the browser's
# own user interface (an omnibox popup page per window, in a renderer of its own): about twice the CPU per page.
CHROMIUM = shutil.which("chromium-headless-shell") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright (the browser tests skip themselves when either is missing): started
    once per module, each test opening contexts of its own. Not once per session: while Playwright's sync API
    runs, the main thread has a running asyncio loop, which would break asyncio.run() in the tests after it."""
    playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with playwright_sync.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@contextlib.contextmanager
def serving_demo(folder: Path, sqlite_demo):
    """A copy of the session's demo data in `folder`, served on a free port while the block runs: its address and
    the admin's password."""
    from werkzeug.serving import make_server

    template, output = sqlite_demo
    shutil.copyfile(template, folder / "demo.sqlite")
    with mock.patch.dict(os.environ, {"AWARENESS_INSTANCE_PATH": str(folder / "instance")}):
        app = create_app({"SECRET_KEY": "browser-test", "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}",
                          "PANEL_SECRET": "panel"})
    password = re.search(r"Admin login: admin@example.org / (\S+)", output).group(1)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", password
    finally:
        server.shutdown()
        thread.join()
        app.extensions["awareness.engine"].dispose()


@pytest.fixture
def demo_server(tmp_path, monkeypatch, sqlite_demo):
    """The demo's data (four waves, six weeks of fieldwork each) served on a free port; its admin password.
    The data is a copy of the session's demo database (see `demo`)."""
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    with serving_demo(tmp_path, sqlite_demo) as served:
        yield served
