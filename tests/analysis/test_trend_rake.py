"""`awareness trend --rake FILE [--trim K]` (issue 24 item 6): every wave raked to the same margins, the
trend's per-wave estimates and its svyglm slope on the raked weights.

R: tests/r/trend_rake.R (TRIM=1.5 for the trimmed values) prints every value pinned here:
    per wave  rake(svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d), list(~group, ~position),
              list(pg, pp), control = list(maxit = 1000, epsilon = 1e-10)); svymean / svyciprop(method = "logit")
    slope     svyglm(y ~ position, svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N,
              weights = ~raked, data = stacked), family = quasibinomial() | gaussian())
options(survey.lonely.psu = "adjust").
"""

import json

import pytest
from click.testing import CliRunner

from analysis import InputError, read_wave
from analysis.designs.rake import read_margins
from analysis.trend import to_dict, trend
from survey.cli import cli

from .conftest import LMP, margins_file
from .conftest import RAKE_BASELINE as BASELINE
from .conftest import RAKE_CURRENT as CURRENT
from .conftest import rake_wave as wave

REL = 1e-6
LIBRARY = str(LMP)
THIRD = [
    ("government", "senior", "yes", "yes", 11, 5), ("government", "middle", "yes", "yes", 5, 4),
    ("government", "technical", "no", None, 2, 2), ("government", "other", "yes", "no", 1, 2),
    ("employers", "senior", "yes", "yes", 7, 3), ("employers", "middle", "no", None, 3, 3),
    ("employers", "technical", "yes", "no", 2, 2), ("employers", "other", "yes", "yes", 1, 1),
    ("workers", "senior", "yes", "yes", 12, 4), ("workers", "middle", "yes", "no", 4, 4),
    ("workers", "technical", "yes", "yes", 3, 7), ("workers", "other", "no", None, 0, 3),
    ("workers", "other", "yes", "yes", 2, 2),
]
SPECS = {"2015": BASELINE, "2016": CURRENT, "2017": THIRD}

# R: cat(label, "heard:", coef(svymean(~heard, r)), attr(svyciprop(~heard, r, method = "logit"), "ci"))
RAKED_WAVES = {
    "heard_policy": {"2015": (0.528964635526826, 0.359181193358325, 0.692300525266343),
                         "2016": (0.740303996845896, 0.528933054228365, 0.878599770629444),
                         "2017": (0.80538018184852, 0.62850397118159, 0.910089539712458)},
    # R: sub <- subset(r, !is.na(read)); svymean(~read, sub, na.rm = TRUE); svyciprop(~read, sub, method = "logit")
    "read_document": {"2015": (0.386226299206689, 0.180211004114506, 0.643023866939165),
                          "2016": (0.727474324113646, 0.529507053099783, 0.86360097460862),
                          "2017": (0.746978901480325, 0.556569016682146, 0.874118956722511)},
    # R: m <- svymean(~years_migration, r); coef(m), confint(m)
    "years_migration": {"2015": (3.52768161222632, 3.24185004398908, 3.81351318046356),
                        "2016": (3.4835668347787, 3.02898240647881, 3.9381512630786),
                        "2017": (3.28619766795056, 3.02907093918362, 3.5433243967175)},
}
# R: fit <- svyglm(y ~ position_num, s, family); coef(summary(fit))["position_num", ] (estimate, se, t, p),
#    fit$df.residual, confint(fit, ddf = fit$df.residual)
RAKED_SLOPES = {
    "heard_policy": (0.675876548071953, 2.00988581827593, 113, 0.0468257565397724,
                         0.00965295952116374, 1.34210013662274),
    "read_document": (0.759379548438536, 1.85315135708107, 77, 0.0676916693742118,
                          -0.0565915042325423, 1.57535060110961),
    "years_migration": (-0.120741972136955, -0.335098289365764, 113, 0.738172210601319,
                        -0.834597074791998, 0.593113130518088),
}
# TRIM=1.5 Rscript tests/r/trend_rake.R: trimWeights(r, upper = 1.5 * mean(weights(r)), strict = TRUE), then
# svydesign(..., weights = ~w): svymean / svyciprop, and the slope as above.
TRIMMED_HEARD = {"2015": (0.460567412228306, 0.2968010792678, 0.633314007245376),
                 "2016": (0.792290487178923, 0.608391577560889, 0.903524910257123),
                 "2017": (0.80553212480232, 0.638892157401614, 0.906524032916989)}
TRIMMED_SLOPES = {
    "heard_policy": (0.855498744142981, 2.83771391666357, 113, 0.00538765591362577,
                         0.258223134559069, 1.45277435372689),
    "read_document": (0.540500035133785, 1.59927126799583, 77, 0.11385587259464,
                          -0.132477146540022, 1.21347721680759),
    "years_migration": (-0.0792517988541876, -0.198672393891548, 113, 0.842876030359521,
                        -0.869558415000908, 0.711054817292533),
}


@pytest.fixture
def files(tmp_path, lmp):
    for label, spec in SPECS.items():
        wave(spec).to_csv(tmp_path / f"{label}.csv", index=False)
    margins_file(tmp_path)
    return tmp_path


def raked_trend(folder, lmp, trim=None):
    waves = [(label, read_wave(folder / f"{label}.csv", lmp)) for label in SPECS]
    return trend(lmp, waves, rake=read_margins(folder / "margins.csv", lmp, trim))


def weighted_rows(result):
    return {row.item: row for row in result.results if row.design == "weighted" and row.group == "all"}


def check_waves(row, expected):
    assert [w.wave for w in row.waves] == list(expected)
    for shown in row.waves:
        estimate, low, high = expected[shown.wave]
        assert shown.estimate.estimate == pytest.approx(estimate, rel=REL)
        assert (shown.estimate.ci.low, shown.estimate.ci.high) == pytest.approx((low, high), rel=REL)


def check_slope(fit, expected):
    slope, t, df, p, low, high = expected
    assert fit.slope == pytest.approx(slope, rel=REL)
    assert fit.statistic == pytest.approx(t, rel=REL)
    assert fit.df == df
    assert fit.p_value == pytest.approx(p, rel=REL)
    # A bound near zero (0.0097) is held to 1e-6 absolutely: R's raking stops a hair sooner (t agrees to 2e-7).
    assert (fit.slope_ci.low, fit.slope_ci.high) == pytest.approx((low, high), rel=REL, abs=REL)


def test_each_wave_is_raked_and_the_slope_is_r_svyglm_on_the_raked_weights(files, lmp):
    rows = weighted_rows(raked_trend(files, lmp))
    for key, expected in RAKED_WAVES.items():
        check_waves(rows[key], expected)
    for key, expected in RAKED_SLOPES.items():
        assert rows[key].trend.test == ("weighted_linear" if key == "years_migration" else "weighted_logistic")
        check_slope(rows[key].trend, expected)


def test_trimmed_weights_match_r_trimweights(files, lmp):
    rows = weighted_rows(raked_trend(files, lmp, trim=1.5))
    check_waves(rows["heard_policy"], TRIMMED_HEARD)
    for key, expected in TRIMMED_SLOPES.items():
        check_slope(rows[key].trend, expected)


def test_settings_and_notes_say_the_waves_were_raked(files, lmp):
    data = to_dict(raked_trend(files, lmp, trim=1.5))
    assert data["settings"]["weighted"] is True
    assert data["settings"]["rake"]["variables"] == ["group", "position"]
    assert data["settings"]["rake"]["trim"] == 1.5
    assert data["settings"]["populations"]["2017"] == {"government": 120, "employers": 60, "workers": 900}
    assert any("raked, each wave to the same margins" in note for note in data["notes"])


def test_a_wave_that_cannot_be_raked_is_named(files, lmp):
    spec = [row for row in THIRD if row[1] != "other"]  # no respondent in position "other" in 2017
    wave(spec).to_csv(files / "2017.csv", index=False)
    with pytest.raises(InputError) as error:
        raked_trend(files, lmp)
    assert any("wave 2017" in p and "'other'" in p for p in error.value.problems)


def test_trend_command_takes_rake_and_trim(files):
    runner = CliRunner()
    args = ["trend", "--questionnaire", str(LIBRARY), *[f"--wave={label}={files / label}.csv" for label in SPECS],
            "--rake", str(files / "margins.csv"), "--format", "json"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    row = next(r for r in data["results"] if r["design"] == "weighted" and r["item"] == "heard_policy")
    assert row["trend"]["slope"] == pytest.approx(RAKED_SLOPES["heard_policy"][0], rel=REL)
    refused = runner.invoke(cli, [*args, "--population", str(files / "margins.csv")])
    assert refused.exit_code == 2 and "--rake gives the group sizes itself" in refused.output
    refused = runner.invoke(cli, args[:-4] + ["--trim", "1.5"])
    assert refused.exit_code == 2 and "--trim bounds the raked weights" in refused.output


def test_a_raked_report_over_the_period_verifies(files, tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    runner = CliRunner()
    report = tmp_path / "period.md"
    result = runner.invoke(cli, ["report", "--questionnaire", str(LIBRARY),
                                 *[f"--wave={label}={files / label}.csv" for label in SPECS],
                                 "--rake", str(files / "margins.csv"), "--trim", "3", "--output", str(report)])
    assert result.exit_code == 0, result.output
    stamp = json.loads(report.with_suffix(".json").read_text())["stamp"]["settings"]
    assert (stamp["rake"], stamp["trim"]) == (str(files / "margins.csv"), 3.0)
    again = ["verify", str(report.with_suffix(".json")), "--questionnaire", str(LIBRARY),
             *[f"--wave={label}={files / label}.csv" for label in SPECS]]
    refused = runner.invoke(cli, again)  # files come from the command line only, the margins too
    assert refused.exit_code == 2 and "--rake FILE --trim 3.0" in refused.output, refused.output
    verified = runner.invoke(cli, [*again, "--rake", str(files / "margins.csv")])  # --trim from the stamp
    assert verified.exit_code == 0 and "verified" in verified.output, verified.output
