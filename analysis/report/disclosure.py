"""The AAPOR Transparency Initiative's disclosure elements, filled from what the platform knows.

AAPOR Code of Professional Ethics and Practices (2021), section III.A, and the Transparency Initiative: who
sponsored and who conducted the survey, the instrument, the population, how the sample was drawn, the mode,
the dates, the sample sizes and precision, the weighting, how the data were processed, and the limitations.
Sponsor and conductor come from the instance configuration (REPORT_SPONSOR, REPORT_CONDUCTOR; the conductor
defaults to REPORT_ORGANISATION); what the platform cannot know is said to be not stated.
"""

from __future__ import annotations

from questionnaires import Questionnaire

from .cover import day
from .i18n import DISCLOSURE
from .lead import lead_design


def _label(key: str, language: str) -> str:
    return _text(f"label_{key}", language)


def _text(key: str, language: str, **values) -> str:
    """The disclosure's text `key` (analysis/report/words.toml, table disclosure) in `language`."""
    entry = DISCLOSURE[key]
    return (entry.get(language) or entry["en"]).format(**values)


def disclosure(data: dict, questionnaire: Questionnaire, labels: tuple[str, str], language: str, min_cell: int,
               cover: dict | None = None, response: dict | None = None) -> list[str]:
    """The heading, then one "Element: text" paragraph per disclosure element, in the report's language."""
    cover = cover or {}
    not_stated = _label("not_stated", language)
    groups = [questionnaire.text(g.label, language) for g in questionnaire.groups]
    population = (data.get("settings") or {}).get("population")
    languages = [_text(f"language_{code}", language) if f"language_{code}" in DISCLOSURE else code
                 for code in questionnaire.languages]
    elements = {
        "sponsor": cover.get("sponsor") or not_stated,
        "conductor": cover.get("conductor") or cover.get("organisation") or not_stated,
        "instrument": _text("instrument", language, title=questionnaire.text(questionnaire.title, language),
                            id=questionnaire.id, version=questionnaire.version,
                            count=len(questionnaire.answerable_items),
                            languages=", ".join(languages[:-1]) + _text("and", language) + languages[-1]
                            if len(languages) > 1 else "".join(languages),
                            fingerprint=questionnaire.fingerprint[:12]),
        "population": _text("population", language, count=len(groups), groups=", ".join(groups))
        + (_text("sizes_known", language, sizes=_sizes(population, questionnaire, language)) if population
           else _text("sizes_unknown", language)),
        "sample": _sample(response, labels, language),
        "mode": _text("mode_web" if cover.get("fieldwork") else "mode_files", language),
        "dates": "; ".join(_dates(cover, labels, language)) or not_stated,
        "sizes": _text("sizes", language, baseline=labels[0], baseline_n=data["baseline"]["n"], current=labels[1],
                       current_n=data["current"]["n"], confidence=f"{100 * data['settings']['confidence']:g}"),
        "weighting": _text(_weighting(lead_design(data)), language),
        "processing": _text("processing", language, min_cell=min_cell),
        "limitations": _text("limitations", language),
    }
    separator = _text("separator", language)
    return [_label("heading", language)] + [f"{_label(key, language)}{separator}{text}"
                                            for key, text in elements.items()]


def _sizes(population: dict, questionnaire: Questionnaire, language: str) -> str:
    names = {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}
    return ", ".join(f"{names.get(code, code)} {size}" for code, size in population.items())


def _sample(response: dict | None, labels: tuple[str, str], language: str) -> str:
    """Invitations and AAPOR response rates (break-off rule of analysis/aapor.py) where the platform sent them."""
    if not response:
        return _text("sample_files", language)
    parts = []
    for wave, label in zip(("baseline", "current"), labels, strict=True):
        rates = (response.get(wave) or {}).get("all")
        if rates and rates.get("rr1") is not None:
            invited = _text("invited", language, count=rates["invited"]) if rates.get("invited") is not None else ""
            parts.append(_text("rates", language, label=label, invited=invited, rr1=f"{100 * rates['rr1']:.1f}",
                               rr2=f"{100 * rates['rr2']:.1f}"))
    return _text("sample_invited", language, rates="; ".join(parts))


def _dates(cover: dict, labels: tuple[str, str], language: str) -> list[str]:
    fieldwork = cover.get("fieldwork") or {}
    found = []
    for wave, label in zip(("baseline", "current"), labels, strict=True):
        dates = fieldwork.get(wave) or {}
        if dates.get("first"):
            found.append(_text("fieldwork", language, label=label, first=day(dates["first"], language),
                               last=day(dates.get("last"), language))
                         + (_text("still_open", language) if dates.get("open") else ""))
    if cover.get("date"):
        found.append(_text("report_date", language, date=day(cover["date"], language)))
    return found


def _weighting(lead: str) -> str:
    """The key of the weighting sentence for the lead design."""
    return lead if lead in ("weighted", "stratified", "paired") else "unweighted"
