"""Import a wave's data from a file, and undo an import.

A file may hold respondent-level data in the interchange format, a published table of counts,
or a data export of KoboToolbox or ODK Central. Imports go only into a wave that has collected
nothing online and is not open, so that they can never mix with live answers; each is recorded
(file name, SHA-256, rows, time, who) and can be undone in one transaction. The file is read and checked
here; operations.store_import stores it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis import InputError, read_table, read_wave
from analysis.field_exports import GROUP_QUESTION, is_field_export, to_interchange
from questionnaires.cells import strip_control

from ..db import OperationError, now
from ..models import Invitation, Response, Wave, WaveImport
from ..waves import queries
from .operations import analyze_responses, store_import
from .queries import imports_of


def _refusal(session: Session, wave: Wave) -> str | None:
    """Why the wave cannot take an import now, or None."""
    if wave.status == "open":
        return f"wave {wave.slug} is open: imports go only into a wave that is not collecting answers"
    live = session.scalar(select(func.count()).select_from(Response)
                          .where(Response.wave_id == wave.id, Response.import_id.is_(None)))
    started = session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.wave_id == wave.id, Invitation.disposition.in_(("started", "completed"))))
    if live or started:
        return (f"wave {wave.slug} has collected answers online ({live} responses, {started} invitations "
                "started); import into a wave of its own, such as the baseline year's")
    if imports_of(session, wave):
        return (f"wave {wave.slug} already holds an import; undo it first "
                f"(awareness import --undo {wave.slug}) to replace it")
    return None


def import_file(session: Session, wave: Wave, path: Path, *, filename: str | None = None, imported_by: str = "",
                group_question: str = GROUP_QUESTION, progress=None) -> WaveImport:
    """Check the file against the wave's questionnaire, then store it and its record in one transaction.

    Raises InputError listing every problem (file, row, column); nothing is written then.
    `progress(n)` is told of respondents stored.
    """
    # An uploaded file's name is the browser's to choose: no NUL (PostgreSQL refuses it), no overflow.
    name = strip_control(filename or path.name)[:300]
    refusal = _refusal(session, wave)
    if refusal:
        raise InputError([f"{name}: {refusal}"])
    questionnaire = queries.questionnaire_of(wave.edition)
    table = read_table(path)  # CSV (comma or semicolon) or XLSX, within limits
    field = None
    if is_field_export(table):
        field = to_interchange(table, questionnaire, source=str(path), group_question=group_question)
        table = field.frame
    problems = list(field.problems) if field else []
    try:
        data = read_wave(path, questionnaire, table=table)  # every check
    except InputError as error:
        problems += field.restore(error.problems) if field else error.problems
    if problems:
        raise InputError(problems)
    record = WaveImport(wave_id=wave.id, filename=name, sha256=data.sha256, kind=data.format, rows=len(table),
                        imported_at=now(), imported_by=imported_by)
    if data.format == "counts":
        table = table.astype(object).where(table.notna(), None).to_dict("records")
    try:
        store_import(session, wave, record, table, default_language=questionnaire.default_language,
                     progress=progress)
    except OperationError as error:
        raise InputError([f"{name}: {error}"]) from None
    if data.format != "counts":
        analyze_responses(session)
    return record


# Kept for the callers that name it so: a baseline is one kind of import.
import_baseline = import_file
