"""The web form's script (survey/static/form.js) gives ODK's functions the meaning the server gives them:
each rule is evaluated by both, in Debian's chromium and in Python, on the same answers."""

import html
import json
from pathlib import Path

import pytest

from questionnaires import expressions

from ..conftest import CHROMIUM

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
FORM_JS = Path(__file__).parents[2] / "survey" / "static" / "form.js"

KNOWN = {"two": ["a", "b"], "one": ["a"], "none": None, "word": "abcd", "digits": "0123", "mixed": "01a",
         "n": 7, "small": 2, "yes": "yes", "no": "no"}
RULES = [
    "count_selected(two) >= 2", "count_selected(one) >= 2", "count_selected(none) == 0",
    "string_length(word) > 3", "string_length(none) == 0", "string_length(n) == 1",
    "regex(digits, '^[0-9]+$')", "regex(mixed, '^[0-9]+$')", "regex(word, 'bc')",
    "if(n > 5, 'big', 'small') == 'big'", "if(small > 5, 'big', 'small') == 'big'",
    "coalesce(none, 'x') == 'x'", "coalesce(word, 'x') == 'x'",
    "selected(yes, 'yes')", "selected(no, 'yes')", "selected(two, 'b') and not selected(one, 'b')",
    "not (selected(one, 'a') or count_selected(two) > 5)",
]


def test_the_script_and_the_server_agree_on_every_function(browser):
    items = "".join(f'<div class="item" data-item="r{i}" data-rule="{html.escape(json.dumps(expressions.to_json(expressions.parse(rule))))}">'
                    f"{i}</div>" for i, rule in enumerate(RULES))
    page_html = f'<form data-known="{html.escape(json.dumps(KNOWN))}">{items}</form>'
    page = browser.new_page()  # tests/conftest.py's chromium
    page.set_content(page_html)
    page.add_script_tag(content=FORM_JS.read_text(encoding="utf-8"))
    shown = page.evaluate("Array.from(document.querySelectorAll('[data-item]')).map(e => !e.hidden)")
    page.close()
    answers = {key: tuple(value) if isinstance(value, list) else value for key, value in KNOWN.items()}
    expected = [expressions.evaluate(expressions.parse(rule), answers) for rule in RULES]
    assert shown == expected
    assert expected == [True, False, True, True, True, True, True, False, True, True, False, True, False,
                        True, False, True, False]
