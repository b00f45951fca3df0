"""Monitoring tallies: counts by wave, group and counter, kept by database triggers as each row changes.

The monitoring page of a wave with 100,000 invitations then reads a few dozen rows instead of
counting every invitation. The triggers are written once here, as SQL that turns a set of rows into
(wave_id, group_code, counter) rows: each change adds the counters of the new rows and subtracts
those of the old ones, in one statement that touches the tally rows in key order (so that two
transactions never wait for each other's tally rows in opposite orders).

- SQLite: row-level triggers (one writer at a time, so no contention).
- PostgreSQL: statement-level triggers over transition tables, so that a bulk write (100,000
  invitations in one INSERT) updates each tally row once.

Counters: the AAPOR categories of invitations (complete, partial, refusal, unknown_household,
unknown_other, ineligible), started, open_link/open_started/open_completed (open-link
invitations), day:YYYY-MM-DD (completions by day), responses (stored responses), and mail:...
(e-mail by outcome; mail:bounced and mail:opted_out count contacts).

A migration that rebuilds one of the tables below (Alembic's batch mode on SQLite copies a table and
drops the old one, its triggers with it) must call install() again; tests check every trigger exists.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

TABLE = "wave_tallies"

INVITATION_COLUMNS = ("id", "wave_id", "group_code", "completed", "disposition", "consented_at", "via_open_link",
                      "completed_on")
# The columns each table's triggers read; an UPDATE of no other column changes no tally (SQLite: UPDATE OF).
COLUMNS = {
    "invitations": INVITATION_COLUMNS,
    "drafts": ("invitation_id", "answered"),
    "responses": ("wave_id", "group_code"),
    "mail_outbox": ("id", "invitation_id", "kind", "status", "bounced_at"),
    "mail_opt_outs": ("invitation_id",),
}
CATEGORY = ("CASE WHEN completed THEN 'complete' WHEN disposition = 'refused' THEN 'refusal' "
            "WHEN disposition = 'ineligible' THEN 'ineligible' WHEN disposition = 'undeliverable' THEN 'unknown_other' "
            "WHEN consented_at IS NOT NULL THEN (CASE WHEN answered THEN 'partial' ELSE 'refusal' END) "
            "ELSE 'unknown_household' END")  # a break-off (consented, nothing answered) counts with refusals
MAIL_OUTCOME = ("'mail:' || CASE m.status WHEN 'sending' THEN 'queued' WHEN 'sent' THEN m.kind || 's_sent' "
                "ELSE m.status END")


def _day(dialect: str) -> str:
    # SQLite keeps a date as its ISO text already.
    return "to_char(completed_on, 'YYYY-MM-DD')" if dialect == "postgresql" else "completed_on"


def _invitation_counters(invitations: str, dialect: str) -> str:
    """The counters of a set of invitations with an `answered` column."""
    counters = (
        (CATEGORY, "NOT via_open_link"),
        ("'started'", "NOT via_open_link AND consented_at IS NOT NULL"),
        ("'open_link'", "via_open_link"),
        ("'open_started'", "via_open_link AND consented_at IS NOT NULL"),
        ("'open_completed'", "via_open_link AND completed"),
        (f"'day:' || {_day(dialect)}", "completed_on IS NOT NULL"),
    )
    return " UNION ALL ".join(f"SELECT wave_id, group_code, {counter} AS counter FROM {invitations} AS r "
                              f"WHERE {where}" for counter, where in counters)


def _with_answered(rows: str) -> str:
    """Invitation rows with whether their draft holds an answer."""
    columns = ", ".join(f"i.{column}" for column in INVITATION_COLUMNS)
    return (f"(SELECT {columns}, COALESCE((SELECT d.answered FROM drafts AS d WHERE d.invitation_id = i.id), "
            f"false) AS answered FROM {rows} AS i)")


def _drafted(rows: str, answered: str) -> str:
    """The invitations of a set of drafts, with `answered` as given (the draft's, or false: no draft)."""
    columns = ", ".join(f"i.{column}" for column in INVITATION_COLUMNS)
    return (f"(SELECT {columns}, {answered} AS answered FROM invitations AS i "
            f"JOIN {rows} AS d ON d.invitation_id = i.id)")


def _mail_outcomes(rows: str) -> str:
    return (f"SELECT i.wave_id, i.group_code, {MAIL_OUTCOME} AS counter FROM {rows} AS m "
            f"JOIN invitations AS i ON i.id = m.invitation_id")


def _bounced(touched: str, before: str) -> str:
    """Contacts with a bounced message, among the invitations in `touched`; `before` excludes and adds rows."""
    return (f"SELECT i.wave_id, i.group_code, 'mail:bounced' AS counter FROM invitations AS i "
            f"WHERE i.id IN ({touched}) AND {before}")


def _bounced_now(alias: str = "i") -> str:
    return (f"EXISTS (SELECT 1 FROM mail_outbox AS b WHERE b.invitation_id = {alias}.id "
            f"AND b.bounced_at IS NOT NULL)")


def _bounced_before(new: str | None, old: str | None) -> str:
    """Whether an invitation had a bounced message before the change: the table without `new`, plus `old`."""
    others = "" if new is None else f" AND b.id NOT IN (SELECT id FROM {new} AS n)"
    had = (f"EXISTS (SELECT 1 FROM mail_outbox AS b WHERE b.invitation_id = i.id "
           f"AND b.bounced_at IS NOT NULL{others})")
    if old is not None:
        had += (f" OR EXISTS (SELECT 1 FROM {old} AS o WHERE o.invitation_id = i.id "
                f"AND o.bounced_at IS NOT NULL)")
    return f"({had})"


def changes(table: str, new: str | None, old: str | None, dialect: str) -> tuple[str, str]:
    """(counters to add, counters to subtract) when `old` rows of `table` became `new` (None: none)."""
    plus, minus = [], []
    if table == "invitations":
        plus += [_invitation_counters(_with_answered(new), dialect)] if new else []
        minus += [_invitation_counters(_with_answered(old), dialect)] if old else []
    elif table == "drafts":
        # A draft moves its invitation from "nothing answered" to what the draft holds, or back.
        if new:
            plus.append(_invitation_counters(_drafted(new, "d.answered"), dialect))
            minus.append(_invitation_counters(_drafted(new, "false"), dialect))
        if old:
            minus.append(_invitation_counters(_drafted(old, "d.answered"), dialect))
            plus.append(_invitation_counters(_drafted(old, "false"), dialect))
    elif table == "responses":
        plus += [f"SELECT wave_id, group_code, 'responses' AS counter FROM {new} AS r"] if new else []
        minus += [f"SELECT wave_id, group_code, 'responses' AS counter FROM {old} AS r"] if old else []
    elif table == "mail_outbox":
        plus += [_mail_outcomes(new)] if new else []
        minus += [_mail_outcomes(old)] if old else []
        touched = " UNION ".join(f"SELECT invitation_id FROM {rows} AS t" for rows in (new, old) if rows)
        plus.append(_bounced(touched, _bounced_now()))
        minus.append(_bounced(touched, _bounced_before(new, old)))
    elif table == "mail_opt_outs":
        opted = ("SELECT i.wave_id, i.group_code, 'mail:opted_out' AS counter FROM {} AS o "
                 "JOIN invitations AS i ON i.id = o.invitation_id")
        plus += [opted.format(new)] if new else []
        minus += [opted.format(old)] if old else []
    else:
        raise ValueError(f"no tallies for table {table}")
    nothing = "SELECT wave_id, group_code, 'none' AS counter FROM wave_tallies WHERE 1 = 0"
    return " UNION ALL ".join(plus) or nothing, " UNION ALL ".join(minus) or nothing


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
    everything = " UNION ALL ".join((
        _invitation_counters(_with_answered("invitations"), dialect),
        "SELECT wave_id, group_code, 'responses' AS counter FROM responses AS r",
        _mail_outcomes("mail_outbox"),
        f"SELECT i.wave_id, i.group_code, 'mail:bounced' AS counter FROM invitations AS i WHERE {_bounced_now()}",
        "SELECT i.wave_id, i.group_code, 'mail:opted_out' AS counter FROM mail_opt_outs AS o "
        "JOIN invitations AS i ON i.id = o.invitation_id",
    ))
    return (f"SELECT wave_id, group_code, counter, COUNT(*) AS n FROM ({everything}) AS every_counter "
            f"GROUP BY wave_id, group_code, counter")


OPERATIONS = ("insert", "update", "delete")
SOURCES = ("invitations", "mail_opt_outs", "mail_outbox", "responses")  # read (locked) while recounting


def trigger_names() -> list[str]:
    return [f"tally_{table}_{operation}" for table in COLUMNS for operation in OPERATIONS]


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


def drop(connection: Connection) -> None:
    """Remove the triggers (not the tallies)."""
    postgres = connection.dialect.name == "postgresql"
    for name in trigger_names():
        table = name.removeprefix("tally_").rsplit("_", 1)[0]
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def install(connection: Connection) -> None:
    """(Re)create every tally trigger."""
    drop(connection)
    for table in COLUMNS:
        for operation in OPERATIONS:
            if connection.dialect.name == "postgresql":
                for statement in _postgres_trigger(table, operation):
                    connection.exec_driver_sql(statement)
            else:
                connection.exec_driver_sql(_sqlite_trigger(table, operation))


def recount(connection: Connection) -> int:
    """Count every tally again from the tables; returns how many counters were wrong. Writers wait meanwhile."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"LOCK TABLE {', '.join(SOURCES)}, drafts IN SHARE MODE")
        connection.exec_driver_sql(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
    else:
        connection.exec_driver_sql(f"DELETE FROM {TABLE} WHERE 1 = 0")  # takes the write lock first
    kept = {tuple(row[:3]): row[3] for row in connection.exec_driver_sql(
        f"SELECT wave_id, group_code, counter, n FROM {TABLE} WHERE n <> 0")}
    counted = {tuple(row[:3]): row[3] for row in connection.exec_driver_sql(recount_sql(connection.dialect.name))}
    wrong = sum(kept.get(key, 0) != counted.get(key, 0) for key in kept.keys() | counted.keys())
    connection.exec_driver_sql(f"DELETE FROM {TABLE}")
    connection.exec_driver_sql(f"INSERT INTO {TABLE} (wave_id, group_code, counter, n) "
                               f"{recount_sql(connection.dialect.name)}")
    return wrong


def of_wave(session: Session | Connection, wave_id: int) -> dict[tuple[str, str], int]:
    """(group, counter) -> count for one wave, leaving out counters at zero."""
    rows = session.execute(text(f"SELECT group_code, counter, n FROM {TABLE} WHERE wave_id = :wave AND n <> 0"),
                           {"wave": wave_id})
    return {(group, counter): n for group, counter, n in rows}
