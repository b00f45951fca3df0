"""Many responses at once: stored in bulk (executemany on SQLite, COPY on PostgreSQL), read back in
one query per table into the interchange frame. The respondent pages store one response at a time
through `operations`; imports, the demo and every export and comparison of a wave come through here.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from contextlib import contextmanager
from operator import itemgetter

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..exports import csv_stream
from ..exports.writers import csv_bytes
from ..invitations.tokens import RECEIPT_ALPHABET
from ..models import Answer, Response, Wave
from . import stored as stored_waves
from .frames import records_frame, with_keys
from .records import csv_line, edition_columns, records_text
from .stored import records_complete

META = ("group", "language", "respondent")
ROWS = 20_000  # respondents stored at a time: bounded memory, and a step of the progress bar


def _normalised(column: pd.Series) -> np.ndarray:
    """Text cells with runs of white space folded to one space; blanks become None (NULL, never "nan")."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Each distinct answer once, not each cell: categories are few.
        folded = column.map({c: " ".join(str(c).split()) for c in column.cat.categories}).to_numpy(dtype=object)
    else:
        folded = np.array([None if value is None or (isinstance(value, float) and np.isnan(value))
                           else " ".join(str(value).split()) for value in column], dtype=object)
    blank = pd.isna(folded) | (folded == "")
    folded[blank] = None
    return folded


def _receipts(n: int) -> list[str]:
    """n receipt numbers as tokens.new_receipt makes them, from one call to the system's random source."""
    # 32 letters and digits: a random byte modulo 32 is uniform, since 256 is a multiple of 32.
    alphabet = np.frombuffer(RECEIPT_ALPHABET.encode(), dtype="S1")
    letters = alphabet[np.frombuffer(secrets.token_bytes(12 * n), dtype=np.uint8) % 32].reshape(n, 12)
    codes = letters.view("S12").ravel().astype(str)
    return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]


def store_frame(session: Session, wave: Wave, frame: pd.DataFrame, *, default_language: str, day,
                import_id: int | None = None, progress=None) -> int:
    """Store every row of an interchange frame (group, language, respondent, item columns) as a response.

    The frame must already be checked against the wave's questionnaire. Nothing is committed here.
    `day` is the submission day of every row, or a list with each row's; `import_id` names the import
    that brought the rows; `progress(n)` is called as respondents are stored.
    """
    n = len(frame)
    if n == 0:
        return 0
    ids = np.array([uuid.uuid4().hex for _ in range(n)], dtype=object)
    # Rows are written in the order of their random ids, so that every insert appends to the
    # primary-key index instead of landing at a random page of it; a chunk of rows at a time, so
    # that memory stays bounded whatever the size of the file.
    order = np.argsort(ids)
    days = np.asarray(day if isinstance(day, list | tuple) else [day] * n, dtype=object)
    columns = edition_columns(wave)
    with _large_cache(session):
        for begin in range(0, n, ROWS):
            rows = order[begin:begin + ROWS]
            _store_rows(session, wave, frame.iloc[rows], ids[rows], days[rows], columns, default_language,
                        import_id)
            if progress is not None:
                progress(len(rows))
    return n


@contextmanager
def _large_cache(session: Session):
    """On SQLite, a page cache of 256 MB while a file is stored: the random ids of a new wave land between
    those already stored, and SQLite's default 2 MB cache would read the same index pages again and again."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size=-262144")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def _store_rows(session: Session, wave: Wave, frame: pd.DataFrame, ids: np.ndarray, days: np.ndarray,
                columns: list[str], default_language: str, import_id: int | None) -> None:
    """One chunk of store_frame: its responses, then their answers."""
    n = len(frame)
    language = _normalised(frame["language"]) if "language" in frame else np.full(n, None, dtype=object)
    language[pd.isna(language)] = default_language
    panel = _normalised(frame["respondent"]) if "respondent" in frame else np.full(n, None, dtype=object)
    items = [column for column in frame.columns if column not in META]
    cells = np.column_stack([_normalised(frame[column]) for column in items]) if items \
        else np.empty((n, 0), dtype=object)
    responses = list(zip(ids, [wave.id] * n, _normalised(frame["group"]), language, days, panel, _receipts(n),
                         [import_id] * n, _records(cells, items, columns), strict=True))
    rows, positions = np.nonzero(pd.notna(cells))
    answers = list(zip(ids[rows], np.asarray(items, dtype=object)[positions], cells[rows, positions], strict=True))
    connection = session.connection()
    keys = ("id", "wave_id", "group_code", "language", "submitted_on", "panel_key", "receipt", "import_id", "record")
    if connection.dialect.name == "postgresql":
        _copy(connection, "responses", keys, responses)
        _copy(connection, "answers", ("response_id", "item_id", "value"), answers)
    elif connection.dialect.name == "sqlite":
        connection.execute(insert(Response.__table__), [dict(zip(keys, row, strict=True)) for row in responses])
        # The DB-API's executemany with tuples: a third of the time of SQLAlchemy's dict parameters.
        connection.exec_driver_sql("INSERT INTO answers (response_id, item_id, value) VALUES (?, ?, ?)", answers)
    else:
        connection.execute(insert(Response.__table__), [dict(zip(keys, row, strict=True)) for row in responses])
        connection.execute(insert(Answer.__table__),
                           [{"response_id": r, "item_id": i, "value": v} for r, i, v in answers])


def _records(cells: np.ndarray, items: list[str], columns: list[str]) -> list[str]:
    """Each row of `cells` (answers to `items`, None blank) as a CSV record in the order of `columns`."""
    position = {item: index for index, item in enumerate(items)}
    ordered = np.full((len(cells), len(columns)), "", dtype=object)
    for index, column in enumerate(columns):
        if column in position:
            values = cells[:, position[column]]
            ordered[:, index] = np.where(pd.isna(values), "", values)
    return [csv_line(row) for row in ordered]


def _copy(connection, table: str, columns: tuple[str, ...], rows) -> None:
    """PostgreSQL's COPY FROM STDIN inside the session's transaction."""
    import psycopg

    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.errors.IntegrityError as error:
        # As SQLAlchemy would have raised it, so that callers catch one kind of error on every database.
        raise IntegrityError(statement, None, error) from error


def wave_frame(session: Session, wave: Wave, columns: list[str], *, categorical: bool = False,
               with_sha256: bool = False):
    """Stored responses as the interchange frame: respondent, group, language, then `columns` (text, "" blank).

    One query when every response carries its record (the CSV reader parses them, as from a file);
    otherwise two (responses, answers). Rows in group order. `categorical`: item columns may come as
    pandas categoricals, as the analysis reads files (one small integer per cell). `with_sha256`:
    (frame, SHA-256 of the wave's CSV export) from the same rows.
    """
    if columns == edition_columns(wave) and records_complete(session, wave):
        stored = stored_waves.stored_columns(session, wave.id)
        panels, groups, languages = stored.panels, stored.groups, stored.languages
        frame = records_frame(records_text(columns, stored.records), columns, categorical=categorical)
        sha256 = csv_stream.export_sha256(stored, columns) if with_sha256 else None
        del stored
    else:
        responses = session.execute(
            select(Response.id, Response.panel_key, Response.group_code, Response.language)
            .where(Response.wave_id == wave.id).order_by(Response.group_code, Response.id)).all()
        frame = pd.DataFrame(_answer_cells(session, wave, [row[0] for row in responses], columns), columns=columns)
        _ids, panels, groups, languages = (list(map(itemgetter(i), responses)) for i in range(4))
        sha256 = None
    with_keys(frame, panels, groups, languages)
    if not with_sha256:
        return frame
    if sha256 is None:
        sha256 = hashlib.sha256(csv_bytes(frame)).hexdigest()
    return frame, sha256


def _answer_cells(session: Session, wave: Wave, response_ids: list[str], columns: list[str]) -> np.ndarray:
    """The answers table read into a (responses x columns) table of text, "" blank."""
    ids = pd.Index(response_ids)
    cells = np.full((len(ids), len(columns)), "", dtype=object)
    answers = session.execute(
        select(Answer.response_id, Answer.item_id, Answer.value)
        .join(Response, Response.id == Answer.response_id).where(Response.wave_id == wave.id)).all()
    if answers:
        response_of, item_ids, values = zip(*answers, strict=True)
        rows = ids.get_indexer(response_of)
        cols = pd.Index(columns).get_indexer(item_ids)
        known = cols >= 0  # answers to items the edition no longer asks are not exported
        cells[rows[known], cols[known]] = np.asarray(values, dtype=object)[known]
    return cells
