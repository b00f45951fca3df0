"""Database commands: demo, invite, export, create-admin, compare from waves; SQLite and PostgreSQL."""

import csv
import io

import pytest
from sqlalchemy import select

import questionnaires
from survey import db
from survey.models import Invitation, Response, User
from survey.responses import operations
from survey.waves.operations import create_wave, store_edition

from ..conftest import EXAMPLE, TWO_PAGES, post


@pytest.fixture
def wave(app, database_url):
    def make(path=TWO_PAGES, slug="2018", **options):
        with app.app_context():
            session = db.session()
            edition = store_edition(session, questionnaires.load(path))
            create_wave(session, slug, edition, status="open", **options)
            session.commit()
        return slug
    return make


def count(app, model):
    with app.app_context():
        return len(db.session().scalars(select(model)).all())


def test_demo_creates_waves_and_reuses_them(app, runner, database_url):
    first = runner.invoke(args=["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert "http://survey.test/s/" in first.output and "Admin login: admin@example.org / " in first.output
    responses = count(app, Response)
    assert responses == 130 + 140 + 150 + 170  # waves 2015 to 2018
    invited = count(app, Invitation)
    with app.app_context():
        password_hash = db.session().scalars(select(User.password_hash)).one()
    again = runner.invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and count(app, Response) == responses and count(app, User) == 1
    # The second run keeps the password and says how to set a new one.
    assert "awareness create-admin admin@example.org --reset" in again.output
    with app.app_context():
        assert db.session().scalars(select(User.password_hash)).one() == password_hash
    # Nor does it add invitations: the response rates stay as they were.
    assert count(app, Invitation) == invited and "/s/" not in again.output
    assert "reused unchanged" in again.output
    compared = runner.invoke(args=["compare", "--baseline-wave", "2017", "--current-wave", "2018", "--format", "json"])
    import json

    data = json.loads(compared.output)
    heard = next(r for r in data["results"] if r["item"] == "heard_policy")
    assert heard["current"]["estimate"] > heard["baseline"]["estimate"]  # awareness rose in the demo
    assert data["baseline"]["source"] == "wave 2017" and len(data["baseline"]["sha256"]) == 64


def test_invite_anonymous_links(app, runner, wave, tmp_path):
    wave()
    out = tmp_path / "links.csv"
    result = runner.invoke(args=["invite", "2018", "--group", "workers", "--count", "3", "--output", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == 3 and all(r["url"].startswith("http://survey.test/s/") for r in rows)
    assert {r["group"] for r in rows} == {"workers"}
    client = app.test_client()
    link = rows[0]["url"].removeprefix("http://survey.test")
    assert client.get(link).status_code == 200


def test_invite_contacts_and_their_errors(app, runner, wave, tmp_path):
    wave()
    good = tmp_path / "contacts.csv"
    good.write_text("name,email,organisation,group\nSok Dara,dara@example.org,MOLVT,government\n"
                    "Chan Sophea,sophea@example.org,=HYPERLINK(),workers\n", encoding="utf-8")
    result = runner.invoke(args=["invite", "2018", "--contacts", str(good)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["name"] for r in rows] == ["Sok Dara", "Chan Sophea"]
    assert rows[1]["organisation"] == "'=HYPERLINK()"  # never a live formula
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,group,phone\nA,not-an-email,ministry,1\nB,b@example.org,workers,2\n"
                   "C,b@example.org,workers,3\n", encoding="utf-8")
    before = count(app, Invitation)
    result = runner.invoke(args=["invite", "2018", "--contacts", str(bad)])
    assert result.exit_code != 0
    assert "row 1, column 'phone': unknown column" in result.output
    assert "row 2, column 'group': 'ministry' is not one of government, workers" in result.output
    assert "row 2, column 'email': 'not-an-email' is not an e-mail address" in result.output
    assert "row 4: the same person as row 3" in result.output
    assert count(app, Invitation) == before


def test_invite_unknown_wave(runner, wave):
    wave()
    result = runner.invoke(args=["invite", "2019", "--group", "workers", "--count", "1"])
    assert result.exit_code == 1 and "no wave named '2019' (waves: 2018)" in result.output


def answer(client, link, heard="yes"):
    post(client, link, {"consent": "yes"})
    post(client, f"{link}/1", {"action": "next", "heard": heard, "areas": ["gov"]})
    post(client, f"{link}/2", {"action": "next", "trainings": "2", "period": "p2", "comments": "=1+1"})
    if heard == "yes":
        post(client, f"{link}/3", {"action": "next", "understand": "1"})
    post(client, f"{link}/review", {})


def test_export_is_next_years_baseline(app, runner, wave, tmp_path):
    wave()
    links = runner.invoke(args=["invite", "2018", "--group", "government", "--count", "2"]).output
    urls = [row["url"].removeprefix("http://survey.test") for row in csv.DictReader(io.StringIO(links))]
    answer(app.test_client(), urls[0], "yes")
    answer(app.test_client(), urls[1], "no")
    out = tmp_path / "2018.csv"
    assert runner.invoke(args=["export", "2018", "--output", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["respondent", "group", "language", "heard", "areas", "trainings", "period",
                             "comments", "understand"]
    assert sorted(r["heard"] for r in rows) == ["no", "yes"]
    assert {r["comments"] for r in rows} == {"'=1+1"}
    assert all(r["respondent"] == "" for r in rows)
    result = runner.invoke(args=["compare", "--questionnaire", str(TWO_PAGES), "--baseline", str(out),
                                 "--current", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    heard = next(line for line in result.output.splitlines() if line.startswith("heard,all"))
    assert heard.startswith("heard,all,independent,proportion,2,0.5,")


def test_compare_waves_of_different_editions(app, runner, database_url):
    changed = EXAMPLE.read_text(encoding="utf-8").replace('version: "2024.1"', 'version: "2025.1"').replace(
        "Have you heard of the national labour migration policy?", "Do you know the national policy?")
    from pathlib import Path

    path = Path(app.instance_path) / "2025.yaml"
    path.write_text(changed, encoding="utf-8")
    with app.app_context():
        session = db.session()
        old = store_edition(session, questionnaires.load(EXAMPLE))
        new = store_edition(session, questionnaires.load(path))
        base = create_wave(session, "2024", old, status="closed")
        cur = create_wave(session, "2025", new, status="closed", baseline=base)
        for target in (base, cur):
            operations.store_responses(session, target, [
                {"group": "workers", "heard_policy": "yes", "understand": "4"},
                {"group": "workers", "heard_policy": "no", "understand": "2"}])
    result = runner.invoke(args=["compare", "--baseline-wave", "2024", "--current-wave", "2025", "--format", "json"])
    import json

    data = json.loads(result.output)
    assert any(n.startswith("item 'heard_policy' changed wording or codes since wave 2024: not compared")
               for n in data["notes"])
    heard = next(r for r in data["results"] if r["item"] == "heard_policy")
    assert heard["baseline"]["n"] == 0 and heard["p_value"] is None
    understand = next(r for r in data["results"] if r["item"] == "understand")
    assert understand["baseline"]["n"] == 2


def test_create_admin(app, runner, database_url):
    result = runner.invoke(args=["create-admin", "Researcher@Example.org", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session().scalars(select(User)).one()
    assert user.email == "researcher@example.org" and user.role == "admin"
    assert user.password_hash.startswith("scrypt:") and "a long enough password" not in user.password_hash
    not_email = runner.invoke(args=["create-admin", "researcher", "--password-stdin"], input="a long enough password\n")
    assert not_email.exit_code == 1 and "'researcher' is not an e-mail address" in not_email.output
    short = runner.invoke(args=["create-admin", "b@example.org", "--password-stdin"], input="short\n")
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    again = runner.invoke(args=["create-admin", "researcher@example.org", "--password-stdin"],
                          input="a long enough password\n")
    assert again.exit_code == 1 and "already exists" in again.output


def test_db_upgrade_command(runner, database_url):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "database at head" in result.output


def test_demo_serves_the_platform(tmp_path):
    """`awareness demo` in a separate process answers on its port: links, open link, console."""
    import os
    import re
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "AWARENESS_INSTANCE_PATH": str(tmp_path / "instance")}
    process = subprocess.Popen([sys.executable, "-c", "from survey.cli import cli; cli()", "demo", "--port",
                                str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while not any("Serving on" in line for line in lines):
            line = process.stdout.readline()
            assert line, "the demo stopped: " + "".join(lines)
            lines.append(line)
        link = re.search(r"(http://\S+/s/\S+)", "".join(lines)).group(1)
        for _attempt in range(50):
            try:
                with urllib.request.urlopen(link, timeout=5) as response:
                    assert response.status == 200 and "consent" in response.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo does not answer")
        for path in ("/w/2018", "/admin/login"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                assert response.status == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_demo_monitoring_agrees_with_its_responses(demo, app, runner, database_url):
    """Every synthetic response has its completed invitation; completions spread over six weeks of fieldwork in
    the wave's own year, for the open wave 2018 too (its report's title block says 2018, not today's year)."""
    from survey.monitoring import queries as monitoring
    from survey.waves import queries
    from survey.waves.queries import stored_population

    with app.app_context():
        session = db.session()
        for slug in ("2015", "2016", "2017", "2018"):
            wave = queries.wave_by_slug(session, slug)
            groups = queries.questionnaire_of(wave.edition).group_codes
            rows = monitoring.wave_status(session, wave, groups, stored_population(session, wave))
            for row in rows:
                assert row.completed == row.responses > 0, (slug, row.group)
                assert row.invited > row.completed and 0.4 < row.rates.rr1 < 0.9  # not 100 %
                assert row.population >= row.invited
            by_group = monitoring.completions_by_day(session, wave)
            assert set(by_group) == set(groups)
            assert len({day for days in by_group.values() for day, _ in days}) > 20  # not a single day
            days = session.scalars(select(Response.submitted_on).where(Response.wave_id == wave.id)).all()
            assert (max(days) - min(days)).days < 42
            assert min(days).year == max(days).year == int(slug)
    shown = runner.invoke(args=["wave", "show", "2018"]).output
    assert "development_partners" in shown and "RR1" in shown


def test_demo_breakoffs_are_partials_and_closing_erased_their_answers(demo, app, runner, database_url):
    """The demo's invitations broken off after one page of eight are break-offs by AAPOR's rule (under 50 % of
    the applicable questions answered), not partials; the closed baseline kept none of their answers."""
    from survey.models import Draft, Invitation
    from survey.monitoring import queries as monitoring
    from survey.waves import queries

    with app.app_context():
        session = db.session()
        for slug, kept in (("2017", "{}"), ("2018", '{"heard_policy": "yes"}')):
            wave = queries.wave_by_slug(session, slug)
            rows = monitoring.wave_status(session, wave, queries.questionnaire_of(wave.edition).group_codes, {})
            drafts = session.scalars(select(Draft).join(Invitation).where(Invitation.wave_id == wave.id)).all()
            assert rows[-1].partial == 0 and rows[-1].dispositions.refusal >= len(drafts) > 5, slug  # all groups
            assert {draft.answers for draft in drafts} == {kept}, slug
    assert "partial" in runner.invoke(args=["wave", "show", "2017"]).output


def test_create_admin_reset(app, runner, database_url):
    runner.invoke(args=["db", "upgrade"])
    assert runner.invoke(args=["create-admin", "a@example.org", "--password-stdin"],
                         input="first-password\n").exit_code == 0
    again = runner.invoke(args=["create-admin", "a@example.org", "--password-stdin"], input="other-password\n")
    assert again.exit_code == 1 and "--reset" in again.output
    reset = runner.invoke(args=["create-admin", "a@example.org", "--reset", "--password-stdin"],
                          input="second-password\n")
    assert reset.exit_code == 0 and "new password set for a@example.org" in reset.output
    from werkzeug.security import check_password_hash

    with app.app_context():
        assert check_password_hash(db.session().scalars(select(User.password_hash)).one(), "second-password")
    missing = runner.invoke(args=["create-admin", "b@example.org", "--reset", "--password-stdin"],
                            input="second-password\n")
    assert missing.exit_code == 1 and "no account for b@example.org" in missing.output


def test_demo_on_a_busy_port_says_so_before_making_anything(app, runner, database_url):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(args=["demo", "--port", str(port)])
    assert result.exit_code == 1 and f"cannot serve on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output and "Traceback" not in result.output
