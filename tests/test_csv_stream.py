"""The CSV export streamed from stored records: the same bytes as the export of the wave's frame."""

import hashlib
import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import questionnaires
from survey import bulk, csv_stream, db, exports, operations, queries
from survey.models import Response

from .conftest import TWO_PAGES

# What a respondent can type (control characters are refused at input), weighted towards what CSV and
# spreadsheets treat specially: separators, quotes, line breaks, formula starts, signs of numbers.
TEXT = st.text(st.sampled_from(list(',"\n\r\t =+-@\'.0123456789eaZ') + ["ស", "្", "ា"]), max_size=12)
ROW = st.tuples(st.sampled_from(["", "P-1", "=HYPERLINK(1)", "-7", 'a,"b"']), st.sampled_from(["workers", "-gov"]),
                st.sampled_from(["en", "km"]), st.lists(TEXT, min_size=1, max_size=4))


def _frame_of(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """The frame bulk.wave_frame builds from the same records."""
    text = "\n".join([bulk._csv_line(columns), *(row[3] for row in rows)])
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
    stored = [(panel, group, language, bulk.record_of(dict(zip(columns, cells, strict=True)), columns))
              for panel, group, language, cells in rows]
    streamed = "".join(csv_stream.export_chunks(stored, columns)).encode("utf-8")
    assert streamed == exports.csv_bytes(_frame_of(stored, columns))
    assert csv_stream.export_sha256(stored, columns) == hashlib.sha256(streamed).hexdigest()


def test_a_lone_blank_answer_is_not_quoted():
    """With one item, a blank answer's record is '""' (the CSV writer quotes a lone empty cell)."""
    stored = [("", "workers", "en", bulk.record_of({}, ["q"]))]
    assert stored[0][3] == '""'
    assert "".join(csv_stream.export_chunks(stored, ["q"])) == "respondent,group,language,q\n,workers,en,\n"


def test_the_export_command_streams_the_same_bytes(app, runner, database_url, tmp_path):
    """`awareness export --format csv` from records equals the export of the frame, in batches too."""
    answers = [{"group": "workers", "heard": "yes", "comments": text}
               for text in ['two\nlines, "quoted"', "=1+2", "-9", "a lone\rreturn", "ស្អាត", ""]] * 7
    with app.app_context():
        session = db.session()
        wave = operations.create_wave(session, "2018", operations.store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        operations.store_responses(session, wave, answers)
        # What a respondent submits keeps its line breaks (imports fold them): set the records as submit does.
        columns = bulk.edition_columns(wave)
        for response, row in zip(session.query(Response).order_by(Response.id), answers, strict=True):
            response.record = bulk.record_of(row, columns)
        session.commit()
        expected = exports.csv_bytes(queries.wave_frame(session, wave))
        batched = "".join(csv_stream.export_chunks(csv_stream.stored_rows(session, wave, batch=4), columns))
        assert queries.wave_frame(session, wave, with_sha256=True)[1] == hashlib.sha256(expected).hexdigest()
    assert batched.encode("utf-8") == expected
    assert ",'=1+2," in batched and ",-9," in batched
    result = runner.invoke(args=["export", "2018", "--format", "csv", "--output", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.csv").read_bytes() == expected
    assert "wrote" in result.output and "42 responses" in result.output
    to_stdout = runner.invoke(args=["export", "2018"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout_bytes == expected


def test_rows_read_ahead_are_the_stored_rows_and_end_with_their_context(app, database_url):
    """A ReadAhead gives the rows of stored_rows from a thread of its own; left unread (the thread waiting
    to hand over a batch), its context ends the thread and gives the connection back; a failure is raised
    where the rows are read."""
    import threading

    import pytest
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    with app.app_context():
        session = db.session()
        wave = operations.create_wave(session, "2018", operations.store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        operations.store_responses(session, wave, [{"group": "workers", "heard": "yes", "comments": str(n)}
                                                   for n in range(42)])
        session.commit()
        stored, threads, engine = list(csv_stream.stored_rows(session, wave)), threading.active_count(), db.engine()
        with csv_stream.ReadAhead(engine, wave.id, ahead=1, batch=4) as rows:
            assert list(rows) == stored and len(stored) == 42
        with csv_stream.ReadAhead(engine, wave.id, ahead=1, batch=4):
            pass
        assert threading.active_count() == threads and engine.pool.checkedout() == 1  # the app's session's only
        with csv_stream.ReadAhead(create_engine("sqlite:////no/such/folder/x.sqlite"), wave.id, ahead=0) as rows:
            with pytest.raises(OperationalError):
                list(rows)


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
                text("EXPLAIN QUERY PLAN " + csv_stream.stored_rows_sql(connection.dialect, 1))))
            assert "COVERING INDEX ix_responses_export_order" in plan and "TEMP B-TREE" not in plan, plan
