"""The report as a Word document (python-docx): the sentences as editable text, real Word tables."""

from __future__ import annotations

import io

from .content import Report
from .fonts import FAMILY
from .html import stamp_lines
from .i18n import word
from .script import for_word


def _complex_script_font(document, family: str) -> None:
    """Khmer is a complex script: Word takes its font from w:cs, not from the Latin font."""
    from docx.oxml.ns import qn

    for style in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid", "List Number", "List Bullet"):
        fonts = document.styles[style].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:cs"), family)


def _khmer_language(document) -> None:
    """Mark the document's complex-script text as Khmer (w:lang w:bidi, the language of complex scripts): Word then
    breaks its lines at words with its Khmer dictionary, so the text needs no zero-width spaces that a reader
    copying it would carry along (LibreOffice breaks Khmer at words with ICU in any case)."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = properties.find(qn("w:lang"))
    if language is None:
        from docx.oxml import OxmlElement

        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:bidi"), "km-KH")


def _portrait(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text.strip() == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            run.text = text  # shown until Word updates the field
            continue
        run._r.append(element)


def _page_furniture(document, report: Report) -> None:
    """"Page 3 of 12" at the foot of every page; the provisional mark at the head of every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(word("page", report.language) + " ")
    _field(footer, "PAGE")
    footer.add_run(f" {word('of', report.language)} ")
    _field(footer, "NUMPAGES")
    if report.provisional:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(for_word(report.provisional, report.language))
        run.bold, run.font.size, run.font.color.rgb = True, Pt(9), RGBColor(0xB4, 0x23, 0x18)


def _table(document, header: list[str], rows: list[list[str]], size: float = 7.5, text=str) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = text(value)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for line in rows:
        for cell, value in zip(table.add_row().cells, line, strict=True):
            cell.text = text(value)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _chart(document, chart, text) -> None:
    from docx.shared import Mm

    document.add_paragraph(text(chart.title)).runs[0].bold = True
    if chart.png:  # the rows' names are in the picture, shaped (charts.png_of)
        document.add_picture(io.BytesIO(chart.png), width=Mm(170))


def _results(document, report: Report, text) -> None:
    """Each section's charts, its table (a row's note as a letter) and its notes under it, once."""
    from docx.shared import Pt

    for section in report.sections:
        document.add_heading(text(section.title), level=3)
        for chart in section.charts:
            _chart(document, chart, text)
        _table(document, report.header, [[row.question, row.group + (f" ({row.mark})" if row.mark else ""),
                                          *row.cells] for row in section.rows], size=7, text=text)
        for letter, note in section.notes:
            document.add_paragraph(text(f"({letter}) {note}")).runs[0].font.size = Pt(8)
    for note in report.footnotes:
        document.add_paragraph(text(note))
    if report.unanswered:
        document.add_paragraph(text(word("unanswered", report.language) + " " + "; ".join(report.unanswered)))


def document_bytes(report: Report) -> bytes:
    """The .docx file's bytes: A4 portrait, numbered pages, provisional on every page while a wave is open."""
    from docx import Document

    def text(value: str) -> str:  # no zero-width spaces: Word breaks the Khmer marked as Khmer (_khmer_language)
        return for_word(value, report.language)

    document = Document()
    _portrait(document)
    _page_furniture(document, report)
    if report.language == "km":
        _complex_script_font(document, FAMILY)
        _khmer_language(document)
    if report.provisional:
        document.add_paragraph(text(report.provisional)).runs[0].bold = True
    document.add_heading(text(report.title), level=1)
    for label, value in report.title_block:
        paragraph = document.add_paragraph()
        paragraph.add_run(text(label) + ": ").bold = True
        paragraph.add_run(text(value))
    if report.language == "km":
        document.add_paragraph(text(word("review_note", "km")))
    document.add_heading(text(word("headline_findings", report.language)), level=2)
    document.add_paragraph(text(report.lead))
    for finding in report.findings:
        document.add_paragraph(text(finding))
    for chart in report.group_charts:
        _chart(document, chart, text)
    document.add_heading(text(word("tables", report.language)), level=2)
    _results(document, report, text)
    document.add_heading(text(word("response", report.language)), level=2)
    if report.response_chart:
        _chart(document, report.response_chart, text)
    _table(document, report.response_header, report.response_rows, size=9, text=text)
    document.add_heading(text(word("methods", report.language)), level=2)
    for paragraph in report.methods + report.notes:
        document.add_paragraph(text(paragraph))
    document.add_heading(text(word("references", report.language)), level=3)
    for reference in report.references:
        document.add_paragraph(reference, style="List Bullet")
    document.add_heading(text(word("stamp", report.language)), level=2)
    _table(document, ["", ""], [list(line) for line in stamp_lines(report.stamp)], size=7)
    document.add_paragraph(word("verify_hint", report.language, json=report.json_name))
    document.core_properties.title = report.title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
