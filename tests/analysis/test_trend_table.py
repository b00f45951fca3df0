"""`awareness trend --format table`: as compare's table, each item's rows of every design stand under the item."""

from analysis.trend import to_csv, to_table, trend


def test_each_items_stratified_row_follows_its_independent_row(lmp, synthetic_waves):
    result = trend(lmp, [("2017", synthetic_waves[0]), ("2018", synthetic_waves[1])], by_group=True, stratify=True)
    lines = to_table(result).splitlines()
    start = lines.index("-- group all: each item's rows, one per design")
    assert lines[start + 1:start + 3] == ["   indep = independent samples",
                                          "   strat = adjusted for group (CMH; means standardised)"]
    heard = lines.index("heard_policy", start)
    assert lines[heard + 1].startswith("    indep: 2017: ")
    strat = next(i for i in range(heard + 1, len(lines)) if lines[i].startswith("    strat: "))
    assert "familiarity" not in lines[heard:strat]  # the stratified row before the next item, not at the end
    assert lines.count("heard_policy") == 6  # all, then once in each of the five groups (one design each)
    assert "-- group government, independent samples" in lines
    assert not any(line.startswith("    indep: ") for line in lines[lines.index("-- group government, "
                                                                                  "independent samples"):])
    # CSV keeps the trend's order of rows: not regrouped.
    csv_rows = [(line.split(",")[0], line.split(",")[2]) for line in to_csv(result).splitlines()[1:]]
    order = list(dict.fromkeys(csv_rows))
    assert order == list(dict.fromkeys((row.item, row.design) for row in result.results))
