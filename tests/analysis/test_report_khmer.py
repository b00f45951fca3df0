"""The Khmer report: the AAPOR disclosure in Khmer with Khmer digits; lines broken at words, never inside the
report's own words that ICU's dictionary splits; and no zero-width space in the text of the Word file."""

import io
import re

import pytest

from analysis import compare, read_frame, to_dict
from analysis.report import build
from analysis.report.disclosure import disclosure
from analysis.report.docx import document_bytes
from analysis.report.html import render
from analysis.report.script import KEEP_WHOLE, ZERO_WIDTH_SPACE, digits, line_breaks
from analysis.synthetic import synthetic_wave

COVER = {"sponsor": "Ministry of Labour", "organisation": "Research Unit", "date": "2018-07-01",
         "fieldwork": {"baseline": {"first": "2017-03-01", "last": "2017-04-10", "open": False},
                       "current": {"first": "2018-03-02", "last": "2018-04-12", "open": True}}}
LATIN_WORD = re.compile(r"\b(?!AAPOR\b|RR[12]\b|hash\b)[A-Za-z]{4,}\b")


@pytest.fixture(scope="module")
def data(lmp):
    waves = [read_frame(synthetic_wave(lmp, n, awareness=a, seed=seed), lmp, source=f"{name}.csv")
             for name, n, a, seed in (("2017", 120, 0.5, 1), ("2018", 140, 0.7, 2))]
    return to_dict(compare(lmp, *waves, by_group=True))


def test_the_disclosure_is_in_khmer_with_khmer_digits(lmp):
    data = {"settings": {"confidence": 0.95, "population": {"government": 59}}, "results": [],
            "lead": {"design": "weighted"}, "baseline": {"n": 150}, "current": {"n": 170}}
    response = {"current": {"all": {"invited": 266, "rr1": 0.639, "rr2": 0.692}}}
    lines = [digits(line, "km") for line in disclosure(data, lmp, ("2017", "2018"), "km", 5, COVER, response)]
    assert lines[0] == "ការបង្ហាញព័ត៌មាន (គំនិតផ្តួចផ្តើមតម្លាភាព AAPOR)" and len(lines) == 12
    for line in lines[1:]:
        label, text = line.split("៖ ", 1)
        # No English sentence is left: the only Latin words are the sponsor's and conductor's names (configuration),
        # the questionnaire's id and its fingerprint (codes), and AAPOR's names of the rates.
        if label not in ("អ្នកឧបត្ថម្ភ", "អនុវត្តដោយ", "កម្រងសំណួរ"):
            assert not LATIN_WORD.search(text), line
        assert not re.search("[0-9]", re.sub(r"RR[12]|[0-9a-f]{12}", "", text)), line  # numbers in Khmer digits
    found = dict(line.split("៖ ", 1) for line in lines[1:])
    assert "បានអញ្ជើញ ២៦៦ នាក់, AAPOR RR1 ៦៣.៩%, RR2 ៦៩.២%" in found["គំរូ"]
    assert "ការប្រមូលទិន្នន័យ ២០១៨ ពី ២ មីនា ២០១៨ ដល់ ១២ មេសា ២០១៨ (នៅបើកនៅឡើយ)" in found["កាលបរិច្ឆេទ"]
    assert "អ្នកឆ្លើយ ១៥០ នាក់" in found["ទំហំគំរូ និងភាពជាក់លាក់"]
    assert found["ការថ្លឹងទម្ងន់"].startswith("បានថ្លឹងទម្ងន់")
    assert "ជាភាសាអង់គ្លេស និងខ្មែរ" in found["កម្រងសំណួរ"]
    # Without the configuration and for files: said to be unknown, in Khmer.
    bare = dict(line.split("៖ ", 1) for line in disclosure(data, lmp, ("a", "b"), "km", 5)[1:])
    assert bare["អ្នកឧបត្ថម្ភ"] == "មិនបានបញ្ជាក់" and not LATIN_WORD.search(bare["គំរូ"] + bare["វិធីប្រមូលទិន្នន័យ"])


def test_the_khmer_report_has_no_english_disclosure_line(data, lmp):
    report = build(data, lmp, language="km", labels=("2017", "2018"), cover=COVER)
    html = render(report)
    for english in ("Stakeholders of the policy", "respondents", "Self-administered", "As collected", "Not weighted",
                    "Answers were checked", "Participation was voluntary", "fieldwork"):
        assert english not in html.split('id="methods"')[1].split('class="references"')[0], english


def test_icu_splits_of_the_reports_words_are_undone():
    """ICU's dictionary splits these (checked: without KEEP_WHOLE each gets a break inside); the report keeps
    them whole and still breaks between the words around them."""
    for phrase, words in (("លទ្ធផលសំខាន់ៗ", ["លទ្ធផល", "សំខាន់ៗ"]), ("ក្រុមនីមួយៗ", ["ក្រុម", "នីមួយៗ"]),
                          ("ជាតំរែតំរង់លីនេអ៊ែរ", ["ជា", "តំរែតំរង់", "លីនេអ៊ែរ"]),
                          ("តេស្តឃី", ["តេស្ត", "ឃី"]), ("បាទ/ចាស", ["បាទ/ចាស"])):
        assert line_breaks(phrase, "km").split(ZERO_WIDTH_SPACE) == words, phrase
    assert line_breaks("ភាគីពាក់ព័ន្ធទាំងអស់បានឆ្លើយ", "km").split(ZERO_WIDTH_SPACE) == \
        ["ភាគី", "ពាក់ព័ន្ធ", "ទាំងអស់", "បាន", "ឆ្លើយ"]


def test_icu_alone_splits_every_word_kept_whole():
    """The dictionary is not dead weight: ICU on its own puts a break inside each entry, in some report text."""
    from icu4py.breakers import LineBreaker

    contexts = {"សំខាន់": "លទ្ធផលសំខាន់ៗ", "នីមួយៗ": "ក្រុមនីមួយៗ", "ម្នាក់ៗ": "អ្នកឆ្លើយម្នាក់ៗរាប់",
                "តេស្ត": "ដោយតេស្តឃី", "ឡូជីស្ទិក": "និន្នាការឡូជីស្ទិក", "តំរែតំរង់": "ជាតំរែតំរង់",
                "បន្ទាត់": "បន្ទាត់ដាច់ៗ", "ចម្លើយ": "រាប់ជាចម្លើយ", "នរណា": "តើនរណាជា",
                "សមាហរណកម្ម": "ធ្វើសមាហរណកម្ម", "សមាសភាព": "លើសមាសភាព", "អនឡាញ": "តាមអនឡាញ",
                "ប្រៀបធៀប": "បានប្រៀបធៀប", "ដោះស្រាយ": "ការដោះស្រាយបណ្តឹង", "បាទ/ចាស": "បាទ/ចាស"}
    assert set(contexts) == set(KEEP_WHOLE["km"])
    for word, text in contexts.items():
        start, cuts, at = text.index(word), [], 0
        for piece in list(LineBreaker(text, "km"))[:-1]:
            at += len(piece)
            cuts.append(at)
        assert any(start < cut < start + len(word) for cut in cuts), word  # ICU cuts inside it
        assert word in line_breaks(text, "km"), word  # the report does not: no break inside it


def test_html_and_pdf_text_breaks_between_words_word_text_has_no_zero_width_space(data, lmp):
    from docx import Document

    report = build(data, lmp, language="km", labels=("2017", "2018"), cover=COVER, with_png=True)
    html = render(report)
    assert "លទ្ធផល\u200bសំខាន់ៗ" in html and "សំ\u200bខាន់" not in html and "នី\u200bមួយៗ" not in html
    document = Document(io.BytesIO(document_bytes(report)))
    texts = [p.text for p in document.paragraphs] + [cell.text for table in document.tables
                                                     for row in table.rows for cell in row.cells]
    assert texts and not any(ZERO_WIDTH_SPACE in text for text in texts)
    assert any("លទ្ធផលសំខាន់ៗ" in text for text in texts)
