"""Database engine and sessions, one engine per app, one session per request; Alembic migrations."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InternalError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# What a database that cannot be written raises: a read-only or full file, a server that is down
# (OperationalError), a read-only PostgreSQL such as a standby after a failover (InternalError).
UNAVAILABLE = (OperationalError, InternalError)


class OperationError(ValueError):
    """A request that cannot be carried out; the message says why."""


def now() -> datetime:
    """The time every stored timestamp is taken in: UTC, without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def start_of_day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL")
    if url:
        # Accept the usual postgresql:// and use psycopg 3.
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{Path(app.instance_path) / 'awareness.sqlite'}"


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    # WAL lets readers work while one writer writes; the busy timeout waits for the writer
    # instead of failing; foreign keys are off in SQLite unless asked for.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows (a submitted draft, with its invitation id) are overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def forget_deleted(bind: Engine | None = None) -> None:
    """On SQLite, copy the WAL into the database and empty it, so that no old page (a deleted draft) stays there.

    Waits at most a moment for readers: under load a checkpoint that cannot finish now is done by a
    later submit, and SQLite's automatic checkpoints overwrite the WAL from the start in any case.
    `bind`: the engine of a session outside a request (default: the app's).
    """
    bind = bind if bind is not None else engine()
    if bind.dialect.name != "sqlite":
        return
    try:
        with bind.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=250")
            try:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.exec_driver_sql("PRAGMA busy_timeout=10000")
    except UNAVAILABLE:
        pass  # what was just stored stays stored: a checkpoint that fails now is made by a later one


def init_app(app: Flask) -> None:
    engine = make_engine(database_url(app))
    app.extensions["awareness.engine"] = engine
    app.extensions["awareness.sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)
    app.cli.add_command(db_group)


def engine() -> Engine:
    return current_app.extensions["awareness.engine"]


def session() -> Session:
    """The request's session (opened on first use, closed at teardown)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["awareness.sessions"]()
    return g.db_session


def close_session(_error=None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def alembic_config(app: Flask):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url(app).replace("%", "%%"))
    return config


def schema_revisions(bind) -> tuple[str | None, str]:
    """(the database's schema revision, or None when it has none; the newest this release knows)."""
    from alembic.runtime.migration import MigrationContext

    with bind.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, migration_revisions()[1]


def known_revisions() -> frozenset[str]:
    """Every schema revision this release's migrations know."""
    return migration_revisions()[0]


@functools.cache
def migration_revisions() -> tuple[frozenset[str], str]:
    """(every revision of this release's migrations, the newest): read once a process, since they are the code's
    own files; every comparison checks the database against them."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
    return frozenset(script.revision for script in scripts.walk_revisions()), scripts.get_current_head()


def upgrade(app: Flask, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(app), revision)


@click.group("db")
def db_group() -> None:
    """Manage the database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision: str) -> None:
    """Create or upgrade the database schema."""
    upgrade(current_app, revision)
    click.echo(f"database at {revision}: {engine().url.render_as_string(hide_password=True)}")


@db_group.command("current")
@with_appcontext
def current_command() -> None:
    """Show the schema revision of the database."""
    from alembic import command

    command.current(alembic_config(current_app))


@db_group.command("recount")
@with_appcontext
def recount_command() -> None:
    """Count the monitoring tallies again from the tables (writers wait meanwhile); says how many were wrong."""
    from .monitoring import tallies

    with engine().begin() as connection:
        wrong = tallies.recount(connection)
    counted = f"{wrong} counter was" if wrong == 1 else f"{wrong} counters were"
    click.echo(f"monitoring tallies recounted: {counted} wrong" + (" and are now right" if wrong else ""))
