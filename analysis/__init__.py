"""Year-over-year statistics; pandas and scipy only (never flask or survey)."""

from .compare import Comparison, Result, compare, to_dict
from .inputs import InputError, WaveData, read_counts_frame, read_frame, read_table, read_wave

__all__ = ["Comparison", "InputError", "Result", "WaveData", "compare", "read_counts_frame", "read_frame", "read_table", "read_wave", "to_dict"]
