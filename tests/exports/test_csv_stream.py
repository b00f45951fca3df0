"""The CSV export streamed from stored records: the same bytes as the export of the wave's frame."""

import hashlib
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires
from survey import db
from survey.exports import csv_stream
from survey.exports import writers as exports
from survey.models import Response
from survey.responses import operations, records
from survey.responses import stored as stored_waves
from survey.responses.queries import wave_frame
from survey.responses.stored import stored_rows, stored_rows_sql
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES

# What a respondent can type (control characters are refused at input), weighted towards what CSV and
# spreadsheets treat specially: separators, quotes, line breaks, formula starts, signs of numbers.
TEXT = st.text(st.sampled_from(list(',"\n\r\t =+-@\'.0123456789eaZ') + ["ស", "្", "ា"]), max_size=12)
ROW = st.tuples(st.sampled_from(["", "P-1", "=HYPERLINK(1)", "-7", 'a,"b"']), st.sampled_from(["workers", "-gov"]),
                st.sampled_from(["en", "km"]), st.lists(TEXT, min_size=1, max_size=4))


def _frame_of(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """The frame bulk.wave_frame builds from the same records."""
    text = "\n".join([records.csv_line(columns), *(row[3] for row in rows)])
    cells = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    frame = pd.DataFrame(cells.to_numpy(dtype=object), columns=columns)
    frame.insert(0, "language", [row[2] for row in rows])
    frame.insert(0, "group", [row[1] for row in rows])
    frame.insert(0, "respondent", [row[0] for row in rows])
    return frame


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(ROW.map(
    lambda row: (*row[:3], (row[3] * width)[:width])), max_size=6)))
def test_streamed_lines_are_the_frame_export_bytes(rows):
    width = len(rows[0][3]) if rows else 2
    columns = [f"q{index}" for index in range(width)]
    stored = [(panel, group, language, records.record_of(dict(zip(columns, cells, strict=True)), columns))
              for panel, group, language, cells in rows]
    streamed = "".join(csv_stream.export_chunks(stored, columns)).encode("utf-8")
    assert streamed == exports.csv_bytes(_frame_of(stored, columns))
    wave = stored_waves.WaveColumns.of_rows(stored)
    assert csv_stream.export_sha256(wave, columns) == hashlib.sha256(streamed).hexdigest()


def test_a_lone_blank_answer_is_not_quoted():
    """With one item, a blank answer's record is '""' (the CSV writer quotes a lone empty cell)."""
    stored = [("", "workers", "en", records.record_of({}, ["q"]))]
    assert stored[0][3] == '""'
    assert "".join(csv_stream.export_chunks(stored, ["q"])) == "respondent,group,language,q\n,workers,en,\n"


def test_the_export_command_streams_the_same_bytes(app, runner, database_url, tmp_path):
    """`awareness export --format csv` from records equals the export of the frame, in batches too."""
    answers = [{"group": "workers", "heard": "yes", "comments": text}
               for text in ['two\nlines, "quoted"', "=1+2", "-9", "a lone\rreturn", "ស្អាត", ""]] * 7
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2018", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        operations.store_responses(session, wave, answers)
        # What a respondent submits keeps its line breaks (imports fold them): set the records as submit does.
        columns = records.edition_columns(wave)
        for response, row in zip(session.query(Response).order_by(Response.id), answers, strict=True):
            response.record = records.record_of(row, columns)
        session.commit()
        expected = exports.csv_bytes(wave_frame(session, wave))
        batched = "".join(csv_stream.export_chunks(stored_rows(session, wave, batch=4), columns))
        assert wave_frame(session, wave, with_sha256=True)[1] == hashlib.sha256(expected).hexdigest()
    assert batched.encode("utf-8") == expected
    assert ",'=1+2," in batched and ",-9," in batched
    result = runner.invoke(args=["export", "2018", "--format", "csv", "--output", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.csv").read_bytes() == expected
    assert "wrote" in result.output and "42 responses" in result.output
    to_stdout = runner.invoke(args=["export", "2018"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout_bytes == expected


def test_waves_read_ahead_are_their_stored_rows_and_a_failure_is_raised_where_they_are_read(app, database_url):
    """WavesAhead gives each wave's rows of stored_rows, as columns, from a thread of its own that ends with
    its context and gives its connection back; a failure is raised where the columns are read."""
    import threading

    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        wave = create_wave(session, "2018", edition, status="closed")
        other = create_wave(session, "2019", edition, status="closed")
        operations.store_responses(session, wave, [{"group": "workers" if n % 3 else "employers", "heard": "yes",
                                                    "comments": str(n)} for n in range(42)])
        operations.store_responses(session, other, [{"group": "workers", "heard": "no"}] * 5)
        session.commit()
        threads, engine = threading.active_count(), db.engine()
        expected = {w.id: stored_waves.WaveColumns.of_rows(list(stored_rows(session, w)))
                    for w in (wave, other)}
        with stored_waves.read_ahead(session, wave, other) as ahead:
            assert ahead.columns(other.id) == expected[other.id] and len(expected[other.id].records) == 5
            assert ahead.columns(wave.id) == expected[wave.id] and len(expected[wave.id].records) == 42
        assert expected[wave.id].groups == sorted(expected[wave.id].groups)  # the export's order
        with stored_waves.read_ahead(session, wave, other):
            pass
        assert threading.active_count() == threads and engine.pool.checkedout() == 1  # the app's session's only
        with stored_waves.WavesAhead(create_engine("sqlite:////no/such/folder/x.sqlite"), [wave.id]) as ahead:
            with pytest.raises(OperationalError):
                ahead.columns(wave.id)


def test_stored_columns_are_the_rows_whatever_way_sqlite_reads_them(app, database_url):
    """On SQLite one aggregate query gives the columns; a separator inside a value, or a wave longer than
    SQLite's longest text, falls back to reading row by row, with the same result."""
    import sqlite3

    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2018", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        operations.store_responses(session, wave, [{"group": "workers", "heard": "yes", "comments": f"n{n}"}
                                                   for n in range(30)])
        session.commit()
        expected = stored_waves.WaveColumns.of_rows(list(stored_rows(session, wave)))
        assert stored_waves.stored_columns(session, wave.id) == expected
        empty = create_wave(session, "2019", wave.edition, status="closed")
        assert stored_waves.stored_columns(session, empty.id) == stored_waves.WaveColumns([], [], [], [])
        if session.connection().dialect.name != "sqlite":
            # What COPY escapes inside a value (backslashes, tabs, line breaks) comes back as it was stored.
            for response, tail in zip(session.query(Response).filter_by(wave_id=wave.id), [
                    ',"C:\\new\\tab\\"', ',"two\nlines\r\nand\ta tab"', ',ស្អាត\\n', ',\\\\'], strict=False):
                response.record += tail
            session.flush()
            rows = stored_waves.WaveColumns.of_rows(list(stored_rows(session, wave)))
            assert "\\" in "".join(rows.records) and stored_waves.stored_columns(session, wave.id) == rows
            connection = session.connection()  # split from COPY's text, not read again row by row
            sent = stored_waves.read_text(connection.connection.driver_connection, connection.dialect, wave.id)
            assert stored_waves.columns_of(sent) == rows
            session.rollback()
            return
        driver = session.connection().connection.driver_connection
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        driver.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 200)  # the texts joined are longer than this
        try:
            with pytest.raises(sqlite3.DataError):  # string or blob too big
                driver.execute(stored_waves.aggregated_sql(session.connection().dialect, wave.id)).fetchone()
            assert stored_waves.stored_columns(session, wave.id) == expected
        finally:
            driver.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limit)
        # A record holding the separator (which no answer can: cells.CONTROL refuses it) is read row by row.
        response = session.query(Response).filter_by(wave_id=wave.id).first()
        response.record = response.record + "\x1e"
        session.flush()
        rows = stored_waves.WaveColumns.of_rows(list(stored_rows(session, wave)))
        assert "\x1e" in "".join(rows.records) and stored_waves.stored_columns(session, wave.id) == rows
        session.rollback()


def test_a_wave_is_read_along_its_index_without_sorting(app, database_url):
    """Migration 0010: the export's order is an index's (on SQLite one holding every column read), not a sort."""
    from sqlalchemy import inspect, text

    with app.app_context():
        connection = db.session().connection()
        indexes = {index["name"]: index["column_names"] for index in inspect(connection).get_indexes("responses")}
        assert indexes["ix_responses_export_order"][:3] == ["wave_id", "group_code", "id"]
        assert "ix_responses_wave_id" not in indexes  # the new index begins with wave_id
        if connection.dialect.name == "sqlite":
            plan = " ".join(row[3] for row in connection.execute(
                text("EXPLAIN QUERY PLAN " + stored_rows_sql(connection.dialect, 1))))
            assert "COVERING INDEX ix_responses_export_order" in plan and "TEMP B-TREE" not in plan, plan
