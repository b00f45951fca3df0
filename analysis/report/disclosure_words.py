"""The words of the AAPOR disclosure (disclosure.py) in English and Khmer: (English, Khmer) per key.

The Khmer is a draft awaiting a native speaker's review, like the rest of the report's Khmer (i18n.py).
Numbers are written with Western digits here: the report writes them in Khmer digits (script.digits)."""

LABELS = {
    "heading": ("Disclosure (AAPOR Transparency Initiative)", "ការបង្ហាញព័ត៌មាន (គំនិតផ្តួចផ្តើមតម្លាភាព AAPOR)"),
    "sponsor": ("Sponsor", "អ្នកឧបត្ថម្ភ"),
    "conductor": ("Conducted by", "អនុវត្តដោយ"),
    "instrument": ("Questionnaire", "កម្រងសំណួរ"),
    "population": ("Population", "ប្រជាជនគោលដៅ"),
    "sample": ("Sample", "គំរូ"),
    "mode": ("Mode", "វិធីប្រមូលទិន្នន័យ"),
    "dates": ("Dates", "កាលបរិច្ឆេទ"),
    "sizes": ("Sample sizes and precision", "ទំហំគំរូ និងភាពជាក់លាក់"),
    "weighting": ("Weighting", "ការថ្លឹងទម្ងន់"),
    "processing": ("Processing", "ដំណើរការទិន្នន័យ"),
    "limitations": ("Limitations", "ដែនកំណត់"),
    "not_stated": ("not stated", "មិនបានបញ្ជាក់"),
}

LANGUAGE_NAMES = {"en": ("English", "អង់គ្លេស"), "km": ("Khmer", "ខ្មែរ"), "lo": ("Lao", "ឡាវ"),
                  "th": ("Thai", "ថៃ"), "my": ("Burmese", "ភូមា"), "fr": ("French", "បារាំង")}

TEXTS = {
    "and": (" and ", " និង"),
    "separator": (": ", "៖ "),
    "instrument": ("{title} ({id}, version {version}): {count} questions in {languages}; fingerprint {fingerprint}, "
                   "in the reproducibility stamp with the full questionnaire's hash.",
                   "{title} ({id} កំណែ {version})៖ សំណួរ {count} ជាភាសា{languages}; ស្នាមសម្គាល់ {fingerprint} "
                   "នៅក្នុងផ្នែកការផ្ទៀងផ្ទាត់ឡើងវិញ ជាមួយនឹងតម្លៃហាស (hash) នៃកម្រងសំណួរទាំងមូល។"),
    "population": ("Stakeholders of the policy in {count} groups: {groups}. ",
                   "ភាគីពាក់ព័ន្ធនៃគោលនយោបាយ ក្នុង {count} ក្រុម៖ {groups}។ "),
    "sizes_known": ("Population sizes known: {sizes}.", "ទំហំប្រជាជនដែលគេដឹង៖ {sizes}។"),
    "sizes_unknown": ("Population sizes were not given.", "មិនបានផ្តល់ទំហំប្រជាជនទេ។"),
    "sample_files": ("Whom the files' respondents were drawn from, and how, is not recorded by the platform; no "
                     "response rate can be computed.",
                     "វេទិកាមិនបានកត់ត្រាថា អ្នកឆ្លើយនៃឯកសារត្រូវបានជ្រើសរើសពីណា និងដោយរបៀបណាទេ; "
                     "មិនអាចគណនាអត្រាឆ្លើយតបបានទេ។"),
    "sample_invited": ("Every stakeholder on the researchers' list was invited by a personal link (a census of the "
                       "list, not a random sample). {rates}. A case counts as complete with 80% or more of the "
                       "questions that applied to it answered, as partial with 50–80%, and as a break-off below "
                       "50% (AAPOR's rule; the thresholds are the instance's).",
                       "ភាគីពាក់ព័ន្ធគ្រប់រូបក្នុងបញ្ជីរបស់អ្នកស្រាវជ្រាវ ត្រូវបានអញ្ជើញតាមតំណផ្ទាល់ខ្លួន "
                       "(ជាជំរឿននៃបញ្ជី មិនមែនជាគំរូចៃដន្យទេ)។ {rates}។ ករណីមួយរាប់ថាពេញលេញ នៅពេលបានឆ្លើយ "
                       "80% ឬច្រើនជាងនេះនៃសំណួរដែលទាក់ទងនឹងវា រាប់ថាមិនពេញលេញ នៅពេលបានឆ្លើយ 50–80% "
                       "និងរាប់ថាបោះបង់ពាក់កណ្តាលទី នៅពេលតិចជាង 50% (ច្បាប់របស់ AAPOR; "
                       "កម្រិតទាំងនេះកំណត់ដោយការកំណត់រចនាសម្ព័ន្ធនៃវេទិកា)។"),
    "invited": ("{count} invited, ", "បានអញ្ជើញ {count} នាក់, "),
    "rates": ("{label}: {invited}AAPOR RR1 {rr1}%, RR2 {rr2}%", "{label}៖ {invited}AAPOR RR1 {rr1}%, RR2 {rr2}%"),
    "mode_web": ("Self-administered web questionnaire, from a personal or open link, on phone or computer.",
                 "កម្រងសំណួរតាមអ៊ីនធឺណិត ដែលអ្នកឆ្លើយបំពេញដោយខ្លួនឯង តាមតំណផ្ទាល់ខ្លួន ឬតំណបើកចំហ "
                 "លើទូរស័ព្ទ ឬកុំព្យូទ័រ។"),
    "mode_files": ("As collected for the files compared; not recorded by the platform.",
                   "តាមរបៀបដែលទិន្នន័យនៃឯកសារដែលបានប្រៀបធៀបត្រូវបានប្រមូល; វេទិកាមិនបានកត់ត្រាទេ។"),
    "fieldwork": ("{label} fieldwork {first} to {last}", "ការប្រមូលទិន្នន័យ {label} ពី {first} ដល់ {last}"),
    "still_open": (" (still open)", " (នៅបើកនៅឡើយ)"),
    "report_date": ("report {date}", "របាយការណ៍ {date}"),
    "sizes": ("{baseline}: {baseline_n} respondents; {current}: {current_n} respondents. Intervals are "
              "{confidence}% confidence intervals, given with every estimate.",
              "{baseline}៖ អ្នកឆ្លើយ {baseline_n} នាក់; {current}៖ អ្នកឆ្លើយ {current_n} នាក់។ "
              "ចន្លោះគឺជាចន្លោះទំនុកចិត្ត {confidence}% ដែលផ្តល់ជាមួយតួលេខប៉ាន់ស្មាននីមួយៗ។"),
    "weighted": ("Weighted to the known population size of each stakeholder group (stratified estimator).",
                 "បានថ្លឹងទម្ងន់តាមទំហំប្រជាជនដែលគេដឹងនៃក្រុមភាគីពាក់ព័ន្ធនីមួយៗ (ការប៉ាន់ស្មានតាមស្រទាប់)។"),
    "stratified": ("Not weighted; the headline findings are adjusted for the changed mix of groups by "
                   "standardisation to the current round's mix (see the methods above).",
                   "មិនបានថ្លឹងទម្ងន់ទេ; លទ្ធផលសំខាន់ៗត្រូវបានកែតម្រូវសម្រាប់សមាសភាពក្រុមដែលបានផ្លាស់ប្តូរ "
                   "ដោយការធ្វើស្តង់ដារទៅតាមសមាសភាពនៃជុំបច្ចុប្បន្ន (សូមមើលវិធីសាស្ត្រខាងលើ)។"),
    "paired": ("Not weighted; the headline findings compare the same respondents in both rounds.",
               "មិនបានថ្លឹងទម្ងន់ទេ; លទ្ធផលសំខាន់ៗប្រៀបធៀបអ្នកឆ្លើយដដែលក្នុងជុំទាំងពីរ។"),
    "unweighted": ("Not weighted: each respondent counts once.", "មិនបានថ្លឹងទម្ងន់ទេ៖ អ្នកឆ្លើយម្នាក់ៗរាប់តែម្តង។"),
    "processing": ("Answers were checked against the questionnaire when given (codes, ranges, conditions); a "
                   "knowledge score is the share of knowledge questions answered correctly; “Don't know” counts "
                   "as an answer; cells of fewer than {min_cell} respondents are suppressed.",
                   "ចម្លើយត្រូវបានពិនិត្យធៀបនឹងកម្រងសំណួរ នៅពេលផ្តល់ឱ្យ (កូដ ជួរតម្លៃ លក្ខខណ្ឌ); "
                   "ពិន្ទុចំណេះដឹងគឺជាភាគរយនៃសំណួរចំណេះដឹងដែលបានឆ្លើយត្រឹមត្រូវ; ចម្លើយ «មិនដឹង» "
                   "រាប់ជាចម្លើយមួយ; ក្រឡាដែលមានអ្នកឆ្លើយតិចជាង {min_cell} នាក់ ត្រូវបានលាក់។"),
    "limitations": ("Participation was voluntary: those who did not respond may differ from those who did (see the "
                    "response rates); answers are self-reported; a comparison of two rounds shows change, not its "
                    "cause.",
                    "ការចូលរួមគឺស្ម័គ្រចិត្ត៖ អ្នកដែលមិនបានឆ្លើយអាចខុសពីអ្នកដែលបានឆ្លើយ (សូមមើលអត្រាឆ្លើយតប); "
                    "ចម្លើយគឺជាការរាយការណ៍ដោយខ្លួនឯង; ការប្រៀបធៀបជុំពីរបង្ហាញពីការផ្លាស់ប្តូរ "
                    "មិនមែនមូលហេតុរបស់វាទេ។"),
}
