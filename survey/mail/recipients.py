"""A contacts CSV for e-mail: the columns of `awareness invite --contacts` plus an optional `language`."""

from __future__ import annotations

import csv
import io
import re

from questionnaires import Questionnaire

from ..invitations.contacts import ContactsError, read_contacts
from ..invitations.operations import Contact


def read_mail_contacts(text: str, source: str, questionnaire: Questionnaire, existing: set[str]) \
        -> list[tuple[Contact, str]]:
    """Each contact with the language of its messages, or ContactsError listing every problem by row.

    `existing` holds the addresses (lower case) that already have an invitation in the wave.
    """
    rows = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if row]  # as DictReader skips them
    if not rows:
        raise ContactsError([f"{source}: the file is empty"])
    header = [cell.strip() for cell in rows[0]]
    column = header.index("language") if "language" in header else None
    languages = [(row[column].strip() if column is not None and column < len(row) else "") for row in rows[1:]]
    without = [[cell for index, cell in enumerate(row) if index != column] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(without)
    problems = []
    try:
        contacts = read_contacts(buffer.getvalue(), source, questionnaire)
    except ContactsError as error:
        problems, contacts = list(error.problems), []
    default = questionnaire.languages[0]
    email_column = header.index("email") if "email" in header else None
    for number, (row, language) in enumerate(zip(rows[1:], languages, strict=True), start=2):
        email = row[email_column].strip() if email_column is not None and email_column < len(row) else ""
        if not email:
            problems.append(f"{source}: row {number}, column 'email': empty (a message needs an address)")
        elif email.lower() in existing:
            problems.append(f"{source}: row {number}, column 'email': {email} already has an invitation "
                            "in this wave (send it again with --again)")
        if language and language not in questionnaire.languages:
            problems.append(f"{source}: row {number}, column 'language': {language!r} is not one of "
                            f"{', '.join(questionnaire.languages)}")
    if problems:
        raise ContactsError(sorted(problems, key=_row_number))
    return [(contact, language or default) for contact, language in zip(contacts, languages, strict=True)]


def _row_number(problem: str) -> int:
    """Problems in the order of the file's rows (those of the whole file first)."""
    found = re.search(r": row (\d+)", problem)
    return int(found.group(1)) if found else 0
