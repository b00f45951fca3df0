"""Languages of an XLSForm as ODK reads them, turned into the model's language codes.

pyxform names a language by its column: `label::English (en)` gives "English (en)", `label::English`
and `label:English` give "English", a column without a language gives "default". The code is the one
in parentheses, else the language's English name looked up in CLDR (through Babel), else the name
itself when it is a code. The default language is the settings' default_language, else the first.
"""

from __future__ import annotations

import re
from typing import Any

from .problems import Problem

DEFAULT = "default"  # pyxform's name for the language of columns without one
TRANSLATED_KEYS = ("label", "hint", "constraint_message", "title", "description", "group_question")
_CODE_IN_PARENTHESES = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\)\s*\Z")


def language_code(name: str) -> str | None:
    """The code of a language as ODK names it: `English (en)`, `English`, `english`, `en`."""
    match = _CODE_IN_PARENTHESES.search(name)
    if match:
        return match.group(1).lower()
    plain = name.strip()
    if re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]+)*", plain):
        return plain
    from babel import Locale  # Flask-Babel's dependency: the CLDR names of every language

    wanted = plain.casefold()
    return next((code for code, english in Locale("en").languages.items()
                 if english.casefold() == wanted and "_" not in code), None)



class Languages:
    """The language part of the mapper: names met while reading, codes when done."""

    source: str
    problems: list[Problem]
    language_names: list[str]
    codes: dict[str, str]
    default_code: str

    # ---------------------------------------------------------- languages

    def note_language(self, name: str) -> None:
        if name not in self.language_names:
            self.language_names.append(name)

    def languages(self, default_name: str) -> list[str]:
        """Codes of the languages met, the default first: the settings' default_language, else the first."""
        self.codes: dict[str, str] = {}
        names = [name for name in self.language_names if name != DEFAULT]
        for name in names:
            code = language_code(name)
            if code is None:
                self.problems.append(Problem(self.source, "sheet 'survey'", (
                    f"cannot tell the language code of {name!r}; name the columns label::{name} (xx) with the "
                    "code in parentheses")))
                code = name.lower()
            self.codes[name] = code
        named = set(self.codes.values())
        if default_name in self.codes:  # the settings name it (pyxform then files unnamed columns under it)
            self.codes[DEFAULT] = self.codes[default_name]
        elif not named or "en" not in named:
            self.codes[DEFAULT] = "en"
            if named and DEFAULT in self.language_names:
                self.problems.append(Problem(self.source, "sheet 'survey'", (
                    "the columns without a language (label, hint) are read as English (en); name them "
                    "label::Language (code) if they are not"), severity="warning"))
        else:
            self.codes[DEFAULT] = self.codes[names[0]]
        ordered = list(dict.fromkeys(self.codes[name] for name in self.language_names)) or [self.codes[DEFAULT]]
        if default_name in self.codes:
            ordered = [self.codes[default_name]] + [code for code in ordered if code != self.codes[default_name]]
        self.default_code = ordered[0]
        return ordered

    def collect_languages(self, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in TRANSLATED_KEYS and isinstance(inner, dict):
                    for name in inner:
                        self.note_language(name)
                self.collect_languages(inner)
        elif isinstance(value, list):
            for inner in value:
                self.collect_languages(inner)

    def translated(self, definition: dict[str, Any]) -> dict[str, Any]:
        """Every text as {code: text}; a text without language ("default") fills the default language."""

        def convert(value: Any, key: str = "") -> Any:
            if key in TRANSLATED_KEYS:
                return self.text(value)
            if isinstance(value, dict):
                return {k: convert(v, k) for k, v in value.items()}
            if isinstance(value, list):
                return [convert(v) for v in value]
            return value

        return convert(definition)

    def text(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return {self.codes.get(DEFAULT, self.default_code): str(value)} if value not in (None, "") else value
        texts: dict[str, str] = {}
        for name, text in value.items():
            code = self.codes.get(name, name)
            if name == DEFAULT and code in texts:
                continue  # a translation of the same language wins over the untranslated column
            texts[code] = str(text)
        return texts
