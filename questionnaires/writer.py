"""Write the model back as a definition (a dict, or YAML text) that loads to the same model."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

from .model import Choice, Item, Questionnaire, Text


def to_dict(questionnaire: Questionnaire) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": _text(questionnaire.title),
    }
    if questionnaire.description is not None:
        data["description"] = _text(questionnaire.description)
    data["languages"] = list(questionnaire.languages)
    data["groups"] = _choices(questionnaire.groups)
    if questionnaire.group_question is not None:
        data["group_question"] = _text(questionnaire.group_question)
    if questionnaire.choice_lists:
        data["choice_lists"] = {name: _choices(choices) for name, choices in questionnaire.choice_lists.items()}
    data["sections"] = [
        {"id": section.id, "title": _text(section.title)}
        | ({"hint": _text(section.hint)} if section.hint else {})
        | {"items": [_item(item) for item in section.items]}
        for section in questionnaire.sections
    ]
    return data


def to_yaml(questionnaire: Questionnaire) -> str:
    """YAML 1.2, as the loader reads it: text that 1.2 would read as a number ("1e3") is quoted."""
    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = False
    writer.allow_unicode = True
    writer.width = 100
    writer.representer.sort_base_mapping_type_on_output = False  # keep the order of the definition
    writer.representer.ignore_aliases = lambda _data: True  # the loader refuses anchors and aliases
    buffer = io.StringIO()
    writer.dump(to_dict(questionnaire), buffer)
    return buffer.getvalue()


def _text(text: Text) -> dict[str, str]:
    return dict(text.items())


def _choices(choices: tuple[Choice, ...]) -> list[dict[str, Any]]:
    return [{"code": choice.code, "label": _text(choice.label)} for choice in choices]


def _item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "type": item.type, "label": _text(item.label)}
    if item.hint is not None:
        data["hint"] = _text(item.hint)
    if item.kind.has_choices:
        data["choices"] = item.choice_list or _choices(item.choices)
    optional = {
        "required": item.required or None,
        "relevant": item.relevant,
        "measure": item.measure,
        "success": list(item.success) or None,
        "correct": item.correct,
        "headline": item.headline or None,
        "integer": item.integer or None,
        "min": item.minimum,
        "max": item.maximum,
        "constraint": item.constraint,
        "constraint_message": _text(item.constraint_message) if item.constraint_message else None,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    return data
