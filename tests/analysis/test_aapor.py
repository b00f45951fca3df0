"""AAPOR rates against hand-worked examples."""

import pytest

from analysis.aapor import Dispositions, rates


def test_hand_worked_example():
    # 200 invited: 90 complete, 10 partial, 20 refused or broke off, 70 never answered,
    # 5 undeliverable, 5 ineligible (left out).
    # RR1 = 90 / (100 + 20 + 75) = 90 / 195 = 0.461538...
    # RR2 = 100 / 195 = 0.512820...
    # COOP1 = 90 / (100 + 20) = 0.75
    d = Dispositions(complete=90, partial=10, refusal=20, unknown_household=70, unknown_other=5, ineligible=5)
    assert d.invited == 200
    r = rates(d)
    assert r.rr1 == pytest.approx(90 / 195)
    assert r.rr2 == pytest.approx(100 / 195)
    assert r.coop1 == pytest.approx(0.75)


def test_everyone_answered():
    r = rates(Dispositions(complete=12))
    assert (r.rr1, r.rr2, r.coop1) == (1.0, 1.0, 1.0)


def test_nobody_eligible_has_no_rate():
    r = rates(Dispositions(ineligible=3))
    assert (r.rr1, r.rr2, r.coop1) == (None, None, None)


def test_partials_count_in_rr2_not_rr1():
    # 3 complete, 1 partial, 1 refusal: RR1 = 3/5, RR2 = 4/5, COOP1 = 3/5
    r = rates(Dispositions(complete=3, partial=1, refusal=1))
    assert (r.rr1, r.rr2, r.coop1) == (pytest.approx(0.6), pytest.approx(0.8), pytest.approx(0.6))


def test_completions_chart():
    from datetime import date
    from xml.etree import ElementTree

    from survey.monitoring.queries import completions_legend, completions_svg

    assert completions_svg({}) == ""
    svg = completions_svg({"workers": [(date(2018, 3, 1), 2), (date(2018, 3, 3), 5)],
                           "government": [(date(2018, 3, 2), 1)]},
                          {"workers": "Workers' organisation", "government": "Government"})
    root = ElementTree.fromstring(svg)  # well-formed
    ns = {"s": "http://www.w3.org/2000/svg"}
    lines = root.findall("s:polyline", ns)
    assert len(lines) == 2  # one line per group
    points = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    assert len(points) == 3  # one point per day, 1 to 3 March, the empty day included
    assert points[0][0] < points[1][0] < points[2][0] and points[0][1] > points[2][1]  # cumulative, rising
    assert root.get("aria-label") == "Completed responses by day and group: 8 from 2018-03-01 to 2018-03-03"
    assert "Workers&apos; organisation: 7" in svg or "Workers' organisation: 7" in svg  # labels, not codes
    assert "Government: 1" in svg
    assert "style=" not in svg  # the Content-Security-Policy allows no inline style
    # On the console the legend is the page's own text, which keeps its size on a phone: same order, colours, totals.
    by_group = {"workers": [(date(2018, 3, 1), 2), (date(2018, 3, 3), 5)], "government": [(date(2018, 3, 2), 1)]}
    labels = {"workers": "Workers' organisation", "government": "Government"}
    bare = completions_svg(by_group, labels, legend=False)
    assert "<text" in bare and ">Government: 1</text>" not in bare and "<title>Government: 1</title>" in bare
    assert int(ElementTree.fromstring(bare).get("viewBox").split()[3]) < int(root.get("viewBox").split()[3])
    legend = completions_legend(by_group, labels)
    assert [(label, total) for label, _, _, total in legend] == [("Workers' organisation", 7), ("Government", 1)]
    assert [colour for _, colour, _, _ in legend] == [line.get("stroke") for line in lines]
