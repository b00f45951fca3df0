"""An SMTP password is never shown: a raw '#' or '?' in it gets a message that says how to write it."""

import pytest

from survey.mail.smtp import MailConfigError, parse_smtp_url


@pytest.mark.parametrize("url", ["smtp://user:pa#ss1234@mail.example.org:587",
                                 "smtps://user:pa?ss1234@mail.example.org",
                                 "smtp://user:pa/ss1234@mail.example.org"])
def test_a_raw_special_character_is_explained_without_the_secret(url):
    with pytest.raises(MailConfigError) as refused:
        parse_smtp_url(url)
    message = str(refused.value)
    assert "percent-encode" in message and "%23" in message
    assert "ss1234" not in message and "user:" not in message and "example.org" not in message


def test_a_percent_encoded_password_is_read_back():
    settings = parse_smtp_url("smtp://user:pa%23ss%3F%2F%40@mail.example.org:587")
    assert settings.password == "pa#ss?/@" and settings.host == "mail.example.org" and settings.port == 587
