"""A document one can cite: title block, provisional mark on every page, page numbers, portrait Word,
Khmer broken at word boundaries and written with Khmer digits; notes once per table."""

import io
import re

import pytest

from analysis import compare, read_frame, to_dict
from analysis.report import build
from analysis.report.docx import document_bytes
from analysis.report.html import render
from analysis.report.script import ZERO_WIDTH_SPACE, digits, line_breaks
from analysis.synthetic import synthetic_wave

COVER = {"organisation": "Ministry of Labour and Vocational Training", "author": "Department of Employment",
         "date": "2018-03-20",
         "fieldwork": {"baseline": {"first": "2017-02-06", "last": "2017-03-19", "open": False},
                       "current": {"first": "2018-02-05", "last": "2018-03-18", "open": True}}}


@pytest.fixture(scope="module")
def data(lmp):
    waves = [read_frame(synthetic_wave(lmp, n, awareness=a, seed=seed), lmp, source=f"{name}.csv")
             for name, n, a, seed in (("2017", 120, 0.5, 1), ("2018", 140, 0.7, 2))]
    return to_dict(compare(lmp, *waves, by_group=True))


def test_khmer_breaks_only_between_words():
    """ICU's dictionary: a zero-width space between the words, never inside one (the issue's "ទាំងអ|ស់")."""
    text = "ភាគីពាក់ព័ន្ធទាំងអស់បានឆ្លើយ"
    broken = line_breaks(text, "km")
    assert broken.replace(ZERO_WIDTH_SPACE, "") == text
    assert broken.split(ZERO_WIDTH_SPACE) == ["ភាគី", "ពាក់ព័ន្ធ", "ទាំងអស់", "បាន", "ឆ្លើយ"]
    # The same breaker knows the scripts the platform needs next.
    assert line_breaks("สวัสดีครับทุกคน", "th").split(ZERO_WIDTH_SPACE) == ["สวัสดี", "ครับ", "ทุก", "คน"]
    assert ZERO_WIDTH_SPACE in line_breaks("ສະບາຍດີທຸກຄົນ", "lo")
    assert "\u200bៗ" not in line_breaks("លទ្ធផលសំខាន់ៗ។", "km")
    assert line_breaks("Plain English text, 2018.", "en") == "Plain English text, 2018."


def test_khmer_digits_for_numbers_not_for_names():
    assert digits("57.3% (n = 150) in 2017, p < .001", "km") == "៥៧.៣% (n = ១៥០) in ២០១៧, p < .០០១"
    assert digits("AAPOR RR1, report-2017.json", "km") == "AAPOR RR1, report-2017.json"
    assert digits("57.3%", "en") == "57.3%"


def test_title_block_and_provisional_mark_in_html(data, lmp):
    report = build(data, lmp, labels=("2017", "2018"), cover=COVER)
    html = render(report)
    assert "Provisional: fieldwork still open (2018)" in html
    for text in ("Ministry of Labour and Vocational Training", "Department of Employment",
                 "6 February 2017 to 19 March 2017", "from 5 February 2018, still open", "20 March 2018"):
        assert text in html, text
    # On every printed page: the banner's text goes into the page's head (string-set), pages are numbered.
    assert "string-set: provisional content()" in html and "content: string(provisional)" in html
    assert 'counter(page, decimal)' in html and 'counter(pages, decimal)' in html
    closed = build(data, lmp, labels=("2017", "2018"), cover=COVER | {"fieldwork": {
        wave: value | {"open": False} for wave, value in COVER["fieldwork"].items()}})
    assert not closed.provisional and "Provisional" not in render(closed)


def test_khmer_html_has_khmer_digits_page_numbers_and_word_breaks(data, lmp):
    stamped = data | {"stamp": {"software": {"scipy": "1.14.1"}, "data": {"current": {"sha256": "ab12"}}}}
    report = build(stamped, lmp, language="km", labels=("2017", "2018"), cover=COVER)
    html = render(report)
    findings = html[html.index('id="findings"'):html.index('id="results"')]
    text = re.sub(r"<[^>]+>|&#\d+;", "", re.sub(r"<svg.*?</svg>", "", findings, flags=re.S))
    assert not re.search("[0-9]", text)  # Khmer digits only
    assert "៥" in findings or "៧" in findings
    assert ZERO_WIDTH_SPACE in findings
    assert "counter(page, khmer)" in html
    stamp = html[html.index('<dl class="stamp">'):html.index("</dl>", html.index('<dl class="stamp">'))]
    assert "1.14.1" in stamp and "ab12" in stamp  # versions and hashes as they are


def test_word_is_portrait_with_page_numbers_and_the_provisional_mark(data, lmp):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    report = build(data, lmp, labels=("2017", "2018"), cover=COVER, with_png=True)
    document = Document(io.BytesIO(document_bytes(report)))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT and section.page_width < section.page_height
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and 'w:fldCharType="begin"' in footer
    assert "Provisional: fieldwork still open (2018)" in section.header.paragraphs[0].text
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Organisation: Ministry of Labour and Vocational Training" in body
    assert "Fieldwork 2017: 6 February 2017 to 19 March 2017" in body


def test_khmer_word_text_is_marked_khmer_with_khmer_digits_and_no_zero_width_spaces(data, lmp):
    """Word breaks text marked Khmer at words itself: the text copied from the .docx has no U+200B in it."""
    from docx import Document

    report = build(data, lmp, language="km", labels=("2017", "2018"), cover=COVER, with_png=True)
    document = Document(io.BytesIO(document_bytes(report)))
    findings = [p.text for p in document.paragraphs if p.text.startswith(digits(report.findings[0], "km")[:20])]
    assert findings and not re.search("[0-9]", findings[0])
    assert not any(ZERO_WIDTH_SPACE in p.text for p in document.paragraphs)
    assert 'w:bidi="km-KH"' in document.styles.element.xml


def test_notes_once_per_table_by_a_mark_never_in_the_question(lmp, data):
    mixed = "the group mix differs between the waves (Pearson chi-square(4) = 30.1, p = 3.3e-11): see rows"
    rows = [row | {"note": mixed} if row["group"] == "all" else row for row in data["results"]]
    report = build(data | {"results": rows}, lmp, labels=("2017", "2018"))
    for section in report.sections:
        notes = [note for _letter, note in section.notes]
        assert len(notes) == len(set(notes))
        assert all(row.mark for row in section.rows if row.group == "All stakeholders")
        assert not any("group mix" in row.question for row in section.rows)
    text = report.sections[0].notes[0][1]
    assert "p\u00a0<\u00a0.001" in text and "e-11" not in text


def test_items_without_answers_are_listed_once_at_the_end(lmp, data):
    def empty(row):
        return row | {wave: {"n": 0, "estimate": None, "ci": None} for wave in ("baseline", "current")} | {
            "difference": None, "p_value": None, "note": "no answers in either wave"}

    rows = [empty(row) if row["item"] == "trainings" else row for row in data["results"]]
    report = build(data | {"results": rows}, lmp, labels=("2017", "2018"))
    question = lmp.text(lmp.item("trainings").label, "en")
    assert report.unanswered == [question]
    assert not any(row.question == question for section in report.sections for row in section.rows)
    assert render(report).count(question) == 1


def test_notes_name_groups_not_codes(lmp, data):
    absent = "group 'civil_society' is only in the baseline: not compared"
    weighted = "each wave is weighted over the groups that answered in it, and these differ ('civil_society' only in " \
               "the baseline)"
    report = build(data | {"notes": [absent, weighted]}, lmp, labels=("2017", "2018"))
    assert report.notes[0] == "group “Civil society organisation” is only in the baseline: not compared"
    assert "civil_society" not in " ".join(report.notes)
    khmer = build(data | {"notes": [absent]}, lmp, language="km", labels=("2017", "2018"))
    assert "civil_society" not in khmer.notes[0] and "«" in khmer.notes[0]


def test_intervals_are_written_with_to_never_a_dash(lmp, data):
    report = build(data, lmp, labels=("2017", "2018"))
    assert all(re.search(r"95% CI \S+ to \S+; n", text) for text in report.findings)
    assert not any(re.search(r"CI −?\d+\.\d+–", text) for text in report.findings)
    # Table cells: intervals in brackets.
    assert re.fullmatch(r"\d+\.\d+%?\s\[\d+\.\d+, \d+\.\d+\]", report.sections[0].rows[0].cells[1])


def test_charts_name_their_rows_on_the_measures_whole_scale_with_unique_titles(lmp, data):
    report = build(data, lmp, labels=("2017", "2018"), with_png=True)
    charts = [chart for section in report.sections for chart in section.charts] + report.group_charts
    titles = [chart.title for chart in charts]
    assert len(titles) == len(set(titles))
    shares = next(chart for chart in charts if chart.scale.unit == "%")
    assert (shares.scale.low, shares.scale.high) == (0, 100)
    assert "Have you heard of the national Labour Migration Policy?" in shares.key  # names, not numbers
    likert = next(chart for chart in charts if chart.scale.caption)
    assert likert.scale.low == 1 and likert.scale.high == len(lmp.item("familiarity").codes)
    assert likert.scale.caption.startswith("1 = ") and likert.scale.caption in likert.title
    html = render(report)
    assert '<th scope="row">Have you heard of the national Labour Migration Policy?</th>' in html
    assert 'role="img" aria-label="2017: ' in html
    assert all(chart.png and chart.png.startswith(b"\x89PNG") for chart in charts)


def test_a_headline_not_compared_names_the_group_not_its_code(lmp, data):
    note = "group 'civil_society' is only in the baseline: not compared"
    rows = [row | {"p_value": None, "difference": None, "note": note}
            if row["item"] == "heard_policy" and row["group"] == "all" else row for row in data["results"]]
    report = build(data | {"results": rows}, lmp, labels=("2017", "2018"))
    finding = next(text for text in report.findings if "only in the baseline" in text)
    assert "“Civil society organisation”" in finding and "civil_society" not in finding
