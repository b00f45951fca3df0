"""The title block of a citable report: who made it, when each wave's fieldwork ran, when the report was made.

`cover` is a plain dict (it also goes into the stamp):
    {"organisation": str | None, "author": str | None, "date": "YYYY-MM-DD",
     "fieldwork": {"baseline": {"first": "YYYY-MM-DD" | None, "last": ..., "open": bool}, "current": {...}}}
A wave still open makes the whole report provisional: every page says so.
"""

from __future__ import annotations

from datetime import date

from .i18n import word

MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"),
          "km": ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា",
                 "វិច្ឆិកា", "ធ្នូ")}


def day(text: str | None, language: str) -> str:
    """"12 April 2018" (ISO date in, the report's words out)."""
    if not text:
        return ""
    value = date.fromisoformat(text)
    return f"{value.day} {MONTHS.get(language, MONTHS['en'])[value.month - 1]} {value.year}"


def open_waves(cover: dict | None, labels: tuple[str, ...], keys: tuple[str, ...] = ("baseline", "current")) \
        -> list[str]:
    """The names of the waves whose fieldwork was still open when the report was made (`keys`: the waves' keys
    in cover["fieldwork"]; a report over the period keys them by their names)."""
    fieldwork = (cover or {}).get("fieldwork") or {}
    return [label for wave, label in zip(keys, labels, strict=True)
            if (fieldwork.get(wave) or {}).get("open")]


def _fieldwork(wave: dict | None, language: str) -> str:
    if not wave or not wave.get("first"):
        return word("fieldwork_unknown", language)
    first, last = day(wave["first"], language), day(wave.get("last"), language)
    if wave.get("open"):
        return word("fieldwork_open", language, first=first, last=last)
    return first if first == last else word("fieldwork_closed", language, first=first, last=last)


def title_block(cover: dict | None, labels: tuple[str, ...], language: str,
                keys: tuple[str, ...] = ("baseline", "current")) -> list[tuple[str, str]]:
    """(label, value) lines under the title: organisation, author, each wave's fieldwork, the report's date."""
    cover = cover or {}
    lines = [(word(key, language), cover[key]) for key in ("organisation", "author") if cover.get(key)]
    fieldwork = cover.get("fieldwork") or {}
    for wave, label in zip(keys, labels, strict=True):
        lines.append((word("fieldwork", language, wave=label), _fieldwork(fieldwork.get(wave), language)))
    lines.append((word("report_date", language), day(cover.get("date") or date.today().isoformat(), language)))
    return lines
