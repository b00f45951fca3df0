"""Issue 23 item 7: the monitoring classes an unsubmitted case by the share of applicable questions answered,
with the thresholds of the instance configuration (AAPOR_COMPLETE_SHARE, AAPOR_PARTIAL_SHARE)."""

from survey import db
from survey.monitoring import queries as monitoring
from survey.responses import operations
from survey.responses.queries import draft_of

# Of the six questions that apply to one who heard of the policy (two-pages.yaml):
ONE = {"heard": "yes"}  # 16 %: a break-off
THREE = {"heard": "yes", "areas": "gov", "trainings": "3"}  # 50 %: a partial
FIVE = {"heard": "yes", "areas": "gov", "trainings": "3", "period": "p1", "comments": "fine"}  # 83 %: a complete


def _statuses(app, invited_wave, rule=None):
    with app.app_context():
        session = db.session()
        questionnaire, wave, made = invited_wave(session, ["workers"] * 4)
        for invitation, answers in zip(made, (ONE, THREE, FIVE), strict=False):
            operations.record_consent(session, invitation, "en")
            operations.save_draft(session, draft_of(session, invitation), 1, answers, "en")
        rows = monitoring.wave_status(session, wave, questionnaire.group_codes, {}, rule=rule)
        return {row.group: row for row in rows}


def test_break_offs_partials_and_completes_by_share_answered(app, invited_wave):
    workers = _statuses(app, invited_wave)["workers"]
    d = workers.dispositions
    assert (d.complete, d.partial, d.refusal, d.unknown_household) == (1, 1, 1, 1)
    # RR1 = I / all = 1/4, RR2 = (I + P) / all = 2/4: the break-off is nonresponse, not an interview
    assert (workers.rates.rr1, workers.rates.rr2) == (0.25, 0.5)


def test_the_thresholds_come_from_the_configuration(app, invited_wave):
    app.config.update(AAPOR_COMPLETE_SHARE=0.9, AAPOR_PARTIAL_SHARE=0.4)
    d = _statuses(app, invited_wave)["workers"].dispositions
    assert (d.complete, d.partial, d.refusal) == (0, 2, 1)
