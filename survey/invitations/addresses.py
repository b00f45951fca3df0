"""E-mail addresses of contacts and accounts, checked by email-validator; recipients whose names cannot add one.

email-validator (a well-kept library following RFC 5322/6531 and what mail servers accept) checks the
syntax without looking the domain up (`check_deliverability=False`: no DNS at import time). A cell
holds one address: `alice@example.org,eve@evil.example` is refused, not split. Special-use domains that
no message can reach (`.invalid`, `localhost`, `.onion`) are refused too; `.test` is taken, for trial
rounds against a local mail server.
Addresses go out in their ASCII form (an internationalised domain as punycode), as every mail
server takes them.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage

from email_validator import EmailNotValidError, validate_email

MANY = (",", ";")  # what people put between two addresses in one cell


class AddressError(ValueError):
    """Not one e-mail address; the message says why."""


def checked_address(text: str) -> str:
    """The address in the form it is stored and sent in, or AddressError."""
    if any(mark in text for mark in MANY) and text.count("@") > 1:
        raise AddressError("one address per cell: give each person a row of their own")
    try:
        # test_environment: `.test` addresses (RFC 2606) are taken, for trial rounds against a local mail server.
        result = validate_email(text, check_deliverability=False, allow_smtputf8=False, test_environment=True)
    except EmailNotValidError as error:
        raise AddressError(str(error)) from None
    return result.ascii_email or result.normalized


def recipient(name: str | None, address: str) -> Address:
    """The To header's value: the name as a display name only, encoded so that no text in it (a comma, an
    address, an encoded word) can add a recipient.

    `Address` quotes or RFC 2047-encodes a name (Khmer names are encoded). One case escapes it: a name
    that itself looks like an encoded word (`=?utf-8?q?eve=40evil.example=2C?=`) is decoded when the
    header is written, unquoted, and becomes a second address. So the header is written and read back
    as a mail client would; a name that does not come back as one address with this name is left out
    and the message goes to the address alone.
    """
    if name:
        header = Address(display_name=name, addr_spec=address)
        probe = EmailMessage()
        probe["To"] = header
        (line,) = message_from_bytes(probe.as_bytes(), policy=policy.default).get_all("To")
        if [(" ".join(a.display_name.split()), a.addr_spec) for a in line.addresses] == \
                [(" ".join(name.split()), address)]:
            return header
    return Address(addr_spec=address)
