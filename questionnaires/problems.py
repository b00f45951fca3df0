"""Problems found in a questionnaire or an input file: what, where, and how bad."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    source: str
    where: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.source}: {label}{where}{self.message}"


class QuestionnaireError(ValueError):
    """The definition has errors; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the questionnaire:\n" + "\n".join(map(str, errors)))
