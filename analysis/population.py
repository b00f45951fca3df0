"""A population file (CSV `group,size`): how many organisations or people each stakeholder group has."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from questionnaires import Questionnaire

from .inputs import read_table
from .wavedata import InputError, Problems


def read_population(path: str | Path, questionnaire: Questionnaire | None = None) -> dict[str, int]:
    """group -> size; InputError with file, row and column for every problem."""
    path = Path(path)
    frame = read_table(path)
    problems = Problems(path)
    missing = [c for c in ("group", "size") if c not in frame.columns]
    if missing:
        problems.add(1, None, f"a population file needs the columns group and size (missing: {', '.join(missing)})")
        problems.raise_if_any()
    sizes: dict[str, int] = {}
    for row, (group, size) in enumerate(zip(frame["group"], frame["size"], strict=True), start=2):
        group = str(group).strip() if pd.notna(group) else ""
        text = str(size).strip() if pd.notna(size) else ""
        if not group:
            problems.add(row, "group", "group is blank")
        elif questionnaire is not None and group not in questionnaire.group_codes:
            problems.add(row, "group", f"group {group!r} is not one of {', '.join(questionnaire.group_codes)}")
        elif group in sizes:
            problems.add(row, "group", f"group {group!r} is given twice")
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if not (number >= 1 and number.is_integer()):
            problems.add(row, "size", f"{text!r} is not a whole number of at least 1" if text else "size is blank")
        elif group:
            sizes[group] = int(number)
    problems.raise_if_any()
    if not sizes:
        raise InputError([f"{path}: no group sizes"])
    return sizes
