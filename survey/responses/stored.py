"""A wave's stored rows read at once for a comparison, as columns, from texts the database builds.

A comparison holds every answer of both waves anyway, so it need not read them row by row (the export
does, in bounded memory: `csv_stream`). Each wave is one text built by the database (SQLite joins each
column with `group_concat`, PostgreSQL sends the rows by COPY); one thread fetches both waves from the
moment they are found: the database works, and the thread waits, while Python's lock is free for this
process to import the analysis. Python then splits the texts into columns with a few calls in C.

`stored_wave` and `stored_comparison` give each wave, and everything else a comparison reads of the
database, as plain data (`stored_comparison`), in this process or in `compare`'s reading process.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import compress, count, repeat
from operator import contains, itemgetter
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..models import Response, Wave

ROW = "\x1e"  # the record separator: a control character no answer holds (cells.CONTROL refuses it)


class WaveColumns(NamedTuple):
    """A wave's stored rows in the export's order (`stored_rows`), as four lists."""

    panels: list[str]
    groups: list[str]
    languages: list[str]
    records: list[str]

    @classmethod
    def of_rows(cls, rows: list[tuple]) -> WaveColumns:
        # Columns by itemgetter: a loop in C (zip(*rows) takes a million arguments).
        return cls(*(list(map(itemgetter(i), rows)) for i in range(4)))


def aggregated_sql(dialect, wave_id: int) -> str:
    """SQLite: one row, the count of the wave's responses and each column of `stored_rows_sql` joined.

    The rows come from `stored_rows_sql` as a co-routine, in its order: SQLite does not flatten a subquery
    with ORDER BY into an aggregate. As BLOBs: bytes are copied, not decoded, while the thread holds the lock.
    """
    joined = ", ".join(f"CAST(group_concat({column}, char(30)) AS BLOB)" for column in
                       ("panel_key", "group_code", "language", "record"))
    return f"SELECT count(*), {joined} FROM ({stored_rows_sql(dialect, wave_id)})"  # noqa: S608 (the id is an int)


def copy_sql(dialect, wave_id: int) -> str:
    """PostgreSQL: the rows of `stored_rows_sql` in COPY's text format (a tab between cells, a row a line)."""
    return f"COPY ({stored_rows_sql(dialect, wave_id)}) TO STDOUT"


def read_text(driver, dialect, wave_id: int):
    """What the database sends of a wave, not yet decoded: (count, four BLOBs) on SQLite, COPY's bytes else.

    None on SQLite when the texts would pass its longest text (a billion bytes): read row by row then.
    A driver's error is raised as SQLAlchemy's, as every other read raises it.
    """
    sql = (aggregated_sql if dialect.name == "sqlite" else copy_sql)(dialect, wave_id)
    try:
        if dialect.name == "sqlite":
            return driver.execute(sql).fetchone()
        data = bytearray()
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for block in copy:
                data += block
        return bytes(data)
    except sqlite3.DataError:  # string or blob too big
        return None
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error) from error


def columns_of(text) -> WaveColumns | None:
    """The columns in `read_text`'s result; None when they cannot be split safely (then read row by row)."""
    if text is None:
        return None
    if isinstance(text, tuple):  # SQLite
        rows, *blobs = text
        columns = [blob.decode("utf-8").split(ROW) if rows else [] for blob in blobs]
        # A separator inside a value would shift the columns: counted, and read row by row if one is found.
        return WaveColumns(*columns) if all(len(column) == rows for column in columns) else None
    # A tab or line break inside a value comes escaped (as do backslashes): the bare ones end cells and rows.
    cells = text.decode("utf-8").replace("\n", "\t").split("\t")
    cells.pop()  # after the last line's line feed
    if len(cells) % 4:
        return None
    if b"\\" in text:
        for index in compress(count(), map(contains, cells, repeat("\\"))):
            cells[index] = _COPY_ESCAPE.sub(_unescaped, cells[index])
    return WaveColumns(cells[0::4], cells[1::4], cells[2::4], cells[3::4])


# What COPY TO writes for a backslash, a line break, a tab and the control characters it escapes by letter.
_COPY_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPED = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}


def _unescaped(match: re.Match) -> str:
    return _ESCAPED.get(match.group(1), match.group(1))  # any other character stands for itself


def stored_columns(session: Session, wave_id: int) -> WaveColumns:
    """The wave's `stored_rows` as columns: from the database's text, or row by row when it cannot be split."""
    connection = session.connection()
    columns = columns_of(read_text(connection.connection.driver_connection, connection.dialect, wave_id))
    return columns if columns is not None else rows_read(session, wave_id)


def rows_read(session: Session, wave_id: int) -> WaveColumns:
    return WaveColumns.of_rows([row for batch in stored_batches(session, wave_id) for row in batch])


class WavesAhead:
    """Waves' `stored_columns`, their texts fetched one wave after the other by a worker thread from the moment
    it is made: the database works, and the thread waits, while this one imports the analysis."""

    def __init__(self, engine, wave_ids: list[int]):
        self._engine = engine
        self._pool = ThreadPoolExecutor(max_workers=1)  # one reader: a second would share two cores with this one
        self._texts = {wave_id: self._pool.submit(self._fetch, wave_id) for wave_id in wave_ids}

    def _fetch(self, wave_id: int):
        with self._engine.connect() as connection:  # back to the pool (rolled back) at the end
            return read_text(connection.connection.driver_connection, self._engine.dialect, wave_id)

    def columns(self, wave_id: int) -> WaveColumns:
        """The wave's columns, once read; the reading's error raised here."""
        columns = columns_of(self._texts.pop(wave_id).result())
        if columns is None:
            with Session(self._engine) as session:
                return rows_read(session, wave_id)
        return columns

    def __enter__(self) -> WavesAhead:
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(cancel_futures=True)  # its connection back to the pool before the engine goes


def read_ahead(session: Session, *waves) -> WavesAhead:
    """The waves' columns, fetched by a thread from now on (see WavesAhead)."""
    return WavesAhead(session.get_bind(), [wave.id for wave in waves])


BATCH = 10_000  # rows fetched at a time: bounded memory on every database


def records_complete(session: Session, wave: Wave) -> bool:
    """Whether every response of the wave carries its record (those stored before records existed do not)."""
    # One look in a partial index of the responses without a record (none, for responses stored since).
    return session.scalar(select(Response.id).where(Response.wave_id == wave.id, Response.record.is_(None))
                          .limit(1)) is None


def stored_rows(session: Session, wave: Wave, *, batch: int = BATCH) -> Iterator[tuple]:
    """(panel_key, group, language, record) of every response, in the export's order, fetched in batches."""
    for chunk in stored_batches(session, wave.id, batch=batch):
        yield from chunk


def stored_batches(session: Session, wave_id: int, *, batch: int = BATCH) -> Iterator[list[tuple]]:
    """The rows of `stored_rows`, a list of at most `batch` at a time.

    Through the driver's own cursor: SQLAlchemy's result rows cost more than the query itself at
    100,000 responses. On PostgreSQL a named (server-side) cursor, so that rows arrive batch by batch.
    """
    connection = session.connection()
    sql = stored_rows_sql(connection.dialect, wave_id)
    driver = connection.connection.driver_connection
    postgres = connection.dialect.name == "postgresql"
    cursor = driver.cursor(name="awareness_export") if postgres else driver.cursor()
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(batch):
            yield chunk
    finally:
        cursor.close()


def stored_rows_sql(dialect, wave_id: int) -> str:
    """The query of `stored_rows`, as text for the driver; ix_responses_export_order gives its order.

    A response outside a panel has no key: "" here, as in the export (and as COPY can send it).
    """
    statement = (select(func.coalesce(Response.panel_key, "").label("panel_key"), Response.group_code,
                        Response.language, Response.record)
                 .where(Response.wave_id == wave_id).order_by(Response.group_code, Response.id))
    # The only values in the statement are the wave's integer id and "", so literal binds are safe here.
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
