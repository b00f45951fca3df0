"""The console's compare page offers every design option marked `console` in comparison/options.py: its check
boxes are written from the declaration (templates/admin/_design_checks.html), and this keeps them in step."""

import re

from survey.comparison.options import DESIGN_OPTIONS

from ..conftest import log_in


def test_every_console_option_has_its_check_box(console, client):
    log_in(client, "analyst@example.org")
    page = client.get("/admin/waves/2018/compare").get_data(as_text=True)
    boxes = set(re.findall(r'<input type="checkbox" name="([a-z_]+)"', page))
    assert boxes == {option.name for option in DESIGN_OPTIONS if option.console}
