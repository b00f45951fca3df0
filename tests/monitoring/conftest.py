"""What the monitoring's tests share: an open wave of the two-page questionnaire with invitations of their own
(the top conftest's `make_wave` gives only the links; these tests set each invitation's disposition)."""

import pytest

import questionnaires
from survey.invitations.operations import Contact, create_invitations
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES


@pytest.fixture
def invited_wave(app, database_url):
    """`invited_wave(session, groups)`, in the app's context: wave 2018 of two-pages.yaml, open, with one
    invitation per group named (not committed: the caller's first write commits them); returns the
    questionnaire, the wave and the invitations in that order."""

    def make(session, groups: list[str]):
        questionnaire = questionnaires.load(TWO_PAGES)
        wave = create_wave(session, "2018", store_edition(session, questionnaire), status="open")
        made = [invitation for invitation, _token in
                create_invitations(session, wave, [Contact(group=group) for group in groups])]
        return questionnaire, wave, made

    return make
