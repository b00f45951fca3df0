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
