"""Raking (`--rake FILE`, issue 24 item 6): the weighted rows raked to the group and position margins.

R: tests/r/rake.R builds the same waves and prints every value pinned here:
    rake(svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d), list(~group, ~position), list(pg, pp),
         control = list(maxit = 1000, epsilon = 1e-10))
then svymean / svyciprop(method = "logit"), options(survey.lonely.psu = "adjust").
"""

import pytest

from analysis import InputError, compare, read_wave, to_dict
from analysis.designs.rake import read_margins

from .conftest import LMP, margins_file
from .conftest import RAKE_BASELINE as BASELINE
from .conftest import RAKE_CURRENT as CURRENT
from .conftest import RAKE_MARGINS as MARGINS
from .conftest import rake_wave as wave

REL = 1e-6
LIBRARY = str(LMP)


@pytest.fixture
def waves(lmp, read_frames):
    return read_frames(lmp, wave(BASELINE), wave(CURRENT))


def rows(lmp, waves, margins):
    return {r["item"]: r for r in to_dict(compare(lmp, *waves, rake=margins))["results"] if r["design"] == "weighted"}


def test_raked_rows_match_rake_then_svymean(tmp_path, lmp, waves):
    found = rows(lmp, waves, read_margins(margins_file(tmp_path), lmp))
    heard, read, years = found["heard_policy"], found["read_document"], found["years_migration"]
    # R: svymean(~heard, r); attr(svyciprop(~heard, r, method = "logit"), "ci")
    assert heard["baseline"]["estimate"] == pytest.approx(0.528964635526826, rel=REL)
    assert heard["baseline"]["ci"] == [pytest.approx(0.359181193358325, rel=REL),
                                       pytest.approx(0.692300525266343, rel=REL)]
    assert heard["current"]["estimate"] == pytest.approx(0.740303996845896, rel=REL)
    assert heard["current"]["ci"] == [pytest.approx(0.528933054228365, rel=REL),
                                      pytest.approx(0.878599770629444, rel=REL)]
    # R: z = (coef(hc) - coef(hb)) / sqrt(SE(hb)^2 + SE(hc)^2), SEs 0.0855288223745439 and 0.0884025810467868
    assert heard["difference"] == pytest.approx(0.21133936131907, rel=REL)
    assert heard["statistic"] == pytest.approx(1.71813829030962, rel=REL)
    assert heard["p_value"] == pytest.approx(0.0857713941233738, rel=REL)
    # A domain of the raked design. R: svymean(~read, subset(r, !is.na(read)), na.rm = TRUE) and svyciprop
    assert read["baseline"]["estimate"] == pytest.approx(0.386226299206689, rel=REL)
    assert read["baseline"]["ci"] == [pytest.approx(0.180211004114506, rel=REL),
                                      pytest.approx(0.643023866939165, rel=REL)]
    assert read["current"]["ci"] == [pytest.approx(0.529507053099783, rel=REL),
                                     pytest.approx(0.86360097460862, rel=REL)]
    # R: svymean(~years_migration, r); confint(...): the calibrated variance (raking's credit)
    assert years["baseline"]["estimate"] == pytest.approx(3.52768161222632, rel=REL)
    assert years["baseline"]["ci"] == [pytest.approx(3.24185004398908, rel=REL),
                                       pytest.approx(3.81351318046356, rel=REL)]
    assert years["current"]["ci"] == [pytest.approx(3.02898240647881, rel=REL),
                                      pytest.approx(3.9381512630786, rel=REL)]


def test_raked_rows_give_kish_deff_and_effective_n(tmp_path, lmp, waves):
    found = rows(lmp, waves, read_margins(margins_file(tmp_path), lmp))
    # R: w <- weights(r); length(w) * sum(w^2) / sum(w)^2 (over the respondents with an answer)
    assert found["heard_policy"]["baseline"]["deff"] == pytest.approx(1.69999357906098, rel=REL)
    assert found["heard_policy"]["baseline"]["n_effective"] == pytest.approx(41 / 1.69999357906098, rel=REL)
    assert found["heard_policy"]["current"]["deff"] == pytest.approx(1.63026650202992, rel=REL)
    assert found["read_document"]["baseline"]["deff"] == pytest.approx(1.92001656068355, rel=REL)
    assert found["read_document"]["current"]["n_effective"] == pytest.approx(33 / 1.66611369416679, rel=REL)


def test_trimming_caps_the_weights_at_the_stated_bound(tmp_path, lmp, waves):
    comparison = compare(lmp, *waves, rake=read_margins(margins_file(tmp_path), lmp, trim=1.5))
    assert to_dict(comparison)["settings"]["rake"]["trim"] == 1.5
    heard = next(r for r in to_dict(comparison)["results"] if r["item"] == "heard_policy" and r["design"] == "weighted")
    # R: d$w <- weights(trimWeights(r, upper = 1.5 * mean(weights(r)), strict = TRUE))
    #    svymean(~heard, svydesign(ids = ~1, strata = ~group, fpc = ~N, weights = ~w, data = d)) and svyciprop
    assert heard["baseline"]["estimate"] == pytest.approx(0.460567412228306, rel=REL)
    assert heard["baseline"]["ci"] == [pytest.approx(0.2968010792678, rel=REL),
                                       pytest.approx(0.633314007245376, rel=REL)]
    assert heard["current"]["estimate"] == pytest.approx(0.792290487178923, rel=REL)
    assert heard["current"]["ci"] == [pytest.approx(0.608391577560889, rel=REL),
                                      pytest.approx(0.903524910257123, rel=REL)]


def test_margins_that_do_not_add_up_are_refused(tmp_path, lmp):
    path = margins_file(tmp_path, MARGINS[:-1] + [("position", "other", 290)])
    with pytest.raises(InputError) as error:
        read_margins(path, lmp)
    assert error.value.problems == [f"{path}: rows 5-8, column 'size': the margin of 'position' adds up to 1,070, "
                                    "the group margin to 1,080 (every margin counts the same population)"]


def test_unknown_variables_and_categories_are_refused_with_row_and_column(tmp_path, lmp):
    path = margins_file(tmp_path, MARGINS + [("province", "Kandal", 10), ("position", "intern", 5),
                                             ("group", "government", 7), ("position", "", 1),
                                             ("years_migration", "3", 4), ("group", "workers", "many")])
    with pytest.raises(InputError) as error:
        read_margins(path, lmp)
    assert error.value.problems == [
        f"{path}: row 9, column 'variable': 'province' is neither group nor a single-choice item of "
        f"lmp-stakeholder-review {lmp.version}",
        f"{path}: row 10, column 'category': 'intern' is not a category of 'position' (categories: senior, "
        "middle, technical, other)",
        f"{path}: row 11, column 'category': group 'government' is given twice (also in row 2)",
        f"{path}: row 12, column 'category': category is blank",
        f"{path}: row 13, column 'variable': 'years_migration' is neither group nor a single-choice item of "
        f"lmp-stakeholder-review {lmp.version}",
        f"{path}: row 14, column 'category': group 'workers' is given twice (also in row 4)",
        f"{path}: row 14, column 'size': 'many' is not a whole number from 1 to 999,999,999"]


def test_a_wave_that_cannot_be_raked_is_refused(tmp_path, lmp, waves):
    no_group = margins_file(tmp_path, MARGINS[3:], "no-group.csv")
    with pytest.raises(InputError, match="no margin for group"):
        read_margins(no_group, lmp)
    only_group = margins_file(tmp_path, MARGINS[:3], "only-group.csv")
    with pytest.raises(InputError, match="raking needs another variable"):
        read_margins(only_group, lmp)
    blank = wave(CURRENT).assign(position=lambda f: f["position"].where(f.index > 0))
    blank.to_csv(tmp_path / "blank.csv", index=False)
    with pytest.raises(InputError) as error:
        compare(lmp, waves[0], read_wave(tmp_path / "blank.csv", lmp), rake=read_margins(margins_file(tmp_path), lmp))
    assert error.value.problems == [f"{tmp_path / 'margins.csv'}: the current wave ({tmp_path / 'blank.csv'}): 1 "
                                    "respondent(s) did not answer 'position', so cannot be raked to its margin"]


def test_compare_and_report_take_rake_and_trim(tmp_path, runner):
    wave(BASELINE).to_csv(tmp_path / "b.csv", index=False)
    wave(CURRENT).to_csv(tmp_path / "c.csv", index=False)
    files = ["--questionnaire", LIBRARY, "--baseline", str(tmp_path / "b.csv"), "--current", str(tmp_path / "c.csv")]
    margins = str(margins_file(tmp_path))
    result = runner.invoke(args=["compare", *files, "--rake", margins, "--trim", "1.5", "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert data["settings"]["rake"]["variables"] == ["group", "position"] and data["settings"]["weighted"]
    heard = next(r for r in data["results"] if r["item"] == "heard_policy" and r["design"] == "weighted")
    assert heard["baseline"]["estimate"] == pytest.approx(0.460567412228306, rel=REL)  # the trimmed value above
    both = runner.invoke(args=["compare", *files, "--rake", margins, "--population", margins])
    assert both.exit_code == 2 and "--rake gives the group sizes itself" in both.output
    alone = runner.invoke(args=["compare", *files, "--trim", "2"])
    assert alone.exit_code == 2 and "--trim bounds the raked weights: give --rake FILE" in alone.output
    bad = margins_file(tmp_path, MARGINS + [("position", "intern", 5)], "bad.csv")
    refused = runner.invoke(args=["compare", *files, "--rake", str(bad)])
    assert refused.exit_code == 1 and "row 9, column 'category': 'intern' is not a category of 'position'" in \
        refused.output and "Traceback" not in refused.output
    report = runner.invoke(args=["report", *files, "--rake", margins, "-o", str(tmp_path / "r.md")])
    assert report.exit_code == 0, report.output
    assert "raked to the population's sizes by group, position" in (tmp_path / "r.md").read_text()


def test_a_category_without_a_size_and_an_item_raked_on_and_estimated(tmp_path, lmp, waves):
    """Respondents in a category the file leaves out cannot be weighted to it; an item may be raked on and
    estimated at once (its margin is met exactly: the raked share is the population's)."""
    without_other = [row for row in MARGINS if row[1] != "other"]
    without_other[0] = ("group", "government", 120 - 300)
    with pytest.raises(InputError):  # a size below 1
        read_margins(margins_file(tmp_path, without_other, "negative.csv"), lmp)
    path = margins_file(tmp_path, MARGINS[:3] + [("position", "senior", 390), *MARGINS[4:6]], "no-other.csv")
    with pytest.raises(InputError) as error:
        compare(lmp, *waves, rake=read_margins(path, lmp))
    assert f"{path}: the baseline ({waves[0].source}): 6 respondent(s) are in position 'other', which has no size " \
           "in the file" in error.value.problems
    heard = [("heard_policy", "yes", 700), ("heard_policy", "no", 380)]
    found = rows(lmp, waves, read_margins(margins_file(tmp_path, MARGINS[:3] + heard, "heard.csv"), lmp))
    assert found["heard_policy"]["baseline"]["estimate"] == pytest.approx(700 / 1080, rel=REL)
    assert found["heard_policy"]["current"]["estimate"] == pytest.approx(700 / 1080, rel=REL)
