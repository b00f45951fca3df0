"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for the mail tests."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler: stores each message; `replies` can answer with errors first; `on_message` runs hooks."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.replies: list[str] = []  # e.g. "451 try later", used one by one before accepting
        self.on_message = None

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        message = message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        message["X-Envelope-From"] = envelope.mail_from
        self.messages.append(message)
        if self.on_message:
            self.on_message(len(self.messages))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(inbox: Inbox, **options) -> Controller:
    """Serve `inbox` on a free port of 127.0.0.1; sets inbox.port."""
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port, **options)
    controller.start()
    return controller
