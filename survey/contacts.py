"""Contacts CSV for invitations: name, email, organisation, group and an optional stable id."""

from __future__ import annotations

import csv
import io

from questionnaires import Questionnaire
from questionnaires.cells import csv_cell

from .operations import Contact

COLUMNS = ("name", "email", "organisation", "group", "id")


class ContactsError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_contacts(text: str, source: str, questionnaire: Questionnaire) -> list[Contact]:
    """Every contact, or ContactsError listing every problem with its row and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    problems = [f"{source}: row 1, column {h!r}: unknown column (expected {', '.join(COLUMNS)})"
                for h in header if h not in COLUMNS]
    if "group" not in header:
        problems.append(f"{source}: row 1: the column 'group' is missing")
    contacts, seen = [], {}
    for number, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        group, email = row.get("group", ""), row.get("email", "")
        if group not in questionnaire.group_codes:
            problems.append(f"{source}: row {number}, column 'group': {group!r} is not one of "
                            f"{', '.join(questionnaire.group_codes)}")
        if email and ("@" not in email or " " in email):
            problems.append(f"{source}: row {number}, column 'email': {email!r} is not an e-mail address")
        key = (row.get("id") or email).lower()
        if key and key in seen:
            problems.append(f"{source}: row {number}: the same person as row {seen[key]} ({key})")
        seen[key] = number
        contacts.append(Contact(group=group, name=row.get("name") or None, email=email or None,
                                organisation=row.get("organisation") or None,
                                identifier=row.get("id") or email or None))
    if not contacts and not problems:
        problems.append(f"{source}: no contacts in the file")
    if problems:
        raise ContactsError(problems)
    return contacts


def invitation_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/s/{token}"


def links_csv(created, base_url: str, with_contacts: bool) -> str:
    """The links CSV: url and group, and the contact columns for named invitations."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["url", "group"] + (["name", "email", "organisation"] if with_contacts else []))
    for invitation, token in created:
        cells = [invitation_url(base_url, token), invitation.group_code]
        if with_contacts:
            cells += [invitation.contact_name or "", invitation.contact_email or "",
                      invitation.contact_organisation or ""]
        writer.writerow([csv_cell(c) for c in cells])
    return buffer.getvalue()
