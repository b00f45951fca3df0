"""The `awareness` program (the entry point in pyproject.toml): the command line of `survey.cli`, imported inside
a guard, so that Ctrl-C while it loads (Flask and click, a few tenths of a second) is one line and exit 130, as
it is once a command runs (`AwarenessGroup.invoke`), never a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from .cli import cli
    except KeyboardInterrupt:
        print("interrupted: nothing was done", file=sys.stderr)
        raise SystemExit(130) from None
    cli()
