"""Import a baseline into a wave: respondent-level data from elsewhere, or a published table of counts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis import InputError, read_table, read_wave

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
    if data.format == "counts":
        table = table.astype(object).where(table.notna(), None)
        for row in table.to_dict("records"):
            session.add(BaselineCount(wave_id=wave.id, item_id=str(row["item"]).strip(),
                                      code=str(row["code"]).strip(), group_code=str(row.get("group") or "").strip(),
                                      count=int(float(row["count"]))))
        rows = len(table)
    else:
        rows = store_frame(session, wave, table, default_language=questionnaire.default_language,
                           day=operations.now().date(), progress=progress)
    record = WaveImport(wave_id=wave.id, filename=filename or path.name, sha256=data.sha256, kind=data.format,
                        rows=rows, imported_at=operations.now())
    session.add(record)
    session.commit()
    return record
