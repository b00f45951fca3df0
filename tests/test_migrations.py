"""Every migration, up from an empty database and down again: the other tests get a copy of a database
migrated once per session (conftest.py), so this is where each step of the schema's history is run."""

from sqlalchemy import create_engine, inspect

from survey import create_app, db


def _tables(url: str) -> set[str]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_every_migration_runs_up_and_down(empty_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": empty_database_url})
    script = db.alembic_config(app)
    from alembic.script import ScriptDirectory

    revisions = [revision.revision for revision in ScriptDirectory.from_config(script).walk_revisions()]
    assert len(revisions) >= 10 and _tables(empty_database_url) == set()
    db.upgrade(app)
    migrated = _tables(empty_database_url)
    assert {"waves", "editions", "invitations", "responses", "answers", "wave_tallies"} <= migrated
    for revision in revisions[1:]:  # newest first: down one step at a time, each step's downgrade run
        db.downgrade(app, revision)
    db.downgrade(app, "base")
    assert _tables(empty_database_url) == set()
    db.upgrade(app)
    assert _tables(empty_database_url) == migrated
    app.extensions["awareness.engine"].dispose()
