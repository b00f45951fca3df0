"""The monitoring counted from the tables themselves (the implementation before tallies): the tests' oracle."""

from collections import Counter

from sqlalchemy import func, select

from survey.models import Invitation, MailOptOut, OutboxMessage, Response


def _category(completed, disposition, consented, progress) -> str:
    if completed:
        return "complete"
    if disposition in ("refused", "ineligible"):
        return {"refused": "refusal", "ineligible": "ineligible"}[disposition]
    if disposition == "undeliverable":
        return "unknown_other"
    if consented:
        return f"progress:{progress}"  # classed complete, partial or break-off when read (AAPOR's rule)
    return "unknown_household"


def counted(session, wave_id: int) -> dict[tuple[str, str], int]:
    """(group, counter) -> count, as survey.tallies keeps them, by GROUP BY over every row."""
    counts: Counter = Counter()
    progress = Invitation.progress
    rows = session.execute(
        select(Invitation.group_code, Invitation.completed, Invitation.disposition,
               Invitation.consented_at.is_not(None), progress, Invitation.via_open_link, Invitation.completed_on,
               func.count())
        .where(Invitation.wave_id == wave_id)
        .group_by(Invitation.group_code, Invitation.completed, Invitation.disposition,
                  Invitation.consented_at.is_not(None), progress, Invitation.via_open_link,
                  Invitation.completed_on))
    for group, completed, disposition, consented, percent, open_link, day, n in rows:
        if open_link:
            counts[group, "open_link"] += n
            counts[group, "open_started"] += n if consented else 0
            counts[group, "open_completed"] += n if completed else 0
        else:
            counts[group, _category(completed, disposition, consented, percent)] += n
            counts[group, "started"] += n if consented else 0
        if day is not None:
            counts[group, f"day:{day.isoformat()}"] += n
    for group, n in session.execute(select(Response.group_code, func.count()).where(Response.wave_id == wave_id)
                                    .group_by(Response.group_code)):
        counts[group, "responses"] += n
    bounced = set()
    for group, invitation, kind, status, bounced_at in session.execute(
            select(Invitation.group_code, Invitation.id, OutboxMessage.kind, OutboxMessage.status,
                   OutboxMessage.bounced_at).join(OutboxMessage.invitation).where(Invitation.wave_id == wave_id)):
        key = {"sending": "queued", "sent": f"{kind}s_sent"}.get(status, status)
        counts[group, f"mail:{key}"] += 1
        if bounced_at is not None and invitation not in bounced:
            bounced.add(invitation)
            counts[group, "mail:bounced"] += 1
    for (group,) in session.execute(select(Invitation.group_code).join(MailOptOut, MailOptOut.invitation_id ==
                                                                        Invitation.id)
                                    .where(Invitation.wave_id == wave_id)):
        counts[group, "mail:opted_out"] += 1
    return {key: n for key, n in counts.items() if n}
