"""Monitoring tallies: counts by wave, group and counter, kept by database triggers as each row changes.

The monitoring page of a wave with 100,000 invitations then reads a few dozen rows instead of
counting every invitation. The triggers are written once here, as SQL that turns a set of rows into
(wave_id, group_code, counter) rows: each change adds the counters of the new rows and subtracts
those of the old ones, in one statement that touches the tally rows in key order (so that two
transactions never wait for each other's tally rows in opposite orders).

Each counter is read from the changed row alone (and from an invitation's wave and group, which
never change), never from another row that a concurrent transaction might be changing: on
PostgreSQL two transactions do not see each other's uncommitted rows, so a counter that looked at
another table could be computed from a state that never existed. That is why an invitation carries
its own `answered` and `bounced` flags, set in the same transaction as its draft or message.

- SQLite: row-level triggers (one writer at a time, so no contention).
- PostgreSQL: statement-level triggers over transition tables, so that a bulk write (100,000
  invitations in one INSERT) updates each tally row once.

Counters: the AAPOR categories of invitations (complete, refusal, unknown_household, unknown_other,
ineligible, and progress:PERCENT for those started and not submitted, which the monitoring classes as
complete, partial or break-off by the configured thresholds), started, open_link/open_started/open_completed (open-link
invitations), day:YYYY-MM-DD (completions by day), responses (stored responses), and mail:...
(messages by outcome; mail:bounced and mail:opted_out count contacts).

A migration that rebuilds one of the tables below (Alembic's batch mode on SQLite copies a table and
drops the old one, its triggers with it) must call install() again; tests check every trigger exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

TABLE = "wave_tallies"

INVITATION_COLUMNS = ("wave_id", "group_code", "completed", "disposition", "consented_at", "via_open_link",
                      "completed_on", "answered", "bounced", "progress")
# The columns each table's triggers read; an UPDATE of no other column changes no tally (SQLite: UPDATE OF).
COLUMNS = {
    "invitations": INVITATION_COLUMNS,
    "responses": ("wave_id", "group_code"),
    "mail_outbox": ("invitation_id", "kind", "status"),
    "mail_opt_outs": ("invitation_id",),
}
CATEGORY = ("CASE WHEN completed THEN 'complete' WHEN disposition = 'refused' THEN 'refusal' "
            "WHEN disposition = 'ineligible' THEN 'ineligible' WHEN disposition = 'undeliverable' THEN 'unknown_other' "
            "WHEN consented_at IS NOT NULL THEN 'progress:' || CAST(progress AS VARCHAR(3)) "
            "ELSE 'unknown_household' END")  # started, not submitted: classed by AAPOR's break-off rule when read
# Before migration 0012 (no invitations.progress): a started invitation with anything answered was a partial.
CATEGORY_BEFORE_PROGRESS = (
    "CASE WHEN completed THEN 'complete' WHEN disposition = 'refused' THEN 'refusal' "
    "WHEN disposition = 'ineligible' THEN 'ineligible' WHEN disposition = 'undeliverable' THEN 'unknown_other' "
    "WHEN consented_at IS NOT NULL THEN (CASE WHEN answered THEN 'partial' ELSE 'refusal' END) "
    "ELSE 'unknown_household' END")
MAIL_OUTCOME = ("'mail:' || CASE m.status WHEN 'sending' THEN 'queued' WHEN 'sent' THEN m.kind || 's_sent' "
                "ELSE m.status END")


def _day(dialect: str) -> str:
    # SQLite keeps a date as its ISO text already.
    return "to_char(completed_on, 'YYYY-MM-DD')" if dialect == "postgresql" else "completed_on"


def _invitation_counters(invitations: str, dialect: str) -> str:
    """The counters of a set of invitation rows (the table, or a trigger's changed rows)."""
    counters = (
        (CATEGORY, "NOT via_open_link"),
        ("'started'", "NOT via_open_link AND consented_at IS NOT NULL"),
        ("'open_link'", "via_open_link"),
        ("'open_started'", "via_open_link AND consented_at IS NOT NULL"),
        ("'open_completed'", "via_open_link AND completed"),
        (f"'day:' || {_day(dialect)}", "completed_on IS NOT NULL"),
        ("'mail:bounced'", "bounced"),
    )
    return " UNION ALL ".join(f"SELECT wave_id, group_code, {counter} AS counter FROM {invitations} AS r "
                              f"WHERE {where}" for counter, where in counters)


def _mail_outcomes(rows: str) -> str:
    return (f"SELECT i.wave_id, i.group_code, {MAIL_OUTCOME} AS counter FROM {rows} AS m "
            f"JOIN invitations AS i ON i.id = m.invitation_id")


def changes(table: str, new: str | None, old: str | None, dialect: str) -> tuple[str, str]:
    """(counters to add, counters to subtract) when `old` rows of `table` became `new` (None: none)."""
    counters = {
        "invitations": lambda rows: _invitation_counters(rows, dialect),
        "responses": lambda rows: f"SELECT wave_id, group_code, 'responses' AS counter FROM {rows} AS r",
        "mail_outbox": _mail_outcomes,
        "mail_opt_outs": lambda rows: ("SELECT i.wave_id, i.group_code, 'mail:opted_out' AS counter "
                                       f"FROM {rows} AS o JOIN invitations AS i ON i.id = o.invitation_id"),
    }[table]
    nothing = f"SELECT wave_id, group_code, counter FROM {TABLE} WHERE 1 = 0"
    return counters(new) if new else nothing, counters(old) if old else nothing


def apply_sql(plus: str, minus: str) -> str:
    """One statement adding `plus` and subtracting `minus`, tally rows in key order."""
    return (f"INSERT INTO {TABLE} (wave_id, group_code, counter, n) "
            f"SELECT wave_id, group_code, counter, SUM(d) FROM ("
            f"SELECT wave_id, group_code, counter, 1 AS d FROM ({plus}) AS p "
            f"UNION ALL SELECT wave_id, group_code, counter, -1 AS d FROM ({minus}) AS m"
            f") AS changes GROUP BY wave_id, group_code, counter HAVING SUM(d) <> 0 "
            f"ORDER BY wave_id, group_code, counter "
            f"ON CONFLICT (wave_id, group_code, counter) DO UPDATE SET n = {TABLE}.n + excluded.n")


def recount_sql(dialect: str) -> str:
    """Every counter of every wave, counted from the tables themselves."""
    everything = " UNION ALL ".join(changes(table, table, None, dialect)[0] for table in COLUMNS)
    return (f"SELECT wave_id, group_code, counter, COUNT(*) AS n FROM ({everything}) AS every_counter "
            f"GROUP BY wave_id, group_code, counter")


OPERATIONS = ("insert", "update", "delete")


def _triggers() -> list[tuple[str, str, str]]:
    """(table, operation, trigger name) of every tally trigger."""
    return [(table, operation, f"tally_{table}_{operation}") for table in COLUMNS for operation in OPERATIONS]


def trigger_names() -> list[str]:
    return [name for _, _, name in _triggers()]


def _row(prefix: str, table: str) -> str:
    """SQLite: the changed row as a one-row relation."""
    return "(SELECT " + ", ".join(f"{prefix}.{column} AS {column}" for column in COLUMNS[table]) + ")"


def _sqlite_trigger(table: str, operation: str) -> str:
    new = _row("NEW", table) if operation != "delete" else None
    old = _row("OLD", table) if operation != "insert" else None
    event = operation.upper() + (f" OF {', '.join(COLUMNS[table])}" if operation == "update" else "")
    return (f"CREATE TRIGGER tally_{table}_{operation} AFTER {event} ON {table} FOR EACH ROW BEGIN "
            f"{apply_sql(*changes(table, new, old, 'sqlite'))}; END")


def _postgres_trigger(table: str, operation: str) -> list[str]:
    new = "new_rows" if operation != "delete" else None
    old = "old_rows" if operation != "insert" else None
    name = f"tally_{table}_{operation}"
    referencing = " ".join(f"{kind} TABLE AS {rows}" for kind, rows in (("NEW", new), ("OLD", old)) if rows)
    return [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN "
            f"{apply_sql(*changes(table, new, old, 'postgresql'))}; RETURN NULL; END $body$",
            f"CREATE TRIGGER {name} AFTER {operation.upper()} ON {table} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]


@contextmanager
def before_progress() -> Iterator[None]:
    """The triggers' SQL as migrations 0009-0011 wrote it (before invitations.progress), for those migrations."""
    global CATEGORY
    now = CATEGORY, COLUMNS["invitations"]
    CATEGORY, COLUMNS["invitations"] = CATEGORY_BEFORE_PROGRESS, tuple(c for c in now[1] if c != "progress")
    try:
        yield
    finally:
        CATEGORY, COLUMNS["invitations"] = now


def drop(connection: Connection) -> None:
    """Remove the triggers (not the tallies)."""
    postgres = connection.dialect.name == "postgresql"
    for table, _, name in _triggers():
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def install(connection: Connection) -> None:
    """(Re)create every tally trigger."""
    drop(connection)
    for table, operation, _ in _triggers():
        statements = (_postgres_trigger(table, operation) if connection.dialect.name == "postgresql"
                      else [_sqlite_trigger(table, operation)])
        for statement in statements:
            connection.exec_driver_sql(statement)


def recount(connection: Connection) -> int:
    """Count every tally again from the tables; returns how many counters were wrong. Writers wait meanwhile."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"LOCK TABLE {', '.join(COLUMNS)} IN SHARE MODE")
        connection.exec_driver_sql(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
    else:
        connection.exec_driver_sql(f"DELETE FROM {TABLE} WHERE 1 = 0")  # takes the write lock first
    kept = {tuple(row[:3]): row[3] for row in connection.exec_driver_sql(
        f"SELECT wave_id, group_code, counter, n FROM {TABLE} WHERE n <> 0")}
    counted = {tuple(row[:3]): row[3] for row in connection.exec_driver_sql(recount_sql(connection.dialect.name))}
    wrong = sum(kept.get(key, 0) != counted.get(key, 0) for key in kept.keys() | counted.keys())
    connection.exec_driver_sql(f"DELETE FROM {TABLE}")
    if counted:  # what was just counted, not a second count
        connection.execute(text(f"INSERT INTO {TABLE} (wave_id, group_code, counter, n) VALUES (:w, :g, :c, :n)"),
                           [{"w": w, "g": g, "c": c, "n": n} for (w, g, c), n in counted.items()])
    return wrong


def of_wave(session: Session | Connection, wave_id: int) -> dict[tuple[str, str], int]:
    """(group, counter) -> count for one wave, leaving out counters at zero."""
    rows = session.execute(text(f"SELECT group_code, counter, n FROM {TABLE} WHERE wave_id = :wave AND n <> 0"),
                           {"wave": wave_id})
    return {(group, counter): n for group, counter, n in rows}
