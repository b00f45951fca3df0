"""Text that is safe in a spreadsheet cell: control characters and formula-like text.

Shared by everything that reads text from people (answers, contacts, imports,
questionnaire files) and everything that writes CSV or XLSX files.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return (a browser sends a textarea's new lines
# as CR LF), DEL, C1 controls, lone surrogates and the two non-characters XML refuses.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def control_character(text: str) -> str | None:
    """A description of the first control character in `text` (None when there is none)."""
    match = CONTROL.search(text)
    if match is None:
        return None
    return f"the control character U+{ord(match.group()):04X} at position {match.start() + 1}"


def strip_control(text: str) -> str:
    """`text` without the characters a spreadsheet (XML) cannot hold."""
    return CONTROL.sub("", text)


def is_number(text: str) -> bool:
    """A plain decimal number such as -9, +1.5 or 2e3 (a spreadsheet reads it as that number)."""
    return _NUMBER.fullmatch(text) is not None


def is_formula_like(text: str) -> bool:
    """Text that a spreadsheet would run as a formula: not a number, and begins with =, +, -, @, tab or CR."""
    return text.startswith(FORMULA_START) and not is_number(text)


def neutral(value):
    """A CSV cell that cannot run as a formula: formula-like text gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and is_formula_like(value) else value


def csv_cell(value):
    """A CSV cell: neutral, and with every line break a line feed.

    A lone carriage return is not quoted by pandas' CSV writer when lines end in line
    feeds, so it would split the row in two for the reader.
    """
    value = neutral(value)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value
