"""Import a baseline into a wave: respondent-level data from elsewhere, or a published table of counts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis import InputError, read_table, read_wave
from questionnaires.cells import strip_control

from . import operations, queries
from .bulk import store_frame
from .models import BaselineCount, Response, Wave, WaveImport


def import_baseline(session: Session, wave: Wave, path: Path, filename: str | None = None, *,
                    progress=None) -> WaveImport:
    """Check the file against the wave's questionnaire, then store it in one transaction.

    Raises InputError listing every problem (file, row, column); nothing is written then.
    `progress(n)` is told of respondents stored.
    """
    questionnaire = queries.questionnaire_of(wave.edition)
    existing = session.scalar(select(func.count()).select_from(Response).where(Response.wave_id == wave.id))
    counted = session.scalar(select(func.count()).select_from(BaselineCount).where(BaselineCount.wave_id == wave.id))
    if existing or counted:
        raise InputError([f"{filename or path}: wave {wave.slug} already holds data; import into an empty wave"])
    table = read_table(path)
    data = read_wave(path, questionnaire, table=table)  # every check; raises InputError
    # An uploaded file's name is the browser's to choose: no NUL (PostgreSQL refuses it), no overflow.
    shown_name = strip_control(filename or path.name)[:300]
    try:
        rows = _store(session, wave, table, data.format, questionnaire.default_language, progress)
        session.add(WaveImport(wave_id=wave.id, filename=shown_name, sha256=data.sha256, kind=data.format,
                               rows=rows, imported_at=operations.now()))
        session.commit()
    except IntegrityError:
        # PostgreSQL's COPY refuses a repeated panel key as it writes, SQLite at the commit.
        session.rollback()
        raise InputError([_duplicated(shown_name, table)]) from None
    return session.scalars(select(WaveImport).where(WaveImport.wave_id == wave.id)
                           .order_by(WaveImport.id.desc())).first()


def _store(session: Session, wave: Wave, table, kind: str, language: str, progress) -> int:
    """Write the checked table: counts rows, or one response per respondent."""
    if kind != "counts":
        return store_frame(session, wave, table, default_language=language, day=operations.now().date(),
                           progress=progress)
    table = table.astype(object).where(table.notna(), None)
    for row in table.to_dict("records"):
        session.add(BaselineCount(wave_id=wave.id, item_id=str(row["item"]).strip(),
                                  code=str(row["code"]).strip(), group_code=str(row.get("group") or "").strip(),
                                  count=int(float(row["count"]))))
    return len(table)


def _duplicated(filename: str, table) -> str:
    """The message for a respondent key given twice (one response per panel member)."""
    if "respondent" in table.columns:
        keys = table["respondent"].dropna().astype(str)
        repeated = keys[keys.duplicated(keep=False)]
        if len(repeated):
            rows = ", ".join(str(int(index) + 2) for index in repeated.index[:10])
            return (f"{filename}: column 'respondent': {repeated.iloc[0][:60]!r} appears more than once "
                    f"(rows {rows}); a panel member has one response per wave")
    return f"{filename}: a respondent appears more than once; a panel member has one response per wave"
