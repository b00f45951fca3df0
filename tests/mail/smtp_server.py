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
    """A port nobody listens on (for a server that must not answer); a server binds port 0 itself (`start`)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PortZeroController(Controller):
    """aiosmtpd's Controller on the port the system chooses when it binds (port 0): no port is probed, closed and
    bound again later, which another xdist worker could take in between."""

    def __init__(self, handler, **options):
        super().__init__(handler, hostname="127.0.0.1", port=0, **options)

    def _trigger_server(self):
        # The server is bound by now (start() waits for it); its first connection, aiosmtpd's check, needs the port.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start(inbox: Inbox, **options) -> Controller:
    """Serve `inbox` on a port of 127.0.0.1 the system chooses; sets inbox.port."""
    controller = PortZeroController(inbox, **options)
    controller.start()
    inbox.port = controller.port
    return controller
