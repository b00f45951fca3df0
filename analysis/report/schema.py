"""What `awareness verify` accepts as a report's JSON, checked before any of it is used.

A report's JSON may come from anyone (a reviewer checks a report someone sent). It is data only:
its size, nesting depth, string lengths and the type of every field the check reads are checked
first, each problem named by its place (`stamp.settings.confidence`). Nothing in it names a file to
open: the data come from the command line or from the database waves the stamp records.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_BYTES = 64 * 1024 * 1024  # a report over hundreds of items and groups is a few MB
MAX_DEPTH = 16  # a report's JSON nests 5 deep
MAX_STRING = 100_000  # characters in one string
MAX_VALUES = 5_000_000  # values in the whole document
WAVE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}")  # as `wave create` allows
CHOICES = {"base": ("answered", "all"), "adjust": ("holm", "bh", "none")}
FLAGS = ("by_group", "stratify", "paired", "weighted")


class ReportJsonError(ValueError):
    """The JSON is not a report's: the message says where and why."""


def parse_report_json(data: bytes) -> dict:
    """The report's JSON from its bytes, checked; ReportJsonError otherwise (never RecursionError or KeyError)."""
    if len(data) > MAX_BYTES:
        raise ReportJsonError(f"larger than {MAX_BYTES // 2**20} MB: not a report's JSON")
    try:
        recorded = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ReportJsonError(f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise ReportJsonError(f"not JSON ({error.msg}, line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise ReportJsonError(f"nested more than {MAX_DEPTH} levels deep: not a report's JSON") from None
    _check_shape(recorded)
    _check_fields(recorded)
    return recorded


def _check_shape(value: Any) -> None:
    """Depth, string lengths and the number of values, walked without recursion."""
    stack, count = [(value, 1, "")], 0
    while stack:
        item, depth, where = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise ReportJsonError(f"more than {MAX_VALUES:,} values: not a report's JSON")
        if depth > MAX_DEPTH:
            raise ReportJsonError(f"nested more than {MAX_DEPTH} levels deep (at {where or 'the top'}): "
                                  "not a report's JSON")
        if isinstance(item, str) and len(item) > MAX_STRING:
            raise ReportJsonError(f"{where}: a string of {len(item):,} characters (at most {MAX_STRING:,})")
        if isinstance(item, float) and not math.isfinite(item):
            raise ReportJsonError(f"{where}: {item} is not a number a report holds")
        if isinstance(item, dict):
            stack.extend((inner, depth + 1, f"{where}.{key}" if where else str(key)) for key, inner in item.items())
        elif isinstance(item, list):
            stack.extend((inner, depth + 1, f"{where}[{index}]") for index, inner in enumerate(item))


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def _field(parent: dict, key: str, where: str, types: tuple, *, required: bool = True) -> Any:
    if key not in parent:
        if required:
            raise ReportJsonError(f"{where}{key}: missing; give the JSON written beside a report by `awareness report`")
        return None
    value = parent[key]
    if isinstance(value, bool) and bool not in types:  # true is not a number here
        types = ()
    if not isinstance(value, types):
        wanted = " or ".join(dict.fromkeys(_kind(t()) for t in types)) if types else "another type"
        raise ReportJsonError(f"{where}{key}: {_kind(value)}, where the report has {wanted}")
    return value


def _check_fields(recorded: Any) -> None:
    if not isinstance(recorded, dict):
        raise ReportJsonError(f"{_kind(recorded)} at the top, where a report's JSON has an object")
    if "stamp" not in recorded:
        raise ReportJsonError("no reproducibility stamp; give the JSON written beside a report by `awareness report`")
    stamp = _field(recorded, "stamp", "", (dict,))
    settings = _field(stamp, "settings", "stamp.", (dict,))
    for flag in FLAGS:
        _field(settings, flag, "stamp.settings.", (bool, type(None)), required=False)
    for key, allowed in CHOICES.items():
        value = _field(settings, key, "stamp.settings.", (str, type(None)), required=False)
        if value is not None and value not in allowed:
            raise ReportJsonError(f"stamp.settings.{key}: {value!r}, where a report has one of {', '.join(allowed)}")
    confidence = _field(settings, "confidence", "stamp.settings.", (int, float, type(None)), required=False)
    if confidence is not None and not 0 < confidence < 1:
        raise ReportJsonError(f"stamp.settings.confidence: {confidence}, where a report has a level between 0 and 1")
    for key in ("baseline_wave", "current_wave"):
        wave = _field(settings, key, "stamp.settings.", (str, type(None)), required=False)
        if wave is not None and not WAVE_NAME.fullmatch(wave):
            raise ReportJsonError(f"stamp.settings.{key}: {wave!r} is not a wave's name")
    _field(settings, "population", "stamp.settings.", (str, type(None)), required=False)
    _field(settings, "rake", "stamp.settings.", (str, type(None)), required=False)
    _field(settings, "trim", "stamp.settings.", (int, float, type(None)), required=False)
    _field(stamp, "provisional", "stamp.", (bool, type(None)), required=False)
    _field(_field(recorded, "questionnaire", "", (dict,)), "fingerprint", "questionnaire.", (str, type(None)),
           required=False)
    if "waves" in recorded:  # a report over the period: its rounds, then rows like a comparison's
        _check_rounds(recorded, settings)
    else:
        for wave in ("baseline", "current"):
            described = _field(recorded, wave, "", (dict,))
            _field(described, "sha256", f"{wave}.", (str, type(None)), required=False)
            _field(described, "source", f"{wave}.", (str, type(None)), required=False)
    for index, row in enumerate(_field(recorded, "results", "", (list,))):
        if not isinstance(row, dict):
            raise ReportJsonError(f"results[{index}]: {_kind(row)}, where the report has an object")
        for key in ("item", "group"):
            _field(row, key, f"results[{index}].", (str,))
        _field(row, "design", f"results[{index}].", (str, type(None)), required=False)


def _check_rounds(recorded: dict, settings: dict) -> None:
    for index, wave in enumerate(_field(recorded, "waves", "", (list,))):
        if not isinstance(wave, dict):
            raise ReportJsonError(f"waves[{index}]: {_kind(wave)}, where the report has an object")
        _field(wave, "label", f"waves[{index}].", (str,))
        for key in ("sha256", "source"):
            _field(wave, key, f"waves[{index}].", (str, type(None)), required=False)
    for index, slug in enumerate(_field(settings, "waves", "stamp.settings.", (list, type(None)), required=False)
                                 or []):
        if not isinstance(slug, str) or not WAVE_NAME.fullmatch(slug):
            raise ReportJsonError(f"stamp.settings.waves[{index}]: {slug!r} is not a wave's name")
    for label, path in (_field(settings, "wave_files", "stamp.settings.", (dict, type(None)), required=False)
                        or {}).items():
        if not isinstance(path, str):
            raise ReportJsonError(f"stamp.settings.wave_files.{label}: {_kind(path)}, where the report has a string")
