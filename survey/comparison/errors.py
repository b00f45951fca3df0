"""Why a comparison's inputs cannot be had from the database: raised by the code that finds the waves and opens
the database (`comparison.queries`), never an exit. The command line shows the message (`click.ClickException`),
the console a page (404 for a wave, 503 for the database)."""

from __future__ import annotations


class ComparisonInputError(Exception):
    """The data a comparison, trend or report needs cannot be read; the message says what and where."""


class WaveNotFound(ComparisonInputError, LookupError):
    """No wave has this name; `known` lists the waves there are."""

    def __init__(self, slug: str, known: tuple[str, ...] | list[str] = ()):
        self.slug, self.known = slug, tuple(known)
        super().__init__(f"no wave named {slug!r} (waves: {', '.join(self.known) or 'none yet'})")


class DatabaseUnavailable(ComparisonInputError):
    """The database cannot be reached, has no tables yet (or not the latest), or failed while read.

    `url` is the database's address without its password; the message says what to do."""

    def __init__(self, message: str, url: str | None = None):
        self.url = url
        super().__init__(message)
