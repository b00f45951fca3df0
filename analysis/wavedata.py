"""What a wave becomes once read: `WaveData`; `InputError`, which every bad input raises, is `errors.py`'s (here too,
the same class)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from questionnaires import Item

from .errors import InputError
from .stats import Moments

META_COLUMNS = ("group", "respondent", "language")
COUNT_COLUMNS = ("item", "code", "count")
ANSWERED_CODE = "*"  # In a counts table, the row giving how many answered a multiple-choice item.
MAX_REPORTED = 50  # Problems listed per input; the rest are counted.
CODE = "code:"  # records column prefix: the code a respondent chose in a single-choice item (categorical)
APPLIES = "applies:"  # records column prefix: does the item's relevance condition hold for the respondent?


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
    # (item, group) -> respondents to whom the item did not apply (its `relevant` condition was false).
    not_applicable: dict[tuple[str, str], int] = field(default_factory=dict)
    # The item columns the file holds (a counts table: the items it counts).
    items: frozenset[str] = frozenset()
    # One row per respondent (respondent files only): `group`, `respondent` (key or ""), one float
    # column per analysis key (1/0 for a proportion, level 1..k, number; NaN blank) and, for each item
    # with a condition, a boolean column APPLIES + item id; for each single-choice item, CODE + item id.
    records: pd.DataFrame | None = None

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


class Problems:
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

