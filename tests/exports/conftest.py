"""Fixtures of the export tests: a closed wave with responses stored, and the frame the exports are written from."""

import pytest

import questionnaires
from survey import db
from survey.responses import operations
from survey.responses.queries import wave_frame
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES


@pytest.fixture
def stored_wave(app, database_url):
    """stored_wave(rows, definition=TWO_PAGES, slug="2018") -> (questionnaire, frame): a closed wave of the
    questionnaire (a path, or YAML text) holding `rows` as responses, and the frame every export is written from."""

    def store(rows, definition=TWO_PAGES, slug="2018"):
        with app.app_context():
            session = db.session()
            questionnaire = (questionnaires.loads(definition) if isinstance(definition, str)
                             else questionnaires.load(definition))
            edition = store_edition(session, questionnaire)
            wave = create_wave(session, slug, edition, status="closed")
            operations.store_responses(session, wave, rows)
            return questionnaire, wave_frame(session, wave)

    return store
