"""E-mailed links pointing at the default address (only this computer reaches it) are warned of, as invite's are."""

from survey import DEFAULT_BASE_URL

from .conftest import contacts_file, run

WARNING = f"warning: the links point at {DEFAULT_BASE_URL}, the default, which only this computer reaches"


def test_mail_invite_and_remind_warn_when_the_links_point_at_the_default_address(mail_app, smtp_server, tmp_path):
    mail_app.config["BASE_URL"] = DEFAULT_BASE_URL
    invited = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert invited.exit_code == 0 and WARNING in invited.stderr
    assert len(smtp_server.messages) == 3  # a warning, not a refusal: trying e-mail on one computer is fine
    assert WARNING in run(mail_app, "remind", "2025", "--after", "0").stderr


def test_no_warning_with_the_respondents_address(mail_app, smtp_server, tmp_path):
    invited = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert invited.exit_code == 0 and "warning" not in invited.stderr


def test_nothing_to_send_says_the_problem_without_the_warning(mail_app, smtp_server, tmp_path):
    mail_app.config.update(BASE_URL=DEFAULT_BASE_URL, MAIL_FROM="")
    refused = run(mail_app, "invite", "2025", "--contacts", contacts_file(tmp_path), "--deadline", "2099-03-31")
    assert refused.exit_code == 1 and "no sender address" in refused.stderr and WARNING not in refused.stderr
