"""The printed report (PDF, WeasyPrint) breaks lines between words only: never inside an APA p value
("p < .|001" was printed) nor inside a word of a table ("Adjuste|d p" was). And the period report's charts
draw the first round as a dashed reference line, not as a grey dot that reads like data.

The reports are made from the demo's waves (the same synthetic answers `awareness demo` stores), and the
PDF's text is read back with pypdf, line by line, as a reader copying it would get it."""

import re

import pytest

from analysis import compare, read_frame, to_dict
from analysis.report import build
from analysis.report.html import keep_whole, render
from analysis.report.writers import pdf_bytes
from analysis.synthetic import DEMO_AWARENESS, synthetic_wave

# survey/cli/demo.py's waves: (label, respondents, seed).
DEMO_WAVES = (("2015", 130, 15), ("2016", 140, 29), ("2017", 150, 17), ("2018", 170, 18))
DIGIT = "0-9\u17e0-\u17e9"
DIGITS = "0123456789០១២៣៤៥៦៧៨៩"
# A line that ends inside a p value: "… p", "… p <", "… p < .", "… p = .0".
P_OPEN = re.compile(rf"(?:^|[\s(])p[\s\u00a0]*(?:[<=][\s\u00a0]*[{DIGIT}]*\.?[{DIGIT}]*)?$")
P_REST = re.compile(rf"^[<=.{DIGIT}]")
# A line that ends at the point of a number (".|001" of "< .001" in a table's p column).
POINT = re.compile(rf"(?:^|[\s\u00a0])[{DIGIT}]*\.$")


@pytest.fixture(scope="module")
def waves(lmp):
    return {label: read_frame(synthetic_wave(lmp, n, awareness=DEMO_AWARENESS[label], seed=seed), lmp,
                              source=f"{label}.csv") for label, n, seed in DEMO_WAVES}


@pytest.fixture(scope="module")
def two_rounds(lmp, waves):
    data = to_dict(compare(lmp, waves["2017"], waves["2018"], by_group=True))
    return build(data, lmp, labels=("2017", "2018"))


@pytest.fixture(scope="module")
def period(lmp, waves):
    from analysis.report.trend import build_trend
    from analysis.trend import to_dict as trend_dict
    from analysis.trend import trend

    return build_trend(trend_dict(trend(lmp, list(waves.items()))), lmp)


def lines_of(pdf: bytes) -> list[list[str]]:
    """Each page's text lines, as pypdf extracts them."""
    import io

    import pypdf

    return [[line.strip() for line in page.extract_text().split("\n")] for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def vocabulary(report) -> set[str]:
    """Every word the report's tables, sentences and notes hold (split at spaces, as a line may be)."""
    texts = [*report.header, report.lead, *report.findings, *report.footnotes]
    for section in report.sections:
        texts += [section.title, *(note for _letter, note in section.notes)]
        for row in section.rows:
            texts += [row.question, row.group, *row.cells]
    return {word for text in texts for word in re.split(r"[\s\u00a0]+", text) if word}


def broken(report, pdf: bytes) -> list[str]:
    """The places where a line of the PDF ends inside a p value or inside a word of the report."""
    words, found = vocabulary(report), []
    for number, page in enumerate(lines_of(pdf), 1):
        for line, after in zip(page, page[1:], strict=False):
            if not line or not after:
                continue
            if (P_OPEN.search(line) and P_REST.match(after)) or (POINT.search(line) and after[0] in DIGITS):
                found.append(f"page {number}: {line[-20:]!r} | {after[:20]!r}")
            tail, head = line.split()[-1], after.split()[0]
            if tail + head in words and not (tail in words and head in words) and not re.fullmatch(r"..+[-–]", tail):
                # (after the hyphen of "chi-square" or the dash of "Mann–Whitney" a line may end; never in "t-test")
                found.append(f"page {number}: {line[-20:]!r} | {after[:20]!r}")
    return found


def test_the_checker_finds_the_breaks_the_reviewers_saw(two_rounds):
    """The check itself can fail: on the text of the issue's PDF it finds both breaks."""
    words = vocabulary(two_rounds)
    assert "Adjusted" in words
    assert P_OPEN.search("(Holm-adjusted p < .") and P_REST.match("001), Hedges' g")
    assert POINT.search("< .") and POINT.search("p\u00a0=\u00a0.") and not POINT.search("policy.")
    assert P_OPEN.search("p = .0") and P_OPEN.search("Welch's t(297.36) = 4.01, p") and not P_OPEN.search("group")


def test_pdf_of_two_rounds_never_breaks_a_p_value_or_a_word(two_rounds):
    found = broken(two_rounds, pdf_bytes(two_rounds))
    assert not found, found


def test_pdf_over_the_period_never_breaks_a_p_value_or_a_word(period):
    pdf = pdf_bytes(period)
    assert not broken(period, pdf), broken(period, pdf)
    # "Adjusted p" of the table of rounds is whole, where its column was too narrow for the word.
    assert any("Adjusted p" in line for page in lines_of(pdf) for line in page)


def test_p_values_stay_whole_in_html_and_copy_as_written(two_rounds):
    """A span that does not wrap, and no invisible character: the text copied is the APA text."""
    assert str(keep_whole("χ²(1, N\u00a0=\u00a0320) = 6.69, p\u00a0<\u00a0.001 (Holm-adjusted p\u00a0=\u00a0.010)")) == (
        'χ²(1, N\u00a0=\u00a0320) = 6.69, <span class="stat">p\u00a0&lt;\u00a0.001</span> '
        '(Holm-adjusted <span class="stat">p\u00a0=\u00a0.010</span>)')
    assert str(keep_whole("<\u00a0.001")) == '<span class="stat">&lt;\u00a0.001</span>'
    assert str(keep_whole("Welch's t-test")) == 'Welch&#39;s <span class="stat">t-test</span>'
    assert str(keep_whole("p\u00a0=\u00a0.\u17e0\u17e1\u17e0")) == '<span class="stat">p\u00a0=\u00a0.០១០</span>'
    html = render(two_rounds)
    assert ".awareness-report .stat { white-space: nowrap; }" in html
    assert html.count('<span class="stat">') >= 2 * len(two_rounds.findings)
    assert "\u2060" not in html and "overflow-wrap: anywhere; }\n" not in html.split("@media print")[1]


def test_period_chart_draws_the_first_round_as_a_dashed_line_not_a_dot(period):
    chart = period.sections[1].charts[0]  # "Have you heard of …?" over the four rounds
    assert [point.label for point in chart.points] == ["2015", "2016", "2017", "2018"]
    assert all(point.baseline is None for point in chart.points)  # no grey dot beside the rounds
    assert chart.reference == pytest.approx(chart.points[0].current[0])
    assert chart.legend[0] == "first round (2015)" and "the dashed line marks the first round, 2015" in chart.title
    svgs = [svg for _name, svg in chart.rows()]
    lines = {re.search(r'<line x1="([\d.]+)"[^>]*stroke-dasharray', svg)[1] for svg in svgs}
    assert len(lines) == 1  # the same place in every row
    assert all(svg.count("<circle") == 1 for svg in svgs)  # one dot per row: its round
    html = render(period)
    assert 'class="swatch reference"' in html and 'class="swatch baseline"' not in html.split('id="results"')[1]


def test_period_chart_picture_draws_the_line_and_khmer_digits(lmp, waves, monkeypatch):
    """Word's picture of the chart: the rounds named in the report's digits (២០១៥ in Khmer, as on the page), and
    the reference drawn as a dashed line in every row."""
    from analysis.report import charts
    from analysis.report.trend import build_trend
    from analysis.trend import to_dict as trend_dict
    from analysis.trend import trend

    drawn, dashes = [], []
    wrapped, dashed = charts._wrapped, charts._dashed
    monkeypatch.setattr(charts, "_wrapped", lambda text, *rest: drawn.append(text) or wrapped(text, *rest))
    monkeypatch.setattr(charts, "_dashed", lambda *args: dashes.append(args[1]) or dashed(*args))
    two = {label: waves[label] for label in ("2017", "2018")}
    report = build_trend(trend_dict(trend(lmp, list(two.items()))), lmp, language="km", with_png=True)
    chart = report.sections[1].charts[0]
    assert chart.png and chart.legend[0] == "ជុំដំបូង (2017)"
    assert "២០១៧" in drawn and "២០១៨" in drawn and "2017" not in drawn
    assert len({x for x in dashes}) >= 2  # the legend's mark and the line, at one place in every row
