"""Many responses at once: stored in bulk (executemany on SQLite, COPY on PostgreSQL), read back in
one query per table into the interchange frame. The respondent pages store one response at a time
through `operations`; imports, the demo and every export and comparison of a wave come through here.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .models import Answer, Response, Wave
from .tokens import new_receipt

META = ("group", "language", "respondent")


def _normalised(column: pd.Series) -> pd.Series:
    """Text cells with runs of white space folded to one space; blanks become missing."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Each distinct answer once, not each cell: categories are few.
        folded = column.map({c: " ".join(str(c).split()) or None for c in column.cat.categories}).astype(object)
    else:
        folded = column.map(lambda value: None if value is None or (isinstance(value, float) and np.isnan(value))
                            else " ".join(str(value).split()) or None)
    return folded.where(folded.notna(), None)


def store_frame(session: Session, wave: Wave, frame: pd.DataFrame, *, default_language: str, day) -> int:
    """Store every row of an interchange frame (group, language, respondent, item columns) as a response.

    The frame must already be checked against the wave's questionnaire. Nothing is committed here.
    """
    n = len(frame)
    if n == 0:
        return 0
    ids = [uuid.uuid4().hex for _ in range(n)]
    language = _normalised(frame["language"]).fillna(default_language) if "language" in frame else \
        pd.Series([default_language] * n)
    panel = _normalised(frame["respondent"]) if "respondent" in frame else pd.Series([None] * n)
    responses = list(zip(ids, [wave.id] * n, _normalised(frame["group"]), language, [day] * n, panel,
                         (new_receipt() for _ in range(n)), strict=False))
    items = [column for column in frame.columns if column not in META]
    long = pd.DataFrame({column: _normalised(frame[column]) for column in items}).assign(response_id=ids) \
        .melt(id_vars="response_id", var_name="item_id", value_name="value").dropna()
    answers = long.itertuples(index=False, name=None)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, "responses", ("id", "wave_id", "group_code", "language", "submitted_on", "panel_key",
                                        "receipt"), responses)
        _copy(connection, "answers", ("response_id", "item_id", "value"), answers)
    else:
        keys = ("id", "wave_id", "group_code", "language", "submitted_on", "panel_key", "receipt")
        connection.execute(insert(Response.__table__), [dict(zip(keys, row, strict=True)) for row in responses])
        if connection.dialect.name == "sqlite":
            # The DB-API's executemany with tuples: a third of the time of SQLAlchemy's dict parameters.
            connection.exec_driver_sql("INSERT INTO answers (response_id, item_id, value) VALUES (?, ?, ?)",
                                       list(answers))
        else:
            connection.execute(insert(Answer.__table__),
                               [{"response_id": r, "item_id": i, "value": v} for r, i, v in answers])
    return n


def _copy(connection, table: str, columns: tuple[str, ...], rows) -> None:
    """PostgreSQL's COPY FROM STDIN inside the session's transaction."""
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def wave_frame(session: Session, wave: Wave, columns: list[str]) -> pd.DataFrame:
    """Stored responses as the interchange frame: respondent, group, language, then `columns` (text, "" blank).

    Two queries (responses, answers), whatever the number of respondents; rows in group order.
    """
    responses = session.execute(
        select(Response.id, Response.panel_key, Response.group_code, Response.language)
        .where(Response.wave_id == wave.id).order_by(Response.group_code, Response.id)).all()
    ids = pd.Index([row[0] for row in responses])
    cells = np.full((len(ids), len(columns)), "", dtype=object)
    answers = session.execute(
        select(Answer.response_id, Answer.item_id, Answer.value)
        .join(Response, Response.id == Answer.response_id).where(Response.wave_id == wave.id)).all()
    if answers:
        response_ids, item_ids, values = zip(*answers, strict=True)
        rows = ids.get_indexer(response_ids)
        cols = pd.Index(columns).get_indexer(item_ids)
        known = cols >= 0  # answers to items the edition no longer asks are not exported
        cells[rows[known], cols[known]] = np.asarray(values, dtype=object)[known]
    frame = pd.DataFrame(cells, columns=columns)
    frame.insert(0, "language", [row[3] for row in responses])
    frame.insert(0, "group", [row[2] for row in responses])
    frame.insert(0, "respondent", [row[1] or "" for row in responses])
    return frame
