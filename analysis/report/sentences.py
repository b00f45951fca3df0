"""One APA-style sentence per compared row, every number rounded from the JSON value it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires import Questionnaire

from . import apa
from .i18n import ADJUSTMENTS, effect_name, note, word
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


def _ci_label(context: Context) -> str:
    level = f"{100 * context.confidence:g}%"
    return f"CI {level}" if context.language == "km" else f"{level} CI"


def _estimate(row: dict, wave: str, context: Context) -> str:
    kind, value = row["kind"], row[wave]
    text = apa.estimate(kind, value["estimate"])
    ci = value["ci"]
    inside = f"{_ci_label(context)} {apa.bound(kind, ci[0])}–{apa.bound(kind, ci[1])}; " if ci and ci[0] is not None \
        else ""
    return f"{text} ({inside}n\u00a0=\u00a0{value['n']})"


def _change(row: dict, context: Context) -> str:
    kind, km = row["kind"], context.language == "km"
    unit = (" ពិន្ទុភាគរយ" if km else " percentage points") if kind == "proportion" else ""
    text = f"{apa.difference(kind, row['difference'])}{unit}"
    ci = row["difference_ci"]
    if ci and ci[0] is not None:
        scale = 100 if kind == "proportion" else 1
        digits = 1 if kind == "proportion" else 2
        joiner = " ដល់ " if km else " to "
        text += f" ({_ci_label(context)} {apa.number(scale * ci[0], digits)}{joiner}{apa.number(scale * ci[1], digits)})"
    return ("ដែលជាការផ្លាស់ប្តូរ " if km else "a change of ") + text


def statistic(row: dict, language: str = "en") -> str:
    """The test and its statistic, APA style: χ²(1, N = 270) = 31.24."""
    test, value, df = row["test"], row["statistic"], row["df"]
    n = row["baseline"]["n"] + row["current"]["n"]
    km = language == "km"
    if test in ("fisher", "mcnemar_exact") or value is None:
        names = {"fisher": ("តេស្តពិតប្រាកដរបស់ Fisher", "Fisher's exact test"),
                 "mcnemar_exact": ("តេស្ត McNemar ពិតប្រាកដ", "exact McNemar test")}
        return names.get(test, (test or "", test or ""))[0 if km else 1]
    stat = apa.number(value)
    if test in ("chi2", "chi_square"):
        return f"χ²({apa.df(df)}, N = {n}) = {stat}"
    if test == "cmh":
        return f"Cochran–Mantel–Haenszel χ²({apa.df(df)}) = {stat}"
    if test == "mann_whitney":
        return f"Mann–Whitney U = {stat}"
    if test == "wilcoxon":
        return f"Wilcoxon V = {stat}"
    if test == "welch_t":
        return f"Welch's t({apa.df(df)}) = {stat}" if not km else f"t របស់ Welch ({apa.df(df)}) = {stat}"
    if test == "paired_t":
        return (f"t ជាគូ ({apa.df(df)}) = {stat}" if km else f"paired t({apa.df(df)}) = {stat}")
    if test == "z":
        return f"z = {stat}"
    return f"{test} = {stat}"


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
        joiner = " ដល់ " if context.language == "km" else " to "
        text += f" ({_ci_label(context)} {apa.number(ci[0])}{joiner}{apa.number(ci[1])})"
    return text


def significant(row: dict, context: Context) -> bool:
    """Significant at 1 − confidence, after the report's adjustment when there is one."""
    p = row["p_adjusted"] if row["p_adjusted"] is not None and context.adjust != "none" else row["p_value"]
    return p is not None and p < 1 - context.confidence


def _evidence(row: dict, context: Context) -> str:
    return f"{statistic(row, context.language)}, {_p_part(row, context)}{_effect_part(row, context)}"


def sentence(row: dict, context: Context) -> str:
    """The finding of one row (a JSON result) as a sentence in the report's language."""
    km = context.language == "km"
    who = subject(context.questionnaire, row["item"], row["kind"], context.language)
    who += base_phrase(context.questionnaire, row["item"], row.get("base", "answered"), context.language)
    if row["difference"] is None or row["p_value"] is None:
        reason = word("wording_changed", context.language) if row["item"].partition("/")[0] in context.changed \
            else note(row.get("note"), context.language) or ("គ្មានតេស្ត" if km else "no test")
        return f"{who}៖ មិនបានប្រៀបធៀប ({reason})។" if km else f"{who}: not compared ({reason})."
    small = min(row["baseline"]["n"], row["current"]["n"])
    if small < context.min_cell:
        return (f"{who}៖ n < {context.min_cell} ក្នុងជុំមួយ មិនបានរាយការណ៍ ដើម្បីការពារការសម្ងាត់របស់អ្នកឆ្លើយ។" if km
                else f"{who}: n < {context.min_cell} in a round; not reported, to protect respondents' confidentiality.")
    base, cur = _estimate(row, "baseline", context), _estimate(row, "current", context)
    caution = ""
    if small < 25:
        caution = " (ផ្អែកលើអ្នកឆ្លើយតិចជាង 25 នាក់៖ សូមបកស្រាយដោយប្រុងប្រយ័ត្ន)" if km else \
            " (based on fewer than 25 respondents: interpret with caution)"
    if km:
        if significant(row, context):
            verb = "បានកើនឡើង" if row["difference"] > 0 else "បានថយចុះ"
            return (f"{who} {verb}ពី {base} ក្នុង {context.baseline} ដល់ {cur} ក្នុង {context.current} "
                    f"{_change(row, context)}{caution}; {_evidence(row, context)}។")
        return (f"{who} មិនបានផ្លាស់ប្តូរគួរឱ្យកត់សម្គាល់តាមស្ថិតិទេ៖ {base} ក្នុង {context.baseline} និង {cur} "
                f"ក្នុង {context.current} {_change(row, context)}{caution}; {_evidence(row, context)}។")
    if significant(row, context):
        verb = "rose" if row["difference"] > 0 else "fell"
        return (f"{who} {verb} from {base} in {context.baseline} to {cur} in {context.current}, "
                f"{_change(row, context)}{caution}; {_evidence(row, context)}.")
    return (f"{who} did not change significantly: {base} in {context.baseline} and {cur} in {context.current}, "
            f"{_change(row, context)}{caution}; {_evidence(row, context)}.")
