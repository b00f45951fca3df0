"""Issue 23 item 7: response rates follow AAPOR's break-off rule, with configurable thresholds.

An unsubmitted case with 80 % or more of the applicable questions answered is a complete (I), 50-80 % a
partial (P), under 50 % a break-off (R). Before, one page of eight answered made a partial.
"""

from importlib import resources

import pytest

import questionnaires as q
from analysis.aapor import BreakOff, Dispositions, rates
from questionnaires.answers import answered_share

from ..conftest import TWO_PAGES


@pytest.mark.parametrize(("percent", "category"), [(0, "refusal"), (49, "refusal"), (50, "partial"),
                                                   (79, "partial"), (80, "complete"), (100, "complete")])
def test_the_common_thresholds(percent, category):
    assert BreakOff().category(percent) == category


def test_the_thresholds_can_be_set_and_must_make_sense():
    assert BreakOff(complete=0.9, partial=0.6).category(85) == "partial"
    assert BreakOff(complete=0.9, partial=0.6).category(55) == "refusal"
    with pytest.raises(ValueError, match="0 < partial"):
        BreakOff(complete=0.5, partial=0.8)


def test_applicable_questions_follow_the_respondents_answers():
    two = q.load(TWO_PAGES)  # six questions; four apply only to those who heard of the policy
    assert answered_share(two, {"heard": "yes"}) == pytest.approx(1 / 6)
    assert answered_share(two, {"heard": "no"}) == pytest.approx(1 / 3)  # heard, trainings, comments apply
    assert answered_share(two, {"heard": "no", "trainings": "3"}) == pytest.approx(2 / 3)


def test_one_page_of_the_bundled_instrument_is_a_break_off_not_a_partial():
    lmp = q.load(resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml")
    first_page = {item.id: item.choices[0].code for item in lmp.sections[0].items if item.choices}
    percent = int(100 * answered_share(lmp, first_page))
    assert percent < 50 and BreakOff().category(percent) == "refusal"


def test_rr2_counts_break_offs_as_nonresponse():
    # 10 invited: 6 submitted, 1 broke off at 85 % (complete), 1 at 60 % (partial), 2 at 10 % (break-offs)
    rule = BreakOff()
    cases = [rule.category(p) for p in (85, 60, 10, 10)]
    d = Dispositions(complete=6 + cases.count("complete"), partial=cases.count("partial"),
                     refusal=cases.count("refusal"))
    assert (rates(d).rr1, rates(d).rr2) == (pytest.approx(0.7), pytest.approx(0.8))
