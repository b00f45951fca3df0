"""Waves of the database read for a trend: each made the analysis' data in the last wave's edition.

Each wave's items are carried forward edition by edition, through the crosswalk between it and the next
wave (renamed, recoded; an item that changed or was dropped on the way is left out of the earlier waves),
as `compare` carries a baseline into the current edition.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from analysis import WaveData, read_counts_frame, read_frame
from questionnaires import Questionnaire

from ..models import Wave
from ..responses.frames import counts_frame
from ..waves import crosswalk, queries
from ..waves.queries import stored_population
from .inputs import baseline_counts, baseline_frame, response_frame
from .queries import reading_database, stored_wave


@dataclass(frozen=True)
class TrendInputs:
    questionnaire: Questionnaire  # the last wave's edition
    waves: list[tuple[str, WaveData]]  # (slug, data), in the order given
    notes: list[str]  # items left out of some waves: changed, new, dropped
    populations: dict[str, dict[str, int]] | None  # each wave's stored sizes, when asked for
    missing_population: list[str]  # the waves without stored sizes (when asked for)


def trend_inputs(session: Session, waves: list[Wave], *, population: bool = False) -> TrendInputs:
    """Every wave in the last one's edition, with the notes on what the crosswalks left out; a database error
    while reading raises `DatabaseUnavailable`."""
    with reading_database(session):
        return _trend_inputs(session, waves, population=population)


def _trend_inputs(session: Session, waves: list[Wave], *, population: bool) -> TrendInputs:
    questionnaire = queries.questionnaire_of(waves[-1].edition)
    # How each wave's items become the next wave's: crosswalk(next, wave) for each consecutive pair.
    links = [crosswalk.crosswalk(session, later, earlier) for earlier, later in zip(waves, waves[1:], strict=False)]
    notes = [note for rows, earlier in zip(links, waves, strict=False) for note in _notes(rows, earlier)]
    found = []
    for index, wave in enumerate(waves):
        stored = stored_wave(session, wave)
        source = f"wave {wave.slug}"
        chain = links[index:]
        if stored.counts is not None:
            frame = counts_frame(stored.counts)
            for rows in chain:
                frame = baseline_counts(frame, rows)
            data = read_counts_frame(frame, questionnaire, source=source, sha256=stored.sha256)
        else:
            frame = response_frame(stored)
            for rows in chain:
                frame = baseline_frame(frame, rows)
            # An earlier wave was asked under its own edition's conditions, which may differ from the last one's.
            data = read_frame(frame, questionnaire, source=source, check_relevance=not chain, sha256=stored.sha256)
        found.append((wave.slug, data))
    populations, missing = None, []
    if population:
        populations = {wave.slug: stored_population(session, wave) for wave in waves}
        missing = [slug for slug, sizes in populations.items() if not sizes]
    return TrendInputs(questionnaire, found, notes, populations, missing)


def _notes(rows, earlier: Wave) -> list[str]:
    """The crosswalk's notes, saying that the item is left out of the earlier waves (not of the trend)."""
    return [note.replace(": not compared", ": left out of the waves up to " + earlier.slug)
            for note in crosswalk.notes(rows, earlier)]
