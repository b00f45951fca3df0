"""In an anonymous wave a draft keeps no time of day (it could be matched with a log or a sent message);
in a panel wave it keeps the moment, as the invitation's own times do."""

import pytest

from survey.models import Draft
from tests.conftest import consent, post, stored


@pytest.mark.parametrize("mode, to_the_day", [("anonymous", True), ("panel", False)])
def test_draft_times(app, client, make_wave, mode, to_the_day):
    link = make_wave(mode=mode, count=1)[0]
    consent(client, link)
    assert post(client, f"{link}/1", {"action": "next", "heard": "yes", "areas": ["gov"]}).status_code == 302
    (draft,) = stored(app, Draft)
    moment = draft.updated_at
    midnight = (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
    assert midnight is to_the_day
