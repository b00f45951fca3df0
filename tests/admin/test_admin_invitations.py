"""The invitations page at scale: a page of 100 at a time, filters by group, disposition and contact."""

import re

from sqlalchemy import select

from survey import db
from survey.invitations.operations import Contact, create_invitations
from survey.models import Invitation, Wave

from ..conftest import csrf_token, log_in

ROW = re.compile(r"<tr><td>(\d+)</td><td>([^<]*)</td>")


def _invite(app, contacts):
    with app.app_context():
        session = db.session()
        wave = session.scalar(select(Wave).where(Wave.slug == "2018"))
        create_invitations(session, wave, contacts)
        session.commit()


def test_a_page_of_100_at_a_time(console):  # noqa: F811
    _invite(console, [Contact(group="government", email=f"g{i}@gov.example") for i in range(249)])
    client = console.test_client()
    log_in(client, "admin@example.org")
    first = client.get("/admin/waves/2018/invitations").get_data(as_text=True)
    assert len(ROW.findall(first)) == 100 and "Invitations 1–100 of 250, by group." in first
    assert "page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert 'href="/admin/waves/2018/invitations?page=2" rel="next"' in first  # no empty filters in links
    last = client.get("/admin/waves/2018/invitations?page=3").get_data(as_text=True)
    assert len(ROW.findall(last)) == 50 and "Invitations 201–250 of 250" in last and 'rel="next"' not in last
    # The groups by label, in the questionnaire's words, and every invitation on exactly one page.
    assert {group for _, group in ROW.findall(first)} == {"Government"}
    shown = [int(i) for page in (1, 2, 3) for i, _ in ROW.findall(
        client.get(f"/admin/waves/2018/invitations?page={page}").get_data(as_text=True))]
    assert len(shown) == len(set(shown)) == 250
    # A page number out of range or not a number shows the nearest page instead of failing.
    assert "page 3 of 3" in client.get("/admin/waves/2018/invitations?page=99").get_data(as_text=True)
    assert "page 1 of 3" in client.get("/admin/waves/2018/invitations?page=x").get_data(as_text=True)
    assert "page 1 of 3" in client.get("/admin/waves/2018/invitations?page=-4").get_data(as_text=True)


def test_found_by_group_disposition_and_contact(console):  # noqa: F811
    _invite(console, [Contact(group="government", name="Chan Sophea", email="sophea@mlvt.gov.kh",
                                         organisation="Ministry of Labour"),
                      Contact(group="workers", name="Lim 100%_done", email="lim@union.example")])
    client = console.test_client()
    log_in(client, "admin@example.org")
    found = client.get("/admin/waves/2018/invitations?contact=MINISTRY").get_data(as_text=True)
    assert [group for _, group in ROW.findall(found)] == ["Government"] and "Chan Sophea" in found
    assert "of 1 found" in found
    # % and _ are letters to look for, not wildcards.
    assert len(ROW.findall(client.get("/admin/waves/2018/invitations?contact=100%25_").get_data(as_text=True))) == 1
    assert len(ROW.findall(client.get("/admin/waves/2018/invitations?contact=%25").get_data(as_text=True))) == 1
    with console.app_context():  # one more through the open link: listed and counted like the others
        session = db.session()
        create_invitations(session, session.scalar(select(Wave).where(Wave.slug == "2018")),
                                      [Contact(group="workers")], via_open_link=True)
        session.commit()
    workers = client.get("/admin/waves/2018/invitations?group=workers").get_data(as_text=True)
    assert {group for _, group in ROW.findall(workers)} == {"Workers"} and len(ROW.findall(workers)) == 3
    assert "Invitations 1–3 of 3 found" in workers
    assert "Invitations 1–4 of 4," in client.get("/admin/waves/2018/invitations").get_data(as_text=True)
    none = client.get("/admin/waves/2018/invitations?group=workers&disposition=refused").get_data(as_text=True)
    assert ROW.findall(none) == [] and "No invitation matches." in none
    # An unknown group or disposition filters nothing.
    assert len(ROW.findall(client.get("/admin/waves/2018/invitations?group=nobody&disposition=x")
                           .get_data(as_text=True))) == 4


def test_recording_a_disposition_comes_back_to_the_same_page(console):  # noqa: F811
    _invite(console, [Contact(group="workers", email=f"w{i}@union.example") for i in range(150)])
    client = console.test_client()
    log_in(client, "admin@example.org")
    with console.app_context():
        target = db.session().scalars(select(Invitation.id).where(Invitation.contact_email == "w120@union.example")
                                      ).one()
    token = csrf_token(client, "/admin/waves/2018/invitations?group=workers&page=2")
    page = client.get("/admin/waves/2018/invitations?group=workers&page=2").get_data(as_text=True)
    assert f'id="d{target}"' in page and 'name="back_group" value="workers"' in page
    answer = client.post(f"/admin/waves/2018/invitations/{target}", data={
        "csrf_token": token, "disposition": "refused", "back_group": "workers", "back_page": "2",
        "back_disposition": "invited"})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/admin/waves/2018/invitations?group=workers&disposition=invited"
                                               "&page=2")
    with console.app_context():
        assert db.session().get(Invitation, target).disposition == "refused"
