"""The researchers' console: access control on every route, login limits, and the main actions."""

import csv
import io
import re

from sqlalchemy import func, select

from survey import create_app, db
from survey.models import BaselineCount, GroupPopulation, Invitation, Response, WaveImport
from survey.responses import operations

from ..conftest import PASSWORD, TWO_PAGES, csrf_token, log_in

ADMIN_ONLY = {"new_wave", "wave_settings", "wave_populations", "wave_status", "generate_links", "upload_contacts",
              "invitations", "disposition", "import_file", "undo_import_route", "upload_crosswalk", "confirm_item",
              "mail_wording", "mail_deadline", "mail_send", "mail_bounces"}
SAMPLE = {"slug": "2018", "invitation_id": 1, "import_id": 1, "item": "trainings", "output_format": "csv",
          "action": "close"}


def admin_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin.") and rule.endpoint not in ("admin.login", "admin.logout"):
            path = rule.build({k: SAMPLE[k] for k in rule.arguments}, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint.removeprefix("admin."), method, path


def test_every_admin_route_needs_a_login(console):
    client = console.test_client()
    token = csrf_token(client, "/admin/login")
    routes = list(admin_routes(console))
    assert ADMIN_ONLY <= {endpoint for endpoint, _method, _path in routes} and len(routes) >= 16
    for endpoint, method, path in routes:
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.location.startswith("/admin/login"), endpoint


def test_analyst_gets_403_on_every_admin_only_action(console):
    client = console.test_client()
    assert log_in(client, "analyst@example.org").status_code == 302
    token = csrf_token(client, "/admin/")
    for endpoint, method, path in admin_routes(console):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        if endpoint in ADMIN_ONLY:
            assert response.status_code == 403, (endpoint, method)
        else:
            assert response.status_code in (200, 302), (endpoint, method, response.status_code)
    assert "dara@example.org" not in client.get("/admin/waves/2018").get_data(as_text=True)


def test_admin_reaches_every_page(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    for path in ("/admin/", "/admin/waves/new", "/admin/waves/2018", "/admin/waves/2018/invitations",
                 "/admin/waves/2018/compare", "/admin/waves/2018/compare?by_group=1"):
        response = client.get(path)
        assert response.status_code == 200, path
    page = client.get("/admin/waves/2018").get_data(as_text=True)
    assert "RR1</strong> = I / ((I + P) + (R + NC + O) + (UH + UO))" in page
    assert re.search(r'<option selected value="1">2017</option>', page)  # the settings show the baseline
    assert "dara@example.org" in client.get("/admin/waves/2018/invitations").get_data(as_text=True)


def test_wrong_password_then_too_many_failures_across_app_servers(console, database_url):
    client = console.test_client()
    for _ in range(5):
        token = csrf_token(client, "/admin/login")
        response = client.post("/admin/login", data={"email": "admin@example.org", "password": "wrong",
                                                      "csrf_token": token})
        assert response.status_code == 401 and "Wrong e-mail or password" in response.get_data(as_text=True)
    # A second app server on the same database sees the same count: even the right password is refused.
    other = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url}).test_client()
    response = log_in(other, "admin@example.org")
    assert response.status_code == 429
    other.application.extensions["awareness.engine"].dispose()


def test_failures_from_one_address_across_accounts(console):
    client = console.test_client()
    for number in range(5):
        token = csrf_token(client, "/admin/login")
        client.post("/admin/login", data={"email": f"nobody{number}@example.org", "password": "x",
                                          "csrf_token": token})
    assert log_in(client, "analyst@example.org").status_code == 429


def test_the_login_form_suits_phones_and_password_managers(console):
    page = console.test_client().get("/admin/login").get_data(as_text=True)
    email = re.search(r"<input[^>]*id=\"email\"[^>]*>", page).group(0)
    password = re.search(r"<input[^>]*id=\"password\"[^>]*>", page).group(0)
    assert 'type="email"' in email and 'autocomplete="username"' in email and 'autocapitalize="none"' in email
    assert 'autocomplete="current-password"' in password


def test_login_redirects_back_but_only_within_the_console(console):
    client = console.test_client()
    assert client.get("/admin/waves/2018").location == "/admin/login?next=/admin/waves/2018?"
    token = csrf_token(client, "/admin/login")
    response = client.post("/admin/login?next=//evil.example/x", data={
        "email": "admin@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.location == "/admin/"


def test_create_wave_from_upload_shows_every_error(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    bad = TWO_PAGES.read_text(encoding="utf-8").replace("correct: p2", "correct: p9").replace(
        "type: number", "type: slider")
    token = csrf_token(client, "/admin/waves/new")
    response = client.post("/admin/waves/new", data={
        "csrf_token": token, "slug": "2019", "mode": "anonymous", "baseline": "0", "edition": "0",
        "questionnaire": (io.BytesIO(bad.encode()), "survey.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "survey.yaml: item &#39;period&#39;: correct code &#39;p9&#39;" in page and "slider" in page
    changed = TWO_PAGES.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
    response = client.post("/admin/waves/new", data={
        "csrf_token": token, "slug": "2019", "mode": "panel", "baseline": "0", "edition": "0",
        "questionnaire": (io.BytesIO(changed.encode()), "survey.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.location == "/admin/waves/2019"
    assert "panel" in client.get("/admin/waves/2019").get_data(as_text=True)


def test_generate_links_downloads_csv(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    response = client.post("/admin/waves/2018/links", data={"csrf_token": token, "group": "government",
                                                             "count": "4"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 4 and all(r["group"] == "government" for r in rows)
    respondent = console.test_client()
    assert respondent.get(rows[0]["url"].removeprefix("http://survey.test")).status_code == 200


def test_contacts_with_errors_import_nothing(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    content = b"name,email,group\nA,a@example.org,workers\nB,not-an-email,ministry\n"
    response = client.post("/admin/waves/2018/contacts", data={"csrf_token": token, "file": (
        io.BytesIO(content), "contacts.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "contacts.csv: row 3, column &#39;group&#39;: &#39;ministry&#39; is not one of" in page
    assert "row 3, column &#39;email&#39;" in page
    with console.app_context():
        assert db.session().scalar(select(func.count()).select_from(Invitation)) == 1


def test_dispositions_and_response_rates(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    client.post("/admin/waves/2018/links", data={"csrf_token": token, "group": "workers", "count": "3"})
    with console.app_context():
        ids = db.session().scalars(select(Invitation.id).order_by(Invitation.id)).all()
    client.post(f"/admin/waves/2018/invitations/{ids[1]}", data={"csrf_token": token, "disposition": "refused"})
    client.post(f"/admin/waves/2018/invitations/{ids[2]}", data={"csrf_token": token, "disposition": "ineligible"})
    client.post("/admin/waves/2018/populations", data={"csrf_token": token, "population_workers": "25"})
    page = client.get("/admin/waves/2018").get_data(as_text=True)
    # workers: 4 invited (1 ineligible), 1 refused, 2 never answered, 0 complete: RR1 = 0 / 3
    row = re.search(r"<th scope=\"row\">Workers</th>(.*?)</tr>", page, re.S).group(1)  # the label, not the code
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[:2] == ["25", "4"] and cells[6:9] == ["0.0%", "0.0%", "0.0%"]
    with console.app_context():
        assert db.session().get(GroupPopulation, (2, "workers")).size == 25


def test_a_started_invitation_stays_started_when_a_disposition_is_recorded(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    with console.app_context():
        session = db.session()
        invitation = session.scalars(select(Invitation)).first()
        operations.record_consent(session, invitation, "en")
        identifier = invitation.id
    page = client.get("/admin/waves/2018/invitations").get_data(as_text=True)
    select_box = re.search(rf'<select name="disposition" id="d{identifier}">(.*?)</select>', page, re.S).group(1)
    # The form shows what the invitation is (started), not "invited", which Record would have written.
    assert re.findall(r'<option value="(\w+)"( selected)?>', select_box) == [
        ("started", " selected"), ("refused", ""), ("ineligible", ""), ("undeliverable", "")]
    token = csrf_token(client, "/admin/waves/2018/invitations")
    url = f"/admin/waves/2018/invitations/{identifier}"
    refused = client.post(url, data={"csrf_token": token, "disposition": "invited"}, follow_redirects=True)
    assert "That disposition cannot be recorded" in refused.get_data(as_text=True)
    client.post(url, data={"csrf_token": token, "disposition": "refused"})
    client.post(url, data={"csrf_token": token, "disposition": "started"})  # the refusal withdrawn
    with console.app_context():
        assert db.session().get(Invitation, identifier).disposition == "started"


def test_open_and_close(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    assert "Create links and download CSV" in client.get("/admin/waves/2018").get_data(as_text=True)
    client.post("/admin/waves/2018/close", data={"csrf_token": token})
    page = client.get("/admin/waves/2018").get_data(as_text=True)
    assert "status <strong>closed</strong>" in page
    # A closed wave makes no links: its page offers no form that would only be refused.
    assert "Create links and download CSV" not in page and "Import contacts and download links" not in page
    assert "The wave is closed: it makes no new links" in page


def test_exports_from_the_console(console):
    client = console.test_client()
    log_in(client, "analyst@example.org")
    response = client.get("/admin/waves/2018/export/xlsx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert 'filename="two-pages-2018.xlsx"' in response.headers["Content-Disposition"]
    assert client.get("/admin/waves/2018/export/pdf").status_code == 404


def test_import_from_the_console(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/new")
    client.post("/admin/waves/new", data={"csrf_token": token, "slug": "2016", "edition": "1", "mode": "anonymous",
                                          "baseline": "0"})
    bad = client.post("/admin/waves/2016/import", data={"csrf_token": token, "file": (
        io.BytesIO(b"group,heard\nworkers,maybe\n"), "old.csv")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "old.csv: row 2, column &#39;heard&#39;" in bad.get_data(as_text=True)
    good = client.post("/admin/waves/2016/import", data={"csrf_token": token, "file": (
        io.BytesIO(b"item,code,count\nheard,yes,30\nheard,no,10\n"), "published.csv")},
        content_type="multipart/form-data")
    assert good.status_code == 302
    page = client.get("/admin/waves/2016").get_data(as_text=True)
    assert "Imported 2 rows of counts" in page
    # The import is recorded on the wave page (file, rows, who, SHA-256) and can be undone there.
    assert "published.csv" in page and "admin@example.org" in page and "Undo this import" in page
    with console.app_context():
        record_id = db.session().scalar(select(WaveImport.id))
    client.post(f"/admin/waves/2016/import/{record_id}/undo", data={"csrf_token": token})
    page = client.get("/admin/waves/2016").get_data(as_text=True)
    assert "Import of published.csv undone" in page and "Undo this import" not in page
    with console.app_context():
        assert db.session().scalar(select(func.count()).select_from(BaselineCount)) == 0


def test_an_open_wave_takes_no_import(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    response = client.post("/admin/waves/2018/import", data={"csrf_token": token, "file": (
        io.BytesIO(b"group,heard\nworkers,yes\n"), "old.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "wave 2018 is open" in response.get_data(as_text=True)


def test_links_need_at_least_one_and_an_open_or_draft_wave(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/2018")
    client.post("/admin/waves/2018/links", data={"csrf_token": token, "group": "workers", "count": "0"})
    page = client.get("/admin/waves/2018").get_data(as_text=True)
    assert "How many links: at least 1" in page and "This field is required" not in page
    client.post("/admin/waves/2018/close", data={"csrf_token": token})
    response = client.post("/admin/waves/2018/links", data={"csrf_token": token, "group": "workers", "count": "2"})
    assert response.status_code == 302
    assert "wave 2018 is closed" in client.get("/admin/waves/2018").get_data(as_text=True)


def test_the_console_has_no_language_switch_that_changes_nothing(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    page = client.get("/admin/waves/2018?lang=km").get_data(as_text=True)
    assert '<html lang="en">' in page and "ខ្មែរ" not in page
    # A respondent page chose Khmer in this browser: the console's error pages stay in English.
    client.get("/w/2018?lang=km")
    for missing in ("/admin/waves/nowhere", "/admin/nothing-here"):
        page = client.get(missing)
        assert page.status_code == 404 and "Not found" in page.get_data(as_text=True)
    assert "lang=\"km\"" in client.get("/nothing-here").get_data(as_text=True)  # a respondent's 404 keeps Khmer


def test_compare_page(console):
    client = console.test_client()
    log_in(client, "analyst@example.org")
    page = client.get("/admin/waves/2018/compare").get_data(as_text=True)
    # The page is the report: question text instead of item ids, readable test names, n < 5 hidden.
    assert "Stakeholder awareness: 2018 compared with 2017" in page and "<td>heard</td>" not in page
    assert "n &lt; 5" in page and "fisher" not in page
    with console.app_context():
        assert db.session().scalar(select(func.count()).select_from(Response)) == 3


def test_new_wave_from_an_xlsform_with_another_group_question(console, tmp_path):
    from openpyxl import load_workbook

    from ..conftest import rename_group_question

    form = rename_group_question(tmp_path / "kobo.xlsx", "org_type")
    # Read with its group question, the same form is another questionnaire: it needs a version of its own.
    workbook = load_workbook(form)
    workbook["settings"].cell(2, 2).value = "2018.1-groups"
    workbook.save(tmp_path / "kobo-groups.xlsx")
    client = console.test_client()
    log_in(client, "admin@example.org")
    token = csrf_token(client, "/admin/waves/new")
    for slug, group_question, name in (("2020", "", "kobo.xlsx"), ("2021", "org_type", "kobo-groups.xlsx")):
        response = client.post("/admin/waves/new", data={
            "csrf_token": token, "slug": slug, "questionnaire": (io.BytesIO((tmp_path / name).read_bytes()), name),
            "group_question": group_question, "edition": "0", "mode": "anonymous", "baseline": "0"},
            content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/admin/waves/2020").get_data(as_text=True)
    assert "single stakeholder group &#39;all&#39;" in page and "All respondents" in page
    page = client.get("/admin/waves/2021").get_data(as_text=True)
    assert "Employers&#39; organisation" in page and "All respondents" not in page


def test_wave_page_warns_when_links_point_at_the_default_address(console):
    client = console.test_client()
    log_in(client, "admin@example.org")
    assert "AWARENESS_BASE_URL" not in client.get("/admin/waves/2018").get_data(as_text=True)
    console.config["BASE_URL"] = "http://127.0.0.1:5000"
    assert "AWARENESS_BASE_URL" in client.get("/admin/waves/2018").get_data(as_text=True)


def test_console_before_db_upgrade_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite'}"})
    client = app.test_client()
    token = csrf_token(client, "/admin/login")
    response = client.post("/admin/login", data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 503 and "awareness db upgrade" in response.get_data(as_text=True)
    app.extensions["awareness.engine"].dispose()


def test_console_with_an_unreachable_database_says_so(tmp_path, monkeypatch):
    """Not "run awareness db upgrade" (the schema may well be there), and not a 500: a 503 that says what is wrong."""
    monkeypatch.setenv("AWARENESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test",
                      "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere"})  # nothing listens on port 1
    client = app.test_client()
    token = csrf_token(client, "/admin/login")
    response = client.post("/admin/login", data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 503 and "The database is not available" in text
    assert "awareness db upgrade" not in text
    app.extensions["awareness.engine"].dispose()


def test_the_wave_page_reads_the_tallies_once(console):
    """Status, chart and e-mail counts come from one read of the wave's tallies."""
    from sqlalchemy import event

    client = console.test_client()
    log_in(client, "admin@example.org")
    reads = []
    with console.app_context():
        engine = db.engine()

        def count(_conn, _cursor, statement, *_args):
            reads.extend([statement] if "FROM wave_tallies" in statement else [])

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get("/admin/waves/2018").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(reads) == 1
