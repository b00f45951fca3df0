"""Handing messages to the SMTP server named by AWARENESS_SMTP_URL: STARTTLS or SMTPS, retries with back-off."""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class MailConfigError(ValueError):
    """The mail settings are missing or wrong, or the server refuses them: nothing can be sent."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx): sending it again would not help."""


class TransientFailure(Exception):
    """The message could not be handed over now (network, 4xx); trying again later may work."""


class DeliveryUncertain(Exception):
    """The connection broke while the message was being handed over: the server may have it, or not."""


@dataclass(frozen=True)
class SmtpSettings:
    secure: bool  # smtps: TLS from the first byte; else STARTTLS when the server offers it
    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)  # never in a message or log, should the settings be shown
    timeout: float = 30.0


def parse_smtp_url(url: str | None) -> SmtpSettings:
    """smtp://[user:pass@]host[:587] (STARTTLS) or smtps://[user:pass@]host[:465]."""
    if not url:
        raise MailConfigError("no mail server configured: set AWARENESS_SMTP_URL, e.g. smtp://user:pass@host:587")
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError(f"AWARENESS_SMTP_URL: scheme {parts.scheme!r} is not smtp or smtps")
    if parts.query or parts.fragment or parts.path.strip("/") or "#" in url or "?" in url:
        # A raw '#', '?', '/' or '@' in the password ends the address early, and what follows would be taken
        # for a host or port: say how to write it, and never echo any part of the address (it holds the secret).
        raise MailConfigError("AWARENESS_SMTP_URL: percent-encode #, ?, / and @ in the user name and password "
                              "(# as %23, ? as %3F, / as %2F, @ as %40)")
    try:
        port = parts.port
    except ValueError:
        raise MailConfigError("AWARENESS_SMTP_URL: the port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise MailConfigError("AWARENESS_SMTP_URL: no host name")
    secure = parts.scheme == "smtps"
    return SmtpSettings(secure=secure, host=parts.hostname, port=port or (465 if secure else 587),
                        username=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password else None)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _classify(error: Exception) -> Exception:
    """A PermanentFailure, TransientFailure or MailConfigError for an error of smtplib or the network."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return MailConfigError(f"the mail server refused the user name or password ({error.smtp_code})")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        text = f"recipient refused: {code} {reply.decode('utf-8', 'replace')}"
        return PermanentFailure(text) if code >= 500 else TransientFailure(text)
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {error.smtp_error.decode('utf-8', 'replace') if isinstance(error.smtp_error, bytes) else error.smtp_error}"
        return PermanentFailure(text) if error.smtp_code >= 500 else TransientFailure(text)
    return TransientFailure(f"{type(error).__name__}: {error}")


class Mailer:
    """One connection to the server, opened when first needed and opened again after it drops."""

    def __init__(self, settings: SmtpSettings, *, retries: int = 3, retry_delay: float = 5.0, sleep=time.sleep):
        self.settings, self.retries, self.retry_delay, self.sleep = settings, retries, retry_delay, sleep
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        connection = None
        try:
            if s.secure:
                connection = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                self._starttls(connection)
            if s.username:
                connection.login(s.username, s.password or "")
        except (smtplib.SMTPException, OSError) as error:
            if connection is not None:
                connection.close()
            raise _classify(error) from None
        return connection

    def _starttls(self, connection: smtplib.SMTP) -> None:
        """Encrypt with STARTTLS when offered; without it, never send a password to another machine."""
        s = self.settings
        connection.ehlo()
        if connection.has_extn("starttls"):
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        elif s.username and not _is_loopback(s.host):
            connection.close()
            raise MailConfigError(f"{s.host}:{s.port} offers no STARTTLS: the password is not sent "
                                  "unencrypted (use smtps:// or a server with STARTTLS)")

    def check(self) -> None:
        """Connect (and log in) now, so that a wrong setting stops the run before any message is claimed."""
        try:
            self.connection = self.connection or self._connect()
        except (PermanentFailure, TransientFailure) as failure:
            s = self.settings
            raise MailConfigError(f"cannot use the mail server at {s.host}:{s.port}: {failure}") from None

    def _alive(self) -> bool:
        try:
            return self.connection is not None and self.connection.noop()[0] == 250
        except (smtplib.SMTPException, OSError):
            return False

    def _send_once(self, message: EmailMessage, sender: str | None) -> None:
        if self.connection is not None and not self._alive():
            self.close()  # closed by the server while idle (throttling): nothing was being sent
        self.connection = self.connection or self._connect()
        try:
            self.connection.send_message(message, from_addr=sender)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
            self._reset()  # the server answered: it did not take the message
            raise _classify(error) from None
        except OSError as error:  # smtplib's other errors too (SMTPServerDisconnected)
            # Not retried: the server may already have the message, and nobody is to get it twice.
            self.close()
            raise DeliveryUncertain(f"the connection broke while the message was handed over "
                                    f"({type(error).__name__}: {error})") from None

    def send(self, message: EmailMessage, sender: str | None = None) -> int:
        """Hand `message` over, retrying transient failures with doubling delays; returns the attempts made.

        `sender`: the envelope sender (where reports of failed delivery go), else the From address.

        A failure raised from here carries `attempts`, the number of attempts made.
        """
        for attempt in range(1, self.retries + 2):
            try:
                self._send_once(message, sender)
                return attempt
            except TransientFailure as failure:
                if attempt > self.retries:
                    final = TransientFailure(f"{failure} (after {attempt} attempts)")
                    final.attempts = attempt
                    raise final from None
                self.sleep(self.retry_delay * 2 ** (attempt - 1))
            except (PermanentFailure, DeliveryUncertain) as failure:
                failure.attempts = attempt
                raise
        raise AssertionError("unreachable")

    def _reset(self) -> None:
        try:
            if self.connection is not None:
                self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None
