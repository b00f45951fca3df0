"""End to end in a real headless browser: Playwright drives Debian's chromium through the bundled
questionnaire, once in English and once in Khmer, and both responses are found in the export; and a
researcher runs a round in the console: a baseline wave with an imported file, this year's wave, links,
answers, monitoring, closing, and the comparison."""

import csv
import hashlib
import io
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

import questionnaires
from questionnaires.library import BUNDLED_INSTRUMENT
from survey import create_app, db
from survey.accounts.operations import create_user
from survey.invitations.operations import Contact, create_invitations
from survey.waves.operations import create_wave, store_edition

from ..conftest import CHROMIUM

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture
def live_server(tmp_path, monkeypatch, sqlite_template):
    """A database of the test's own (a copy of the session's migrated template) served on a free port: the
    bundled instrument in wave 2018, open, with two links; an admin."""
    from werkzeug.serving import make_server

    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    shutil.copyfile(sqlite_template, tmp_path / "e2e.sqlite")
    app = create_app({"SECRET_KEY": "browser-test", "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
                      "PANEL_SECRET": "panel"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    with app.app_context():
        session = db.session()
        edition = store_edition(session, questionnaires.load(BUNDLED_INSTRUMENT))
        wave = create_wave(session, "2018", edition, status="open")
        created = create_invitations(session, wave, [Contact(group="government"),
                                                                 Contact(group="workers")])
        session.commit()
        create_user(session, "admin@example.org", generate_password_hash("browser password"), "admin")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, base, [f"{base}/s/{token}" for _invitation, token in created]
    server.shutdown()
    thread.join()
    app.extensions["awareness.engine"].dispose()


def fill_questionnaire(page, link: str, language: str) -> str:
    page.goto(f"{link}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    # The consent's words wrap beside its box, not under it (on a phone they take several lines).
    box, words = page.locator("#consent").bounding_box(), page.locator("label[for=consent] span").bounding_box()
    assert words["x"] >= box["x"] + box["width"]
    page.check("#consent")
    page.click("button.primary")
    # About you
    page.check("input[name=position][value=technical]")
    page.fill("input[name=years_migration]", "3")
    page.keyboard.press("Enter")  # Enter moves forward: the first submit button is Next
    # Awareness: the follow-up questions appear only once the respondent has heard of the policy.
    familiarity = page.locator("[data-item=familiarity]")
    expect(familiarity).to_be_attached()  # the page Enter leads to (a key press does not wait for it)
    expect(familiarity).to_be_hidden()
    page.check("input[name=heard_policy][value=yes]")
    assert familiarity.is_visible()
    page.check("input[name=familiarity][value='3']")
    page.check("input[name=areas_heard][value=governance]")
    page.check("input[name=areas_heard][value=protection]")
    page.check("input[name=policy_period][value=p2]")
    page.check("input[name=lead_ministry][value=molvt]")
    page.click("button[value=next]")
    # Knowledge of the areas
    page.check("input[name=know_governance][value=laws]")
    page.check("input[name=know_protection][value=dk]")
    page.click("button[value=next]")
    # Role: Next without the required answer shows the error summary, then the answer is given.
    page.click("button[value=next]")
    expect(page.locator(".error-summary")).to_be_visible()  # waits for the page the click leads to
    page.check("input[name=org_has_role][value=yes]")
    page.check("input[name=role_activities][value=pre_departure]")
    page.check("input[name=understand_role][value='4']")
    page.click("button[value=next]")
    for _ in range(3):  # coordination, funding, training: optional
        page.click("button[value=next]")
    page.fill("textarea[name=comments]", "ការសម្របសម្រួលល្អប្រសើរ" if language == "km" else "Better coordination.")
    page.click("button[value=next]")
    assert "/review" in page.url
    page.click("button.primary")
    receipt = page.locator(".receipt")
    assert len(receipt.inner_text()) == 14
    assert receipt.evaluate("code => code.getClientRects().length") == 1  # on one line, even on a phone
    receipt = receipt.inner_text()
    return receipt


def test_bundled_questionnaire_in_english_and_khmer(live_server, browser):
    app, _base, links = live_server
    context = browser.new_context(viewport={"width": 360, "height": 740})  # a phone
    page = context.new_page()
    fill_questionnaire(page, links[0], "en")
    context.close()
    context = browser.new_context()
    page = context.new_page()
    fill_questionnaire(page, links[1], "km")
    assert "បានបញ្ជូន" in page.content()
    context.close()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "2018"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert sorted((r["group"], r["language"]) for r in rows) == [("government", "en"), ("workers", "km")]
    for row in rows:
        assert row["heard_policy"] == "yes" and row["areas_heard"] == "governance protection"
        assert row["org_has_role"] == "yes" and row["know_protection"] == "dk"
    assert {r["comments"] for r in rows} == {"Better coordination.", "ការសម្របសម្រួលល្អប្រសើរ"}


def log_in_to_the_console(page, base: str) -> None:
    page.goto(f"{base}/admin/waves/2018")
    assert "/admin/login" in page.url  # every console page needs a login
    page.fill("#email", "admin@example.org")
    page.fill("#password", "browser password")
    page.click("#submit")
    assert page.url.endswith("/admin/waves/2018")


def _navigate(page, action) -> None:
    """Do what leads to another page and wait until that page has loaded (a click alone may return as
    the new page starts to arrive, and its content would be read half written on a busy machine)."""
    with page.expect_navigation():
        action()


def test_console_runs_a_round_from_wave_creation_to_the_comparison(live_server, browser, tmp_path):
    """Baseline wave with an imported file, this year's wave, links, answers, monitoring, close, compare."""
    from analysis.synthetic import synthetic_wave

    app, base, _links = live_server
    page = browser.new_page()
    log_in_to_the_console(page, base)
    # Last year's round exists only as a file: it goes into a wave of its own.
    baseline = tmp_path / "published-2017.csv"
    synthetic_wave(questionnaires.load(BUNDLED_INSTRUMENT), 60, awareness=0.3, seed=1).to_csv(baseline, index=False)
    page.goto(f"{base}/admin/waves/new")
    page.fill("#slug", "2017")
    page.select_option("#edition", index=1)  # the bundled instrument, already stored
    _navigate(page, lambda: page.click("#submit"))
    assert page.url.endswith("/admin/waves/2017")
    page.set_input_files("#import-file", str(baseline))
    _navigate(page, lambda: page.get_by_role("button", name="Import", exact=True).click())
    content = page.content()
    assert "Imported 60 responses" in content and "published-2017.csv" in content
    assert hashlib.sha256(baseline.read_bytes()).hexdigest() in content
    assert page.get_by_role("button", name="Undo this import").is_visible()
    # This year's wave: created from the questionnaire file, compared with 2017.
    page.goto(f"{base}/admin/waves/new")
    page.fill("#slug", "2019")
    page.set_input_files("#questionnaire", str(BUNDLED_INSTRUMENT))
    page.select_option("#baseline", label="2017")
    _navigate(page, lambda: page.click("#submit"))
    assert page.url.endswith("/admin/waves/2019") and "Wave 2019 created" in page.content()
    page.fill("#population_employers", "12")
    _navigate(page, lambda: page.click("text=Save population sizes"))
    page.select_option("#group", "employers")
    page.fill("#count", "2")
    with page.expect_download() as download:
        page.click("text=Create links and download CSV")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(rows) == 2 and rows[0]["url"].startswith("http://127.0.0.1:5000/s/")
    _navigate(page, lambda: page.click("text=Open the wave"))
    assert "status <strong>open</strong>" in page.content()
    # Two employers answer through their links.
    for row in rows:
        respondent = browser.new_context().new_page()
        fill_questionnaire(respondent, row["url"].replace("http://127.0.0.1:5000", base), "en")
        respondent.context.close()
    page.reload()  # the wave page, as it is now
    employers = page.locator("tr", has=page.locator("th", has_text="Employers")).locator("td")
    assert [employers.nth(i).inner_text() for i in (0, 1, 4, 5)] == ["12", "2", "2", "2"]  # population, invited,
    assert employers.nth(6).inner_text() == "100.0%"  # completed, responses; RR1
    assert page.locator("svg.chart").is_visible()
    _navigate(page, lambda: page.click("text=Close the wave"))
    assert "status <strong>closed</strong>" in page.content()
    _navigate(page, lambda: page.click("text=Compare with 2017"))
    assert page.url.endswith("/admin/waves/2019/compare")
    # The comparison page is the reviewers' report: question text, not item ids.
    table = "\n".join(page.locator("table.results").all_inner_texts())
    assert "Have you heard of the national Labour Migration Policy?" in table and "heard_policy" not in table
    assert "\t60\t" in table and "n < 5" in table  # 60 imported; the 2 answered online are suppressed


PAGE_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_console_pages_fit_a_phone(demo_server, browser):
    """At 360 px no console page is wider than the screen: wide tables scroll inside their own box."""
    base, password = demo_server
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{base}/admin/login")
    page.fill("#email", "admin@example.org")
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#submit")
    paths = ("/admin/", "/admin/waves/2018", "/admin/waves/2017", "/admin/waves/2018/invitations",
             "/admin/waves/2018/mail", "/admin/waves/2018/compare", "/admin/waves/2018/trend", "/admin/waves/new")
    assert set(PAGE_CHECKS) <= set(paths)
    for path in paths:
        page.goto(base + path)
        assert page.evaluate(PAGE_OVERFLOW) == 0, path
        if path in PAGE_CHECKS:
            PAGE_CHECKS[path](page)  # what else is to be seen on that page, checked while it is open


def _monitoring_scrolls(page) -> None:
    monitoring = page.locator(".table-scroll").first
    assert monitoring.evaluate("box => box.scrollWidth > box.clientWidth")  # the table scrolls, not the page


def _check_boxes_keep_their_words(page) -> None:
    """The report's check boxes: each stays on the line of its own words."""
    labels = page.locator("fieldset.checks label")
    assert labels.count() == 5
    assert all(labels.nth(i).evaluate("label => label.getClientRects().length") == 1 for i in range(5))


def _subject_as_wide_as_body(page) -> None:
    """A message's subject is as wide as its body: it can be read whole before it is sent."""
    subject = page.locator("#subject-invitation-en").bounding_box()["width"]
    assert subject == page.locator("textarea").first.bounding_box()["width"]


PAGE_CHECKS = {"/admin/waves/2018": _monitoring_scrolls, "/admin/waves/2018/compare": _check_boxes_keep_their_words,
               "/admin/waves/2018/mail": _subject_as_wide_as_body}
