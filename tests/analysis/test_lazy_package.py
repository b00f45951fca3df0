"""`import analysis` is cheap (its names load on first use), and `analysis.compare` is the function whichever
of the package and the submodule was imported first. Each check runs in a fresh interpreter: this one has
loaded everything already. The checks of the import order run each in a child forked from one interpreter that
has loaded the libraries the analysis uses (numpy, pandas, SciPy) but none of the project's own modules: the
order in question is that of the analysis package's modules, which each child imports afresh, and the
libraries are loaded once instead of once per check."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_package_loads_neither_pandas_nor_scipy():
    assert _run("import sys, analysis; print(sorted({'pandas', 'scipy', 'numpy'} & set(sys.modules)))") == "[]"


FORKED = """
import contextlib, io, os, sys
import numpy, pandas, scipy.stats  # the libraries, once; no module of the project yet
assert not {'analysis', 'questionnaires'} & {name.split('.')[0] for name in sys.modules}, sorted(sys.modules)
for code in CODES:
    read, write = os.pipe()
    sys.stdout.flush()  # else a child would print again what is still buffered
    child = os.fork()
    if child == 0:
        os.close(read)
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            exec(code, {'__name__': '__main__'})
        os.write(write, shown.getvalue().encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        print(repr(pipe.read().strip()))
    assert os.waitpid(child, 0)[1] == 0, code
"""


def _run_forked(codes: list[str]) -> list[str]:
    """What each piece of code prints, each run in a child forked before any of the project's modules loaded."""
    import ast

    shown = _run(f"CODES = {codes!r}\n{FORKED}")
    return [ast.literal_eval(line) for line in shown.splitlines()]


def test_compare_is_the_function_whichever_is_imported_first():
    code = ("import inspect, sys\n"
            "{first}\n"
            "from analysis import compare\n"
            "import analysis\n"
            "print(inspect.isfunction(compare), analysis.compare is compare,\n"
            "      sys.modules['analysis.compare'].compare is compare)\n")
    firsts = ("import analysis", "import analysis.compare", "from analysis.compare import Result",
              "from analysis import report")
    shown = _run_forked([code.format(first=first) for first in firsts])
    assert len(shown) == len(firsts), shown
    for first, printed in zip(firsts, shown, strict=True):
        assert printed == "True True True", first


def test_every_name_of_the_package_is_there():
    assert _run("from analysis import *\n"
                "print(Comparison.__name__, Result.__name__, InputError.__name__, WaveData.__name__,\n"
                "      compare.__module__, to_dict.__module__, read_wave.__module__, read_frame.__module__,\n"
                "      read_table.__module__, read_counts_frame.__module__)") == (
        "Comparison Result InputError WaveData analysis.compare analysis.results analysis.inputs analysis.inputs "
        "analysis.inputs analysis.inputs")
    assert _run("import analysis\n"
                "try:\n"
                "    analysis.no_such_name\n"
                "except AttributeError as error:\n"
                "    print(error)") == "module 'analysis' has no attribute 'no_such_name'"
