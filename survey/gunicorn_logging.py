"""gunicorn's access and error logs without link tokens: `gunicorn --logger-class survey.gunicorn_logging.RedactingLogger`.

Imported only by gunicorn (it is not a dependency of the platform itself).
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from .logs import RedactingFilter, redact

# The request line, the path, the raw URI and the referrer may each carry a token.
_ATOMS_WITH_PATHS = ("r", "U", "f", "{raw_uri}e")


def redacted_atoms(atoms: dict) -> dict:
    return {key: redact(value) if key in _ATOMS_WITH_PATHS and isinstance(value, str) else value
            for key, value in atoms.items()}


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        # The error log too: "Error handling request /s/<token>" when a request fails outside Flask.
        if not any(isinstance(existing, RedactingFilter) for existing in self.error_log.filters):
            self.error_log.addFilter(RedactingFilter())

    def atoms(self, resp, req, environ, request_time):
        return redacted_atoms(super().atoms(resp, req, environ, request_time))
