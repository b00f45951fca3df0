"""A wave's settings saved together (waves.operations.change_settings), or none of them when the mode change is
refused; and a wave created with commit=True is kept by the database, without it only in the caller's
transaction."""

import pytest

import questionnaires
from survey import db
from survey.db import OperationError
from survey.models import Invitation
from survey.waves import queries
from survey.waves.operations import change_settings, create_wave, store_edition

from ..conftest import TWO_PAGES


def _waves(app):
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        create_wave(session, "2017", edition, status="closed")
        create_wave(session, "2018", edition, status="open", commit=True)


def test_mode_baseline_and_open_link_are_saved_together(app, database_url):
    _waves(app)
    with app.app_context():
        session = db.session()
        wave, base = queries.wave_by_slug(session, "2018"), queries.wave_by_slug(session, "2017")
        change_settings(session, wave, mode="panel", baseline=base, open_link=True)
        session.close()
        wave = queries.wave_by_slug(db.session(), "2018")
        assert (wave.mode, wave.baseline.slug, wave.open_link) == ("panel", "2017", True)


def test_a_refused_mode_change_saves_nothing(app, database_url, make_wave):
    make_wave(slug="2019", contacts=None, count=1)
    _waves(app)
    with app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2019")
        session.query(Invitation).filter_by(wave_id=wave.id).update({"consented_at": db.now()})
        session.commit()
        with pytest.raises(OperationError, match="respondents have already consented"):
            change_settings(session, wave, mode="panel", baseline=queries.wave_by_slug(session, "2017"),
                            open_link=True)
        session.close()
        wave = queries.wave_by_slug(db.session(), "2019")
        assert (wave.mode, wave.baseline, wave.open_link) == ("anonymous", None, False)


def test_a_wave_is_committed_only_when_asked(app, database_url):
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(TWO_PAGES))
        create_wave(session, "kept", edition, commit=True)
        create_wave(session, "dropped", edition)
        session.rollback()
        assert queries.wave_by_slug(session, "kept") is not None
        assert queries.wave_by_slug(session, "dropped") is None
