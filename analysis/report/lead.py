"""Which rows a report leads with, by the comparison's documented rule (analysis.compare.lead_rule, docs/report.md):
paired when asked for; else weighted when population sizes are known; else adjusted for group (stratified) when the
mix of stakeholder groups changed; else independent."""

from __future__ import annotations

from . import apa
from .i18n import word

MIX_NOTE = "the group mix differs"  # the comparison's note on the mix: the headline's note says it, once


def design(row: dict) -> str:
    return row.get("design") or "independent"


def lead_design(data: dict) -> str:
    """The design of the rows the findings lead with, whatever designs the comparison holds."""
    chosen = (data.get("lead") or {}).get("design")
    if chosen:
        return chosen
    # A JSON written before the comparison recorded its lead: the same rule from the rows it holds.
    present = {design(row) for row in data["results"] if row["group"] == "all"}
    if "paired" in present:
        return "paired"
    if "weighted" in present:
        return "weighted"
    if "stratified" in present and (data.get("mix_changed") or "independent" not in present):
        return "stratified"
    if "independent" in present or not present:
        return "independent"
    return sorted(present)[0]


def headline_keys(questionnaire) -> list[str]:
    """Headline items (headline: true); otherwise the awareness items and the knowledge score."""
    items = [item for item in questionnaire.answerable_items if item.headline]
    if not items:
        items = [item for item in questionnaire.answerable_items if item.measure == "awareness"]
        keys = [item.id for item in items]
        return keys + (["knowledge_score"] if questionnaire.knowledge_items else [])
    return [item.id for item in items]


def headline_rows(data: dict, questionnaire) -> list[dict]:
    """The `all` rows of the headline items, in the lead design where the item has one, else independent."""
    chosen = lead_design(data)
    keys = headline_keys(questionnaire)
    # The comparison marks its headline rows itself (role); every row says "other" when no item is a headline.
    if any(row.get("role") == "headline" for row in data["results"]):
        keys = list(dict.fromkeys(row["item"].partition("/")[0] for row in data["results"]
                                  if row.get("role") == "headline"))
    rows = []
    for key in keys:
        mine = [row for row in data["results"] if row["group"] == "all" and row["item"].partition("/")[0] == key]
        for wanted in (chosen, "independent"):
            found = [row for row in mine if design(row) == wanted]
            if found:
                rows.extend(found)
                break
    return rows


def chart_rows(rows: list[dict], lead: str) -> list[dict]:
    """The `all` rows a section's chart plots: each item's row of the lead design, else its independent row
    (so that a chart shows the numbers of the sentences above it)."""
    mine = [row for row in rows if row["group"] == "all"]
    keys = list(dict.fromkeys(row["item"] for row in mine))
    chosen = []
    for key in keys:
        found = [row for row in mine if row["item"] == key and design(row) == lead] or \
            [row for row in mine if row["item"] == key and design(row) == "independent"]
        chosen.extend(found[:1])
    return chosen


def mix_statistic(data: dict) -> str | None:
    """The mix test in APA form: χ²(4, N = 320) = 15.21, p = .004."""
    test = data.get("mix_test")
    if not test or test.get("statistic") is None:
        return None
    total = sum(sum(data[wave]["groups"].values()) for wave in ("baseline", "current"))
    return (f"χ²({test['df']}, N\u00a0=\u00a0{total})\u00a0=\u00a0{apa.number(test['statistic'])}, "
            f"p\u00a0{apa.p_value(test['p_value'])}")


def lead_paragraph(data: dict, language: str, labels: tuple[str, str], group_names: dict[str, str]) -> str:
    """The headline's note: the design the findings follow and why, in plain words, the mix test once, and the
    groups absent from a wave or without respondents."""
    lead = lead_design(data)
    baseline, current = labels
    mix = mix_statistic(data)
    values = {"baseline": baseline, "current": current, "mix": mix or ""}
    if lead == "independent":
        key = "lead_independent_mix" if mix else "lead_independent"
    else:
        key = f"lead_{lead}"
    parts = [word(key, language, **values)]
    stamped = (data.get("stamp") or {}).get("settings") or {}
    if lead == "weighted" and stamped.get("weighted") and stamped.get("current_wave"):
        parts.append(word("weighted_stored", language, wave=stamped["current_wave"], **values))
    if lead in ("paired", "weighted") and data.get("mix_changed") and mix:
        parts.append(word(f"mix_changed_{lead}", language, **values))
    if (data.get("settings") or {}).get("paired") and lead != "paired":
        parts.append(word("paired_without_pairs", language))
    parts += absent_groups(data, language, labels, group_names)
    return " ".join(parts)


def absent_groups(data: dict, language: str, labels: tuple[str, str], group_names: dict[str, str]) -> list[str]:
    """Sentences naming the groups absent from one wave, and those of the population without respondents."""
    waves = [set(data[wave]["groups"]) - {"all"} for wave in ("baseline", "current")]
    if not any(waves):  # counts tables without groups
        return []
    lead = lead_design(data)
    said = []
    for only, missing_from in ((waves[0] - waves[1], labels[1]), (waves[1] - waves[0], labels[0])):
        if only:
            said.append(word(f"group_absent_{lead}", language, groups=_names(only, group_names), wave=missing_from))
    population = (data.get("settings") or {}).get("population") or {}
    unseen = {g for g, size in population.items() if size and g not in waves[0] | waves[1]}
    if unseen:
        said.append(word("group_unanswered", language, groups=_names(unseen, group_names)))
    return said


def _names(codes: set[str], group_names: dict[str, str]) -> str:
    ordered = [group_names[c] for c in group_names if c in codes] + sorted(c for c in codes if c not in group_names)
    return ", ".join(ordered)
