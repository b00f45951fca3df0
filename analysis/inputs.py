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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire

from .stats import Moments

META_COLUMNS = ("group", "respondent", "language")
COUNT_COLUMNS = ("item", "code", "count")
ANSWERED_CODE = "*"  # In a counts table, the row giving how many answered a multiple-choice item.
MAX_REPORTED = 50  # Problems listed per input; the rest are counted.


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


def read_wave(path: str | Path, questionnaire: Questionnaire) -> WaveData:
    """Read a respondent-level or counts file; raise InputError listing every problem."""
    path = Path(path)
    frame = _read_table(path)
    columns = set(frame.columns)
    # A counts table has exactly these columns; a respondent file has item columns besides.
    if set(COUNT_COLUMNS) <= columns <= set(COUNT_COLUMNS) | {"group"}:
        return _CountsReader(path, questionnaire).read(frame)
    return _RespondentReader(path, questionnaire).read(frame)


def _read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, na_values=[""], engine="openpyxl")
        elif suffix in (".csv", ".txt", ""):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig",
                                skipinitialspace=False)
        else:
            raise InputError([f"{path}: expected a .csv or .xlsx file"])
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"]) from None
    except UnicodeDecodeError as error:
        raise InputError([f"{path}: not UTF-8 text ({error.reason}); save the CSV as UTF-8"]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, KeyError, OSError) as error:
        if isinstance(error, InputError):
            raise
        raise InputError([f"{path}: cannot be read as a table: {error}"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


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

    def add_rows(self, mask: pd.Series, values: pd.Series, column: str, describe) -> None:
        """One problem per row where `mask` holds; rows are spreadsheet rows (the header is row 1)."""
        for index in mask[mask].index[: MAX_REPORTED + 1]:
            self.add(int(index) + 2, column, describe(values.loc[index]))
        self.more += max(0, int(mask.sum()) - (MAX_REPORTED + 1))

    def raise_if_any(self) -> None:
        if self.messages:
            extra = [f"{self.path}: ... and {self.more} more problem(s)"] if self.more else []
            raise InputError(self.messages + extra)


# ---------------------------------------------------------------- respondent-level files


class _RespondentReader:
    def __init__(self, path: Path, questionnaire: Questionnaire):
        self.path = path
        self.questionnaire = questionnaire
        self.problems = _Problems(path)

    def read(self, frame: pd.DataFrame) -> WaveData:
        questionnaire = self.questionnaire
        self.check_columns(frame)
        self.problems.raise_if_any()
        groups = frame["group"].str.strip()
        bad_group = ~groups.isin(questionnaire.group_codes)
        self.problems.add_rows(bad_group, groups, "group", lambda v: (
            "group is blank (every respondent belongs to one group)" if pd.isna(v) else
            f"group {v!r} is not one of {', '.join(questionnaire.group_codes)}"))
        items = [questionnaire.item(c) for c in frame.columns if c not in META_COLUMNS]
        parsed = {item.id: self.parse_column(item, frame[item.id]) for item in items}
        self.problems.raise_if_any()
        groups = pd.Categorical(groups, categories=list(questionnaire.group_codes))
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

    def parse_column(self, item: Item, values: pd.Series) -> pd.Series:
        values = values.str.strip().replace("", np.nan)
        if item.type in ("single_choice", "likert"):
            bad = values.notna() & ~values.isin(item.codes)
            self.problems.add_rows(bad, values, item.id,
                                   lambda v: f"{v!r} is not one of the codes {', '.join(item.codes)}")
            return values
        if item.type == "multiple_choice":
            tokens = values.dropna().str.split().explode()
            bad_rows = tokens[~tokens.isin(item.codes)]
            for index, code in bad_rows.iloc[:MAX_REPORTED].items():
                self.problems.add(int(index) + 2, item.id,
                                  f"{code!r} is not one of the codes {', '.join(item.codes)}")
            return values
        if item.type == "number":
            return self.parse_numbers(item, values)
        return values

    def parse_numbers(self, item: Item, values: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(values, errors="coerce")
        not_number = values.notna() & (numbers.isna() | ~np.isfinite(numbers.fillna(0)))
        self.problems.add_rows(not_number, values, item.id, lambda v: f"{v!r} is not a number")
        if item.integer:
            fractional = numbers.notna() & (numbers % 1 != 0)
            self.problems.add_rows(fractional, values, item.id, lambda v: f"{v!r} is not a whole number")
        if item.minimum is not None:
            self.problems.add_rows(numbers < item.minimum, values, item.id,
                                   lambda v: f"{v} is less than the minimum {item.minimum}")
        if item.maximum is not None:
            self.problems.add_rows(numbers > item.maximum, values, item.id,
                                   lambda v: f"{v} is more than the maximum {item.maximum}")
        return numbers

    def summarise(self, groups: pd.Categorical, parsed: dict[str, pd.Series], n: int) -> WaveData:
        group_sizes = pd.Series(groups).value_counts(sort=False)
        data = WaveData(
            source=str(self.path), sha256=file_sha256(self.path), format="respondents", n=n,
            group_sizes={g: int(group_sizes.get(g, 0)) for g in self.questionnaire.group_codes},
        )
        for item in self.questionnaire.answerable_items:
            values = parsed.get(item.id)
            kind = item.analysis_kind
            if kind == "proportion":
                self.add_proportions(data, item, values, groups)
            elif kind == "ordinal":
                self.add_levels(data, item, values, groups)
            elif kind == "score":
                self.add_moments(data, item.id, values, groups)
        self.add_knowledge_score(data, parsed, groups)
        return data

    def add_proportions(self, data: WaveData, item: Item, values: pd.Series | None, groups) -> None:
        answered = _by_group(values.notna() if values is not None else None, groups)
        for key, success in proportion_keys(item):
            if values is None:
                hits = None
            elif item.type == "multiple_choice":
                hits = _contains_code(values, success[0])
            else:
                hits = values.isin(success)
            successes = _by_group(hits, groups)
            for group in self.questionnaire.group_codes:
                data.proportions[(key, group)] = (int(successes.get(group, 0)), int(answered.get(group, 0)))

    def add_levels(self, data: WaveData, item: Item, values: pd.Series | None, groups) -> None:
        k = len(item.codes)
        for group in self.questionnaire.group_codes:
            data.levels[(item.id, group)] = np.zeros(k, dtype=np.int64)
        if values is None:
            return
        levels = pd.Categorical(values, categories=list(item.codes))
        table = pd.crosstab(pd.Series(groups, name="group"), pd.Series(levels, name="level"), dropna=False)
        for group in table.index:
            data.levels[(item.id, str(group))] = table.loc[group].reindex(item.codes, fill_value=0).to_numpy()

    def add_moments(self, data: WaveData, key: str, values: pd.Series | None, groups) -> None:
        if values is None:
            values = pd.Series(np.nan, index=range(len(groups)))
        frame = pd.DataFrame({"group": groups, "value": values.to_numpy(dtype=float)})
        summary = frame.groupby("group", observed=False)["value"].agg(["count", "mean", "var"])
        for group in self.questionnaire.group_codes:
            if group in summary.index:
                row = summary.loc[group]
                data.moments[(key, group)] = Moments(int(row["count"]), float(row["mean"]), float(row["var"]))
            else:
                data.moments[(key, group)] = Moments(0, np.nan, np.nan)

    def add_knowledge_score(self, data: WaveData, parsed: dict[str, pd.Series], groups) -> None:
        items = [i for i in self.questionnaire.knowledge_items if i.id in parsed]
        if not self.questionnaire.knowledge_items:
            return
        correct = np.zeros(len(groups))
        answered = np.zeros(len(groups))
        for item in items:
            values = parsed[item.id]
            answered += values.notna().to_numpy()
            correct += (values == item.correct).fillna(False).to_numpy(dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(answered > 0, 100 * correct / np.maximum(answered, 1), np.nan)
        self.add_moments(data, "knowledge_score", pd.Series(score), groups)


def _by_group(mask: pd.Series | None, groups) -> pd.Series:
    if mask is None:
        return pd.Series(dtype="int64")
    return pd.Series(mask.to_numpy(dtype=bool)).groupby(pd.Series(groups), observed=False).sum()


def _contains_code(values: pd.Series, code: str) -> pd.Series:
    """Whether each space-separated answer holds `code` (vectorised)."""
    padded = (" " + values.fillna("") + " ")
    return padded.str.contains(f" {code} ", regex=False)


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
        data = WaveData(source=str(self.path), sha256=file_sha256(self.path), format="counts", n=None,
                        group_sizes={})
        table: dict[tuple[str, str, str], int] = {(r[0], r[1], r[2]): r[3] for r in rows}
        present = {r[2] for r in rows}
        for group in group_codes or ("all",):
            if group not in present:
                continue
            self.summarise_group(data, table, group)
        self.problems.raise_if_any()
        totals = {g: max((n for (_k, gg), (_s, n) in data.proportions.items() if gg == g), default=0)
                  for g in present}
        for (_item, group), counts in data.levels.items():
            totals[group] = max(totals.get(group, 0), int(counts.sum()))
        for (_item, group), moments in data.moments.items():
            totals[group] = max(totals.get(group, 0), moments.n)
        data.group_sizes.update(totals)
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

    def summarise_group(self, data: WaveData, table: dict, group: str) -> None:
        for item in self.questionnaire.answerable_items:
            counts = {code: n for (i, code, g), n in table.items() if i == item.id and g == group}
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
