"""Statistics pinned to values computed in R (tests/r/reference.R holds every call)."""

import numpy as np
import pytest

from analysis import stats

REL = 1e-6


def approx(value):
    return pytest.approx(value, rel=REL, abs=1e-12)


def test_published_result_malaria_journal_2016_table_6():
    # doi 10.1186/s12936-016-1551-8: 310/412 before, 409/412 after, chi2(1) = 106.97.
    # R: chisq.test(matrix(c(310, 102, 409, 3), 2, byrow = TRUE), correct = FALSE)
    result = stats.proportion_test(310, 412, 409, 412)
    assert result.test == "chi2" and result.df == 1
    assert result.statistic == approx(106.974289688059)
    assert result.p_value == approx(4.50982268730802e-25)
    assert round(result.statistic, 2) == 106.97


def test_wilson_intervals():
    # R: prop.test(310, 412, correct = FALSE)$conf.int
    assert stats.wilson_interval(310, 412, 0.95) == stats.Interval(approx(0.708547038571997), approx(0.791643588379625))
    # R: prop.test(409, 412, correct = FALSE)$conf.int
    assert stats.wilson_interval(409, 412, 0.95) == stats.Interval(approx(0.978813040604417), approx(0.997520587003076))
    # R: prop.test(74, 120, correct = FALSE)$conf.int
    assert stats.wilson_interval(74, 120, 0.95) == stats.Interval(approx(0.527340805384205), approx(0.698754722451431))
    # R: prop.test(137, 150, correct = FALSE, conf.level = 0.90)$conf.int
    assert stats.wilson_interval(137, 150, 0.90) == stats.Interval(approx(0.867851807386778), approx(0.944168484707435))


def test_wilson_at_zero_and_one_hundred_percent():
    # R: prop.test(0, 10, correct = FALSE)$conf.int ; prop.test(10, 10, correct = FALSE)$conf.int
    assert stats.wilson_interval(0, 10, 0.95) == stats.Interval(0.0, approx(0.277532799862889))
    assert stats.wilson_interval(10, 10, 0.95) == stats.Interval(approx(0.722467200137111), 1.0)


def test_newcombe_hybrid_score_interval():
    # R, from the two Wilson intervals b (310/412) and a (409/412), p1 = 310/412, p2 = 409/412:
    # c(p2 - p1 - sqrt((p2 - a[1])^2 + (b[2] - p1)^2), p2 - p1 + sqrt((a[2] - p2)^2 + (p1 - b[1])^2))
    interval = stats.newcombe_interval(310, 412, 409, 412, 0.95)
    assert interval == stats.Interval(approx(0.198682529256020), approx(0.284433393440526))


def test_chi_square_moderate_counts():
    # R: chisq.test(matrix(c(74, 46, 137, 13), 2, byrow = TRUE), correct = FALSE)
    result = stats.proportion_test(74, 120, 137, 150)
    assert result.test == "chi2"
    assert result.statistic == approx(34.358904329665)
    assert result.p_value == approx(4.58298786532943e-09)


@pytest.mark.parametrize("counts, expected", [
    ((3, 4, 1, 4), 0.485714285714286),    # R: fisher.test(matrix(c(3, 1, 1, 3), 2, byrow = TRUE))$p.value
    ((2, 9, 7, 8), 0.0152200740436035),   # R: fisher.test(matrix(c(2, 7, 7, 1), 2, byrow = TRUE))$p.value
    ((0, 8, 8, 8), 0.000155400155400156),  # R: fisher.test(matrix(c(0, 8, 8, 0), 2, byrow = TRUE))$p.value
])
def test_fisher_for_small_cells(counts, expected):
    result = stats.proportion_test(*counts)
    assert result.test == "fisher" and result.statistic is None and result.df is None
    assert result.p_value == approx(expected)


def test_expected_count_of_exactly_five_uses_chi_square():
    # 0/10 vs 10/10: every expected count is 5. R: chisq.test(matrix(c(0, 10, 10, 0), 2), correct = FALSE)
    result = stats.proportion_test(0, 10, 10, 10)
    assert result.test == "chi2" and result.statistic == approx(20)


def test_cohens_h():
    assert stats.cohens_h(0.5, 0.5) == 0
    assert stats.cohens_h(0.0, 1.0) == pytest.approx(np.pi)


def level_counts(levels, values):
    return np.array([list(values).count(level) for level in levels])


@pytest.mark.parametrize("base, cur, w, p", [
    # R: base <- rep(1:5, c(10, 20, 30, 25, 15)); cur <- rep(1:5, c(5, 10, 25, 35, 25))
    #    wilcox.test(cur, base, exact = FALSE, correct = TRUE)
    ([10, 20, 30, 25, 15], [5, 10, 25, 35, 25], 6200, 0.0025090740091198),
    # R: wilcox.test(c(3, 4, 4, 5, 5), c(1, 2, 2, 3), exact = FALSE, correct = TRUE)
    ([1, 2, 1, 0, 0], [0, 0, 1, 2, 2], 19.5, 0.0249466432229087),
    # R: wilcox.test(c(2, 2, 3), c(3, 3, 3, 3), exact = FALSE, correct = TRUE)
    ([0, 0, 4, 0, 0], [0, 2, 1, 0, 0], 2, 0.117524868096639),
])
def test_mann_whitney_matches_wilcox_test(base, cur, w, p):
    rank = stats.mann_whitney_from_counts(np.array(base), np.array(cur))
    assert rank.u_current == approx(w)
    assert rank.result.p_value == approx(p)
    assert rank.rank_biserial == approx(2 * w / (sum(base) * sum(cur)) - 1)


def test_mann_whitney_identical_answers_has_no_test():
    rank = stats.mann_whitney_from_counts(np.array([0, 5, 0]), np.array([0, 7, 0]))
    assert rank.result.p_value is None and "identical" in rank.result.note
    assert rank.rank_biserial == 0


SB = np.array([0, 1, 1, 2, 3, 0, 5, 2, 1, 1, 4])
SC = np.array([2, 3, 1, 4, 6, 2, 3, 8, 5])


def moments(x):
    return stats.Moments(len(x), float(np.mean(x)), float(np.var(x, ddof=1)))


def test_welch_t_matches_t_test():
    # R: sb <- c(0, 1, 1, 2, 3, 0, 5, 2, 1, 1, 4); sc <- c(2, 3, 1, 4, 6, 2, 3, 8, 5); t.test(sc, sb)
    welch = stats.welch_t(moments(SB), moments(SC), 0.95)
    assert welch.result.statistic == approx(2.2153423798067)
    assert welch.result.df == approx(14.1849776373113)
    assert welch.result.p_value == approx(0.0435867634723172)
    assert welch.interval == stats.Interval(approx(0.0647289067637457), approx(3.8544630124281736))
    # R: t.test(sc, sb, conf.level = 0.99)$conf.int
    assert stats.welch_t(moments(SB), moments(SC), 0.99).interval == stats.Interval(
        approx(-0.668339966143348), approx(4.587531885335267))


def test_hedges_g():
    pooled = np.sqrt(((len(SB) - 1) * SB.var(ddof=1) + (len(SC) - 1) * SC.var(ddof=1)) / (len(SB) + len(SC) - 2))
    expected = (SC.mean() - SB.mean()) / pooled * (1 - 3 / (4 * (len(SB) + len(SC)) - 9))
    assert stats.welch_t(moments(SB), moments(SC), 0.95).hedges_g == approx(expected)


def test_mean_interval_matches_t_test():
    # R: t.test(sb)$conf.int
    assert stats.mean_interval(moments(SB), 0.95) == stats.Interval(approx(0.742524043742175), approx(2.893839592621462))


def test_welch_without_variation():
    welch = stats.welch_t(stats.Moments(5, 2.0, 0.0), stats.Moments(4, 2.0, 0.0), 0.95)
    assert welch.result.p_value is None and "do not vary within the waves" in welch.result.note


def test_pooled_moments_are_exact():
    parts = [SB[:4], SB[4:], SC]
    pooled = stats.Moments.pool([moments(p) for p in parts])
    everything = np.concatenate(parts)
    assert pooled.n == len(everything)
    assert pooled.mean == approx(everything.mean())
    assert pooled.variance == approx(everything.var(ddof=1))


P = [0.01, 0.04, 0.03, 0.2, 0.001, 0.04]


def test_holm_matches_p_adjust():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.001, 0.04), "holm")
    assert stats.adjust_p_values(P, "holm") == [approx(v) for v in (0.05, 0.12, 0.12, 0.2, 0.006, 0.12)]


def test_bh_matches_p_adjust():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.001, 0.04), "BH")
    assert stats.adjust_p_values(P, "bh") == [approx(v) for v in (0.03, 0.048, 0.048, 0.2, 0.006, 0.048)]


def test_no_adjustment():
    assert stats.adjust_p_values(P, "none") == P


def test_the_short_paths_give_scipy_s_very_numbers():
    """proportion_test's chi-square, Fisher's test and the tails (normal, t, chi-square) skip scipy's checks and
    dispatch, not its arithmetic: every value equals scipy's own, to the last bit, over tables and statistics of
    every size."""
    from scipy import stats as scipy_stats

    rng = np.random.default_rng(22)
    for _ in range(300):
        n_base, n_cur = (int(n) for n in rng.integers(10, 5000, size=2))
        x_base, x_cur = int(rng.integers(0, n_base + 1)), int(rng.integers(0, n_cur + 1))
        result = stats.proportion_test(x_base, n_base, x_cur, n_cur)
        if result.test == "chi2":
            table = np.array([[x_base, n_base - x_base], [x_cur, n_cur - x_cur]], dtype=float)
            scipy_result = scipy_stats.chi2_contingency(table, correction=False)
            assert (result.statistic, result.p_value) == (float(scipy_result.statistic), float(scipy_result.pvalue))
    for x in [0.0, *np.abs(rng.standard_normal(200) * 10.0 ** rng.integers(-3, 2, size=200)), 40.0, np.inf]:
        df = float(rng.uniform(0.5, 5000))
        assert stats.normal_sf(x) == float(scipy_stats.norm.sf(x))
        assert stats.t_sf(x, df) == float(scipy_stats.t.sf(x, df))
        assert stats.chi2_sf(x * x, 1.0) == float(scipy_stats.chi2.sf(x * x, 1))
    tables = [*(tuple(int(v) for v in rng.integers(0, high, size=4)) for high in (4, 12, 40, 300) for _ in range(60)),
              (0, 0, 3, 4), (3, 4, 0, 0), (0, 5, 0, 7), (5, 0, 0, 5), (1, 0, 0, 1)]
    for a, b, c, d in tables:
        scipy_p = scipy_stats.fisher_exact(np.array([[a, b], [c, d]]), alternative="two-sided").pvalue
        assert stats.fisher_p(a, b, c, d) == min(1.0, float(scipy_p)), (a, b, c, d)
