"""Contacts CSV for invitations: name, email, organisation, group and an optional stable id."""

from __future__ import annotations

import csv
import io

from questionnaires import Questionnaire
from questionnaires.cells import control_character, csv_cell

from .addresses import AddressError, checked_address
from .operations import Contact

COLUMNS = ("name", "email", "organisation", "group", "id")
MAX_FIELD = 200  # characters: the contact columns of the invitations table


class ContactsError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_contacts(text: str, source: str, questionnaire: Questionnaire) -> list[Contact]:
    """Every contact, or ContactsError listing every problem with its row and column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        problems = [f"{source}: row 1, column {h!r}: unknown column (expected {', '.join(COLUMNS)})"
                    for h in header if h not in COLUMNS]
        if "group" not in header:
            problems.append(f"{source}: row 1: the column 'group' is missing")
        contacts, seen = [], {}
        for number, row in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in row.items() if isinstance(k, str) and k}
            problems += _field_problems(row, source, number)
            problems += _contact_problems(row, source, number, questionnaire, seen)
            contacts.append(_contact(row))
    except csv.Error as error:
        # For instance a field over the csv module's limit of 131,072 characters.
        raise ContactsError([f"{source}: line {reader.line_num}: not a readable CSV file ({error})"]) from None
    if not contacts and not problems:
        problems.append(f"{source}: no contacts in the file")
    if problems:
        raise ContactsError(problems)
    return contacts


def _field_problems(row: dict[str, str], source: str, number: int) -> list[str]:
    problems = []
    for column, value in row.items():
        invisible = control_character(value)
        if invisible:
            problems.append(f"{source}: row {number}, column {column!r}: holds {invisible}")
        elif len(value) > MAX_FIELD:
            problems.append(f"{source}: row {number}, column {column!r}: {len(value)} characters; "
                            f"at most {MAX_FIELD}")
    return problems


def _contact_problems(row: dict[str, str], source: str, number: int, questionnaire: Questionnaire,
                      seen: dict[str, int]) -> list[str]:
    problems = []
    group, email = row.get("group", ""), row.get("email", "")
    if group not in questionnaire.group_codes:
        problems.append(f"{source}: row {number}, column 'group': {group[:60]!r} is not one of "
                        f"{', '.join(questionnaire.group_codes)}")
    if email:
        try:
            row["email"] = email = checked_address(email)
        except AddressError as error:
            problems.append(f"{source}: row {number}, column 'email': {email[:60]!r} is not an e-mail address "
                            f"({error})")
    key = (row.get("id") or email).lower()
    if key and key in seen:
        problems.append(f"{source}: row {number}: the same person as row {seen[key]} ({key[:60]})")
    seen[key] = number
    return problems


def _contact(row: dict[str, str]) -> Contact:
    email = row.get("email", "")
    return Contact(group=row.get("group", ""), name=row.get("name") or None, email=email or None,
                   organisation=row.get("organisation") or None, identifier=row.get("id") or email or None)


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
