"""The tests' SMTP server binds port 0 itself (tests/mail/smtp_server.py): the port is the one it listens on, two
servers never share one, and none is chosen before the server binds it (no race between xdist workers)."""

import smtplib
from unittest import mock

from .smtp_server import Inbox, start


def test_the_server_listens_on_the_port_it_chose_itself():
    with mock.patch("tests.mail.smtp_server.free_port", side_effect=AssertionError("probed a port")):
        inboxes = [Inbox(), Inbox()]
        controllers = [start(inbox) for inbox in inboxes]
    try:
        assert inboxes[0].port != inboxes[1].port and all(inbox.port > 0 for inbox in inboxes)
        for number, inbox in enumerate(inboxes):
            with smtplib.SMTP("127.0.0.1", inbox.port, timeout=10) as client:
                client.sendmail("a@example.test", [f"b{number}@example.test"], b"Subject: hi\r\n\r\nhello\r\n")
            assert [message["X-Envelope-To"] for message in inbox.messages] == [f"b{number}@example.test"]
    finally:
        for controller in controllers:
            controller.stop()
