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
    # Rows with a p-value per adjustment family ("all/independent/headline" -> 6): "after adjustment for 6 comparisons".
    family_sizes: tuple[tuple[str, int], ...] = ()


STATISTICS = {"mann_whitney": "Mann–Whitney U", "wilcoxon": "Wilcoxon V", "z": "z", "std_z": "z"}  # the same in every language


def _ci_label(context: Context) -> str:
    return word("ci", context.language, level=f"{100 * context.confidence:g}%")


def _interval(context: Context, low: str, high: str) -> str:
    """ "95% CI 8.8 to 30.5" in the report's language."""
    return word("interval", context.language, level=f"{100 * context.confidence:g}%", low=low, high=high)


def _estimate(row: dict, wave: str, context: Context) -> str:
    kind, value = row["kind"], row[wave]
    text = apa.estimate(kind, value["estimate"])
    ci = value["ci"]
    # "95% CI 53.1 to 70.2", never "53.1–70.2": a dash beside a minus sign reads as a range of negatives.
    inside = f"{_interval(context, apa.bound(kind, ci[0]), apa.bound(kind, ci[1]))}; " if ci and ci[0] is not None \
        else ""
    return f"{text} ({inside}n\u00a0=\u00a0{value['n']})"


def _bound(value: float, digits: int) -> str:
    """An interval's bound, with more decimals when rounding would show a bound that is not zero as zero
    (a reader of "0.0 to 25.4" takes the interval to touch zero)."""
    for extra in range(4):
        text = apa.number(value, digits + extra)
        if value == 0 or text.strip("0.\u2212") != "":
            return text
    return text


def _change(row: dict, context: Context) -> str:
    kind = row["kind"]
    text = apa.difference(kind, row["difference"])
    if kind == "proportion":
        text += " " + word("percentage_points", context.language)
    ci = row["difference_ci"]
    if ci and ci[0] is not None:
        scale, digits = (100, 1) if kind == "proportion" else (1, 2)
        text += f" ({_interval(context, _bound(scale * ci[0], digits), _bound(scale * ci[1], digits))})"
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
        text += f" ({_interval(context, _bound(ci[0], 2), _bound(ci[1], 2))})"
    return text


def significant(row: dict, context: Context) -> bool:
    """Significant at 1 − confidence, after the report's adjustment when there is one."""
    p = row["p_adjusted"] if row["p_adjusted"] is not None and context.adjust != "none" else row["p_value"]
    return p is not None and p < 1 - context.confidence


def _excludes_zero(row: dict) -> bool | None:
    """Does the interval of the change exclude zero? None without an interval."""
    ci = row.get("difference_ci")
    if not ci or ci[0] is None or ci[1] is None:
        return None
    return ci[0] > 0 or ci[1] < 0


def _after(row: dict, context: Context, changed: bool) -> str:
    """Where the adjustment decided that a change is not significant, the verdict says so, with the unadjusted p."""
    if changed or row["p_value"] >= 1 - context.confidence:
        return ""
    size = dict(context.family_sizes).get(row.get("family") or "", 0)
    if size > 1:
        return word("after_adjustment", context.language, count=size, p=apa.p_value(row["p_value"]))
    return word("after_adjustment_family", context.language, p=apa.p_value(row["p_value"]))


def _qualifier(row: dict, context: Context, changed: bool) -> str:
    """Words that keep the verdict and the interval beside it in agreement where the test and the interval
    (different methods) fall on either side of zero."""
    excludes = _excludes_zero(row)
    if row["p_value"] < 1 - context.confidence and not changed:
        return ""  # the adjustment decided, and the verdict says so
    if changed and excludes is False:
        return word("interval_includes_zero", context.language)
    if not changed and excludes:
        return word("interval_excludes_zero", context.language)
    return ""


def _evidence(row: dict, context: Context) -> str:
    return f"{statistic(row, context.language)}, {_p_part(row, context)}{_effect_part(row, context)}"


CENSUS = "every group answered in full"  # the weighted design's note on a census (n = N in every group)


def _exact(row: dict, who: str, context: Context) -> str:
    """A census: the change is exact, with no interval and no test, and the sentence says so."""
    language = context.language
    small = min(row["baseline"]["n"], row["current"]["n"])
    if small < context.min_cell:
        return word("sentence_small", language, who=who, min_cell=context.min_cell)
    kind = row["kind"]
    change = apa.difference(kind, row["difference"]) + (" " + word("percentage_points", language)
                                                       if kind == "proportion" else "")
    if row["difference"] == 0:
        return word("sentence_census_same", language, who=who, base=apa.estimate(kind, row["baseline"]["estimate"]),
                    baseline=context.baseline, current=context.current)
    verb = word("rose" if row["difference"] > 0 else "fell", language)
    return word("sentence_census", language, who=who, verb=verb, baseline=context.baseline, current=context.current,
                base=apa.estimate(kind, row["baseline"]["estimate"]), cur=apa.estimate(kind, row["current"]["estimate"]),
                change=change)


def sentence(row: dict, context: Context) -> str:
    """The finding of one row (a JSON result) as a sentence in the report's language."""
    language = context.language
    who = subject(context.questionnaire, row["item"], row["kind"], language)
    who += base_phrase(context.questionnaire, row["item"], row.get("base", "answered"), language)
    if row["difference"] is not None and row["p_value"] is None and CENSUS in (row.get("note") or ""):
        return _exact(row, who, context)
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
    changed = significant(row, context)
    parts |= {"qualifier": _qualifier(row, context, changed), "after": _after(row, context, changed)}
    if changed:
        verb = word("rose" if row["difference"] > 0 else "fell", language)
        return word("sentence_changed", language, verb=verb, **parts) + _lonely(row, context)
    return word("sentence_unchanged", language, **parts) + _lonely(row, context)


def _lonely(row: dict, context: Context) -> str:
    """A weighted finding resting on groups of a single respondent says so (their variance is approximated)."""
    codes = row.get("lonely_groups") or ()
    if not codes:
        return ""
    labels = {g.code: context.questionnaire.text(g.label, context.language) for g in context.questionnaire.groups}
    return " " + word("lonely_groups", context.language, groups=", ".join(labels.get(c, c) for c in codes))
