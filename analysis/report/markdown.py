"""The report as Markdown, with its charts as PNG files beside it (REPORT-1.png, REPORT-2.png, ...)."""

from __future__ import annotations

import re
from pathlib import Path

from ..markdown_text import md_code_cell, md_text
from .content import Report
from .html import stamp_lines
from .i18n import word


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table of texts, each escaped (md_text escapes pipes too): a cell cannot add a column or markup."""
    lines = ["| " + " | ".join(map(md_text, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(md_text, row)) + " |" for row in rows]
    return lines + [""]


def _destination(name: str) -> str:
    """A chart's file name as a link destination: in angle brackets when it holds spaces or parentheses."""
    return name if re.fullmatch(r"[\w.-]+", name) else "<" + re.sub(r"[<>\n]", "_", name) + ">"


def write_markdown(report: Report, path: Path) -> list[Path]:
    """Write the Markdown and its PNG charts; return the paths written."""
    written: list[Path] = []
    language = report.language
    # Every text is escaped (analysis.markdown_text): question labels, group names and titles come from
    # whoever wrote the questionnaire, and must not bring HTML, links, headings or table columns.
    lines = ([f"**{md_text(report.provisional)}**", ""] if report.provisional else [])
    lines += [f"# {md_text(report.title)}", ""]
    lines += [f"- **{md_text(label)}**: {md_text(value)}" for label, value in report.title_block] + [""]

    def chart(item) -> None:
        image = path.with_name(f"{path.stem}-{len(written) + 1}.png")
        image.write_bytes(item.png)
        written.append(image)
        lines.extend([f"**{md_text(item.title)}**", "", f"![{md_text(item.title)}]({_destination(image.name)})", ""])

    if language == "km":
        lines += [f"> {md_text(word('review_note', 'km'))}", ""]
    lines += [f"## {md_text(word('headline_findings', language))}", "", f"*{md_text(report.lead)}*", ""]
    for text in report.findings:
        lines += [md_text(text), ""]
    for item in report.group_charts:
        chart(item)
    lines += [f"## {md_text(word('tables', language))}", ""]
    for section in report.sections:
        lines += [f"### {md_text(section.title)}", ""]
        for item in section.charts:
            chart(item)
        lines += _table(report.header, [[row.question, row.group + (f" ({row.mark})" if row.mark else ""),
                                         *row.cells] for row in section.rows])
        lines += [f"({md_text(letter)}) {md_text(note)}  " for letter, note in section.notes]
        lines += [""] if section.notes else []
    lines += [md_text(note) for note in report.footnotes] + [""]
    if report.unanswered:
        lines += [md_text(word("unanswered", language)), ""] + [f"- {md_text(text)}" for text in report.unanswered]
        lines += [""]
    lines += [f"## {md_text(word('response', language))}", ""]
    if report.response_chart:
        chart(report.response_chart)
    lines += _table(report.response_header, report.response_rows)
    lines += [f"## {md_text(word('methods', language))}", ""]
    for text in report.methods:
        lines += [md_text(text), ""]
    lines += [f"- {md_text(note)}" for note in report.notes] + [""]
    lines += [f"### {md_text(word('references', language))}", ""] + [f"- {md_text(text)}" for text in report.references]
    lines += ["", f"## {md_text(word('stamp', language))}", "", "| | |", "|---|---|"]
    lines += [f"| {md_text(key)} | {md_code_cell(value)} |" for key, value in stamp_lines(report.stamp)] + [""]
    lines += [md_text(word("verify_hint", language, json=report.json_name)), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return [path, *written]
