"""Per-message return paths (VERP): each message leaves with its own signed envelope sender, so that a
delivery report coming back to that address names the message, and nobody can forge one for a message of ours.

With AWARENESS_MAIL_RETURN_PATH=bounces@ministry.example, message 42 is sent from
bounces+42-<signature>@ministry.example; the mail server delivers every bounces+… address to the bounces
mailbox (sub-addressing: Postfix's recipient_delimiter = +, and most hosted mail services).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app

SIGNATURE_HEX = 16  # 64 bits: a forger would have to guess it for one message, blind
TAG = re.compile(rf"\+(\d{{1,18}})-([0-9a-f]{{{SIGNATURE_HEX}}})@", re.IGNORECASE)


def _signature(secret: str, message_id: int) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"verp:{message_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:SIGNATURE_HEX]


def return_path(message_id: int) -> str | None:
    """The envelope sender of outbox message `message_id`; None when no return path is configured."""
    base = current_app.config.get("MAIL_RETURN_PATH")
    if not base or "@" not in base:
        return None
    local, _at, domain = base.strip().rpartition("@")
    return f"{local}+{message_id}-{_signature(current_app.config['SECRET_KEY'], message_id)}@{domain}"


def message_of(address: str) -> int | None:
    """The outbox message an address made by return_path names, if its signature holds; else None."""
    match = TAG.search(address or "")
    if match is None:
        return None
    message_id = int(match.group(1))
    expected = _signature(current_app.config["SECRET_KEY"], message_id)
    return message_id if hmac.compare_digest(expected, match.group(2).lower()) else None
