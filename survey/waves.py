"""Two waves of the database, read as the analysis reads them, matched item by item.

Panel waves carry each respondent's stable key in the `respondent` column (for --paired);
the population sizes stored with a wave feed the weighted rows (--weighted).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import WaveData, read_counts_frame, read_frame
from questionnaires import Questionnaire

from . import crosswalk, queries, stored_waves
from .models import BaselineCount, GroupPopulation, Wave, WaveImport


def _counts_frame(session: Session, wave: Wave) -> pd.DataFrame | None:
    counts = session.scalars(select(BaselineCount).where(BaselineCount.wave_id == wave.id)).all()
    if not counts:
        return None
    frame = pd.DataFrame([{"item": c.item_id, "code": c.code, "count": c.count, "group": c.group_code}
                          for c in counts])
    return frame.drop(columns="group") if (frame["group"] == "").all() else frame


def _imported_sha256(session: Session, wave: Wave) -> str | None:
    record = session.scalars(select(WaveImport).where(WaveImport.wave_id == wave.id)).first()
    return record.sha256 if record else None


def wave_data(session: Session, wave: Wave, questionnaire: Questionnaire, ahead=None) -> WaveData:
    """A wave's answers (or imported counts) in its own edition; `ahead`: see `bulk.wave_frame`."""
    counts = _counts_frame(session, wave)
    if counts is not None:
        return read_counts_frame(counts, questionnaire, source=f"wave {wave.slug}",
                                 sha256=_imported_sha256(session, wave))
    # The hash of its `awareness export` file, which a reviewer can be handed.
    frame, sha256 = queries.wave_frame(session, wave, categorical=True, with_sha256=True, ahead=ahead)
    return read_frame(frame, questionnaire, source=f"wave {wave.slug}", sha256=sha256)


def comparison_inputs(session: Session, baseline: Wave, current: Wave, *, ahead=None) \
        -> tuple[Questionnaire, list[WaveData], list[str]]:
    """The current edition, both waves' data in it (baseline renamed and recoded), and notes on left-out items.

    `ahead`: both waves being read already (`stored_waves.read_ahead`), else they are read here.
    """
    if ahead is not None:
        return _comparison_inputs(session, baseline, current, ahead)
    # The database reads both waves while this process parses the questionnaire and the baseline.
    with stored_waves.read_ahead(session, baseline, current) as both:
        return _comparison_inputs(session, baseline, current, both)


def _comparison_inputs(session: Session, baseline: Wave, current: Wave, ahead: stored_waves.WavesAhead) \
        -> tuple[Questionnaire, list[WaveData], list[str]]:
    """`comparison_inputs`, both waves' columns read by `ahead`."""
    questionnaire = queries.questionnaire_of(current.edition)
    rows = crosswalk.crosswalk(session, current, baseline)
    counts = _counts_frame(session, baseline)
    source = f"wave {baseline.slug}"
    if counts is not None:
        base = read_counts_frame(crosswalk.baseline_counts(counts, rows), questionnaire, source=source,
                                 sha256=_imported_sha256(session, baseline))
    else:
        stored, sha256 = queries.wave_frame(session, baseline, categorical=True, with_sha256=True, ahead=ahead)
        # The baseline was asked under its own edition's conditions, which may differ from this one's;
        # its hash is that of its own export, before renaming.
        base = read_frame(crosswalk.baseline_frame(stored, rows), questionnaire, source=source,
                          check_relevance=False, sha256=sha256)
    return questionnaire, [base, wave_data(session, current, questionnaire, ahead)], \
        crosswalk.notes(rows, baseline)


def stored_population(session: Session, wave: Wave) -> dict[str, int]:
    """The population sizes stored with a wave: group -> size (empty when none are stored)."""
    rows = session.scalars(select(GroupPopulation).where(GroupPopulation.wave_id == wave.id)).all()
    return {row.group_code: row.size for row in rows}
