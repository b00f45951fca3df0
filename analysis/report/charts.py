"""Charts of a report: each row named in words beside its dots, on the measure's whole scale.

A chart is a list of rows (a question or a group) with each wave's estimate and interval, on a scale
shown under it (shares 0–100 %, a Likert item 1 to its last point with both ends named, a score 0–100).
The names are text of the page, never drawn into a picture by a library that cannot shape Khmer:

- HTML and PDF: a table whose first column is the row's name (shaped by the browser, or by Pango in
  the PDF) and whose second holds a small SVG of shapes only: the intervals and dots of that row;
- Word and Markdown: a PNG drawn by Pillow, whose text goes through libraqm (HarfBuzz and FriBiDi,
  in Pillow's wheels), which shapes Khmer, with the names wrapped where ICU says a line may break.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from functools import cache

from . import apa, fonts
from .script import ZERO_WIDTH_SPACE, digits, line_breaks
from .suppress import reason

BASELINE_COLOUR, CURRENT_COLOUR = "#6b6b6b", "#1f5fa8"  # both 4.5:1 or more on white (WCAG AA)
WIDTH, ROW, PAD = 300, 24, 16  # a row's SVG: user units (the padding holds half of "100%")


@dataclass(frozen=True)
class Scale:
    """Where a chart's axis starts and ends, its ticks, and what its numbers mean."""

    low: float
    high: float
    ticks: tuple[float, ...]
    unit: str = ""  # "%" for shares
    caption: str = ""  # "1 = Strongly disagree … 5 = Strongly agree"
    factor: float = 1  # from an estimate to the axis' units (100: a proportion on a percentage axis)

    def x(self, value: float, *, estimate: bool = True) -> float:
        """Where an estimate (or, with estimate=False, a tick) lies, in a row's user units."""
        value = value * self.factor if estimate else value
        share = (min(max(value, self.low), self.high) - self.low) / ((self.high - self.low) or 1)
        return PAD + share * (WIDTH - 2 * PAD)


PERCENT = Scale(0, 100, (0, 25, 50, 75, 100), "%", factor=100)


@dataclass(frozen=True)
class Point:
    """One row of a chart: a label and each wave's estimate with its interval (bars: a count)."""

    label: str
    baseline: tuple[float, float, float] | None  # estimate, low, high
    current: tuple[float, float, float] | None


@dataclass(frozen=True)
class Chart:
    title: str
    points: tuple[Point, ...]
    scale: Scale
    legend: tuple[str, str]  # the waves' names
    language: str = "en"
    bars: bool = False  # counts as bars (respondents), not estimates with intervals
    png: bytes | None = None
    id: str = ""  # unique in a report: the figure's anchor
    reference: float | None = None  # an estimate drawn as a dashed line across the rows (legend[0] names it)

    @property
    def key(self) -> tuple[str, ...]:
        """The rows' names, in order."""
        return tuple(point.label for point in self.points)

    def rows(self) -> list[tuple[str, str]]:
        """(name, SVG) for each row, for a page."""
        return [(point.label, _row_svg(self, point)) for point in self.points]

    def axis(self) -> str:
        return _axis_html(self)


def _number(value: float, scale: Scale, language: str) -> str:
    text = f"{value:g}" if float(value).is_integer() else apa.number(value, 1 if scale.unit else 2)
    return digits(text + scale.unit, language)


def _described(chart: Chart, point: Point) -> str:
    """The row's values in words, for a screen reader (the SVG's accessible name)."""
    parts = []
    for label, value in zip(chart.legend, (point.baseline, point.current), strict=True):
        if value is None:
            continue
        estimate, low, high = value
        scale, language = chart.scale, chart.language
        text = f"{label}: {_number(estimate * scale.factor, scale, language)}"
        if not chart.bars and (low, high) != (estimate, estimate):
            text += (f" ({_number(low * scale.factor, scale, language)} to "
                     f"{_number(high * scale.factor, scale, language)})")
        parts.append(text)
    if chart.reference is not None and parts:
        parts.append(f"{chart.legend[0]}: {_number(chart.reference * chart.scale.factor, chart.scale, chart.language)}")
    return "; ".join(parts) or "–"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _row_svg(chart: Chart, point: Point) -> str:
    scale = chart.scale
    grid = "".join(f'<line x1="{scale.x(t, estimate=False):.1f}" y1="0" x2="{scale.x(t, estimate=False):.1f}" '
                   f'y2="{ROW}" stroke="#dddddd" '
                   'stroke-width="1"/>' for t in scale.ticks)
    marks = []
    for y, value, colour in ((7, point.baseline, BASELINE_COLOUR), (17, point.current, CURRENT_COLOUR)):
        if value is None:
            continue
        estimate, low, high = value
        if chart.bars:
            marks.append(f'<rect x="{PAD}" y="{y - 4}" width="{scale.x(estimate) - PAD:.1f}" '
                         f'height="8" fill="{colour}"/>')
            continue
        marks.append(f'<line x1="{scale.x(low):.1f}" y1="{y}" x2="{scale.x(high):.1f}" y2="{y}" stroke="{colour}" '
                     'stroke-width="2.5"/>')
        marks.append(f'<circle cx="{scale.x(estimate):.1f}" cy="{y}" r="4" fill="{colour}"/>')
    if chart.reference is not None:  # a line, not a dot: the reference is not data of this row
        at = scale.x(chart.reference)
        marks.insert(0, f'<line x1="{at:.1f}" y1="0" x2="{at:.1f}" y2="{ROW}" stroke="{BASELINE_COLOUR}" '
                        'stroke-width="1.5" stroke-dasharray="3 2"/>')
    name = _escape(_described(chart, point))
    return (f'<svg class="chart-row" viewBox="0 0 {WIDTH} {ROW}" role="img" aria-label="{name}" '
            f'xmlns="http://www.w3.org/2000/svg">{grid}{"".join(marks)}</svg>')


def _axis_html(chart: Chart) -> str:
    """The scale under a chart's rows: HTML text placed where its SVG puts the ticks, so that the numbers
    keep the page's font size at any width (SVG text would shrink with the chart on a phone)."""
    scale = chart.scale
    ticks = "".join(f'<span style="left: {100 * scale.x(t, estimate=False) / WIDTH:.2f}%">'
                    f'{_number(t, scale, chart.language)}</span>' for t in scale.ticks)
    return f'<div class="chart-axis" aria-hidden="true">{ticks}</div>'


def dot_interval(title: str, points: list[Point], *, labels: tuple[str, str], scale: Scale, language: str,
                 chart_id: str, with_png: bool = False, reference: float | None = None) -> Chart:
    """Baseline and current estimate of each row, with their confidence intervals, on `scale`; with `reference`,
    that estimate as a dashed line across the rows, named by labels[0]."""
    chart = Chart(title, tuple(points), scale, labels, language, id=chart_id, reference=reference)
    return replace(chart, png=png_of(chart)) if with_png else chart


def response_bars(title: str, groups: list[str], counts: dict[str, list[int]], *, language: str, chart_id: str,
                  with_png: bool = False) -> Chart:
    """Respondents per group in each wave (small counts drawn, since a count discloses no answer)."""
    waves = list(counts)
    top = max([1, *(n for values in counts.values() for n in values)])
    scale = Scale(0, nice_ceiling(top), nice_ticks(nice_ceiling(top)))
    points = tuple(Point(group, *((counts[w][i], counts[w][i], counts[w][i]) for w in waves))
                   for i, group in enumerate(groups))
    chart = Chart(title, points, scale, (waves[0], waves[1]), language, bars=True, id=chart_id)
    return replace(chart, png=png_of(chart)) if with_png else chart


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `value`: the end of an axis."""
    import math

    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def nice_ticks(high: float) -> tuple[float, ...]:
    """Ticks from 0 to `high` a round step apart (0, 1, … 5 for five years; 0, 20, … 100)."""
    step = nice_ceiling(high / 5)
    return tuple(round(step * i, 9) for i in range(int(round(high / step)) + 1))


def point_of(row: dict, wave: str, min_cell: int) -> tuple[float, float, float] | None:
    """A wave's (estimate, low, high) for a chart, or None when its cell is hidden or has no estimate."""
    kind, row = row["kind"], row[wave]
    if reason(kind, row, min_cell) or row["estimate"] is None:
        return None
    low, high = row["ci"] if row["ci"] and row["ci"][0] is not None else (row["estimate"], row["estimate"])
    return row["estimate"], low, high


# --- PNG (Word, Markdown): Pillow, with the text shaped by libraqm ---------------------------------------

PNG_WIDTH, LABEL_SHARE = 1500, 0.42  # pixels: 2× a page's width, for print


@cache
def _font(language: str, size: int):
    from PIL import ImageFont

    if language == "km":
        path = fonts.font_path()
    else:
        from matplotlib import get_data_path

        path = f"{get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def _wrapped(text: str, font, width: int, language: str) -> list[str]:
    """Lines of at most `width` pixels, broken only where a line may break (spaces; ICU for Khmer)."""
    text = " ".join(text.splitlines())  # a label's own line break would make raqm's layout fail
    words = line_breaks(text, language).replace(ZERO_WIDTH_SPACE, "\0").replace(" ", " \0").split("\0")
    lines, line = [], ""
    for word in words:
        if line and font.getlength(line + word) > width:
            lines.append(line.rstrip())
            line = word
        else:
            line += word
    return [*lines, line.rstrip()] if line else lines


def _dashed(draw, x: float, top: float, bottom: float) -> None:
    """A vertical dashed line (the reference), 8 pixels drawn and 5 left, as the SVG's dash pattern."""
    y = top
    while y < bottom:
        draw.line((x, y, x, min(y + 8, bottom)), fill=BASELINE_COLOUR, width=3)
        y += 13


def png_of(chart: Chart) -> bytes:
    """The chart as one PNG: legend, each row's name (wrapped) beside its intervals, the scale."""
    from PIL import Image, ImageDraw

    font, small = _font(chart.language, 26), _font(chart.language, 22)
    label_width = int(PNG_WIDTH * LABEL_SHARE)
    plot = (label_width + 20, PNG_WIDTH - 50)  # room for half of "100%" at the right
    line_height = 34
    laid = [(_wrapped(digits(point.label, chart.language), font, label_width - 10, chart.language), point)
            for point in chart.points]  # the names in the report's digits, as on the HTML page
    heights = [max(60, line_height * len(lines) + 16) for lines, _point in laid]
    caption = [chart.scale.caption] if chart.scale.caption else []
    height = 60 + sum(heights) + 50 + 40 * len(caption)
    image = Image.new("RGB", (PNG_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)

    def x(value: float, estimate: bool = True) -> float:
        return plot[0] + (chart.scale.x(value, estimate=estimate) - PAD) / (WIDTH - 2 * PAD) * (plot[1] - plot[0])

    legend_x = plot[0]
    for label, colour in zip(chart.legend, (BASELINE_COLOUR, CURRENT_COLOUR), strict=True):
        if chart.reference is not None and colour == BASELINE_COLOUR:
            _dashed(draw, legend_x + 8, 12, 40)
        else:
            draw.ellipse((legend_x, 18, legend_x + 16, 34), fill=colour)
        draw.text((legend_x + 24, 12), digits(label, chart.language), font=font, fill="#1a1a1a")
        legend_x += 60 + int(font.getlength(label))
    top = 60
    for (lines, point), row_height in zip(laid, heights, strict=True):
        for tick in chart.scale.ticks:
            draw.line((x(tick, False), top, x(tick, False), top + row_height), fill="#dddddd", width=2)
        for index, line in enumerate(lines):
            draw.text((10, top + 8 + index * line_height), line, font=font, fill="#1a1a1a")
        if chart.reference is not None:
            _dashed(draw, x(chart.reference), top, top + row_height)
        middle = top + row_height / 2
        for offset, value, colour in ((-9, point.baseline, BASELINE_COLOUR), (9, point.current, CURRENT_COLOUR)):
            if value is None:
                continue
            estimate, low, high = value
            y = middle + offset
            if chart.bars:
                draw.rectangle((plot[0], y - 7, x(estimate), y + 7), fill=colour)
                continue
            draw.line((x(low), y, x(high), y), fill=colour, width=5)
            draw.ellipse((x(estimate) - 8, y - 8, x(estimate) + 8, y + 8), fill=colour)
        top += row_height
    for tick in chart.scale.ticks:
        text = _number(tick, chart.scale, chart.language)
        draw.text((x(tick, False) - small.getlength(text) / 2, top + 10), text, font=small, fill="#333333")
    for line in caption:
        draw.text((plot[0], top + 50), digits(line, chart.language), font=small, fill="#333333")
    buffer = io.BytesIO()
    # zlib's default level: the same pixels in a file ~2 % larger than optimize=True's, encoded in half the time
    # (0.8 s instead of 1.7 s for the 31 charts of the demo's report over the period).
    image.save(buffer, format="PNG")
    return buffer.getvalue()
