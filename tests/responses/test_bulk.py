"""Bulk storage and reading of responses: what goes in comes back, in any order of ids."""

import re

import pandas as pd
import pytest

import questionnaires
from survey import db
from survey.db import now
from survey.invitations.operations import Contact, create_invitations
from survey.responses import bulk, operations, records
from survey.responses.queries import wave_frame
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES


def test_receipts_look_like_single_receipts():
    receipts = bulk._receipts(2000)
    assert len(set(receipts)) == 2000
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", r) for r in receipts)
    assert set("".join(receipts).replace("-", "")) == set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def test_stored_frame_reads_back(app, database_url, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS", 70)  # several chunks, the last one short
    frame = pd.DataFrame({
        "group": ["workers", "government", "workers"] * 100,
        "language": ["en", None, "km"] * 100,
        "heard": ["yes", "no", None] * 100,
        "areas": ["gov  dev", None, " dev "] * 100,
        "comments": ["a\tb", "", "ស្អាត"] * 100,
    })
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2017", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        steps = []
        assert bulk.store_frame(session, wave, frame.astype("category"), default_language="km",
                                day=now().date(), progress=steps.append) == 300
        session.commit()
        back = wave_frame(session, wave)
    assert steps == [70, 70, 70, 70, 20]
    assert len(back) == 300 and list(back["group"][:3]) == ["government"] * 3  # rows in group order
    got = back.sort_values(["group", "comments"]).reset_index(drop=True)
    expected = pd.DataFrame({
        "group": ["government"] * 100 + ["workers"] * 200,
        "language": ["km"] * 100 + ["en"] * 100 + ["km"] * 100,
        "heard": ["no"] * 100 + ["yes"] * 100 + [""] * 100,
        "areas": [""] * 100 + ["gov dev"] * 100 + ["dev"] * 100,
        "comments": [""] * 100 + ["a b"] * 100 + ["ស្អាត"] * 100,
    })
    for column in expected:
        assert list(got[column]) == list(expected[column]), column
    assert set(back["respondent"]) == {""}


def test_records_read_back_exactly_as_the_answers_table(app, database_url):
    """A wave read from its responses' records equals the same wave read from the answers table."""
    from sqlalchemy import update

    from survey.models import Response

    tricky = ['a, "quoted" text', "two\nlines", "=1+2", "ស្អាត", ""]
    frame = pd.DataFrame({"group": ["workers"] * 5, "heard": ["yes", "no", "dk", "yes", None], "comments": tricky})
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2017", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        bulk.store_frame(session, wave, frame, default_language="en", day=now().date())
        session.commit()
        from_records = wave_frame(session, wave)
        session.execute(update(Response).values(record=None))
        session.commit()
        from_answers = wave_frame(session, wave)
    pd.testing.assert_frame_equal(from_records, from_answers)
    # Imports fold runs of white space (a line break too) into one space.
    assert sorted(from_records["comments"]) == sorted(" ".join(text.split()) for text in tricky)


def test_a_record_keeps_line_breaks_commas_and_quotes():
    """What a respondent typed (submit_response writes record_of) parses back unchanged."""
    import io

    answers = [{"heard": "yes", "comments": 'two\nlines, "quoted"\r\nand more'},
               {"heard": "no", "comments": "only a\nline break"}, {"heard": "dk", "comments": "a lone\rreturn"}]
    columns = ["heard", "areas", "comments"]
    text = "\n".join([records.csv_line(columns), *(records.record_of(texts, columns) for texts in answers)])
    parsed = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    assert parsed.to_dict("records") == [{"heard": t["heard"], "areas": "", "comments": t["comments"]}
                                         for t in answers]


def test_a_corrected_answer_is_read_back(app, database_url):
    from sqlalchemy import select

    from survey.models import Response

    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2017", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        operations.store_responses(session, wave, [{"group": "workers", "heard": "yes"}])
        response = session.scalars(select(Response)).one()
        operations.correct_answer(session, response, "heard", "no")
        operations.correct_answer(session, response, "comments", "added later")
        frame = wave_frame(session, wave)
    assert (frame.loc[0, "heard"], frame.loc[0, "comments"]) == ("no", "added later")


def test_a_submitted_answer_with_a_line_break_reads_back_whole(app, database_url):
    """A respondent's text with line breaks (a textarea) stays one response with its text unchanged."""
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2018", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="open")
        (invitation, _token), = create_invitations(session, wave, [Contact(group="workers")])
        operations.record_consent(session, invitation, "en")
        texts = {"heard": "yes", "comments": "first line\nsecond line\rthird"}
        assert operations.submit_response(session, invitation, texts, "en", "secret")
        frame = wave_frame(session, wave)
    assert len(frame) == 1 and frame.loc[0, "comments"] == texts["comments"]


def test_the_large_cache_of_an_import_is_given_back(app, database_url):
    """SQLite's page cache is enlarged while a file is stored, then set back for the connection's next user."""
    with app.app_context():
        session = db.session()
        if session.connection().dialect.name != "sqlite":
            pytest.skip("SQLite's page cache")
        before = session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
        wave = create_wave(session, "2017", store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        seen = []
        bulk.store_frame(session, wave, pd.DataFrame({"group": ["workers"], "heard": ["yes"]}), default_language="en",
                         day=now().date(),
                         progress=lambda n: seen.append(session.connection().exec_driver_sql("PRAGMA cache_size")
                                                        .scalar()))
        assert seen == [-262144]
        assert session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == before
