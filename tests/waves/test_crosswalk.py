"""Item crosswalk: renamed and recoded items, changed items left out until confirmed."""

import json
import re

import pytest

import questionnaires
from survey import db
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

from ..conftest import EXAMPLE


@pytest.fixture
def editions(app, database_url, tmp_path):
    """2024.1 (the example) as baseline; 2025.1 renames heard_policy, rewords trainings, drops comments,
    adds a new item, and shortens the agree scale to three levels."""
    text = EXAMPLE.read_text(encoding="utf-8")
    later = (text.replace('version: "2024.1"', 'version: "2025.1"')
             .replace("id: heard_policy", "id: heard")
             .replace("heard_policy == 'yes'", "heard == 'yes'")
             .replace("How many trainings on labour migration did you attend last year?",
                      "How many trainings did you attend in the past 12 months?")
             .replace("      - id: comments\n        type: text\n        label: {en: Any other comments?}\n",
                      "      - id: suggestions\n        type: text\n        label: {en: Suggestions?}\n")
             .replace('''    - {code: "1", label: {en: Strongly disagree}}
    - {code: "2", label: {en: Disagree}}
    - {code: "3", label: {en: Neither agree nor disagree}}
    - {code: "4", label: {en: Agree}}
    - {code: "5", label: {en: Strongly agree}}''', '''    - {code: "1", label: {en: Disagree}}
    - {code: "2", label: {en: Neutral}}
    - {code: "3", label: {en: Agree}}'''))
    path = tmp_path / "2025.yaml"
    path.write_text(later, encoding="utf-8")
    with app.app_context():
        session = db.session()
        base = create_wave(session, "2024", store_edition(session, questionnaires.load(EXAMPLE)),
                                      status="closed")
        cur = create_wave(session, "2025", store_edition(session, questionnaires.load(path)),
                                     status="closed", baseline=base)
        operations.store_responses(session, base, [
            {"group": "workers", "heard_policy": "no", "understand": "1", "trainings": "1"},
            {"group": "workers", "heard_policy": "no", "understand": "2", "trainings": "2"}])
        operations.store_responses(session, cur, [
            {"group": "workers", "heard": "yes", "understand": "3", "trainings": "4"},
            {"group": "workers", "heard": "yes", "understand": "3", "trainings": "5"}])
    return tmp_path


def status(output: str) -> dict[str, str]:
    rows = {}
    for line in output.splitlines()[1:]:
        state, old, _arrow, new, *_ = line.split()
        rows[new if new != "-" else old] = state
    return rows


def compared(runner) -> dict:
    data = json.loads(runner.invoke(args=["compare", "--baseline-wave", "2024", "--current-wave", "2025",
                                          "--format", "json"]).output)
    return {r["item"]: r for r in data["results"] if r["group"] == "all"}, data["notes"], data["wording_changed"]


def test_without_crosswalk_matches_by_id_and_fingerprint(runner, editions):
    result = runner.invoke(args=["crosswalk", "2025"])
    assert result.exit_code == 0, result.output
    assert status(result.output) == {
        "heard": "new", "policy_period": "comparable", "areas_known": "comparable", "understand": "changed",
        "trainings": "changed", "suggestions": "new", "heard_policy": "dropped", "comments": "dropped"}
    rows, notes, changed = compared(runner)
    assert rows["trainings"]["baseline"]["n"] == 0  # changed: not compared
    assert any("item 'trainings' changed wording" in n for n in notes)
    assert changed == ["understand", "trainings"]  # the same fact, for the report to read
    output = editions / "report.md"
    made = runner.invoke(args=["report", "--baseline-wave", "2024", "--current-wave", "2025", "-o", str(output)])
    assert made.exit_code == 0, made.output
    lines = re.sub(r"\\(.)", r"\1", output.read_text(encoding="utf-8")).splitlines()  # Markdown escapes undone
    # Notes stand once under their table, each with a letter that the rows it concerns carry.
    notes = [line for line in lines if line.rstrip().endswith("wording changed between editions: not compared")]
    assert len(notes) == 1
    mark = notes[0].split()[0]  # "(b)"
    marked = [line for line in lines if line.startswith("| ") and f" {mark} |" in line]
    assert len(marked) == 2  # understand and trainings
    assert any("I understand what the policy asks" in line for line in marked)
    assert any("How many trainings" in line for line in marked)
    verified = runner.invoke(args=["verify", str(output.with_suffix(".json"))])
    assert verified.exit_code == 0, verified.output


def test_crosswalk_file_renames_and_recodes_then_confirmation(runner, editions):
    crosswalk = editions / "crosswalk.yaml"
    crosswalk.write_text('heard_policy: heard\nunderstand:\n  item: understand\n'
                         '  codes: {"1": "1", "2": "1", "3": "2", "4": "3", "5": "3"}\n', encoding="utf-8")
    result = runner.invoke(args=["crosswalk", "2025", "--file", str(crosswalk)])
    assert result.exit_code == 0, result.output
    states = status(result.output)
    assert states["heard"] == "comparable" and states["understand"] == "changed"  # recoded: needs a confirmation
    rows, _notes, changed = compared(runner)
    assert changed == ["understand", "trainings"]
    assert rows["heard"]["baseline"]["n"] == 2  # renamed: the baseline answers to heard_policy
    confirmed = runner.invoke(args=["crosswalk", "2025", "--confirm", "understand", "--confirm", "trainings"])
    assert status(confirmed.output)["understand"] == "confirmed"
    rows, _notes, changed = compared(runner)
    assert changed == []
    assert rows["understand"]["baseline"]["n"] == 2
    assert rows["understand"]["baseline"]["estimate"] == 1.0  # codes 1 and 2 both map to level 1
    assert rows["trainings"]["baseline"]["estimate"] == 1.5
    undone = runner.invoke(args=["crosswalk", "2025", "--unconfirm", "trainings"])
    assert status(undone.output)["trainings"] == "changed"


@pytest.mark.parametrize("content, message", [
    ("nonexistent: heard\n", "nonexistent: the baseline edition 2024.1 has no item 'nonexistent'"),
    ("heard_policy: nothing\n", "heard_policy: the current edition 2025.1 has no item 'nothing'"),
    ('understand: {item: understand, codes: {"9": "1"}}\n', "'9' is not a code of 'understand' in 2024.1"),
    ('understand: {item: understand, codes: {"1": "7"}}\n', "'7' is not a code of 'understand' in 2025.1"),
    ("heard_policy: heard\ncomments: heard\n", "'heard' is the target of more than one baseline item"),
])
def test_bad_crosswalk_is_refused_and_nothing_saved(runner, editions, content, message):
    crosswalk = editions / "crosswalk.yaml"
    crosswalk.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["crosswalk", "2025", "--file", str(crosswalk)])
    assert result.exit_code == 1 and message in result.output and "nothing saved" in result.output
    assert status(runner.invoke(args=["crosswalk", "2025"]).output)["heard"] == "new"
