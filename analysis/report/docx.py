"""The report as a Word document (python-docx): the sentences as editable text, real Word tables."""

from __future__ import annotations

import io

from .content import Report
from .fonts import FAMILY
from .html import stamp_lines
from .i18n import word


def _complex_script_font(document, family: str) -> None:
    """Khmer is a complex script: Word takes its font from w:cs, not from the Latin font."""
    from docx.oxml.ns import qn

    for style in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Table Grid", "List Number", "List Bullet"):
        fonts = document.styles[style].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:cs"), family)


def _landscape(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))


def _table(document, header: list[str], rows: list[list[str]], size: float = 7.5) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for line in rows:
        for cell, text in zip(table.add_row().cells, line, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)


def _chart(document, chart) -> None:
    from docx.shared import Mm

    document.add_paragraph(chart.title).runs[0].bold = True
    if chart.png:
        document.add_picture(io.BytesIO(chart.png), width=Mm(150))
    for label in chart.key:
        document.add_paragraph(label, style="List Number")


def document_bytes(report: Report) -> bytes:
    """The .docx file's bytes."""
    from docx import Document

    document = Document()
    _landscape(document)
    if report.language == "km":
        _complex_script_font(document, FAMILY)
    document.add_heading(report.title, level=1)
    if report.language == "km":
        document.add_paragraph(word("review_note", "km"))
    document.add_heading(word("headline_findings", report.language), level=2)
    document.add_paragraph(report.lead)
    for text in report.findings:
        document.add_paragraph(text)
    for chart in report.group_charts:
        _chart(document, chart)
    document.add_heading(word("tables", report.language), level=2)
    for section in report.sections:
        document.add_heading(section.title, level=3)
        for chart in section.charts:
            _chart(document, chart)
        _table(document, report.header, [[row.question + (f" ({row.note})" if row.note else ""), row.group,
                                          *row.cells] for row in section.rows])
    for note in report.footnotes:
        document.add_paragraph(note)
    document.add_heading(word("response", report.language), level=2)
    if report.response_chart:
        _chart(document, report.response_chart)
    _table(document, report.response_header, report.response_rows, size=9)
    document.add_heading(word("methods", report.language), level=2)
    for text in report.methods + report.notes:
        document.add_paragraph(text)
    document.add_heading(word("references", report.language), level=3)
    for text in report.references:
        document.add_paragraph(text, style="List Bullet")
    document.add_heading(word("stamp", report.language), level=2)
    _table(document, ["", ""], [list(line) for line in stamp_lines(report.stamp)], size=7)
    document.add_paragraph(word("verify_hint", report.language, json=report.json_name))
    document.core_properties.title = report.title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
