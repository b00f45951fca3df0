"""Logs that never hold a live link: the token of /s/<token> and /optout/<token> is cut.

A personal link is the respondent's only credential, so an access log that keeps it would let anyone who reads
the log answer in their name. The development server's request log (werkzeug) and the application's own log
(Flask's "Exception on /s/<token> [GET]" when a page fails, with its traceback) get a filter here; gunicorn gets
the logger class of `survey.gunicorn_logging` (docs/deploy.md).
"""

from __future__ import annotations

import logging
import re

_SECRET_PATH = re.compile(r"(/(?:s|optout)/)[^/?#\s\"]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """`text` with every link token in it replaced by [redacted]."""
    return _SECRET_PATH.sub(lambda match: match[1] + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with its tokens cut, before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cut = redact(message)
        if cut != message:
            record.msg, record.args = cut, ()
        if record.exc_info and not record.exc_text:  # a traceback's last line may quote a path: cut it too
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def install(*names: str) -> None:
    """Put the filter on werkzeug's request log and the loggers named (once, however many apps are created)."""
    for name in ("werkzeug", *names):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
            logger.addFilter(RedactingFilter())
