"""Every wave of a policy period compared with the one before and with the first, and a trend test."""

from .build import Step, Trend, TrendRow, positions_of, trend
from .output import to_csv, to_dict, to_json, to_table

__all__ = ["Step", "Trend", "TrendRow", "positions_of", "to_csv", "to_dict", "to_json", "to_table", "trend"]
