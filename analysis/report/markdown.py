"""The report as Markdown, with its charts as PNG files beside it (REPORT-1.png, REPORT-2.png, ...)."""

from __future__ import annotations

from pathlib import Path

from .content import Report
from .html import stamp_lines
from .i18n import word


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in rows]
    return lines + [""]


def write_markdown(report: Report, path: Path) -> list[Path]:
    """Write the Markdown and its PNG charts; return the paths written."""
    written: list[Path] = []
    language = report.language
    lines = ([f"**{report.provisional}**", ""] if report.provisional else []) + [f"# {report.title}", ""]
    lines += [f"- **{label}**: {value}" for label, value in report.title_block] + [""]

    def chart(item) -> None:
        image = path.with_name(f"{path.stem}-{len(written) + 1}.png")
        image.write_bytes(item.png)
        written.append(image)
        lines.extend([f"**{item.title}**", "", f"![{item.title}]({image.name})", ""])

    if language == "km":
        lines += [f"> {word('review_note', 'km')}", ""]
    lines += [f"## {word('headline_findings', language)}", "", f"*{report.lead}*", ""]
    for text in report.findings:
        lines += [text, ""]
    for item in report.group_charts:
        chart(item)
    lines += [f"## {word('tables', language)}", ""]
    for section in report.sections:
        lines += [f"### {section.title}", ""]
        for item in section.charts:
            chart(item)
        lines += _table(report.header, [[row.question, row.group + (f" ({row.mark})" if row.mark else ""),
                                         *row.cells] for row in section.rows])
        lines += [f"({letter}) {note}  " for letter, note in section.notes] + ([""] if section.notes else [])
    lines += [f"{note}" for note in report.footnotes] + [""]
    if report.unanswered:
        lines += [word("unanswered", language), ""] + [f"- {text}" for text in report.unanswered] + [""]
    lines += [f"## {word('response', language)}", ""]
    if report.response_chart:
        chart(report.response_chart)
    lines += _table(report.response_header, report.response_rows)
    lines += [f"## {word('methods', language)}", ""]
    for text in report.methods:
        lines += [text, ""]
    lines += [f"- {note}" for note in report.notes] + [""]
    lines += [f"### {word('references', language)}", ""] + [f"- {text}" for text in report.references] + [""]
    lines += [f"## {word('stamp', language)}", ""] + _table(["", ""], [[k, f"`{v}`"] for k, v in
                                                                       stamp_lines(report.stamp)])
    lines += [word("verify_hint", language, json=report.json_name), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return [path, *written]
