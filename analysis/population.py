"""A population file (CSV or XLSX `group,size`): how many organisations or people each stakeholder group has.

The one reader of such files: `awareness wave populations` stores what it reads, `compare`, `report`
and `power` use it directly, and the console's form checks each size with `size_problem`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from questionnaires import Questionnaire

from .inputs import read_table
from .wavedata import InputError, Problems

COLUMNS = ("group", "size")
LARGEST = 999_999_999  # Below a billion: fits a 32-bit integer column, and no stakeholder group is larger.
WANTED = f"a whole number from 1 to {LARGEST:,}"


def size_problem(text: str) -> str | None:
    """Why `text` is not a population size (None when it is one)."""
    # ASCII digits only: str.isdigit accepts "²" and float() accepts "٣" and "1e3".
    if text.isascii() and text.isdigit() and 1 <= int(text) <= LARGEST:
        return None
    return f"{text[:20]!r} is not {WANTED}"


def read_population(path: str | Path, questionnaire: Questionnaire | None = None) -> dict[str, int]:
    """group -> size; InputError with file, row and column for every problem (groups checked against the
    questionnaire's when one is given)."""
    path = Path(path)
    frame = read_table(path)
    problems = Problems(path)
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        problems.add(1, None, f"a population file needs the columns group and size (missing: {', '.join(missing)})")
        problems.raise_if_any()
    sizes: dict[str, int] = {}
    first_row: dict[str, int] = {}
    for row, (group, size) in enumerate(zip(frame["group"], frame["size"], strict=True), start=2):
        group = _text(group)
        group_problem = _group_problem(group, questionnaire, first_row)
        if group_problem:
            problems.add(row, "group", group_problem)
        text = _text(size)
        problem = "size is blank" if not text else size_problem(text)
        if problem:
            problems.add(row, "size", problem)
        elif not group_problem:
            sizes[group] = int(text)
        first_row.setdefault(group, row)
    problems.raise_if_any()
    if not sizes:
        raise InputError([f"{path}: no group sizes (a row per group under the columns group and size)"])
    return sizes


def _text(cell) -> str:
    return str(cell).strip() if pd.notna(cell) else ""


def _group_problem(group: str, questionnaire: Questionnaire | None, first_row: dict[str, int]) -> str | None:
    """Why `group` cannot take a size in this row: blank, not the questionnaire's, or given before."""
    if not group:
        return "group is blank"
    if questionnaire is not None and group not in questionnaire.group_codes:
        return f"group {group!r} is not one of {', '.join(questionnaire.group_codes)}"
    if group in first_row:
        return f"group {group!r} is given twice (also in row {first_row[group]})"
    return None
