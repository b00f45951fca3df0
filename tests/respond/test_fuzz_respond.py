"""A bounded Hypothesis stateful fuzz of the respondent's POST handlers (welcome, pages, review).

Whatever a client posts, in whatever order: no 5xx, the draft stays a dict of the questionnaire's
own item ids, at most one response per invitation, and a stored response passes every check.
"""

import json

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select

import questionnaires
from questionnaires.answers import check_all
from survey import db
from survey.invitations.operations import Contact, create_invitations
from survey.models import Draft, Invitation, Response
from survey.waves import queries
from survey.waves.operations import create_wave, store_edition

from ..conftest import CSRF, TWO_PAGES

QUESTIONNAIRE = questionnaires.load(TWO_PAGES)
ITEM_IDS = [item.id for item in QUESTIONNAIRE.answerable_items]
VALUES = st.one_of(st.sampled_from(["yes", "no", "dk", "gov", "dev", "p1", "p2", "0", "3", "7", "10", "11", "-1",
                                    "1e3", "2.5", " 4 ", "", "gov gov", "１"]),
                   st.text(max_size=40))
FORM = st.dictionaries(st.sampled_from([*ITEM_IDS, "junk", "action"]), st.lists(VALUES, max_size=3), max_size=6)


def _machine(app):
    class RespondentPosts(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            with app.app_context():
                session = db.session()
                wave = queries.wave_by_slug(session, "fuzz")
                ((invitation, token),) = create_invitations(session, wave,
                                                                       [Contact(group="workers")])
                session.commit()
                self.invitation_id = invitation.id
            self.client = app.test_client()
            self.link = f"/s/{token}"
            self.csrf = CSRF.search(self.client.get(self.link).get_data(as_text=True)).group(1)
            self.statuses = []

        def _post(self, path, form):
            response = self.client.post(path, data={**form, "csrf_token": self.csrf})
            self.statuses.append((path, response.status_code))

        @rule(agree=st.sampled_from(["yes", "no", "", "YES"]), lang=st.sampled_from(["en", "km", "xx"]))
        def consent(self, agree, lang):
            self._post(f"{self.link}?lang={lang}", {"consent": agree})

        @rule(page=st.integers(-1, 5), action=st.sampled_from(["next", "back", "", "submit"]), form=FORM)
        def post_page(self, page, action, form):
            self._post(f"{self.link}/{page}", {**form, "action": action} if action else form)

        @rule(comments=st.text(max_size=40))
        def answer_validly(self, comments):
            # So that the machine also reaches the review and the submit, not only refusals.
            self._post(self.link, {"consent": "yes"})
            self._post(f"{self.link}/1", {"heard": "no", "action": "next"})
            self._post(f"{self.link}/2", {"trainings": "3", "comments": comments, "action": "next"})

        @rule()
        def submit(self):
            self._post(f"{self.link}/review", {})

        @rule(page=st.sampled_from(["", "/1", "/2", "/3", "/review", "/done"]), lang=st.sampled_from(["en", "km"]))
        def look(self, page, lang):
            self.statuses.append((page, self.client.get(f"{self.link}{page}?lang={lang}").status_code))

        @invariant()
        def no_server_error(self):
            assert all(status < 500 for _path, status in self.statuses), self.statuses

        @invariant()
        def stored_state_is_sound(self):
            with app.app_context():
                session = db.session()
                draft = session.scalar(select(Draft).where(Draft.invitation_id == self.invitation_id))
                invitation = session.get(Invitation, self.invitation_id)
                responses = session.scalars(select(Response)).all()
                if draft is not None:
                    answers = json.loads(draft.answers)
                    assert isinstance(answers, dict) and set(answers) <= set(ITEM_IDS)
                    assert all(isinstance(value, str) for value in answers.values())
                completed = session.scalar(select(func.count()).where(Invitation.completed.is_(True)))
                assert len(responses) == completed
                if invitation.completed:
                    assert draft is None
                for response in responses:
                    texts = {answer.item_id: answer.value for answer in response.answers}
                    assert check_all(QUESTIONNAIRE, texts).errors == {}

    return RespondentPosts


def test_fuzz_the_respondent_post_handlers(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("bounded fuzz on SQLite; the handlers are the same on PostgreSQL")
    with app.app_context():
        session = db.session()
        create_wave(session, "fuzz", store_edition(session, QUESTIONNAIRE), status="open")
        session.commit()
    run_state_machine_as_test(_machine(app), settings=settings(
        max_examples=10, stateful_step_count=15, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
