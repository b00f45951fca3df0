"""Report sentences, lead rows and disclosure control, on rows of every test and design."""

import re
from dataclasses import replace

import pytest

from analysis import report
from analysis.compare import Estimate, Result, result_dict
from analysis.report import apa, suppress
from analysis.report.lead import headline_rows, lead_design
from analysis.report.sentences import Context, sentence, significant
from analysis.stats import Interval

from ..conftest import proportion_row


def context(questionnaire, language="en", **options):
    return Context(questionnaire, language, "2017", "2018", options.pop("confidence", 0.95),
                   options.pop("adjust", "holm"), options.pop("min_cell", 5))


def numbers(text: str) -> list[str]:
    """The numbers a sentence states, outside the quoted question text."""
    # The question text and the answer scale ("(1 = … 4 = …)") are words, not results.
    text = re.sub(r"“[^”]*”|«[^»]*»|\(1 = [^)]*\)", "", text).replace("\u2212", "-")
    return re.findall(r"[-+]?\d*\.?\d+", text)


def allowed(row: dict) -> set[str]:
    """Every way a sentence may write a JSON value of the row, rounded."""
    values = set()
    scale = 100 if row["kind"] == "proportion" else 1
    digits = 1 if row["kind"] == "proportion" else 2
    for wave in ("baseline", "current"):
        values.add(str(row[wave]["n"]))
        estimate, ci = row[wave]["estimate"], row[wave]["ci"] or []
        values |= {f"{scale * v:.{digits}f}" for v in [estimate, *ci] if v is not None}
    values |= {f"{scale * v:.{digits}f}" for v in [row["difference"], *(row["difference_ci"] or [])] if v is not None}
    values |= {f"{scale * row['difference']:+.{digits}f}"} if row["difference"] is not None else set()
    for key in ("statistic", "df"):
        if row[key] is not None:
            values |= {f"{row[key]:.2f}", f"{row[key]:.0f}"}
    for key in ("p_value", "p_adjusted"):
        if row[key] is not None:
            values |= {f"{row[key]:.3f}"[1:], ".001"}
    effect = row["effect_size"] or {}
    values |= {f"{v:.2f}" for v in [effect.get("value"), *(effect.get("ci") or [])] if v is not None}
    values |= {str(row["baseline"]["n"] + row["current"]["n"]), "95", "1", "25", "2017", "2018"}  # level, labels
    return values


def check_numbers(text: str, row: dict) -> None:
    found = numbers(text)
    assert found, text
    wrong = [n for n in found if n.lstrip("+") not in {v.lstrip("+") for v in allowed(row)}]
    assert not wrong, f"{wrong} in {text!r} are not rounded JSON values"


def test_the_issue_example_sentence(lmp):
    row = proportion_row()
    text = sentence(row, context(lmp))
    assert text == (
        "The share of stakeholders who answered “Yes” to “Have you heard of the national Labour Migration Policy?” "
        "rose from 62.0% (95% CI 53.1 to 70.2; n\u00a0=\u00a0120) in 2017 to 91.3% (95% CI 85.7 to 94.9; "
        "n\u00a0=\u00a0150) in 2018, a change of +29.3 percentage points (95% CI 19.6 to 38.9); "
        "χ²(1, N = 270) = 31.24, p\u00a0<\u00a0.001 (Holm-adjusted p\u00a0<\u00a0.001), Cohen's h\u00a0=\u00a00.72.")
    check_numbers(text, row)


@pytest.mark.parametrize(("p", "expected"), [(0.0342, "=\u00a0.034"), (0.0009, "<\u00a0.001"), (1.0, "=\u00a01.000"),
                                             (0.0005, "<\u00a0.001"), (0.001, "=\u00a0.001")])
def test_apa_p_values(p, expected):
    assert apa.p_value(p) == expected


def test_not_significant_is_never_did_not_change(lmp):
    row = proportion_row(p_value=0.01, p_adjusted=0.165, statistic=6.69)
    text = sentence(row, context(lmp))
    assert "did not change significantly" in text and "rose" not in text
    assert "p\u00a0=\u00a0.010 (Holm-adjusted p\u00a0=\u00a0.165)" in text
    # Without adjustment the same row is significant at .05.
    assert significant(row, context(lmp, adjust="none"))
    assert "rose from" in sentence(row, context(lmp, adjust="none"))
    fell = proportion_row(difference=-0.2, difference_ci=[-0.3, -0.1])
    assert " fell from " in sentence(fell, context(lmp))


def _row(test, kind="proportion", **fields):
    base = proportion_row(test=test)
    base.update(kind=kind, **fields)
    return base


ROWS = {
    "chi2": (_row("chi2"), "χ²(1, N = 270) = 31.24"),
    "fisher": (_row("fisher", statistic=None, df=None), "Fisher's exact test, p"),
    "mann_whitney": (_row("mann_whitney", kind="ordinal", statistic=5281.5, df=None, difference_ci=None,
                          item="familiarity", baseline={"n": 82, "estimate": 2.8049, "ci": [2.6, 3.01]},
                          current={"n": 114, "estimate": 3.0263, "ci": [2.86, 3.19]}, difference=0.2214,
                          effect_size={"name": "rank_biserial", "value": 0.13, "ci": None}),
                     "Mann–Whitney U = 5281.50"),
    "welch_t": (_row("welch_t", kind="score", item="knowledge_score", statistic=4.0123, df=297.36,
                     baseline={"n": 150, "estimate": 46.75, "ci": [41.57, 51.93]},
                     current={"n": 170, "estimate": 60.33, "ci": [56.11, 64.56]}, difference=13.58,
                     difference_ci=[6.92, 20.24], effect_size={"name": "hedges_g", "value": 0.45, "ci": None}),
                "Welch's t(297.36) = 4.01"),
    "cmh": (_row("cmh", design="stratified", statistic=5.1234, df=1.0,
                 effect_size={"name": "mh_odds_ratio", "value": 1.8, "ci": [1.08, 3.0]}),
            "Cochran–Mantel–Haenszel χ²(1) = 5.12"),
    "mcnemar_exact": (_row("mcnemar_exact", design="paired", statistic=None, df=None), "exact McNemar test, p"),
    "wilcoxon": (_row("wilcoxon", kind="ordinal", design="paired", statistic=123.0, df=None, difference_ci=None,
                      item="familiarity", difference=0.3, baseline={"n": 60, "estimate": 2.5, "ci": [2.3, 2.7]},
                      current={"n": 60, "estimate": 2.8, "ci": [2.6, 3.0]}),
                 "Wilcoxon V = 123.00"),
    "paired_t": (_row("paired_t", kind="score", design="paired", item="knowledge_score", statistic=2.104, df=49.0,
                      baseline={"n": 50, "estimate": 40.0, "ci": [35.0, 45.0]},
                      current={"n": 50, "estimate": 45.0, "ci": [40.0, 50.0]}, difference=5.0,
                      difference_ci=[0.2, 9.8]),
                 "paired t(49) = 2.10"),
    "z": (_row("z", design="weighted", statistic=2.3123, df=None), "z = 2.31"),
}


# The tests whose name or statistic reads differently in Khmer.
KHMER = {"fisher": "តេស្តពិតប្រាកដរបស់ Fisher, p", "mcnemar_exact": "តេស្ត McNemar ពិតប្រាកដ, p",
         "welch_t": "t របស់ Welch (297.36) = 4.01", "paired_t": "t ជាគូ (49) = 2.10"}


@pytest.mark.parametrize("test", sorted(ROWS))
def test_every_test_has_its_wording_and_only_json_numbers(lmp, test):
    row, wording = ROWS[test]
    for language in ("en", "km"):
        text = sentence(row, context(lmp, language))
        check_numbers(text, row)
        if language == "en":
            assert wording in text, text
        else:
            assert re.search("[\u1780-\u17ff]", text) and text.endswith("។")
            assert KHMER.get(test, wording) in text, text
    if row.get("effect_size", {}).get("ci"):
        assert "(95% CI 1.08 to 3.00)" in sentence(row, context(lmp))


def test_base_of_a_conditional_question_and_of_all(lmp):
    row = proportion_row(item="read_document")
    assert "among those who answered “Yes” to “Have you heard of the national Labour Migration Policy?”" in \
        sentence(row, context(lmp))
    assert "ក្នុងចំណោមអ្នកដែលបានឆ្លើយ «បាទ/ចាស»" in sentence(row, context(lmp, "km"))
    assert " among all respondents " in sentence(proportion_row(item="read_document", base="all"), context(lmp))


def test_lead_rows_weighted_then_stratified_with_mix_warning_then_independent(lmp):
    independent = proportion_row()
    stratified = proportion_row(design="stratified", test="cmh")
    weighted = proportion_row(design="weighted", test="z")
    data = {"notes": [], "mix_changed": False, "results": [independent, stratified]}
    assert lead_design(data) == "independent"  # stratified rows, but the mix did not change
    # The comparison's flag decides, not the wording of a note (a note alone changes nothing).
    noted = proportion_row(note="the group mix differs between the waves")
    assert lead_design({"notes": ["the group mix differs"], "results": [noted, stratified]}) == "independent"
    data = {"notes": [], "mix_changed": True, "results": [independent, stratified]}
    assert lead_design(data) == "stratified" and headline_rows(data, lmp)[0]["design"] == "stratified"
    data = {"notes": [], "mix_changed": True, "results": [independent, stratified, weighted]}
    assert lead_design(data) == "weighted" and headline_rows(data, lmp)[0]["test"] == "z"
    # Rows from today's compare() carry no design at all.
    bare = proportion_row()
    del bare["design"]
    assert lead_design({"notes": [], "results": [bare]}) == "independent"


def test_result_rows_without_new_fields_still_make_sentences(lmp):
    row = Result("heard_policy", "all", "proportion", Estimate(3, 1.0, Interval(0.44, 1.0)),
                 Estimate(4, 0.5, Interval(0.15, 0.85)), difference=-0.5, difference_ci=Interval(-0.8, 0.1),
                 test="fisher", p_value=0.43, p_adjusted=0.43, effect_size_name="cohens_h", effect_size=-1.57)
    text = sentence(result_dict(replace(row)), context(lmp))
    assert "n < 5 in a round; not reported" in text and "100.0" not in text


def test_suppression_and_caution_in_tables(lmp):
    row = proportion_row(baseline={"n": 4, "estimate": 0.75, "ci": [0.3, 0.95]},
                         current={"n": 20, "estimate": 0.6, "ci": [0.39, 0.78]})
    assert suppress.estimate_cell("proportion", row["baseline"], 5) == "n < 5"
    assert suppress.estimate_cell("proportion", row["current"], 5) == "(60.0% [39.0, 78.0])"
    assert suppress.difference_cell(row, 5) == "n < 5"
    assert suppress.estimate_cell("proportion", row["baseline"], 3) == "(75.0% [30.0, 95.0])"
    assert suppress.estimate_cell("proportion", {"n": 25, "estimate": 0.6, "ci": None}, 5) == "60.0%"
    data = {"questionnaire": {}, "notes": [], "settings": {"confidence": 0.95, "adjust": "holm"},
            "baseline": {"n": 24, "groups": {}}, "current": {"n": 20, "groups": {}}, "results": [row]}
    built = report.build(data, lmp, labels=("2017", "2018"), min_cell=5)
    cells = built.sections[0].rows[0].cells
    assert cells[1] == "n < 5" and cells[5:9] == ("–", "–", "–", "–")
    assert any("n < 5" in note for note in built.footnotes) and any("25" in n for n in built.footnotes)
    assert "n < 5" in built.findings[0] and "75.0" not in built.findings[0]


def test_response_section_shows_aapor_rates_when_given(lmp):
    data = {"questionnaire": {}, "notes": [], "settings": {"confidence": 0.95, "adjust": "holm"},
            "baseline": {"n": 30, "groups": {"government": 10, "workers": 20}},
            "current": {"n": 40, "groups": {"government": 15, "workers": 25}}, "results": []}
    rates = {"current": {"government": {"rr1": 0.5, "rr2": 0.55}, "workers": {"rr1": 0.25, "rr2": 0.3},
                         "all": {"rr1": 0.3333, "rr2": 0.38}}}
    built = report.build(data, lmp, labels=("2017", "2018"), response=rates)
    assert built.response_header == ["Group", "Respondents 2017", "Respondents 2018", "AAPOR RR1 2018",
                                     "AAPOR RR2 2018"]
    assert built.response_rows[0] == ["Government ministry or agency", "10", "15", "50.0%", "55.0%"]
    assert built.response_rows[-1] == ["All stakeholders", "30", "40", "33.3%", "38.0%"]


def test_report_package_imports_neither_flask_nor_survey():
    import subprocess
    import sys

    code = ("import sys, analysis.report, analysis.report.html, analysis.report.docx, analysis.report.markdown; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'survey')]; print(bad); "
            "sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compare_table_fits_100_columns_with_groups_and_long_ids(lmp, synthetic_waves):
    from analysis import compare
    from analysis.formats import to_table

    table = to_table(compare(lmp, *synthetic_waves, by_group=True))
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "areas_heard/governance" in lines  # a long id on a line of its own, never cut
    assert any(line.startswith("heard_policy") and " chi2 " in line and "h +" in line for line in lines)


def test_items_whose_wording_changed_are_marked_not_compared(lmp):
    row = proportion_row(baseline={"n": 0, "estimate": None, "ci": None}, difference=None, difference_ci=None,
                         test=None, statistic=None, df=None, p_value=None, p_adjusted=None, effect_size=None,
                         note="no answers in the baseline")
    data = {"questionnaire": {}, "settings": {"confidence": 0.95, "adjust": "holm"},
            "notes": ["a note in any wording"], "wording_changed": ["heard_policy"],
            "baseline": {"n": 0, "groups": {}}, "current": {"n": 150, "groups": {}}, "results": [row]}
    for language, marked in (("en", "wording changed between editions: not compared"),
                             ("km", "ពាក្យពេចន៍បានផ្លាស់ប្តូររវាងការបោះពុម្ព៖ មិនបានប្រៀបធៀប")):
        built = report.build(data, lmp, language=language, labels=("2017", "2018"))
        assert built.sections[0].rows[0].note == marked
        assert built.findings[0].endswith(f"({marked})" + ("។" if language == "km" else "."))


def test_headline_rows_follow_the_comparisons_role_when_it_gives_one(lmp):
    heard = proportion_row(role="headline")
    read = proportion_row(item="read_document", role="other")
    score = proportion_row(item="knowledge_score", kind="score", role="headline")
    chosen = headline_rows({"notes": [], "results": [heard, read, score]}, lmp)
    assert [row["item"] for row in chosen] == ["heard_policy", "knowledge_score"]
    # Without roles, the questionnaire's headline items (heard_policy and policy_period here).
    assert [row["item"] for row in headline_rows({"notes": [], "results": [
        proportion_row(), proportion_row(item="policy_period"), proportion_row(item="read_document")]}, lmp)] == \
        ["heard_policy", "policy_period"]


def test_a_stratified_row_notes_heterogeneous_odds_ratios(lmp):
    from analysis.report.content import table_row

    row = proportion_row(design="stratified", test="cmh",
                         homogeneity={"test": "breslow_day", "statistic": 11.2, "df": 4, "p_value": 0.024})
    made = table_row(lmp, row, "en", 5, set())
    assert made.note == "the odds ratios differ between groups (Breslow–Day p\u00a0=\u00a0.024)"
    assert made.group == "All stakeholders (stratified)"
    row["homogeneity"]["p_value"] = 0.4
    assert table_row(lmp, row, "en", 5, set()).note == ""


def test_compare_table_tells_the_designs_apart_and_fits_with_extreme_numbers(lmp, synthetic_waves):
    from analysis import compare
    from analysis.formats import to_table

    waves = synthetic_waves
    sizes = {"government": 100, "employers": 200, "workers": 5000, "civil_society": 300, "development_partners": 50}
    comparison = compare(lmp, *waves, by_group=True, stratify=True, population=sizes)
    lines = to_table(comparison).splitlines()
    assert max(len(line) for line in lines) <= 100
    heard = [i for i, line in enumerate(lines) if line.startswith("heard_policy ")]
    assert len(heard) == 6  # all and five groups; the other designs' rows are under the first, item cell blank
    assert [line.split()[0] for line in lines[heard[0] + 1:heard[0] + 3]] == ["strat", "wtd"]
    assert "   strat = adjusted for group (CMH; means standardised)" in " ".join(lines)
    assert "   wtd = weighted to the population sizes" in lines
    # Widest numbers on every column: the item ids all move to lines of their own, nothing is cut.
    row = comparison.results[0]
    wide = replace(row, item="heard_policy", kind="proportion", design="paired", difference=-1.0,
                   difference_ci=Interval(-1.0, -0.999), test="mcnemar_exact", p_value=0.5, p_adjusted=0.5,
                   baseline=Estimate(12345, 1.0, Interval(0.99, 1.0)), current=Estimate(12345, 0.0, None),
                   effect_size_name="cohens_dz", effect_size=-12.34)
    lines = to_table(replace(comparison, results=(wide,))).splitlines()
    assert max(len(line) for line in lines) <= 100 and "heard_policy" in lines
    assert any("pair" in line and "McNemar" in line and "dz -12.34" in line and "-100.0 pp" in line for line in lines)


def test_a_stratified_rows_note_names_the_groups_not_their_codes(lmp):
    from analysis.report.content import table_row

    row = proportion_row(design="stratified", test="cmh", note="strata: government, civil_society")
    assert table_row(lmp, row, "en", 5, set()).note == \
        "compared within: Government ministry or agency, Civil society organisation"
    assert "civil_society" not in table_row(lmp, row, "km", 5, set()).note
    every = ", ".join(lmp.group_codes)
    assert table_row(lmp, {**row, "note": f"strata: {every}"}, "en", 5, set()).note == ""
    no_test = "every answer is a success (or none is) in each stratum: no test"
    assert table_row(lmp, {**row, "note": f"strata: {every}; {no_test}"}, "km", 5, set()).note == \
        "ក្នុងស្រទាប់នីមួយៗ ចម្លើយទាំងអស់ដូចគ្នា៖ គ្មានតេស្ត"


def test_every_fixed_note_with_khmer_is_one_the_analysis_writes():
    """A Khmer note whose English the analysis no longer writes is never shown: it has gone stale."""
    from importlib import resources

    from analysis.report.i18n import NOTES_KM
    from analysis.stats import CONSTANT_NOTE

    package = resources.files("analysis")
    source = "".join(path.read_text(encoding="utf-8") for folder in (package, package / "designs")
                     for path in folder.iterdir() if path.name.endswith(".py"))
    written = [CONSTANT_NOTE, CONSTANT_NOTE.replace("within the waves", "between the pairs")]  # as paired.py makes it
    assert [text for text in NOTES_KM if text not in written and text not in source] == []


def test_the_comparisons_notes_with_numbers_are_in_khmer(lmp):
    from analysis.report.i18n import note

    mix = ("the group mix differs between the waves (Pearson chi-square(4) = 12.3, p = 0.015): the unadjusted rows "
           "of all stakeholders mix a change in who answered with a change in answers; the rows adjusted for group "
           "(stratified) lead")
    for text in (mix, "99 respondent(s) answered both years; see the paired rows",
                 "12 respondent(s) answered both years: not independent samples (--paired)",
                 "group 'workers' is only in the baseline: not compared", "no pair answered in both waves",
                 "the answers do not vary between the pairs: no test",
                 f"{mix}; 3 respondent(s) answered both years; see the paired rows"):
        khmer = note(text, "km")
        # Left in Latin letters: a quoted group code, the test's name and the option --paired.
        latin = re.sub("'[^']*'", "", khmer).replace("Pearson chi-square", "").replace("--paired", "")
        assert re.search("[\u1780-\u17ff]", khmer) and not re.search("[a-z]{5,}", latin), khmer
    assert "Pearson chi-square(4) = 12.3, p = 0.015" in note(mix, "km") and note(mix, "en") == mix
    data = {"questionnaire": {}, "settings": {"confidence": 0.95, "adjust": "holm"}, "results": [],
            "notes": ["no respondent key is in both waves: no paired rows"],
            "baseline": {"n": 10, "groups": {}}, "current": {"n": 10, "groups": {}}}
    assert report.build(data, lmp, language="km", labels=("2017", "2018")).notes == \
        ["គ្មានលេខសម្គាល់អ្នកឆ្លើយណាមាននៅក្នុងជុំទាំងពីរទេ៖ គ្មានជួរជាគូ"]


def test_methods_say_whose_share_a_percentage_is(lmp):
    from analysis.report.methods import methods

    data = {"settings": {"confidence": 0.95, "adjust": "holm", "base": "answered",
                         "adjust_families": "rows sharing a group, a design and a role (headline or other)"},
            "results": [proportion_row()]}
    for language in ("en", "km"):
        answered = " ".join(methods(data, language, 5))
        everyone = " ".join(methods({**data, "settings": {**data["settings"], "base": "all"}}, language, 5))
        assert answered != everyone
    assert "those who were asked the question and answered it" in " ".join(methods(data, "en", 5))
    everyone = " ".join(methods({**data, "settings": {**data["settings"], "base": "all"}}, "en", 5))
    assert "counts all the group's respondents" in everyone and "asked the question and answered it" not in everyone
    assert "តួនាទី" in " ".join(methods(data, "km", 5))  # the families include the role


def test_a_headline_without_a_row_of_the_lead_design_says_it_is_independent(lmp):
    mixed = proportion_row(note="the group mix differs between the waves (Pearson chi-square(4) = 12.3, p = 0.015)",
                           role="headline")
    stratified = proportion_row(design="stratified", test="cmh", role="headline")
    score = proportion_row(item="knowledge_score", kind="score", test="welch_t", role="headline",
                           baseline={"n": 120, "estimate": 45.2, "ci": [40.1, 50.3]},
                           current={"n": 150, "estimate": 60.3, "ci": [56.1, 64.5]}, difference=15.1,
                           difference_ci=[8.2, 22.0], statistic=4.3, df=254.6)
    data = {"questionnaire": {}, "settings": {"confidence": 0.95, "adjust": "holm"}, "notes": [], "mix_changed": True,
            "baseline": {"n": 120, "groups": {}}, "current": {"n": 150, "groups": {}},
            "results": [mixed, stratified, score]}
    built = report.build(data, lmp, labels=("2017", "2018"))
    assert "Cochran–Mantel–Haenszel" in built.findings[0] and "independent" not in built.findings[0]
    assert built.findings[-1].endswith("(Compared as independent samples: this measure has no stratified row.)")
    khmer = report.build(data, lmp, language="km", labels=("2017", "2018")).findings[-1]
    assert khmer.endswith("(ប្រៀបធៀបជាគំរូឯករាជ្យ៖ រង្វាស់នេះគ្មានជួរបែងចែកជាស្រទាប់ទេ។)")


def test_the_report_words_the_mix_warning_without_command_line_options():
    """The analysis points a researcher to --stratify; the report tells a reviewer in words, in both languages."""
    from analysis.compare import PAIRED_SUGGESTION
    from analysis.report.i18n import note

    for language in ("en", "km"):
        assert "--" not in note(PAIRED_SUGGESTION, language), language
    assert note(PAIRED_SUGGESTION, "en").endswith("would compare each with themselves (it was not made for this "
                                                  "report)")
