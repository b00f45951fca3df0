"""`awareness export WAVE --format ddi`: a DDI Codebook 2.5 file, valid against the DDI Alliance's own schema
(tests/data/ddi-codebook-2.5, LGPL, from github.com/ncrncornell/ddi-schemas), with the study and each
variable's label, categories and frequencies."""

from pathlib import Path

import pytest
from lxml import etree

import questionnaires
from survey import db
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES

SCHEMA = Path(__file__).parents[1] / "data" / "ddi-codebook-2.5" / "schemas" / "codebook.xsd"
NS = {"d": "ddi:codebook:2_5"}
ROWS = [
    {"group": "government", "language": "en", "heard": "yes", "areas": "gov dev", "trainings": "3",
     "period": "p2", "understand": "2"},
    {"group": "workers", "language": "km", "heard": "no", "trainings": "0"},
    {"group": "workers", "language": "en", "heard": "yes", "areas": "dev", "trainings": "5"},
]


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture
def exported(app, runner, database_url, tmp_path):
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        wave = create_wave(session, "2018", edition, status="closed")
        operations.store_responses(session, wave, ROWS)
    path = tmp_path / "2018.xml"
    result = runner.invoke(args=["export", "2018", "--format", "ddi", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return etree.parse(str(path))


def test_the_codebook_is_valid_ddi_codebook_2_5(exported, schema):
    assert schema.validate(exported), schema.error_log


def test_the_study_is_described(exported):
    study = exported.find("d:stdyDscr", NS)
    titles = [t.text for t in study.findall("d:citation/d:titlStmt/d:titl", NS)]
    assert titles and all(titles)
    dates = {d.get("event"): d.get("date") for d in study.findall("d:stdyInfo/d:sumDscr/d:collDate", NS)}
    assert set(dates) == {"start", "end"} and dates["start"] <= dates["end"]
    assert "Government" in study.find("d:stdyInfo/d:sumDscr/d:universe", NS).text
    assert "anonymous" in study.find("d:method/d:dataColl/d:collMode", NS).text
    assert exported.find("d:fileDscr/d:fileTxt/d:dimensns/d:caseQnty", NS).text == "3"


def test_each_variable_has_label_categories_and_frequencies(exported):
    variables = {v.get("name"): v for v in exported.findall("d:dataDscr/d:var", NS)}
    heard = variables["heard"]
    assert heard.find("d:labl", NS).text == "Heard of the policy?"
    frequencies = {c.find("d:catValu", NS).text: int(c.find("d:catStat", NS).text)
                   for c in heard.findall("d:catgry", NS)}
    assert frequencies == {"yes": 2, "no": 1, "dk": 0}
    groups = {c.find("d:catValu", NS).text: int(c.find("d:catStat", NS).text)
              for c in variables["group"].findall("d:catgry", NS)}
    assert groups == {"government": 1, "workers": 2}
    areas_dev = {c.find("d:catValu", NS).text: int(c.find("d:catStat", NS).text)
                 for c in variables["areas_dev"].findall("d:catgry", NS)}
    assert areas_dev == {"1": 2, "0": 0}
    statistics = {s.get("type"): s.text for s in variables["trainings"].findall("d:sumStat", NS)}
    assert statistics["vald"] == "3" and float(statistics["mean"]) == pytest.approx(8 / 3)
    assert variables["trainings"].get("intrvl") == "contin"
