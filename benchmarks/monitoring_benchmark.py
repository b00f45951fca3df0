"""A wave's console page with N invitations in every state, timed in-process; run by scale_benchmark.py.

    AWARENESS_INSTANCE_PATH=... [AWARENESS_DATABASE_URL=...] python benchmarks/monitoring_benchmark.py N

The instance must hold a wave `cur` (scale_benchmark.Instance makes it). Prints one line:
seconds to invite N contacts with the tally triggers, the same without them (the write cost of the
tallies), the monitoring counts (status, completions by day, e-mail), the whole page, the last page of
invitations and a search of them by contact (best of 5 each).
"""

from __future__ import annotations

import random
import re
import sys
import time
from datetime import date, datetime, timedelta

from sqlalchemy import text
from werkzeug.security import generate_password_hash

from survey import create_app, db
from survey.accounts.operations import create_user
from survey.invitations.operations import Contact, create_invitations
from survey.monitoring import queries as monitoring
from survey.monitoring import tallies
from survey.waves import queries

PASSWORD = "benchmark-password-1"  # noqa: S105 - a throwaway account in a throwaway instance


def _invite(session, wave, groups: tuple[str, ...], count: int) -> float:
    rng = random.Random(count)
    contacts = [Contact(group=rng.choice(groups), email=f"c{i}@example.org") for i in range(count)]
    start = time.perf_counter()
    create_invitations(session, wave, contacts)
    session.commit()
    return time.perf_counter() - start


def _every_state(session, wave) -> None:
    """About a third consented, half of those answered something, a third of all completed over 30 days; one
    e-mail per invitation, sent, a few bounced, failed or opted out. Written in bulk, through the triggers."""
    first = date(2026, 10, 1)
    ids = f"SELECT id FROM invitations WHERE wave_id = {int(wave.id)}"
    statements = [
        f"UPDATE invitations SET consented_at = :moment, disposition = 'started' WHERE id % 3 = 0 AND id IN ({ids})",
        f"INSERT INTO drafts (invitation_id, page, answers, answered, updated_at) SELECT id, 1, '{{}}', "
        f"id % 2 = 0, :moment FROM invitations WHERE id % 3 = 0 AND wave_id = {int(wave.id)}",
        f"UPDATE invitations SET answered = true WHERE id % 6 = 0 AND id IN ({ids})",  # as save_draft does
        f"UPDATE invitations SET disposition = 'refused' WHERE id % 17 = 1 AND id IN ({ids})",
        f"INSERT INTO mail_outbox (invitation_id, kind, language, status, replaces_link, attempts, queued_at, "
        f"bounced_at) SELECT id, 'invitation', 'en', CASE WHEN id % 50 = 0 THEN 'failed' ELSE 'sent' END, false, 1, "
        f":moment, CASE WHEN id % 40 = 0 THEN :moment END FROM invitations WHERE wave_id = {int(wave.id)}",
        f"UPDATE invitations SET bounced = true WHERE id % 40 = 0 AND id IN ({ids})",  # as mark_bounced does
        f"INSERT INTO mail_opt_outs (invitation_id, at) SELECT id, :moment FROM invitations "
        f"WHERE id % 97 = 0 AND wave_id = {int(wave.id)}",
    ]
    for statement in statements:
        session.execute(text(statement), {"moment": datetime(2026, 10, 1)})
    for day in range(30):  # completions spread over a month of fieldwork
        session.execute(text(f"UPDATE invitations SET completed = true, disposition = 'completed', "
                             f"completed_on = :day WHERE id % 90 = {3 * day} AND id IN ({ids})"),
                        {"day": first + timedelta(days=day)})
    session.commit()
    if session.bind.dialect.name == "postgresql":
        session.execute(text("ANALYZE"))  # what autovacuum does after a bulk write, within a minute
        session.commit()


def _best(work, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(count: int) -> None:
    app = create_app()
    with app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "cur")
        groups = queries.questionnaire_of(wave.edition).group_codes
        with db.engine().begin() as connection:
            tallies.drop(connection)
        untallied = _invite(session, wave, groups, count)
        session.execute(text(f"DELETE FROM invitations WHERE wave_id = {int(wave.id)}"))
        session.commit()
        with db.engine().begin() as connection:
            tallies.install(connection)
        tallied = _invite(session, wave, groups, count)
        _every_state(session, wave)
        create_user(session, "bench@example.org", generate_password_hash(PASSWORD))

        def counts():
            monitoring.wave_status(session, wave, groups, {})
            monitoring.completions_by_day(session, wave)
            monitoring.mail_counts(session, wave)

        counts_seconds = _best(counts)
    client = app.test_client()
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', client.get("/admin/login").text)[1]
    client.post("/admin/login", data={"email": "bench@example.org", "password": PASSWORD, "csrf_token": token})
    assert client.get("/admin/waves/cur").status_code == 200  # noqa: S101 - a benchmark of a page that works

    page_seconds = _best(lambda: client.get("/admin/waves/cur"))
    # The last page of invitations (the deepest offset), and the first page of a search by e-mail.
    last_page = _best(lambda: client.get(f"/admin/waves/cur/invitations?page={count // 100}"))
    search = _best(lambda: client.get("/admin/waves/cur/invitations?contact=c7@"))
    print(f"{tallied:.3f} {untallied:.3f} {counts_seconds:.4f} {page_seconds:.4f} {last_page:.4f} {search:.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
