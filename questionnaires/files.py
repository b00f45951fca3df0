"""A questionnaire file read by what it is: YAML (`loader`) or an XLSForm workbook (`xlsform`, through pyxform)."""

from __future__ import annotations

from pathlib import Path

from .loader import loads
from .model import Questionnaire
from .problems import Problem, QuestionnaireError
from .reading import MAX_FILE_BYTES, read_text_file
from .xlsform import read_xlsform


def load(path: str | Path) -> Questionnaire:
    """Load and validate a questionnaire file (.yaml/.yml, or an XLSForm .xlsx)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xls"):
        return read_xlsform(path)
    return loads(read_text_file(path, MAX_FILE_BYTES), source=str(path))


def validate(path: str | Path) -> list[Problem]:
    """Every problem of a file, errors and warnings; empty when it is clean."""
    try:
        return list(load(path).warnings)
    except QuestionnaireError as error:
        return error.problems  # the errors and the warnings, in the order found
