"""Two waves of the database, read as the analysis reads them, matched item by item.

Panel waves carry each respondent's stable key in the `respondent` column (for --paired);
the population sizes stored with a wave feed the weighted rows (--weighted). What is read from the
database comes as a `StoredComparison`; this module makes it the analysis' inputs, without the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from typing import TYPE_CHECKING

import pandas as pd

from analysis import WaveData, read_counts_frame, read_frame
from questionnaires import Questionnaire

from ..responses.frames import counts_frame, records_frame, with_keys
from .stored import CrosswalkRow, StoredComparison, StoredWave

if TYPE_CHECKING:  # the database's types: this module is also imported where no database is loaded
    from sqlalchemy.orm import Session

    from ..models import Wave


def comparison_inputs(session: Session, baseline: Wave, current: Wave, *, ahead=None, population: bool = False) \
        -> tuple[StoredComparison, Questionnaire, list[WaveData], list[str]]:
    """What was read beside the waves (the crosswalk's changed items, stored population sizes when asked for),
    the current edition, both waves' data in it (baseline renamed and recoded), and notes on left-out items.

    `ahead`: both waves being read already (`stored_waves.read_ahead`), else they are read here. A database
    error while reading raises `DatabaseUnavailable`.
    """
    from ..responses.stored import read_ahead
    from .queries import reading_database, stored_comparison, stored_wave

    # The database reads both waves while this process parses the questionnaire and the crosswalk.
    with reading_database(session), \
            nullcontext(ahead) if ahead is not None else read_ahead(session, baseline, current) as both:
        stored = stored_comparison(session, baseline, current, population=population)
        return stored, *inputs_of(stored, (stored_wave(session, wave, both) for wave in (baseline, current)))


def inputs_of(stored: StoredComparison, waves: Iterator[StoredWave]) \
        -> tuple[Questionnaire, list[WaveData], list[str]]:
    """`comparison_inputs` from what was read of the database: `waves` gives the baseline, then the current
    wave, each taken when its turn comes (the second may be read meanwhile, and the first is let go)."""
    questionnaire, baseline = stored.questionnaire, next(waves)
    source = f"wave {baseline.slug}"
    if baseline.counts is not None:
        base = read_counts_frame(baseline_counts(counts_frame(baseline.counts), stored.rows), questionnaire,
                                 source=source, sha256=baseline.sha256)
    else:
        # The baseline was asked under its own edition's conditions, which may differ from this one's;
        # its hash is that of its own export, before renaming.
        base = read_frame(baseline_frame(response_frame(baseline), stored.rows), questionnaire, source=source,
                          check_relevance=False, sha256=baseline.sha256)
    del baseline
    return questionnaire, [base, wave_data(next(waves), questionnaire)], list(stored.notes)


def wave_data(wave: StoredWave, questionnaire: Questionnaire) -> WaveData:
    """A wave's answers (or imported counts) in its own edition."""
    source = f"wave {wave.slug}"
    if wave.counts is not None:
        return read_counts_frame(counts_frame(wave.counts), questionnaire, source=source, sha256=wave.sha256)
    return read_frame(response_frame(wave), questionnaire, source=source, sha256=wave.sha256)


def response_frame(wave: StoredWave) -> pd.DataFrame:
    """A wave's responses as the interchange frame, item columns categorical."""
    if wave.frame is not None:
        return wave.frame
    return with_keys(records_frame(wave.records, list(wave.columns), categorical=True), *wave.keys)


def baseline_frame(frame: pd.DataFrame, rows: list[CrosswalkRow]) -> pd.DataFrame:
    """The baseline's answers renamed and recoded to the current edition, compared items only."""
    columns = {"respondent": frame["respondent"], "group": frame["group"], "language": frame["language"]}
    for row in rows:
        if row.compared and row.baseline_item in frame.columns:
            values = frame[row.baseline_item]
            if not isinstance(values.dtype, pd.CategoricalDtype):  # categoricals: recoded category by category
                values = values.fillna("").astype(str)
            if row.code_map:
                values = values.map(lambda text, m=row.code_map: " ".join(
                    dict.fromkeys(m.get(code, code) for code in text.split())))
            columns[row.item] = values
    return pd.DataFrame(columns)


def baseline_counts(frame: pd.DataFrame, rows: list[CrosswalkRow]) -> pd.DataFrame:
    """A counts table renamed and recoded to the current edition, compared items only."""
    compared = {row.baseline_item: row for row in rows if row.compared}
    frame = frame[frame["item"].isin(compared)].copy()
    frame["code"] = [compared[item].code_map.get(code, code) for item, code in zip(frame["item"], frame["code"],
                                                                                   strict=True)]
    frame["item"] = frame["item"].map(lambda item: compared[item].item)
    keys = [c for c in ("item", "code", "group") if c in frame.columns]
    return frame.groupby(keys, as_index=False, sort=False)["count"].sum()
