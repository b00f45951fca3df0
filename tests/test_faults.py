"""Issue 10, finding 12 and the error pages: a database that cannot be written, and 403/404/429/500/503."""

import pytest
from sqlalchemy import event, select

from survey import create_app, db
from survey.models import Completion, Draft, Invitation, Response

from .conftest import consent, csrf_token, post, stored

UNSAVED = "Your answers could not be saved yet"


def _read_only(app, database_url):
    """From now on the database refuses every write, as a read-only file or a read-only server does."""
    engine = app.extensions["awareness.engine"]
    engine.dispose()
    statement = "PRAGMA query_only=ON" if database_url.startswith("sqlite") else \
        "SET default_transaction_read_only = on"

    @event.listens_for(engine, "connect")
    def read_only(connection, _record):
        cursor = connection.cursor()
        cursor.execute(statement)
        cursor.close()
        if not database_url.startswith("sqlite"):
            connection.commit()


def _draft(app):
    (draft,) = stored(app, Draft)
    return draft


def test_a_page_that_cannot_be_saved_comes_back_with_what_was_posted(app, client, make_wave, database_url):
    link = make_wave()[0]
    consent(client, link)
    assert post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]}).status_code == 302
    before = _draft(app)
    token = csrf_token(client, f"{link}/2")
    _read_only(app, database_url)
    response = client.post(f"{link}/2", data={"action": "next", "trainings": "4", "period": "p2",
                                              "comments": "kept on the page", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and UNSAVED in page
    assert 'value="4"' in page and "kept on the page" in page and 'value="p2" checked' in page
    after = _draft(app)
    assert (after.page, after.answers) == (before.page, before.answers)  # earlier pages kept, nothing half-written
    assert '"heard": "yes"' in after.answers


def test_a_page_with_errors_that_cannot_be_saved_is_a_503_too(app, client, make_wave, database_url):
    link = make_wave()[0]
    consent(client, link)
    token = csrf_token(client, f"{link}/1")
    _read_only(app, database_url)
    response = client.post(f"{link}/1?lang=km", data={"action": "next", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "ចម្លើយរបស់អ្នកមិនទាន់អាចរក្សាទុកបាននៅឡើយទេ" in page


def test_a_submit_that_fails_midway_writes_nothing(app, client, make_wave):
    link = make_wave(count=1)[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "no"})
    post(client, f"{link}/2", {"action": "next", "trainings": "1"})
    token = csrf_token(client, f"{link}/review")
    engine = app.extensions["awareness.engine"]
    dbapi_error = engine.dialect.loaded_dbapi.OperationalError

    # The invitation is already claimed when the response's INSERT fails (disk full, say).
    def disk_full(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO RESPONSES"):
            raise dbapi_error("database or disk is full")

    event.listen(engine, "before_cursor_execute", disk_full)
    response = client.post(f"{link}/review", data={"csrf_token": token})
    event.remove(engine, "before_cursor_execute", disk_full)
    assert response.status_code == 503 and UNSAVED in response.get_data(as_text=True)
    assert "Check your answers" in response.get_data(as_text=True)
    assert stored(app, Response) == [] and stored(app, Completion) == []
    (invitation,) = stored(app, Invitation)
    assert not invitation.completed and _draft(app) is not None
    # Once the database is back, the same submit goes through.
    assert post(client, f"{link}/review", {}).location == f"{link}/done"
    assert len(stored(app, Response)) == 1


def test_consent_that_cannot_be_saved_is_a_branded_503(app, client, make_wave, database_url):
    link = make_wave()[0]
    token = csrf_token(client, link)
    _read_only(app, database_url)
    response = client.post(f"{link}?lang=km", data={"consent": "yes", "csrf_token": token})
    assert response.status_code == 503
    assert "ចម្លើយរបស់អ្នកមិនទាន់អាចរក្សាទុកបាននៅឡើយទេ" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(select(Invitation.consented_at)) is None


@pytest.fixture
def faulty_app(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": "test", "PANEL_SECRET": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/f.sqlite",
                      "OPEN_LINK_RATE_LIMIT": "1 per hour"})
    db.upgrade(app)

    @app.route("/boom")
    def boom():
        raise RuntimeError("a bug")

    yield app
    app.extensions["awareness.engine"].dispose()


@pytest.mark.parametrize("lang", ["en", "km"])
def test_error_pages_are_branded_in_both_languages(faulty_app, lang):
    client = faulty_app.test_client()
    expected = {
        404: ("/no-such-page", {"en": "Not found", "km": "រកមិនឃើញ"}),  # /s/<unknown> has a page of its own
        500: ("/boom", {"en": "Something went wrong", "km": "មានបញ្ហាអ្វីមួយបានកើតឡើង"}),
        403: ("/forbidden", {"en": "Not allowed", "km": "មិនត្រូវបានអនុញ្ញាត"}),
    }

    # Outside the console, which is in English only (its error pages too: test_admin).
    @faulty_app.route("/forbidden")
    def forbidden():
        from flask import abort

        abort(403)

    for status, (path, titles) in expected.items():
        response = client.get(f"{path}?lang={lang}")
        page = response.get_data(as_text=True)
        assert response.status_code == status
        assert titles[lang] in page and 'class="error-page"' in page and "Traceback" not in page
        assert f'<html lang="{lang}">' in page
