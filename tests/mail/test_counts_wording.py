"""The e-mail counts say what each number is: `mail status` explains them, the console names groups by label."""

import re

from .conftest import contacts_file, log_in_admin, run


def test_mail_status_says_what_each_count_is(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    lines = run(mail_app, "status", "2025").output.splitlines()
    assert lines[0] == "E-mail of wave 2025 by stakeholder group."
    legend = "\n".join(lines[:lines.index("")])
    for count in ("queued", "invitations sent, reminders sent", "failed", "unconfirmed", "bounced", "opted out"):
        assert f"  {count}: " in legend, count  # each column is explained on a line of its own
    spans, header = lines[lines.index("") + 1:lines.index("") + 3]
    assert re.split(r"\s{2,}", header) == ["group", "queued", "invitations sent", "reminders sent", "failed",
                                           "unconfirmed", "bounced", "opted out"]
    # A line over the header spans the columns that count messages, and those that count contacts.
    assert spans.index("messages -") == header.index("queued") and spans.index("contacts -") == header.index("bounced")
    assert len(spans) == len(header) and spans.endswith("-")
    assert lines[-1].split() == ["all", "0", "3", "0", "0", "0", "0", "0"]
    assert max(map(len, lines)) <= 100


def test_the_console_mail_counts_name_the_groups_by_label(mail_app, smtp_server, tmp_path):
    run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    client = log_in_admin(mail_app)
    for url in ("/admin/waves/2025/mail", "/admin/waves/2025"):
        page = client.get(url).get_data(as_text=True)
        counts = page[page.index('id="mail-counts"'):]
        counts = counts[:counts.index("</table>")]
        rows = re.findall(r'<th scope="row">([^<]*)</th>', counts)
        assert rows == ["Government", "Workers", "All groups"], (url, rows)  # labels, not codes
        assert ">Contacts</th>" in counts and ">Messages</th>" in counts


def test_the_counts_follow_the_questionnaires_order_of_groups(mail_app, smtp_server, tmp_path):
    from importlib import resources

    import questionnaires
    from survey import db
    from survey.waves.operations import create_wave, store_edition

    with mail_app.app_context():
        session = db.session()
        lmp = questionnaires.load(resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml")
        create_wave(session, "lmp", store_edition(session, lmp), status="open")
        session.commit()
    contacts = ("name,email,organisation,group\nDara,dara@ngo.test,NGO,civil_society\n"
                "Sokha,sokha@ministry.test,Ministry,government\n")
    assert run(mail_app, "invite", "lmp", "--contacts", contacts_file(tmp_path, contacts),
               "--deadline", "2099-03-31").exit_code == 0
    lines = run(mail_app, "status", "lmp").output.splitlines()
    assert [line.split()[0] for line in lines[-3:]] == ["government", "civil_society", "all"]  # not by code
    page = log_in_admin(mail_app).get("/admin/waves/lmp/mail").get_data(as_text=True)
    assert re.findall(r'<th scope="row">([^<]*)</th>', page[page.index('id="mail-counts"'):]) == [
        "Government ministry or agency", "Civil society organisation", "All groups"]
