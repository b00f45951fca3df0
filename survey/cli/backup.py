"""`awareness backup` and `awareness restore`: a consistent copy of the database while the platform runs.

SQLite: the online backup API copies one consistent snapshot page by page while respondents keep
answering. PostgreSQL: pg_dump (one transaction, so one snapshot) in its custom format, and
pg_restore; both must be installed (the postgresql-client package).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the whole database to FILE (safe while respondents answer)."""
    from .. import db

    if file.exists():
        raise click.ClickException(f"{file} already exists: choose a new file name (a backup never overwrites one)")
    if not file.parent.is_dir():
        raise click.ClickException(f"{file.parent} is not a folder")
    engine = db.engine()
    partial = file.with_name(file.name + ".partial")
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(Path(engine.url.database), partial)
        else:
            _pg_run("pg_dump", ["--format=custom", "--no-owner", "--file", str(partial)], engine.url)
        partial.rename(file)  # only a finished copy gets the name asked for
    finally:
        partial.unlink(missing_ok=True)
    copied = _summary(_file_engine(file)) if engine.dialect.name == "sqlite" else "the whole database"
    click.echo(f"backed up to {file}: {copied} ({file.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database's content.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database's content with the backup in FILE (stop the app servers first)."""
    from flask import current_app

    from .. import db

    engine = db.engine()
    head = file.read_bytes()[:16]
    if engine.dialect.name == "sqlite" and not head.startswith(SQLITE_HEADER):
        raise click.ClickException(f"{file} is not an SQLite backup made by `awareness backup`; this platform uses SQLite")
    if engine.dialect.name != "sqlite" and not head.startswith(PG_DUMP_HEADER):
        raise click.ClickException(f"{file} is not a pg_dump backup made by `awareness backup`; this platform uses PostgreSQL")
    target = engine.url.render_as_string(hide_password=True)
    if not yes and not click.confirm(f"Replace everything in {target} with {file}?"):
        raise click.ClickException("nothing restored")
    if engine.dialect.name == "sqlite":
        _sqlite_restore(file, Path(engine.url.database))
    else:
        _pg_run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(file)],
                engine.url, database_option=True)
    engine.dispose()  # pooled connections may still see the old content
    db.upgrade(current_app)  # a backup from an older release gets this release's schema
    click.echo(f"restored {file} into {target}: {_summary(engine)}")


def _file_engine(file: Path):
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{file}")


def _summary(engine) -> str:
    from sqlalchemy import func, select

    from ..models import Response, Wave

    with engine.connect() as connection:
        responses = connection.scalar(select(func.count()).select_from(Response))
        waves = connection.scalar(select(func.count()).select_from(Wave))
    engine.dispose()
    return f"{waves} wave(s), {responses} response(s)"


def _sqlite_backup(source: Path, target: Path) -> None:
    import sqlite3

    with sqlite3.connect(source, timeout=30) as live, sqlite3.connect(target) as copy:
        # Copying in one step holds a read snapshot for the whole copy: a consistent database even
        # while others write (WAL lets them go on).
        live.backup(copy)
    copy.close()
    live.close()


def _sqlite_restore(backup: Path, database: Path) -> None:
    import sqlite3

    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as source:
        try:
            problems = source.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            problems, tables = str(error), set()
        usable = problems == "ok" and {"alembic_version", "responses", "waves"} <= tables
        if usable:
            with sqlite3.connect(database, timeout=30) as live:
                source.backup(live)
            live.close()
    source.close()
    if not usable:  # raised once the backup is closed (its `with` would roll back a closed connection)
        raise click.ClickException(f"{backup} is damaged or is not an awareness database ({problems}); nothing "
                                   "restored")


def _pg_run(program: str, arguments: list[str], url, *, database_option: bool = False) -> None:
    """Run pg_dump or pg_restore on the configured database; the password goes in the environment."""
    import os
    import shutil
    import subprocess

    executable = shutil.which(program)
    if executable is None:
        raise click.ClickException(f"{program} is not installed: install PostgreSQL's client programs (Debian: postgresql-client)")
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    command = [executable, *arguments[:-1], "--dbname", libpq, arguments[-1]] if database_option else \
        [executable, *arguments, libpq]
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise click.ClickException(f"{program} failed: {finished.stderr.strip() or finished.returncode}")
