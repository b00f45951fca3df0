"""A comparison with a wave that has no responses yet (created, not fielded) says so once, naming the wave, instead
of "no answers in the current wave" under every row; the command still succeeds (exit 0: the baseline's own
estimates are shown), and the console's compare page says it once too (SQLite and PostgreSQL)."""

import json
from html import unescape

from ..conftest import post

EMPTY = "wave 2019 (the current wave) has no responses: no item can be compared"


def _empty_wave_2019(runner) -> None:
    made = runner.invoke(args=["wave", "create", "2019", "--edition", "1", "--baseline", "2018"])
    assert made.exit_code == 0, made.output


def test_compare_with_an_empty_wave_says_it_once(demo, app, runner, database_url):
    _empty_wave_2019(runner)
    table = runner.invoke(args=["compare", "--baseline-wave", "2018", "--current-wave", "2019", "--by-group"])
    assert table.exit_code == 0, table.output
    assert table.output.count(EMPTY) == 1 and "no answers in" not in table.output
    assert "heard_policy" in table.output and "(170)" in table.output  # the baseline's estimates are still shown
    as_json = runner.invoke(args=["compare", "--baseline-wave", "2018", "--current-wave", "2019", "--format", "json"])
    data = json.loads(as_json.stdout)
    assert data["notes"].count(EMPTY) == 1 and not any("no answers in" in (row["note"] or "")
                                                        for row in data["results"])
    reverse = runner.invoke(args=["compare", "--baseline-wave", "2019", "--current-wave", "2018"])
    assert reverse.exit_code == 0
    assert reverse.output.count("wave 2019 (the baseline) has no responses") == 1 and "no answers in" not in \
        reverse.output


def test_the_compare_page_of_an_empty_wave_says_it_once(demo, app, client, runner, database_url):
    _empty_wave_2019(runner)
    password = demo.split("admin@example.org / ")[1].split()[0]
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})
    page = client.get("/admin/waves/2019/compare")
    text = " ".join(unescape(page.get_data(as_text=True)).split())
    assert page.status_code == 200
    assert text.count(EMPTY) == 1 and "no answers in" not in text


def test_waves_with_responses_have_no_such_note(demo, app, runner, database_url):
    compared = runner.invoke(args=["compare", "--baseline-wave", "2017", "--current-wave", "2018"])
    assert compared.exit_code == 0 and "has no responses" not in compared.output
