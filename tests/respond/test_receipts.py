"""Receipts: a respondent checks one on /receipt (whether it arrived, and on which day, nothing more); in an
anonymous wave the receipt leaves the session cookie once the done page has shown it."""

import pytest

import questionnaires
from survey import db
from survey.invitations.operations import Contact, create_invitations
from survey.models import Response
from survey.waves.operations import create_wave, store_edition

from ..conftest import TWO_PAGES, post


@pytest.fixture
def link(app, database_url):
    def make(mode: str) -> str:
        with app.app_context():
            session = db.session()
            edition = store_edition(session, questionnaires.load(TWO_PAGES))
            wave = create_wave(session, f"w-{mode}", edition, mode=mode, status="open")
            ((_invitation, token),) = create_invitations(session, wave, [
                Contact(group="workers", email="a@x.test", identifier="a@x.test")])
            session.commit()
        return f"/s/{token}"

    return make


def _submit(client, link: str):
    assert post(client, link, {"consent": "yes"}).status_code == 302
    assert post(client, f"{link}/1", {"action": "next", "heard": "no"}).status_code == 302
    for number in (2, 3):
        post(client, f"{link}/{number}", {"action": "next", "understand": "2"})
    return post(client, f"{link}/review", {})


def _receipt(app) -> Response:
    with app.app_context():
        return db.session().query(Response).one()


def test_a_receipt_says_only_whether_and_when_the_answers_arrived(app, client, link):
    _submit(client, link("anonymous"))
    response = _receipt(app)
    form = client.get("/receipt")
    assert form.status_code == 200 and "Receipt number" in form.get_data(as_text=True)
    typed = response.receipt.replace("-", " ").lower()  # as someone might type it
    found = post(client, "/receipt", {"receipt": typed})
    page = found.get_data(as_text=True)
    assert found.status_code == 200
    assert f"arrived on {response.submitted_on.isoformat()}" in page
    for detail in ("workers", "Workers", "Heard of the policy", response.id):  # nothing about the answers
        assert detail not in page
    unknown = post(client, "/receipt", {"receipt": "ABCD-EFGH-JKLM"})
    assert unknown.status_code == 404 and "No answers with this receipt number" in unknown.get_data(as_text=True)
    assert post(client, "/receipt", {"receipt": "<script>"}).status_code == 404
    khmer = post(client, "/receipt?lang=km", {"receipt": response.receipt}).get_data(as_text=True)
    assert "បានមកដល់នៅថ្ងៃ" in khmer and response.submitted_on.isoformat()[:4] not in khmer  # Khmer digits


def test_an_anonymous_receipt_leaves_the_cookie_after_the_done_page(app, client, link):
    path = link("anonymous")
    done = _submit(client, path)
    assert done.location == f"{path}/done"
    receipt = _receipt(app).receipt
    assert receipt in client.get(done.location).get_data(as_text=True)
    with client.session_transaction() as session:
        assert "receipt" not in session
    assert client.get(done.location).status_code == 302  # shown once: back to the welcome page


def test_a_panel_receipt_stays_to_be_shown_again(app, client, link):
    path = link("panel")
    _submit(client, path)
    receipt = _receipt(app).receipt
    assert receipt in client.get(f"{path}/done").get_data(as_text=True)
    assert receipt in client.get(f"{path}/done").get_data(as_text=True)
