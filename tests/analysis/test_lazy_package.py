"""`import analysis` is cheap (its names load on first use), and `analysis.compare` is the function whichever
of the package and the submodule was imported first. Each check runs in a fresh interpreter: this one has
loaded everything already."""

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


def test_compare_is_the_function_whichever_is_imported_first():
    code = ("import inspect, sys\n"
            "{first}\n"
            "from analysis import compare\n"
            "import analysis\n"
            "print(inspect.isfunction(compare), analysis.compare is compare,\n"
            "      sys.modules['analysis.compare'].compare is compare)\n")
    for first in ("import analysis", "import analysis.compare", "from analysis.compare import Result",
                  "from analysis import report"):
        assert _run(code.format(first=first)) == "True True True", first


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
