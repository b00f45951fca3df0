"""Trend charts, drawn as the two-round report's charts (charts.Chart): a row per round, each with its
estimate and interval on the measure's whole scale, and the first round's estimate as a dashed reference
line across the rows, the reference the change is read from; by group, each group's first and last round."""

from __future__ import annotations

from questionnaires import Questionnaire

from . import charts
from .content import scale_of
from .suppress import reason


def point(row: dict, wave: dict | None, min_cell: int) -> tuple[float, float, float] | None:
    """A round's (estimate, low, high), or None when its cell is hidden or it has no estimate."""
    if wave is None or reason(row["kind"], wave, min_cell) or wave["estimate"] is None:
        return None
    low, high = wave["ci"] if wave["ci"] and wave["ci"][0] is not None else (wave["estimate"],) * 2
    return wave["estimate"], low, high


def rounds_chart(questionnaire: Questionnaire, title: str, row: dict, *, legend: tuple[str, str], min_cell: int,
                 language: str, chart_id: str, with_png: bool) -> charts.Chart | None:
    """One item over the rounds: a row per round (its name) with its estimate and interval, and the first
    round's estimate as a dashed reference line across every row (a line, not a dot: it is not data of the
    later rounds). Without the first round's estimate (hidden, or no answers) there is no line."""
    first = point(row, row["waves"][0], min_cell) if row["waves"] else None
    points = [charts.Point(wave["wave"], None, point(row, wave, min_cell)) for wave in row["waves"]]
    points = [p for p in points if p.current]
    if not points:
        return None
    scale = scale_of(questionnaire, row["item"], row["kind"], points, language)
    return charts.dot_interval(title, points, labels=legend, scale=scale, language=language, chart_id=chart_id,
                               with_png=with_png, reference=first[0] if first else None)


def groups_chart(questionnaire: Questionnaire, title: str, rows: list[dict], labels: dict[str, str], *,
                 legend: tuple[str, str], min_cell: int, language: str, chart_id: str,
                 with_png: bool) -> charts.Chart | None:
    """One item by group: each group's first and last round with answers."""
    points = [charts.Point(labels.get(row["group"], row["group"]), point(row, row["waves"][0], min_cell),
                           point(row, row["waves"][-1], min_cell)) for row in rows if row["waves"]]
    points = [p for p in points if p.baseline or p.current]
    if not points:
        return None
    scale = scale_of(questionnaire, rows[0]["item"], rows[0]["kind"], points, language)
    return charts.dot_interval(title, points, labels=legend, scale=scale, language=language, chart_id=chart_id,
                               with_png=with_png)
