"""Issue 23 item 4: the headline follows the lead design, chosen by a documented rule and stated in words.

Paired when asked for; weighted when population sizes are known; otherwise adjusted for group (without an
option) when the mix of stakeholder groups changed; otherwise independent. Values pinned to R (the R call beside
each value; the data are made in this file).
"""


import pandas as pd
import pytest

from analysis import compare, report, to_dict
from analysis.compare import PAIRED_SUGGESTION
from analysis.report import content
from analysis.report.content import _chart_sets
from analysis.report.lead import headline_rows, lead_design

# Every group knows more in 2018, but 2018's respondents are mostly workers, who know less:
# {group: (respondents, policy period right per 10, ministry right per 10, capacity from, trainings from)}
BASE_MIX = {"government": (30, 7, 8, 3, 2), "workers": (10, 2, 3, 1, 0)}
CUR_MIX = {"government": (10, 9, 9, 3, 3), "workers": (30, 4, 5, 2, 1)}


def mixed_wave(spec: dict) -> pd.DataFrame:
    rows = []
    for group, (n, period, ministry, capacity, trainings) in spec.items():
        for i in range(n):
            rows.append({"group": group, "policy_period": "p2" if i % 10 < period else "p1",
                         "lead_ministry": "molvt" if (i * 3) % 10 < ministry else "moi",
                         "capacity": str(min(5, capacity + i % 3)), "trainings": trainings + i % 4,
                         "heard_policy": "yes" if (i * 7) % 10 < period else "no"})
    return pd.DataFrame(rows)


@pytest.fixture
def mixed(lmp, read_frames):
    return read_frames(lmp, mixed_wave(BASE_MIX), mixed_wave(CUR_MIX))


def find(data, item, design):
    return next(r for r in data["results"] if r["item"] == item and r["group"] == "all" and r["design"] == design)


# R, for the adjusted rows below (b, c: the two files; score = 100 * correct / answered of the two items):
#   library(survey); w <- table(c$group) / nrow(c)
#   std <- function(y, d) { d$w <- as.numeric(w[d$group] / table(d$group)[d$group])
#                           svymean(as.formula(paste0("~", y)), svydesign(ids = ~1, strata = ~group, weights = ~w, data = d)) }
#   mb <- std(y, b); mc <- std(y, c); d <- coef(mc) - coef(mb); se <- sqrt(SE(mb)^2 + SE(mc)^2)
#   d + c(-1, 1) * qnorm(.975) * se; 2 * pnorm(-abs(d / se))
ADJUSTED = {  # item: (baseline standardised, SE, current, SE, CI low, CI high, p)
    "knowledge_score": (37.5, 8.46519242301205, 56.25, 5.151558370032, -0.672247889926009, 38.172247889926,
                        0.0584743012144092),
    "capacity": (2.425, 0.211096616763972, 3.225, 0.13312663576244, 0.310854545471928, 1.28914545452807,
                 0.0013481326603427),
    "trainings": (1.83333333333333, 0.279838144242668, 2.9, 0.180450160810121, 0.414049728263625,
                  1.71928360506971, 0.00135789797047466),
}


def test_a_changed_mix_leads_with_rows_adjusted_for_group_without_an_option(lmp, mixed):
    data = to_dict(compare(lmp, *mixed))
    # R: chisq.test(rbind(table(b$group), table(c$group)), correct = FALSE): X-squared = 20, p = 7.74421643104e-06
    assert data["mix_test"]["statistic"] == pytest.approx(20, rel=1e-6)
    assert data["mix_test"]["p_value"] == pytest.approx(7.74421643104e-06, rel=1e-6)
    assert data["lead"]["design"] == "stratified" and lead_design(data) == "stratified"
    # The unadjusted score fell (R: t.test(c$score, b$score): 56.25 vs 62.5, p = .448); every group's rose.
    assert find(data, "knowledge_score", "independent")["difference"] == pytest.approx(-6.25)
    for item, (base, base_se, cur, cur_se, low, high, p) in ADJUSTED.items():
        row = find(data, item, "stratified")
        assert row["baseline"]["estimate"] == pytest.approx(base, rel=1e-6)  # coef(mb)
        assert row["current"]["estimate"] == pytest.approx(cur, rel=1e-6)  # coef(mc)
        half = [(row[w]["ci"][1] - row[w]["ci"][0]) / 2 / 1.959963984540054 for w in ("baseline", "current")]
        assert half == pytest.approx([base_se, cur_se], rel=1e-6)  # SE(mb), SE(mc)
        assert row["difference_ci"] == pytest.approx([low, high], rel=1e-6)
        assert row["p_value"] == pytest.approx(p, rel=1e-6)
    # Proportions: R: mantelhaen.test(x, correct = FALSE), x[wave, right/wrong, group] of policy_period
    cmh = find(data, "policy_period", "stratified")
    assert cmh["statistic"] == pytest.approx(2.81927710843373, rel=1e-6)
    assert cmh["p_value"] == pytest.approx(0.0931383415952381, rel=1e-6)
    assert cmh["effect_size"]["value"] == pytest.approx(3.10526315789474, rel=1e-6)
    assert cmh["effect_size"]["ci"] == pytest.approx([0.805848906936253, 11.965840242234369], rel=1e-6)
    # The headline follows the adjusted rows, for the score too.
    assert {row["design"] for row in headline_rows(data, lmp)} == {"stratified"}


def test_the_mix_caveat_is_said_once_in_the_headline_in_apa_form(lmp, mixed):
    data = to_dict(compare(lmp, *mixed))
    built = report.build(data, lmp, labels=("2017", "2018"))
    assert "χ²(1, N\u00a0=\u00a080)\u00a0=\u00a020.00, p\u00a0<\u00a0.001" in built.lead
    assert "adjusted for group" in built.lead and "applied to 2018's mix" in built.lead
    everything = " ".join([built.lead, *built.findings, *built.notes, *built.methods,
                           *(row.note + row.question for section in built.sections for row in section.rows)])
    assert everything.count("20.00") == 1 and "mix differs" not in everything.replace(built.lead, "")
    assert "e-0" not in everything  # never "p = 7.7e-06"
    assert all("mix" not in (row["note"] or "") for row in data["results"])


def test_charts_plot_the_rows_of_the_headlines_design(lmp, mixed, monkeypatch):
    data = to_dict(compare(lmp, *mixed))
    charted = [row for _percent, _suffix, rows in _chart_sets(data["results"], lead_design(data)) for row in rows]
    assert charted and {row["design"] for row in charted} == {"stratified"}
    plotted = {}
    original = content.charts.dot_interval

    def spy(title, points, **options):
        plotted[options["chart_id"]] = points
        return original(title, points, **options)

    monkeypatch.setattr(content.charts, "dot_interval", spy)
    built = report.build(data, lmp, labels=("2017", "2018"))
    # The chart's baseline point is the standardised 37.50 of the sentence, not the unadjusted 62.50.
    assert "37.50 (95% CI" in " ".join(built.findings)
    assert plotted["knowledge_score-s-knowledge_score"][0].baseline[0] == pytest.approx(37.5)


# A full panel of 40: 19 "yes" both years, 1 lost, 8 gained, 12 "no" both years.
PANEL_BASE = ["yes"] * 20 + ["no"] * 20
PANEL_CUR = ["yes"] * 19 + ["no"] + ["yes"] * 8 + ["no"] * 12


@pytest.fixture
def panel(lmp, read_frames):
    keys = [f"r{i:02d}" for i in range(40)]
    groups = ["government", "workers"] * 20
    return read_frames(lmp, *(pd.DataFrame({"respondent": keys, "group": groups, "heard_policy": answers})
                              for answers in (PANEL_BASE, PANEL_CUR)), names=("pb.csv", "pc.csv"))


def test_a_paired_panel_leads_with_the_exact_mcnemar_test(lmp, panel):
    data = to_dict(compare(lmp, *panel, paired=True))
    assert data["lead"]["design"] == "paired"
    # R: chisq.test(rbind(c(20, 20), c(27, 13)), correct = FALSE)$p.value: not what the headline uses
    assert find(data, "heard_policy", "independent")["p_value"] == pytest.approx(0.111884316481145, rel=1e-6)
    row = next(row for row in headline_rows(data, lmp) if row["item"] == "heard_policy")
    assert row["design"] == "paired" and row["test"] == "mcnemar_exact"
    assert row["p_value"] == pytest.approx(0.0390625, rel=1e-6)  # R: binom.test(1, 9)$p.value
    built = report.build(data, lmp, labels=("2017", "2018"), min_cell=5)
    assert "same respondents" in built.lead and "exact McNemar test, p\u00a0=\u00a0.039" in built.findings[0]


def test_most_respondents_in_both_waves_suggests_the_paired_design(lmp, panel):
    data = to_dict(compare(lmp, *panel))
    assert data["lead"]["design"] == "independent" and PAIRED_SUGGESTION in data["notes"]
    built = report.build(data, lmp, labels=("2017", "2018"))
    assert any("would compare each with themselves" in note and "--" not in note for note in built.notes)


def test_paired_asked_without_pairs_falls_back_and_says_so(lmp, mixed):
    data = to_dict(compare(lmp, *mixed, paired=True))
    assert data["lead"]["design"] == "stratified"
    assert "no respondent answered both rounds" in report.build(data, lmp, labels=("2017", "2018")).lead


def test_weighted_leads_when_population_sizes_are_known(lmp, mixed):
    data = to_dict(compare(lmp, *mixed, population={"government": 60, "workers": 400}))
    assert data["lead"]["design"] == "weighted"
    built = report.build(data, lmp, labels=("2017", "2018"))
    assert "weighted to the known number" in built.lead and "weighting to the population allows for it" in built.lead
    assert not any(row["design"] == "stratified" for row in data["results"])
