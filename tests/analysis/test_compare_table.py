"""`awareness compare --format table`: each item's rows of every design stand together under the item."""

import pytest

from analysis import compare
from analysis.formats import flat_rows, to_csv, to_table

SIZES = {"government": 100, "employers": 200, "workers": 5000, "civil_society": 300, "development_partners": 50}


@pytest.fixture(scope="module")
def comparison(lmp, synthetic_waves):
    return compare(lmp, *synthetic_waves, by_group=True, stratify=True, population=SIZES)


def test_each_items_other_designs_follow_its_independent_row(comparison):
    lines = to_table(comparison).splitlines()
    assert max(len(line) for line in lines) <= 100
    start = lines.index("-- group all: each item's rows, one per design")
    heard = next(i for i, line in enumerate(lines) if line.startswith("heard_policy "))
    assert heard > start
    # The independent row, then straight below it (item cell blank) the stratified and the weighted row.
    assert lines[heard].split()[1] == "indep"
    assert [line.split()[0] for line in lines[heard + 1:heard + 3]] == ["strat", "wtd"]
    assert lines[heard + 1].startswith(" ") and lines[heard + 2].startswith(" ")
    assert lines[heard + 3].split()[0] == "familiarity"  # the next item, no stratified rows in between
    # A long id on a line of its own, then its rows of each design.
    governance = lines.index("areas_heard/governance")
    assert [line.split()[0] for line in lines[governance + 1:governance + 4]] == ["indep", "strat", "wtd"]


def test_the_heading_names_each_design_and_says_a_shared_note_once(comparison):
    table = to_table(comparison)
    lines = table.splitlines()
    start = lines.index("-- group all: each item's rows, one per design")
    assert lines[start + 1] == "   indep = independent samples"
    assert lines[start + 2].startswith("   strat = adjusted for group (CMH; means standardised); on every row: strata:")
    assert "   wtd = weighted to the population sizes" in lines[start + 2:start + 5]
    assert "note: strata:" not in table  # said in the heading, not under each of the 28 stratified rows
    # A group compared in one design keeps its one-line heading.
    assert "-- group government, independent samples" in lines
    assert lines.index("-- group government, independent samples") > start


def test_json_and_csv_keep_the_comparisons_order(comparison):
    # Machine formats are not regrouped: the rows as compare() gives them (all independent rows first).
    designs = [row["design"] for row in flat_rows(comparison)]
    assert designs == [row.design for row in comparison.results]
    assert designs.index("stratified") > max(i for i, d in enumerate(designs) if d == "independent")
    csv_lines = to_csv(comparison).splitlines()
    assert len(csv_lines) == len(comparison.results) + 1
