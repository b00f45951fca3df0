"""A comparison's inputs from the database raise WaveNotFound or DatabaseUnavailable (never exit): the code
that finds the waves and reads them, as the command line and the console call it."""

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from survey import db
from survey.comparison.errors import ComparisonInputError, DatabaseUnavailable, WaveNotFound
from survey.comparison.queries import comparison_waves, ready_database, wave_named


def test_waves_found_by_name_or_not_found(app, waves):
    with app.app_context():
        session = db.session()
        assert [wave.slug for wave in comparison_waves(session, ["2018", "2017"])] == ["2018", "2017"]
        with pytest.raises(WaveNotFound) as raised:
            comparison_waves(session, ["2017", "nope"])
    error = raised.value
    assert (error.slug, error.known) == ("nope", ("2017", "2018"))
    assert str(error) == "no wave named 'nope' (waves: 2017, 2018)"
    assert isinstance(error, ComparisonInputError) and isinstance(error, LookupError)


def test_no_wave_yet(app, database_url):
    with app.app_context(), pytest.raises(WaveNotFound, match=r"no wave named '2018' \(waves: none yet\)"):
        wave_named(db.session(), "2018")


def test_a_database_out_of_reach_or_without_tables(tmp_path, empty_database_url):
    engine = create_engine("postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing")
    with Session(engine) as session, pytest.raises(DatabaseUnavailable) as raised:
        ready_database(session)
    assert str(raised.value) == ("cannot reach the database postgresql+psycopg://nobody:***@127.0.0.1:1/nothing: "
                                 "OperationalError; check AWARENESS_DATABASE_URL")
    assert raised.value.url == "postgresql+psycopg://nobody:***@127.0.0.1:1/nothing"  # never the password
    empty = create_engine(empty_database_url.replace("postgresql://", "postgresql+psycopg://"))
    with Session(empty) as session, pytest.raises(DatabaseUnavailable, match="is not set up: run `awareness db upgrade` first"):
        ready_database(session)
    empty.dispose()


def failing_read(*_args, **_kwargs):
    raise OperationalError("SELECT ...", {}, Exception("canceling statement due to statement timeout"))


def test_a_read_that_fails_is_database_unavailable(app, console, monkeypatch):
    """comparison_inputs and trend_inputs, as the console calls them: the database's reason, the session usable."""
    from survey.comparison.inputs import comparison_inputs
    from survey.comparison.trend_inputs import trend_inputs

    with app.app_context():
        session = db.session()
        baseline, current = comparison_waves(session, ["2017", "2018"])
        assert comparison_inputs(session, baseline, current)[0].questionnaire is not None  # reads as it is
        monkeypatch.setattr("survey.comparison.queries.stored_comparison", failing_read)
        with pytest.raises(DatabaseUnavailable, match="^cannot read the waves from the database: canceling "
                                                      "statement due to statement timeout$"):
            comparison_inputs(session, baseline, current)
        monkeypatch.setattr("survey.comparison.trend_inputs.stored_wave", failing_read)
        with pytest.raises(DatabaseUnavailable, match="statement timeout"):
            trend_inputs(session, [baseline, current])
        assert wave_named(session, "2018").slug == "2018"  # rolled back: the session goes on
