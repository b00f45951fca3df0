"""What a comparison reads of the database: each wave (its imported counts or its responses' records) and,
beside the waves, the current edition, the crosswalk to the baseline's and the stored population sizes.

The waves are found by name (`wave_named`) in a database checked first (`ready_database`); what cannot be had
raises `WaveNotFound` or `DatabaseUnavailable` (`comparison.errors`), and so does a read that fails
(`reading_database`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..exports import csv_stream
from ..models import BaselineCount, Wave, WaveImport
from ..responses.records import records_text
from ..responses.stored import WavesAhead, records_complete, stored_columns
from ..waves import crosswalk, queries
from ..waves.queries import stored_population
from .errors import DatabaseUnavailable, WaveNotFound
from .stored import StoredComparison, StoredWave


def database_address(session: Session) -> str:
    """The database's URL without its password, to name it in a message."""
    return session.get_bind().url.render_as_string(hide_password=True)


def ready_database(session: Session) -> None:
    """Return when the database can be reached and has this release's schema; else `DatabaseUnavailable`."""
    from ..db import known_revisions, schema_revisions

    url = database_address(session)
    try:
        current, newest = schema_revisions(session.get_bind())
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"cannot reach the database {url}: {error.__class__.__name__}; check "
                                  "AWARENESS_DATABASE_URL", url) from None
    if current is None:
        raise DatabaseUnavailable(f"the database {url} is not set up: run `awareness db upgrade` first", url)
    if current != newest and current in known_revisions():
        raise DatabaseUnavailable(f"the database {url} is at schema revision {current}, this release needs {newest}: "
                                  "run `awareness db upgrade` first (back it up with `awareness backup` before)", url)
    if current != newest:
        raise DatabaseUnavailable(f"the database {url} is at schema revision {current}, which this release does not "
                                  f"know (it needs {newest}): it was upgraded by a newer release; use that release",
                                  url)


def wave_named(session: Session, slug: str) -> Wave:
    """The wave called `slug`, or `WaveNotFound` listing the waves there are."""
    wave = queries.wave_by_slug(session, slug)
    if wave is None:
        raise WaveNotFound(slug, list(session.scalars(select(Wave.slug).order_by(Wave.slug))))
    return wave


def comparison_waves(session: Session, slugs) -> list[Wave]:
    """The waves named, in that order, from a database checked first (`ready_database`, `wave_named`)."""
    ready_database(session)
    return [wave_named(session, slug) for slug in slugs]


@contextmanager
def reading_database(session: Session) -> Iterator[None]:
    """A database error while the waves are read becomes `DatabaseUnavailable` with its first line, the
    session rolled back."""
    try:
        yield
    except SQLAlchemyError as error:
        try:
            session.rollback()
        except SQLAlchemyError:  # a connection lost: nothing to undo
            pass
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise DatabaseUnavailable(f"cannot read the waves from the database: "
                                  f"{reason[0] if reason else type(error).__name__}",
                                  database_address(session)) from error


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
