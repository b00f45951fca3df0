"""A report of a wave still open: provisional on every page and in its stamp; verify explains, briefly."""

import json
import shutil

import pytest
from sqlalchemy import select

from survey import db
from survey.models import Response, Wave
from survey.responses import operations


@pytest.fixture
def database_url(sqlite_demo, tmp_path):
    """The demo's data (wave 2018 open) on SQLite, as `awareness demo --no-serve` on the default database left it
    when each test ran the command: a copy of the session's demo database (tests/conftest.py's `sqlite_demo`, which
    runs the command once and checks that it succeeded)."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(sqlite_demo[0], path)
    return f"sqlite:///{path}"


def _change_an_answer(app, slug: str) -> None:
    """A new answer arrives in the open wave (here: a correction of the first response)."""
    with app.app_context():
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == slug)).one()
        response = session.scalars(select(Response).where(Response.wave_id == wave.id).order_by(Response.id)).first()
        operations.correct_answer(session, response, "years_migration", "49")


def test_an_open_waves_report_is_provisional_with_its_title_block(app, runner, database_url, tmp_path):
    # The demo's wave 2018 is open.
    output = tmp_path / "report.html"
    waves = ["--baseline-wave", "2017", "--current-wave", "2018"]
    made = runner.invoke(args=["report", *waves, "--by-group", "--organisation", "Ministry of Labour",
                               "--author", "A. Researcher", "--output", str(output)])
    assert made.exit_code == 0, made.output
    html = output.read_text()
    assert "Provisional: fieldwork still open (2018)" in html
    assert "Ministry of Labour" in html and "A. Researcher" in html and "Date of this report" in html
    stamp = json.loads(output.with_suffix(".json").read_text())["stamp"]
    assert stamp["provisional"] is True and stamp["fieldwork"]["current"]["open"] is True
    assert stamp["fieldwork"]["baseline"]["open"] is False and stamp["fieldwork"]["baseline"]["first"]

    _change_an_answer(app, "2018")
    changed = runner.invoke(args=["verify", str(output.with_suffix(".json")), *waves])
    assert changed.exit_code == 1
    assert "provisional report, made while fieldwork was still open" in changed.output
    listed = [line for line in changed.output.splitlines() if line.startswith("  ")]
    assert 0 < len(listed) <= 10  # not hundreds of lines


def test_the_organisation_comes_from_the_instance_configuration(app, runner, database_url, tmp_path):
    app.config["REPORT_ORGANISATION"] = "Configured Ministry"
    output = tmp_path / "report.md"
    made = runner.invoke(args=["report", "--baseline-wave", "2017", "--current-wave", "2018", "--output",
                               str(output)])
    assert made.exit_code == 0, made.output
    assert "- **Organisation**: Configured Ministry" in output.read_text()
