"""The report's own words in English and Khmer (the Khmer is a draft for native review)."""

from __future__ import annotations

import re

from .trend_words import TREND_WORDS

LANGUAGES = ("en", "km")

# Khmer below was written with care by a non-native writer: it awaits review by a native speaker,
# as the questionnaire's Khmer does. Numbers stay in Western digits so that they match the JSON.
WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Stakeholder awareness: {current} compared with {baseline}",
              "km": "ការយល់ដឹងរបស់ភាគីពាក់ព័ន្ធ៖ ការប្រៀបធៀប {current} ជាមួយ {baseline}"},
    "review_note": {"en": "", "km": "អត្ថបទភាសាខ្មែរនៃរបាយការណ៍នេះជាសេចក្តីព្រាង ដែលរង់ចាំការពិនិត្យដោយអ្នកនិយាយភាសាខ្មែរជាភាសាកំណើត។"},
    "organisation": {"en": "Organisation", "km": "ស្ថាប័ន"},
    "author": {"en": "Author", "km": "អ្នករៀបចំ"},
    "fieldwork": {"en": "Fieldwork {wave}", "km": "ការប្រមូលទិន្នន័យ {wave}"},
    "fieldwork_closed": {"en": "{first} to {last}", "km": "ពី {first} ដល់ {last}"},
    "fieldwork_open": {"en": "from {first}, still open (last response {last})",
                       "km": "ចាប់ពី {first} នៅបើកនៅឡើយ (ចម្លើយចុងក្រោយ {last})"},
    "fieldwork_unknown": {"en": "dates not recorded", "km": "មិនបានកត់ត្រាកាលបរិច្ឆេទ"},
    "report_date": {"en": "Date of this report", "km": "កាលបរិច្ឆេទនៃរបាយការណ៍នេះ"},
    "provisional": {"en": "Provisional: fieldwork still open ({waves})",
                    "km": "បណ្តោះអាសន្ន៖ ការប្រមូលទិន្នន័យនៅបើកនៅឡើយ ({waves})"},
    "page": {"en": "Page", "km": "ទំព័រ"},
    "of": {"en": "of", "km": "នៃ"},
    "table_of": {"en": "Table: {section}", "km": "តារាង៖ {section}"},
    "unanswered": {"en": "No one answered these questions in either round:",
                   "km": "គ្មាននរណាម្នាក់បានឆ្លើយសំណួរទាំងនេះក្នុងជុំណាមួយទេ៖"},
    "headline_findings": {"en": "Headline findings", "km": "លទ្ធផលសំខាន់ៗ"},
    # The headline's note (lead.lead_paragraph): the design the findings follow, by the rule of docs/report.md.
    "lead_weighted": {"en": "These findings are weighted to the known number of stakeholders in each group, so that "
                            "each group counts in proportion to its size: when the population sizes are known, the "
                            "weighted comparison leads.",
                      "km": "លទ្ធផលទាំងនេះត្រូវបានថ្លឹងទម្ងន់តាមចំនួនភាគីពាក់ព័ន្ធដែលគេដឹងក្នុងក្រុមនីមួយៗ "
                            "ដើម្បីឱ្យក្រុមនីមួយៗរាប់តាមសមាមាត្រនៃទំហំរបស់វា៖ នៅពេលគេដឹងចំនួនប្រជាជន "
                            "ការប្រៀបធៀបដែលបានថ្លឹងទម្ងន់ជាការប្រៀបធៀបចម្បង។"},
    "lead_stratified": {"en": "The mix of stakeholder groups differs between {baseline} and {current} ({mix}), so "
                              "these findings are adjusted for group: they compare like with like within each "
                              "group, and {baseline}'s figures are {baseline}'s results within each group applied "
                              "to {current}'s mix of groups (standardisation).",
                        "km": "សមាសភាពក្រុមភាគីពាក់ព័ន្ធខុសគ្នារវាង {baseline} និង {current} ({mix}) ដូច្នេះ"
                              "លទ្ធផលទាំងនេះត្រូវបានកែតម្រូវតាមក្រុម៖ ពួកវាប្រៀបធៀបក្នុងក្រុមនីមួយៗ ហើយតួលេខ "
                              "{baseline} គឺជាលទ្ធផលរបស់ {baseline} ក្នុងក្រុមនីមួយៗ ដែលអនុវត្តលើសមាសភាពក្រុមរបស់ "
                              "{current} (ការធ្វើស្តង់ដារ)។"},
    "lead_independent": {"en": "These findings compare all respondents of {baseline} and {current} as two "
                               "independent samples: the respondents were not compared as pairs and no population "
                               "sizes were used to weight them.",
                         "km": "លទ្ធផលទាំងនេះប្រៀបធៀបអ្នកឆ្លើយទាំងអស់នៃ {baseline} និង {current} ជាគំរូឯករាជ្យពីរ៖ "
                               "អ្នកឆ្លើយមិនត្រូវបានប្រៀបធៀបជាគូ ហើយមិនបានប្រើចំនួនប្រជាជនដើម្បីថ្លឹងទម្ងន់ទេ។"},
    "lead_independent_mix": {"en": "These findings compare all respondents of {baseline} and {current} as two "
                                   "independent samples: the respondents were not compared as pairs, no population "
                                   "sizes were used to weight them, and the mix of stakeholder groups did not change significantly "
                                   "({mix}).",
                             "km": "លទ្ធផលទាំងនេះប្រៀបធៀបអ្នកឆ្លើយទាំងអស់នៃ {baseline} និង {current} ជាគំរូឯករាជ្យពីរ៖ "
                                   "អ្នកឆ្លើយមិនត្រូវបានប្រៀបធៀបជាគូ មិនបានប្រើចំនួនប្រជាជនដើម្បីថ្លឹងទម្ងន់ ហើយសមាសភាពក្រុមភាគីពាក់ព័ន្ធ"
                                   "មិនបានផ្លាស់ប្តូរគួរឱ្យកត់សម្គាល់ទេ ({mix})។"},
    "lead_paired": {"en": "These findings compare the same respondents in {baseline} and {current}, each with "
                          "themselves (paired), as the analysis asked: only those who answered both rounds count.",
                    "km": "លទ្ធផលទាំងនេះប្រៀបធៀបអ្នកឆ្លើយដដែលក្នុង {baseline} និង {current} ម្នាក់ៗជាមួយខ្លួនឯង "
                          "(ជាគូ) តាមការស្នើសុំ៖ មានតែអ្នកដែលបានឆ្លើយទាំងពីរជុំប៉ុណ្ណោះដែលត្រូវបានរាប់។"},
    # Where the sizes came from, when they are those stored with the wave (the stamp's settings say so).
    "weighted_stored": {"en": "The population sizes are those stored with wave {wave} in the survey's database; "
                              "{baseline} and {current} are both weighted to them.",
                        "km": "ចំនួនប្រជាជនទាំងនេះ គឺជាចំនួនដែលបានរក្សាទុកជាមួយជុំ {wave} ក្នុងមូលដ្ឋានទិន្នន័យនៃការស្ទង់មតិ "
                              "ហើយ {baseline} និង {current} ត្រូវបានថ្លឹងទម្ងន់តាមចំនួនទាំងនេះ។"},
    "mix_changed_weighted": {"en": "The mix of stakeholder groups among the respondents differs between the rounds "
                                   "({mix}); weighting to the population allows for it.",
                             "km": "សមាសភាពក្រុមភាគីពាក់ព័ន្ធក្នុងចំណោមអ្នកឆ្លើយខុសគ្នារវាងជុំទាំងពីរ ({mix}) "
                                   "ការថ្លឹងទម្ងន់តាមប្រជាជនគិតគូរពីការនេះ។"},
    "mix_changed_paired": {"en": "The mix of stakeholder groups among all respondents differs between the rounds "
                                 "({mix}); comparing each respondent with themselves is not affected by it.",
                           "km": "សមាសភាពក្រុមភាគីពាក់ព័ន្ធក្នុងចំណោមអ្នកឆ្លើយទាំងអស់ខុសគ្នារវាងជុំទាំងពីរ ({mix}) "
                                 "ការប្រៀបធៀបអ្នកឆ្លើយម្នាក់ៗជាមួយខ្លួនឯង មិនរងឥទ្ធិពលពីការនេះទេ។"},
    "group_absent_independent": {"en": "No respondent of {groups} answered in {wave}: the two rounds' figures cover "
                                       "different groups.",
                                 "km": "គ្មានអ្នកឆ្លើយពី {groups} បានឆ្លើយក្នុង {wave} ទេ៖ តួលេខនៃជុំទាំងពីរ"
                                       "គ្របដណ្តប់ក្រុមខុសៗគ្នា។"},
    "group_absent_stratified": {"en": "No respondent of {groups} answered in {wave}: the adjusted comparison "
                                      "leaves them out.",
                                "km": "គ្មានអ្នកឆ្លើយពី {groups} បានឆ្លើយក្នុង {wave} ទេ៖ ការប្រៀបធៀបដែលបាន"
                                      "កែតម្រូវមិនរាប់បញ្ចូលពួកគេទេ។"},
    "group_absent_weighted": {"en": "No respondent of {groups} answered in {wave}: each round is weighted over the "
                                    "groups that answered in it, so the two rounds' figures stand for different "
                                    "groups.",
                              "km": "គ្មានអ្នកឆ្លើយពី {groups} បានឆ្លើយក្នុង {wave} ទេ៖ ជុំនីមួយៗត្រូវបានថ្លឹងទម្ងន់"
                                    "លើក្រុមដែលបានឆ្លើយក្នុងជុំនោះ ដូច្នេះតួលេខនៃជុំទាំងពីរតំណាងឱ្យក្រុមខុសៗគ្នា។"},
    "group_absent_paired": {"en": "No respondent of {groups} answered in {wave}: they have no pairs.",
                            "km": "គ្មានអ្នកឆ្លើយពី {groups} បានឆ្លើយក្នុង {wave} ទេ៖ ពួកគេគ្មានគូទេ។"},
    "lonely_groups": {"en": "This weighted estimate rests partly on groups with a single respondent ({groups}), "
                            "whose sampling variance can only be approximated: the interval and the test are less "
                            "certain than they look.",
                      "km": "តួលេខដែលបានថ្លឹងទម្ងន់នេះ ផ្អែកមួយផ្នែកលើក្រុមដែលមានអ្នកឆ្លើយតែម្នាក់ ({groups}) "
                            "ដែលវ៉ារ្យង់គំរូរបស់វាអាចប៉ាន់ស្មានបានតែប្រហាក់ប្រហែល៖ ចន្លោះ និងតេស្តមិនសូវច្បាស់ដូចដែលមើលទៅទេ។"},
    "paired_without_pairs": {"en": "A paired comparison was asked for, but no respondent answered both rounds under "
                                   "the same respondent key.",
                             "km": "ការប្រៀបធៀបជាគូត្រូវបានស្នើសុំ ប៉ុន្តែគ្មានអ្នកឆ្លើយណាបានឆ្លើយទាំងពីរជុំ "
                                   "ក្រោមលេខសម្គាល់អ្នកឆ្លើយដូចគ្នាទេ។"},
    "group_unanswered": {"en": "{groups}: in the population, but no respondent in either round; the weighted "
                               "figures stand for the other groups only.",
                         "km": "{groups}៖ មាននៅក្នុងប្រជាជន ប៉ុន្តែគ្មានអ្នកឆ្លើយក្នុងជុំណាមួយទេ "
                               "តួលេខដែលបានថ្លឹងទម្ងន់តំណាងឱ្យតែក្រុមផ្សេងទៀតប៉ុណ្ណោះ។"},
    "not_lead_design": {"en": "(Compared as independent samples: this measure has no {design} row.)",
                        "km": "(ប្រៀបធៀបជាគំរូឯករាជ្យ៖ រង្វាស់នេះគ្មានជួរ{design}ទេ។)"},
    "tables": {"en": "Results by question", "km": "លទ្ធផលតាមសំណួរ"},
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
    "p_adjusted": {"en": "Adjusted p", "km": "p បានកែតម្រូវ"},
    "effect": {"en": "Effect size", "km": "ទំហំឥទ្ធិពល"},
    "respondents": {"en": "Respondents", "km": "អ្នកឆ្លើយ"},
    "rr1": {"en": "AAPOR RR1", "km": "AAPOR RR1"},
    "rr2": {"en": "AAPOR RR2", "km": "AAPOR RR2"},
    "wording_changed": {"en": "wording changed between editions: not compared",
                        "km": "ពាក្យពេចន៍បានផ្លាស់ប្តូររវាងការបោះពុម្ព៖ មិនបានប្រៀបធៀប"},
    "caution": {"en": "Estimates in parentheses rest on fewer than 25 respondents: interpret them with caution.",
                "km": "តួលេខក្នុងវង់ក្រចកផ្អែកលើអ្នកឆ្លើយតិចជាង 25 នាក់៖ សូមបកស្រាយដោយប្រុងប្រយ័ត្ន។"},
    "suppressed": {"en": "“n < {min_cell}”: fewer than {min_cell} respondents; the estimate is not shown to "
                         "protect their confidentiality.",
                   "km": "«n < {min_cell}»៖ អ្នកឆ្លើយតិចជាង {min_cell} នាក់ តួលេខមិនត្រូវបានបង្ហាញ "
                         "ដើម្បីការពារការសម្ងាត់របស់ពួកគេ។"},
    "complement": {"en": "“{mark}”: not shown, so that no hidden estimate can be worked out from the total and "
                         "the other groups, nor a unanimous answer of fewer than 25 respondents be read.",
                   "km": "«{mark}»៖ មិនបង្ហាញ ដើម្បីកុំឱ្យតួលេខដែលលាក់ អាចគណនាចេញពីសរុប និងក្រុមផ្សេងទៀតបាន "
                         "ឬកុំឱ្យចម្លើយដូចគ្នាទាំងអស់របស់អ្នកឆ្លើយតិចជាង 25 នាក់ អាចអានបាន។"},
    "chart_section": {"en": "{section}: {what}, {baseline} and {current} with {confidence} confidence intervals",
                      "km": "{section}៖ {what} {baseline} និង {current} ជាមួយចន្លោះទំនុកចិត្ត {confidence}"},
    "chart_shares": {"en": "share of stakeholders (%)", "km": "ភាគរយនៃភាគីពាក់ព័ន្ធ (%)"},
    "chart_means_on": {"en": "mean answer ({scale})", "km": "ចម្លើយមធ្យម ({scale})"},
    "chart_mean": {"en": "mean", "km": "មធ្យម"},
    "chart_groups": {"en": "By stakeholder group: {question}", "km": "តាមក្រុមភាគីពាក់ព័ន្ធ៖ {question}"},
    "chart_response": {"en": "Respondents by stakeholder group", "km": "អ្នកឆ្លើយតាមក្រុមភាគីពាក់ព័ន្ធ"},
    "knowledge_score": {"en": "Knowledge score (percentage of knowledge questions answered correctly, 0–100)",
                        "km": "ពិន្ទុចំណេះដឹង (ភាគរយនៃសំណួរចំណេះដឹងដែលឆ្លើយត្រូវ 0–100)"},
    "verify_hint": {"en": "Anyone with the same data can check every number: awareness verify {json} "
                          "with the same data options.",
                    "km": "អ្នកណាដែលមានទិន្នន័យដដែល អាចពិនិត្យតួលេខនីមួយៗបាន៖ awareness verify {json} "
                          "ជាមួយជម្រើសទិន្នន័យដដែល។"},
    "strata": {"en": "compared within", "km": "ប្រៀបធៀបក្នុង"},
    # A finding's sentence: one template per outcome, filled by sentences.sentence.
    "sentence_changed": {"en": "{who} {verb} from {base} in {baseline} to {cur} in {current}, {change}{caution}; "
                               "{evidence}{qualifier}.",
                         "km": "{who} {verb}ពី {base} ក្នុង {baseline} ដល់ {cur} ក្នុង {current} {change}{caution}; "
                               "{evidence}{qualifier}។"},
    "sentence_unchanged": {"en": "{who} did not change significantly{after}: {base} in {baseline} and {cur} in "
                                 "{current}, {change}{caution}; {evidence}{qualifier}.",
                           "km": "{who} មិនបានផ្លាស់ប្តូរគួរឱ្យកត់សម្គាល់តាមស្ថិតិទេ{after}៖ {base} ក្នុង {baseline} "
                                 "និង {cur} ក្នុង {current} {change}{caution}; {evidence}{qualifier}។"},
    # Words that keep a verdict and its numbers in agreement (sentences._qualifier).
    "after_adjustment": {"en": " after adjustment for {count} comparisons (unadjusted p\u00a0{p})",
                         "km": " បន្ទាប់ពីការកែតម្រូវសម្រាប់ការប្រៀបធៀប {count} (p មិនទាន់កែតម្រូវ\u00a0{p})"},
    "after_adjustment_family": {"en": " after adjustment for multiple comparisons (unadjusted p\u00a0{p})",
                                "km": " បន្ទាប់ពីការកែតម្រូវសម្រាប់ការប្រៀបធៀបច្រើន (p មិនទាន់កែតម្រូវ\u00a0{p})"},
    "interval_includes_zero": {"en": "; the interval of the change includes zero, however: the test and the "
                                     "interval, computed by different methods, disagree at the margin",
                               "km": "; ទោះយ៉ាងណា ចន្លោះនៃការផ្លាស់ប្តូររួមបញ្ចូលសូន្យ៖ តេស្ត និងចន្លោះ ដែលគណនាដោយវិធីខុសគ្នា "
                                     "មិនស្របគ្នានៅព្រំដែន"},
    "interval_excludes_zero": {"en": "; the interval of the change excludes zero, however: the evidence is "
                                     "borderline",
                               "km": "; ទោះយ៉ាងណា ចន្លោះនៃការផ្លាស់ប្តូរមិនរួមបញ្ចូលសូន្យ៖ ភស្តុតាងស្ថិតនៅព្រំដែន"},
    "sentence_census": {"en": "{who} {verb} from {base} in {baseline} to {cur} in {current}, an exact change of "
                              "{change}: every member of every group answered (a census), so there is no sampling "
                              "error and no test.",
                        "km": "{who} {verb}ពី {base} ក្នុង {baseline} ដល់ {cur} ក្នុង {current} ដែលជាការផ្លាស់ប្តូរពិតប្រាកដ "
                              "{change}៖ សមាជិកគ្រប់រូបនៃក្រុមនីមួយៗបានឆ្លើយ (ជំរឿន) ដូច្នេះគ្មានកំហុសគំរូ និងគ្មានតេស្តទេ។"},
    "sentence_census_same": {"en": "{who} was {base} in both {baseline} and {current}: every member of every group "
                                   "answered (a census), so the figures are exact and need no test.",
                             "km": "{who} គឺ {base} ទាំងក្នុង {baseline} និង {current}៖ សមាជិកគ្រប់រូបនៃក្រុមនីមួយៗបានឆ្លើយ "
                                   "(ជំរឿន) ដូច្នេះតួលេខពិតប្រាកដ ហើយមិនត្រូវការតេស្តទេ។"},
    "sentence_not_compared": {"en": "{who}: not compared ({reason}).", "km": "{who}៖ មិនបានប្រៀបធៀប ({reason})។"},
    "sentence_small": {"en": "{who}: n < {min_cell} in a round; not reported, to protect respondents' confidentiality.",
                       "km": "{who}៖ n < {min_cell} ក្នុងជុំមួយ មិនបានរាយការណ៍ ដើម្បីការពារការសម្ងាត់របស់អ្នកឆ្លើយ។"},
    "sentence_hidden": {"en": "{who}: not reported, to protect respondents' confidentiality (all of fewer than 25 "
                              "respondents gave the same answer in a round).",
                        "km": "{who}៖ មិនបានរាយការណ៍ ដើម្បីការពារការសម្ងាត់របស់អ្នកឆ្លើយ (អ្នកឆ្លើយតិចជាង 25 នាក់ "
                              "បានឆ្លើយដូចគ្នាទាំងអស់ក្នុងជុំមួយ)។"},
    "rose": {"en": "rose", "km": "បានកើនឡើង"},
    "fell": {"en": "fell", "km": "បានថយចុះ"},
    "no_test": {"en": "no test", "km": "គ្មានតេស្ត"},
    "few_respondents": {"en": " (based on fewer than 25 respondents: interpret with caution)",
                        "km": " (ផ្អែកលើអ្នកឆ្លើយតិចជាង 25 នាក់៖ សូមបកស្រាយដោយប្រុងប្រយ័ត្ន)"},
    "change_of": {"en": "a change of {change}", "km": "ដែលជាការផ្លាស់ប្តូរ {change}"},
    "percentage_points": {"en": "percentage points", "km": "ពិន្ទុភាគរយ"},
    "interval": {"en": "{level} CI {low} to {high}", "km": "CI {level} {low} ដល់ {high}"},
    "ci": {"en": "{level} CI", "km": "CI {level}"},
    "welch_t": {"en": "Welch's t({df}) = {value}", "km": "t របស់ Welch ({df}) = {value}"},
    "paired_t": {"en": "paired t({df}) = {value}", "km": "t ជាគូ ({df}) = {value}"},
    "odds_ratios_differ": {"en": "the odds ratios differ between groups (Breslow–Day p\u00a0{p})",
                           "km": "សមាមាត្រហាងឆេងខុសគ្នារវាងក្រុម (Breslow–Day p\u00a0{p})"},
    # What a finding is about (subjects.py) and whom its share counts.
    "subject_knowledge_score": {"en": "The mean knowledge score", "km": "ពិន្ទុចំណេះដឹងមធ្យម"},
    "subject_chose": {"en": "The share of stakeholders who chose {label} for {question}",
                      "km": "ភាគរយនៃភាគីពាក់ព័ន្ធដែលបានជ្រើសរើស {label} ចំពោះសំណួរ {question}"},
    "subject_correct": {"en": "The share of stakeholders who answered {question} correctly",
                        "km": "ភាគរយនៃភាគីពាក់ព័ន្ធដែលបានឆ្លើយត្រូវចំពោះសំណួរ {question}"},
    "subject_answered": {"en": "The share of stakeholders who answered {label} to {question}",
                         "km": "ភាគរយនៃភាគីពាក់ព័ន្ធដែលបានឆ្លើយ {label} ចំពោះសំណួរ {question}"},
    "subject_scale": {"en": "The mean answer to {question} ({scale})", "km": "ចម្លើយមធ្យមចំពោះសំណួរ {question} ({scale})"},
    "subject_mean": {"en": "The mean answer to {question}", "km": "មធ្យមភាគនៃចម្លើយចំពោះសំណួរ {question}"},
    "base_all": {"en": " among all respondents", "km": " ក្នុងចំណោមអ្នកឆ្លើយទាំងអស់"},
    "base_answered": {"en": " among those who answered {label} to {question}",
                      "km": " ក្នុងចំណោមអ្នកដែលបានឆ្លើយ {label} ចំពោះសំណួរ {question}"},
    "base_asked": {"en": " among those who were asked the question", "km": " ក្នុងចំណោមអ្នកដែលត្រូវបានសួរសំណួរនេះ"},
    "quoted": {"en": "“{text}”", "km": "«{text}»"},
    # A row's design, beside its group (independent rows carry none).
    "design_stratified": {"en": "stratified", "km": "បែងចែកជាស្រទាប់"},
    "design_paired": {"en": "paired", "km": "ជាគូ"},
    "design_weighted": {"en": "weighted", "km": "បានថ្លឹងទម្ងន់"},
}
WORDS.update(TREND_WORDS)  # the report over the policy period (analysis/report/trend.py)

TESTS = {
    "chi2": {"en": "Pearson's chi-square test", "km": "តេស្តឃី-ការ៉េរបស់ Pearson"},
    "fisher": {"en": "Fisher's exact test", "km": "តេស្តពិតប្រាកដរបស់ Fisher"},
    "mann_whitney": {"en": "Mann–Whitney U test", "km": "តេស្ត Mann–Whitney U"},
    "welch_t": {"en": "Welch's t-test", "km": "តេស្ត t របស់ Welch"},
    "cmh": {"en": "Cochran–Mantel–Haenszel test", "km": "តេស្ត Cochran–Mantel–Haenszel"},
    "mcnemar_exact": {"en": "exact McNemar test", "km": "តេស្ត McNemar ពិតប្រាកដ"},
    "wilcoxon": {"en": "Wilcoxon signed-rank test", "km": "តេស្តចំណាត់ថ្នាក់មានសញ្ញារបស់ Wilcoxon"},
    "paired_t": {"en": "paired t-test", "km": "តេស្ត t ជាគូ"},
    "z": {"en": "z-test on weighted estimates", "km": "តេស្ត z លើតួលេខដែលបានថ្លឹងទម្ងន់"},
    "std_z": {"en": "z-test on group-standardised means", "km": "តេស្ត z លើមធ្យមភាគដែលធ្វើស្តង់ដារតាមក្រុម"},
}

# Effect sizes keep their usual (English) names in Khmer, but for the Mantel–Haenszel odds ratio.
EFFECTS = {"cohens_h": {"en": "Cohen's h"}, "rank_biserial": {"en": "rank-biserial r"}, "hedges_g": {"en": "Hedges' g"},
           "mh_odds_ratio": {"en": "Mantel–Haenszel OR", "km": "OR របស់ Mantel–Haenszel"},
           "cohens_dz": {"en": "Cohen's dz"}}

# The comparison's fixed notes on a row, in Khmer (other notes stay as the analysis wrote them).
NOTES_KM = {
    "Fisher's exact test: an expected count is below 5": "តេស្តពិតប្រាកដរបស់ Fisher៖ ចំនួនរំពឹងទុកមួយតិចជាង 5",
    "no answers in either wave": "គ្មានចម្លើយក្នុងជុំទាំងពីរ",
    "no answers in the baseline": "គ្មានចម្លើយក្នុងជុំមូលដ្ឋាន",
    "no answers in the current wave": "គ្មានចម្លើយក្នុងជុំបច្ចុប្បន្ន",
    "all answers are identical: no test": "ចម្លើយទាំងអស់ដូចគ្នា៖ គ្មានតេស្ត",
    "fewer than 2 answers in a wave: no test": "ចម្លើយតិចជាង 2 ក្នុងជុំមួយ៖ គ្មានតេស្ត",
    "the answers do not vary within the waves: no test": "ចម្លើយមិនប្រែប្រួលក្នុងជុំនីមួយៗ៖ គ្មានតេស្ត",
    "the answers do not vary between the pairs: no test": "ចម្លើយមិនប្រែប្រួលរវាងគូនីមួយៗ៖ គ្មានតេស្ត",
    "no pair answered in both waves": "គ្មានគូណាបានឆ្លើយក្នុងជុំទាំងពីរទេ",
    "fewer than 2 pairs: no test": "គូតិចជាង 2៖ គ្មានតេស្ត",
    "no stakeholder group has answers in both waves: nothing to stratify":
        "គ្មានក្រុមភាគីពាក់ព័ន្ធណាមានចម្លើយក្នុងជុំទាំងពីរទេ៖ គ្មានអ្វីត្រូវបែងចែកជាស្រទាប់",
    "each stratum lacks current successes or baseline failures: odds ratio 0 (as in R), no interval":
        "ស្រទាប់នីមួយៗខ្វះភាពជោគជ័យក្នុងជុំបច្ចុប្បន្ន ឬភាពបរាជ័យក្នុងជុំមូលដ្ឋាន៖ សមាមាត្រហាងឆេង 0 (ដូច R) គ្មានចន្លោះ",
    "a zero in every stratum's cross-product: no common odds ratio":
        "ផលគុណឆ្លងនៃស្រទាប់នីមួយៗមានលេខសូន្យ៖ គ្មានសមាមាត្រហាងឆេងរួម",
    "every answer is a success (or none is) in each stratum: no test":
        "ក្នុងស្រទាប់នីមួយៗ ចម្លើយទាំងអស់ដូចគ្នា៖ គ្មានតេស្ត",
    "no respondent key is in both waves: no paired rows":
        "គ្មានលេខសម្គាល់អ្នកឆ្លើយណាមាននៅក្នុងជុំទាំងពីរទេ៖ គ្មានជួរជាគូ",
    "paired rows need respondent files with a respondent key in both waves: none given":
        "ជួរជាគូត្រូវការឯកសារអ្នកឆ្លើយដែលមានលេខសម្គាល់អ្នកឆ្លើយក្នុងជុំទាំងពីរ៖ មិនបានផ្តល់ឱ្យទេ",
}
MIX_LEADS_KM = {"rows adjusted for group (stratified)": "ជួរដែលបានកែតម្រូវតាមក្រុម (បែងចែកជាស្រទាប់)",
                "weighted rows": "ជួរដែលបានថ្លឹងទម្ងន់", "paired rows": "ជួរជាគូ"}
# A reviewer reads the report, not the command line: the option the analysis points to becomes words.
COMMAND_POINTERS_EN = {" (--paired) would compare each with themselves and lead the report":
                       " would compare each with themselves (it was not made for this report)",
                       "; --paired compares them as pairs": "; a paired comparison would compare them as pairs"}
WAVES_KM = {"baseline": "ជុំមូលដ្ឋាន", "current wave": "ជុំបច្ចុប្បន្ន"}
# The comparison's notes that carry numbers or names: a pattern and its Khmer, filled from the match.
PATTERNS_KM = [
    (re.compile(r"most respondents answered both years: a paired comparison \(--paired\) would compare each with "
                r"themselves and lead the report"),
     lambda m: "អ្នកឆ្លើយភាគច្រើនបានឆ្លើយទាំងពីរឆ្នាំ៖ ការប្រៀបធៀបជាគូនឹងប្រៀបធៀបម្នាក់ៗជាមួយខ្លួនឯង "
               "(មិនបានធ្វើសម្រាប់របាយការណ៍នេះទេ)"),
    (re.compile(r"(\d+) respondent\(s\) answered both years; see the paired rows"),
     lambda m: f"អ្នកឆ្លើយ {m[1]} នាក់បានឆ្លើយទាំងពីរឆ្នាំ៖ សូមមើលជួរជាគូ"),
    (re.compile(r"(\d+) respondent\(s\) answered both years: not independent samples \(--paired\)"),
     lambda m: f"អ្នកឆ្លើយ {m[1]} នាក់បានឆ្លើយទាំងពីរឆ្នាំ៖ គំរូទាំងពីរមិនឯករាជ្យពីគ្នាទេ (--paired)"),
    (re.compile(r"(\d+) respondent\(s\) answered both years \(same respondent key\): the independent rows treat "
                r"them as separate people; --paired compares them as pairs"),
     lambda m: f"អ្នកឆ្លើយ {m[1]} នាក់បានឆ្លើយទាំងពីរឆ្នាំ (លេខសម្គាល់អ្នកឆ្លើយដូចគ្នា)៖ ជួរគំរូឯករាជ្យចាត់ទុកពួកគេ"
               "ជាមនុស្សផ្សេងគ្នា ហើយ --paired ប្រៀបធៀបពួកគេជាគូ"),
    (re.compile(r"the (baseline|current wave) is a counts table, which carries no knowledge score: the score needs "
                r"each respondent's answers, so it cannot be compared"),
     lambda m: f"{WAVES_KM[m[1]]}ជាតារាងចំនួន ដែលគ្មានពិន្ទុចំណេះដឹង៖ ពិន្ទុត្រូវការចម្លើយរបស់អ្នកឆ្លើយម្នាក់ៗ "
               "ដូច្នេះមិនអាចប្រៀបធៀបបានទេ"),
    (re.compile(r"each wave is weighted over the groups that answered in it, and these differ \((.+?)\)"),
     lambda m: "ជុំនីមួយៗត្រូវបានថ្លឹងទម្ងន់លើក្រុមដែលបានឆ្លើយក្នុងជុំនោះ ហើយក្រុមទាំងនោះខុសគ្នា ("
               + re.sub(r"only in the (baseline|current wave)", lambda w: f"តែក្នុង{WAVES_KM[w[1]]}", m[1]) + ")"),
    (re.compile(r"group '([^']+)' is only in the (baseline|current wave): not compared"),
     lambda m: f"ក្រុម '{m[1]}' មាននៅក្នុង{WAVES_KM[m[2]]}តែប៉ុណ្ណោះ៖ មិនបានប្រៀបធៀប"),
    (re.compile(r"the group mix differs between the waves \((Pearson chi-square\(\d+\) = [^,]+, p = [^)]+)\): the "
                r"unadjusted rows of all stakeholders mix a change in who answered with a change in answers; the "
                r"(rows adjusted for group \(stratified\)|weighted rows|paired rows) lead"),
     lambda m: f"សមាសភាពក្រុមខុសគ្នារវាងជុំទាំងពីរ ({m[1]})៖ ជួរដែលមិនបានកែតម្រូវនៃភាគីពាក់ព័ន្ធទាំងអស់ លាយឡំការផ្លាស់ប្តូរ"
               f"នៃអ្នកដែលបានឆ្លើយ ជាមួយការផ្លាស់ប្តូរនៃចម្លើយ ហើយ{MIX_LEADS_KM[m[2]]}ជាជួរចម្បង"),
]


def note(text: str | None, language: str) -> str:
    """A note of the comparison in the report's language: its fixed notes, and those with numbers or names,
    also when a row joins several with "; " (a note the report does not know stays as the analysis wrote it)."""
    if not text:
        return ""
    if language == "km":
        return _notes_km(text)
    for pointer, words in COMMAND_POINTERS_EN.items():
        text = text.replace(pointer, words)
    return text


def _notes_km(text: str) -> str:
    """Khmer for the first known note that `text` begins with, then for the rest after its "; "."""
    for known, khmer in NOTES_KM.items():
        if text == known or text.startswith(known + "; "):
            return _joined(khmer, text[len(known) + 2:])
    for pattern, khmer in PATTERNS_KM:
        match = pattern.match(text)
        if match and (match.end() == len(text) or text.startswith("; ", match.end())):
            return _joined(khmer(match), text[match.end() + 2:])
    head, _, rest = text.partition("; ")
    return _joined(head, rest)


def _joined(first: str, rest: str) -> str:
    return f"{first}; {_notes_km(rest)}" if rest else first


ADJUSTMENTS = {"holm": {"en": "Holm-adjusted", "km": "កែតម្រូវតាម Holm"},
               "bh": {"en": "Benjamini–Hochberg-adjusted", "km": "កែតម្រូវតាម Benjamini–Hochberg"}}


def word(key: str, language: str, **values) -> str:
    """The report's word `key` in `language` (English where a Khmer entry is missing)."""
    entry = WORDS[key]
    return (entry.get(language) or entry["en"]).format(**values)


def _named(table: dict[str, dict[str, str]], key: str, language: str) -> str:
    """The name of `key` in `language` (English where Khmer is missing; the key itself when unknown)."""
    entry = table.get(key)
    return entry.get(language, entry["en"]) if entry else key


def test_name(test: str | None, language: str) -> str:
    return "–" if test is None else _named(TESTS, test, language)


def effect_name(name: str | None, language: str) -> str:
    return _named(EFFECTS, name or "", language)
