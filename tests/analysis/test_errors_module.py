"""`InputError` lives in analysis/errors.py, which imports nothing heavy: the console's compare and trend pages
catch it in one blueprint error handler without loading pandas; `analysis.wavedata.InputError` and
`analysis.InputError` are the same class, so every raise is caught."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def test_the_errors_module_loads_neither_pandas_nor_numpy():
    code = ("import sys\nfrom analysis import InputError\nimport analysis.errors\n"
            "print(sorted({'pandas', 'numpy', 'scipy'} & set(sys.modules)), InputError is analysis.errors.InputError)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] True"


def test_wavedata_input_error_is_the_same_class():
    import analysis
    from analysis import errors, wavedata

    assert wavedata.InputError is errors.InputError is analysis.InputError
    assert issubclass(errors.InputError, ValueError)
    assert errors.InputError(["a", "b"]).problems == ["a", "b"]
