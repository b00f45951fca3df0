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
