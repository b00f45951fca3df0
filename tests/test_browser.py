"""End to end in a real headless browser: Playwright drives Debian's chromium through the bundled
questionnaire, once in English and once in Khmer, and both responses are found in the export; and a
researcher logs in to the console, creates a wave, downloads invitation links and opens the monitoring."""

import csv
import io
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

import questionnaires
from questionnaires.library import BUNDLED_INSTRUMENT
from survey import create_app, db, operations

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_sync = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture
def live_server(tmp_path, monkeypatch):
    from werkzeug.serving import make_server

    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SECRET_KEY": "browser-test", "DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite'}",
                      "PANEL_SECRET": "panel"})
    db.upgrade(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    with app.app_context():
        session = db.session()
        edition = operations.store_edition(session, questionnaires.load(BUNDLED_INSTRUMENT))
        wave = operations.create_wave(session, "2018", edition, status="open")
        created = operations.create_invitations(session, wave, [operations.Contact(group="government"),
                                                                 operations.Contact(group="workers")])
        session.commit()
        operations.create_user(session, "admin@example.org", generate_password_hash("browser password"), "admin")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, base, [f"{base}/s/{token}" for _invitation, token in created]
    server.shutdown()
    thread.join()
    app.extensions["awareness.engine"].dispose()


@pytest.fixture
def browser():
    with playwright_sync.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def fill_questionnaire(page, link: str, language: str, screenshot: Path) -> str:
    page.goto(f"{link}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    page.check("#consent")
    page.click("button.primary")
    # About you
    page.check("input[name=position][value=technical]")
    page.fill("input[name=years_migration]", "3")
    page.keyboard.press("Enter")  # Enter moves forward: the first submit button is Next
    # Awareness: the follow-up questions appear only once the respondent has heard of the policy.
    familiarity = page.locator("[data-item=familiarity]")
    assert familiarity.is_hidden()
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
    assert page.locator(".error-summary").is_visible()
    page.screenshot(path=str(screenshot), full_page=True)
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
    receipt = page.locator(".receipt").inner_text()
    assert len(receipt) == 14
    return receipt


def test_bundled_questionnaire_in_english_and_khmer(live_server, browser, tmp_path):
    app, _base, links = live_server
    context = browser.new_context(viewport={"width": 360, "height": 740})  # a phone
    page = context.new_page()
    fill_questionnaire(page, links[0], "en", tmp_path / "errors-en.png")
    context.close()
    context = browser.new_context()
    page = context.new_page()
    fill_questionnaire(page, links[1], "km", tmp_path / "errors-km.png")
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


def test_console_creates_a_wave_and_hands_out_links(live_server, browser, tmp_path):
    _app, base, _links = live_server
    page = browser.new_page()
    page.goto(f"{base}/admin/waves/2018")
    assert "/admin/login" in page.url  # every console page needs a login
    page.fill("#email", "admin@example.org")
    page.fill("#password", "browser password")
    page.click("#submit")
    assert page.url.endswith("/admin/waves/2018")
    page.goto(f"{base}/admin/waves/new")
    page.fill("#slug", "2019")
    page.set_input_files("#questionnaire", str(BUNDLED_INSTRUMENT.with_name("lmp-stakeholder-review.yaml")))
    page.select_option("#baseline", label="2018")
    page.click("#submit")
    assert page.url.endswith("/admin/waves/2019")
    assert "Wave 2019 created" in page.content()
    page.select_option("#group", "employers")
    page.fill("#count", "3")
    with page.expect_download() as download:
        page.click("text=Create links and download CSV")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(rows) == 3 and rows[0]["url"].startswith("http://127.0.0.1:5000/s/")
    page.click("text=Open the wave")
    page.goto(f"{base}/admin/waves/2019#monitoring")
    monitoring = page.locator("table.data").first.inner_text()
    assert "employers" in monitoring and "RR1" in monitoring
    invited = page.locator("tr", has=page.locator("th", has_text="employers")).locator("td").nth(1).inner_text()
    assert invited == "3"
    assert "status closed" not in page.content()
    page.screenshot(path=str(tmp_path / "console.png"), full_page=True)
    page.goto(rows[0]["url"].replace("http://127.0.0.1:5000", base))
    assert page.locator("#consent").is_visible()  # the downloaded link works
