"""Issue 23, build 4: "weighted when population sizes are known". Waves of the database with population sizes
stored lead with the weighted comparison by default (`awareness compare`/`report`, the console's compare page),
the headline's note says whose sizes were used, `--unweighted` (the console's unticked box) leaves them out, the
stamp records what was used and `verify` repeats it. Files are compared as before (SQLite and PostgreSQL)."""

import json
from html import unescape

from sqlalchemy import select

from survey import db
from survey.models import GroupPopulation, Wave

from ..conftest import EXAMPLE, post

WAVES = ["--baseline-wave", "2017", "--current-wave", "2018"]
STORED = "The population sizes are those stored with wave 2018 in the survey's database; 2017 and 2018 are both " \
         "weighted to them."
SIZES = {"government": 120, "employers": 400, "workers": 3000, "civil_society": 250, "development_partners": 60}


def _set_sizes(app, sizes: dict | None) -> None:
    """Replace the population sizes stored with wave 2018 (None: none stored)."""
    with app.app_context():
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == "2018")).one()
        session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
        session.add_all(GroupPopulation(wave_id=wave.id, group_code=g, size=n) for g, n in (sizes or {}).items())
        session.commit()


def _report(runner, path, *options):
    made = runner.invoke(args=["report", *WAVES, *options, "--output", str(path)])
    assert made.exit_code == 0, made.output
    return json.loads(path.with_suffix(".json").read_text()), path.read_text(encoding="utf-8").replace("\\", "")


def _designs(data: dict) -> set[str]:
    return {row["design"] for row in data["results"]}


def test_stored_sizes_lead_by_default_and_verify_repeats_them(demo, app, runner, database_url, tmp_path):
    _set_sizes(app, SIZES)
    data, text = _report(runner, tmp_path / "default.md")
    assert data["lead"]["design"] == "weighted" and _designs(data) == {"independent", "weighted"}
    assert data["settings"]["population"] == SIZES
    settings = data["stamp"]["settings"]
    assert settings["weighted"] is True and settings["population"] is None and settings["current_wave"] == "2018"
    assert "weighted to the known number of stakeholders" in text and STORED in text
    verified = runner.invoke(args=["verify", str(tmp_path / "default.json")])  # the waves from the stamp
    assert verified.exit_code == 0, verified.output
    # Sizes changed since: verify finds it (the stamp says they were used, and they are read again).
    _set_sizes(app, SIZES | {"workers": 6000})
    changed = runner.invoke(args=["verify", str(tmp_path / "default.json"), *WAVES])
    assert changed.exit_code == 1 and "(all, weighted)" in changed.output


def test_unweighted_leaves_the_stored_sizes_out_and_verify_too(demo, app, runner, database_url, tmp_path):
    data, text = _report(runner, tmp_path / "unweighted.md", "--unweighted")
    assert data["lead"]["design"] == "independent" and "weighted" not in _designs(data)
    assert data["stamp"]["settings"]["weighted"] is False and data["settings"]["population"] is None
    assert "no population sizes were used to weight them" in text and "stored with wave" not in text
    verified = runner.invoke(args=["verify", str(tmp_path / "unweighted.json")])  # sizes still stored: not used
    assert verified.exit_code == 0, verified.output
    compared = json.loads(runner.invoke(args=["compare", *WAVES, "--format", "json"]).output)
    assert compared["lead"]["design"] == "weighted"  # compare follows the same rule
    alone = json.loads(runner.invoke(args=["compare", *WAVES, "--unweighted", "--format", "json"]).output)
    assert "weighted" not in {row["design"] for row in alone["results"]}
    refused = runner.invoke(args=["compare", *WAVES, "--unweighted", "--population", str(tmp_path / "p.csv")])
    assert refused.exit_code == 2 and "--unweighted leaves the weights out" in refused.output


def test_without_stored_sizes_the_report_is_unweighted_and_stays_so_on_verify(demo, app, runner, database_url,
                                                                              tmp_path):
    _set_sizes(app, None)
    data, text = _report(runner, tmp_path / "plain.md")
    assert data["lead"]["design"] == "independent" and data["stamp"]["settings"]["weighted"] is False
    assert "no population sizes were used" in text
    _set_sizes(app, SIZES)  # stored after the report: its verify still compares unweighted
    verified = runner.invoke(args=["verify", str(tmp_path / "plain.json")])
    assert verified.exit_code == 0, verified.output


def test_stored_sizes_that_do_not_fit_are_left_out_with_a_note(demo, app, runner, database_url, tmp_path):
    _set_sizes(app, {group: size for group, size in SIZES.items() if group != "workers"})
    data, text = _report(runner, tmp_path / "partial.md")  # by default: not weighted, and why
    assert data["lead"]["design"] == "independent" and data["stamp"]["settings"]["weighted"] is False
    assert any("population sizes stored with wave 2018 were not used" in note and "'workers'" in note
               for note in data["notes"])
    asked = runner.invoke(args=["report", *WAVES, "--weighted", "--output", str(tmp_path / "asked.md")])
    assert asked.exit_code == 1 and "group 'workers'" in asked.output  # asked for: the problem is the user's
    assert runner.invoke(args=["verify", str(tmp_path / "partial.json")]).exit_code == 0


def test_files_are_compared_as_before(runner, tmp_path):
    from analysis.synthetic import synthetic_wave
    from questionnaires import load

    questionnaire = load(EXAMPLE)
    for name, seed in (("a", 1), ("b", 2)):
        synthetic_wave(questionnaire, 60, seed=seed).to_csv(tmp_path / f"{name}.csv", index=False)
    files = ["--questionnaire", str(EXAMPLE), "--baseline", str(tmp_path / "a.csv"), "--current",
             str(tmp_path / "b.csv")]
    data = json.loads(runner.invoke(args=["compare", *files, "--format", "json"]).output)
    assert "weighted" not in {row["design"] for row in data["results"]} and data["lead"]["design"] != "weighted"
    made = runner.invoke(args=["report", *files, "--output", str(tmp_path / "files.md")])
    assert made.exit_code == 0, made.output
    assert json.loads((tmp_path / "files.json").read_text())["stamp"]["settings"]["weighted"] is False


def _login(client, demo: str) -> None:
    password = demo.split("admin@example.org / ")[1].split()[0]
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})


def test_console_compare_page_leads_weighted_by_default_and_unticked_leaves_it_out(demo, app, client, runner,
                                                                                   database_url):
    _login(client, demo)
    wave_page = unescape(client.get("/admin/waves/2018").get_data(as_text=True))
    assert "they also weight this wave's comparison" in " ".join(wave_page.split())  # said where sizes are set
    html = client.get("/admin/waves/2018/compare").get_data(as_text=True)
    assert "All stakeholders (weighted)" in html and STORED in unescape(html)
    assert '<input type="hidden" name="weighted" value="0">' in html and 'name="weighted" value="1" checked' in html
    assert "report.json?lang=en" in html  # the links keep "by default", as the page was asked
    download = client.get("/admin/waves/2018/compare/report.json")
    assert 'filename="report-2017-2018-weighted-en.json"' in download.headers["Content-Disposition"]
    data = download.get_json()
    assert data["lead"]["design"] == "weighted" and data["stamp"]["settings"]["weighted"] is True
    # The form sends "0" before the box's "1": unticked, only the "0" comes.
    html = client.get("/admin/waves/2018/compare?lang=en&weighted=0").get_data(as_text=True)
    assert "All stakeholders (weighted)" not in html and "no population sizes were used" in html
    assert 'name="weighted" value="1" >' in html and "report.json?weighted=0&amp;lang=en" in html
    data = client.get("/admin/waves/2018/compare/report.json?weighted=0").get_json()
    assert data["lead"]["design"] != "weighted" and data["stamp"]["settings"]["weighted"] is False
    ticked = client.get("/admin/waves/2018/compare?weighted=0&weighted=1").get_data(as_text=True)
    assert "All stakeholders (weighted)" in ticked
    khmer = client.get("/admin/waves/2018/compare?lang=km").get_data(as_text=True).replace("\u200b", "")
    assert "ចំនួនដែលបានរក្សាទុកជាមួយជុំ 2018" in khmer or "ចំនួនដែលបានរក្សាទុកជាមួយជុំ ២០១៨" in khmer


def test_console_report_json_verifies_on_the_command_line(demo, app, client, runner, database_url, tmp_path):
    _login(client, demo)
    saved = tmp_path / "console.json"
    saved.write_bytes(client.get("/admin/waves/2018/compare/report.json").data)
    verified = runner.invoke(args=["verify", str(saved)])
    assert verified.exit_code == 0, verified.output
