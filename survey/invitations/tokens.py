"""Invitation tokens, receipts and panel keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 24  # 192 bits, URL-safe: more than the 128 bits required


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """Tokens are stored and looked up only by this hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)


def new_receipt() -> str:
    """A receipt number a respondent can quote: 12 characters without look-alikes (0/O, 1/I)."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalise_identifier(identifier: str) -> str:
    return " ".join(identifier.strip().lower().split())


def panel_key(secret: str, identifier: str) -> str:
    """HMAC-SHA256 of a person's stable identifier: the same every year, and says nothing of who they are."""
    return hmac.new(secret.encode("utf-8"), normalise_identifier(identifier).encode("utf-8"),
                    hashlib.sha256).hexdigest()
