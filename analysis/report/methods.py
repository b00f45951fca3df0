"""The methods section, generated from the settings and the tests the comparison used."""

from __future__ import annotations

from .i18n import ADJUSTMENTS, TESTS

REFERENCES = (
    "American Association for Public Opinion Research (2023). Standard Definitions: Final Dispositions of Case "
    "Codes and Outcome Rates for Surveys (10th ed.). AAPOR.",
    "American Association for Public Opinion Research (2021). Code of Professional Ethics and Practices, section "
    "III: Standards for Disclosure; Transparency Initiative. AAPOR.",
    "Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal of "
    "Statistics, 6(2), 65–70.",
    "Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of data from retrospective studies of "
    "disease. Journal of the National Cancer Institute, 22(4), 719–748.",
    "Breslow, N. E., & Day, N. E. (1980). Statistical Methods in Cancer Research, Vol. 1: The Analysis of "
    "Case-Control Studies. IARC Scientific Publications No. 32. International Agency for Research on Cancer.",
    "Robins, J., Breslow, N., & Greenland, S. (1986). Estimators of the Mantel–Haenszel variance consistent in both "
    "sparse data and large-strata limiting models. Biometrics, 42(2), 311–323.",
    "Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions: comparison "
    "of eleven methods. Statistics in Medicine, 17(8), 873–890.",
)

_WHY = {
    "chi2": ("Proportions were compared with Pearson's chi-square test without continuity correction when every "
             "expected count was at least 5.",
             "សមាមាត្រត្រូវបានប្រៀបធៀបដោយតេស្តឃី-ការ៉េរបស់ Pearson ដោយគ្មានការកែតម្រូវភាពបន្ត "
             "នៅពេលចំនួនរំពឹងទុកនីមួយៗមានយ៉ាងតិច 5។"),
    "fisher": ("Where an expected count was below 5, Fisher's exact test was used instead ({count} rows).",
               "នៅកន្លែងដែលចំនួនរំពឹងទុកណាមួយតិចជាង 5 តេស្តពិតប្រាកដរបស់ Fisher ត្រូវបានប្រើជំនួស ({count} ជួរ)។"),
    "mann_whitney": ("Answers on ordered scales were compared with the Mann–Whitney U test (tie and continuity "
                     "correction); the table shows mean scale points for reading, the test compares whole "
                     "distributions.",
                     "ចម្លើយលើមាត្រដ្ឋានតាមលំដាប់ត្រូវបានប្រៀបធៀបដោយតេស្ត Mann–Whitney U (កែតម្រូវចំណាត់ថ្នាក់ស្មើ "
                     "និងភាពបន្ត)។ តារាងបង្ហាញមធ្យមភាគនៃពិន្ទុមាត្រដ្ឋាន ចំណែកតេស្តប្រៀបធៀបការចែកចាយទាំងមូល។"),
    "welch_t": ("Means (numbers and the knowledge score) were compared with Welch's t-test, which does not assume "
                "equal variances.",
                "មធ្យមភាគ (ចំនួន និងពិន្ទុចំណេះដឹង) ត្រូវបានប្រៀបធៀបដោយតេស្ត t របស់ Welch "
                "ដែលមិនសន្មតថាវ៉ារ្យង់ស្មើគ្នា។"),
    "cmh": ("Stratified rows compare proportions within each stakeholder group with the Cochran–Mantel–Haenszel "
            "test (Mantel and Haenszel 1959), so that a change in the mix of groups does not pass for a change "
            "of awareness. The test is computed without continuity correction, as R's "
            "mantelhaen.test(x, correct = FALSE); R's default, correct = TRUE, gives slightly larger p-values. "
            "The Mantel–Haenszel common odds ratio is given with the Robins–Breslow–Greenland interval (Robins, "
            "Breslow and Greenland 1986), and the Breslow–Day test (Breslow and Day 1980) checks whether the "
            "groups' odds ratios differ; a common odds ratio of 0 is reported as 0, as R does.",
            "ជួរដែលបែងចែកជាស្រទាប់ ប្រៀបធៀបសមាមាត្រក្នុងក្រុមភាគីពាក់ព័ន្ធនីមួយៗ ដោយតេស្ត Cochran–Mantel–Haenszel "
            "(Mantel និង Haenszel 1959) ដើម្បីកុំឱ្យការផ្លាស់ប្តូរសមាសភាពក្រុម ត្រូវយល់ច្រឡំថាជាការផ្លាស់ប្តូរការយល់ដឹង។ "
            "តេស្តនេះគណនាដោយគ្មានការកែតម្រូវភាពបន្ត ដូច mantelhaen.test(x, correct = FALSE) របស់ R "
            "(លំនាំដើមរបស់ R គឺ correct = TRUE ដែលផ្តល់តម្លៃ p ធំជាងបន្តិច)។ សមាមាត្រហាងឆេងរួមរបស់ Mantel–Haenszel "
            "មានចន្លោះ Robins–Breslow–Greenland (1986) ហើយតេស្ត Breslow–Day (1980) ពិនិត្យថាតើសមាមាត្រហាងឆេង"
            "នៃក្រុមខុសគ្នាឬទេ។ សមាមាត្រហាងឆេងរួម 0 ត្រូវបានរាយការណ៍ជា 0 ដូច R។"),
    "std_z": ("Means and scale points adjusted for group are standardised to the current round's mix: the "
              "baseline figure is the baseline's mean within each stakeholder group, weighted by the current "
              "round's share of respondents in that group. The difference is tested with a z-test whose standard "
              "error treats the mix as fixed (each round a sample stratified by group), and its interval uses the "
              "same standard error, so the interval and the test agree.",
              "មធ្យមភាគ និងពិន្ទុមាត្រដ្ឋានដែលបានកែតម្រូវតាមក្រុម ត្រូវបានធ្វើស្តង់ដារតាមសមាសភាពនៃជុំបច្ចុប្បន្ន៖ "
              "តួលេខជុំមូលដ្ឋានគឺជាមធ្យមភាគរបស់ជុំមូលដ្ឋានក្នុងក្រុមនីមួយៗ ដែលថ្លឹងតាមចំណែកអ្នកឆ្លើយនៃក្រុមនោះក្នុងជុំបច្ចុប្បន្ន។ "
              "ភាពខុសគ្នាត្រូវបានតេស្តដោយតេស្ត z ហើយចន្លោះរបស់វាប្រើកំហុសស្តង់ដារដូចគ្នា ដូច្នេះចន្លោះ និងតេស្តស្របគ្នា។"),
    "mcnemar_exact": ("Paired yes/no answers of the same respondents were compared with the exact McNemar test.",
                      "ចម្លើយ បាទ/ទេ ជាគូរបស់អ្នកឆ្លើយដដែល ត្រូវបានប្រៀបធៀបដោយតេស្ត McNemar ពិតប្រាកដ។"),
    "wilcoxon": ("Paired answers on ordered scales were compared with the Wilcoxon signed-rank test.",
                 "ចម្លើយជាគូលើមាត្រដ្ឋានតាមលំដាប់ ត្រូវបានប្រៀបធៀបដោយតេស្តចំណាត់ថ្នាក់មានសញ្ញារបស់ Wilcoxon។"),
    "paired_t": ("Paired means were compared with the paired t-test.",
                 "មធ្យមភាគជាគូត្រូវបានប្រៀបធៀបដោយតេស្ត t ជាគូ។"),
    "z": ("Weighted rows weight each stakeholder group by its known population size (a stratified sample with "
          "finite population correction, estimated as R's survey package does, by the svy library) and compare the "
          "two waves with a z-test. A question asked only of some is estimated among those asked within the whole "
          "sample (a domain estimate); percentages have logit intervals; a group of a single respondent is "
          "handled as R's survey.lonely.psu = \"adjust\" (its distance from the overall mean counts as its "
          "variance); each estimate gives the Kish design effect of the weights and the effective sample size.",
          "ជួរដែលបានថ្លឹងទម្ងន់ ថ្លឹងក្រុមភាគីពាក់ព័ន្ធនីមួយៗតាមចំនួនប្រជាជនដែលគេដឹង (ការប៉ាន់ស្មានតាមស្រទាប់ "
          "ជាមួយការកែតម្រូវប្រជាជនកំណត់ តាមកញ្ចប់ survey របស់ R ដោយបណ្ណាល័យ svy) ហើយប្រៀបធៀបជុំទាំងពីរដោយតេស្ត z។ "
          "សំណួរដែលសួរតែអ្នកខ្លះ ត្រូវបានប៉ាន់ស្មានក្នុងចំណោមអ្នកដែលត្រូវបានសួរ ក្នុងគំរូទាំងមូល (domain)។ "
          "ក្រុមដែលមានអ្នកឆ្លើយតែម្នាក់ ត្រូវបានគណនាតាម survey.lonely.psu = \"adjust\" របស់ R។ "
          "តួលេខនីមួយៗមាន design effect របស់ Kish និងទំហំគំរូប្រសិទ្ធភាព។"),
}


def _common(data: dict, language: str) -> list[str]:
    km = language == "km"
    level = f"{100 * data['settings']['confidence']:g}%"
    adjust = data["settings"]["adjust"]
    paragraphs = [
        (f"ចន្លោះទំនុកចិត្ត {level}៖ Wilson សម្រាប់សមាមាត្រ Newcombe (1998) សម្រាប់ភាពខុសគ្នានៃសមាមាត្រ និង t "
         "សម្រាប់មធ្យមភាគ។" if km else
         f"Intervals are {level} confidence intervals: Wilson score intervals for proportions, Newcombe's (1998) "
         "hybrid score interval for differences of proportions, and t intervals for means."),
    ]
    if adjust in ADJUSTMENTS:
        name = "Holm (1979)" if adjust == "holm" else "Benjamini–Hochberg"
        paragraphs.append(
            f"តម្លៃ p ត្រូវបានកែតម្រូវសម្រាប់ការប្រៀបធៀបច្រើនតាមវិធី {name} ក្នុងគ្រួសារនីមួយៗ "
            f"({_families_km(data['settings'])})។ ការផ្លាស់ប្តូរមួយត្រូវបានហៅថាគួរឱ្យកត់សម្គាល់ "
            f"នៅពេល p ដែលបានកែតម្រូវតិចជាង {1 - data['settings']['confidence']:.2f}។" if km else
            f"p-values were adjusted for multiple comparisons by the {name} method within each family of "
            f"{data['settings'].get('adjust_families', 'rows sharing a group and a design')}. A change is "
            f"called significant when its adjusted p is below {1 - data['settings']['confidence']:.2f}.")
    else:
        paragraphs.append("តម្លៃ p មិនត្រូវបានកែតម្រូវទេ។" if km else "p-values were not adjusted.")
    paragraphs.append(_base_paragraph(data["settings"].get("base", "answered"), km))
    paragraphs.append(
        "ពិន្ទុចំណេះដឹងរបស់អ្នកឆ្លើយម្នាក់ៗ គឺ 100 × ចំនួនសំណួរចំណេះដឹងដែលឆ្លើយត្រូវ ÷ ចំនួនសំណួរចំណេះដឹងដែលបានឆ្លើយ "
        "(0–100)។ អ្នកដែលមិនបានឆ្លើយសំណួរចំណេះដឹងណាមួយ មិនត្រូវបានរាប់ទេ។" if km else
        "A respondent's knowledge score is 100 × knowledge questions answered correctly ÷ knowledge questions "
        "answered (0–100); respondents who answered none are left out.")
    return paragraphs


def _families_km(settings: dict) -> str:
    if "role" in settings.get("adjust_families", ""):
        return "ជួរដែលមានក្រុម ការរចនា និងតួនាទី (លទ្ធផលសំខាន់ ឬផ្សេងទៀត) ដូចគ្នា"
    return "ជួរដែលមានក្រុម និងការរចនាដូចគ្នា"


def _base_paragraph(base: str, km: bool) -> str:
    """Whose share a percentage is: those asked who answered, or (--base all) every respondent of the group."""
    if base == "all":
        return ("ភាគរយនៃសំណួរដែលសួរតែអ្នកឆ្លើយមួយចំនួន រាប់លើអ្នកឆ្លើយទាំងអស់នៃក្រុម៖ អ្នកដែលសំណួរនេះមិនពាក់ព័ន្ធ "
                "(លក្ខខណ្ឌរបស់វាមិនពិត) រាប់ជាមិនមែន «បាទ/ចាស» ឬមិនត្រឹមត្រូវ ចំណែកអ្នកដែលត្រូវបានសួរ តែទុកចម្លើយទទេ "
                "មិនត្រូវបានរាប់ទេ។ ចម្លើយ «មិនដឹង» រាប់ជាចម្លើយដែលមិនមែនជា «បាទ/ចាស» ឬមិនត្រឹមត្រូវ។" if km else
                "Each percentage counts all the group's respondents: one to whom a question did not apply (its "
                "condition is false) counts as not “Yes” (or not correct), while one who was asked and left it "
                "blank is left out; “Don't know” counts as an answer that is not “Yes” (or not correct).")
    return ("ភាគរយនីមួយៗរាប់ក្នុងចំណោមអ្នកដែលបានសួរសំណួរ ហើយបានឆ្លើយ៖ ចម្លើយ «មិនដឹង» រាប់ជាចម្លើយដែលមិនមែនជា "
            "«បាទ/ចាស» ឬមិនត្រឹមត្រូវ ចំណែកចម្លើយទទេ (មិនបានសួរ ឬរំលង) មិនត្រូវបានរាប់ទេ។" if km else
            "Each percentage counts those who were asked the question and answered it: “Don't know” counts as an "
            "answer that is not “Yes” (or not correct), while blanks (not asked, or skipped) are left out.")


STANDARDISED = ("A stratified baseline figure, such as the share in {baseline} shown beside {current}'s, is "
                "{baseline}'s rates within each stakeholder group applied to {current}'s mix of groups (direct "
                "standardisation): what {baseline} would have shown had its respondents been spread over the groups "
                "as {current}'s were.",
                "តួលេខជុំមូលដ្ឋានដែលបែងចែកជាស្រទាប់ គឺជាអត្រារបស់ {baseline} ក្នុងក្រុមភាគីពាក់ព័ន្ធនីមួយៗ "
                "ដែលអនុវត្តលើសមាសភាពក្រុមរបស់ {current} (ការធ្វើស្តង់ដារផ្ទាល់)៖ អ្វីដែល {baseline} "
                "នឹងបង្ហាញ ប្រសិនបើអ្នកឆ្លើយរបស់វាត្រូវបានចែកតាមក្រុមដូច {current}។")


def methods(data: dict, language: str, min_cell: int, labels: tuple[str, str] = ("the baseline", "the current round")) \
        -> list[str]:
    """The paragraphs of the methods section."""
    km = language == "km"
    index = 1 if km else 0
    used = [row["test"] for row in data["results"] if row["test"]]
    paragraphs = []
    if any(row.get("design") == "stratified" for row in data["results"]):
        paragraphs.append(STANDARDISED[index].format(baseline=labels[0], current=labels[1]))
    for test in TESTS:
        if test in used and test in _WHY:
            paragraphs.append(_WHY[test][index].format(count=used.count(test)))
    paragraphs.extend(_common(data, language))
    rake = data["settings"].get("rake")
    if rake:
        paragraphs.append(_rake_paragraph(rake, km))
    paragraphs.append(
        f"ក្រឡាដែលមានអ្នកឆ្លើយតិចជាង {min_cell} នាក់ មិនត្រូវបានបង្ហាញទេ (n < {min_cell}) ហើយតួលេខដែលផ្អែកលើ"
        "អ្នកឆ្លើយតិចជាង 25 នាក់ ត្រូវបានបង្ហាញក្នុងវង់ក្រចក។ ឯកសារ JSON របស់អ្នកស្រាវជ្រាវ មានតួលេខទាំងអស់។" if km else
        f"Cells with fewer than {min_cell} respondents are not shown (n < {min_cell}), and estimates on fewer than "
        "25 respondents are shown in parentheses. The researcher's JSON file holds every number.")
    return paragraphs


def _rake_paragraph(rake: dict, km: bool) -> str:
    """How the weighted rows were raked (--rake), and trimmed (--trim)."""
    names = ", ".join(rake["variables"])
    trim = rake.get("trim")
    if km:
        return (f"ទម្ងន់ត្រូវបាន rake (R: rake) ឱ្យត្រូវនឹងចំនួនប្រជាជនតាម {names}"
                + (f" ហើយកាត់ត្រឹម {trim:g} ដងនៃទម្ងន់មធ្យម (R: trimWeights)។" if trim else "។"))
    return (f"The weights were raked to the population's sizes by {names} (R's rake, run to convergence), so that "
            "the weighted sample matches each of these at once"
            + (f"; weights above {trim:g} times the mean weight were cut to that bound and the excess spread over "
               "the others (R's trimWeights), which gives up the exact match to the margins." if trim else "."))
