"""Issue 21, item 4: addresses checked by email-validator, one per cell, refused by row; names that cannot add a
recipient, in Khmer as in English."""

from datetime import date

import pytest

import questionnaires
from survey import db
from survey.invitations.contacts import ContactsError, read_contacts
from survey.invitations.operations import Contact
from survey.mail import operations
from survey.waves import queries
from tests.conftest import TWO_PAGES
from tests.mail.conftest import mail_app, smtp_server  # noqa: F401, F811  (fixtures)

QUESTIONNAIRE = questionnaires.load(TWO_PAGES)


def _problems(text: str) -> list[str]:
    with pytest.raises(ContactsError) as refused:
        read_contacts(text, "contacts.csv", QUESTIONNAIRE)
    return refused.value.problems


@pytest.mark.parametrize("cell", ['"alice@example.org,eve@evil.example"', '"alice@example.org, eve@evil.example"',
                                  "alice@example.org;eve@evil.example", "alice@@example.org", "alice@example",
                                  "alice@localhost", "<alice@example.org>", "Alice <alice@example.org>"])
def test_one_address_per_cell_refused_by_row_and_column(cell):
    problems = _problems(f"name,email,group\nSokha,sokha@example.org,government\nAlice,{cell},workers\n")
    assert len(problems) == 1 and problems[0].startswith("contacts.csv: row 3, column 'email': "), problems


def test_good_addresses_pass_in_their_ascii_form():
    contacts = read_contacts("name,email,group\nសុខ ចាន់,sokha@Example.ORG,government\nA,a@münchen.de,workers\n",
                             "contacts.csv", QUESTIONNAIRE)
    assert [c.email for c in contacts] == ["sokha@example.org", "a@xn--mnchen-3ya.de"]
    assert contacts[0].name == "សុខ ចាន់"


NAMES = ["សុខ, eve@evil.example", "ចាន់ សុខា <eve@evil.example>; mallory@evil.example",
         'Alice <eve@evil.example>, Bob', "=?utf-8?q?eve=40evil=2Eexample=2C?= x", 'ជា "x" <eve@evil.example>',
         "សុខ ចាន់"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_name_never_adds_a_recipient(mail_app, smtp_server):  # noqa: F811
    """Each message reaches its contact only, by envelope and by header (Reply-All), whatever the name holds."""
    from survey.mail.send import send_queued

    with mail_app.app_context():
        session = db.session()
        wave = queries.wave_by_slug(session, "2025")
        operations.save_deadline(session, wave, date(2099, 3, 31))
        people = [(Contact(group="workers", name=name, email=f"p{n}@x.test"), "km")
                  for n, name in enumerate(NAMES)]
        operations.queue_new_contacts(session, wave, people)
        assert send_queued(session, wave, sleep=lambda _s: None).sent == len(NAMES)
    assert len(smtp_server.messages) == len(NAMES)
    for message in smtp_server.messages:
        envelope = message["X-Envelope-To"]
        assert "," not in envelope and envelope.endswith("@x.test")
        (address,) = message["To"].addresses
        assert address.addr_spec == envelope
        name = NAMES[int(envelope[1:].split("@")[0])]
        shown = " ".join(address.display_name.split())  # folding long headers may add a space
        # A name that looks like an encoded word is left out (Python would decode it into an address).
        assert shown == ("" if name.startswith("=?") else name)
