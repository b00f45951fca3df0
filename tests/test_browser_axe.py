"""Every console page passes axe-core's WCAG 2.1 AA rules at 360 px (a phone) and at 1280 px, the comparison
page (the report on screen) in English and Khmer and with every design. axe-core comes with the test
dependencies (axe-playwright-python ships axe.min.js); the browser is Debian's chromium."""

import re
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
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


def _violations(page) -> list[str]:
    results = axe_playwright.Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                                      "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"]]


def _login(page, base: str, password: str) -> None:
    page.goto(f"{base}/admin/login")
    assert not _violations(page), "login page"
    page.fill("#email", "admin@example.org")
    page.fill("#password", password)
    page.click("#submit")


def _failing(page, base: str, paths) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.ok, path
        problems = _violations(page)
        if problems:
            found[path] = problems
    return found


def test_every_console_page_passes_axe_wcag_21_aa(demo_server, browser):  # noqa: F811
    """One demo served for all: every page at 360 px; the comparison page also at 1280 px; and its wide
    tables scroll by keyboard (axe's scrollable-region-focusable: the box takes the focus, arrows scroll)."""
    from survey import create_app

    base, password = demo_server
    phone = browser.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True).new_page()
    _login(phone, base, password)
    pages = console_pages(create_app({"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"}).url_map, ["2018", "2017"])
    assert "/admin/waves/2018/compare" in pages and "/admin/" in pages
    assert not _failing(phone, base, [*pages, *COMPARISONS[1:]])

    phone.goto(f"{base}/admin/waves/2018/compare?by_group=1")
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

    desktop = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
    _login(desktop, base, password)
    assert not _failing(desktop, base, COMPARISONS)
