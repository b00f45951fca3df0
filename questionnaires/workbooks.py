"""Check an .xlsx file by what it holds, before any library opens it.

A small upload can unpack to hundreds of megabytes, or name a cell far away (`XFD1048576`) that a
reader pads every row to, or declare in its `<dimension>` whatever it likes (or nothing). So the
sheet's `<dimension>` is never trusted: each worksheet is streamed from the zip, the cells actually
present are counted and their references give the rows and columns a reader would lay out. A file
past a limit is refused within a second or two, with a message naming the limit, before openpyxl,
pandas or pyxform read it. `check_workbook` is the one pre-check, for data imports and XLSForms,
from the command line and the console alike.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # the whole workbook, uncompressed
MAX_MEMBERS = 1_000
MAX_CELL_CHARACTERS = 32_767  # what Excel itself allows in a cell
CHUNK = 1024 * 1024
# A cell or row start tag (any namespace prefix) and its `r` attribute: what a reader places it by.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])([^>]*)>")
_REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,3})(\d*)["']""")


class WorkbookError(ValueError):
    """The file is not a workbook that may be read; the message says why."""


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def check_workbook(path: str | Path, *, max_rows: int, max_columns: int, max_cells: int | None = None,
                   max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Raise WorkbookError unless `path` is a zip within `max_unpacked` whose every worksheet, as present in the
    file, stays within `max_rows` rows, `max_columns` columns and `max_cells` cells (rows × columns laid out)."""
    max_cells = max_cells if max_cells is not None else max_rows * max_columns
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise WorkbookError(f"the workbook holds {len(members)} parts; at most {MAX_MEMBERS}")
            declared = sum(member.file_size for member in members)
            if declared > max_unpacked:
                raise WorkbookError(f"the workbook unpacks to {declared / (1024 * 1024):.1f} MB; at most "
                                    f"{max_unpacked // (1024 * 1024)} MB")
            budget = [max_unpacked]  # bytes actually unpacked: a zip's directory may understate them
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    _check_sheet(archive, member, budget, max_rows, max_columns, max_cells)
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


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: list[int], max_rows: int,
                 max_columns: int, max_cells: int) -> None:
    """Stream one worksheet's XML: every row and cell start tag, placed as a reader places it."""
    sheet = member.filename.rsplit("/", 1)[-1]
    row = column = last_row = last_column = present = 0
    pending = b""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise WorkbookError("the workbook unpacks to more than it declares; at most "
                                    f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB are read")
            data = pending + chunk
            end = data.rfind(b"<")  # an unfinished tag waits for the next chunk
            if end == -1 or b">" in data[end:]:
                end = len(data)
            for match in _TAG.finditer(data, 0, end):
                reference = _REFERENCE.search(match.group(2))
                if match.group(1) == b"row":
                    row = int(reference.group(2)) if reference and reference.group(2) else row + 1
                    column = 0
                    continue
                present += 1
                if reference and reference.group(1):
                    column = _column_number(reference.group(1))
                    row = int(reference.group(2)) if reference.group(2) else row
                else:
                    column += 1
                last_row, last_column = max(last_row, row), max(last_column, column)
                if last_row > max_rows or last_column > max_columns or present > max_cells:
                    _refuse(sheet, last_row, last_column, present, max_rows, max_columns, max_cells)
            pending = data[end:]
    if last_row * last_column > max_cells:
        _refuse(sheet, last_row, last_column, present, max_rows, max_columns, max_cells)


def _refuse(sheet: str, rows: int, columns: int, present: int, max_rows: int, max_columns: int,
            max_cells: int) -> None:
    if rows > max_rows:
        found, limit = f"a cell in row {rows:,}", f"at most {max_rows:,} rows"
    elif columns > max_columns:
        found, limit = f"a cell in column {column_letters(columns)} ({columns:,})", f"at most {max_columns:,} columns"
    elif present > max_cells:
        found, limit = f"more than {max_cells:,} cells", f"at most {max_cells:,} cells"
    else:
        found = f"cells up to row {rows:,} and column {column_letters(columns)}: {rows * columns:,} to lay out"
        limit = f"at most {max_cells:,} cells (rows × columns)"
    raise WorkbookError(f"{sheet} holds {found}; {limit} are read from a workbook (save larger data as CSV)")
