"""A wave's answers as the analysis reads them, matched item by item to another edition."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from analysis import WaveData, read_frame
from questionnaires import Questionnaire

from . import queries
from .models import Wave


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
    """The wave's completed responses as the analysis reads them, keeping only `items` if given."""
    frame = queries.wave_frame(session, wave)
    if items is not None:
        frame = frame[[c for c in frame.columns if c in ("respondent", "group", "language") or c in items]]
    return read_frame(frame, questionnaire, source=f"wave {wave.slug}")
