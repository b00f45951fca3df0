"""The SHA-256 a comparison records for a wave of the database: that of `awareness export WAVE --format csv`.

A reviewer handed the export can then match it. The analysis reads the interchange frame itself, but the
export neutralises text answers that begin with = + - @ (spreadsheet formulas), so hashing the frame would
differ from hashing the file the reviewer holds.
"""

from __future__ import annotations

import hashlib

from . import exports, queries
from .models import Wave


def frame_export_sha256(wave: Wave, frame) -> str:
    """The SHA-256 of exactly the bytes `awareness export WAVE --format csv` writes, from the wave's frame
    already read (queries.wave_frame), so that a comparison reads each wave once."""
    return hashlib.sha256(exports.export(queries.questionnaire_of(wave.edition), frame, "csv")).hexdigest()

