"""Counts tables (`item`, `code`, `count`, optional `group`): a baseline published only as a table."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire

from .stats import Moments
from .wavedata import ANSWERED_CODE, COUNT_COLUMNS, Problems, WaveData, file_sha256, proportion_keys


class CountsReader:
    def __init__(self, path: Path, questionnaire: Questionnaire):
        self.path = path
        self.questionnaire = questionnaire
        self.row_numbers: dict[tuple[str, str, str], int] = {}  # (item, code, group) -> table row
        self.problems = Problems(path)

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
        self.check_totals(table)
        self.problems.raise_if_any()
        for group in group_codes or ("all",):
            self.summarise_group(data, table, group)
        data = replace(data, items=frozenset(item_id for _group, item_id in table))
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
            self.row_numbers.setdefault(key, index)
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
            return item if self.number_code_ok(row, item, code) else None
        allowed = item.codes + ((ANSWERED_CODE,) if item.type == "multiple_choice" else ())
        if code not in allowed:
            self.problems.add(row, "code", f"{code!r} is not one of the codes of {item_id!r} ({', '.join(allowed)})")
            return None
        return item

    def number_code_ok(self, row: int, item: Item, code: str) -> bool:
        """The code of a number item is the value: finite, whole when the item wants integers, in range."""
        try:
            value = float(code)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            self.problems.add(row, "code", f"{code!r} is not a number (item {item.id!r} is a number)")
            return False
        problem = None
        if item.integer and not value.is_integer():
            problem = f"{code!r} is not a whole number (item {item.id!r} wants whole numbers)"
        elif item.minimum is not None and value < item.minimum:
            problem = f"{code} is less than the minimum {item.minimum} of item {item.id!r}"
        elif item.maximum is not None and value > item.maximum:
            problem = f"{code} is more than the maximum {item.maximum} of item {item.id!r}"
        if problem:
            self.problems.add(row, "code", problem)
        return problem is None

    def check_totals(self, table: dict[tuple[str, str], dict[str, int]]) -> None:
        """No option of a multiple-choice item can be chosen by more respondents than answered it."""
        for (group, item_id), counts in table.items():
            answered = counts.get(ANSWERED_CODE)
            if answered is None:
                continue
            for code, count in counts.items():
                if code != ANSWERED_CODE and count > answered:
                    self.problems.add(self.row_numbers.get((item_id, code, group)), "count",
                                      f"{count} respondents chose {code!r} of {item_id!r}"
                                      + (f" (group {group})" if group != "all" else "")
                                      + f", but only {answered} answered it (code '{ANSWERED_CODE}')")

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

