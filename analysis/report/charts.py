"""Charts of a report (matplotlib): SVG with text kept as text (`svg.fonttype: none`).

Rows are numbered and their names listed under the chart as text of the page: matplotlib's PNGs and
WeasyPrint's SVG renderer draw Khmer letter by letter without shaping, while the page's own text is
shaped by the browser, by Pango in the PDF and by Word. The charts hold only numbers and wave names.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from . import fonts
from .suppress import reason

BASELINE_COLOUR, CURRENT_COLOUR = "#8c8c8c", "#1f5fa8"


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    png: bytes | None = None
    key: tuple[str, ...] = ()  # what each numbered row of the chart shows


@dataclass(frozen=True)
class Point:
    """One row of a dot-and-interval chart: a label and each wave's estimate with its interval."""

    label: str
    baseline: tuple[float, float, float] | None  # estimate, low, high
    current: tuple[float, float, float] | None


def _style(language: str) -> dict:
    family = [fonts.FAMILY, "DejaVu Sans"] if language == "km" else ["DejaVu Sans"]
    return {"svg.fonttype": "none", "svg.hashsalt": "awareness", "font.family": family, "font.size": 9,
            "axes.spines.top": False, "axes.spines.right": False}


def _render(figure, with_png: bool, chart_id: str) -> tuple[str, bytes | None]:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart_id}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # inline in HTML: no XML declaration or DOCTYPE
    png = None
    if with_png:
        binary = io.BytesIO()
        figure.savefig(binary, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
        png = binary.getvalue()
    return svg, png


def dot_interval(title: str, points: list[Point], *, labels: tuple[str, str], percent: bool, language: str,
                 chart_id: str, with_png: bool = False) -> Chart:
    """Baseline and current estimate of each row, with their confidence intervals."""
    import matplotlib

    matplotlib.use("Agg")
    fonts.register()
    from matplotlib import pyplot as plt

    with matplotlib.rc_context(_style(language)):
        height = 0.9 + 0.42 * len(points)
        figure, axes = plt.subplots(figsize=(6.4, height))
        for index, point in enumerate(reversed(points)):
            for offset, value, colour in ((0.14, point.baseline, BASELINE_COLOUR), (-0.14, point.current,
                                                                                   CURRENT_COLOUR)):
                if value is None:
                    continue
                estimate, low, high = (100 * v if percent else v for v in value)
                axes.plot([low, high], [index + offset] * 2, color=colour, linewidth=2)
                axes.plot([estimate], [index + offset], "o", color=colour, markersize=5)
        axes.set_yticks(range(len(points)), [str(len(points) - i) for i in range(len(points))])
        axes.set_ylim(-0.6, len(points) - 0.4)
        if percent:
            axes.set_xlim(0, 100)
            axes.set_xlabel("%")
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.plot([], [], "o-", color=BASELINE_COLOUR, label=labels[0])
        axes.plot([], [], "o-", color=CURRENT_COLOUR, label=labels[1])
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        svg, png = _render(figure, with_png, chart_id)
        plt.close(figure)
    return Chart(title, svg, png, tuple(p.label for p in points))


def response_bars(title: str, groups: list[str], counts: dict[str, list[int]], *, language: str, chart_id: str,
                  min_cell: int, with_png: bool = False) -> Chart:
    """Respondents per group in each wave (small counts drawn, since a count discloses no answer)."""
    import matplotlib

    matplotlib.use("Agg")
    fonts.register()
    from matplotlib import pyplot as plt

    with matplotlib.rc_context(_style(language)):
        figure, axes = plt.subplots(figsize=(6.4, 0.9 + 0.5 * len(groups)))
        positions = range(len(groups))
        for shift, (wave, colour) in zip((0.2, -0.2), zip(counts, (BASELINE_COLOUR, CURRENT_COLOUR), strict=True),
                                         strict=True):
            values = counts[wave]
            bars = axes.barh([len(groups) - 1 - p + shift for p in positions], values, height=0.38, color=colour,
                             label=wave)
            axes.bar_label(bars, padding=2, fontsize=8)
        axes.set_yticks(range(len(groups)), [str(len(groups) - i) for i in range(len(groups))])
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        svg, png = _render(figure, with_png, chart_id)
        plt.close(figure)
    return Chart(title, svg, png, tuple(groups))


def point_of(row: dict, wave: str, min_cell: int) -> tuple[float, float, float] | None:
    """A wave's (estimate, low, high) for a chart, or None when its cell is hidden or has no estimate."""
    kind, row = row["kind"], row[wave]
    if reason(kind, row, min_cell) or row["estimate"] is None:
        return None
    low, high = row["ci"] if row["ci"] and row["ci"][0] is not None else (row["estimate"], row["estimate"])
    return row["estimate"], low, high
