"""Monitoring counts every invitation in its AAPOR category, counted by the database."""

from survey import db
from survey.monitoring import queries as monitoring
from survey.responses import operations
from survey.responses.queries import draft_of


def test_each_disposition_lands_in_its_category(app, invited_wave):
    with app.app_context():
        session = db.session()
        questionnaire, wave, made = invited_wave(session, ["workers"] * 7 + ["government"])
        done, refused, ineligible, bounced, partial, broke_off, _never, other_group = made
        for invitation, disposition in ((refused, "refused"), (ineligible, "ineligible"),
                                        (bounced, "undeliverable")):
            invitation.disposition = disposition
        session.commit()
        for invitation in (done, partial, broke_off):
            operations.record_consent(session, invitation, "en")
        # Three of the six questions that apply: 50 %, a partial by AAPOR's rule (one of six would be a break-off).
        operations.save_draft(session, draft_of(session, partial), 1,
                              {"heard": "yes", "areas": "gov", "trainings": "3"}, "en")
        assert operations.submit_response(session, done, {"heard": "yes"}, "en", "secret")
        rows = {row.group: row for row in monitoring.wave_status(session, wave, questionnaire.group_codes, {})}
    workers = rows["workers"].dispositions
    assert (workers.complete, workers.partial, workers.refusal, workers.ineligible, workers.unknown_other,
            workers.unknown_household) == (1, 1, 2, 1, 1, 1)
    assert rows["workers"].started == 3 and rows["workers"].responses == 1
    assert rows["government"].dispositions.unknown_household == 1
    assert rows["all"].invited == 8 and rows["all"].completed == 1

