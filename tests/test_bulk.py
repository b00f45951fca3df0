"""Bulk storage and reading of responses: what goes in comes back, in any order of ids."""

import re

import pandas as pd

import questionnaires
from survey import bulk, db, operations, queries

from .conftest import TWO_PAGES


def test_receipts_look_like_single_receipts():
    receipts = bulk._receipts(2000)
    assert len(set(receipts)) == 2000
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", r) for r in receipts)
    assert set("".join(receipts).replace("-", "")) == set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def test_stored_frame_reads_back(app, database_url):
    frame = pd.DataFrame({
        "group": ["workers", "government", "workers"] * 100,
        "language": ["en", None, "km"] * 100,
        "heard": ["yes", "no", None] * 100,
        "areas": ["gov  dev", None, " dev "] * 100,
        "comments": ["a\tb", "", "ស្អាត"] * 100,
    })
    with app.app_context():
        session = db.session()
        wave = operations.create_wave(session, "2017", operations.store_edition(
            session, questionnaires.load(TWO_PAGES)), status="closed")
        steps = []
        assert bulk.store_frame(session, wave, frame.astype("category"), default_language="km",
                                day=operations.now().date(), progress=steps.append) == 300
        session.commit()
        back = queries.wave_frame(session, wave)
    assert sum(steps) == 300
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
