"""Write a report to a file; the format follows the extension (.html, .pdf, .docx, .md)."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from pathlib import Path

from .content import Report


class ReportError(Exception):
    """A report that cannot be written here, with what to do about it."""


FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".md": "md"}


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


_PAUSES = threading.Lock()
_paused = {"count": 0, "was_enabled": False}


@contextmanager
def _cycle_collection_paused():
    """Python's cycle collector off while WeasyPrint works, back as it was once the last PDF under way is done.

    Laying out a report builds a few hundred thousand objects (boxes, styles, lines) that all live until the PDF
    is written; meanwhile the collector's full passes walk every one of them again and again (a fifth to a
    quarter of the CPU time of a report's PDF) and find most of them still in use. Paused, the peak memory
    stays the same (measured: 288 and 290 MB for the period's report); whatever cycles are left are freed by the
    collector's next pass. A counter under a lock: the console may write two PDFs at once, in two threads."""
    with _PAUSES:
        if _paused["count"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["count"] += 1
    try:
        yield
    finally:
        with _PAUSES:
            _paused["count"] -= 1
            if _paused["count"] == 0 and _paused["was_enabled"]:
                gc.enable()


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
    with _cycle_collection_paused():
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
