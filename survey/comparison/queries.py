"""What a comparison reads of the database: each wave (its imported counts or its responses' records) and,
beside the waves, the current edition, the crosswalk to the baseline's and the stored population sizes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exports import csv_stream
from ..models import BaselineCount, Wave, WaveImport
from ..responses.records import records_text
from ..responses.stored import WavesAhead, records_complete, stored_columns
from ..waves import crosswalk, queries
from ..waves.queries import stored_population
from .stored import StoredComparison, StoredWave


def stored_comparison(session: Session, baseline: Wave, current: Wave, *, population: bool = False) \
        -> StoredComparison:
    """What the comparison of `current` with `baseline` reads from the database beside the waves themselves
    (`stored_wave`). `population`: also the sizes stored with the current wave (empty when none are)."""
    rows = crosswalk.crosswalk(session, current, baseline)
    return StoredComparison(questionnaire=queries.questionnaire_of(current.edition), rows=tuple(rows),
                            notes=tuple(crosswalk.notes(rows, baseline)),
                            population=stored_population(session, current) if population else None)


def stored_wave(session: Session, wave: Wave, ahead: WavesAhead | None = None) -> StoredWave:
    """The wave's imported counts, or its responses (`ahead`: a `read_ahead` reading it already)."""
    counts = session.scalars(select(BaselineCount).where(BaselineCount.wave_id == wave.id)).all()
    if counts:
        record = session.scalars(select(WaveImport).where(WaveImport.wave_id == wave.id)).first()
        return StoredWave(wave.slug, record.sha256 if record else None,
                          counts=tuple((c.item_id, c.code, c.count, c.group_code) for c in counts))
    columns = [item.id for item in queries.questionnaire_of(wave.edition).answerable_items]
    if not records_complete(session, wave):
        from ..responses.bulk import wave_frame  # pandas: only for responses stored before records existed

        frame, sha256 = wave_frame(session, wave, columns, categorical=True, with_sha256=True)
        return StoredWave(wave.slug, sha256, frame=frame)
    stored = stored_columns(session, wave.id) if ahead is None else ahead.columns(wave.id)
    # The hash of its `awareness export` file, which a reviewer can be handed.
    return StoredWave(wave.slug, csv_stream.export_sha256(stored, columns), columns=tuple(columns),
                      keys=(stored.panels, stored.groups, stored.languages),
                      records=records_text(columns, stored.records))
