"""Every console page passes axe-core's WCAG 2.1 AA rules at 360 px (a phone) and at 1280 px, the comparison
page (the report on screen) in English and Khmer and with every design. axe-core comes with the test
dependencies (axe-playwright-python ships axe.min.js); the browser is Debian's chromium.

One test per page (pytest-xdist spreads them over its workers); the demo is served, and the admin logged in,
once per module (per worker), each test opening its page in a context of its own. A comparison page is loaded
once and checked at 360 px, then at 1280 px (see its test for why that is the same as loading it at each)."""

import os
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest

from tests.conftest import CHROMIUM, serving_demo

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, DESKTOP = {"width": 360, "height": 800}, {"width": 1280, "height": 800}
# The comparison page with each of its choices: the report on screen.
COMPARISONS = ("/admin/waves/2018/compare", "/admin/waves/2018/compare?by_group=1",
               "/admin/waves/2018/compare?by_group=1&lang=km",
               "/admin/waves/2018/compare?stratify=1&weighted=1&paired=1&base=all")


def console_pages(app_url_map, slugs: list[str]) -> list[str]:
    """Every GET page of the console (admin blueprint), each wave's pages for every wave: none forgotten."""
    pages = set()
    for rule in app_url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or "GET" not in rule.methods or "output_format" in rule.arguments \
                or rule.endpoint.endswith(("logout", "static")):
            continue
        arguments = set(rule.arguments)
        if arguments - {"slug"}:
            continue  # a page of one import or invitation: reached from the pages above, not listed here
        for slug in (slugs if "slug" in arguments else [None]):
            pages.add(re.sub(r"<(?:\w+:)?slug>", slug or "", rule.rule))
    return sorted(pages)


def _the_console_pages() -> list[str]:
    """The pages of today's application (collected when the tests are, so that each page is a test of its own)."""
    from survey import create_app

    with tempfile.TemporaryDirectory() as instance, mock.patch.dict(os.environ, {"AWARENESS_INSTANCE_PATH": instance}):
        app = create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
        app.extensions["awareness.engine"].dispose()
    return console_pages(app.url_map, ["2018", "2017"])


CONSOLE_PAGES = _the_console_pages()


# axe-core 4.12's color-contrast rule parses the background colour of every ancestor of every text element
# (td, tr, tbody, table, the table's box, section, article, main, body, html: ten a cell) through color.js, again
# each time: most of its time on the report's pages, which are some 2,400 text elements that name a handful of
# colours. axe-core caches those parses itself from its PR #5323 (merged 2026-08-21, after the 4.12.1 that
# axe-playwright-python 0.1.8 ships); until then this does the same: a colour string parsed once per page
# gives the same red, green, blue and alpha every time (a pure function of the string), and a string that
# fails is not remembered, so that it still fails (and is noted) as before. The rules, their options and
# their results are unchanged (axe's whole result, passes and incompletes too, compared on every comparison
# page at both widths with and without this).
REMEMBER_PARSED_COLOURS = """() => {
    const Color = axe.commons && axe.commons.color && axe.commons.color.Color;
    if (!Color || typeof Color.prototype.parseString !== 'function') return;
    const parse = Color.prototype.parseString, parsed = new Map();
    Color.prototype.parseString = function (text) {
        const known = parsed.get(text);
        if (known) {
            [this.r, this.g, this.b, this.alpha] = known;
            return this;
        }
        parse.call(this, text);
        parsed.set(text, [this.r, this.g, this.b, this.alpha]);
        return this;
    };
}"""


def _violations(page) -> list[str]:
    """axe-core's WCAG 2.1 AA rules run on the page as it is now: each violation in a line."""
    page.evaluate(axe_playwright.Axe().axe_script)  # as Axe().run does
    page.evaluate(REMEMBER_PARSED_COLOURS)
    results = page.evaluate("options => axe.run(options)", {"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                                            "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results["violations"]]


def _log_in(page, password: str) -> None:
    page.fill("#email", "admin@example.org")
    page.fill("#password", password)
    page.click("#submit")


@pytest.fixture(scope="module")
def served_demo(sqlite_demo, tmp_path_factory):
    """The demo's data served on a free port once for the module (the tests only read it); its admin password.
    As conftest's `demo_server`, whose scope is one test."""
    with serving_demo(tmp_path_factory.mktemp("axe"), sqlite_demo) as served:
        yield served


@pytest.fixture(scope="module")
def signed_in(served_demo, browser):
    """The admin's session (cookies), logged in once through the login form: each test's context starts with it."""
    base, password = served_demo
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/admin/login")
    with page.expect_navigation():
        _log_in(page, password)
    assert "/admin/login" not in page.url
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def open_page(served_demo, browser, signed_in):
    """Open a console path, logged in, at a viewport; the page, once its response was ok."""
    base, _password = served_demo
    contexts = []

    def open_at(path: str, viewport: dict):
        context = browser.new_context(viewport=viewport, bypass_csp=True, storage_state=signed_in)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(base + path)
        assert response.ok, path
        return page

    yield open_at
    for context in contexts:
        context.close()


def test_the_page_list_has_the_console_and_the_comparison():
    assert "/admin/waves/2018/compare" in CONSOLE_PAGES and "/admin/" in CONSOLE_PAGES


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_login_page_passes_axe(served_demo, browser, viewport):
    base, password = served_demo
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/admin/login")
    assert not _violations(page), "login page"
    with page.expect_navigation():
        _log_in(page, password)
    assert "/admin/login" not in page.url  # the page's form works
    context.close()


@pytest.mark.parametrize("path", [path for path in CONSOLE_PAGES if path not in COMPARISONS])
def test_every_console_page_passes_axe_on_a_phone(open_page, path):
    """Every page at 360 px; the comparison page's choices are the test below's."""
    assert not _violations(open_page(path, PHONE)), path


# Nothing in the page scrolled: the window, and no box of it (the report's tables scroll sideways at 360 px).
NOTHING_SCROLLED = """() => !window.scrollX && !window.scrollY
    && Array.from(document.querySelectorAll('*')).every(box => !box.scrollLeft && !box.scrollTop)"""


@pytest.mark.parametrize("path", COMPARISONS)
def test_the_comparison_page_passes_axe_on_a_phone_and_a_desktop(open_page, path):
    """The comparison page with each of its choices, at 360 px, then at 1280 px: loaded once (it is the heavy
    page, and axe checks it twice). The same as loading it again at 1280 px: the layout at a width is the
    stylesheet's at that width (the media queries are evaluated again on the resize), and axe leaves the page
    as it found it (the same document, nothing scrolled: asserted between the runs), so that its result at
    1280 px cannot depend on the run at 360 px. (Checked once on every comparison page: axe's whole result,
    every rule's passes, incompletes and violations with their elements, was the same at 1280 px after the
    360 px run as on a page loaded at 1280 px.)"""
    page = open_page(path, PHONE)
    loaded = page.content()
    assert not _violations(page), f"{path} at 360 px"
    assert page.content() == loaded and page.evaluate(NOTHING_SCROLLED), "axe changed the page"
    page.set_viewport_size(DESKTOP)
    assert page.evaluate("window.innerWidth") == DESKTOP["width"]
    assert not _violations(page), f"{path} at 1280 px"


def test_the_reports_wide_tables_scroll_by_keyboard(open_page):
    """axe's scrollable-region-focusable: the box takes the focus, arrows scroll."""
    phone = open_page("/admin/waves/2018/compare?by_group=1", PHONE)
    box = phone.locator(".awareness-report .table-wrap").first
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
    box.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: wait up to 2 s for the box to move.
    box.evaluate("box => new Promise(done => { let tries = 40; const check = () => "
                 "box.scrollLeft > 0 || !tries-- ? done() : setTimeout(check, 50); check(); })")
    assert box.evaluate("box => box.scrollLeft") > 0
