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

from sqlalchemy.orm import Session

from questionnaires.cells import FORMULA_START, csv_cell

from ..models import Wave
from ..responses.stored import BATCH, records_complete, stored_batches

META = ["respondent", "group", "language"]
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


def wave_export(session: Session, wave: Wave, *, progress=None) -> Iterator[str] | None:
    """The wave's CSV export as pieces of text, read from its records in batches (`progress(n)` told of each
    batch of rows); None when some responses predate records, and the export must go through the frame."""
    from ..responses.records import edition_columns

    if not records_complete(session, wave):
        return None

    def rows():
        for batch in stored_batches(session, wave.id):  # fetched in batches already: progress by each
            yield from batch
            if progress is not None:
                progress(len(batch))

    return export_chunks(rows(), edition_columns(wave))
