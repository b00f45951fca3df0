"""The code's shape: no import circle between modules (imports inside functions included), no module over
400 lines, and the respondent's path without the analysis' heavy libraries."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGES = ("survey", "analysis", "questionnaires")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules `name` imports anywhere in its text (in functions too; TYPE_CHECKING aside)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    checking = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(
        node.test) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in checking:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):  # a package's own __init__
                found.add(target)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of the graph (a list of modules, the first repeated at the end), or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_through_others():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_circles_through_functions():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_is_longer_than_400_lines():
    long = {str(path.relative_to(ROOT)): lines for path in _modules().values()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_analysis_imports_neither_flask_nor_survey():
    modules = _modules()
    for name, path in modules.items():
        if name.startswith(("analysis", "questionnaires")):
            text = path.read_text(encoding="utf-8")
            assert "import flask" not in text and "from flask" not in text, name
            assert not any(target.startswith("survey") for target in _imports(name, path, modules)), name


RESPONDENT_PATH = """
import sys
from pathlib import Path
from survey import create_app, db
import questionnaires
from survey.invitations.operations import Contact, create_invitations
from survey.waves.operations import create_wave, store_edition

folder = Path(sys.argv[1])
app = create_app({"TESTING": True, "SECRET_KEY": "t", "PANEL_SECRET": "p", "WTF_CSRF_ENABLED": False,
                  "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite'}"})
db.upgrade(app)
with app.app_context():
    session = db.session()
    edition = store_edition(session, questionnaires.load(sys.argv[2]))
    wave = create_wave(session, "2018", edition, status="open")
    ((_invitation, token),) = create_invitations(session, wave, [Contact(group="workers")])
    session.commit()
heavy = ("pandas", "scipy", "matplotlib", "weasyprint", "numpy", "analysis")
client = app.test_client()
pages = [client.get("/"), client.get(f"/s/{token}"), client.post(f"/s/{token}", data={"consent": "yes"})]
pages.append(client.post(f"/s/{token}/1", data={"action": "next", "heard": "no"}))
pages.append(client.get(f"/s/{token}/review"))
pages.append(client.post(f"/s/{token}/review", data={}))
print([page.status_code for page in pages])
print(sorted(name for name in sys.modules if name.split(".")[0] in heavy))
"""


def test_the_respondent_path_loads_no_analysis_library(tmp_path):
    """create_app(), the front page and a respondent's pages, consent to submission, in a fresh interpreter."""
    from .conftest import TWO_PAGES

    result = subprocess.run([sys.executable, "-c", RESPONDENT_PATH, str(tmp_path), str(TWO_PAGES)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={"AWARENESS_INSTANCE_PATH": str(tmp_path / "instance"), "PATH": "/usr/bin"})
    assert result.returncode == 0, result.stderr
    statuses, loaded = result.stdout.strip().splitlines()[-2:]
    assert "500" not in statuses and statuses.count("302") >= 3, statuses
    assert loaded == "[]", loaded


if __name__ == "__main__":
    pytest.main([__file__])
