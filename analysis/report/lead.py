"""Which rows a report leads with: weighted, else stratified when the stakeholder mix changed, else independent."""

from __future__ import annotations


def design(row: dict) -> str:
    return row.get("design") or "independent"


def lead_design(data: dict) -> str:
    """The design of the rows the findings lead with, whatever designs the comparison holds."""
    present = {design(row) for row in data["results"] if row["group"] == "all"}
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
