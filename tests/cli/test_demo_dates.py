"""The demo's waves are fielded in their own years: the report of 2018 against 2017 says so on its first page
(before, the open wave 2018 was "fielded" in the weeks before today, so page 1 read "Fieldwork 2018 from
26 October 2026")."""

from datetime import date

from sqlalchemy import select

from survey import db
from survey.models import Response, Wave


def test_each_demo_wave_is_fielded_and_dated_in_its_year(app, runner, tmp_path):
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    with app.app_context():
        session = db.session()
        for wave in session.scalars(select(Wave)).all():
            year = int(wave.slug)
            days = session.scalars(select(Response.submitted_on).where(Response.wave_id == wave.id)).all()
            assert {day.year for day in days} == {year} and min(days).month == 2
            assert wave.created_at.date() <= min(days)
            if wave.status == "closed":
                assert max(days) < wave.closed_at.date() < date(year, 12, 31)
            else:
                assert wave.slug == "2018" and wave.closed_at is None
    output = tmp_path / "report.md"
    made = runner.invoke(args=["report", "--baseline-wave", "2017", "--current-wave", "2018", "--output", str(output)])
    assert made.exit_code == 0, made.output
    first_page = output.read_text().split("## ")[0]
    assert "- **Fieldwork 2017**: 6 February 2017 to " in first_page
    assert "- **Fieldwork 2018**: from 5 February 2018, still open (last response " in first_page
    fieldwork = [line for line in first_page.splitlines() if "Fieldwork" in line]
    assert all(str(year) not in " ".join(fieldwork) for year in range(2019, date.today().year + 1))
