"""The console's compare and trend pages, asked to weight (the box ticked) while the population sizes stored with
the wave do not fit its respondents: a page that gives the reason (422), as the command line does, never a server
error; nothing is changed (SQLite and PostgreSQL)."""

from html import unescape

from sqlalchemy import func, select

from survey import db
from survey.models import GroupPopulation, Wave

from ..conftest import post

# The demo's groups but one: 'workers' has respondents and no size.
SIZES = {"government": 120, "employers": 400, "civil_society": 250, "development_partners": 60}


def _sizes_without_workers(app) -> int:
    with app.app_context():
        session = db.session()
        for wave in session.scalars(select(Wave)):
            session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
            session.add_all(GroupPopulation(wave_id=wave.id, group_code=g, size=n) for g, n in SIZES.items())
        session.commit()
        return session.scalar(select(func.count()).select_from(GroupPopulation))


def _login(client, demo: str) -> None:
    password = demo.split("admin@example.org / ")[1].split()[0]
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})


def test_weighting_asked_with_sizes_that_do_not_fit_gives_the_reason_not_a_server_error(demo, app, client,
                                                                                       database_url):
    stored = _sizes_without_workers(app)
    _login(client, demo)
    for url in ("/admin/waves/2018/compare?weighted=1", "/admin/waves/2018/compare/report.json?weighted=1",
                "/admin/waves/2018/trend?weighted=1", "/admin/waves/2018/trend/report.csv?weighted=1"):
        page = client.get(url)
        text = " ".join(unescape(page.get_data(as_text=True)).split())
        assert page.status_code == 422, (url, page.status_code)
        assert "cannot be compared as asked" in text and "workers" in text, url
    # By default the sizes that do not fit are left out with a note, as before: the page works.
    assert client.get("/admin/waves/2018/compare").status_code == 200
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(GroupPopulation)) == stored
