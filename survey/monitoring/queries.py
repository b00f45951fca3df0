"""Response monitoring: dispositions and AAPOR rates by stakeholder group, completions over time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from sqlalchemy.orm import Session

from ..models import Wave
from . import tallies

if TYPE_CHECKING:  # `analysis` imports pandas: loaded when a wave's status is counted, not at start-up
    from analysis.aapor import BreakOff, Dispositions, Rates


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


CATEGORIES = ("complete", "partial", "refusal", "unknown_household", "unknown_other", "ineligible")


def _tallies(session: Session, wave: Wave, counted: dict | None) -> dict[tuple[str, str], int]:
    """The wave's tallies as given (one read serves a whole page), else read now."""
    return tallies.of_wave(session, wave.id) if counted is None else counted


def break_off_rule() -> BreakOff:
    """AAPOR's break-off thresholds of the instance configuration (AAPOR_COMPLETE_SHARE, AAPOR_PARTIAL_SHARE)."""
    from flask import current_app, has_app_context

    from analysis.aapor import BreakOff

    config = current_app.config if has_app_context() else {}
    return BreakOff(float(config.get("AAPOR_COMPLETE_SHARE", BreakOff.complete)),
                    float(config.get("AAPOR_PARTIAL_SHARE", BreakOff.partial)))


def classified(counted: dict[tuple[str, str], int], rule: BreakOff) -> dict[tuple[str, str], int]:
    """The tallies with each progress:PERCENT counter (started, not submitted) added to its AAPOR category."""
    from analysis.aapor import PROGRESS

    result: Counter = Counter()
    for (group, counter), n in counted.items():
        if counter.startswith(PROGRESS):
            result[group, rule.category(int(counter[len(PROGRESS):]))] += n
        else:
            result[group, counter] += n
    return dict(result)


def wave_status(session: Session, wave: Wave, groups: tuple[str, ...], populations: dict[str, int], *,
                counted: dict | None = None, rule: BreakOff | None = None) -> list[GroupStatus]:
    """One row per stakeholder group, then one for all groups together (from the tallies: a few rows).
    Started, unsubmitted invitations are complete, partial or break-offs by `rule` (default: the configuration's)."""
    counted = classified(_tallies(session, wave, counted), rule or break_off_rule())
    invited = {group for group, counter in counted if counter in CATEGORIES or counter == "open_link"}
    rows = [_row(group, Counter({c: counted.get((group, c), 0) for c in CATEGORIES}),
                 counted.get((group, "started"), 0), counted.get((group, "responses"), 0), populations.get(group),
                 Counter(started=counted.get((group, "open_started"), 0),
                         completed=counted.get((group, "open_completed"), 0)))
            for group in [*groups, *sorted(invited - set(groups))]]
    total = Counter({c: sum(n for (_, counter), n in counted.items() if counter == c) for c in CATEGORIES})
    population = sum(populations.values()) if populations else None
    stored = sum(n for (_, counter), n in counted.items() if counter == "responses")
    rows.append(_row("all", total, sum(row.started for row in rows), stored, population,
                     Counter(started=sum(row.open_started for row in rows),
                             completed=sum(row.open_completed for row in rows))))
    return rows


def invitation_count(session: Session, wave: Wave, group: str | None = None) -> int:
    """How many invitations the wave has (of one group): each is in one category, or made by the open link."""
    from analysis.aapor import PROGRESS

    return sum(n for (of_group, counter), n in tallies.of_wave(session, wave.id).items()
               if (counter in CATEGORIES or counter == "open_link" or counter.startswith(PROGRESS))
               and group in (None, of_group))


def _row(group, counter: Counter, started: int, stored: int, population, open_link: Counter) -> GroupStatus:
    from analysis.aapor import Dispositions, rates

    dispositions = Dispositions(**{key: counter.get(key, 0) for key in (
        "complete", "partial", "refusal", "unknown_household", "unknown_other", "ineligible")})
    return GroupStatus(group, dispositions.invited, started, dispositions.partial, dispositions.complete, stored,
                       population, dispositions, rates(dispositions), open_link["started"],
                       open_link["completed"])


def completions_by_day(session: Session, wave: Wave, *, counted: dict | None = None) \
        -> dict[str, list[tuple[date, int]]]:
    """Completed invitations per day, by stakeholder group."""
    days: dict[str, list[tuple[date, int]]] = {}
    for (group, counter), count in sorted(_tallies(session, wave, counted).items(), key=lambda item: item[0][1]):
        if counter.startswith("day:"):
            days.setdefault(group, []).append((date.fromisoformat(counter[4:]), count))
    return days


# Okabe–Ito: told apart by readers with colour blindness; dashes help in grey print.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4")


def _cumulative(days: list[tuple[date, int]], first: date, span: int) -> list[tuple[int, int]]:
    per_day, points, total = dict(days), [], 0
    for offset in range(span + 1):
        total += per_day.get(first + timedelta(days=offset), 0)
        points.append((offset, total))
    return points


def _in_order(by_group: dict[str, list[tuple[date, int]]], labels: dict[str, str]) -> dict:
    # The groups in the questionnaire's order (the order of `labels`), any others after them.
    order = [g for g in labels if g in by_group] + sorted(g for g in by_group if g not in labels)
    return {group: by_group[group] for group in order if by_group[group]}


def completions_legend(by_group: dict[str, list[tuple[date, int]]], labels: dict[str, str] | None = None) \
        -> list[tuple[str, str, str, int]]:
    """(label, colour, dashes, completions) of each line of completions_svg, for a legend in the page's own text."""
    labels = labels or {}
    return [(labels.get(group, group), PALETTE[n % len(PALETTE)], DASHES[n % len(DASHES)],
             sum(count for _, count in days)) for n, (group, days) in enumerate(_in_order(by_group, labels).items())]


def completions_svg(by_group: dict[str, list[tuple[date, int]]], labels: dict[str, str] | None = None,
                    width: int = 640, height: int = 220, *, legend: bool = True) -> str:
    """Cumulative completions per day, one line per stakeholder group, as SVG (no script, no style attribute).

    legend=False leaves the legend to the page (completions_legend), where it keeps its size on a phone.
    """
    labels = labels or {}
    by_group = _in_order(by_group, labels)
    if not by_group:
        return ""
    every_day = [day for days in by_group.values() for day, _ in days]
    first, last = min(every_day), max(every_day)
    span = max(1, (last - first).days)
    lines = {group: _cumulative(days, first, span) for group, days in by_group.items()}
    top_value = max(points[-1][1] for points in lines.values())
    total = sum(points[-1][1] for points in lines.values())
    legend_rows = len(lines) if legend else 0
    left, right, top, bottom = 48, 16, 16, 40 + 18 * legend_rows
    full = height + 18 * legend_rows

    def x(offset: int) -> float:
        return left + (width - left - right) * offset / span

    def y(value: int) -> float:
        return top + (full - top - bottom) * (1 - value / max(1, top_value))

    label = f"Completed responses by day and group: {total} from {first.isoformat()} to {last.isoformat()}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {full}" role="img" '
        f'aria-label="{escape(label)}" class="chart">', f"<title>{escape(label)}</title>",
        f'<line x1="{left}" y1="{full - bottom}" x2="{width - right}" y2="{full - bottom}" stroke="#4a4a4a"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{full - bottom}" stroke="#4a4a4a"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="14" fill="#1b1b1b">{top_value}</text>',
        f'<text x="{left - 6}" y="{full - bottom}" text-anchor="end" font-size="14" fill="#1b1b1b">0</text>',
        f'<text x="{left}" y="{full - bottom + 18}" font-size="14" fill="#1b1b1b">{first.isoformat()}</text>',
        f'<text x="{width - right}" y="{full - bottom + 18}" text-anchor="end" font-size="14" fill="#1b1b1b">'
        f"{last.isoformat()}</text>",
    ]
    for number, (group, points) in enumerate(lines.items()):
        colour, dash = PALETTE[number % len(PALETTE)], DASHES[number % len(DASHES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        line = " ".join(f"{x(o):.1f},{y(v):.1f}" for o, v in points)
        name = escape(f"{labels.get(group, group)}: {points[-1][1]}")
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2.5"{dashes}>'
                     f"<title>{name}</title></polyline>")
        if not legend:
            continue
        legend_y = full - bottom + 36 + 18 * number
        parts.append(f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 28}" y2="{legend_y - 4}" stroke="{colour}" '
                     f'stroke-width="2.5"{dashes}/>')
        parts.append(f'<text x="{left + 36}" y="{legend_y}" font-size="12" fill="#1b1b1b">{name}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def wave_summary(session: Session, wave: Wave) -> list[str]:
    """A wave as lines of text: settings, counts and rates by group, imports (for `awareness wave show`)."""
    from ..responses.queries import imports_of
    from ..waves import queries
    from ..waves.queries import stored_population

    questionnaire = queries.questionnaire_of(wave.edition)
    sizes = stored_population(session, wave)
    lines = [f"wave {wave.slug}: {wave.status}, {wave.mode}, {wave.edition.questionnaire_id} "
             f"{wave.edition.version} (edition {wave.edition_id})"
             + (f", baseline {wave.baseline.slug}" if wave.baseline else ", no baseline")
             + (f", open link /w/{wave.slug}" if wave.open_link else ""), ""]
    header = ("group", "population", "invited", "started", "partial", "completed", "responses", "RR1", "RR2",
              "COOP1")
    rows = [header] + [(row.group, "" if row.population is None else str(row.population), str(row.invited),
                        str(row.started), str(row.partial), str(row.completed), str(row.responses),
                        _percent(row.rates.rr1), _percent(row.rates.rr2), _percent(row.rates.coop1))
                       for row in wave_status(session, wave, questionnaire.group_codes, sizes)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines += ["  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width)
                        in enumerate(zip(row, widths, strict=True))) for row in rows]
    records = imports_of(session, wave)
    lines += ["", "imports:" if records else "imports: none"]
    lines += [f"  {r.id}: {r.filename}, {r.rows} {'rows of counts' if r.kind == 'counts' else 'responses'}, "
              f"{r.imported_at:%Y-%m-%d %H:%M} UTC by {r.imported_by or 'unknown'}, sha256 {r.sha256}"
              for r in records]
    mail = mail_lines(session, wave)
    lines += ["", f"e-mail ({MAIL_COUNTED}):" if mail else "e-mail: none sent", *("  " + line for line in mail)]
    return lines


MAIL_COUNTED = "by stakeholder group; awareness mail status says what each count is"
# What each count of `awareness mail status` is: the command prints this above the table (docs/mail.md, Counts).
MAIL_LEGEND = (
    "Messages:",
    "  queued: waiting to be sent, or being handed to the mail server now",
    "  invitations sent, reminders sent: accepted by the mail server, including any that bounced later",
    "  failed: refused by the mail server, or not handed over; mail send --retry-failed sends them again",
    "  unconfirmed: a sending run stopped while handing them over; never sent again automatically",
    "Contacts, each counted once however many messages they were sent:",
    "  bounced: a delivery report came back for a message to them (mail bounces)",
    "  opted out: they confirmed the opt-out link in a message",
)
MAIL_COLUMNS = {"group": "group", "queued": "queued", "invitations_sent": "invitations sent",
                "reminders_sent": "reminders sent", "failed": "failed", "unconfirmed": "unconfirmed",
                "bounced": "bounced", "opted_out": "opted out"}
MAIL_SPANS = (("messages", "queued", "unconfirmed"), ("contacts", "bounced", "opted_out"))  # headings over columns


def mail_lines(session: Session, wave: Wave) -> list[str]:
    """The e-mail counts by group as aligned text lines, under a line that spans the columns counting messages
    and those counting contacts (none when the wave sent no e-mail)."""
    rows = mail_counts(session, wave)
    if not rows:
        return []
    table = [list(MAIL_COLUMNS.values())] + [[str(getattr(row, c)) for c in MAIL_COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(MAIL_COLUMNS))]
    starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
    spans = " " * starts[1]
    for name, first, last in MAIL_SPANS:
        first, last = list(MAIL_COLUMNS).index(first), list(MAIL_COLUMNS).index(last)
        spans = spans.ljust(starts[first]) + f"{name} ".ljust(starts[last] + widths[last] - starts[first], "-")
    return [spans] + ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                      for line in table]


@dataclass(frozen=True)
class MailCounts:
    """E-mail of one stakeholder group: messages by outcome, and contacts who bounced or opted out."""

    group: str
    queued: int = 0  # waiting, or being handed over
    invitations_sent: int = 0
    reminders_sent: int = 0
    failed: int = 0
    unconfirmed: int = 0
    bounced: int = 0  # contacts
    opted_out: int = 0  # contacts


def mail_counts(session: Session, wave: Wave, *, counted: dict | None = None) -> list[MailCounts]:
    """One row per group that has e-mail, in the questionnaire's order of groups, then "all"; empty when the
    wave has sent no e-mail."""
    from ..waves.queries import questionnaire_of

    counts: dict[str, Counter] = {}
    for (group, counter), count in _tallies(session, wave, counted).items():
        if counter.startswith("mail:"):
            counts.setdefault(group, Counter())[counter[5:]] += count
    if not counts:
        return []
    order = {code: n for n, code in enumerate(questionnaire_of(wave.edition).group_codes)}
    rows = [MailCounts(group, **counts[group]) for group in sorted(counts, key=lambda g: (order.get(g, len(order)), g))]
    return rows + [MailCounts("all", **sum(counts.values(), Counter()))]
