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
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire
from questionnaires.cells import CONTROL
from questionnaires.workbooks import MAX_CELL_CHARACTERS, WorkbookError, check_workbook

from .stats import Moments

META_COLUMNS = ("group", "respondent", "language")
COUNT_COLUMNS = ("item", "code", "count")
ANSWERED_CODE = "*"  # In a counts table, the row giving how many answered a multiple-choice item.
MAX_REPORTED = 50  # Problems listed per input; the rest are counted.
MAX_ROWS, MAX_COLUMNS = 1_000_000, 1_000  # declared by a workbook's sheet: checked before it is read


class InputError(ValueError):
    """An input file has problems; `problems` lists them with file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input:\n" + "\n".join(problems))


@dataclass(frozen=True)
class WaveData:
    """Sufficient statistics of one wave, by stakeholder group."""

    source: str
    sha256: str | None
    format: str  # respondents | counts
    n: int | None  # respondents (None for a counts table)
    group_sizes: dict[str, int]  # respondents per group; for counts, the largest item total per group
    # (key, group) -> (successes, answered); key is an item id or ITEM/CODE.
    proportions: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    # (item, group) -> counts at levels 1..k
    levels: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    # (item, group) -> n, mean, variance; the knowledge score is item `knowledge_score`.
    moments: dict[tuple[str, str], Moments] = field(default_factory=dict)

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(group for group, size in self.group_sizes.items() if size > 0)


def proportion_keys(item: Item) -> list[tuple[str, tuple[str, ...]]]:
    """The proportion rows of an item: (key, codes counted as success)."""
    if item.type == "multiple_choice":
        return [(f"{item.id}/{code}", (code,)) for code in (item.success or item.codes)]
    return [(item.id, item.success_codes)]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_wave(path: str | Path, questionnaire: Questionnaire, *, table: pd.DataFrame | None = None) -> WaveData:
    """Read a respondent-level or counts file; raise InputError listing every problem.

    `table` is the file as `read_table` gave it, when the caller has read it already.
    """
    path = Path(path)
    frame = read_table(path) if table is None else table
    columns = set(frame.columns)
    # A counts table has exactly these columns; a respondent file has item columns besides.
    if set(COUNT_COLUMNS) <= columns <= set(COUNT_COLUMNS) | {"group"}:
        return _CountsReader(path, questionnaire).read(frame)
    return _RespondentReader(path, questionnaire).read(frame)


def read_frame(frame: pd.DataFrame, questionnaire: Questionnaire, *, source: str) -> WaveData:
    """A wave already in memory (say from the database) in the interchange format; text cells."""
    text = frame.to_csv(index=False, lineterminator="\n")
    data = _RespondentReader(Path(source), questionnaire, sha256=hashlib.sha256(text.encode()).hexdigest())
    return data.read(frame.astype("category"))


def read_counts_frame(frame: pd.DataFrame, questionnaire: Questionnaire, *, source: str,
                      sha256: str | None = None) -> WaveData:
    """A counts table already in memory (columns item, code, count and optionally group)."""
    reader = _CountsReader(Path(source), questionnaire)
    data = reader.read(frame.astype(str))
    return replace(data, sha256=sha256)


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or XLSX file as text cells (categorical columns, blank cells missing); InputError if unreadable."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = _read_workbook(path)
        elif suffix in (".csv", ".txt", ""):
            # Categories, not a string per cell: a million respondents fit in little memory.
            frame = pd.read_csv(path, dtype="category", keep_default_na=False, na_values=[""],
                                encoding="utf-8-sig")
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
        raise InputError([f"{_shown(path)}: cannot be read as a table: {str(error)[:200]}"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    _refuse_unsafe_cells(frame, path)
    return frame


def _shown(path: Path) -> str:
    """The path for a message: quoted when it holds characters a terminal would not show."""
    text = str(path)
    return repr(text) if CONTROL.search(text) else text


def _read_workbook(path: Path) -> pd.DataFrame:
    """The first sheet of an .xlsx file, once its zip directory shows it is safe to read."""
    import zipfile

    try:
        check_workbook(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except WorkbookError as error:
        raise InputError([f"{_shown(path)}: {error}"]) from None
    try:
        return pd.read_excel(path, dtype=str, keep_default_na=False, na_values=[""], engine="openpyxl")
    except (zipfile.BadZipFile, EOFError) as error:
        raise InputError([f"{path}: not a readable .xlsx workbook ({error})"]) from None


def _refuse_unsafe_cells(frame: pd.DataFrame, path: Path) -> None:
    """InputError naming row and column of the first cells holding control characters or too much text."""
    problems = _Problems(path)
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


class _Problems:
    def __init__(self, path: Path):
        self.path = path
        self.messages: list[str] = []
        self.more = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.messages) >= MAX_REPORTED:
            self.more += 1
            return
        where = ", ".join(p for p in (f"row {row}" if row else "", f"column {column!r}" if column else "") if p)
        self.messages.append(f"{self.path}: {where}: {message}" if where else f"{self.path}: {message}")

    def raise_if_any(self) -> None:
        if self.messages:
            extra = [f"{self.path}: ... and {self.more} more problem(s)"] if self.more else []
            raise InputError(self.messages + extra)


# ---------------------------------------------------------------- respondent-level files


@dataclass(frozen=True)
class _Column:
    """One column's answers as category codes: `index[row]` points into `categories` (-1: blank)."""

    index: np.ndarray
    categories: list[str]  # category texts, stripped

    @classmethod
    def of(cls, values: pd.Series) -> _Column:
        categorical = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
        categories = [str(c).strip() for c in categorical.cat.categories]
        index = categorical.cat.codes.to_numpy().astype(np.int64)
        blank = [i for i, c in enumerate(categories) if not c]  # blank once stripped: no answer
        if blank:
            index = np.where(np.isin(index, blank), -1, index)
        return cls(index, categories)

    def lookup(self, per_category: np.ndarray, blank) -> np.ndarray:
        """Per-row values from per-category values; `blank` for rows without an answer."""
        return np.append(per_category, blank)[self.index]

    def rows_where(self, category_mask: np.ndarray) -> np.ndarray:
        """Rows (0-based) whose answer falls in a flagged category."""
        if not category_mask.any():
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(self.lookup(category_mask, False))

    def text(self, row: int) -> str:
        return self.categories[self.index[row]]


class _RespondentReader:
    def __init__(self, path: Path, questionnaire: Questionnaire, sha256: str | None = None):
        self.path = path
        self.questionnaire = questionnaire
        self.problems = _Problems(path)
        self.sha256 = sha256

    def read(self, frame: pd.DataFrame) -> WaveData:
        questionnaire = self.questionnaire
        self.check_columns(frame)
        self.problems.raise_if_any()
        groups = self.group_index(_Column.of(frame["group"]))
        items = [questionnaire.item(c) for c in frame.columns if c not in META_COLUMNS]
        parsed = {item.id: self.parse_column(item, _Column.of(frame[item.id])) for item in items}
        self.problems.raise_if_any()
        return self.summarise(groups, parsed, len(frame))

    def check_columns(self, frame: pd.DataFrame) -> None:
        seen: set[str] = set()
        for column in frame.columns:
            if column in seen:
                self.problems.add(1, column, "this column appears twice")
            seen.add(column)
            if column in META_COLUMNS:
                continue
            if not self.questionnaire.has_item(column):
                self.problems.add(1, column, f"unknown item column: {self.questionnaire.id} "
                                             f"{self.questionnaire.version} has no item {column!r}")
            elif not self.questionnaire.item(column).kind.takes_answer:
                self.problems.add(1, column, f"{column!r} is a note and takes no answer")
        if "group" not in frame.columns:
            self.problems.add(1, None, "the column 'group' is missing (every respondent belongs to one group)")

    def report(self, rows: np.ndarray, column: str, message) -> None:
        """One problem per row (spreadsheet rows: the header is row 1)."""
        for row in rows[:MAX_REPORTED + 1]:
            self.problems.add(int(row) + 2, column, message(int(row)))
        self.problems.more += max(0, len(rows) - (MAX_REPORTED + 1))

    def group_index(self, column: _Column) -> np.ndarray:
        codes = self.questionnaire.group_codes
        position = np.array([codes.index(c) if c in codes else -1 for c in column.categories], dtype=np.int64)
        self.report(np.flatnonzero(column.index < 0), "group",
                    lambda row: "group is blank (every respondent belongs to one group)")
        self.report(column.rows_where(position < 0), "group",
                    lambda row: f"group {column.text(row)!r} is not one of {', '.join(codes)}")
        return column.lookup(position, -1)

    def parse_column(self, item: Item, column: _Column):
        """Choice items: the level index per row (-1 blank). Multiple choice: (answered, selection matrix).
        Numbers: floats (NaN blank). Text: None."""
        if item.type in ("single_choice", "likert"):
            position = np.array([item.codes.index(c) if c in item.codes else -1 for c in column.categories],
                                dtype=np.int64)
            self.report(column.rows_where(position < 0), item.id,
                        lambda row: f"{column.text(row)!r} is not one of the codes {', '.join(item.codes)}")
            return column.lookup(position, -1)
        if item.type == "multiple_choice":
            return self.parse_selections(item, column)
        if item.type == "number":
            return self.parse_numbers(item, column)
        return None

    def parse_selections(self, item: Item, column: _Column) -> tuple[np.ndarray, np.ndarray]:
        chosen = np.array([[code in category.split() for code in item.codes] for category in column.categories],
                          dtype=bool).reshape(len(column.categories), len(item.codes))
        unknown = np.array([any(t not in item.codes for t in c.split()) for c in column.categories], dtype=bool)
        self.report(column.rows_where(unknown), item.id, lambda row: (
            f"{', '.join(repr(t) for t in column.text(row).split() if t not in item.codes)} is not one of the "
            f"codes {', '.join(item.codes)}"))
        selections = np.vstack([chosen, np.zeros((1, len(item.codes)), dtype=bool)])[column.index]
        return column.index >= 0, selections

    def parse_numbers(self, item: Item, column: _Column) -> np.ndarray:
        numbers = pd.to_numeric(pd.Series(column.categories, dtype=object), errors="coerce").to_numpy(dtype=float)
        not_number = ~np.isfinite(numbers)
        self.report(column.rows_where(not_number), item.id, lambda row: f"{column.text(row)!r} is not a number")
        checks = []
        if item.integer:
            with np.errstate(invalid="ignore"):  # inf and NaN ("1e400", "nan") are reported as not numbers above
                fractional = np.mod(numbers, 1) != 0
            checks.append((fractional, lambda row: f"{column.text(row)!r} is not a whole number"))
        if item.minimum is not None:
            checks.append((numbers < item.minimum,
                           lambda row: f"{column.text(row)} is less than the minimum {item.minimum}"))
        if item.maximum is not None:
            checks.append((numbers > item.maximum,
                           lambda row: f"{column.text(row)} is more than the maximum {item.maximum}"))
        for mask, message in checks:
            self.report(column.rows_where(mask & ~not_number), item.id, message)
        return column.lookup(numbers, np.nan)

    def summarise(self, groups: np.ndarray, parsed: dict, n: int) -> WaveData:
        codes = self.questionnaire.group_codes
        sizes = np.bincount(groups, minlength=len(codes))
        data = WaveData(source=str(self.path), sha256=self.sha256 or file_sha256(self.path), format="respondents", n=n,
                        group_sizes={g: int(sizes[i]) for i, g in enumerate(codes)})
        for item in self.questionnaire.answerable_items:
            values = parsed.get(item.id)
            kind = item.analysis_kind
            if kind == "proportion":
                self.add_proportions(data, item, values, groups)
            elif kind == "ordinal":
                self.add_levels(data, item, values if values is not None else np.full(n, -1), groups)
            elif kind == "score":
                self.add_moments(data, item.id, values if values is not None else np.full(n, np.nan), groups)
        self.add_knowledge_score(data, parsed, groups, n)
        return data

    def add_proportions(self, data: WaveData, item: Item, values, groups: np.ndarray) -> None:
        count = len(self.questionnaire.group_codes)
        if values is None:  # the item is not in the file: nobody answered it
            values = (np.zeros(len(groups), dtype=bool), np.zeros((len(groups), len(item.codes)), dtype=bool)) \
                if item.type == "multiple_choice" else np.full(len(groups), -1)
        answered = values[0] if item.type == "multiple_choice" else values >= 0
        answered_by_group = np.bincount(groups, weights=answered, minlength=count)
        for key, success in proportion_keys(item):
            if item.type == "multiple_choice":
                hits = values[1][:, item.codes.index(success[0])]
            else:
                hits = np.isin(values, [item.codes.index(c) for c in success])
            hits_by_group = np.bincount(groups, weights=hits, minlength=count)
            for i, group in enumerate(self.questionnaire.group_codes):
                data.proportions[(key, group)] = (int(hits_by_group[i]), int(answered_by_group[i]))

    def add_levels(self, data: WaveData, item: Item, level: np.ndarray, groups: np.ndarray) -> None:
        count, k = len(self.questionnaire.group_codes), len(item.codes)
        answered = level >= 0
        table = np.bincount(groups[answered] * k + level[answered], minlength=count * k).reshape(count, k)
        for i, group in enumerate(self.questionnaire.group_codes):
            data.levels[(item.id, group)] = table[i]

    def add_moments(self, data: WaveData, key: str, values: np.ndarray, groups: np.ndarray) -> None:
        count = len(self.questionnaire.group_codes)
        present = np.isfinite(values)
        g, x = groups[present], values[present]
        n = np.bincount(g, minlength=count)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(g, weights=x, minlength=count) / n
            # Two passes (deviations from each group's mean) for an accurate variance.
            squares = np.bincount(g, weights=(x - mean[g]) ** 2, minlength=count)
            variance = np.where(n > 1, squares / np.maximum(n - 1, 1), np.nan)
        for i, group in enumerate(self.questionnaire.group_codes):
            data.moments[(key, group)] = Moments(int(n[i]), float(mean[i]), float(variance[i]))

    def add_knowledge_score(self, data: WaveData, parsed: dict, groups: np.ndarray, n: int) -> None:
        """Per respondent: 100 x correct / knowledge items answered; those who answered none are left out."""
        if not self.questionnaire.knowledge_items:
            return
        correct = np.zeros(n)
        answered = np.zeros(n)
        for item in self.questionnaire.knowledge_items:
            level = parsed.get(item.id)
            if level is not None:
                answered += level >= 0
                correct += level == item.codes.index(item.correct)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(answered > 0, 100 * correct / answered, np.nan)
        self.add_moments(data, "knowledge_score", score, groups)


# ---------------------------------------------------------------- counts tables


class _CountsReader:
    def __init__(self, path: Path, questionnaire: Questionnaire):
        self.path = path
        self.questionnaire = questionnaire
        self.problems = _Problems(path)

    def read(self, frame: pd.DataFrame) -> WaveData:
        questionnaire = self.questionnaire
        allowed = set(COUNT_COLUMNS) | {"group"}
        for column in frame.columns:
            if column not in allowed:
                self.problems.add(1, column, "unknown column in a counts table (expected item, code, count, group)")
        rows = self.check_rows(frame)
        self.problems.raise_if_any()
        has_groups = "group" in frame.columns
        group_codes = questionnaire.group_codes if has_groups else ()
        data = WaveData(source=str(self.path), sha256=file_sha256(self.path) if self.path.is_file() else None,
                        format="counts", n=None, group_sizes={})
        # (group, item) -> {code: count}: the table grouped once.
        table: dict[tuple[str, str], dict[str, int]] = {}
        for item_id, code, group, count in rows:
            table.setdefault((group, item_id), {})[code] = count
        for group in group_codes or ("all",):
            self.summarise_group(data, table, group)
        self.problems.raise_if_any()
        # The number of respondents is unknown: each group's size is its largest item total.
        sizes = [(g, n) for (_k, g), (_s, n) in data.proportions.items()]
        sizes += [(g, int(counts.sum())) for (_k, g), counts in data.levels.items()]
        sizes += [(g, moments.n) for (_k, g), moments in data.moments.items()]
        for group, n in sizes:
            data.group_sizes[group] = max(data.group_sizes.get(group, 0), n)
        return data

    def check_rows(self, frame: pd.DataFrame) -> list[tuple[str, str, str, int]]:
        missing = [c for c in COUNT_COLUMNS if c not in frame.columns]
        if missing:
            self.problems.add(1, None, f"a counts table needs the columns {', '.join(missing)}")
            return []
        rows: list[tuple[str, str, str, int]] = []
        seen: set[tuple[str, str, str]] = set()
        has_groups = "group" in frame.columns
        for index, record in enumerate(frame.itertuples(index=False), start=2):
            values = record._asdict()
            item_id = str(values["item"]).strip() if pd.notna(values["item"]) else ""
            code = str(values["code"]).strip() if pd.notna(values["code"]) else ""
            group = str(values.get("group", "")).strip() if has_groups and pd.notna(values.get("group")) else ""
            count = self.count(index, values["count"])
            item = self.check_item(index, item_id, code)
            if has_groups and group not in self.questionnaire.group_codes:
                self.problems.add(index, "group", "group is blank" if not group else
                                  f"group {group!r} is not one of {', '.join(self.questionnaire.group_codes)}")
                continue
            key = (item_id, code, group or "all")
            if key in seen:
                self.problems.add(index, None, f"a second row for item {item_id!r}, code {code!r}"
                                  + (f", group {group!r}" if group else ""))
            seen.add(key)
            if item is not None and count is not None:
                rows.append((item_id, code, group or "all", count))
        return rows

    def count(self, row: int, value) -> int | None:
        text = str(value).strip() if pd.notna(value) else ""
        try:
            number = float(text)
        except ValueError:
            self.problems.add(row, "count", f"{text!r} is not a number" if text else "count is blank")
            return None
        if number < 0 or not number.is_integer():
            self.problems.add(row, "count", f"{text!r} is not a whole number of respondents")
            return None
        return int(number)

    def check_item(self, row: int, item_id: str, code: str) -> Item | None:
        questionnaire = self.questionnaire
        if not questionnaire.has_item(item_id):
            self.problems.add(row, "item", f"{questionnaire.id} {questionnaire.version} has no item {item_id!r}")
            return None
        item = questionnaire.item(item_id)
        if item.type in ("text", "note"):
            self.problems.add(row, "item", f"{item_id!r} is a {item.type} item: its answers cannot be counted")
            return None
        if item.type == "number":
            try:
                float(code)
            except ValueError:
                self.problems.add(row, "code", f"{code!r} is not a number (item {item_id!r} is a number)")
                return None
            return item
        allowed = item.codes + ((ANSWERED_CODE,) if item.type == "multiple_choice" else ())
        if code not in allowed:
            self.problems.add(row, "code", f"{code!r} is not one of the codes of {item_id!r} ({', '.join(allowed)})")
            return None
        return item

    def summarise_group(self, data: WaveData, table: dict[tuple[str, str], dict[str, int]], group: str) -> None:
        for item in self.questionnaire.answerable_items:
            counts = table.get((group, item.id))
            if not counts:
                continue
            kind = item.analysis_kind
            if kind == "proportion":
                if item.type == "multiple_choice":
                    if ANSWERED_CODE not in counts:
                        self.problems.add(None, None, f"item {item.id!r} (group {group}): a multiple-choice item "
                                          f"needs a row with code '{ANSWERED_CODE}' giving how many answered it")
                        continue
                    answered = counts[ANSWERED_CODE]
                else:
                    answered = sum(counts.values())
                for key, success in proportion_keys(item):
                    data.proportions[(key, group)] = (sum(counts.get(c, 0) for c in success), answered)
            elif kind == "ordinal":
                data.levels[(item.id, group)] = np.array([counts.get(c, 0) for c in item.codes], dtype=np.int64)
            elif kind == "score":
                values = np.array([float(c) for c in counts], dtype=float)
                weights = np.array(list(counts.values()), dtype=float)
                n = int(weights.sum())
                mean = float((values * weights).sum() / n) if n else np.nan
                variance = float((weights * (values - mean) ** 2).sum() / (n - 1)) if n > 1 else np.nan
                data.moments[(item.id, group)] = Moments(n, mean, variance)
