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
import threading
from itertools import compress, count, repeat
from operator import contains, itemgetter
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..comparison.stored import StoredComparison, StoredWave
from ..exports import csv_stream
from ..exports.csv_stream import stored_batches, stored_rows_sql
from ..models import BaselineCount, GroupPopulation, Wave, WaveImport
from ..waves import crosswalk, queries

ROW = "\x1e"  # the record separator: a control character no answer holds (cells.CONTROL refuses it)


class WaveColumns(NamedTuple):
    """A wave's stored rows in the export's order (`csv_stream.stored_rows`), as four lists."""

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
    """Waves' `stored_columns`, their texts fetched one wave after the other by a thread of its own from the
    moment it is made (one thread: with a second, the two readers and this process share two cores)."""

    def __init__(self, engine, wave_ids: list[int]):
        self._engine = engine
        self._texts: dict[int, object] = {}
        self._read = {wave_id: threading.Event() for wave_id in wave_ids}
        self._thread = threading.Thread(target=self._fetch, args=(wave_ids,), daemon=True)
        self._thread.start()

    def _fetch(self, wave_ids: list[int]) -> None:
        # The thread holds Python's lock only to start each query and to copy the bytes it gets back.
        try:
            with self._engine.connect() as connection:  # back to the pool (rolled back) at the end
                for wave_id in wave_ids:
                    self._texts[wave_id] = read_text(connection.connection.driver_connection,
                                                     self._engine.dialect, wave_id)
                    self._read[wave_id].set()
        except Exception as error:  # raised again where the columns are read
            for wave_id, read in self._read.items():
                if not read.is_set():
                    self._texts[wave_id] = error
                    read.set()

    def columns(self, wave_id: int) -> WaveColumns:
        """The wave's columns, once read; the reading's error raised here."""
        self._read[wave_id].wait()
        text = self._texts.pop(wave_id)
        if isinstance(text, Exception):
            raise text
        columns = columns_of(text)
        if columns is None:
            with Session(self._engine) as session:
                return rows_read(session, wave_id)
        return columns

    def __enter__(self) -> WavesAhead:
        return self

    def __exit__(self, *exc) -> None:
        self._thread.join()  # its connection back to the pool before the engine may be disposed of


def read_ahead(session: Session, *waves) -> WavesAhead:
    """The waves' columns, fetched by a thread from now on (see WavesAhead)."""
    return WavesAhead(session.get_bind(), [wave.id for wave in waves])


def stored_comparison(session: Session, baseline: Wave, current: Wave, *, population: bool = False) \
        -> StoredComparison:
    """What the comparison of `current` with `baseline` reads from the database beside the waves themselves
    (`stored_wave`). `population`: also the sizes stored with the current wave (empty when none are)."""
    rows = crosswalk.crosswalk(session, current, baseline)
    return StoredComparison(questionnaire=queries.questionnaire_of(current.edition), rows=tuple(rows),
                            notes=tuple(crosswalk.notes(rows, baseline)),
                            population=stored_population(session, current) if population else None)


def stored_wave(session: Session, wave: Wave, ahead: WavesAhead | None = None) -> StoredWave:
    """The wave's imported counts, or its responses (`ahead`: a `read_ahead` reading it already)."""
    counts = session.scalars(select(BaselineCount).where(BaselineCount.wave_id == wave.id)).all()
    if counts:
        record = session.scalars(select(WaveImport).where(WaveImport.wave_id == wave.id)).first()
        return StoredWave(wave.slug, record.sha256 if record else None,
                          counts=tuple((c.item_id, c.code, c.count, c.group_code) for c in counts))
    columns = [item.id for item in queries.questionnaire_of(wave.edition).answerable_items]
    if not csv_stream.records_complete(session, wave):
        from .bulk import wave_frame  # pandas: only for responses stored before records existed

        frame, sha256 = wave_frame(session, wave, columns, categorical=True, with_sha256=True)
        return StoredWave(wave.slug, sha256, frame=frame)
    stored = stored_columns(session, wave.id) if ahead is None else ahead.columns(wave.id)
    # The hash of its `awareness export` file, which a reviewer can be handed.
    return StoredWave(wave.slug, csv_stream.export_sha256(stored, columns), columns=tuple(columns),
                      keys=(stored.panels, stored.groups, stored.languages),
                      records=csv_stream.records_text(columns, stored.records))


def stored_population(session: Session, wave: Wave) -> dict[str, int]:
    """The population sizes stored with a wave: group -> size (empty when none are stored)."""
    rows = session.scalars(select(GroupPopulation).where(GroupPopulation.wave_id == wave.id)).all()
    return {row.group_code: row.size for row in rows}
