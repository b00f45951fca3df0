"""The report's words (analysis/report/words.toml): one shape for every table, every key in English and Khmer
with the same placeholders, and the file shipped with the package."""

import re
import tomllib
from pathlib import Path

from analysis.report import i18n

WORDS_FILE = Path(i18n.__file__).with_name("words.toml")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def test_every_table_has_one_shape_a_key_with_its_text_by_language():
    tables = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    assert set(tables) == {"words", "tests", "effects", "adjustments", "disclosure"}
    for name, table in tables.items():
        for key, entry in table.items():
            assert set(entry) <= set(i18n.LANGUAGES) and isinstance(entry.get("en"), str), (name, key)
    assert (tables["words"], tables["tests"]) == (i18n.WORDS, i18n.TESTS)


def test_the_khmer_of_a_key_fills_the_same_placeholders_as_its_english():
    for table in (i18n.WORDS, i18n.TESTS, i18n.EFFECTS, i18n.ADJUSTMENTS, i18n.DISCLOSURE):
        for key, entry in table.items():
            if "km" in entry:
                assert set(PLACEHOLDER.findall(entry["km"])) == set(PLACEHOLDER.findall(entry["en"])), key
    # A Khmer report has no English sentence (the AAPOR disclosure included).
    assert all("km" in entry for entry in [*i18n.WORDS.values(), *i18n.DISCLOSURE.values()])


def test_the_words_of_the_report_over_the_period_are_with_the_others():
    assert i18n.word("trend_title", "km", first="2015", last="2018").endswith("2015–2018")
    methods = i18n.word("trend_methods", "km", level="95%", positions="", adjust="holm")
    assert "(holm)" in methods  # the Khmer says how p-values were adjusted, as the English does


def test_the_words_file_is_package_data():
    pyproject = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "report/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["analysis"]
