"""Reports from waves of the database (SQLite and PostgreSQL): export hash, verify, response rates, console."""

import hashlib
import json

from sqlalchemy import select

from survey import db
from survey.models import Response, Wave
from survey.responses import operations

from ..conftest import post


def _set_answer(app, slug: str, item: str, value: str) -> None:
    """Give the first response of a wave this answer (a researcher's correction, or a tampering)."""
    with app.app_context():
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == slug)).one()
        response = session.scalars(select(Response).where(Response.wave_id == wave.id).order_by(Response.id)).first()
        operations.correct_answer(session, response, item, value)


def test_report_from_waves_records_the_export_hash_and_verifies(demo, app, runner, database_url, tmp_path):
    # A text answer that begins with "=" is written with a leading apostrophe by the export.
    _set_answer(app, "2018", "comments", "=HYPERLINK(\"http://example.org\")")
    exported = tmp_path / "2018.csv"
    assert runner.invoke(args=["export", "2018", "--format", "csv", "--output", str(exported)]).exit_code == 0
    output = tmp_path / "report.md"
    waves = ["--baseline-wave", "2017", "--current-wave", "2018"]
    made = runner.invoke(args=["report", *waves, "--output", str(output)])
    assert made.exit_code == 0, made.output
    data = json.loads(output.with_suffix(".json").read_text())
    assert data["current"]["sha256"] == hashlib.sha256(exported.read_bytes()).hexdigest()
    assert data["stamp"]["data"]["current"]["sha256"] == data["current"]["sha256"]
    text = output.read_text()
    # The demo's respondents answered personal invitations (some refused or never answered): rates shown.
    assert "Respondents 2018" in text and "AAPOR RR1 2018" in text
    report_json = str(output.with_suffix(".json"))
    assert runner.invoke(args=["verify", report_json, *waves]).exit_code == 0
    _set_answer(app, "2018", "years_migration", "49")
    changed = runner.invoke(args=["verify", report_json, *waves])
    assert changed.exit_code == 1
    assert "years_migration (all, independent)" in changed.output and "SHA-256" in changed.output


def test_console_comparison_page_is_the_report_with_downloads(demo, app, client, runner, database_url):
    password = demo.split("admin@example.org / ")[1].split()[0]
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})
    page = client.get("/admin/waves/2018/compare?by_group=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:500]
    assert "Have you heard of the national Labour Migration Policy?" in html and "<svg" in html
    assert "Pearson&#39;s chi-square test" in html and "welch_t" not in html
    assert 'href="/admin/waves/2018"' in html and "script-src 'self'" in page.headers["Content-Security-Policy"]
    for extension, start in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOCTYPE html>"), ("json", b"{"),
                             ("csv", b"item,group")):
        download = client.get(f"/admin/waves/2018/compare/report.{extension}?lang=km")
        assert download.status_code == 200 and download.data.startswith(start), extension
        assert "attachment" in download.headers["Content-Disposition"]
    assert client.get("/admin/waves/2018/compare/report.exe").status_code == 404
    khmer = client.get("/admin/waves/2018/compare?lang=km").get_data(as_text=True)
    assert "លទ្ធផលសំខាន់ៗ" in khmer.replace("\u200b", "") and "@font-face" in khmer


def test_report_weighted_uses_the_stored_sizes_and_verify_repeats_it(demo, app, runner, database_url, tmp_path,
                                                                     monkeypatch):
    from survey.models import GroupPopulation
    from survey.waves import queries

    with app.app_context():  # the demo stores population sizes: take them away first
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == "2018")).one()
        session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
        session.commit()
    waves = ["--baseline-wave", "2017", "--current-wave", "2018"]
    output = tmp_path / "weighted.md"
    missing = runner.invoke(args=["report", *waves, "--weighted", "--output", str(output)])
    assert missing.exit_code == 1 and "no population sizes stored" in missing.output and not output.exists()
    sizes = {"government": 120, "employers": 400, "workers": 3000, "civil_society": 250, "development_partners": 60}
    with app.app_context():
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == "2018")).one()
        session.add_all(GroupPopulation(wave_id=wave.id, group_code=g, size=n) for g, n in sizes.items())
        session.commit()
    looked_up, wave_by_slug = [], queries.wave_by_slug
    monkeypatch.setattr(queries, "wave_by_slug", lambda session, slug: looked_up.append(slug) or
                        wave_by_slug(session, slug))
    made = runner.invoke(args=["report", *waves, "--weighted", "--stratify", "--output", str(output)])
    assert made.exit_code == 0, made.output
    assert looked_up == ["2017", "2018"]  # each wave found once, for reading, response rates and population
    data = json.loads(output.with_suffix(".json").read_text())
    assert data["settings"]["population"] == sizes and data["stamp"]["settings"]["weighted"] is True
    assert {row["design"] for row in data["results"]} == {"independent", "stratified", "weighted"}
    assert "All stakeholders (weighted)" in output.read_text()
    verified = runner.invoke(args=["verify", str(output.with_suffix(".json")), *waves])
    assert verified.exit_code == 0, verified.output


def test_console_comparison_page_offers_every_design(demo, app, client, runner, database_url):
    from survey.models import GroupPopulation

    password = demo.split("admin@example.org / ")[1].split()[0]
    with app.app_context():  # the demo stores population sizes: take them away first
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == "2018")).one()
        session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
        session.commit()
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})
    query = "by_group=1&stratify=1&weighted=1&paired=1&base=all"
    html = client.get(f"/admin/waves/2018/compare?{query}").get_data(as_text=True)
    assert "All stakeholders (stratified)" in html and "no population sizes stored" in html
    assert "no respondent key is in both waves" in html and 'name="stratify" value="1" checked' in html
    with app.app_context():
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == "2018")).one()
        session.add_all(GroupPopulation(wave_id=wave.id, group_code=g, size=100) for g in
                        ("government", "employers", "workers", "civil_society", "development_partners"))
        session.commit()
    html = client.get(f"/admin/waves/2018/compare?{query}").get_data(as_text=True)
    assert "All stakeholders (weighted)" in html and "weighted to the known number" in html
    assert "report.json?by_group=1&amp;stratify=1&amp;paired=1&amp;weighted=1&amp;base=all&amp;lang=en" in html
    data = client.get(f"/admin/waves/2018/compare/report.json?{query}").get_json()
    assert {row["design"] for row in data["results"]} == {"independent", "stratified", "weighted"}
    assert data["settings"]["base"] == "all" and data["stamp"]["settings"]["weighted"] is True
    download = client.get(f"/admin/waves/2018/compare/report.csv?{query}")
    assert "report-2017-2018-groups-stratify-paired-weighted-base-all-en.csv" in download.headers["Content-Disposition"]


def test_verify_without_data_options_reads_the_waves_of_the_stamp(demo, runner, database_url, tmp_path):
    output = tmp_path / "report.html"
    assert runner.invoke(args=["report", "--baseline-wave", "2017", "--current-wave", "2018",
                               "--output", str(output)]).exit_code == 0
    checked = runner.invoke(args=["verify", str(output.with_suffix(".json"))])
    assert checked.exit_code == 0, checked.output
    assert "using the data recorded in report.json: --baseline-wave 2017 --current-wave 2018" in checked.output
    data = json.loads(output.with_suffix(".json").read_text())
    data["stamp"]["settings"]["baseline_wave"] = "2014"  # the demo's waves are 2015 to 2018
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    refused = runner.invoke(args=["verify", str(other)])
    assert refused.exit_code == 2 and "this database has no wave 2014" in refused.output
