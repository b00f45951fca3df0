"""Trend charts: each round's estimate with its interval, joined across the rounds (matplotlib, as charts.py)."""

from __future__ import annotations

from dataclasses import dataclass

from . import charts, fonts

# Okabe–Ito: told apart by readers with colour blindness.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


@dataclass(frozen=True)
class Series:
    """One line: its name and each shown round's (position, estimate, low, high)."""

    label: str
    points: list[tuple[float, float, float, float]]


def trend_chart(title: str, series: list[Series], *, rounds: list[tuple[float, str]], percent: bool,
                scale: tuple[float, float] | None, language: str, chart_id: str, with_png: bool = False) -> charts.Chart:
    """Estimates over the rounds, a line per series, each round's interval as a bar; the rounds named on the x
    axis, the scale on the y axis (0–100 % for shares, a likert item's levels). Several series are named in a
    legend; in Khmer, which matplotlib cannot shape, numbered there and named in the chart's key (page text)."""
    import matplotlib

    matplotlib.use("Agg")
    fonts.register()
    from matplotlib import pyplot as plt

    with matplotlib.rc_context(charts._style(language)):
        figure, axes = plt.subplots(figsize=(6.4, 2.4 if len(series) == 1 else 2.8))
        shift = 0.06 * (max(p for p, _ in rounds) - min(p for p, _ in rounds) or 1)
        for number, line in enumerate(series):
            colour = charts.CURRENT_COLOUR if len(series) == 1 else PALETTE[number % len(PALETTE)]
            offset = (number - (len(series) - 1) / 2) * shift / max(1, len(series) - 1) if len(series) > 1 else 0
            factor = 100 if percent else 1
            xs = [position + offset for position, *_ in line.points]
            estimates = [factor * estimate for _p, estimate, _l, _h in line.points]
            name = str(number + 1) if language == "km" else line.label
            axes.plot(xs, estimates, "o-", color=colour, linewidth=1.8, markersize=4.5, label=name)
            for x, (_p, _e, low, high) in zip(xs, line.points, strict=True):
                axes.plot([x, x], [factor * low, factor * high], color=colour, linewidth=1.2, alpha=0.8)
        axes.set_xticks([position for position, _ in rounds], [label for _, label in rounds])
        axes.set_xlim(min(p for p, _ in rounds) - 2 * shift, max(p for p, _ in rounds) + 2 * shift)
        if percent:
            axes.set_ylim(0, 100)
            axes.set_ylabel("%")
        elif scale is not None:
            axes.set_ylim(*scale)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        if len(series) > 1:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False, fontsize=8)
        svg, png = charts._render(figure, with_png, chart_id)
        plt.close(figure)
    key = tuple(line.label for line in series) if language == "km" and len(series) > 1 else ()
    return charts.Chart(title, svg, png, key)
