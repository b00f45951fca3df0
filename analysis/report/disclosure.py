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
from .lead import lead_design

LABELS = {
    "heading": ("Disclosure (AAPOR Transparency Initiative)", "ការបង្ហាញព័ត៌មាន (គំនិតផ្តួចផ្តើមតម្លាភាព AAPOR)"),
    "sponsor": ("Sponsor", "អ្នកឧបត្ថម្ភ"),
    "conductor": ("Conducted by", "អនុវត្តដោយ"),
    "instrument": ("Questionnaire", "កម្រងសំណួរ"),
    "population": ("Population", "ប្រជាជនគោលដៅ"),
    "sample": ("Sample", "គំរូ"),
    "mode": ("Mode", "វិធីប្រមូលទិន្នន័យ"),
    "dates": ("Dates", "កាលបរិច្ឆេទ"),
    "sizes": ("Sample sizes and precision", "ទំហំគំរូ និងភាពជាក់លាក់"),
    "weighting": ("Weighting", "ការថ្លឹងទម្ងន់"),
    "processing": ("Processing", "ដំណើរការទិន្នន័យ"),
    "limitations": ("Limitations", "ដែនកំណត់"),
    "not_stated": ("not stated", "មិនបានបញ្ជាក់"),
}


def _label(key: str, language: str) -> str:
    return LABELS[key][1 if language == "km" else 0]


def disclosure(data: dict, questionnaire: Questionnaire, labels: tuple[str, str], language: str, min_cell: int,
               cover: dict | None = None, response: dict | None = None) -> list[str]:
    """The heading, then one "Element: text" paragraph per disclosure element."""
    cover = cover or {}
    not_stated = _label("not_stated", language)
    groups = [questionnaire.text(g.label, language) for g in questionnaire.groups]
    population = (data.get("settings") or {}).get("population")
    elements = {
        "sponsor": cover.get("sponsor") or not_stated,
        "conductor": cover.get("conductor") or cover.get("organisation") or not_stated,
        "instrument": (f"{questionnaire.text(questionnaire.title, language)} ({questionnaire.id}, version "
                       f"{questionnaire.version}): {len(questionnaire.answerable_items)} questions in "
                       f"{', '.join(questionnaire.languages)}; fingerprint {questionnaire.fingerprint[:12]}, in "
                       "the reproducibility stamp with the full questionnaire's hash."),
        "population": (f"Stakeholders of the policy in {len(groups)} groups: {', '.join(groups)}. "
                       + (f"Population sizes known: {_sizes(population, questionnaire, language)}."
                          if population else "Population sizes were not given.")),
        "sample": _sample(response, labels),
        "mode": ("Self-administered web questionnaire, from a personal or open link, on phone or computer."
                 if cover.get("fieldwork") else "As collected for the files compared; not recorded by the "
                 "platform."),
        "dates": "; ".join(_dates(cover, labels, language)) or not_stated,
        "sizes": (f"{labels[0]}: {data['baseline']['n']} respondents; {labels[1]}: {data['current']['n']} "
                  f"respondents. Intervals are {100 * data['settings']['confidence']:g}% confidence intervals, "
                  "given with every estimate."),
        "weighting": _weighting(lead_design(data)),
        "processing": ("Answers were checked against the questionnaire when given (codes, ranges, conditions); "
                       "a knowledge score is the share of knowledge questions answered correctly; “Don't know” "
                       f"counts as an answer; cells of fewer than {min_cell} respondents are suppressed."),
        "limitations": ("Participation was voluntary: those who did not respond may differ from those who did "
                        "(see the response rates); answers are self-reported; a comparison of two rounds shows "
                        "change, not its cause."),
    }
    return [_label("heading", language)] + [f"{_label(key, language)}: {text}" for key, text in elements.items()]


def _sizes(population: dict, questionnaire: Questionnaire, language: str) -> str:
    names = {g.code: questionnaire.text(g.label, language) for g in questionnaire.groups}
    return ", ".join(f"{names.get(code, code)} {size}" for code, size in population.items())


def _sample(response: dict | None, labels: tuple[str, str]) -> str:
    """Invitations and AAPOR response rates (break-off rule of analysis/aapor.py) where the platform sent them."""
    if not response:
        return ("Whom the files' respondents were drawn from, and how, is not recorded by the platform; no response "
                "rate can be computed.")
    parts = []
    for wave, label in zip(("baseline", "current"), labels, strict=True):
        rates = (response.get(wave) or {}).get("all")
        if rates and rates.get("rr1") is not None:
            invited = f"{rates['invited']} invited, " if rates.get("invited") is not None else ""
            parts.append(f"{label}: {invited}AAPOR RR1 {100 * rates['rr1']:.1f}%, RR2 {100 * rates['rr2']:.1f}%")
    return ("Every stakeholder on the researchers' list was invited by a personal link (a census of the list, not "
            "a random sample). " + "; ".join(parts) + ". A case counts as complete with 80% or more of the "
            "questions that applied to it answered, as partial with 50–80%, and as a break-off below 50% "
            "(AAPOR's rule; the thresholds are the instance's).")


def _dates(cover: dict, labels: tuple[str, str], language: str) -> list[str]:
    fieldwork = cover.get("fieldwork") or {}
    found = []
    for wave, label in zip(("baseline", "current"), labels, strict=True):
        dates = fieldwork.get(wave) or {}
        if dates.get("first"):
            found.append(f"{label} fieldwork {day(dates['first'], language)} to {day(dates.get('last'), language)}"
                         + (" (still open)" if dates.get("open") else ""))
    if cover.get("date"):
        found.append(f"report {day(cover['date'], language)}")
    return found


def _weighting(lead: str) -> str:
    return {"weighted": "Weighted to the known population size of each stakeholder group (stratified estimator).",
            "stratified": "Not weighted; the headline findings are adjusted for the changed mix of groups by "
                          "standardisation to the current round's mix (see the methods above).",
            "paired": "Not weighted; the headline findings compare the same respondents in both rounds."}.get(
        lead, "Not weighted: each respondent counts once.")
