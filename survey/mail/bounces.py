"""Delivery-status notifications (RFC 3464) from a mailbox export: mark those invitations undeliverable.

A report is used only when it names a message we sent: by its per-message return path (verp.py) or by
the original's Message-ID. Anyone can write to the bounce mailbox; a report naming only an address could
otherwise silence any contact. A report that cannot be read is skipped with one line, and the rest applied.
Reports are read and matched here; operations.import_bounces applies them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser, HeaderParser
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import OutboxMessage
from . import verp
from .settings import plural


class MailboxError(ValueError):
    """The file is not a mailbox that can be read; nothing was changed."""


class MalformedReport(ValueError):
    """A delivery report that cannot be read: skipped, the others applied."""


# Where a mailbox keeps the address a report was delivered to: our per-message return path.
DELIVERED_TO = ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")


@dataclass(frozen=True)
class Failure:
    """One recipient that a report says could not be reached for good."""

    source: str  # where the report is: file, or mbox and message number
    recipient: str
    status: str
    original_message_id: str | None
    verp_message: int | None = None  # the outbox message named by the report's return path


@dataclass
class BounceReport:
    messages: int = 0
    not_reports: int = 0
    delayed: int = 0  # "delayed" or "delivered" reports: nothing to mark
    marked: list[str] = field(default_factory=list)  # one line per invitation newly marked
    already: int = 0  # invitations marked undeliverable by an earlier file
    unmatched: list[str] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)  # one line per report skipped as unreadable

    def summary(self) -> list[str]:
        """What was read and done, in the words both the command and the console page use."""
        reports = self.messages - self.not_reports - len(self.malformed)
        unreadable = f", {plural(len(self.malformed), 'unreadable report')} skipped" if self.malformed else ""
        return [f"read {plural(self.messages, 'message')}: {plural(reports, 'delivery report')}, "
                f"{plural(self.not_reports, 'other message')} skipped{unreadable}",
                f"{plural(len(self.marked), 'invitation')} marked undeliverable, {self.already} already marked; "
                f"{plural(self.delayed, 'recipient')} only delayed (nothing to do), "
                f"{plural(len(self.unmatched), 'recipient')} not matched"]


def _parse_file(path: Path) -> Message:
    with path.open("rb") as file:
        return BytesParser(policy=policy.compat32).parse(file)


def _mbox_messages(data: bytes) -> list[bytes]:
    """The messages of an mbox file, read only (the standard library's mbox opens the file for writing)."""
    messages: list[list[bytes]] = []
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From "):
            messages.append([])
        elif messages:
            # mboxrd quotes body lines that begin with "From " as ">From ", ">>From " and so on.
            messages[-1].append(line[1:] if line.lstrip(b">").startswith(b"From ") and line.startswith(b">")
                                else line)
    return [b"".join(lines) for lines in messages]


def read_mailbox(path: Path) -> Iterator[tuple[str, Message]]:
    """Each message of an mbox file, a folder of .eml files or one .eml file, with where it is."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
        if not files:
            raise MailboxError(f"{path}: no .eml files in this folder")
        for file in files:
            yield str(file), _parse_file(file)
        return
    if not path.is_file():
        raise MailboxError(f"{path}: no such file or folder")
    with path.open("rb") as file:
        start = file.read(5)
    if start == b"From ":
        for number, raw in enumerate(_mbox_messages(path.read_bytes()), start=1):
            yield f"{path} message {number}", BytesParser(policy=policy.compat32).parsebytes(raw)
    elif path.suffix.lower() == ".eml":
        yield str(path), _parse_file(path)
    else:
        raise MailboxError(f"{path}: neither an mbox file (it would start with 'From ') nor an .eml file "
                           "nor a folder of .eml files")


def _field(fields: Message, name: str) -> str:
    """A field's text; MalformedReport when it is not plain ASCII (raw 8-bit bytes come back as a Header)."""
    value = fields.get(name)
    if value is None:
        return ""
    if not isinstance(value, str) or not value.isascii():
        raise MalformedReport(f"its {name} field is not plain text")
    return value


def _address(value: str) -> str:
    """The address of a Final-Recipient or Original-Recipient field ("rfc822; someone@example.org")."""
    return (value.partition(";")[2] if ";" in value else value).strip().strip("<>").lower()


def _verp_message(report: Message) -> int | None:
    """The outbox message whose signed return path the report was delivered to, if any."""
    for name in DELIVERED_TO:
        for value in report.get_all(name) or []:
            found = verp.message_of(str(value))
            if found is not None:
                return found
    return None


def _original_message_id(report: Message) -> str | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return _field(inner, "Message-ID").strip()
        if kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            headers = HeaderParser().parsestr(payload.decode("utf-8", "replace"))
            if headers.get("Message-ID"):
                return _field(headers, "Message-ID").strip()
    return None


def delivery_failures(source: str, message: Message) -> tuple[list[Failure], int] | None:
    """The failed recipients of a delivery-status report and how many were only delayed; None if not a report."""
    if message.get_content_type() != "multipart/report" or \
            (message.get_param("report-type") or "").lower() != "delivery-status":
        return None
    original, by_return_path = _original_message_id(message), _verp_message(message)
    failures, other = [], 0
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:  # the first block is about the message
            recipient = _address(_field(block, "Final-Recipient")) or _address(_field(block, "Original-Recipient"))
            if _field(block, "Action").strip().lower() == "failed" and recipient:
                failures.append(Failure(source, recipient, _field(block, "Status").strip(), original, by_return_path))
            else:
                other += 1
    return failures, other


def bounced_rows(session: Session, failure: Failure) -> list[OutboxMessage]:
    """The message a failure is about: the one its return path names, else the one with its Message-ID.

    Never found by address alone: anyone can write such a report, and it would silence a contact.
    """
    row = session.get(OutboxMessage, failure.verp_message) if failure.verp_message is not None else None
    if row is None and failure.original_message_id:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.message_id == failure.original_message_id))
    return [row] if row is not None and row.message_id is not None else []


def read_bounces(path: Path) -> tuple[BounceReport, list[Failure]]:
    """Every report in the mailbox read, nothing changed: what was read and the failures to apply
    (operations.import_bounces applies them). MailboxError when the file is not a mailbox."""
    report, failures = BounceReport(), []
    for source, message in read_mailbox(path):
        report.messages += 1
        try:
            found = delivery_failures(source, message)
        except MalformedReport as error:
            report.malformed.append(f"{source}: skipped, {error}")
            continue
        except (TypeError, ValueError, LookupError, AttributeError) as error:  # hostile input the checks missed
            report.malformed.append(f"{source}: skipped, not a readable delivery report ({type(error).__name__})")
            continue
        if found is None:
            report.not_reports += 1
            continue
        failures += found[0]
        report.delayed += found[1]
    return report, failures
