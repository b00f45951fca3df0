"""A comparison of waves of a database left behind by an upgrade of the software (its schema one migration short),
or upgraded by a newer release: one message naming both revisions and what to do, never a missing column's
SQL error (SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from survey.comparison.errors import DatabaseUnavailable
from survey.comparison.queries import ready_database
from survey.db import known_revisions


@pytest.fixture
def engine(database_url):
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


def _set_revision(engine, revision: str) -> None:
    with Session(engine) as session:
        session.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
        session.commit()


def test_the_migrated_database_is_ready(engine):
    with Session(engine) as session:
        ready_database(session)  # returns


def test_a_database_one_migration_behind_says_to_upgrade(engine):
    newest = max(known_revisions())
    older = sorted(known_revisions())[-2]
    _set_revision(engine, older)
    with Session(engine) as session, pytest.raises(DatabaseUnavailable) as raised:
        ready_database(session)
    assert f"is at schema revision {older}, this release needs {newest}: run `awareness db upgrade` first" \
        in str(raised.value)


def test_a_database_of_a_newer_release_says_so(engine):
    _set_revision(engine, "9999")
    with Session(engine) as session, pytest.raises(DatabaseUnavailable) as raised:
        ready_database(session)
    assert "at schema revision 9999, which this release does not know" in str(raised.value)
    assert "upgraded by a newer release" in str(raised.value)
