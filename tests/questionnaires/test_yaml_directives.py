"""YAML directives (%TAG, %YAML) at the head of a questionnaire file are read as YAML allows, never a traceback."""

import pytest

from questionnaires.problems import QuestionnaireError
from questionnaires.reading import read_yaml


def test_a_tag_directive_is_read():
    assert read_yaml("%TAG !e! tag:example.com,2000:\n---\ntitle: x\n", "q.yaml") == {"title": "x"}


def test_a_tag_the_file_declares_but_no_constructor_knows_is_a_problem_with_its_line():
    with pytest.raises(QuestionnaireError) as refused:
        read_yaml("%TAG !e! tag:example.com,2000:\n---\ntitle: !e!foo bar\n", "q.yaml")
    assert "line 3" in str(refused.value) and "tag:example.com,2000:foo" in str(refused.value)


def test_a_yaml_version_directive_is_read():
    assert read_yaml("%YAML 1.2\n---\ntitle: x\n", "q.yaml") == {"title": "x"}
