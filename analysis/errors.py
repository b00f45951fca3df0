"""`InputError`, the exception every bad input raises, in a module importing nothing: whoever only catches it (the
console's compare and trend pages, the commands) loads neither pandas nor scipy for it."""

from __future__ import annotations


class InputError(ValueError):
    """An input file has problems; `problems` lists them with file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input:\n" + "\n".join(problems))
