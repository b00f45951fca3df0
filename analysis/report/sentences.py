"""One APA-style sentence per compared row, every number rounded from the JSON value it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires import Questionnaire

from . import apa, suppress
from .i18n import ADJUSTMENTS, effect_name, note, test_name, word
from .subjects import base_phrase, subject


@dataclass(frozen=True)
class Context:
    """What every sentence of a report shares."""

    questionnaire: Questionnaire
    language: str
    baseline: str  # the rounds' names, e.g. "2017"
    current: str
    confidence: float
    adjust: str
    min_cell: int = 5
    changed: frozenset[str] = frozenset()  # items whose wording changed between editions


STATISTICS = {"mann_whitney": "Mann–Whitney U", "wilcoxon": "Wilcoxon V", "z": "z"}  # the same in every language


def _ci_label(context: Context) -> str:
    return word("ci", context.language, level=f"{100 * context.confidence:g}%")


def _interval(context: Context, low: str, high: str) -> str:
    """ "95% CI 8.8 to 30.5" in the report's language."""
    return word("interval", context.language, level=f"{100 * context.confidence:g}%", low=low, high=high)


def _estimate(row: dict, wave: str, context: Context) -> str:
    kind, value = row["kind"], row[wave]
    text = apa.estimate(kind, value["estimate"])
    ci = value["ci"]
    inside = f"{_ci_label(context)} {apa.bound(kind, ci[0])}–{apa.bound(kind, ci[1])}; " if ci and ci[0] is not None \
        else ""
    return f"{text} ({inside}n\u00a0=\u00a0{value['n']})"


def _change(row: dict, context: Context) -> str:
    kind = row["kind"]
    text = apa.difference(kind, row["difference"])
    if kind == "proportion":
        text += " " + word("percentage_points", context.language)
    ci = row["difference_ci"]
    if ci and ci[0] is not None:
        scale, digits = (100, 1) if kind == "proportion" else (1, 2)
        text += f" ({_interval(context, apa.number(scale * ci[0], digits), apa.number(scale * ci[1], digits))})"
    return word("change_of", context.language, change=text)


def statistic(row: dict, language: str = "en") -> str:
    """The test and its statistic, APA style: χ²(1, N = 270) = 31.24."""
    test, value, df = row["test"], row["statistic"], row["df"]
    if test in ("fisher", "mcnemar_exact"):  # exact tests: their name, no statistic
        return test_name(test, language)
    if value is None:
        return test or ""
    stat = apa.number(value)
    if test == "chi2":
        return f"χ²({apa.df(df)}, N = {row['baseline']['n'] + row['current']['n']}) = {stat}"
    if test == "cmh":
        return f"Cochran–Mantel–Haenszel χ²({apa.df(df)}) = {stat}"
    if test in ("welch_t", "paired_t"):
        return word(test, language, df=apa.df(df), value=stat)
    return f"{STATISTICS.get(test, test)} = {stat}"


def _p_part(row: dict, context: Context) -> str:
    text = f"p\u00a0{apa.p_value(row['p_value'])}"
    if row["p_adjusted"] is not None and context.adjust in ADJUSTMENTS:
        name = ADJUSTMENTS[context.adjust][context.language if context.language in ("en", "km") else "en"]
        text += f" ({name} p\u00a0{apa.p_value(row['p_adjusted'])})"
    return text


def _effect_part(row: dict, context: Context) -> str:
    effect = row.get("effect_size")
    if not effect or effect.get("value") is None:
        return ""
    text = f", {effect_name(effect['name'], context.language)}\u00a0=\u00a0{apa.number(effect['value'])}"
    ci = effect.get("ci")
    if ci and ci[0] is not None:
        text += f" ({_interval(context, apa.number(ci[0]), apa.number(ci[1]))})"
    return text


def significant(row: dict, context: Context) -> bool:
    """Significant at 1 − confidence, after the report's adjustment when there is one."""
    p = row["p_adjusted"] if row["p_adjusted"] is not None and context.adjust != "none" else row["p_value"]
    return p is not None and p < 1 - context.confidence


def _evidence(row: dict, context: Context) -> str:
    return f"{statistic(row, context.language)}, {_p_part(row, context)}{_effect_part(row, context)}"


def sentence(row: dict, context: Context) -> str:
    """The finding of one row (a JSON result) as a sentence in the report's language."""
    language = context.language
    who = subject(context.questionnaire, row["item"], row["kind"], language)
    who += base_phrase(context.questionnaire, row["item"], row.get("base", "answered"), language)
    if row["difference"] is None or row["p_value"] is None:
        reason = word("wording_changed", language) if row["item"].partition("/")[0] in context.changed \
            else note(row.get("note"), language) or word("no_test", language)
        return word("sentence_not_compared", language, who=who, reason=reason)
    small = min(row["baseline"]["n"], row["current"]["n"])
    reasons = {suppress.reason(row["kind"], row[wave], context.min_cell) for wave in ("baseline", "current")}
    if suppress.SMALL in reasons:
        return word("sentence_small", language, who=who, min_cell=context.min_cell)
    if reasons - {None}:
        return word("sentence_hidden", language, who=who)
    parts = {"who": who, "base": _estimate(row, "baseline", context), "cur": _estimate(row, "current", context),
             "baseline": context.baseline, "current": context.current, "change": _change(row, context),
             "caution": word("few_respondents", language) if small < 25 else "", "evidence": _evidence(row, context)}
    if significant(row, context):
        verb = word("rose" if row["difference"] > 0 else "fell", language)
        return word("sentence_changed", language, verb=verb, **parts)
    return word("sentence_unchanged", language, **parts)
