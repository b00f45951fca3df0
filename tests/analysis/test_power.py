"""`awareness power` and analysis.power, checked against R's power.prop.test (tests/r/reference.R)."""

import pytest

from analysis import power

REL = 1e-6


def test_detectable_rise_matches_power_prop_test():
    # R: power.prop.test(n = 100, p1 = 0.5, power = 0.8, tol = 1e-12)$p2
    assert power.detectable_rise(power.Plan(0.5, 100)) == pytest.approx(0.693225150930012 - 0.5, rel=REL)
    # R: power.prop.test(n = 250, p1 = 0.3, power = 0.9, sig.level = 0.01, tol = 1e-12)$p2
    plan = power.Plan(0.3, 250, alpha=0.01, power=0.9)
    assert power.detectable_rise(plan) == pytest.approx(0.466929150083884 - 0.3, rel=REL)


def test_detectable_fall_is_the_rise_from_the_other_side():
    # R: power.prop.test(n = 100, p1 = 0.7, power = 0.8, tol = 1e-12)$p2: the fall from 0.3
    assert power.detectable_fall(power.Plan(0.3, 100)) == pytest.approx(0.862787987921807 - 0.7, rel=REL)


def test_sample_size_matches_power_prop_test():
    # R: power.prop.test(p1 = 0.5, p2 = 0.65, power = 0.8, tol = 1e-12)$n
    assert power.sample_size(0.5, 0.15) == pytest.approx(169.311371419669, rel=REL)
    assert power.sample_size(0.65, -0.15) == pytest.approx(169.311371419669, rel=REL)


def test_finite_population_correction():
    # R: power.prop.test(n = 100 * 999 / 900, p1 = 0.5, power = 0.8, tol = 1e-12)$p2
    assert power.detectable_rise(power.Plan(0.5, 100, population=1000)) == pytest.approx(
        0.683845364087628 - 0.5, rel=REL)
    n0 = 169.311371419669
    assert power.sample_size(0.5, 0.15, population=500) == pytest.approx(n0 * 500 / (n0 + 499), rel=REL)
    with pytest.raises(ValueError, match="not a sample of a population of 80"):
        power.detectable_rise(power.Plan(0.5, 100, population=80))


def test_nothing_detectable_says_so():
    assert power.detectable_rise(power.Plan(0.9, 3)) is None


def test_power_command(runner, tmp_path):
    result = runner.invoke(args=["power", "--baseline", "0.5", "--n", "100", "--difference", "0.15"])
    assert result.exit_code == 0, result.output
    assert "smallest detectable rise: 19.3 points" in result.output
    assert "respondents needed per wave: 170 (169.3)" in result.output
    population = tmp_path / "population.csv"
    population.write_text("group,size\ngovernment,400\nworkers,600\n", encoding="utf-8")
    fpc = runner.invoke(args=["power", "--baseline", "0.5", "--n", "100", "--population", str(population)])
    assert "finite population of 1000" in fpc.output and "rise: 18.4 points" in fpc.output


def test_power_command_refuses_bad_input(runner, tmp_path):
    assert runner.invoke(args=["power", "--baseline", "0.5"]).exit_code == 2
    assert runner.invoke(args=["power", "--baseline", "1.5", "--n", "10"]).exit_code == 2
    bad = tmp_path / "population.csv"
    bad.write_text("group,size\ngovernment,many\n", encoding="utf-8")
    result = runner.invoke(args=["power", "--baseline", "0.5", "--n", "10", "--population", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: row 2, column 'size': 'many' is not a whole number from 1 to 999,999,999" in result.output
    too_big = runner.invoke(args=["power", "--baseline", "0.5", "--difference", "0.6"])
    assert too_big.exit_code == 1 and "must be a proportion" in too_big.output and "Traceback" not in too_big.output
