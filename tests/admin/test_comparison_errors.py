"""The console's compare and trend pages: a wave that does not exist is a 404 page naming the waves there are, a
database that fails while the waves are read a 503 page; neither is a 500."""

import pytest
from sqlalchemy.exc import OperationalError

import survey.comparison.trend_inputs  # noqa: F401 - imported before its `stored_wave` is patched

from ..conftest import log_in


@pytest.mark.parametrize("path", ["/admin/waves/nope/compare", "/admin/waves/nope/compare/report.csv",
                                  "/admin/waves/nope/trend", "/admin/waves/nope/trend/report.json"])
def test_a_wave_that_does_not_exist(console, path):
    client = console.test_client()
    log_in(client, "admin@example.org")
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 404, page
    assert "No such wave" in page and "There is no wave named &#39;nope&#39; (waves: 2017, 2018)." in page


def failing_read(*_args, **_kwargs):
    raise OperationalError("SELECT ...", {}, Exception("canceling statement due to statement timeout"))


@pytest.mark.parametrize("path", ["/admin/waves/2018/compare", "/admin/waves/2018/compare/report.json",
                                  "/admin/waves/2018/trend", "/admin/waves/2018/trend/report.csv"])
def test_a_database_failing_while_the_waves_are_read(console, monkeypatch, caplog, path):
    client = console.test_client()
    log_in(client, "admin@example.org")
    assert client.get(path).status_code == 200  # the page as it is
    monkeypatch.setattr("survey.comparison.queries.stored_wave", failing_read)
    monkeypatch.setattr("survey.comparison.trend_inputs.stored_wave", failing_read)
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page
    assert "The database is not available" in page and "Nothing was changed" in page
    assert "statement timeout" not in page  # the driver's words go to the log, for the administrator
    assert "cannot read the waves from the database: canceling statement due to statement timeout" in caplog.text
    assert client.get("/admin/waves/2018").status_code == 200  # the console goes on
