"""Write a report to a file; the format follows the extension (.html, .pdf, .docx, .md)."""

from __future__ import annotations

from pathlib import Path

from .content import Report


class ReportError(Exception):
    """A report that cannot be written here, with what to do about it."""


FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".md": "md"}


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def pdf_bytes(report: Report) -> bytes:
    """The HTML laid out for print by WeasyPrint (Pango shapes the Khmer; the font is embedded)."""
    import logging

    try:
        import weasyprint
    except (ImportError, OSError) as error:  # WeasyPrint loads the system's Pango library
        raise ReportError(f"PDF needs the Pango library (Debian: apt-get install libpango-1.0-0 "
                          f"libpangoft2-1.0-0): {error}") from None

    from .html import render

    # WeasyPrint logs each CSS rule it ignores (here: the screen-only overflow scrolling).
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint.HTML(string=render(report), base_url=".").write_pdf()


def write(report: Report, path: Path) -> list[Path]:
    """Write the report to `path`; return every file written (Markdown writes its charts beside it)."""
    kind = format_of(path)
    if kind == "html":
        from .html import render

        path.write_text(render(report), encoding="utf-8")
        return [path]
    if kind == "pdf":
        path.write_bytes(pdf_bytes(report))
        return [path]
    if kind == "docx":
        from .docx import document_bytes

        path.write_bytes(document_bytes(report))
        return [path]
    if kind == "md":
        from .markdown import write_markdown

        return write_markdown(report, path)
    raise ValueError(f"{path}: unknown report format {path.suffix!r}; use one of {', '.join(sorted(FORMATS))}")
