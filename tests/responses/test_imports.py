"""Baseline import: every bad input named and nothing written; this year's export imports back unchanged."""

import hashlib
import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from survey import db
from survey.models import Response, Wave
from survey.monitoring import tallies
from survey.responses import operations

from ..conftest import stored_counts


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("content, message", [
    ("group,heard,colour\nworkers,yes,blue\n", "row 1, column 'colour': unknown item column"),
    ("group,heard\nworkers,maybe\n", "row 2, column 'heard': 'maybe' is not one of the codes yes, no, dk"),
    ("group,heard\nministry,yes\n", "row 2, column 'group': group 'ministry' is not one of government, workers"),
    ("group,trainings\nworkers,three\n", "row 2, column 'trainings': 'three' is not a number"),
    ("heard\nyes\n", "no column for the group question 'stakeholder_group' (nor a 'group' column)"),
    ("item,code,count\nheard,yes,many\n", "row 2, column 'count': 'many' is not a number"),
    ("item,code,count\nheard,maybe,3\n", "row 2, column 'code': 'maybe' is not one of the codes of 'heard'"),
    ("item,code,count,group\nheard,yes,3,ministry\n", "row 2, column 'group': group 'ministry' is not one of"),
    ("item,code,count\nheard_it,yes,3\n", "row 2, column 'item': two-pages 1 has no item 'heard_it'"),
])
def test_bad_input_is_named_and_nothing_is_written(app, runner, waves, tmp_path, content, message):
    path = write(tmp_path / "baseline.csv", content)
    result = runner.invoke(args=["import", "2017", str(path)])
    assert result.exit_code == 1
    assert f"{path}: {message}" in result.output and "nothing imported" in result.output
    assert stored_counts(app) == (0, 0, 0)


def test_one_bad_row_among_good_ones_writes_nothing(app, runner, waves, tmp_path):
    rows = "\n".join(["workers,yes"] * 50 + ["workers,maybe"])
    path = write(tmp_path / "baseline.csv", "group,heard\n" + rows + "\n")
    assert runner.invoke(args=["import", "2017", str(path)]).exit_code == 1
    assert stored_counts(app) == (0, 0, 0)


def test_export_imports_back_unchanged(app, runner, waves, tmp_path):
    with app.app_context():
        session = db.session()
        wave = session.scalar(select(Wave).where(Wave.slug == "2018"))
        operations.store_responses(session, wave, [
            {"group": "government", "language": "km", "heard": "yes", "areas": "gov dev", "trainings": "3",
             "period": "p2", "comments": "ស្អាត", "understand": "2"},
            {"group": "workers", "language": "en", "heard": "no", "trainings": "0"}])
    first = tmp_path / "2018.csv"
    runner.invoke(args=["export", "2018", "--output", str(first)])
    result = runner.invoke(args=["import", "2017", str(first)])
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(first.read_bytes()).hexdigest() in result.output
    second = tmp_path / "2017.csv"
    runner.invoke(args=["export", "2017", "--output", str(second)])
    sort = ["group", "heard"]
    before = pd.read_csv(first, dtype=str, keep_default_na=False).sort_values(sort).reset_index(drop=True)
    after = pd.read_csv(second, dtype=str, keep_default_na=False).sort_values(sort).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)


def test_counts_baseline_is_compared_from_the_database(app, runner, waves, tmp_path):
    # A baseline published only as a table: 310 of 412 had heard of the policy.
    path = write(tmp_path / "published.csv", "item,code,count\nheard,yes,310\nheard,no,102\n")
    result = runner.invoke(args=["import", "2017", str(path)])
    assert result.exit_code == 0 and "imported 2 rows of counts" in result.output
    with app.app_context():
        session = db.session()
        wave = session.scalar(select(Wave).where(Wave.slug == "2018"))
        operations.store_responses(session, wave, [{"group": "workers", "heard": "yes"}] * 409 +
                                   [{"group": "workers", "heard": "no"}] * 3)
    compared = runner.invoke(args=["compare", "--baseline-wave", "2017", "--current-wave", "2018", "--format", "json"])
    data = json.loads(compared.output)
    heard = next(r for r in data["results"] if r["item"] == "heard")
    assert round(heard["statistic"], 2) == 106.97 and heard["baseline"]["n"] == 412
    assert data["baseline"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data["baseline"]["format"] == "counts"


def test_a_wave_with_data_refuses_an_import(app, runner, waves, tmp_path):
    path = write(tmp_path / "b.csv", "group,heard\nworkers,yes\n")
    assert runner.invoke(args=["import", "2017", str(path)]).exit_code == 0
    again = runner.invoke(args=["import", "2017", str(path)])
    assert again.exit_code == 1 and "already holds an import; undo it first" in again.output
    assert stored_counts(app) == (1, 0, 1)


def test_an_open_wave_or_one_with_live_answers_refuses_an_import(app, runner, waves, tmp_path):
    path = write(tmp_path / "b.csv", "group,heard\nworkers,yes\n")
    assert runner.invoke(args=["wave", "open", "2018"]).exit_code == 0
    result = runner.invoke(args=["import", "2018", str(path)])
    assert result.exit_code == 1 and "wave 2018 is open" in result.output
    with app.app_context():
        session = db.session()
        wave = session.scalar(select(Wave).where(Wave.slug == "2018"))
        operations.store_responses(session, wave, [{"group": "workers", "heard": "no"}])  # an answer given online
    assert runner.invoke(args=["wave", "close", "2018"]).exit_code == 0
    result = runner.invoke(args=["import", "2018", str(path)])
    assert result.exit_code == 1 and "has collected answers online (1 responses" in result.output
    assert stored_counts(app) == (1, 0, 0)


def test_undo_removes_the_import_and_only_it(app, runner, waves, tmp_path):
    path = write(tmp_path / "b.csv", "group,heard\nworkers,yes\ngovernment,no\n")
    counts = write(tmp_path / "c.csv", "item,code,count\nheard,yes,3\n")
    assert runner.invoke(args=["import", "2017", str(path)]).exit_code == 0
    assert runner.invoke(args=["import", "2018", str(counts)]).exit_code == 0
    shown = runner.invoke(args=["wave", "show", "2017"]).output
    assert "b.csv, 2 responses" in shown and hashlib.sha256(path.read_bytes()).hexdigest() in shown
    assert "(command line)" in shown
    opened = runner.invoke(args=["wave", "open", "2017"])
    assert opened.exit_code == 1 and "holds imported data and cannot be opened" in opened.output
    with app.app_context():  # the monitoring's tallies follow the import (bulk insert) and its undo
        session = db.session()
        wave_id = session.scalar(select(Wave.id).where(Wave.slug == "2017"))
        assert tallies.of_wave(session, wave_id) == {("workers", "responses"): 1, ("government", "responses"): 1}
    result = runner.invoke(args=["import", "--undo", "2017"])
    assert result.exit_code == 0 and "removed the import of b.csv" in result.output
    assert stored_counts(app) == (0, 1, 1)  # the other wave's counts stay
    with app.app_context():
        assert tallies.of_wave(db.session(), wave_id) == {}
    assert runner.invoke(args=["import", "--undo", "2018"]).exit_code == 0
    assert stored_counts(app) == (0, 0, 0)
    again = runner.invoke(args=["import", "--undo", "2017"])
    assert again.exit_code == 1 and "has no import to undo" in again.output
    assert runner.invoke(args=["import", "2017"]).exit_code == 2  # neither a file nor --undo


def test_xlsx_baseline(app, runner, waves, tmp_path):
    path = tmp_path / "baseline.xlsx"
    pd.DataFrame({"group": ["workers", "government"], "heard": ["yes", "dk"], "trainings": [2, None]}).to_excel(
        path, index=False)
    result = runner.invoke(args=["import", "2017", str(path)])
    assert result.exit_code == 0, result.output
    assert stored_counts(app)[0] == 2


def test_a_counts_wave_says_why_its_exports_are_empty(app, runner, waves, tmp_path):
    path = write(tmp_path / "published.csv", "item,code,count\nheard,yes,30\nheard,no,12\n")
    assert runner.invoke(args=["import", "2017", str(path)]).exit_code == 0
    exported = runner.invoke(args=["export", "2017", "--output", str(tmp_path / "e.csv")])
    assert exported.exit_code == 0 and "holds a published table of counts" in exported.output
    listed = runner.invoke(args=["wave", "list"])
    assert "table of counts" in next(line for line in listed.output.splitlines() if line.startswith("2017"))


def test_semicolon_separated_files_are_read(app, runner, waves, tmp_path):
    path = write(tmp_path / "published.csv", "item;code;count\nheard;yes;30\nheard;no;12\n")
    result = runner.invoke(args=["import", "2017", str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 2 rows of counts" in result.output


def test_an_import_renews_the_planners_statistics_on_postgresql(app, runner, waves, tmp_path, database_url):
    """After a bulk load PostgreSQL estimates `responses` from fresh statistics: without them a wave of a
    million is taken for a few thousand rows and sorted on disk instead of read along its index."""
    from sqlalchemy import text

    path = write(tmp_path / "b.csv", "group,heard\n" + "workers,yes\n" * 30)
    assert runner.invoke(args=["import", "2017", str(path)]).exit_code == 0
    with app.app_context():
        connection = db.session().connection()
        if connection.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's statistics")
        estimated = connection.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'responses'"))
        assert estimated == connection.scalar(select(func.count()).select_from(Response)) == 30
