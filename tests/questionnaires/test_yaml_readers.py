"""docs/questionnaires.md tells script writers which YAML readers read the bundled instrument: keep it true."""

import re
from importlib import resources
from pathlib import Path

import pytest
from ruamel.yaml import YAML

import questionnaires

BUNDLED = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"
DOCS = Path(__file__).parents[2] / "docs" / "questionnaires.md"


def test_the_docs_snippet_reads_the_bundled_instrument_with_ruamel():
    data = YAML(typ="safe", pure=True).load(Path(str(BUNDLED)))
    assert data["id"] == "lmp-stakeholder-review"
    assert len(questionnaires.load(BUNDLED).items) == sum(len(s["items"]) for s in data["sections"])


def test_pyyaml_refuses_it_where_and_as_the_docs_say():
    yaml = pytest.importorskip("yaml")
    with pytest.raises(yaml.YAMLError) as refused:
        yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    line = refused.value.problem_mark.line + 1
    assert "expected ',' or '}', but got '?'" in str(refused.value)
    said = re.search(r"`yaml.safe_load` stops at line (\d+) with `expected ',' or '}', but got '\?'`",
                     DOCS.read_text(encoding="utf-8").replace("\n", " "))
    assert said and int(said.group(1)) == line


def test_the_readme_counts_the_bundled_instruments_items_and_questions_exactly():
    lmp = questionnaires.load(BUNDLED)
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").replace("\n", " ")
    notes = len(lmp.items) - len(lmp.answerable_items)
    assert notes == 1
    assert (f"a questionnaire of {len(lmp.items)} items in {len(lmp.sections)} sections (an introductory note "
            f"and {len(lmp.answerable_items)} questions") in readme
