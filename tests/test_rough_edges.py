"""The respondent's rough edges: landing page, "Change answers", the language switch, Khmer digits."""

import pytest

import questionnaires
from survey import db
from survey.invitations.operations import Contact, create_invitations
from survey.waves.operations import create_wave, store_edition

from .conftest import TWO_PAGES, answer_all, consent, post


@pytest.fixture
def make_wave(app, database_url):
    """An open wave of the two-page questionnaire; returns its invitation links."""

    def make():
        with app.app_context():
            session = db.session()
            edition = store_edition(session, questionnaires.load(TWO_PAGES))
            wave = create_wave(session, "2018", edition, status="open")
            created = create_invitations(session, wave, [Contact(group="government")] * 2)
            session.commit()
            return [f"/s/{token}" for _invitation, token in created]

    return make


def test_landing_page_sends_each_to_their_place(client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "personal link in the invitation" in text and 'href="/admin/"' in text
    khmer = client.get("/?lang=km").get_data(as_text=True)
    assert "អ្នកស្រាវជ្រាវ" in khmer and '<html lang="km">' in khmer


def test_change_answers_returns_to_the_review(client, make_wave):
    link = make_wave()[0]
    answer_all(client, link)
    review = client.get(f"{link}/review").get_data(as_text=True)
    assert f'href="{link}/1?review=1"' in review
    page = client.get(f"{link}/1?review=1").get_data(as_text=True)
    assert 'name="review" value="1"' in page and "Back to the review" in page
    changed = post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"], "review": "1"},
                   token_from=f"{link}/1?review=1")
    assert changed.location == f"{link}/review"  # not through pages 2 and 3 again
    review = client.get(f"{link}/review").get_data(as_text=True)
    assert "Governance" in review and "Development" not in review


def test_a_change_that_opens_a_page_not_seen_leads_there_first(client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "no"})
    assert post(client, f"{link}/2", {"action": "next", "trainings": "1"}).location == f"{link}/review"
    # Now aware: page 3 (for those who know the policy) was never shown; it comes before the review.
    changed = post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"], "review": "1"})
    assert changed.location == f"{link}/3"
    assert post(client, f"{link}/3", {"action": "next", "understand": "2"}).location == f"{link}/review"


def test_language_switch_keeps_what_was_typed(app, client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]})
    page = client.get(f"{link}/2").get_data(as_text=True)
    assert 'form="answers" name="language" value="ខ្មែរ"' in page
    switched = post(client, f"{link}/2", {"language": "ខ្មែរ", "trainings": "4", "comments": "typed before"})
    assert switched.location == f"{link}/2"
    khmer = client.get(f"{link}/2").get_data(as_text=True)
    assert '<html lang="km">' in khmer and 'value="4"' in khmer and "typed before" in khmer


def test_khmer_pages_write_numbers_in_khmer_digits(client, make_wave):
    link = make_wave()[0]
    client.get(f"{link}?lang=km")
    consent(client, link)
    page = client.get(f"{link}/1").get_data(as_text=True)
    assert "ទំព័រទី ១ នៃ ៣" in page
    english = client.get(f"{link}/1?lang=en").get_data(as_text=True)
    assert "Page 1 of 3" in english


def test_browsers_asking_for_an_icon_get_no_error(client):
    assert client.get("/favicon.ico").status_code == 204
