"""Variable names for SPSS and Stata: within each format's rules, unique, and the same every year.

A column of the interchange format (an item id, or `item_code` for one option of a
multiple-choice item) keeps its name when the format allows it. Otherwise its name is
shortened and given six hex digits of the SHA-256 of the full column name, so that the
same item gets the same short name every year, whatever its position in the questionnaire.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_]")
STATA_RESERVED = frozenset({
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_pi",
    "_pred", "_rc", "_se", "_skip", "strl", "using", "with",
}) | frozenset(f"str{n}" for n in range(1, 2046))
SPSS_RESERVED = frozenset({"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"})


@dataclass(frozen=True)
class NameRules:
    """What a format allows in a variable name."""

    format: str
    limit: int  # characters (ASCII, so bytes too)
    reserved: frozenset[str]  # lower case
    may_start_with_underscore: bool


# SPSS: 64 bytes, a letter first. Stata allows 32 characters, but pyreadstat names each value-label
# set after its variable followed by a running number, and that name has the same limit: 28 leaves
# room for four digits.
SPSS = NameRules("SPSS", 64, SPSS_RESERVED, may_start_with_underscore=False)
STATA = NameRules("Stata", 28, STATA_RESERVED, may_start_with_underscore=True)


def _allowed_as_is(name: str, rules: NameRules) -> bool:
    return (bool(name) and len(name) <= rules.limit and not _NOT_ALLOWED.search(name)
            and (name[0].isalpha() or (name[0] == "_" and rules.may_start_with_underscore))
            and not name[0].isdigit() and name.lower() not in rules.reserved)


def _shortened(name: str, rules: NameRules, digits: int) -> str:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:digits]
    clean = _NOT_ALLOWED.sub("_", name)
    if not clean[:1].isalpha():
        clean = "v" + clean
    return f"{clean[: rules.limit - digits - 1]}_{digest}"


def short_names(columns: list[str], rules: NameRules) -> dict[str, str]:
    """Column name -> variable name, unique without regard to case (SPSS ignores case)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        candidate = column if _allowed_as_is(column, rules) else _shortened(column, rules, 6)
        # Longer digests only when two columns differ by case, or a name looks like another's shortened
        # form: still a function of the column name alone.
        for digits in range(8, rules.limit - 1, 2):
            if candidate.lower() not in taken:
                break
            candidate = _shortened(column, rules, digits)
        taken.add(candidate.lower())
        names[column] = candidate
    return names
