"""The checks every reader of a questionnaire shares: names, codes, texts, flags and expressions, each problem
collected with where it is (a `Checker` keeps them), and the limits they hold a definition to."""

from __future__ import annotations

import re
from typing import Any

from . import expressions
from .cells import control_character, is_formula_like
from .model import Text
from .problems import Problem

TOP_KEYS = {"id", "version", "title", "description", "languages", "groups", "group_question",
            "choice_lists", "sections"}
SECTION_KEYS = {"id", "title", "hint", "items"}
CHOICE_KEYS = {"code", "label"}
# Always used with fullmatch: `$` would also accept a name ending in a new line.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)*")
# Limits that keep names within the database's columns and a hostile file cheap to refuse.
MAX_ID = 100  # item ids, choice codes, questionnaire id
MAX_GROUP_CODE = 50
MAX_VERSION = 50
MAX_TEXT = 5_000
# Column names of the interchange format; an item may not take them.
RESERVED_IDS = {"group", "respondent", "language", "knowledge_score", "selected", "and", "or", "not"}


class Checker:
    """Problems found so far (`problems`, errors and warnings) in the definition read from `source`."""

    source: str
    problems: list[Problem]

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, where, message))

    def warn(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, where, message, "warning"))

    # -------------------------------------------------------- helpers

    def mapping(self, value: Any, where: str, keys: set[str] | frozenset[str]) -> dict:
        if not isinstance(value, dict):
            self.error(where, f"expected a mapping of keys to values, found {describe(value)}")
            return {}
        for key in value:
            if key not in keys:
                self.error(where, f"unknown key {key!r} (allowed: {', '.join(sorted(keys))})")
        return value

    def identifier(self, value: Any, where: str, what: str = "id") -> str | None:
        if value is None:
            self.error(where, f"{what} is missing")
            return None
        if not isinstance(value, str) or not IDENTIFIER.fullmatch(value):
            self.error(where, f"{what} {short(value)!r} must start with a letter or '_' and hold only "
                              "letters, digits and '_'")
            return None
        if len(value) > MAX_ID:
            self.error(where, f"{what} {short(value)!r} is longer than {MAX_ID} characters")
            return None
        return value

    def code(self, value: Any, where: str, limit: int = MAX_ID) -> str | None:
        if isinstance(value, bool):
            self.error(where, f"code {value!r} was read as a boolean: quote it, for example \"yes\"")
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            self.error(where, "code is missing")
            return None
        if not isinstance(value, (str, int)):
            self.error(where, f"code must be text, found {describe(value)}")
            return None
        code = str(value)
        if any(c.isspace() for c in code):
            # Multiple-choice answers are codes separated by spaces.
            self.error(where, f"code {short(code)!r} contains white space")
            return None
        invisible = control_character(code)
        if invisible or len(code) > limit:
            self.error(where, f"code {short(code)!r} holds {invisible}" if invisible else
                       f"code {short(code)!r} is longer than {limit} characters")
            return None
        if is_formula_like(code):
            # A spreadsheet would run it as a formula: exports would have to change it, and it would
            # no longer match when the export comes back as next year's baseline.
            self.error(where, f"code {code!r} begins with {code[0]!r}: a spreadsheet would read it as a "
                              "formula; choose another code")
            return None
        return code

    def text(self, value: Any, where: str, *, required: bool = True) -> Text | None:
        if value is None:
            if required:
                self.error(where, "text is missing")
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return Text({self.languages[0]: str(value)}) if self.text_is_clean(str(value), where) else None
        if not isinstance(value, dict) or not value:
            self.error(where, f"expected text or a mapping of language to text, found {describe(value)}")
            return None
        texts: dict[str, str] = {}
        for language, text in value.items():
            if language not in self.languages:
                self.error(where, f"language {short(language)!r} is used but not declared in languages "
                                  f"({', '.join(self.languages)})")
            elif not isinstance(text, (str, int, float)) or isinstance(text, bool):
                self.error(where, f"text in {language!r} must be text, found {describe(text)}")
            elif self.text_is_clean(str(text), f"{where} ({language})"):
                texts[language] = str(text)
        missing = [lang for lang in self.languages if lang not in value]
        if missing and texts:
            self.warn(where, f"no translation in {', '.join(missing)}; the {self.languages[0]!r} "
                             "text will be shown")
        return Text(texts) if texts else None

    def text_is_clean(self, text: str, where: str) -> bool:
        invisible = control_character(text)
        if invisible:
            self.error(where, f"the text holds {invisible}")
        elif len(text) > MAX_TEXT:
            self.error(where, f"the text has {len(text)} characters; at most {MAX_TEXT}")
        return not invisible and len(text) <= MAX_TEXT

    def boolean(self, value: Any, where: str, key: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(where, f"{key} must be true or false, found {value!r}")
            return False
        return value

    def expression(self, value: Any, where: str, key: str) -> expressions.Node | None:
        try:
            return expressions.parse(value)
        except expressions.ExpressionError as error:
            self.error(where, f"{key}: syntax error: {error}")
            return None


def short(value: Any) -> Any:
    """A value cut for a message: a hostile file may hold a megabyte where a name belongs."""
    return value[:60] + "..." if isinstance(value, str) and len(value) > 60 else value


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return f"{type(value).__name__} {short(value)!r}"
