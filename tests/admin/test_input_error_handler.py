"""The console's one handler of `analysis.errors.InputError` (admin/common.py: refused), registered for its base
class so that create_app() imports nothing of `analysis`: an InputError on any of the four compare and trend
routes is the 422 page with its reasons; any other ValueError stays a server error (500), not a refusal."""

import pytest

from analysis.errors import InputError

ROUTES = {"admin.compare_page": "/admin/waves/2018/compare",
          "admin.compare_download": "/admin/waves/2018/compare/report.json",
          "admin.trend_page": "/admin/waves/2018/trend",
          "admin.trend_download": "/admin/waves/2018/trend/report.csv"}


def _raising(error):
    def view(**_arguments):
        raise error
    return view


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_an_input_error_is_the_refusal_page(app, endpoint):
    problems = [f"group workers{n} has respondents and no population size" for n in range(12)]
    app.view_functions[endpoint] = _raising(InputError(problems))
    page = app.test_client().get(ROUTES[endpoint])
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "cannot be compared as asked" in text and "workers9" in text and "(2 more)" in text
    assert "workers10" not in text and "Traceback" not in text


def test_another_value_error_is_a_server_error_not_a_refusal(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as served: the 500 page, not the exception in the test
    app.view_functions["admin.compare_page"] = _raising(ValueError("a bug"))
    page = app.test_client().get(ROUTES["admin.compare_page"])
    assert page.status_code == 500 and "cannot be compared" not in page.get_data(as_text=True)
