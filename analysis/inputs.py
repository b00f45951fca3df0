"""Read a wave's answers and reduce them to the sufficient statistics the tests need.

Two inputs, recognised by their columns:
- respondent-level CSV or XLSX in the interchange format: `group`, optional
  `respondent` and `language`, then one column per item id; answers as codes,
  blank for no answer, multiple choice as codes separated by spaces;
- an aggregate counts CSV (`item`, `code`, `count`, optional `group`), for a
  baseline that exists only as a published table.

Both become a `WaveData`: per stakeholder group, the successes and answers of
each proportion, the counts at each level of each ordinal item, and the n,
mean and variance of each score. One vectorised pass per column; no Python
loop over respondents.
"""


from __future__ import annotations

import hashlib
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from questionnaires import Questionnaire
from questionnaires.cells import CONTROL
from questionnaires.workbooks import MAX_CELL_CHARACTERS, WorkbookError, check_workbook

from .counts import CountsReader
from .respondents import RespondentReader
from .wavedata import COUNT_COLUMNS, InputError, Problems, WaveData, file_sha256, proportion_keys

__all__ = ["InputError", "WaveData", "file_sha256", "proportion_keys", "read_counts_frame", "read_frame",
           "read_table", "read_wave"]

MAX_ROWS, MAX_COLUMNS = 1_000_000, 1_000  # of a workbook's sheet as its cells place them: checked before it is read
MAX_CELLS = 5_000_000  # rows x columns a reader lays out (100,000 respondents x 50 answers); larger data: CSV
CSV_CHUNK = 200_000  # rows read as text at a time before they become categories


def read_wave(path: str | Path, questionnaire: Questionnaire, *, table: pd.DataFrame | None = None) -> WaveData:
    """Read a respondent-level or counts file; raise InputError listing every problem.

    `table` is the file as `read_table` gave it, when the caller has read it already.
    """
    path = Path(path)
    frame = read_table(path) if table is None else table
    columns = set(frame.columns)
    # A counts table has exactly these columns; a respondent file has item columns besides.
    if set(COUNT_COLUMNS) <= columns <= set(COUNT_COLUMNS) | {"group"}:
        return CountsReader(path, questionnaire).read(frame)
    return RespondentReader(path, questionnaire).read(frame)


def read_frame(frame: pd.DataFrame, questionnaire: Questionnaire, *, source: str,
               check_relevance: bool = True, sha256: str | None = None) -> WaveData:
    """A wave already in memory (say from the database) in the interchange format; text cells.

    `check_relevance=False` for a baseline recoded from another edition, whose conditions may differ.
    `sha256` is the hash to record (default: that of the frame written as CSV).
    """
    if sha256 is None:
        sha256 = hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode()).hexdigest()
    data = RespondentReader(Path(source), questionnaire, sha256=sha256, check_relevance=check_relevance)
    return data.read(frame.astype("category"))


def read_counts_frame(frame: pd.DataFrame, questionnaire: Questionnaire, *, source: str,
                      sha256: str | None = None) -> WaveData:
    """A counts table already in memory (columns item, code, count and optionally group)."""
    reader = CountsReader(Path(source), questionnaire)
    data = reader.read(frame.astype(str))
    return replace(data, sha256=sha256)


# pandas' C parser reports a Ctrl-C that lands while it reads as a ParserError with this text and loses the
# KeyboardInterrupt (an OSError from the file comes through as itself): it is the user stopping, not a bad file.
READ_INTERRUPTED = "Calling read(nbytes) on source failed"


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or XLSX file as text cells (categorical columns, blank cells missing); InputError if unreadable."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = _read_workbook(path)
        elif suffix in (".csv", ".txt", ""):
            # Categories, not a string per cell: a million respondents fit in little memory.
            frame = read_csv_text(path, encoding="utf-8-sig")
            if len(frame.columns) == 1 and ";" in str(frame.columns[0]):
                # Semicolons between values (a spreadsheet saved in a comma-decimal locale, or KoboToolbox).
                frame = read_csv_text(path, sep=";", encoding="utf-8-sig")
        else:
            raise InputError([f"{_shown(path)}: expected a .csv or .xlsx file"])
    except FileNotFoundError:
        raise InputError([f"{_shown(path)}: no such file"]) from None
    except UnicodeDecodeError as error:
        raise InputError([f"{path}: not UTF-8 text ({error.reason}); save the CSV as UTF-8"]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, KeyError, OSError, SyntaxError,
            TypeError, IndexError) as error:
        # SyntaxError: a workbook sheet's broken XML; ValueError also covers a path holding NUL.
        if isinstance(error, InputError):
            raise
        if isinstance(error, pd.errors.ParserError) and READ_INTERRUPTED in str(error):
            raise KeyboardInterrupt from None
        raise InputError([f"{_shown(path)}: cannot be read as a table: {str(error)[:200]}"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    _refuse_unsafe_cells(frame, path)
    return frame


def read_csv_text(source, **options) -> pd.DataFrame:
    """A CSV as categorical columns whose categories are the cells' text exactly as written.

    pandas' dtype="category" would infer numbers ("01" becomes 1, so the code "01" is lost); text
    read in chunks of rows and made categorical chunk by chunk keeps both the text and a small memory.
    """
    chunks = [chunk.astype("category") for chunk in pd.read_csv(
        source, dtype=str, keep_default_na=False, na_values=[""], chunksize=CSV_CHUNK, **options)]
    if len(chunks) <= 1:
        return chunks[0] if chunks else pd.read_csv(source, dtype=str, nrows=0, **options).astype("category")
    columns = {}
    for position, name in enumerate(chunks[0].columns):
        parts = [chunk.iloc[:, position] for chunk in chunks]
        columns[position] = pd.Series(union_categoricals(parts), name=name)
    frame = pd.concat(columns.values(), axis=1)
    frame.columns = chunks[0].columns
    return frame


def _shown(path: Path) -> str:
    """The path for a message: quoted when it holds characters a terminal would not show."""
    text = str(path)
    return repr(text) if CONTROL.search(text) else text


def _read_workbook(path: Path) -> pd.DataFrame:
    """The first sheet of an .xlsx file, once its zip directory shows it is safe to read."""
    import zipfile

    try:
        check_workbook(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS)
    except WorkbookError as error:
        raise InputError([f"{_shown(path)}: {error}"]) from None
    try:
        with warnings.catch_warnings():  # openpyxl's UserWarnings (styles, data validation) are not the user's
            warnings.simplefilter("ignore")
            return pd.read_excel(path, dtype=str, keep_default_na=False, na_values=[""], engine="openpyxl")
    except (zipfile.BadZipFile, EOFError) as error:
        raise InputError([f"{path}: not a readable .xlsx workbook ({error})"]) from None


def _refuse_unsafe_cells(frame: pd.DataFrame, path: Path) -> None:
    """InputError naming row and column of the first cells holding control characters or too much text."""
    problems = Problems(path)
    for position, column in enumerate(frame.columns):
        if CONTROL.search(column) or len(column) > MAX_CELL_CHARACTERS:
            problems.add(1, column[:60], "the column name holds a control character or is too long")
        values = frame.iloc[:, position]
        texts = values.cat.categories if isinstance(values.dtype, pd.CategoricalDtype) else values.dropna().unique()
        for text in (str(t) for t in texts):
            bad = "a control character" if CONTROL.search(text) else \
                f"{len(text)} characters (at most {MAX_CELL_CHARACTERS})" if len(text) > MAX_CELL_CHARACTERS else None
            if bad:
                row = int(np.flatnonzero((values.astype(object) == text).to_numpy())[0]) + 2
                problems.add(row, column[:60], f"the cell holds {bad}")
    problems.raise_if_any()

