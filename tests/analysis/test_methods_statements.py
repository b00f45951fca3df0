"""Issue 23 item 7: the methods a reviewer can check, and a Mantel–Haenszel odds ratio of 0 reported as R does."""

import numpy as np
import pytest

from analysis.designs.stratified import mantel_haenszel


def test_a_mantel_haenszel_odds_ratio_of_0_is_0_as_in_r():
    # R: x <- array(c(0, 5, 3, 4,  0, 6, 2, 7), dim = c(2, 2, 2)); m <- mantelhaen.test(x, correct = FALSE)
    # x[wave, outcome, stratum]; our rows: current successes, current failures, baseline successes, failures
    tables = np.array([[0, 3, 5, 4], [0, 2, 6, 7]])
    mh = mantel_haenszel(tables, 0.95)
    assert mh.odds_ratio == 0  # m$estimate: 0
    assert mh.interval is None  # m$conf.int: NaN NaN
    assert mh.statistic == pytest.approx(4.03192848020434, rel=1e-6)  # m$statistic
    assert mh.p_value == pytest.approx(0.0446468777157355, rel=1e-6)  # m$p.value


def test_the_methods_explain_standardisation_and_name_the_cmh_choices():
    from analysis.report.methods import REFERENCES, methods

    data = {"settings": {"confidence": 0.95, "adjust": "holm"}, "results": [
        {"test": "cmh", "design": "stratified"}, {"test": "std_z", "design": "stratified"}]}
    text = " ".join(methods(data, "en", 5, ("2017", "2018")))
    assert "2017's rates within each stakeholder group applied to 2018's mix of groups" in text
    # R's default is correct = TRUE: R: mantelhaen.test(x, correct = FALSE) is what the rows match
    assert "without continuity correction, as R's mantelhaen.test(x, correct = FALSE)" in text
    assert "Breslow–Day test (Breslow and Day 1980)" in text and "Robins–Breslow–Greenland interval" in text
    assert any(ref.startswith("Breslow, N. E., & Day") for ref in REFERENCES)
    assert any(ref.startswith("Robins, J., Breslow, N., & Greenland") for ref in REFERENCES)
    assert "standardised to the current round's mix" in text


def test_the_aapor_disclosure_section_is_filled_from_what_the_platform_knows():
    from importlib import resources

    import questionnaires as q
    from analysis.report.disclosure import disclosure

    lmp = q.load(resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml")
    data = {"settings": {"confidence": 0.95, "population": {"government": 59}}, "results": [],
            "lead": {"design": "weighted"}, "baseline": {"n": 150}, "current": {"n": 170}}
    cover = {"sponsor": "Ministry of Labour", "organisation": "Research Unit", "date": "2018-07-01",
             "fieldwork": {"baseline": {"first": "2017-03-01", "last": "2017-04-10", "open": False},
                           "current": {"first": "2018-03-02", "last": "2018-04-12", "open": True}}}
    response = {"current": {"all": {"invited": 266, "rr1": 0.639, "rr2": 0.692}}}
    text = disclosure(data, lmp, ("2017", "2018"), "en", 5, cover, response)
    assert text[0] == "Disclosure (AAPOR Transparency Initiative)"
    found = dict(line.split(": ", 1) for line in text[1:])
    assert list(found) == ["Sponsor", "Conducted by", "Questionnaire", "Population", "Sample", "Mode", "Dates",
                           "Sample sizes and precision", "Weighting", "Processing", "Limitations"]
    assert found["Sponsor"] == "Ministry of Labour" and found["Conducted by"] == "Research Unit"
    assert "lmp-stakeholder-review, version 2018.1" in found["Questionnaire"]
    assert "Government ministry or agency 59" in found["Population"]
    assert "266 invited, AAPOR RR1 63.9%, RR2 69.2%" in found["Sample"] and "below 50%" in found["Sample"]
    assert "2018 fieldwork 2 March 2018 to 12 April 2018 (still open)" in found["Dates"]
    assert "2017: 150 respondents; 2018: 170 respondents" in found["Sample sizes and precision"]
    assert found["Weighting"].startswith("Weighted to the known population size")
    # Without the configuration's sponsor, and for files: said to be unknown, never invented.
    bare = dict(line.split(": ", 1) for line in disclosure(data, lmp, ("a", "b"), "en", 5)[1:])
    assert bare["Sponsor"] == "not stated" and "not recorded by the platform" in bare["Sample"]
