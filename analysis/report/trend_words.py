"""The words of a report over the policy period (merged into i18n.WORDS; the Khmer is a draft for review)."""

TREND_WORDS: dict[str, dict[str, str]] = {
    "trend_title": {"en": "Stakeholder awareness over the policy period, {first}–{last}",
                    "km": "ការយល់ដឹងរបស់ភាគីពាក់ព័ន្ធក្នុងរយៈពេលគោលនយោបាយ {first}–{last}"},
    "trend_lead_independent": {"en": "Each round's respondents are taken as an independent sample; the trend is "
                                     "tested over all {waves} rounds.",
                               "km": "អ្នកឆ្លើយនៃជុំនីមួយៗត្រូវបានចាត់ទុកជាគំរូឯករាជ្យ; និន្នាការត្រូវបានតេស្ត"
                                     "លើជុំទាំង {waves}។"},
    "trend_lead_stratified": {"en": "The mix of stakeholder groups changed over the rounds, so the trend is "
                                    "adjusted for group (a model with group); each round is shown with the last "
                                    "round's mix of groups.",
                              "km": "សមាសភាពក្រុមភាគីពាក់ព័ន្ធបានផ្លាស់ប្តូរតាមជុំ ដូច្នេះនិន្នាការត្រូវបានកែតម្រូវ"
                                    "តាមក្រុម។"},
    "trend_lead_weighted": {"en": "Each round is weighted to the known number of stakeholders in each group, and "
                                  "the trend is a survey-weighted regression on the rounds.",
                            "km": "ជុំនីមួយៗត្រូវបានថ្លឹងទម្ងន់តាមចំនួនភាគីពាក់ព័ន្ធដែលគេដឹងក្នុងក្រុមនីមួយៗ "
                                  "ហើយនិន្នាការជាតំរែតំរង់ដែលថ្លឹងទម្ងន់។"},
    "trend_rose": {"en": "{who} rose from {first} in {first_wave} to {last} in {last_wave}; {slope}, "
                         "{evidence}.{extra}",
                   "km": "{who} បានកើនឡើងពី {first} ក្នុង {first_wave} ដល់ {last} ក្នុង {last_wave}; "
                         "{slope}, {evidence}។{extra}"},
    "trend_fell": {"en": "{who} fell from {first} in {first_wave} to {last} in {last_wave}; {slope}, "
                         "{evidence}.{extra}",
                   "km": "{who} បានធ្លាក់ចុះពី {first} ក្នុង {first_wave} មក {last} ក្នុង {last_wave}; "
                         "{slope}, {evidence}។{extra}"},
    "trend_flat": {"en": "{who} was {first} in {first_wave} and {last} in {last_wave}; no significant trend "
                         "({slope}, {evidence}).{extra}",
                   "km": "{who} គឺ {first} ក្នុង {first_wave} និង {last} ក្នុង {last_wave}; គ្មាននិន្នាការ"
                         "សំខាន់ទេ ({slope}, {evidence})។{extra}"},
    "trend_none": {"en": "{who}: {reason}", "km": "{who}៖ {reason}"},
    "trend_small": {"en": "{who}: a round has fewer than {min_cell} respondents, so no trend is reported.",
                    "km": "{who}៖ ជុំមួយមានអ្នកឆ្លើយតិចជាង {min_cell} នាក់ ដូច្នេះគ្មានការរាយការណ៍និន្នាការទេ។"},
    "per_year": {"en": "a year", "km": "ក្នុងមួយឆ្នាំ"},
    "per_round": {"en": "a round", "km": "ក្នុងមួយជុំ"},
    "odds_ratio_per": {"en": "logistic trend, odds ratio {value} {per}",
                       "km": "និន្នាការឡូជីស្ទិក សមាមាត្រហាងឆេង {value} {per}"},
    "linear_trend": {"en": "linear trend {value}", "km": "និន្នាការលីនេអ៊ែរ {value}"},
    "few_rounds": {"en": " Only {waves} rounds: the trend test has little power.",
                   "km": " មានតែ {waves} ជុំ៖ តេស្តនិន្នាការមានថាមពលតិច។"},
    "asked_in": {"en": " Asked in {waves} only.", "km": " បានសួរតែក្នុង {waves} ប៉ុណ្ណោះ។"},
    "trend_column": {"en": "Trend", "km": "និន្នាការ"},
    "chart_trend": {"en": "{question} (each round with its {confidence} interval; the dashed line marks the "
                          "first round, {first})",
                    "km": "{question} (ជុំនីមួយៗជាមួយចន្លោះទំនុកចិត្ត {confidence}; បន្ទាត់ដាច់ៗសម្គាល់ជុំដំបូង "
                          "{first})"},
    "first_round_line": {"en": "first round ({wave})", "km": "ជុំដំបូង ({wave})"},
    "chart_trend_groups": {"en": "By stakeholder group, {first} and {last}: {question}",
                           "km": "តាមក្រុមភាគីពាក់ព័ន្ធ {first} និង {last}៖ {question}"},
    "round": {"en": "each round", "km": "ជុំនីមួយៗ"},
    "step_marks": {"en": "▲ / ▼: a significant rise / fall from the round before ({adjust}, α = {alpha}).",
                   "km": "▲ / ▼៖ ការកើនឡើង / ធ្លាក់ចុះសំខាន់ពីជុំមុន ({adjust}, α = {alpha})។"},
    "respondents_by_round": {"en": "Respondents by stakeholder group and round",
                             "km": "អ្នកឆ្លើយតាមក្រុមភាគីពាក់ព័ន្ធ និងជុំ"},
    "trend_methods": {"en": "Each round's estimate is given with its {level} confidence interval (Wilson score "
                            "for shares, t for means). Each round is compared with the one before by the test of "
                            "the two-round report. The trend over the rounds is tested, for shares, with the "
                            "Cochran–Armitage test for trend (Cochran 1954; Armitage 1955), and for means with "
                            "the slope of a linear regression on the round; adjusted for group by a logistic or "
                            "linear model with group; weighted to the population by a survey-weighted "
                            "regression with strata round × group and the finite population correction "
                            "(Binder 1983; Lumley 2010). A round's position is its year{positions}. p-values are "
                            "adjusted within families ({adjust}).",
                      "km": "តួលេខនៃជុំនីមួយៗត្រូវបានផ្តល់ជាមួយចន្លោះទំនុកចិត្ត {level}។ និន្នាការត្រូវបានតេស្ត"
                            "ដោយតេស្ត Cochran–Armitage (ភាគរយ) ឬជម្រាលនៃតំរែតំរង់លីនេអ៊ែរ (មធ្យម)។"},
    "positions_order": {"en": " (the rounds' names are not years: their order is used)",
                        "km": " (ឈ្មោះជុំមិនមែនជាឆ្នាំ៖ លំដាប់របស់វាត្រូវបានប្រើ)"},
}
