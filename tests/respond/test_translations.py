"""The Khmer interface catalogue: complete, and the compiled catalogue matches its source."""

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import survey

CATALOGUE = Path(survey.__file__).parent / "translations" / "km" / "LC_MESSAGES"


def test_every_interface_text_is_translated_into_khmer():
    with open(CATALOGUE / "messages.po", "rb") as file:
        catalog = read_po(file, locale="km")
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert all(any("\u1780" <= ch <= "\u17ff" for ch in m.string) for m in catalog if m.id)


def test_compiled_catalogue_matches_its_source():
    with open(CATALOGUE / "messages.po", "rb") as file:
        source = {m.id: m.string for m in read_po(file, locale="km") if m.id}
    with open(CATALOGUE / "messages.mo", "rb") as file:
        compiled = {m.id: m.string for m in read_mo(file) if m.id}
    assert compiled == source, "run: pybabel compile -d survey/translations"


def test_error_pages_speak_khmer(client, database_url):
    page = client.get("/s/unknown-token?lang=km").get_data(as_text=True)
    assert "រកមិនឃើញ" in page
