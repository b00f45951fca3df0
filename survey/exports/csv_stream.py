"""The CSV export of a wave written straight from its responses' records, line by line.

The same bytes as `exports.to_csv` of the wave's frame (a test holds them equal on hostile answers),
without building the frame: memory stays bounded whatever the size of the wave, and a comparison
hashes a wave's export in a fraction of the time. A record is already its export line unless one of
its cells is quoted or could start a formula; only those records are parsed and written again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from itertools import compress, count, islice, repeat
from operator import add, contains, itemgetter, methodcaller

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from questionnaires.cells import FORMULA_START, csv_cell

from ..models import Response, Wave

META = ["respondent", "group", "language"]
BATCH = 10_000  # rows fetched at a time: bounded memory on every database
# The records written again for their export: those with a carriage return (csv_cell makes it a line feed) or
# a cell, quoted or not, that begins like a formula (csv_cell may neutralise it), and the lone blank cell '""'.
# Quotes alone are not: both CSV writers quote the same cells the same way.
_STARTS = (*FORMULA_START, *(f'"{c}' for c in FORMULA_START))  # how a record whose first cell does begins
_AFTER_COMMA = re.compile(',"?[=+\\-@\t]')  # a later cell that does (or a comma and sign within quotes)
_MAYBE_AFTER_COMMA = re.compile(',[=+\\-@\t"]')  # the same or a quoted cell: a scan twice as fast
_PREFIX, _RECORD = itemgetter(0, 1, 2), itemgetter(3)


def _line(values) -> str:
    """One CSV line as pandas' to_csv writes it (line feed terminated)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def csv_line(values) -> str:
    """One CSV line, without its terminator, as a response's record is stored: every line break inside a
    value is quoted (Python's CSV writer quotes a cell holding a character of its "\\r\\n" terminator)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue().removesuffix("\r\n")


def records_text(columns: list[str], records: list[str]) -> str:
    """A CSV text of stored records under a header of their columns (a blank record is a blank line)."""
    return "\n".join([csv_line(columns), *records])


def _export_record(record: str) -> str:
    """A stored record as the item cells of its export line (csv_cell applied to each)."""
    # Written after a first cell, as in the export's line: a lone empty cell is not quoted there.
    return _line(["", *(csv_cell(cell) for cell in next(csv.reader([record])))])[1:-1]


def _prefix(panel: str, group: str, language: str) -> str:
    """The export line's first three cells and the comma after them."""
    return _line([csv_cell(panel), csv_cell(group), csv_cell(language)])[:-1] + ","


def _rewritten(records: list[str]) -> list[str]:
    """The records of a batch as their export writes them."""
    # Loops in C (map, compress): a Python loop over a million records takes seconds. No carriage return and
    # no formula sign anywhere in the batch (one memchr scan per character), and nothing needs rewriting.
    if any(c in "".join(records) for c in FORMULA_START):  # carriage return included
        maybe = compress(count(), map(_MAYBE_AFTER_COMMA.search, records))
        indices = {index for index in maybe if _AFTER_COMMA.search(records[index])}
        indices.update(compress(count(), map(methodcaller("startswith", _STARTS), records)))
        indices.update(compress(count(), map(contains, records, repeat("\r"))))
        for index in indices:
            records[index] = _export_record(records[index])
    if '""' in records:  # a questionnaire of one item
        records = [_export_record(record) if record == '""' else record for record in records]
    return records


def _lines(keys: list[tuple], records: list[str]) -> str:
    """The export lines of one batch: each (panel_key, group, language) key's cells, then its record's."""
    # Loops in C (map, join): a loop in Python over a million rows took seconds.
    records = _rewritten(records)
    prefixes = {key: _prefix(*key) for key in set(keys)}
    return "\n".join(map(add, map(prefixes.__getitem__, keys), records)) + "\n"


def export_chunks(rows: Iterable[tuple], columns: list[str]) -> Iterator[str]:
    """The export's text in pieces of many lines: a header, then one line per (panel_key, group, language,
    record) row."""
    yield _line(META + columns)
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        yield _lines(list(map(_PREFIX, batch)), list(map(_RECORD, batch)))


def export_sha256(wave, columns: list[str]) -> str:
    """The SHA-256 of the export of a wave's columns (a `stored_waves.WaveColumns`), batch by batch."""
    digest = hashlib.sha256()
    digest.update(_line(META + columns).encode("utf-8"))
    keys = list(zip(wave.panels, wave.groups, wave.languages, strict=True))
    for start in range(0, len(keys), BATCH):
        digest.update(_lines(keys[start:start + BATCH], wave.records[start:start + BATCH]).encode("utf-8"))
    return digest.hexdigest()


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


def wave_export(session: Session, wave: Wave, *, progress=None) -> Iterator[str] | None:
    """The wave's CSV export as pieces of text, read from its records in batches (`progress(n)` told of each
    batch of rows); None when some responses predate records, and the export must go through the frame."""
    from ..responses.bulk import edition_columns

    if not records_complete(session, wave):
        return None

    def rows():
        for batch in stored_batches(session, wave.id):  # fetched in batches already: progress by each
            yield from batch
            if progress is not None:
                progress(len(batch))

    return export_chunks(rows(), edition_columns(wave))
