"""The monitoring tallies kept by triggers equal a count of the tables, whatever happens in whatever order."""

import itertools
import threading

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import delete, inspect, text, update

import questionnaires
from survey import db
from survey.db import OperationError, now
from survey.invitations.operations import Contact, create_invitations
from survey.mail.operations import mark_bounced
from survey.models import (
    DISPOSITIONS,
    OUTBOX_STATUSES,
    Invitation,
    MailOptOut,
    OutboxMessage,
    Response,
    Wave,
    WaveTally,
)
from survey.monitoring import queries as monitoring
from survey.monitoring import tallies
from survey.responses import operations
from survey.responses.queries import draft_of
from survey.waves.operations import create_wave, set_status, store_edition

from ..conftest import TWO_PAGES
from .oracle import counted

GROUPS = ("government", "workers", "other")
slugs = itertools.count()


def _kept(session, wave) -> dict:
    """The counts the monitoring reads."""
    return tallies.of_wave(session, wave.id)


def _machine(app):
    # Parsed once, not once per example: the examples differ in what happens to the wave, not in its
    # questionnaire (its edition is stored by the first and found by the others).
    questionnaire = questionnaires.load(TWO_PAGES)

    class Tallies(RuleBasedStateMachine):
        """Respondents, researchers and the mail run acting on one wave in any order."""

        @initialize(mode=st.sampled_from(["anonymous", "panel"]),
                    groups=st.lists(st.sampled_from(GROUPS), min_size=2, max_size=6))
        def new_wave(self, mode, groups):
            self.session = db.session()
            edition = store_edition(self.session, questionnaire)
            self.wave = create_wave(self.session, f"w{next(slugs)}", edition, status="open", mode=mode)
            self.invitations: list[int] = []
            self.messages: list[int] = []
            self.invite(groups, open_link=False)

        def _invitation(self, k: int) -> Invitation | None:
            return self.session.get(Invitation, self.invitations[k % len(self.invitations)]) \
                if self.invitations else None

        @rule(groups=st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4), open_link=st.booleans())
        def invite(self, groups, open_link):
            made = create_invitations(self.session, self.wave, [Contact(group=g) for g in groups],
                                                 via_open_link=open_link)
            self.session.commit()
            self.invitations += [invitation.id for invitation, _token in made]

        @rule(k=st.integers(0, 50), stage=st.sampled_from(("consent", "blank", "answer", "submit")))
        def respond(self, k, stage):
            """A respondent goes as far as `stage`: consents, saves a page (with or without an answer), submits."""
            invitation = self._invitation(k)
            if invitation.completed or self.wave.status != "open":
                return
            draft = operations.record_consent(self.session, invitation, "en")
            if stage in ("blank", "answer"):
                operations.save_draft(self.session, draft, 1, {"heard": "yes" if stage == "answer" else ""}, "en")
            if stage == "submit":
                operations.submit_response(self.session, invitation, {"heard": "no"}, "en", "secret")

        @rule(k=st.integers(0, 50), disposition=st.sampled_from(DISPOSITIONS))
        def dispose(self, k, disposition):
            invitation = self._invitation(k)
            if invitation is not None and not invitation.completed:
                invitation.disposition = disposition
                self.session.commit()

        @rule(disposition=st.sampled_from(("refused", "undeliverable", "invited")))
        def dispose_all(self, disposition):  # one statement changing many rows
            self.session.execute(update(Invitation).where(Invitation.wave_id == self.wave.id,
                                                          Invitation.completed.is_(False))
                                 .values(disposition=disposition))
            self.session.commit()

        @rule(status=st.sampled_from(("open", "closed")))
        def set_status(self, status):
            try:
                set_status(self.session, self.wave, status)
            except OperationError:
                self.session.rollback()

        @rule(groups=st.lists(st.sampled_from(GROUPS[:2]), min_size=1, max_size=5))
        def import_responses(self, groups):
            operations.store_responses(self.session, self.wave, [{"group": g, "heard": "yes"} for g in groups])

        @rule(group=st.sampled_from(GROUPS))
        def delete_responses(self, group):
            self.session.execute(delete(Response).where(Response.wave_id == self.wave.id, Response.group_code == group))
            self.session.commit()

        @rule(k=st.integers(0, 50), kind=st.sampled_from(("invitation", "reminder")))
        def queue(self, k, kind):
            invitation = self._invitation(k)
            if invitation is not None:
                message = OutboxMessage(invitation_id=invitation.id, kind=kind, language="en", queued_at=now())
                self.session.add(message)
                self.session.commit()
                self.messages.append(message.id)

        @rule(m=st.integers(0, 50), status=st.sampled_from(OUTBOX_STATUSES))
        def mail_outcome(self, m, status):
            if self.messages:
                self.session.execute(update(OutboxMessage).where(OutboxMessage.id == self.messages[m % len(
                    self.messages)]).values(status=status))
                self.session.commit()

        @rule(m=st.integers(0, 50))
        def bounce(self, m):
            if self.messages:
                mark_bounced(self.session.get(OutboxMessage, self.messages[m % len(self.messages)]))
                self.session.commit()

        @rule()
        def bounce_all(self):  # several messages of one contact in one transaction
            for message_id in self.messages:
                mark_bounced(self.session.get(OutboxMessage, message_id))
            self.session.commit()

        @rule(m=st.integers(0, 50))
        def delete_message(self, m):  # the platform deletes none; the trigger is there all the same
            unbounced = [i for i in self.messages if self.session.get(OutboxMessage, i).bounced_at is None]
            if unbounced:
                gone = unbounced[m % len(unbounced)]
                self.messages.remove(gone)
                self.session.execute(delete(OutboxMessage).where(OutboxMessage.id == gone))
                self.session.commit()

        @rule(k=st.integers(0, 50), back=st.booleans())
        def opt_out(self, k, back):
            invitation = self._invitation(k)
            if invitation is None:
                return
            if back:
                self.session.execute(delete(MailOptOut).where(MailOptOut.invitation_id == invitation.id))
                self.session.commit()
            else:
                from survey.mail.operations import record_opt_out

                record_opt_out(self.session, invitation)

        @invariant()
        def tallies_equal_a_count(self):
            if hasattr(self, "wave"):
                assert _kept(self.session, self.wave) == counted(self.session, self.wave.id)

        def teardown(self):
            if hasattr(self, "session"):
                self.session.close()

    return Tallies


def test_tallies_equal_a_count_after_any_sequence(app, database_url):
    with app.app_context():
        run_state_machine_as_test(_machine(app), settings=settings(
            max_examples=50, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)))
        with db.engine().begin() as connection:
            assert tallies.recount(connection) == 0  # the whole database, every wave


def test_every_trigger_is_there_after_the_migrations(app, database_url):
    with app.app_context(), db.engine().connect() as connection:
        if connection.dialect.name == "sqlite":
            names = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        else:
            names = connection.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars()
        assert set(tallies.trigger_names()) <= set(names)
        assert "wave_tallies" in inspect(connection).get_table_names()


def test_recount_repairs_and_reports_wrong_tallies(app, database_url, runner):
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2018", store_edition(session, questionnaires.load(
            TWO_PAGES)), status="open")
        create_invitations(session, wave, [Contact(group="workers")] * 3)
        session.commit()
        session.execute(update(WaveTally).values(n=WaveTally.n + 5))
        session.execute(text("DELETE FROM wave_tallies WHERE counter = 'unknown_household'"))
        session.execute(text("INSERT INTO wave_tallies VALUES (:wave, 'workers', 'complete', 2)"), {"wave": wave.id})
        session.commit()
        result = runner.invoke(args=["db", "recount"])
        assert result.exit_code == 0, result.output
        assert "2 counters were wrong" in result.output
        assert tallies.of_wave(session, wave.id) == counted(session, wave.id) == {("workers", "unknown_household"): 3}
        assert "0 counters were wrong" in runner.invoke(args=["db", "recount"]).output


def _wave_with(session, contacts: list) -> tuple:
    """An open wave of the two-page questionnaire with these invitations; (wave, invitation ids)."""
    wave = create_wave(session, "2018", store_edition(session, questionnaires.load(
        TWO_PAGES)), status="open")
    made = [invitation.id for invitation, _ in create_invitations(session, wave, contacts)]
    session.commit()
    return wave, made


def _at_once(*threads) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_respondents_at_once_keep_the_tallies_right(app, database_url):
    """Respondents of one group consent, answer and submit at the same time: no deadlock, nothing miscounted."""
    with app.app_context():
        session = db.session()
        wave, made = _wave_with(session, [Contact(group="workers")] * 24)
        failures = []

        def respond(ids):
            for invitation_id in ids:
                with app.app_context():  # a session per respondent, as a request has
                    mine = db.session()
                    try:
                        invitation = mine.get(Invitation, invitation_id)
                        draft = operations.record_consent(mine, invitation, "en")
                        operations.save_draft(mine, draft, 1, {"heard": "yes"}, "en")
                        operations.submit_response(mine, invitation, {"heard": "yes"}, "en", "secret")
                    except Exception as error:  # noqa: BLE001 - reported by the assertion below
                        failures.append(repr(error))

        _at_once(*(threading.Thread(target=respond, args=(made[i::6],)) for i in range(6)))
        assert failures == []
        session.expire_all()
        assert _kept(session, wave) == counted(session, wave.id)
        status = {row.group: row for row in monitoring.wave_status(session, wave, ("workers",), {})}
        assert status["workers"].completed == status["workers"].responses == 24


def test_the_migration_counts_the_waves_already_there(app, database_url):
    """A database from before the tallies (here: downgraded to it) gets them counted, its partials included."""
    with app.app_context():
        session = db.session()
        wave = create_wave(session, "2018", store_edition(session, questionnaires.load(
            TWO_PAGES)), status="open")
        done, partial, broke_off, _never = [inv for inv, _ in create_invitations(
            session, wave, [Contact(group="workers")] * 3 + [Contact(group="government")])]
        session.commit()
        for invitation in (done, partial, broke_off):
            operations.record_consent(session, invitation, "en")
        operations.save_draft(session, draft_of(session, partial), 1, {"heard": "yes"}, "en")
        operations.submit_response(session, done, {"heard": "yes"}, "en", "secret")
        message = OutboxMessage(invitation_id=_never.id, kind="invitation", language="en", status="sent",
                                queued_at=now())
        session.add(message)
        session.flush()
        mark_bounced(message)
        session.commit()
        wave_id = wave.id
    db.downgrade(app, "0008")
    with app.app_context(), db.engine().connect() as connection:
        assert "wave_tallies" not in inspect(connection).get_table_names()
        assert "answered" not in {c["name"] for c in inspect(connection).get_columns("invitations")}
    db.upgrade(app)
    with app.app_context():
        session = db.session()
        assert _kept(session, session.get(Wave, wave_id)) == counted(session, wave_id)
        # One of six applicable questions answered: 16 %, by AAPOR's rule a break-off when read (0012's progress)
        assert counted(session, wave_id)[("workers", "progress:16")] == 1
        assert counted(session, wave_id)[("government", "mail:bounced")] == 1


def test_researchers_and_respondents_at_once_keep_the_tallies_right(app, database_url):
    """A researcher's bulk dispositions, held open a moment, while respondents answer the same invitations:
    each tally change is read from the changed row, so neither transaction counts from a state the other
    is changing (on PostgreSQL they do not see each other's uncommitted rows)."""
    import time

    with app.app_context():
        session = db.session()
        wave, made = _wave_with(session, [Contact(group="workers")] * 16)
        for invitation_id in made:
            operations.record_consent(session, session.get(Invitation, invitation_id), "en")
        failures = []

        def answer():
            for invitation_id in made:
                with app.app_context():
                    mine = db.session()
                    try:
                        draft = draft_of(mine, mine.get(Invitation, invitation_id))
                        operations.save_draft(mine, draft, 1, {"heard": "yes"}, "en")
                    except Exception as error:  # noqa: BLE001 - reported by the assertion below
                        failures.append(repr(error))

        def dispose():
            with app.app_context():
                mine = db.session()
                for disposition in ("refused", "started") * 4:
                    mine.execute(update(Invitation).where(Invitation.wave_id == wave.id, Invitation.completed.is_(
                        False)).values(disposition=disposition))
                    time.sleep(0.05)  # the rows stay locked, the change uncommitted, while respondents answer
                    mine.commit()

        _at_once(threading.Thread(target=answer), threading.Thread(target=dispose))
        assert failures == []
        session.expire_all()
        assert _kept(session, wave) == counted(session, wave.id)
        assert counted(session, wave.id) == {("workers", "progress:16"): 16, ("workers", "started"): 16}
