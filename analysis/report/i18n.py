"""The report's own words in English and Khmer (the Khmer is a draft for native review)."""

from __future__ import annotations

LANGUAGES = ("en", "km")

# Khmer below was written with care by a non-native writer: it awaits review by a native speaker,
# as the questionnaire's Khmer does. Numbers stay in Western digits so that they match the JSON.
WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Stakeholder awareness: {current} compared with {baseline}",
              "km": "ការយល់ដឹងរបស់ភាគីពាក់ព័ន្ធ៖ ការប្រៀបធៀប {current} ជាមួយ {baseline}"},
    "review_note": {"en": "", "km": "អត្ថបទភាសាខ្មែរនៃរបាយការណ៍នេះជាសេចក្តីព្រាង ដែលរង់ចាំការពិនិត្យដោយអ្នកនិយាយភាសាខ្មែរជាភាសាកំណើត។"},
    "headline_findings": {"en": "Headline findings", "km": "លទ្ធផលសំខាន់ៗ"},
    "lead_weighted": {"en": "These findings are weighted to the known number of stakeholders in each group, "
                            "so that each group counts in proportion to its size.",
                      "km": "លទ្ធផលទាំងនេះត្រូវបានថ្លឹងទម្ងន់តាមចំនួនភាគីពាក់ព័ន្ធដែលគេដឹងក្នុងក្រុមនីមួយៗ "
                            "ដើម្បីឱ្យក្រុមនីមួយៗរាប់តាមសមាមាត្រនៃទំហំរបស់វា។"},
    "lead_stratified": {"en": "The mix of stakeholder groups differs between the two rounds, so these findings "
                              "compare like with like within each group (stratified by group).",
                        "km": "សមាសភាពក្រុមភាគីពាក់ព័ន្ធខុសគ្នារវាងជុំទាំងពីរ ដូច្នេះលទ្ធផលទាំងនេះប្រៀបធៀប"
                              "ក្នុងក្រុមនីមួយៗ (បែងចែកជាស្រទាប់តាមក្រុម)។"},
    "lead_independent": {"en": "These findings compare all respondents of each round as two independent samples.",
                         "km": "លទ្ធផលទាំងនេះប្រៀបធៀបអ្នកឆ្លើយទាំងអស់នៃជុំនីមួយៗ ជាគំរូឯករាជ្យពីរ។"},
    "lead_paired": {"en": "These findings compare the same respondents in both rounds (paired).",
                    "km": "លទ្ធផលទាំងនេះប្រៀបធៀបអ្នកឆ្លើយដដែលក្នុងជុំទាំងពីរ (ជាគូ)។"},
    "tables": {"en": "Results by question", "km": "លទ្ធផលតាមសំណួរ"},
    "charts": {"en": "Charts", "km": "គំនូសតាង"},
    "response": {"en": "Response", "km": "ការឆ្លើយតប"},
    "methods": {"en": "Methods", "km": "វិធីសាស្ត្រ"},
    "references": {"en": "References", "km": "ឯកសារយោង"},
    "stamp": {"en": "Reproducibility", "km": "ការផ្ទៀងផ្ទាត់ឡើងវិញ"},
    "notes": {"en": "Notes", "km": "កំណត់សម្គាល់"},
    "question": {"en": "Question", "km": "សំណួរ"},
    "group": {"en": "Group", "km": "ក្រុម"},
    "all": {"en": "All stakeholders", "km": "ភាគីពាក់ព័ន្ធទាំងអស់"},
    "difference": {"en": "Difference", "km": "ភាពខុសគ្នា"},
    "test": {"en": "Test", "km": "តេស្ត"},
    "p": {"en": "p", "km": "p"},
    "p_adjusted": {"en": "Adjusted p", "km": "p បានកែតម្រូវ"},
    "effect": {"en": "Effect size", "km": "ទំហំឥទ្ធិពល"},
    "wave": {"en": "Round", "km": "ជុំ"},
    "respondents": {"en": "Respondents", "km": "អ្នកឆ្លើយ"},
    "rr1": {"en": "AAPOR RR1", "km": "AAPOR RR1"},
    "rr2": {"en": "AAPOR RR2", "km": "AAPOR RR2"},
    "invited": {"en": "Invited", "km": "បានអញ្ជើញ"},
    "not_compared": {"en": "not compared", "km": "មិនបានប្រៀបធៀប"},
    "wording_changed": {"en": "wording changed between editions: not compared",
                        "km": "ពាក្យពេចន៍បានផ្លាស់ប្តូររវាងការបោះពុម្ព៖ មិនបានប្រៀបធៀប"},
    "caution": {"en": "Estimates in parentheses rest on fewer than 25 respondents: interpret them with caution.",
                "km": "តួលេខក្នុងវង់ក្រចកផ្អែកលើអ្នកឆ្លើយតិចជាង 25 នាក់៖ សូមបកស្រាយដោយប្រុងប្រយ័ត្ន។"},
    "suppressed": {"en": "“n < {min_cell}”: fewer than {min_cell} respondents; the estimate is not shown to "
                         "protect their confidentiality.",
                   "km": "«n < {min_cell}»៖ អ្នកឆ្លើយតិចជាង {min_cell} នាក់ តួលេខមិនត្រូវបានបង្ហាញ "
                         "ដើម្បីការពារការសម្ងាត់របស់ពួកគេ។"},
    "chart_section": {"en": "{section}: {baseline} and {current} with {confidence} intervals",
                      "km": "{section}៖ {baseline} និង {current} ជាមួយចន្លោះទំនុកចិត្ត {confidence}"},
    "chart_groups": {"en": "By stakeholder group: {question}", "km": "តាមក្រុមភាគីពាក់ព័ន្ធ៖ {question}"},
    "chart_response": {"en": "Respondents by stakeholder group", "km": "អ្នកឆ្លើយតាមក្រុមភាគីពាក់ព័ន្ធ"},
    "knowledge_score": {"en": "Knowledge score (percentage of knowledge questions answered correctly, 0–100)",
                        "km": "ពិន្ទុចំណេះដឹង (ភាគរយនៃសំណួរចំណេះដឹងដែលឆ្លើយត្រូវ 0–100)"},
    "download": {"en": "Download", "km": "ទាញយក"},
    "generated": {"en": "Generated {time} by awareness {version}.", "km": "បង្កើតនៅ {time} ដោយ awareness {version}។"},
    "verify_hint": {"en": "Anyone with the same data can check every number: awareness verify {json} "
                          "with the same data options.",
                    "km": "អ្នកណាដែលមានទិន្នន័យដដែល អាចពិនិត្យតួលេខនីមួយៗបាន៖ awareness verify {json} "
                          "ជាមួយជម្រើសទិន្នន័យដដែល។"},
    "pp": {"en": "pp", "km": "ពិន្ទុភាគរយ"},
    "strata": {"en": "compared within", "km": "ប្រៀបធៀបក្នុង"},
}

TESTS = {
    "chi2": {"en": "Pearson's chi-square test", "km": "តេស្តឃី-ការ៉េរបស់ Pearson"},
    "chi_square": {"en": "Pearson's chi-square test", "km": "តេស្តឃី-ការ៉េរបស់ Pearson"},
    "fisher": {"en": "Fisher's exact test", "km": "តេស្តពិតប្រាកដរបស់ Fisher"},
    "mann_whitney": {"en": "Mann–Whitney U test", "km": "តេស្ត Mann–Whitney U"},
    "welch_t": {"en": "Welch's t-test", "km": "តេស្ត t របស់ Welch"},
    "cmh": {"en": "Cochran–Mantel–Haenszel test", "km": "តេស្ត Cochran–Mantel–Haenszel"},
    "mcnemar_exact": {"en": "exact McNemar test", "km": "តេស្ត McNemar ពិតប្រាកដ"},
    "wilcoxon": {"en": "Wilcoxon signed-rank test", "km": "តេស្តចំណាត់ថ្នាក់មានសញ្ញារបស់ Wilcoxon"},
    "paired_t": {"en": "paired t-test", "km": "តេស្ត t ជាគូ"},
    "z": {"en": "z-test on weighted estimates", "km": "តេស្ត z លើតួលេខដែលបានថ្លឹងទម្ងន់"},
}

EFFECTS = {
    "cohens_h": {"en": "Cohen's h", "km": "Cohen's h"},
    "rank_biserial": {"en": "rank-biserial r", "km": "rank-biserial r"},
    "hedges_g": {"en": "Hedges' g", "km": "Hedges' g"},
    "mh_odds_ratio": {"en": "Mantel–Haenszel OR", "km": "OR របស់ Mantel–Haenszel"},
    "odds_ratio": {"en": "odds ratio", "km": "សមាមាត្រហាងឆេង"},
    "cohens_dz": {"en": "Cohen's dz", "km": "Cohen's dz"},
}

# The comparison's fixed notes on a row, in Khmer (other notes stay as the analysis wrote them).
NOTES_KM = {
    "Fisher's exact test: an expected count is below 5": "តេស្តពិតប្រាកដរបស់ Fisher៖ ចំនួនរំពឹងទុកមួយតិចជាង 5",
    "no answers in either wave": "គ្មានចម្លើយក្នុងជុំទាំងពីរ",
    "no answers in the baseline": "គ្មានចម្លើយក្នុងជុំមូលដ្ឋាន",
    "no answers in the current wave": "គ្មានចម្លើយក្នុងជុំបច្ចុប្បន្ន",
    "all answers are identical: no test": "ចម្លើយទាំងអស់ដូចគ្នា៖ គ្មានតេស្ត",
    "fewer than 2 answers in a wave: no test": "ចម្លើយតិចជាង 2 ក្នុងជុំមួយ៖ គ្មានតេស្ត",
    "no variation in either wave: no test": "គ្មានបម្រែបម្រួលក្នុងជុំណាមួយ៖ គ្មានតេស្ត",
}


def note(text: str | None, language: str) -> str:
    """A row's note in the report's language where it is one of the comparison's fixed notes."""
    if not text:
        return ""
    return NOTES_KM.get(text, text) if language == "km" else text


ADJUSTMENTS = {"holm": {"en": "Holm-adjusted", "km": "កែតម្រូវតាម Holm"},
               "bh": {"en": "Benjamini–Hochberg-adjusted", "km": "កែតម្រូវតាម Benjamini–Hochberg"}}


def word(key: str, language: str, **values) -> str:
    """The report's word `key` in `language` (English where a Khmer entry is missing)."""
    entry = WORDS[key]
    return (entry.get(language) or entry["en"]).format(**values)


def test_name(test: str | None, language: str) -> str:
    if test is None:
        return "–"
    entry = TESTS.get(test)
    return entry.get(language, entry["en"]) if entry else test


def effect_name(name: str | None, language: str) -> str:
    entry = EFFECTS.get(name or "")
    return entry.get(language, entry["en"]) if entry else (name or "")
