"""The survey-weighted regression h24b's trend test calls: analysis.designs.glm.svyglm against R's svyglm.

R: tests/r/svyglm.R builds the data below and runs
    options(survey.lonely.psu = "adjust"); d$position <- d$wave
    des <- svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, data = d)
    f <- svyglm(y ~ position, des, family = quasibinomial()); summary(f)$coefficients; f$df.residual; confint(f)
    g <- svyglm(s ~ position, des); summary(g)$coefficients; confint(g)
The employers of 2016 are one respondent: a stratum of one, adjusted.
"""

import numpy as np
import pytest

from analysis.designs.glm import svyglm

REL = 1e-6
# wave -> group -> (aware answers as 0/1 digits, scores as digits)
WAVES = {
    2015: {"government": ("0101001", "3142051"), "employers": ("00100", "20131"), "workers": ("0010000100", "1203400215")},
    2016: {"government": ("1101001", "4152061"), "employers": ("1", "3"), "workers": ("0110010100", "2213401215")},
    2017: {"government": ("11010111", "41520613"), "employers": ("010", "314"), "workers": ("1110010101", "3213501216")},
    2018: {"government": ("11110110", "52520624"), "employers": ("0110", "3245"), "workers": ("1110110111", "3314502316")},
}
POPULATION = {"government": 40, "employers": 25, "workers": 30}


def fit(family, column):
    rows = [(wave, group, int(a), int(s)) for wave, groups in WAVES.items()
            for group, (aware, scores) in groups.items() for a, s in zip(aware, scores, strict=True)]
    waves = np.array([row[0] for row in rows], dtype=float)
    return svyglm([row[column] for row in rows], {"position": waves},
                  strata=[f"{row[0]}.{row[1]}" for row in rows], population=[POPULATION[row[1]] for row in rows],
                  family=family)


def test_quasibinomial_slope_on_position_matches_svyglm():
    result = fit("quasibinomial", 2)
    slope = result.terms["position"]
    assert result.n == 83
    assert slope.estimate == pytest.approx(0.495206664735696, rel=REL)  # coef(f)["position"]
    assert slope.se == pytest.approx(0.208728758008089, rel=REL)  # summary(f)$coefficients[2, 2]
    assert slope.statistic == pytest.approx(2.37248891557389, rel=REL)  # t value
    assert slope.df == 70  # f$df.residual
    assert slope.p_value == pytest.approx(0.0204207466379087, rel=REL)  # Pr(>|t|)
    assert (slope.ci.low, slope.ci.high) == (pytest.approx(0.0789102834704561, rel=REL),
                                             pytest.approx(0.911503046000935, rel=REL))  # confint(f)
    intercept = result.terms["(Intercept)"]
    assert intercept.estimate == pytest.approx(-998.347383105207655, rel=REL)
    assert intercept.se == pytest.approx(420.895625096349249, rel=REL)


def test_gaussian_slope_on_position_matches_svyglm():
    slope = fit("gaussian", 3).terms["position"]
    assert slope.estimate == pytest.approx(0.384536340852323, rel=REL)  # coef(g)["position"]
    assert slope.se == pytest.approx(0.152456946388374, rel=REL)
    assert slope.statistic == pytest.approx(2.52226185793294, rel=REL)
    assert slope.df == 70  # g$df.residual
    assert slope.p_value == pytest.approx(0.0139370830676053, rel=REL)
    assert (slope.ci.low, slope.ci.high) == (pytest.approx(0.0804705490280393, rel=REL),
                                             pytest.approx(0.688602132676606, rel=REL))  # confint(g)


def test_an_unknown_family_is_refused():
    with pytest.raises(ValueError, match="family must be one of quasibinomial, gaussian"):
        fit("poisson", 3)
