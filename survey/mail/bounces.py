"""Delivery-status notifications (RFC 3464) from a mailbox export: mark those invitations undeliverable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser, HeaderParser
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Invitation, OutboxMessage
from ..responses.operations import now


class MailboxError(ValueError):
    """The file is not a mailbox that can be read; nothing was changed."""


@dataclass(frozen=True)
class Failure:
    """One recipient that a report says could not be reached for good."""

    source: str  # where the report is: file, or mbox and message number
    recipient: str
    status: str
    original_message_id: str | None


@dataclass
class BounceReport:
    messages: int = 0
    not_reports: int = 0
    delayed: int = 0  # "delayed" or "delivered" reports: nothing to mark
    marked: list[str] = field(default_factory=list)  # one line per invitation newly marked
    already: int = 0  # invitations marked undeliverable by an earlier file
    unmatched: list[str] = field(default_factory=list)


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


def _address(value: str | None) -> str:
    """The address of a Final-Recipient or Original-Recipient field ("rfc822; someone@example.org")."""
    return (value or "").partition(";")[2].strip().strip("<>").lower() if ";" in (value or "") \
        else (value or "").strip().strip("<>").lower()


def _original_message_id(report: Message) -> str | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) else inner
            if isinstance(inner, Message) and inner.get("Message-ID"):
                return inner["Message-ID"].strip()
        if kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            headers = HeaderParser().parsestr(payload.decode("utf-8", "replace"))
            if headers.get("Message-ID"):
                return headers["Message-ID"].strip()
    return None


def delivery_failures(source: str, message: Message) -> tuple[list[Failure], int] | None:
    """The failed recipients of a delivery-status report and how many were only delayed; None if not a report."""
    if message.get_content_type() != "multipart/report" or \
            (message.get_param("report-type") or "").lower() != "delivery-status":
        return None
    original = _original_message_id(message)
    failures, other = [], 0
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:  # the first block is about the message
            recipient = _address(block.get("Final-Recipient")) or _address(block.get("Original-Recipient"))
            if (block.get("Action") or "").strip().lower() == "failed" and recipient:
                failures.append(Failure(source, recipient, (block.get("Status") or "").strip(), original))
            else:
                other += 1
    return failures, other


def _bounced_rows(session: Session, failure: Failure) -> list[OutboxMessage]:
    """The messages a failure is about: the one with its Message-ID, else the last message sent to that
    address in each invitation (a report without the original's Message-ID names only the address)."""
    if failure.original_message_id:
        row = session.scalar(select(OutboxMessage).where(OutboxMessage.message_id == failure.original_message_id))
        if row is not None:
            return [row]
    sent = list(session.scalars(select(OutboxMessage).join(Invitation).where(
        func.lower(Invitation.contact_email) == failure.recipient, OutboxMessage.status == "sent")
        .order_by(OutboxMessage.sent_at, OutboxMessage.id)))
    return list({row.invitation_id: row for row in sent}.values())  # the last one of each invitation


def mark_bounced(message: OutboxMessage) -> None:
    """The message bounced, and so its contact: the invitation's flag is what the monitoring counts."""
    message.bounced_at = now()
    message.invitation.bounced = True


def apply_failures(session: Session, failures: list[Failure], report: BounceReport) -> None:
    """Mark each invitation a failure is about undeliverable once (unless it completed), and its message bounced.

    Counts invitations, not messages nor reports: several reports about one invitation (its invitation
    and its reminder, or the same report twice in the file) mark it once.
    """
    seen: set[int] = set()
    for failure in failures:
        rows = _bounced_rows(session, failure)
        if not rows:
            report.unmatched.append(f"{failure.source}: {failure.recipient} ({failure.status or 'failed'}): "
                                    "no message sent to this address was found")
            continue
        for row in rows:
            if row.invitation_id in seen:
                if row.bounced_at is None:
                    mark_bounced(row)  # another message of an invitation marked by this file
                continue
            seen.add(row.invitation_id)
            if row.invitation.bounced:  # by an earlier file
                report.already += 1
                continue
            mark_bounced(row)
            invitation = row.invitation
            if not invitation.completed and invitation.disposition in ("invited", "started"):
                invitation.disposition = "undeliverable"
            report.marked.append(f"{failure.recipient} (wave {invitation.wave.slug}, {failure.status or 'failed'})")


def import_bounces(session: Session, path: Path) -> BounceReport:
    """Read every report in the mailbox first, then apply them all in one transaction."""
    report, failures = BounceReport(), []
    for source, message in read_mailbox(path):
        report.messages += 1
        found = delivery_failures(source, message)
        if found is None:
            report.not_reports += 1
            continue
        failures += found[0]
        report.delayed += found[1]
    apply_failures(session, failures, report)
    session.commit()
    return report
