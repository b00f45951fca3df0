"""Check an .xlsx file from its zip directory before any XML is parsed.

A small upload can declare a sheet of a billion cells (`A1:XFD1048576`, which a
reader pads row by row) or unpack to hundreds of megabytes. Both are refused here,
in milliseconds, with a message saying which limit was passed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # the whole workbook, uncompressed
MAX_MEMBERS = 1_000
MAX_CELL_CHARACTERS = 32_767  # what Excel itself allows in a cell
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


class WorkbookError(ValueError):
    """The file is not a workbook that may be read; the message says why."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def check_workbook(path: str | Path, *, max_rows: int, max_columns: int,
                   max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Raise WorkbookError unless `path` is a zip whose sizes and declared sheet dimensions are within limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise WorkbookError(f"the workbook holds {len(members)} parts; at most {MAX_MEMBERS}")
            unpacked = sum(member.file_size for member in members)
            if unpacked > max_unpacked:
                raise WorkbookError(f"the workbook unpacks to {unpacked / (1024 * 1024):.1f} MB; at most "
                                    f"{max_unpacked // (1024 * 1024)} MB")
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    _check_dimension(archive, member, max_rows, max_columns)
    except WorkbookError:
        raise
    except FileNotFoundError:
        raise WorkbookError("no such file") from None
    except IsADirectoryError:
        raise WorkbookError("is a folder, not a file") from None
    except (zipfile.BadZipFile, EOFError):
        raise WorkbookError("not an .xlsx workbook (not a zip archive, or cut short)") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, ValueError) as error:
        raise WorkbookError(f"cannot be read as an .xlsx workbook ({error})") from None


def _check_dimension(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int, max_columns: int) -> None:
    with archive.open(member) as stream:
        head = stream.read(4096)  # the dimension comes first in a worksheet, before the data
    match = _DIMENSION.search(head)
    if match is None:
        return
    groups = [group.decode("ascii") if group else None for group in match.groups()]
    last_column, last_row = groups[2] or groups[0], groups[3] or groups[1]
    rows = int(last_row) if last_row else 0
    columns = _column_number(last_column) if last_column else 0
    if rows > max_rows or columns > max_columns:
        sheet = member.filename.rsplit("/", 1)[-1]
        raise WorkbookError(f"{sheet} declares {rows} rows and {columns} columns; at most {max_rows} rows and "
                            f"{max_columns} columns are read")
