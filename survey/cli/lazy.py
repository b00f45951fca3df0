"""Command groups whose commands are imported only when one is run or its help shown (click's LazyGroup:
https://click.palletsprojects.com/en/stable/complex/#lazily-loading-subcommands).

A group lists its lazy commands from a registry, name -> `Lazy(module, attribute, short help)`: the group's
help shows every command with that one line, without importing a module (tests/cli/test_lazy_commands.py
checks that each line is the command's own).
"""

from __future__ import annotations

from importlib import import_module
from typing import NamedTuple

import click


class Lazy(NamedTuple):
    """Where a command lives, and the first line of its help as `--help` lists it."""

    module: str
    attribute: str
    help: str

    def load(self) -> click.Command:
        return getattr(import_module(self.module), self.attribute)


def format_full_help(group: click.Group, ctx: click.Context, formatter: click.HelpFormatter, *,
                     lazy: dict[str, Lazy] | None = None) -> None:
    """List a group's commands with their whole first line of help, never cut with "...".

    `lazy` gives the help of commands that are listed without being loaded.
    """
    lazy = lazy or {}
    rows = [(name, lazy[name].help) if name in lazy and name not in group.commands
            else (name, command.get_short_help_str(limit=1000))
            for name in group.list_commands(ctx)
            if (name in lazy and name not in group.commands)
            # A command already on the group is taken as it is (a FlaskGroup's get_command would first load
            # every installed package's plugin commands).
            or ((command := group.commands.get(name) or group.get_command(ctx, name)) is not None
                and not command.hidden)]
    if rows:
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class LazyGroup(click.Group):
    """A command group whose help lists each command's whole first line, and whose `lazy` commands are imported
    when they are asked for: `lazy={"name": Lazy("package.module", "attribute", "Short help.")}`."""

    def __init__(self, *args, lazy: dict[str, Lazy] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            return self.lazy[name].load()
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        format_full_help(self, ctx, formatter, lazy=self.lazy)
