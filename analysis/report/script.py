"""Text of scripts written without spaces between words (Khmer; next Lao, Thai, Burmese), made ready to print.

Khmer has no space between words, so a browser, Pango (the PDF) or Word left to itself breaks a line
where it can, sometimes inside a word ("ទាំងអ|ស់"). ICU's line breaker knows where Khmer, Lao, Thai and
Burmese words end (a dictionary per script); a zero-width space (U+200B) at each of those places tells
every renderer where a line may break, and nowhere else. ICU comes through `icu4py`, whose wheels carry
ICU itself (PyICU, the older binding, has no wheels: it needs ICU's headers and a compiler), so
`pip install` brings everything. The Khmer report also writes its digits in Khmer (០–៩), as the survey
pages do.
"""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
# Thai, Lao, Myanmar, Khmer and Khmer symbols: the scripts whose words ICU finds with a dictionary.
UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff]")
# Signs that belong to the word before them (ICU's dictionary sometimes ends a word before them): the
# repetition sign ៗ, and the full stops and colon ។ ៕ ៖, Lao's ໆ and Thai's ๆ.
_NO_BREAK_BEFORE = frozenset("\u17d7\u17d4\u17d5\u17d6\u0ec6\u0e46")
# Words of the report that ICU's Khmer dictionary splits (found by breaking every Khmer text of the report and the
# bundled questionnaire, tests/analysis/test_report_khmer.py): no break is put inside them. Loan words (test,
# logistic, online), and words ICU's dictionary cuts after a syllable (សំ|ខាន់ៗ, នី|មួយៗ, ម្នា|ក់ៗ) or joins
# wrongly to the word before (ជាច|ម្លើយ, តើន|រណា: the break then falls before or after the whole word only).
KEEP_WHOLE = {"km": ("សំខាន់", "នីមួយៗ", "ម្នាក់ៗ", "តេស្ត", "ឡូជីស្ទិក", "តំរែតំរង់", "បន្ទាត់", "ចម្លើយ", "នរណា",
                     "សមាហរណកម្ម", "សមាសភាព", "អនឡាញ", "ប្រៀបធៀប", "ដោះស្រាយ", "បាទ/ចាស")}
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
# A number, but not the digits of a Latin word or name ("RR1", "H0", a file name's "report-2017.json").
_NUMBER = re.compile(r"(?<![A-Za-z_\-/.\d])(?:\d+(?:[.,]\d+)*|\.\d+)(?![A-Za-z_\d])")


def line_breaks(text: str, language: str) -> str:
    """`text` with a zero-width space at each line-break opportunity inside or beside unspaced script."""
    if not UNSPACED.search(text):
        return text
    from icu4py.breakers import LineBreaker

    pieces = list(LineBreaker(text, language))
    inside = _inside_words(text, language)
    out = [pieces[0]] if pieces else []
    at = len(pieces[0]) if pieces else 0
    for before, after in zip(pieces, pieces[1:], strict=False):
        if not before[-1].isspace() and (UNSPACED.match(before[-1]) or UNSPACED.match(after[0])) \
                and ZERO_WIDTH_SPACE not in (before[-1], after[0]) and after[0] not in _NO_BREAK_BEFORE \
                and at not in inside:
            out.append(ZERO_WIDTH_SPACE)
        out.append(after)
        at += len(after)
    return "".join(out)


def _inside_words(text: str, language: str) -> set[int]:
    """The offsets inside an occurrence of a word of KEEP_WHOLE: no line may break there."""
    inside: set[int] = set()
    for word in KEEP_WHOLE.get(language, ()):
        start = text.find(word)
        while start != -1:
            inside.update(range(start + 1, start + len(word)))
            start = text.find(word, start + 1)
    return inside


def digits(text: str, language: str) -> str:
    """Khmer digits in a Khmer text (numbers only: the digits of names and codes stay as written)."""
    if language != "km":
        return text
    return _NUMBER.sub(lambda match: match[0].translate(KHMER_DIGITS), text)


def for_word(text: str, language: str) -> str:
    """Text of the Word file: its digits in the report's script, and no zero-width space, which a reader would copy
    with the text: Word breaks Khmer, Lao, Thai and Burmese lines at words itself (a dictionary per language, run
    on the text marked with the language: docx.py marks it), and so does LibreOffice (ICU)."""
    return digits(text, language)


def for_print(text: str, language: str) -> str:
    """Text of a report as a page shows it: its digits in the report's script, its words breakable."""
    return line_breaks(digits(text, language), language)
