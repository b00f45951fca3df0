"""Issue 22: `awareness trend` and the console's trend page take their design options from the one registry
(survey/comparison/options.py) that `compare` and `report` use, and the stamp from `stamp_settings`; issue 23: the
population sizes stored with every wave weight a trend by default, as they weight a comparison."""

import json
from html import unescape

from sqlalchemy import select

from survey import db
from survey.cli.compare import compare_command
from survey.cli.report import report_command
from survey.cli.trend import trend_command
from survey.comparison.options import DESIGN_OPTIONS, MIN_CELL, stamp_settings
from survey.models import GroupPopulation, Wave

from ..conftest import post

WAVES = ["--waves", "2015", "2016", "2017", "2018"]
STORED = "The population sizes are those stored with each round in the survey's database (waves 2015, 2016, 2017, " \
         "2018); each round is weighted to its own."


def _flags(command) -> dict[str, list[str]]:
    return {param.name: [*param.opts, *param.secondary_opts] for param in command.params}


def test_trend_takes_the_registrys_design_options_and_compare_report_take_them_all():
    trend, compare, report = (_flags(command) for command in (trend_command, compare_command, report_command))
    for option in DESIGN_OPTIONS:
        expected = [option.flag, *([f"--{option.off}"] if option.off else [])]
        assert compare[option.name] == expected and report[option.name] == expected
        if option.trend:
            assert trend[option.name] == expected
        else:  # declared as not applying to a trend: not an option of `trend`
            assert option.name not in trend
    assert "paired" not in trend and trend["weighted"] == ["--weighted", "--unweighted"]
    help_of = {param.name: getattr(param, "help", None) for param in trend_command.params}
    assert help_of["stratify"] == next(o.help for o in DESIGN_OPTIONS if o.name == "stratify")


def _stored_sizes(app, slug: str, sizes: dict | None) -> None:
    with app.app_context():
        session = db.session()
        wave = session.scalars(select(Wave).where(Wave.slug == slug)).one()
        session.execute(GroupPopulation.__table__.delete().where(GroupPopulation.wave_id == wave.id))
        session.add_all(GroupPopulation(wave_id=wave.id, group_code=g, size=n) for g, n in (sizes or {}).items())
        session.commit()


def test_trend_of_the_demo_is_weighted_by_default_and_unweighted_on_request(demo, app, runner, database_url, tmp_path):
    data = json.loads(runner.invoke(args=["trend", *WAVES, "--format", "json"]).output)
    assert data["lead"]["design"] == "weighted" and set(data["settings"]["populations"]) == set(WAVES[1:])
    alone = json.loads(runner.invoke(args=["trend", *WAVES, "--unweighted", "--format", "json"]).output)
    assert "weighted" not in {row["design"] for row in alone["results"]} and alone["settings"]["populations"] is None
    refused = runner.invoke(args=["trend", *WAVES, "--unweighted", "--population", str(tmp_path / "p.csv")])
    assert refused.exit_code == 2 and "--unweighted leaves the weights out" in refused.output
    assert runner.invoke(args=["trend", *WAVES, "--paired"]).exit_code == 2  # not a trend's option

    output = tmp_path / "period.md"
    made = runner.invoke(args=["report", *WAVES, "-o", str(output)])
    assert made.exit_code == 0, made.output
    report = json.loads(output.with_suffix(".json").read_text())
    settings = report["stamp"]["settings"]
    assert settings["weighted"] is True and "paired" not in settings and settings["min_cell"] == MIN_CELL
    # One declaration: the stamp is stamp_settings' (trend: the registry's trend options and the rounds).
    expected = stamp_settings({"waves": WAVES[1:]}, stored_sizes=True, trend=True)
    assert {key: settings[key] for key in expected} == expected
    assert STORED in output.read_text(encoding="utf-8").replace("\\", "")
    verified = runner.invoke(args=["verify", str(output.with_suffix(".json"))])
    assert verified.exit_code == 0, verified.output

    unweighted = tmp_path / "unweighted.md"
    assert runner.invoke(args=["report", *WAVES, "--unweighted", "-o", str(unweighted)]).exit_code == 0
    assert json.loads(unweighted.with_suffix(".json").read_text())["stamp"]["settings"]["weighted"] is False
    assert "stored with each round" not in unweighted.read_text(encoding="utf-8")
    verified = runner.invoke(args=["verify", str(unweighted.with_suffix(".json"))])  # sizes stored: still unused
    assert verified.exit_code == 0, verified.output


def test_a_wave_without_sizes_leaves_the_trend_unweighted_with_a_note(demo, app, runner, database_url):
    _stored_sizes(app, "2016", None)
    data = json.loads(runner.invoke(args=["trend", *WAVES, "--format", "json"]).output)
    assert data["lead"]["design"] != "weighted" and data["settings"]["populations"] is None
    assert any("stored with wave(s) 2015, 2017, 2018 but not with 2016" in note for note in data["notes"])
    asked = runner.invoke(args=["trend", *WAVES, "--weighted"])
    assert asked.exit_code == 1 and "wave 2016 has no population sizes stored" in asked.output


def test_console_trend_page_takes_the_registry_and_is_weighted_by_default(demo, app, client, runner, database_url):
    password = demo.split("admin@example.org / ")[1].split()[0]
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})
    html = client.get("/admin/waves/2018/trend").get_data(as_text=True)
    boxes = [option for option in DESIGN_OPTIONS if option.console and option.trend]
    for option in boxes:
        assert f'name="{option.name}" value="{option.checked_value}"' in html and option.console in html
    assert 'name="paired"' not in html  # not a trend's option
    assert '<input type="hidden" name="weighted" value="0">' in html and 'name="weighted" value="1" checked' in html
    assert STORED in unescape(html)
    data = client.get("/admin/waves/2018/trend/report.json").get_json()
    settings = data["stamp"]["settings"]
    assert data["lead"]["design"] == "weighted" and settings["weighted"] is True and settings["min_cell"] == MIN_CELL
    expected = stamp_settings({"waves": WAVES[1:]}, stored_sizes=True, trend=True)
    assert {key: settings[key] for key in expected} == expected
    off = client.get("/admin/waves/2018/trend/report.json?weighted=0&stratify=1&base=all").get_json()
    assert off["stamp"]["settings"] | {"weighted": None} == settings | {"weighted": None, "stratify": True,
                                                                         "base": "all"}
    assert off["stamp"]["settings"]["weighted"] is False and off["lead"]["design"] != "weighted"
    download = client.get("/admin/waves/2018/trend/report.csv?weighted=0&by_group=1")
    assert 'filename="trend-2015-2018-groups-en.csv"' in download.headers["Content-Disposition"]
