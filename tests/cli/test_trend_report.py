"""`awareness report` over the policy period: from files and from the demo's waves (SQLite and PostgreSQL)."""

import json
import re

import pytest

from ..analysis.test_trend import COUNTS, wave_file
from ..conftest import EXAMPLE


@pytest.fixture
def wave_args(tmp_path):
    paths = {label: wave_file(tmp_path, label, k) for k, label in enumerate(COUNTS)}
    return [argument for label, path in paths.items() for argument in ("--wave", f"{label}={path}")]


def test_report_over_the_period_from_files(runner, wave_args, tmp_path):
    output = tmp_path / "period.md"
    made = runner.invoke(args=["report", "--questionnaire", str(EXAMPLE), *wave_args, "--by-group", "-o", str(output)])
    assert made.exit_code == 0, made.output
    assert "headline findings over 4 rounds" in made.output
    text = re.sub(r"\\(.)", r"\1", output.read_text(encoding="utf-8"))  # as read: Markdown escapes undone
    assert text.startswith("# Stakeholder awareness over the policy period, 2015–2018")
    # The mix of groups changed (employers absent in 2017): the headline is adjusted for group, each round with
    # 2018's mix, the trend glm(heard ~ wave + group, binomial) (R values in test_trend: exp of the slope).
    assert "The mix of stakeholder groups changed over the rounds" in text
    assert ("“Have you heard of the national labour migration policy?” rose from 31.2% (n\u00a0=\u00a080) in 2015 to "
            "65.0% (n\u00a0=\u00a080) in 2018; logistic trend, odds ratio 1.63 a year (95% CI 1.32 to 2.03), "
            "Wald z = 4.47, p\u00a0<\u00a0.001 (Holm-adjusted p\u00a0<\u00a0.001)." in text)
    assert "| Question | Group | 2015 | 2016 | 2017 | 2018 | Trend | p | Adjusted p |" in text
    assert "▲ / ▼: a significant rise / fall from the round before" in text
    data = json.loads(output.with_suffix(".json").read_text())
    assert set(data["stamp"]["data"]) == set(COUNTS) and data["stamp"]["settings"]["wave_files"]["2015"]
    assert len(list(tmp_path.glob("period-*.png"))) >= 3  # a trend chart per item, and per group of a headline
    # Items nobody answered in any round are named once, not as rows of dashes.
    assert "| Which period does the policy cover?" not in text and "- Which period does the policy cover?" in text


def test_verify_a_report_over_the_period_from_files(runner, wave_args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "period.html"
    assert runner.invoke(args=["report", "--questionnaire", str(EXAMPLE), *wave_args, "-o", str(output)]).exit_code == 0
    report_json = str(output.with_suffix(".json"))
    refused = runner.invoke(args=["verify", report_json])
    assert refused.exit_code == 2 and "--questionnaire" in refused.output
    # The rounds' files come from the command line, never from the paths the JSON names.
    named = runner.invoke(args=["verify", report_json, "--questionnaire", str(EXAMPLE)])
    assert named.exit_code == 2 and "--wave LABEL=FILE" in named.output and "--wave 2015=" in named.output
    checked = runner.invoke(args=["verify", report_json, "--questionnaire", str(EXAMPLE), *wave_args])
    assert checked.exit_code == 0, checked.output
    assert "verified, every number" in checked.output and "over 4 rounds" in checked.output
    data = json.loads(output.with_suffix(".json").read_text())
    data["results"][0]["waves"][0]["estimate"] += 0.01
    output.with_suffix(".json").write_text(json.dumps(data))
    changed = runner.invoke(args=["verify", report_json, "--questionnaire", str(EXAMPLE), *wave_args])
    assert changed.exit_code == 1 and "waves.0.estimate" in changed.output


def test_report_over_the_period_hides_small_cells(runner, wave_args, tmp_path):
    output = tmp_path / "period.md"
    made = runner.invoke(args=["report", "--questionnaire", str(EXAMPLE), *wave_args, "--by-group", "--min-cell",
                               "21", "-o", str(output)])
    assert made.exit_code == 0, made.output
    text = re.sub(r"\\(.)", r"\1", output.read_text(encoding="utf-8"))  # as read: Markdown escapes undone
    employers = next(line for line in text.splitlines() if line.startswith("| Have you heard") and "| Employers" in line)
    # 2015 and 2018 employers (n = 20) are hidden: neither estimate nor n, no trend test beside them.
    assert "n < 21" in employers and "20" not in employers.split("|")[3]
    assert employers.rstrip(" |").endswith("– | – | –")


def test_report_over_the_period_refuses_two_round_options(runner, wave_args, tmp_path):
    made = runner.invoke(args=["report", "--questionnaire", str(EXAMPLE), *wave_args, "--paired",
                               "-o", str(tmp_path / "r.html")])
    assert made.exit_code == 2 and "--paired compares two rounds" in made.output


def test_report_over_the_demos_waves(demo, app, runner, database_url, tmp_path):
    for name, start in (("period.pdf", b"%PDF"), ("period.docx", b"PK")):
        output = tmp_path / name
        made = runner.invoke(args=["report", "--waves", "2015", "2016", "2017", "2018", "--by-group", "--weighted",
                                   "-o", str(output)])
        assert made.exit_code == 0, made.output
        assert output.read_bytes().startswith(start)
    data = json.loads((tmp_path / "period.json").read_text())
    assert data["stamp"]["settings"]["waves"] == ["2015", "2016", "2017", "2018"]
    assert {row["design"] for row in data["results"]} == {"independent", "weighted"}
    html = tmp_path / "period.html"
    # Unweighted (the demo stores population sizes with its waves, which weight a report by default).
    assert runner.invoke(args=["report", "--waves", "2015", "2016", "2017", "2018", "--unweighted",
                               "-o", str(html)]).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "rose from 44.6%" in page and "in 2018; linear trend +8.9 percentage points a year" in page
    # The open wave makes the report provisional; each round's fieldwork is in the title block and the stamp.
    assert "Provisional" in page and "fieldwork still open" in page
    assert json.loads(html.with_suffix(".json").read_text())["stamp"]["provisional"] is True
    checked = runner.invoke(args=["verify", str(html.with_suffix(".json"))])
    assert checked.exit_code == 0 and "--waves 2015 2016 2017 2018" in checked.output, checked.output
    assert data["stamp"]["fieldwork"]["2015"]["first"].startswith("2015-02")


def test_console_trend_page(demo, app, client, runner, database_url):
    from ..conftest import post

    password = demo.split("admin@example.org / ")[1].split()[0]
    post(client, "/admin/login", {"email": "admin@example.org", "password": password})
    assert 'href="/admin/waves/2018/trend"' in client.get("/admin/waves/2018").get_data(as_text=True)
    page = client.get("/admin/waves/2018/trend?by_group=1&weighted=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:500]
    assert "Waves 2015, 2016, 2017, 2018" in html and "over the policy period, 2015–2018" in html
    assert "rose from" in html and "Provisional" in html and "script-src 'self'" in page.headers[
        "Content-Security-Policy"]
    data = client.get("/admin/waves/2018/trend/report.json?weighted=1").get_json()
    assert [wave["label"] for wave in data["waves"]] == ["2015", "2016", "2017", "2018"]
    assert data["lead"]["design"] == "weighted" and data["stamp"]["settings"]["waves"][0] == "2015"
    download = client.get("/admin/waves/2018/trend/report.pdf?lang=km")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    # The demo stores population sizes with every wave: the trend is weighted by default, and its name says so.
    assert "trend-2015-2018-weighted-km.pdf" in download.headers["Content-Disposition"]
    assert client.get("/admin/waves/2015/trend").status_code == 302  # no wave before the first
    assert client.get("/admin/waves/2018/trend/report.exe").status_code == 404
