"""The warning about links only this computer reaches names the address as what it is: the default, or where
`awareness demo --port N` serves (the commands and the console's wave page say the same)."""

from survey import DEFAULT_BASE_URL, local_address


def test_the_default_address_is_named_the_default():
    assert local_address({"BASE_URL": DEFAULT_BASE_URL + "/", "DEMO_ADDRESS": None}) == "the default"


def test_the_demos_address_is_named_as_the_demos():
    assert local_address({"BASE_URL": "http://127.0.0.1:5123", "DEMO_ADDRESS": "http://127.0.0.1:5123"}) \
        == "where `awareness demo` serves"


def test_an_address_respondents_reach_is_not_warned_of():
    assert local_address({"BASE_URL": "https://survey.example.org", "DEMO_ADDRESS": "http://127.0.0.1:5123"}) is None
