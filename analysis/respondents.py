"""Respondent-level files: one row per respondent, checked cell by cell, reduced per group.

Besides the sufficient statistics, the reader keeps one numeric column per analysis
key for every respondent (`WaveData.records`): paired comparisons, shares among all
respondents and the knowledge score over the items both waves hold need them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire

from . import relevance
from .stats import Moments
from .wavedata import APPLIES, CODE, MAX_REPORTED, META_COLUMNS, Problems, WaveData, file_sha256, proportion_keys


def _stripped(column: pd.Series) -> pd.Series:
    """A column's cells as text without surrounding white space, "" where blank."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Each distinct cell once, not each row; "" last, for the code -1 of a blank cell.
        text = np.array([*(str(category).strip() for category in column.cat.categories), ""], dtype=object)
        return pd.Series(text[column.cat.codes.to_numpy()], index=column.index)
    return column.astype(object).where(column.notna(), "").astype(str).str.strip()


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


class RespondentReader:
    def __init__(self, path: Path, questionnaire: Questionnaire, sha256: str | None = None,
                 check_relevance: bool = True):
        self.path = path
        self.questionnaire = questionnaire
        self.problems = Problems(path)
        self.sha256 = sha256
        self.check_relevance = check_relevance

    def read(self, frame: pd.DataFrame) -> WaveData:
        questionnaire = self.questionnaire
        self.check_columns(frame)
        self.problems.raise_if_any()
        self.refuse_labels(frame)
        groups = self.group_index(_Column.of(frame["group"]))
        keys = self.respondent_keys(frame)
        items = [questionnaire.item(c) for c in frame.columns if c not in META_COLUMNS]
        columns = {item.id: _Column.of(frame[item.id]) for item in items}
        parsed = {item.id: self.parse_column(item, columns[item.id]) for item in items}
        masks = relevance.applies(questionnaire, columns, len(frame))
        if self.check_relevance:
            self.check_conditions(columns, masks)
        self.problems.raise_if_any()
        names, matrix = self.analysis_columns(parsed, len(frame))
        data = self.summarise(groups, parsed, dict(zip(names, matrix, strict=True)), len(frame))
        self.add_not_applicable(data, masks, columns, groups)
        records = self.records(groups, keys, names, matrix, masks)
        records = self.with_codes(records, parsed)
        return replace(data, items=frozenset(columns), records=records)

    def refuse_labels(self, frame: pd.DataFrame) -> None:
        """A file written with labels (csv-labels, the sheet 'data (labels)') read as codes: said once, for
        the first column whose answers are labels, instead of once per cell."""
        for column in frame.columns:
            if column == "group":
                choices, multiple = self.questionnaire.groups, False
            elif self.questionnaire.has_item(column) and self.questionnaire.item(column).kind.has_choices:
                item = self.questionnaire.item(column)
                choices, multiple = item.choices, item.type == "multiple_choice"
            else:
                continue
            codes = {choice.code for choice in choices}
            labels = {text: choice.code for choice in choices for text in choice.label.values() if text not in codes}
            values = {part.strip() for value in _Column.of(frame[column]).categories
                      for part in (value.split(";") if multiple else [value])} - {""} - codes
            if values and values <= labels.keys():
                label = sorted(values)[0]
                self.problems.add(None, column, (
                    f"the answers are the choices' labels, not their codes ({label!r} is the label of code "
                    f"{labels[label]!r}): this is an export with labels (csv-labels, or the sheet 'data (labels)' "
                    "of the xlsx export); import the csv export, or the sheet 'data', which holds the codes"))
                self.problems.raise_if_any()

    def respondent_keys(self, frame: pd.DataFrame) -> np.ndarray:
        """Each row's respondent key ("" when none); a key given twice in one wave is a problem."""
        if "respondent" not in frame.columns:
            return np.full(len(frame), "", dtype=object)
        keys = _stripped(frame["respondent"])
        duplicated = (keys != "") & keys.duplicated(keep="first")
        if duplicated.any():  # the row where each key first appeared is named only in the messages
            first_row = {key: row for row, key in zip(np.flatnonzero(~duplicated), keys[~duplicated], strict=True)}
            self.report(np.flatnonzero(duplicated.to_numpy()), "respondent",
                        lambda row: f"respondent {keys.iloc[row]!r} already answered this wave in row "
                                    f"{first_row[keys.iloc[row]] + 2}")
        return keys.to_numpy(dtype=object)

    def check_conditions(self, columns: dict, masks: dict[str, np.ndarray]) -> None:
        """An answer to an item whose condition is false for that respondent cannot have been asked."""
        for item_id, mask in masks.items():
            if item_id not in columns:
                continue
            wrong = np.flatnonzero((columns[item_id].index >= 0) & ~mask)
            condition = self.questionnaire.item(item_id).relevant
            self.report(wrong, item_id, lambda row, c=condition: f"answered, but the item is asked only if "
                                                                   f"{c}, which is false for this respondent")

    def add_not_applicable(self, data: WaveData, masks: dict[str, np.ndarray], columns: dict,
                           groups: np.ndarray) -> None:
        """Per group, those an item did not apply to and who did not answer it (an answer, possible only
        when the check is off, counts as an answer, never twice)."""
        codes = self.questionnaire.group_codes
        for item_id, mask in masks.items():
            blank = columns[item_id].index < 0 if item_id in columns else np.ones(len(mask), dtype=bool)
            counts = np.bincount(groups[~mask & blank], minlength=len(codes))
            for i, group in enumerate(codes):
                data.not_applicable[(item_id, group)] = int(counts[i])

    def analysis_columns(self, parsed: dict, n: int) -> tuple[list[str], np.ndarray]:
        """One float row per analysis key (1/0 success, level 1..k, number; NaN blank), in one matrix:
        it becomes the records' frame without a copy."""
        names = []
        for item in self.questionnaire.answerable_items:
            kind = item.analysis_kind
            if kind == "proportion":
                names += [key for key, _success in proportion_keys(item)]
            elif kind in ("ordinal", "score"):
                names.append(item.id)
        matrix = np.empty((len(names), n))
        row = 0
        for item in self.questionnaire.answerable_items:
            values, kind = parsed.get(item.id), item.analysis_kind
            if kind == "proportion":
                for _key, success in proportion_keys(item):
                    matrix[row] = _successes(item, values, success, n)
                    row += 1
            elif kind == "ordinal":
                matrix[row] = np.nan if values is None else np.where(values >= 0, values + 1.0, np.nan)
                row += 1
            elif kind == "score":
                matrix[row] = np.nan if values is None else values
                row += 1
        return names, matrix

    def records(self, groups: np.ndarray, keys: np.ndarray, names: list[str], matrix: np.ndarray,
                masks: dict) -> pd.DataFrame:
        """One row per respondent (see WaveData.records)."""
        frame = pd.DataFrame(matrix.T, columns=names, copy=False)
        codes = np.array(self.questionnaire.group_codes, dtype=object)
        frame.insert(0, "group", codes[groups])
        frame.insert(1, "respondent", keys)
        if masks:
            flags = pd.DataFrame({APPLIES + item_id: mask for item_id, mask in masks.items()})
            frame = pd.concat([frame, flags], axis=1)
        return frame

    def with_codes(self, frame: pd.DataFrame, parsed: dict) -> pd.DataFrame:
        """The code each respondent chose in each single-choice item, as categories (a variable to rake on:
        analysis/designs/rake.py)."""
        chosen = {CODE + item.id: pd.Categorical.from_codes(parsed[item.id], categories=item.codes)
                  for item in self.questionnaire.answerable_items
                  if item.type == "single_choice" and parsed.get(item.id) is not None}
        return pd.concat([frame, pd.DataFrame(chosen)], axis=1) if chosen else frame

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
            with np.errstate(invalid="ignore"):  # inf and nan are reported above, not here
                checks.append((np.mod(numbers, 1) != 0, lambda row: f"{column.text(row)!r} is not a whole number"))
        if item.minimum is not None:
            checks.append((numbers < item.minimum,
                           lambda row: f"{column.text(row)} is less than the minimum {item.minimum}"))
        if item.maximum is not None:
            checks.append((numbers > item.maximum,
                           lambda row: f"{column.text(row)} is more than the maximum {item.maximum}"))
        for mask, message in checks:
            self.report(column.rows_where(mask & ~not_number), item.id, message)
        return column.lookup(numbers, np.nan)

    def summarise(self, groups: np.ndarray, parsed: dict, numbers: dict[str, np.ndarray], n: int) -> WaveData:
        """Per group: successes and answers (from the analysis columns), level counts, moments."""
        codes = self.questionnaire.group_codes
        sizes = np.bincount(groups, minlength=len(codes))
        data = WaveData(source=str(self.path), sha256=self.sha256 or file_sha256(self.path), format="respondents", n=n,
                        group_sizes={g: int(sizes[i]) for i, g in enumerate(codes)})
        for item in self.questionnaire.answerable_items:
            values = parsed.get(item.id)
            kind = item.analysis_kind
            if kind == "proportion":
                for key, _success in proportion_keys(item):
                    self.add_proportions(data, key, numbers[key], groups)
            elif kind == "ordinal":
                self.add_levels(data, item, values if values is not None else np.full(n, -1), groups)
            elif kind == "score":
                self.add_moments(data, item.id, values if values is not None else np.full(n, np.nan), groups)
        return data

    def add_proportions(self, data: WaveData, key: str, values: np.ndarray, groups: np.ndarray) -> None:
        """Successes (1) and answers (not NaN) per group of one proportion key."""
        count = len(self.questionnaire.group_codes)
        answered_by_group = np.bincount(groups, weights=~np.isnan(values), minlength=count)
        hits_by_group = np.bincount(groups, weights=values == 1, minlength=count)
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


def _successes(item: Item, values, success: tuple[str, ...], n: int) -> np.ndarray:
    """1 for a success, 0 for another answer, NaN for a blank."""
    if values is None:
        return np.full(n, np.nan)
    if item.type == "multiple_choice":
        answered, selections = values
        hits = selections[:, item.codes.index(success[0])]
    else:
        answered = values >= 0
        hits = np.isin(values, [item.codes.index(c) for c in success])
    return np.where(answered, hits.astype(float), np.nan)
