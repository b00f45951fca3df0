"""The monitoring counted from the tables themselves (the implementation before tallies): the tests' oracle."""

from collections import Counter

from sqlalchemy import Boolean, Date, Integer, String, bindparam, cast, func, literal, null, select, union_all

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


def _nothing(type_):
    return cast(null(), type_)  # typed: PostgreSQL's UNION matches each column's type


WAVE = bindparam("wave_id", type_=Integer)
# Invitations by every property a counter depends on (a GROUP BY over every row); stored responses, messages and
# opt-outs with their invitation's group. One statement, built once: the state machine of test_tallies reads it
# after each of its 1,500 steps, and one round trip costs the database and the client less than four.
_INVITATION = (Invitation.completed, Invitation.disposition, Invitation.consented_at.is_not(None), Invitation.progress,
               Invitation.via_open_link, Invitation.completed_on)
_NO_INVITATION = (_nothing(Boolean), _nothing(String), _nothing(Boolean), _nothing(Integer), _nothing(Boolean),
                  _nothing(Date))
_NO_MESSAGE = (_nothing(Integer), _nothing(String), _nothing(String), _nothing(Boolean))
ROWS = union_all(
    select(literal("invitations"), Invitation.group_code, func.count(), *_INVITATION, *_NO_MESSAGE)
    .where(Invitation.wave_id == WAVE).group_by(Invitation.group_code, *_INVITATION),
    select(literal("responses"), Response.group_code, func.count(), *_NO_INVITATION, *_NO_MESSAGE)
    .where(Response.wave_id == WAVE).group_by(Response.group_code),
    select(literal("messages"), Invitation.group_code, literal(1), *_NO_INVITATION,
           Invitation.id, OutboxMessage.kind, OutboxMessage.status, OutboxMessage.bounced_at.is_not(None))
    .join(OutboxMessage.invitation).where(Invitation.wave_id == WAVE),
    select(literal("opted_out"), Invitation.group_code, literal(1), *_NO_INVITATION, *_NO_MESSAGE)
    .join(MailOptOut, MailOptOut.invitation_id == Invitation.id).where(Invitation.wave_id == WAVE))


def counted(session, wave_id: int) -> dict[tuple[str, str], int]:
    """(group, counter) -> count, as survey.tallies keeps them, counted over every row."""
    counts: Counter = Counter()
    bounced = set()
    for (table, group, n, completed, disposition, consented, percent, open_link, day,
         invitation, kind, status, has_bounced) in session.execute(ROWS, {"wave_id": wave_id}):
        if table == "invitations":
            if open_link:
                counts[group, "open_link"] += n
                counts[group, "open_started"] += n if consented else 0
                counts[group, "open_completed"] += n if completed else 0
            else:
                counts[group, _category(completed, disposition, consented, percent)] += n
                counts[group, "started"] += n if consented else 0
            if day is not None:
                counts[group, f"day:{day.isoformat()}"] += n
        elif table == "responses":
            counts[group, "responses"] += n
        elif table == "messages":
            key = {"sending": "queued", "sent": f"{kind}s_sent"}.get(status, status)
            counts[group, f"mail:{key}"] += 1
            if has_bounced and invitation not in bounced:
                bounced.add(invitation)
                counts[group, "mail:bounced"] += 1
        else:
            counts[group, "mail:opted_out"] += 1
    return {key: n for key, n in counts.items() if n}
