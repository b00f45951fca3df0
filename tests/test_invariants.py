"""Properties every row must have, whatever the data (Hypothesis): issue 8, "degenerate data"."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import questionnaires as q
from analysis import compare, read_frame, to_dict

from .conftest import EXAMPLE

QUESTIONNAIRE = q.load(EXAMPLE)
# The item allows 0..100; the same questionnaire with the maximum lifted, for scores shifted by up to 1000.
LIFTED = q.loads(EXAMPLE.read_text(encoding="utf-8").replace("        max: 100\n", "        max: 2000\n"))
GROUPS = ("government", "employers", "workers")

answers = st.fixed_dictionaries({
    "group": st.sampled_from(GROUPS),
    "heard_policy": st.sampled_from(["yes", "no", "dk", ""]),
    "understand": st.sampled_from(["1", "2", "3", "4", "5", ""]),
    "trainings": st.one_of(st.just(""), st.integers(0, 100).map(str)),
})
waves = st.lists(answers, min_size=1, max_size=25)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def wave(rows, name="w"):
    frame = pd.DataFrame(rows, columns=["group", "heard_policy", "understand", "trainings"]).astype(str)
    return read_frame(frame, QUESTIONNAIRE, source=name)


def results(base_rows, cur_rows, **options):
    comparison = compare(QUESTIONNAIRE, wave(base_rows, "b"), wave(cur_rows, "c"), **options)
    return {(r["item"], r["group"], r["design"]): r for r in to_dict(comparison)["results"]}


def inside(value, interval, slack=1e-9):
    low, high = interval
    return low - slack <= value <= high + slack


@FAST
@given(waves, waves)
def test_every_row_is_sane(base_rows, cur_rows):
    for row in results(base_rows, cur_rows, by_group=True, stratify=True).values():
        if row["p_value"] is not None:
            assert 0 <= row["p_value"] <= 1 and 0 <= row["p_adjusted"] <= 1
        for value in (row["statistic"], row["df"], row["difference"]):
            assert value is None or math.isfinite(value)
        for wave_name in ("baseline", "current"):
            estimate = row[wave_name]
            if estimate["ci"] is not None and estimate["estimate"] is not None:
                assert inside(estimate["estimate"], estimate["ci"])
        if row["difference_ci"] is not None:
            assert inside(row["difference"], row["difference_ci"])
        effect = row["effect_size"]
        if effect and effect["value"] is not None:
            assert math.isfinite(effect["value"])
            if effect["ci"] is not None:
                assert inside(effect["value"], effect["ci"])


@FAST
@given(waves, waves)
def test_swapping_the_waves_flips_signs_and_keeps_p(base_rows, cur_rows):
    forward, backward = results(base_rows, cur_rows), results(cur_rows, base_rows)
    for key, row in forward.items():
        if key[2] != "independent":
            # Rows adjusted for group (added when the mix changed) standardise to the current wave's mix, and a
            # Mantel-Haenszel odds ratio of 0 becomes an infinite one: neither is symmetric in the two waves.
            continue
        other = backward[key]
        if row["p_value"] is None:
            assert other["p_value"] is None
            continue
        assert other["p_value"] == pytest.approx(row["p_value"], rel=1e-9, abs=1e-12)
        assert other["difference"] == pytest.approx(-row["difference"], abs=1e-12)
        if row["effect_size"]["value"] is not None:
            assert other["effect_size"]["value"] == pytest.approx(-row["effect_size"]["value"], rel=1e-9, abs=1e-12)


@FAST
@given(waves, waves, st.integers(1, 1000))
def test_adding_a_constant_changes_no_test(base_rows, cur_rows, constant):
    # The item allows 0..100, so compare with the maximum lifted (LIFTED): a shifted score is still valid.
    plain = results(base_rows, cur_rows)[("trainings", "all", "independent")]
    definition = LIFTED
    shifted = to_dict(compare(definition, read_frame(_shifted(base_rows, constant), definition, source="b"),
                              read_frame(_shifted(cur_rows, constant), definition, source="c")))
    row = next(r for r in shifted["results"] if r["item"] == "trainings" and r["group"] == "all")
    for field in ("statistic", "df", "p_value", "difference"):
        if plain[field] is None:
            assert row[field] is None
        else:
            assert row[field] == pytest.approx(plain[field], rel=1e-7, abs=1e-9)


def _shifted(rows, constant):
    frame = pd.DataFrame(rows, columns=["group", "heard_policy", "understand", "trainings"]).astype(str)
    frame["trainings"] = [str(int(v) + constant) if v else "" for v in frame["trainings"]]
    return frame


def test_constant_scores_stay_constant_after_a_shift():
    # The degenerate case the tolerance exists for: identical answers within each wave.
    rows_b = [{"group": "workers", "heard_policy": "yes", "understand": "3", "trainings": "7"}] * 5
    rows_c = [{"group": "workers", "heard_policy": "yes", "understand": "3", "trainings": "9"}] * 5
    row = results(rows_b, rows_c)[("trainings", "all", "independent")]
    assert row["p_value"] is None and row["effect_size"]["value"] is None
    assert np.isclose(row["difference"], 2)


def keyed(rows):
    frame = pd.DataFrame(rows, columns=["group", "heard_policy", "understand", "trainings"]).astype(str)
    frame.insert(0, "respondent", [f"k{i}" for i in range(len(frame))])
    return read_frame(frame, QUESTIONNAIRE, source="keyed")


@FAST
@given(waves, waves)
def test_paired_rows_are_sane_and_symmetric(base_rows, cur_rows):
    forward = to_dict(compare(QUESTIONNAIRE, keyed(base_rows), keyed(cur_rows), paired=True, by_group=True))
    backward = to_dict(compare(QUESTIONNAIRE, keyed(cur_rows), keyed(base_rows), paired=True, by_group=True))
    # A pair belongs to the group given this year: swapping the waves can regroup pairs, so compare `all`.
    others = {(r["item"], r["group"]): r for r in backward["results"] if r["design"] == "paired"}
    for row in forward["results"]:
        if row["design"] != "paired":
            continue
        assert row["p_value"] is None or 0 <= row["p_value"] <= 1
        assert row["statistic"] is None or math.isfinite(row["statistic"])
        if row["difference_ci"] is not None:
            assert inside(row["difference"], row["difference_ci"])
        if row["group"] != "all":
            continue
        other = others[(row["item"], "all")]
        if row["p_value"] is None:
            assert other["p_value"] is None
        else:
            assert other["p_value"] == pytest.approx(row["p_value"], rel=1e-9, abs=1e-12)
            assert other["difference"] == pytest.approx(-row["difference"], abs=1e-12)
