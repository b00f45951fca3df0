import copy

import pytest

import questionnaires as q
from questionnaires.library import BUNDLED_INSTRUMENT
from questionnaires.loader import read_yaml

from ..conftest import EXAMPLE


@pytest.fixture
def example() -> dict:
    return read_yaml(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def problems(definition: dict) -> list[str]:
    with pytest.raises(q.QuestionnaireError) as info:
        q.from_dict(definition, source="test.yaml")
    return [str(p) for p in info.value.problems if p.severity == "error"]


def item(definition: dict, item_id: str) -> dict:
    return next(i for s in definition["sections"] for i in s["items"] if i["id"] == item_id)


def test_example_loads_exactly_as_written():
    questionnaire = q.load(EXAMPLE)
    assert questionnaire.id == "example-awareness"
    assert questionnaire.version == "2024.1"
    assert [i.id for i in questionnaire.items] == [
        "heard_policy", "policy_period", "areas_known", "understand", "trainings", "comments"]
    heard = questionnaire.item("heard_policy")
    assert heard.codes == ("yes", "no", "dk")
    assert heard.label["en"] == "Have you heard of the national labour migration policy?"
    assert heard.success_codes == ("yes",) and heard.required and heard.analysis_kind == "proportion"
    assert questionnaire.item("policy_period").correct == "p2"
    assert questionnaire.item("understand").analysis_kind == "ordinal"
    assert questionnaire.item("trainings").analysis_kind == "score"
    assert questionnaire.item("trainings").integer and questionnaire.item("trainings").maximum == 100
    assert questionnaire.item("areas_known").analysis_kind == "descriptive"
    assert questionnaire.title["km"] == "ការស្ទង់មតិអំពីការយល់ដឹងពីគោលនយោបាយ"


def test_missing_translation_warns_and_falls_back(example):
    questionnaire = q.load(EXAMPLE)
    warnings = [str(w) for w in questionnaire.warnings]
    assert any("item 'heard_policy': no translation in km; the 'en' text will be shown" in w for w in warnings)
    assert questionnaire.text(questionnaire.item("heard_policy").label, "km") == \
        "Have you heard of the national labour migration policy?"
    assert questionnaire.text(questionnaire.choice_lists["yes_no_dk"][0].label, "km") == "បាទ/ចាស"


def test_bundled_instrument_validates():
    questionnaire = q.load(BUNDLED_INSTRUMENT)
    assert questionnaire.warnings == ()
    assert 25 <= len(questionnaire.items) <= 40
    assert set(questionnaire.languages) == {"en", "km"}
    assert [g.code for g in questionnaire.groups] == [
        "government", "employers", "workers", "civil_society", "development_partners"]
    types = {i.type for i in questionnaire.items}
    assert {"single_choice", "multiple_choice", "likert", "number", "text", "note"} <= types
    assert sum(1 for i in questionnaire.items if i.type == "likert") >= 3
    assert len(questionnaire.knowledge_items) >= 4
    assert all("dk" in i.codes for i in questionnaire.knowledge_items)
    assert any(i.relevant for i in questionnaire.items)
    for entry in questionnaire.items:  # every text in both languages, Khmer in Khmer script
        assert set(entry.label) == {"en", "km"}
        assert any("\u1780" <= ch <= "\u17ff" for ch in entry.label["km"]), entry.id


def test_codes_stay_text_as_written():
    text = EXAMPLE.read_text(encoding="utf-8").replace('{code: "yes"', "{code: yes").replace(
        '{code: "no"', "{code: no").replace('code: "1"', "code: 01")
    questionnaire = q.loads(text)
    assert questionnaire.item("heard_policy").codes == ("yes", "no", "dk")
    assert questionnaire.item("understand").codes[0] == "01"
    assert all(isinstance(c, str) for i in questionnaire.items for c in i.codes)


def test_boolean_code_is_refused_with_advice(example):
    example["groups"][0]["code"] = True  # what YAML 1.1 would have made of a bare yes
    assert any("code True was read as a boolean: quote it" in m for m in problems(example))


def test_unknown_keys(example):
    example["colour"] = "blue"
    item(example, "heard_policy")["lable"] = "typo"
    messages = problems(example)
    assert any("top level: unknown key 'colour'" in m for m in messages)
    assert any("item 'heard_policy': key 'lable' is not allowed on a single_choice item" in m for m in messages)


def test_all_problems_reported_at_once_with_file_and_item(example):
    item(example, "policy_period")["correct"] = "p9"
    item(example, "trainings")["type"] = "slider"
    messages = problems(example)
    assert len(messages) == 2
    assert messages[0].startswith("test.yaml: item 'policy_period': correct code 'p9' is not among")
    assert messages[1].startswith("test.yaml: item 'trainings': type 'slider' is not one of")


# One key of one item set to a wrong value: the problem that names it (item, key, value, message).
ONE_WRONG_KEY = [
    pytest.param("comments", "id", "heard_policy",
                 "item 'heard_policy': this item id is used twice",
                 id="duplicate_item_ids"),
    pytest.param("policy_period", "correct", "p9",
                 "correct code 'p9' is not among the item's choices (p1, p2, p3, dk)",
                 id="correct_not_among_choices"),
    pytest.param("trainings", "success", ['1'],
                 "item 'trainings': key 'success' is not allowed on a number item",
                 id="success_on_non_choice_item"),
    pytest.param("heard_policy", "success", ['yep'],
                 "success code 'yep' is not among the item's choices",
                 id="success_code_not_among_choices"),
    pytest.param("policy_period", "relevant", "heard_it == 'yes'",
                 "item 'policy_period': relevant refers to 'heard_it', which is not an item",
                 id="relevant_refers_to_unknown_item"),
    pytest.param("policy_period", "relevant", "understand >= 4",
                 "relevant refers to 'understand', which is asked later",
                 id="relevant_refers_to_later_item"),
    pytest.param("policy_period", "relevant", "heard_policy == ",
                 "item 'policy_period': relevant: syntax error:",
                 id="unparseable_expression"),
    pytest.param("policy_period", "relevant", "__import__('os').system('x')",
                 "item 'policy_period': relevant: syntax error",
                 id="python_injection_is_a_syntax_error"),
]


@pytest.mark.parametrize(("item_id", "key", "value", "message"), ONE_WRONG_KEY)
def test_one_wrong_key_is_named(example, item_id, key, value, message):
    item(example, item_id)[key] = value
    assert any(message in m for m in problems(example))


def test_duplicate_codes(example):
    item(example, "areas_known")["choices"].append({"code": "governance", "label": {"en": "Again"}})
    assert any("item 'areas_known', choices: code 'governance' appears twice" in m for m in problems(example))


def test_constraint_uses_the_same_language(example):
    item(example, "trainings")["constraint"] = ". != 13"
    questionnaire = q.from_dict(example)
    assert questionnaire.item("trainings").constraint_expression is not None
    item(example, "trainings")["constraint"] = ". ==="
    assert any("item 'trainings': constraint: syntax error" in m for m in problems(example))


def test_selected_needs_choices_and_known_code(example):
    item(example, "understand")["relevant"] = "selected(areas_known, 'nothing')"
    item(example, "trainings")["relevant"] = "selected(heard_policy, 'yes')"  # a single choice: as in ODK
    item(example, "comments")["relevant"] = "selected(trainings, '1')"
    messages = problems(example)
    assert any("'nothing' is not a code of 'areas_known'" in m for m in messages)
    assert not any("'heard_policy'" in m for m in messages)
    assert any("selected() is for items with choices; 'trainings' is number" in m for m in messages)


def test_missing_choice_list(example):
    item(example, "understand")["choices"] = "agree7"
    assert any("item 'understand': choice list 'agree7' does not exist (choice lists: yes_no_dk, agree5)" in m
               for m in problems(example))


def test_undeclared_language(example):
    item(example, "comments")["label"]["fr"] = "Autres commentaires ?"
    assert any("item 'comments': language 'fr' is used but not declared in languages (en, km)" in m
               for m in problems(example))


def test_measure_rules(example):
    item(example, "understand")["measure"] = "knowledge"
    item(example, "comments")["measure"] = "awareness"
    del item(example, "policy_period")["correct"]
    messages = problems(example)
    assert any("item 'understand': measure 'knowledge' is for single_choice items, not likert" in m for m in messages)
    assert any("item 'comments': key 'measure' is not allowed on a text item" in m for m in messages)
    assert any("item 'policy_period': a knowledge item needs correct" in m for m in messages)


def test_required_must_be_boolean(example):
    item(example, "heard_policy")["required"] = "yes"
    assert any("required must be true or false, found 'yes'" in m for m in problems(example))


def test_reserved_item_id(example):
    item(example, "comments")["id"] = "group"
    assert any("'group' is a reserved name" in m for m in problems(example))


def test_yaml_syntax_error_has_line():
    with pytest.raises(q.QuestionnaireError) as info:
        q.loads("id: x\nsections: [\n", source="broken.yaml")
    assert str(info.value.problems[0]).startswith("broken.yaml: line 3")


def test_fingerprint_tracks_wording_and_codes(example):
    base = q.load(EXAMPLE)
    changed = copy.deepcopy(example)
    item(changed, "heard_policy")["label"]["en"] = "Do you know the policy?"
    item(changed, "understand")["choices"] = [{"code": "1", "label": "Low"}, {"code": "2", "label": "High"}]
    item(changed, "trainings")["max"] = 50  # not what the respondent reads: same fingerprint
    later = q.from_dict(changed)
    same = {i.id for i in base.items if i.fingerprint == later.item(i.id).fingerprint}
    assert same == {"policy_period", "areas_known", "trainings", "comments"}
    assert base.fingerprint != later.fingerprint


def test_yaml_round_trip():
    for path in (EXAMPLE, BUNDLED_INSTRUMENT):
        questionnaire = q.load(path)
        again = q.loads(q.to_yaml(questionnaire))
        assert q.to_dict(again) == q.to_dict(questionnaire)
        assert [i.fingerprint for i in again.items] == [i.fingerprint for i in questionnaire.items]
