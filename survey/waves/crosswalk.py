"""Item crosswalk between a wave's edition and its baseline wave's edition.

Items are matched by id and fingerprint. A crosswalk file (YAML) links renamed
items and maps recoded choices:

    heard_policy: heard               # baseline id -> current id
    understand:                       # with a code mapping
      item: understand_policy
      codes: {"1": "1", "2": "1", "3": "2", "4": "3", "5": "3"}

An item whose wording or codes changed (a different fingerprint, or a code
mapping) is left out of comparisons until the researcher confirms that it is
comparable. The crosswalk is read and checked here; waves.operations saves it and the confirmations.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from questionnaires import Questionnaire
from questionnaires.loader import read_yaml
from questionnaires.problems import QuestionnaireError

from ..comparison.stored import CrosswalkRow
from ..models import ItemLink, Wave
from . import queries


class CrosswalkError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_crosswalk(text: str, source: str, baseline: Questionnaire, current: Questionnaire) \
        -> list[tuple[str, str, dict[str, str]]]:
    """(baseline id, current id, code map) for each entry; CrosswalkError lists every problem."""
    try:
        data = read_yaml(text, source)
    except QuestionnaireError as error:
        raise CrosswalkError([str(p) for p in error.problems]) from None
    if not isinstance(data, dict):
        raise CrosswalkError([f"{source}: expected a mapping of baseline item id to current item id"])
    links, problems = [], []
    for old, target in data.items():
        where = f"{source}: {old}"
        codes: dict = {}
        if isinstance(target, dict):
            unknown = set(target) - {"item", "codes"}
            if unknown:
                problems.append(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} (use item, codes)")
            codes = target.get("codes") or {}
            target = target.get("item", old)
        if not baseline.has_item(str(old)):
            problems.append(f"{where}: the baseline edition {baseline.version} has no item {old!r}")
            continue
        if not isinstance(target, str) or not current.has_item(target):
            problems.append(f"{where}: the current edition {current.version} has no item {target!r}")
            continue
        if not isinstance(codes, dict):
            problems.append(f"{where}: codes must map baseline codes to current codes")
            continue
        codes = {str(k): str(v) for k, v in codes.items()}
        before, after = baseline.item(str(old)), current.item(target)
        problems += [f"{where}: {code!r} is not a code of {old!r} in {baseline.version}"
                     for code in codes if code not in before.codes]
        problems += [f"{where}: {code!r} is not a code of {target!r} in {current.version}"
                     for code in codes.values() if code not in after.codes]
        links.append((str(old), target, codes))
    targets = [t for _o, t, _c in links]
    problems += [f"{source}: {t!r} is the target of more than one baseline item" for t in set(targets)
                 if targets.count(t) > 1]
    if problems:
        raise CrosswalkError(problems)
    return links


def crosswalk(session: Session, wave: Wave, baseline: Wave | None = None) -> list[CrosswalkRow]:
    """How every item of the wave relates to its baseline wave (or to another wave, by id and fingerprint)."""
    baseline = baseline or wave.baseline
    if baseline is None:
        return []
    links = {}
    if baseline.id == wave.baseline_wave_id:  # the crosswalk file and confirmations are for the baseline wave
        links = {link.item_id: link for link in session.scalars(select(ItemLink).where(ItemLink.wave_id == wave.id))}
    now = json.loads(wave.edition.item_fingerprints)
    before = json.loads(baseline.edition.item_fingerprints)
    current_q = queries.questionnaire_of(wave.edition)
    rows, used = [], set()
    for item in current_q.answerable_items:
        link = links.get(item.id)
        old = link.baseline_item_id if link else item.id
        code_map = json.loads(link.code_map) if link else {}
        if old not in before:
            rows.append(CrosswalkRow(item.id, "", "new", {}))
            continue
        used.add(old)
        same = before[old] == now[item.id] and not code_map
        status = "comparable" if same else ("confirmed" if link and link.confirmed else "changed")
        rows.append(CrosswalkRow(item.id, old, status, code_map))
    baseline_q = queries.questionnaire_of(baseline.edition)
    rows += [CrosswalkRow("", i.id, "dropped", {}) for i in baseline_q.answerable_items if i.id not in used]
    return rows


def notes(rows: list[CrosswalkRow], baseline: Wave) -> list[str]:
    messages = []
    for row in rows:
        if row.status == "changed":
            messages.append(f"item {row.item!r} changed wording or codes since wave {baseline.slug}: not compared "
                            "(confirm it in the crosswalk if it is comparable)")
        elif row.status == "new":
            messages.append(f"item {row.item!r} is new since wave {baseline.slug}: not compared")
        elif row.status == "dropped":
            messages.append(f"item {row.baseline_item!r} of wave {baseline.slug} was dropped")
    return messages
