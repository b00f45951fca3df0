"""A wave's answers as the analysis reads them, matched item by item to another edition."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import WaveData, read_counts_frame, read_frame
from questionnaires import Questionnaire

from . import queries
from .models import BaselineCount, Wave, WaveImport


def matched_items(current: Wave, baseline: Wave) -> tuple[set[str], list[str]]:
    """Item ids comparable between the editions (same id, same fingerprint), and notes on the rest."""
    now = json.loads(current.edition.item_fingerprints)
    before = json.loads(baseline.edition.item_fingerprints)
    comparable = {item for item, fingerprint in now.items() if before.get(item) == fingerprint}
    notes = []
    for item in now:
        if item not in before:
            notes.append(f"item {item!r} is new in {current.edition.version}: not compared")
        elif item not in comparable:
            notes.append(f"item {item!r} changed wording or codes since {baseline.edition.version}: not compared")
    notes += [f"item {item!r} was dropped after {baseline.edition.version}" for item in before if item not in now]
    return comparable, notes


def wave_data(session: Session, wave: Wave, questionnaire: Questionnaire, items: set[str] | None = None) -> WaveData:
    """The wave's completed responses (or imported counts) as the analysis reads them, keeping only `items`."""
    counts = session.scalars(select(BaselineCount).where(BaselineCount.wave_id == wave.id)).all()
    if counts:
        imported = session.scalars(select(WaveImport).where(WaveImport.wave_id == wave.id)).first()
        rows = [{"item": c.item_id, "code": c.code, "count": c.count, "group": c.group_code} for c in counts
                if items is None or c.item_id in items]
        frame = pd.DataFrame(rows, columns=["item", "code", "count", "group"])
        if all(c.group_code == "" for c in counts):
            frame = frame.drop(columns="group")
        return read_counts_frame(frame, questionnaire, source=f"wave {wave.slug}",
                                 sha256=imported.sha256 if imported else None)
    frame = queries.wave_frame(session, wave)
    if items is not None:
        frame = frame[[c for c in frame.columns if c in ("respondent", "group", "language") or c in items]]
    return read_frame(frame, questionnaire, source=f"wave {wave.slug}")
