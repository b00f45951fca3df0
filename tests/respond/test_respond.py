"""The respondent's flow through Flask's test client, on SQLite and on PostgreSQL."""

import threading
from datetime import datetime

import pytest
from sqlalchemy import insert, inspect, select, text

from questionnaires.library import BUNDLED_INSTRUMENT
from survey import db
from survey.invitations.operations import Contact
from survey.invitations.tokens import panel_key
from survey.models import Draft, Invitation, Response
from survey.responses import operations
from survey.responses.queries import wave_frame
from survey.waves import queries

from ..conftest import answer_all, consent, post, stored


def test_whole_flow_stores_one_response(app, client, make_wave):
    link = make_wave()[0]
    welcome = client.get(link)
    assert welcome.status_code == 200
    page = welcome.get_data(as_text=True)
    assert "Test survey" in page and "agree to take part" in page
    refused = post(client, link, {})
    assert refused.status_code == 422 and "Please tick the box" in refused.get_data(as_text=True)
    answer_all(client, link)
    review = client.get(f"{link}/review").get_data(as_text=True)
    assert "Governance; Development" in review and "2015-2018" in review
    done = post(client, f"{link}/review", {})
    assert done.location == f"{link}/done"
    confirmation = client.get(done.location).get_data(as_text=True)
    assert "Receipt number" in confirmation
    (response,) = stored(app, Response)
    assert response.receipt in confirmation
    assert (response.group_code, response.language) == ("government", "en")
    assert stored(app, Draft) == []
    with app.app_context():
        session = db.session()
        frame = wave_frame(session, queries.wave_by_slug(session, "2018"))
    assert frame.to_dict("records") == [{
        "respondent": "", "group": "government", "language": "en", "heard": "yes", "areas": "gov dev",
        "trainings": "3", "period": "p2", "comments": "=cmd|' /C calc'!A0", "understand": "2"}]


def test_page_is_a_form_whose_first_button_moves_forward(client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    html = client.get(f"{link}/1").get_data(as_text=True)
    assert html.count("<form method=\"post\"") == 1
    first_button = html[html.index("<button"):]
    assert 'value="next"' in first_button.split("</button>")[0]
    assert 'name="heard"' in html and 'value="yes"' in html and 'name="areas"' in html
    assert "<fieldset" in html and "<legend>" in html and '<label class="option" for="q-heard-1">' in html
    assert 'value="back"' not in html  # nothing before the first page
    post(client, f"{link}/1", {"action": "next", "heard": "no"})
    assert 'value="back"' in client.get(f"{link}/2").get_data(as_text=True)


@pytest.mark.parametrize("form, field, message", [
    ({"heard": ""}, "heard", "Please answer this question."),
    ({"heard": "maybe"}, "heard", "Please choose one of the options shown."),
    ({"heard": "yes"}, "areas", "Please answer this question."),  # required once relevant
    ({"heard": "yes", "areas": ["gov", "health"]}, "areas", "Please choose one of the options shown."),
])
def test_page_one_validation(client, make_wave, form, field, message):
    link = make_wave()[0]
    consent(client, link)
    response = post(client, f"{link}/1", {"action": "next", **form})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and f'href="#q-{field}-1"' in html
    assert f'id="error-{field}"' in html and message in html


def test_the_error_summary_puts_no_colon_after_a_question_mark(client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    html = post(client, f"{link}/1", {"action": "next", "heard": ""}).get_data(as_text=True)
    assert "Heard of the policy? Please answer this question." in html and "?:" not in html
    html = post(client, f"{link}/1", {"action": "next", "heard": "yes"}).get_data(as_text=True)
    assert "Areas heard of: Please answer this question." in html


@pytest.mark.parametrize("value, message", [
    ("abc", "Please enter a number."),
    ("2.5", "Please enter a whole number."),
    ("-1", "Please enter a number of at least 0."),
    ("11", "Please enter a number of at most 10."),
    ("7", "Seven is not allowed here."),
])
def test_number_validation_keeps_what_was_entered(client, make_wave, value, message):
    link = make_wave()[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "no"})
    response = post(client, f"{link}/2", {"action": "next", "trainings": value, "comments": "kept text"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and f'value="{value}"' in html and "kept text" in html
    assert 'href="#q-trainings"' in html and 'aria-invalid="true"' in html


def test_relevance_discards_answers_and_skips_pages(app, client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    # `areas` is not relevant for "no": its answer is discarded and it is not required.
    assert post(client, f"{link}/1", {"action": "next", "heard": "no", "areas": "gov"}).location == f"{link}/2"
    page_two = client.get(f"{link}/2").get_data(as_text=True)
    assert 'name="period"' not in page_two  # hidden by an answer on an earlier page
    # The third page only has an item for those who heard of the policy: skipped.
    assert post(client, f"{link}/2", {"action": "next", "trainings": "", "period": "p1"}).location == \
        f"{link}/review"
    post(client, f"{link}/review", {})
    (response,) = stored(app, Response)
    with app.app_context():
        answers = {a.item_id: a.value for a in db.session().get(Response, response.id).answers}
    assert answers == {"heard": "no"}


def test_same_page_relevance_is_marked_for_the_script(client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    html = client.get(f"{link}/1").get_data(as_text=True)
    assert 'data-item="areas" data-rule="' in html and "form.js" in html


def test_resume_later_at_the_same_page(app, client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["dev"]})
    later = app.test_client()  # a new browser: no cookies
    assert later.get(link).location == f"{link}/2"
    page_one = later.get(f"{link}/1").get_data(as_text=True)
    assert 'value="yes" checked' in page_one and 'value="dev" checked' in page_one


def test_back_keeps_answers(client, make_wave):
    link = make_wave()[0]
    consent(client, link)
    post(client, f"{link}/1", {"action": "next", "heard": "no"})
    back = post(client, f"{link}/2", {"action": "back", "trainings": "4"})
    assert back.location == f"{link}/1"
    assert 'value="4"' in client.get(f"{link}/2").get_data(as_text=True)


def test_language_switch_is_remembered(client, make_wave):
    link = make_wave()[0]
    khmer = client.get(f"{link}?lang=km").get_data(as_text=True)
    assert '<html lang="km">' in khmer and "ការស្ទង់មតិសាកល្បង" in khmer
    consent(client, link)
    page = client.get(f"{link}/1").get_data(as_text=True)  # no ?lang: remembered
    assert "ធ្លាប់ឮអំពីគោលនយោបាយ?" in page and "បន្ទាប់" in page  # question text and the Next button
    error = post(client, f"{link}/1", {"action": "next"}).get_data(as_text=True)
    assert "សូមឆ្លើយសំណួរនេះ។" in error


def test_khmer_answers_record_the_language(app, client, make_wave):
    link = make_wave()[0]
    client.get(f"{link}?lang=km")
    answer_all(client, link)
    post(client, f"{link}/review", {})
    assert stored(app, Response)[0].language == "km"


def test_reused_link_accepts_nothing_more(app, client, make_wave):
    from ..conftest import csrf_token

    link = make_wave()[0]
    answer_all(client, link)
    other = app.test_client()
    stale_token = csrf_token(other, f"{link}/review")  # a second tab, opened before submitting
    post(client, f"{link}/review", {})
    again = client.get(link)
    assert "Already submitted" in again.get_data(as_text=True)
    assert "Already submitted" in other.get(f"{link}/1").get_data(as_text=True)
    late = other.post(f"{link}/review", data={"csrf_token": stale_token})
    assert "Already submitted" in late.get_data(as_text=True)
    late_page = other.post(f"{link}/2", data={"csrf_token": stale_token, "action": "next", "trainings": "1"})
    assert "Already submitted" in late_page.get_data(as_text=True)
    assert len(stored(app, Response)) == 1


def test_two_submissions_at_the_same_moment_store_one_response(app, make_wave):
    link = make_wave()[0]
    first, second = app.test_client(), app.test_client()
    answer_all(first, link)
    assert second.get(link).location == f"{link}/review"
    tokens = {}
    for name, client in (("first", first), ("second", second)):
        from ..conftest import csrf_token

        tokens[name] = csrf_token(client, f"{link}/review")
    barrier = threading.Barrier(2)
    results = {}

    def submit(name, client):
        barrier.wait()
        results[name] = client.post(f"{link}/review", data={"csrf_token": tokens[name]})

    threads = [threading.Thread(target=submit, args=item) for item in (("first", first), ("second", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The loser is sent back to its link, or, when the winner had already committed before it was read,
    # told at once that the answers are already submitted: either way it stores nothing.
    locations = sorted(r.location or ("already submitted" if "Already submitted" in r.get_data(as_text=True) else "")
                       for r in results.values())
    assert locations in ([link, f"{link}/done"], [f"{link}/done", "already submitted"])
    assert len(stored(app, Response)) == 1
    (invitation,) = [i for i in stored(app, Invitation) if i.completed]
    assert invitation.disposition == "completed"


def test_anonymous_response_cannot_be_traced_to_its_invitation(app, client, make_wave):
    link = make_wave(contacts=[Contact(group="workers", name="Sok Dara", email="dara@example.org")])[0]
    token = link.rsplit("/", 1)[1]
    answer_all(client, link)
    post(client, f"{link}/review", {})
    with app.app_context():
        engine = db.engine()
        schema = inspect(engine)
        for table in ("responses", "answers"):
            referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
            assert "invitations" not in referred and "drafts" not in referred
        response = db.session().scalars(select(Response)).one()
        assert response.panel_key is None and isinstance(response.submitted_on, type(datetime.now().date()))
        invitation = db.session().scalars(select(Invitation)).one()
        for moment in (invitation.consented_at, invitation.started_at):
            assert (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
        with engine.connect() as connection:
            for table in schema.get_table_names():
                for row in connection.execute(text(f"SELECT * FROM {table}")):
                    assert token not in " ".join(map(str, row)), f"the token is stored in {table}"
                    if table in ("responses", "answers"):
                        assert "dara" not in " ".join(map(str, row)).lower()


def test_panel_key_pairs_a_person_across_years(app, make_wave):
    contact = Contact(group="workers", name="Sok Dara", email="Dara@Example.org")
    links = [make_wave(slug=year, mode="panel", contacts=[contact])[0] for year in ("2017", "2018")]
    for link in links:
        client = app.test_client()
        answer_all(client, link)
        post(client, f"{link}/review", {})
    keys = {r.panel_key for r in stored(app, Response)}
    assert keys == {panel_key("panel-test-secret", "dara@example.org")}
    assert len(next(iter(keys))) == 64


def test_post_without_csrf_token_is_refused(app, client, make_wave):
    link = make_wave()[0]
    response = client.post(link, data={"consent": "yes"})
    assert response.status_code == 400
    assert stored(app, Draft) == []


def test_unknown_token_is_a_plain_404(client, make_wave):
    make_wave()
    response = client.get("/s/not-a-real-token")
    assert response.status_code == 404 and "not-a-real-token" not in response.get_data(as_text=True)


def test_closed_wave_accepts_nothing(client, make_wave):
    link = make_wave(status="closed")[0]
    assert client.get(link).status_code == 403


def test_security_headers(client, make_wave):
    link = make_wave()[0]
    response = client.get(link)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    cookie = response.headers.get("Set-Cookie", "")
    if cookie:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "http://" not in html.split("</head>")[0]


def test_request_size_limit(client, make_wave):
    link = make_wave()[0]
    response = client.post(link, data={"comments": "x" * 300_000})
    assert response.status_code == 413


def test_open_link_is_off_by_default(client, make_wave):
    make_wave()
    assert client.get("/w/2018").status_code == 404


def test_open_link_asks_the_group_first(app, client, make_wave):
    make_wave(open_link=True, count=1)
    page = client.get("/w/2018").get_data(as_text=True)
    assert "Which kind of organisation do you work for?" in page
    assert post(client, "/w/2018", {}).status_code == 422
    started = post(client, "/w/2018", {"group": "workers"})
    link = started.location
    assert link.startswith("/s/")
    answer_all(client, link)
    post(client, f"{link}/review", {})
    assert stored(app, Response)[0].group_code == "workers"


def test_the_open_link_tells_respondents_how_to_come_back(client, make_wave):
    """Their way back is the page's own address: the general link makes a new questionnaire each time."""
    personal = make_wave(open_link=True, count=1)[0]
    assert "general link" not in client.get(personal).get_data(as_text=True)
    link = post(client, "/w/2018", {"group": "workers"}).location
    page = client.get(link).get_data(as_text=True)
    assert "the address of this page is now your own link. Bookmark it" in page
    assert "If this link came by e-mail" not in page
    refused = post(client, link, {})  # without consent: the page comes back, still saying so
    assert refused.status_code == 422 and "Bookmark it" in refused.get_data(as_text=True)
    assert "អាសយដ្ឋាននៃទំព័រនេះឥឡូវជាតំណផ្ទាល់ខ្លួនរបស់អ្នក" in client.get(f"{link}?lang=km").get_data(as_text=True)


def test_respondent_pages_are_light(client, make_wave):
    link = make_wave(BUNDLED_INSTRUMENT)[0]
    consent(client, link)
    with client.get("/static/style.css") as css_response, client.get("/static/form.js") as script_response:
        css, script = css_response.get_data(), script_response.get_data()
    for number in range(1, 9):
        html = client.get(f"{link}/{number}?lang=km").get_data()
        assert len(html) + len(css) + len(script) <= 60_000, f"page {number}"


def test_the_schema_refuses_a_second_completion(app, client, make_wave):
    """Even past the application's checks, the database allows one completion per invitation."""
    from sqlalchemy.exc import IntegrityError

    from survey.models import Completion

    link = make_wave()[0]
    answer_all(client, link)
    post(client, f"{link}/review", {})
    with app.app_context():
        session = db.session()
        (invitation_id,) = session.scalars(select(Completion.invitation_id)).all()
        with pytest.raises(IntegrityError):
            session.execute(insert(Completion).values(invitation_id=invitation_id))
        session.rollback()
        columns = {c["name"] for c in inspect(db.engine()).get_columns("completions")}
    assert columns == {"invitation_id"}


def test_review_sends_back_to_a_page_with_its_problem_shown(app, client, make_wave):
    link = make_wave()[0]
    answer_all(client, link)
    with app.app_context():  # as if a later edit of page 1 had left a required answer out
        session = db.session()
        draft = session.scalars(select(Draft)).one()
        operations.save_draft(session, draft, 3, {"heard": "yes", "trainings": "3"}, "en")
    back = client.get(f"{link}/review")
    assert back.location == f"{link}/1?check=1"
    page = client.get(back.location)
    assert page.status_code == 422 and "Please answer this question." in page.get_data(as_text=True)
    assert 'href="#q-areas-1"' in page.get_data(as_text=True)
