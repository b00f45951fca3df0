"""`awareness wave show` counts a wave's e-mail by group beside its responses."""

from .conftest import contacts_file, run


def test_wave_show_counts_the_mail(mail_app, smtp_server, tmp_path):
    before = mail_app.test_cli_runner().invoke(args=["wave", "show", "2025"])
    assert before.exit_code == 0 and "e-mail: none sent" in before.output
    assert run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline",
               "2027-03-31").exit_code == 0
    shown = mail_app.test_cli_runner().invoke(args=["wave", "show", "2025"]).output
    mail = shown.split("e-mail (")[1].splitlines()
    assert mail[1].split()[0::2] == ["messages", "contacts"]
    assert mail[2].split()[:4] == ["group", "queued", "invitations", "sent"]
    total = next(line for line in mail if line.strip().startswith("all "))
    assert total.split()[:3] == ["all", "0", "3"]  # none queued, three invitations sent
