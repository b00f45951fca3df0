"""Chart titles read as sentences: a question's mark is not followed by a colon."""

from analysis.report.content import _after_question


def test_a_question_is_not_followed_by_a_colon():
    title = "For how many years have you worked on labour migration?: mean, 2017 and 2018"
    assert _after_question(title) == "For how many years have you worked on labour migration? \u2014 mean, 2017 and 2018"
    assert _after_question("តើ…?\u17d6 មធ្យម") == "តើ…? \u2014 មធ្យម"
    assert _after_question("Awareness of the policy: share of stakeholders (%)") == \
        "Awareness of the policy: share of stakeholders (%)"
