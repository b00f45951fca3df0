"""Data exported by KoboToolbox and ODK Central (CSV or XLSX), turned into the interchange table.

What those exports look like, and what is done with it:
- column names carry the path of groups: `awareness/heard_policy` (KoboToolbox), `awareness-heard_policy`
  (ODK Central, Briefcase); the last part is the question name;
- a `select_multiple` question is one column of codes separated by spaces, and/or one 0/1 column per
  option (`awareness/channels/radio`); the codes are taken from the main column when there is one;
- metadata columns (`_uuid`, `_submission_time`, `start`, `end`, `deviceid`, `meta/instanceID`,
  `SubmissionDate`, `KEY` ...) are left out;
- the stakeholder group is the answer to the group question (`stakeholder_group` unless told);
- an export "with labels" has labels instead of codes: a label of a choice, in any language, is read as its code;
- KoboToolbox writes CSV with ';' between values by default.

The result goes through the same checks as any other import, and their messages name the
export's own columns and rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from questionnaires import Item, Questionnaire

from .inputs import COUNT_COLUMNS, InputError

GROUP_QUESTION = "stakeholder_group"
METADATA_NAMES = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
    "audit", "instanceid", "instancename", "submissiondate", "key", "submitterid", "submittername",
    "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "edits", "formversion",
    "parent_key", "__version__", "version",
}
METADATA_PREFIXES = ("_", "meta/", "meta-", "meta.", "formhub/", "formhub-", "__system")
SELECTED = {"1", "1.0", "true", "yes"}
NOT_SELECTED = {"0", "0.0", "false", "no", ""}


@dataclass
class FieldTable:
    """An export turned into the interchange table; `columns` maps interchange columns back to the export's."""

    frame: pd.DataFrame
    columns: dict[str, str]
    problems: list[str]  # bad values found while converting; the caller adds those of the usual checks

    def restore(self, problems: list[str]) -> list[str]:
        """Problems found on the interchange table, told with the export's own column names."""
        restored = []
        for problem in problems:
            for ours, theirs in self.columns.items():
                if ours != theirs:
                    problem = problem.replace(f"column {ours!r}", f"column {theirs!r}")
            restored.append(problem)
        return restored


def is_field_export(frame: pd.DataFrame) -> bool:
    """Not the interchange format (no `group` column) nor a table of counts: an export of a field tool."""
    columns = set(frame.columns)
    return "group" not in columns and not set(COUNT_COLUMNS) <= columns


def is_metadata(column: str) -> bool:
    """A column the field tool adds (checked after the questions, so a question named `status` stays)."""
    name = column.strip()
    return name.lower() in METADATA_NAMES or name.startswith(METADATA_PREFIXES) or \
        _last_name(name).lower() in METADATA_NAMES


def _names(part: str) -> list[str]:
    """A path part and what is left of it after each group prefix joined by '-' or '.' (ODK Central)."""
    names = [part]
    for match in re.finditer(r"[-.]", part):
        names.append(part[match.end():])
    return names


def _last_name(column: str) -> str:
    return column.rsplit("/", 1)[-1]


class _Converter:
    def __init__(self, frame: pd.DataFrame, questionnaire: Questionnaire, source: str, group_question: str):
        self.frame = frame
        self.questionnaire = questionnaire
        self.source = source
        self.group_question = group_question
        self.problems: list[str] = []

    def problem(self, row: int | None, column: str, message: str) -> None:
        where = f"row {row}, column {column!r}" if row else f"column {column!r}"
        self.problems.append(f"{self.source}: {where}: {message}")

    def resolve(self, column: str) -> tuple[str, str | None] | None:
        """('group', None), (item id, None) or (item id, option code) for a column; None when unknown."""
        parts = column.split("/")
        for name in _names(parts[-1]):
            if name == self.group_question:
                return "group", None
            if self.questionnaire.has_item(name) and self.questionnaire.item(name).kind.takes_answer:
                return name, None
        if len(parts) >= 2:
            for name in _names(parts[-2]):
                if self.questionnaire.has_item(name):
                    item = self.questionnaire.item(name)
                    if item.type == "multiple_choice" and parts[-1] in item.codes:
                        return name, parts[-1]
        return None

    def convert(self) -> FieldTable:
        main: dict[str, str] = {}  # interchange column -> export column
        options: dict[str, dict[str, str]] = {}  # item -> code -> export column
        for column in self.frame.columns:
            target = self.resolve(column)
            if target is None and is_metadata(column):
                continue
            if target is None:
                self.problem(1, column, f"not a question of {self.questionnaire.id} {self.questionnaire.version} "
                                        "(nor KoboToolbox or ODK metadata)")
            elif target[1] is None:
                if target[0] in main:
                    self.problem(1, column, f"a second column for {target[0]!r} (first: {main[target[0]]!r})")
                main[target[0]] = column
            else:
                options.setdefault(target[0], {})[target[1]] = column
        if "group" not in main and len(self.questionnaire.group_codes) != 1:
            self.problems.append(
                f"{self.source}: no column for the group question {self.group_question!r} (nor a 'group' column): "
                "every respondent belongs to a stakeholder group; give --group-question NAME if the form names "
                "it otherwise")
        if self.problems:
            raise InputError(self.problems)
        table = {"group": self.groups(main.get("group"))}
        for item in self.questionnaire.answerable_items:
            if item.id in options:  # checked even beside a main column, which then gives the codes
                table[item.id] = self.selections(item, options[item.id])
            if item.id in main:
                table[item.id] = self.answers(item, main[item.id])
        columns = {"group": main.get("group", "group")} | \
            {item: main.get(item, next(iter(options.get(item, {}).values()), item)) for item in table if item != "group"}
        return FieldTable(pd.DataFrame(table, index=self.frame.index), columns, self.problems)

    def texts(self, column: str) -> list[str]:
        return ["" if pd.isna(value) else " ".join(str(value).split()) for value in self.frame[column]]

    def groups(self, column: str | None) -> list[str | None]:
        if column is None:  # a form with a single group
            return [self.questionnaire.group_codes[0]] * len(self.frame)
        labels = _label_codes(self.questionnaire.groups)
        return [labels.get(text, text) or None for text in self.texts(column)]

    def answers(self, item: Item, column: str) -> list[str | None]:
        if not item.choices:
            return [text or None for text in self.texts(column)]
        if item.type == "multiple_choice":  # codes separated by spaces, as in the interchange format
            return [text or None for text in self.texts(column)]
        labels = _label_codes(item.choices)
        return [labels.get(text, text) or None for text in self.texts(column)]

    def selections(self, item: Item, columns: dict[str, str]) -> list[str | None]:
        """Codes separated by spaces from one 0/1 column per option."""
        chosen: list[list[str]] = [[] for _ in range(len(self.frame))]
        for code in item.codes:
            if code not in columns:
                continue
            for row, text in enumerate(self.texts(columns[code])):
                flag = text.lower()
                if flag in SELECTED:
                    chosen[row].append(code)
                elif flag not in NOT_SELECTED:
                    self.problem(row + 2, columns[code], f"{text!r} is neither 1 (selected) nor 0 (not selected)")
        return [" ".join(codes) or None for codes in chosen]


def _label_codes(choices) -> dict[str, str]:
    """Each label of a choice, in every language, to its code (for exports written with labels)."""
    return {" ".join(text.split()): choice.code for choice in choices for text in choice.label.values()
            if text and " ".join(text.split()) != choice.code}


def to_interchange(frame: pd.DataFrame, questionnaire: Questionnaire, *, source: str,
                   group_question: str = GROUP_QUESTION) -> FieldTable:
    """The interchange table (group, one column per item) of a KoboToolbox or ODK export.

    InputError when its columns cannot be used; bad values are listed in the result's `problems`.
    """
    return _Converter(frame, questionnaire, source, group_question).convert()


def read_wave_file(path, questionnaire: Questionnaire, *, group_question: str = GROUP_QUESTION):
    """A wave read from a file for `compare` or `trend`: the interchange format, a table of counts, or a
    KoboToolbox/ODK export (turned into the interchange table first); InputError naming the export's own
    columns and rows."""
    from .inputs import read_table, read_wave

    table = read_table(path)
    if not is_field_export(table):
        return read_wave(path, questionnaire, table=table)
    field = to_interchange(table, questionnaire, source=str(path), group_question=group_question)
    try:
        data = read_wave(path, questionnaire, table=field.frame)
    except InputError as error:
        raise InputError(list(field.problems) + field.restore(error.problems)) from None
    if field.problems:
        raise InputError(list(field.problems))
    return data
