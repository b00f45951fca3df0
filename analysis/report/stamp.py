"""The reproducibility stamp of a report, and the check that recomputes every number."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from ..compare import software

REPORT_PACKAGES = ("matplotlib", "weasyprint", "python-docx", "jinja2", "fontpkg-noto-sans-khmer", "icu4py")
FACTS = ("mix_changed", "mix_test", "wording_changed", "lead")  # what the comparison found besides its rows
TOLERANCE = 1e-9  # relative: the same data and software give the same floats; this absorbs only JSON rounding


def stamp(data: dict, *, settings: dict, questionnaire_sha256: str | None,
          cover: dict | None = None) -> dict[str, Any]:
    """Software versions, the questionnaire and data hashes, every setting, the time, and the title block's
    facts: each wave's fieldwork and whether the report is provisional (a wave still open)."""
    from importlib import metadata

    versions = dict(software())
    for package in REPORT_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    questionnaire = dict(data["questionnaire"])
    if questionnaire_sha256:
        questionnaire["file_sha256"] = questionnaire_sha256
    return {
        "software": versions,
        "questionnaire": questionnaire,
        "data": {wave: {"source": data[wave]["source"], "sha256": data[wave]["sha256"]}
                 for wave in ("baseline", "current")},
        "settings": settings,
        "time": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "provisional": any(wave.get("open") for wave in ((cover or {}).get("fieldwork") or {}).values()),
        "fieldwork": (cover or {}).get("fieldwork"),
    }


def _key(row: dict) -> tuple[str, str, str]:
    return row["item"], row["group"], row.get("design") or "independent"


def _leaves(value: Any, path: str):
    """Every scalar inside a result row, with its path (baseline.ci.0 ...)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, f"{path}.{index}")
    else:
        yield path, value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, int | float) and isinstance(new, int | float) and not isinstance(old, bool):
        return math.isclose(old, new, rel_tol=TOLERANCE, abs_tol=1e-12)
    return old == new


def _alike(old: Any, new: Any) -> bool:
    """Equal, numbers within TOLERANCE, also inside dicts and lists."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_alike(old[key], new[key]) for key in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(map(_alike, old, new))
    return _same(old, new)


def differences(recorded: dict, recomputed: dict) -> list[str]:
    """What differs between a report's JSON and the same comparison computed again (empty: all match)."""
    found = []
    if recorded["questionnaire"].get("fingerprint") != recomputed["questionnaire"].get("fingerprint"):
        found.append("questionnaire: its content differs from the one the report used (fingerprint)")
    for wave in ("baseline", "current"):
        old, new = recorded[wave].get("sha256"), recomputed[wave].get("sha256")
        if old != new:
            found.append(f"{wave} data ({recomputed[wave]['source']}): SHA-256 {new} differs from the recorded {old}")
    for key in FACTS:
        if key in recorded and not _alike(recorded[key], recomputed.get(key)):  # absent from older reports
            found.append(f"{key}: report {recorded[key]}, recomputed {recomputed.get(key)}")
    old_rows = {_key(row): row for row in recorded["results"]}
    new_rows = {_key(row): row for row in recomputed["results"]}
    for key in old_rows.keys() - new_rows.keys():
        found.append(f"{'/'.join(key)}: in the report, not computed again")
    for key in new_rows.keys() - old_rows.keys():
        found.append(f"{'/'.join(key)}: computed again, not in the report")
    for key in [k for k in old_rows if k in new_rows]:
        new_leaves = dict(_leaves(new_rows[key], ""))
        for path, old in _leaves(old_rows[key], ""):
            new = new_leaves.get(path)
            if not _same(old, new):
                found.append(f"{key[0]} ({key[1]}, {key[2]}) {path}: report {old}, recomputed {new}")
    return found
