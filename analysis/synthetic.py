"""Synthetic answers in the interchange format, for demos, tests and benchmarks.

Each respondent has a latent awareness drawn from their group's level; items
with a measure succeed more often for aware respondents, likert answers lean
higher, knowledge is more often correct. Vectorised with numpy: one draw per
item column, no loop over respondents (except to apply relevance rules).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from questionnaires import Item, Questionnaire

TEXT_SAMPLES = ("More coordination meetings between ministries.", "Training for provincial staff.",
                "ត្រូវការវគ្គបណ្តុះបណ្តាលបន្ថែម។", "Budget for reintegration services.")


def synthetic_wave(questionnaire: Questionnaire, n: int, *, awareness: dict[str, float] | float = 0.6,
                   seed: int = 0, group_weights: dict[str, float] | None = None,
                   apply_relevance: bool = True) -> pd.DataFrame:
    """`n` respondents' answers; `awareness` is the share aware, overall or by group code."""
    rng = np.random.default_rng(seed)
    codes = list(questionnaire.group_codes)
    weights = np.array([(group_weights or {}).get(code, 1.0) for code in codes], dtype=float)
    groups = rng.choice(codes, size=n, p=weights / weights.sum())
    level = np.array([awareness.get(g, 0.5) if isinstance(awareness, dict) else awareness for g in groups])
    aware = rng.random(n) < level
    frame = pd.DataFrame({"group": groups, "respondent": "", "language": rng.choice(["en", "km"], size=n)})
    for item in questionnaire.answerable_items:
        frame[item.id] = _answers(item, aware, rng)
    if apply_relevance:
        _blank_irrelevant(questionnaire, frame)
    return frame


def _answers(item: Item, aware: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(aware)
    answered = np.ones(n, dtype=bool) if item.required else rng.random(n) < 0.97
    if item.type in ("single_choice", "likert"):
        if item.success_codes:
            chance = np.where(aware, 0.9, 0.25) if item.measure == "awareness" else np.where(aware, 0.75, 0.2)
            hit = rng.random(n) < chance
            others = [c for c in item.codes if c not in item.success_codes] or list(item.codes)
            values = np.where(hit, rng.choice(list(item.success_codes), size=n), rng.choice(others, size=n))
        elif item.type == "likert":
            k = len(item.codes)
            shift = np.where(aware, 0.7, 0.35)
            levels = np.clip(rng.binomial(k - 1, shift), 0, k - 1)
            values = np.array(item.codes, dtype=object)[levels]
        else:
            values = rng.choice(list(item.codes), size=n)
        return np.where(answered, values, None)
    if item.type == "multiple_choice":
        chance = np.where(aware, 0.6, 0.2)
        picks = rng.random((n, len(item.codes))) < chance[:, None]
        joined = [" ".join(c for c, p in zip(item.codes, row, strict=True) if p) or None for row in picks]
        return np.where(answered, np.array(joined, dtype=object), None)
    if item.type == "number":
        low = item.minimum if item.minimum is not None else 0
        high = item.maximum if item.maximum is not None else 100
        base = rng.poisson(np.where(aware, 3.0, 1.5)).astype(float)
        values = np.clip(base if item.integer else base + rng.random(n).round(1), low, high)
        texts = np.array([str(int(v)) if float(v).is_integer() else str(v) for v in values], dtype=object)
        return np.where(answered, texts, None)
    # Free text: most leave it blank.
    return np.where(rng.random(n) < 0.15, rng.choice(TEXT_SAMPLES, size=n), None)


def _blank_irrelevant(questionnaire: Questionnaire, frame: pd.DataFrame) -> None:
    """Blank answers to items whose relevance rule is false for that respondent."""
    relevant_items = [item for item in questionnaire.answerable_items if item.relevant]
    if not relevant_items:
        return
    parse = {item.id: item.kind for item in questionnaire.answerable_items}
    # Each respondent's answers parsed once, and blanked here as in the frame: the rules of later items read the
    # answers left by earlier ones (parsing every answer again for each item cost most of a demo wave's time).
    answers = [{k: _parsed(questionnaire, k, v) for k, v in record.items() if k in parse}
               for record in frame.to_dict("records")]
    for item in relevant_items:
        mask = np.array([item.is_relevant(parsed) for parsed in answers])
        frame.loc[~mask, item.id] = None
        for parsed, shown in zip(answers, mask, strict=True):
            if not shown:
                parsed[item.id] = None


def _parsed(questionnaire: Questionnaire, item_id: str, value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    item = questionnaire.item(item_id)
    return item.kind.parse(item, str(value))


# Share aware by stakeholder group over the policy period: government's awareness rises fastest at the end,
# employers' slowly, development partners' levels off: `awareness demo`'s waves, a trend a new user sees at once
# (`awareness trend`).
DEMO_AWARENESS = {
    "2015": {"government": 0.30, "employers": 0.15, "workers": 0.20, "civil_society": 0.35,
             "development_partners": 0.55},
    "2016": {"government": 0.40, "employers": 0.20, "workers": 0.30, "civil_society": 0.45,
             "development_partners": 0.70},
    "2017": {"government": 0.55, "employers": 0.30, "workers": 0.40, "civil_society": 0.50,
             "development_partners": 0.75},
    "2018": {"government": 0.85, "employers": 0.45, "workers": 0.65, "civil_society": 0.70,
             "development_partners": 0.85},
}
