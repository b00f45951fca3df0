"""A response's record: its answers as one CSV line in its edition's item order, stored with the response.

The export and a comparison read records instead of the answers table (`exports.csv_stream`,
`responses.stored`). No pandas here: the respondent pages write one record per response.
"""

from __future__ import annotations

import csv
import io

from ..models import Wave
from ..waves.queries import questionnaire_of


def csv_line(values) -> str:
    """One CSV line, without its terminator, as a response's record is stored: every line break inside a
    value is quoted (Python's CSV writer quotes a cell holding a character of its "\\r\\n" terminator)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue().removesuffix("\r\n")


def records_text(columns: list[str], records: list[str]) -> str:
    """A CSV text of stored records under a header of their columns (a blank record is a blank line)."""
    return "\n".join([csv_line(columns), *records])


def edition_columns(wave: Wave) -> list[str]:
    """The item columns of a wave's records: its edition's answerable items, in order."""
    return [item.id for item in questionnaire_of(wave.edition).answerable_items]


def record_of(answers: dict[str, str], columns: list[str]) -> str:
    """One response's answers as a CSV record in the order of `columns` (blank: no answer)."""
    return csv_line([answers.get(column) or "" for column in columns])
