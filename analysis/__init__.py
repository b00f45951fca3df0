"""Year-over-year statistics; pandas and scipy only (never flask or survey).

`import analysis` is cheap: the names below are loaded on first use (PEP 562), so that a module that only
names the package, or imports one of its light submodules, does not load pandas and scipy.

`analysis.compare` is both a submodule (compare.py) and the function it defines; the package's attribute is
always the function, as it was when the package imported it eagerly: `from analysis import compare` gives the
function, `from analysis.compare import Result` the submodule's names.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compare import Comparison, Result, compare, to_dict
    from .inputs import InputError, WaveData, read_counts_frame, read_frame, read_table, read_wave

# name -> the submodule that defines it
_LAZY = {"Comparison": "compare", "Result": "compare", "compare": "compare", "to_dict": "compare",
         "InputError": "errors", "WaveData": "inputs", "read_counts_frame": "inputs", "read_frame": "inputs",
         "read_table": "inputs", "read_wave": "inputs"}

__all__ = ["Comparison", "InputError", "Result", "WaveData", "compare", "read_counts_frame", "read_frame", "read_table",
           "read_wave", "to_dict"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """Importing the submodule analysis.compare sets the package's attribute `compare` to the module; it is set
    to the module's function instead, so that `analysis.compare` means the same whichever was imported first."""

    def __setattr__(self, name: str, value) -> None:
        if name == "compare" and isinstance(value, types.ModuleType):
            value = value.compare
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
