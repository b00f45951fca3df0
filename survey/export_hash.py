"""The SHA-256 a comparison records for a wave of the database: that of `awareness export WAVE --format csv`.

A reviewer handed the export can then match it. The analysis reads the interchange frame itself, but the
export neutralises text answers that begin with = + - @ (spreadsheet formulas), so hashing the frame would
differ from hashing the file the reviewer holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from sqlalchemy.orm import Session

from analysis import WaveData

from . import exports, queries
from .models import Wave


def export_sha256(session: Session, wave: Wave) -> str:
    """The SHA-256 of exactly the bytes `awareness export WAVE --format csv` writes."""
    questionnaire = queries.questionnaire_of(wave.edition)
    return hashlib.sha256(exports.export(questionnaire, queries.wave_frame(session, wave), "csv")).hexdigest()


def with_export_hash(session: Session, wave: Wave, data: WaveData) -> WaveData:
    """A wave's data stamped with its export's hash (an imported counts table keeps its file's hash)."""
    if data.format == "counts":
        return data
    return replace(data, sha256=export_sha256(session, wave))
