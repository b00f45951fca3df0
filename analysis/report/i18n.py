"""The report's own words in English and Khmer (the Khmer is a draft for native review)."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

LANGUAGES = ("en", "km")

# The words of the report, the tests' and effect sizes' names and the corrections' (analysis/report/words.toml,
# English and Khmer a key; the Khmer awaits a native speaker's review, as the questionnaire's Khmer does).
_TABLES = tomllib.loads((resources.files(__package__) / "words.toml").read_text(encoding="utf-8"))
WORDS: dict[str, dict[str, str]] = _TABLES["words"]
TESTS: dict[str, dict[str, str]] = _TABLES["tests"]
EFFECTS: dict[str, dict[str, str]] = _TABLES["effects"]
ADJUSTMENTS: dict[str, dict[str, str]] = _TABLES["adjustments"]
DISCLOSURE: dict[str, dict[str, str]] = _TABLES["disclosure"]  # the AAPOR disclosure's labels and texts

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
