"""Response monitoring: dispositions and AAPOR rates by stakeholder group, completions over time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.aapor import Dispositions, Rates, rates

from .models import Draft, Invitation, Response, Wave


@dataclass(frozen=True)
class GroupStatus:
    group: str
    invited: int
    started: int
    partial: int
    completed: int
    responses: int  # stored responses (imported ones too)
    population: int | None
    dispositions: Dispositions
    rates: Rates
    open_started: int = 0  # consented through the open link (no invitation, outside the rates)
    open_completed: int = 0


def _category(invitation, has_answers: bool) -> str:
    if invitation.completed:
        return "complete"
    if invitation.disposition == "refused":
        return "refusal"
    if invitation.disposition == "ineligible":
        return "ineligible"
    if invitation.disposition == "undeliverable":
        return "unknown_other"
    if invitation.consented_at is not None:
        return "partial" if has_answers else "refusal"  # a break-off counts with refusals
    return "unknown_household"


def wave_status(session: Session, wave: Wave, groups: tuple[str, ...], populations: dict[str, int]) \
        -> list[GroupStatus]:
    """One row per stakeholder group, then one for all groups together."""
    answered = set(session.scalars(select(Draft.invitation_id).join(Invitation).where(
        Invitation.wave_id == wave.id, Draft.answered.is_(True))))
    counts: dict[str, Counter] = {group: Counter() for group in groups}
    started: Counter = Counter()
    open_link: dict[str, Counter] = {group: Counter() for group in groups}
    # Only the columns the categories need: no contacts are loaded to count them.
    columns = (Invitation.id, Invitation.group_code, Invitation.completed, Invitation.disposition,
               Invitation.consented_at, Invitation.via_open_link)
    for invitation in session.execute(select(*columns).where(Invitation.wave_id == wave.id)):
        if invitation.via_open_link:
            # Nobody was invited: an open-link start is no invitation and enters no response rate.
            tally = open_link.setdefault(invitation.group_code, Counter())
            tally["started"] += invitation.consented_at is not None
            tally["completed"] += bool(invitation.completed)
            continue
        counts.setdefault(invitation.group_code, Counter())[_category(invitation, invitation.id in answered)] += 1
        if invitation.consented_at is not None:
            started[invitation.group_code] += 1
    stored = dict(session.execute(select(Response.group_code, func.count()).where(Response.wave_id == wave.id)
                                  .group_by(Response.group_code)).all())
    for group in open_link:
        counts.setdefault(group, Counter())
    rows = [_row(group, counts[group], started[group], stored.get(group, 0), populations.get(group),
                 open_link.get(group, Counter())) for group in counts]
    total = sum(counts.values(), Counter())
    population = sum(populations.values()) if populations else None
    rows.append(_row("all", total, sum(started.values()), sum(stored.values()), population,
                     sum(open_link.values(), Counter())))
    return rows


def _row(group, counter: Counter, started: int, stored: int, population, open_link: Counter) -> GroupStatus:
    dispositions = Dispositions(**{key: counter.get(key, 0) for key in (
        "complete", "partial", "refusal", "unknown_household", "unknown_other", "ineligible")})
    return GroupStatus(group, dispositions.invited, started, dispositions.partial, dispositions.complete, stored,
                       population, dispositions, rates(dispositions), open_link["started"],
                       open_link["completed"])


def completions_by_day(session: Session, wave: Wave) -> list[tuple[date, int]]:
    rows = session.execute(select(Invitation.completed_on, func.count()).where(
        Invitation.wave_id == wave.id, Invitation.completed_on.is_not(None))
        .group_by(Invitation.completed_on).order_by(Invitation.completed_on)).all()
    return [(day, count) for day, count in rows]


def completions_svg(days: list[tuple[date, int]], width: int = 640, height: int = 200) -> str:
    """Cumulative completions per day as an SVG line chart (no script, no style attribute)."""
    if not days:
        return ""
    first, last = days[0][0], days[-1][0]
    span = max(1, (last - first).days)
    per_day = dict(days)
    points, total = [], 0
    for offset in range(span + 1):
        total += per_day.get(first + timedelta(days=offset), 0)
        points.append((offset, total))
    left, right, top, bottom = 48, 16, 16, 32

    def x(offset: int) -> float:
        return left + (width - left - right) * offset / span

    def y(value: int) -> float:
        return top + (height - top - bottom) * (1 - value / max(1, total))

    line = " ".join(f"{x(o):.1f},{y(v):.1f}" for o, v in points)
    label = f"Completed responses by day: {total} from {first.isoformat()} to {last.isoformat()}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" class="chart">'
        f"<title>{escape(label)}</title>"
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#4a4a4a"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#4a4a4a"/>'
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="12" fill="#1b1b1b">{total}</text>'
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="12" fill="#1b1b1b">0</text>'
        f'<text x="{left}" y="{height - 10}" font-size="12" fill="#1b1b1b">{first.isoformat()}</text>'
        f'<text x="{width - right}" y="{height - 10}" text-anchor="end" font-size="12" fill="#1b1b1b">'
        f"{last.isoformat()}</text>"
        f'<polyline points="{line}" fill="none" stroke="#0b5394" stroke-width="2.5"/>'
        "</svg>"
    )
