"""Population files (`group,size`): one reader, one wording, for `wave populations`, `compare`, `report` and `power`."""

import openpyxl
import pytest

import questionnaires
from analysis import InputError
from analysis.population import read_population, size_problem

from ..conftest import EXAMPLE, TWO_PAGES, panel_files


def problems_of(path, questionnaire=None) -> list[str]:
    with pytest.raises(InputError) as raised:
        read_population(path, questionnaire)
    return raised.value.problems


@pytest.mark.parametrize("size", ["²", "٣", "-3", "0", "1.5", "1e3", "120.0", "1000000000", "+5", "0x10", "many"])
def test_sizes_that_are_not_whole_numbers_of_at_least_one_are_refused(tmp_path, size):
    path = tmp_path / "population.csv"
    path.write_text(f"group,size\nworkers,12\ngovernment,{size}\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}: row 3, column 'size': {size!r} is not a whole number from 1 to 999,999,999"]
    assert size_problem(size) is not None


def test_every_problem_is_listed_with_file_row_and_column(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("group,size,note\nworkers,120,x\nministry,3,\nworkers,4,\n,5,\ngovernment,,\n", encoding="utf-8")
    assert problems_of(path, questionnaires.load(TWO_PAGES)) == [
        f"{path}: row 3, column 'group': group 'ministry' is not one of government, workers",
        f"{path}: row 4, column 'group': group 'workers' is given twice (also in row 2)",
        f"{path}: row 5, column 'group': group is blank",
        f"{path}: row 6, column 'size': size is blank",
    ]


def test_missing_columns_and_no_rows(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("group,count\nworkers,3\n", encoding="utf-8")
    assert problems_of(path) == [
        f"{path}: row 1: a population file needs the columns group and size (missing: size)"]
    path.write_text("size,group\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}: no group sizes (a row per group under the columns group and size)"]
    assert problems_of(tmp_path / "none.csv") == [f"{tmp_path / 'none.csv'}: no such file"]


def test_a_workbook_and_columns_in_any_order(tmp_path):
    path = tmp_path / "population.xlsx"
    book = openpyxl.Workbook()
    for row in (("size", "group"), (120, "workers"), ("999999999", "government")):
        book.active.append(row)
    book.save(path)
    assert read_population(path, questionnaires.load(TWO_PAGES)) == {"workers": 120, "government": 999_999_999}


BAD = "group,size\nworkers,²\nworkers,5\n,3\n"


def expected(path) -> list[str]:
    return [f"{path}: row 2, column 'size': '²' is not a whole number from 1 to 999,999,999",
            f"{path}: row 3, column 'group': group 'workers' is given twice (also in row 2)",
            f"{path}: row 4, column 'group': group is blank"]


def as_error(lines: list[str]) -> list[str]:
    """The lines as a command prints them: a click.ClickException puts "Error: " before the first."""
    return [f"Error: {lines[0]}", *lines[1:]]


def test_compare_report_and_power_say_the_same(runner, tmp_path):
    base, cur = panel_files(tmp_path)
    path = tmp_path / "population.csv"
    path.write_text(BAD, encoding="utf-8")
    files = ["--questionnaire", str(EXAMPLE), "--baseline", str(base), "--current", str(cur), "--population", str(path)]
    for arguments in (["compare", *files], ["report", *files, "--output", str(tmp_path / "r.html")],
                      ["power", "--baseline", "0.5", "--n", "10", "--population", str(path)]):
        result = runner.invoke(args=arguments)
        assert result.exit_code == 1 and result.output.splitlines() == as_error(expected(path)), arguments
    assert not (tmp_path / "r.html").exists()


def test_wave_populations_says_the_same_and_changes_nothing(app, runner, database_url, tmp_path):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["wave", "create", "2017", "--questionnaire", str(TWO_PAGES)]).exit_code == 0
    path = tmp_path / "populations.csv"
    path.write_text("group,size\nworkers,7\n", encoding="utf-8")
    assert runner.invoke(args=["wave", "populations", "2017", str(path)]).exit_code == 0
    path.write_text(BAD, encoding="utf-8")
    result = runner.invoke(args=["wave", "populations", "2017", str(path)])
    assert result.exit_code == 1 and result.output.splitlines() == as_error([*expected(path), "nothing changed"])
    shown = runner.invoke(args=["wave", "show", "2017"]).output
    assert any(line.split()[:2] == ["workers", "7"] for line in shown.splitlines())
