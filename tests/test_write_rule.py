"""The write rule: every package of survey/ commits only in its operations module (operations.py, or the modules
of an operations/ package). A route or a command that changes the database calls an operations function, so
that a reader finds every write of a package in one place.

Only `.commit` is checked. A rollback stays allowed anywhere: it writes nothing, and the pages and commands use
it to drop a transaction that failed (an error page, a refused import, a links file that could not be written).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent

# Modules that may commit although they are not an operations module: path -> why. Each entry must still
# hold a commit (a stale entry fails), so that the list only shrinks.
EXCEPTIONS: dict[str, str] = {}


def _is_operations(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return relative.name == "operations.py" or "operations" in relative.parts[:-1]


def commits(source: str) -> list[int]:
    """The lines of `source` that name a `.commit` (called, or handed on as a callback)."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Attribute) and node.attr == "commit")


def _commits_by_module() -> dict[str, list[int]]:
    found = {}
    for path in sorted((ROOT / "survey").rglob("*.py")):
        lines = commits(path.read_text(encoding="utf-8"))
        if lines:
            found[path.relative_to(ROOT).as_posix()] = lines
    return found


def test_every_commit_is_in_an_operations_module():
    found = _commits_by_module()
    outside = [f"{module}:{line}" for module, lines in found.items() for line in lines
               if not _is_operations(ROOT / module) and module not in EXCEPTIONS]
    assert not outside, ("commits outside an operations module (move the write into the package's "
                         "operations.py and call it): " + ", ".join(outside))


def test_each_exception_still_commits():
    found = _commits_by_module()
    stale = [module for module in EXCEPTIONS if module not in found]
    assert not stale, f"no commit left in {', '.join(stale)}: remove it from EXCEPTIONS"


def test_the_finder_sees_commits_however_written():
    source = ("def save(session, db):\n"
              "    session.commit()\n"
              "    db.session().commit()\n"
              "    run(on_done=session.commit)\n"
              "    session.rollback()\n"
              "    commit = 1\n")
    assert commits(source) == [2, 3, 4]


def test_operations_modules_are_recognised():
    assert _is_operations(ROOT / "survey" / "mail" / "operations.py")
    assert _is_operations(ROOT / "survey" / "responses" / "operations" / "imports.py")
    assert not _is_operations(ROOT / "survey" / "admin" / "waves.py")
    assert not _is_operations(ROOT / "survey" / "operations_log.py")
