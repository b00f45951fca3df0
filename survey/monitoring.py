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


def _category(completed: bool, disposition: str, consented: bool, has_answers: bool) -> str:
    if completed:
        return "complete"
    if disposition == "refused":
        return "refusal"
    if disposition == "ineligible":
        return "ineligible"
    if disposition == "undeliverable":
        return "unknown_other"
    if consented:
        return "partial" if has_answers else "refusal"  # a break-off counts with refusals
    return "unknown_household"


def wave_status(session: Session, wave: Wave, groups: tuple[str, ...], populations: dict[str, int]) \
        -> list[GroupStatus]:
    """One row per stakeholder group, then one for all groups together."""
    counts: dict[str, Counter] = {group: Counter() for group in groups}
    started: Counter = Counter()
    # Counted in the database: one row per combination, not per invitation, and no contacts read.
    consented = Invitation.consented_at.is_not(None)
    has_answers = func.coalesce(Draft.answers, "{}") != "{}"
    combinations = session.execute(
        select(Invitation.group_code, Invitation.completed, Invitation.disposition, consented, has_answers,
               func.count())
        .outerjoin(Draft, Draft.invitation_id == Invitation.id).where(Invitation.wave_id == wave.id)
        .group_by(Invitation.group_code, Invitation.completed, Invitation.disposition, consented, has_answers))
    for group, completed, disposition, is_consented, answered, count in combinations:
        counts.setdefault(group, Counter())[_category(completed, disposition, is_consented, answered)] += count
        if is_consented:
            started[group] += count
    stored = dict(session.execute(select(Response.group_code, func.count()).where(Response.wave_id == wave.id)
                                  .group_by(Response.group_code)).all())
    rows = [_row(group, counts[group], started[group], stored.get(group, 0), populations.get(group))
            for group in counts]
    total = sum(counts.values(), Counter())
    population = sum(populations.values()) if populations else None
    rows.append(_row("all", total, sum(started.values()), sum(stored.values()), population))
    return rows


def _row(group, counter: Counter, started: int, stored: int, population) -> GroupStatus:
    dispositions = Dispositions(**{key: counter.get(key, 0) for key in (
        "complete", "partial", "refusal", "unknown_household", "unknown_other", "ineligible")})
    return GroupStatus(group, dispositions.invited, started, dispositions.partial, dispositions.complete, stored,
                       population, dispositions, rates(dispositions))


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


@dataclass(frozen=True)
class MailCounts:
    """E-mail of one stakeholder group: messages by outcome, and contacts who opted out."""

    group: str
    queued: int = 0  # waiting, or being handed over
    invitations_sent: int = 0
    reminders_sent: int = 0
    failed: int = 0
    unconfirmed: int = 0
    bounced: int = 0
    opted_out: int = 0


def mail_counts(session: Session, wave: Wave) -> list[MailCounts]:
    """One row per group that has e-mail, then "all"; empty when the wave has sent no e-mail."""
    from .models import MailOptOut, OutboxMessage

    counts: dict[str, Counter] = {}
    messages = session.execute(select(Invitation.group_code, OutboxMessage.kind, OutboxMessage.status,
                                      OutboxMessage.bounced_at).join(OutboxMessage.invitation)
                               .where(Invitation.wave_id == wave.id))
    for group, kind, status, bounced_at in messages:
        counter = counts.setdefault(group, Counter())
        key = {"queued": "queued", "sending": "queued", "failed": "failed", "unconfirmed": "unconfirmed",
               "sent": f"{kind}s_sent"}[status]
        counter[key] += 1
        counter["bounced"] += bounced_at is not None
    opted = session.execute(select(Invitation.group_code, func.count()).join(
        MailOptOut, MailOptOut.invitation_id == Invitation.id).where(Invitation.wave_id == wave.id)
        .group_by(Invitation.group_code))
    for group, number in opted:
        counts.setdefault(group, Counter())["opted_out"] += number
    if not counts:
        return []
    rows = [MailCounts(group, **counts[group]) for group in sorted(counts)]
    return rows + [MailCounts("all", **sum(counts.values(), Counter()))]
