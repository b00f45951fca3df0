"""The report as one self-contained HTML file: inline CSS, inline SVG charts, the Khmer font embedded."""

from __future__ import annotations

import re
from importlib import resources

from . import fonts
from .content import Report
from .i18n import word
from .script import for_print

_TEMPLATES = resources.files("analysis.report") / "templates"
# An APA p value ("p = .034", "p < .001", "< .001" in a table, in Khmer digits too) and a one-letter compound ("t-test", "p-values"):
# a line may end before or after them, never inside. Pango (the PDF) would break after the point of "p < .001";
# a span that does not wrap keeps it whole without putting any invisible character into the text a reader copies.
_P_VALUE = re.compile("(?:\\bp\u00a0)?(?:=|&lt;)\u00a0[0-9\u17e0-\u17e9]*\\.[0-9\u17e0-\u17e9]+|\\b[A-Za-z]-[A-Za-z]+")


def keep_whole(text: str) -> str:
    """Escaped HTML of `text` with each p value in a span that does not wrap."""
    import markupsafe

    escaped = str(markupsafe.escape(text))  # escaped first: the spans are the only markup added
    return markupsafe.Markup(_P_VALUE.sub(lambda match: f'<span class="stat">{match[0]}</span>', escaped))  # noqa: S704


def stamp_lines(stamp: dict) -> list[tuple[str, str]]:
    """The stamp flattened to label/value pairs for display."""
    lines = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        else:
            lines.append((prefix, "–" if value is None else str(value)))

    walk("", stamp)
    return lines


def _css(language: str) -> str:
    family = f"'{fonts.FAMILY}', sans-serif" if language == "km" else \
        "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
    # Printed pages are numbered "Page 3 of 12" (in Khmer digits in a Khmer report: CSS's khmer counter style).
    style = "khmer" if language == "km" else "decimal"
    numbers = (f'@page {{ @bottom-center {{ content: "{word("page", language)} " counter(page, {style}) '
               f'" {word("of", language)} " counter(pages, {style}); font-size: 8pt; color: #555; '
               f'font-family: {family}; }}\n  @top-center {{ font-family: {family}; }} }}\n')
    return (f".awareness-report {{ --report-font: {family}; }}\n" + numbers
            + (_TEMPLATES / "report.css").read_text("utf-8"))


def render(report: Report, *, fragment: bool = False) -> str:
    """The HTML document (or, with fragment, an <article> to place inside another page)."""
    import jinja2
    import markupsafe

    language = report.language

    def finalize(value):
        """Every text the page shows, in the report's digits and breakable between words (script.py);
        markup (the charts) and `verbatim` text (stamp, references, the command) as they are."""
        return value if isinstance(value, markupsafe.Markup) or not isinstance(value, str) else \
            for_print(value, language)

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                     finalize=finalize)
    environment.filters["verbatim"] = lambda text: markupsafe.escape(text)
    environment.filters["stats"] = lambda text: keep_whole(for_print(text, language))
    template = environment.from_string((_TEMPLATES / "report.html.j2").read_text("utf-8"))
    return template.render(
        r=report, fragment=fragment, css=_css(report.language), stamp_lines=stamp_lines(report.stamp),
        font_face=fonts.font_face_css() if report.language == "km" else "",
        word=lambda key, **values: word(key, report.language, **values),
    )
