"""Property-based tests (Hypothesis): the expression language, the questionnaire loader, the importers."""

import string

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import questionnaires
from analysis import InputError, read_wave
from questionnaires import QuestionnaireError, expressions, loads, to_yaml
from questionnaires.cells import control_character, csv_cell, is_number

from .conftest import TWO_PAGES

NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(lambda n: n not in expressions.KEYWORDS)
TEXTS = st.text(alphabet=string.ascii_letters + string.digits + " -_'?", max_size=10)
NUMBERS = st.integers(-10**6, 10**6) | st.floats(-1e25, 1e25, allow_nan=False, allow_infinity=False).map(abs)
LITERALS = st.builds(expressions.Literal, TEXTS.filter(lambda t: not ("'" in t and '"' in t)) | NUMBERS)
ATOMS = LITERALS | st.builds(expressions.Name, NAMES) | st.just(expressions.CurrentAnswer()) \
    | st.builds(expressions.Selected, NAMES, TEXTS.filter(lambda t: "'" not in t))
COMPARISONS = st.builds(expressions.Compare, ATOMS, st.sampled_from(expressions.COMPARISON_OPERATORS), ATOMS)
TREES = st.recursive(
    COMPARISONS | ATOMS,
    lambda inner: st.builds(expressions.Not, inner)
    | st.builds(expressions.BoolOp, st.sampled_from(["and", "or"]), st.lists(inner, min_size=2, max_size=3).map(tuple)),
    max_leaves=12)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TREES)
def test_expression_print_parse_round_trip(tree):
    text = expressions.unparse(tree)
    assert expressions.unparse(expressions.parse(text)) == text
    xls = expressions.unparse(tree, dialect="xlsform")
    assert expressions.parse(xls, dialect="xlsform") == expressions.parse(text)


@FAST
@given(st.text(max_size=80) | st.text(alphabet="()'\"=!<>.,$ {}andortselc0123456789-", max_size=80))
def test_only_expression_errors_escape_the_parser(source):
    try:
        tree = expressions.parse(source)
    except expressions.ExpressionError:
        return
    assert expressions.parse(expressions.unparse(tree)) == tree
    expressions.evaluate(tree, {"a": "1"}, current=2)


YAML_ATOMS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
YAML_VALUES = st.recursive(YAML_ATOMS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=15)


@FAST
@given(st.dictionaries(st.sampled_from(["id", "version", "title", "groups", "sections", "languages",
                                        "choice_lists", "other"]), YAML_VALUES, max_size=6))
def test_the_loader_refuses_anything_with_its_own_error(data):
    try:
        questionnaires.from_dict(data)
    except QuestionnaireError as error:
        assert error.problems


@FAST
@given(st.text(max_size=300))
def test_the_loader_reads_any_text_or_says_what_is_wrong(text):
    try:
        loads(text)
    except QuestionnaireError as error:
        assert error.problems


@FAST
@given(st.text(min_size=1, max_size=30).filter(lambda t: control_character(t) is None and t.strip() == t))
def test_any_label_survives_writing_and_reading(label):
    text = "id: t\nversion: '1'\ntitle: T\ngroups: [{code: g, label: G}]\n" \
           "sections: [{id: s, title: S, items: [{id: a, type: text, label: x}]}]\n"
    questionnaire = loads(text)
    from dataclasses import replace

    from questionnaires.model import Text

    item = replace(questionnaire.items[0], label=Text({"en": label}))
    section = replace(questionnaire.sections[0], items=(item,))
    changed = replace(questionnaire, sections=(section,), title=Text({"en": label}))
    again = loads(to_yaml(changed))
    assert again.items[0].label["en"] == label and again.text(again.title) == label
    assert again.fingerprint == changed.fingerprint


@FAST
@given(st.text(max_size=20))
def test_csv_cells_are_never_formulas(text):
    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or is_number(cell)
    assert "\r" not in cell


CELLS = st.text(max_size=12) | st.sampled_from(["workers", "government", "yes", "no", "dk", "3", "-1", "",
                                                 "gov dev", "1e400", "nan"])


@pytest.fixture(scope="module")
def two_pages():
    return questionnaires.load(TWO_PAGES)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({"group": CELLS, "heard": CELLS, "areas": CELLS, "trainings": CELLS,
                                       "comments": CELLS}), min_size=1, max_size=8))
@example(rows=[{"group": "workers", "heard": "yes", "areas": "", "trainings": "1e400", "comments": ""},
               {"group": "workers", "heard": "no", "areas": "", "trainings": "nan", "comments": "=1"}])
def test_the_importer_reads_any_table_or_lists_its_problems(two_pages, tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("import") / "wave.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    try:
        from analysis.inputs import read_table

        data = read_wave(path, two_pages, table=read_table(path))
    except InputError as error:
        assert error.problems and all(str(path) in p or repr(str(path)) in p for p in error.problems)
        return
    assert data.n == len(rows)


@FAST
@given(st.lists(st.lists(st.text(max_size=15) | st.sampled_from(["workers", "government", "a@example.org", ""]),
                         min_size=1, max_size=6), min_size=1, max_size=6),
       st.sampled_from([["name", "email", "group"], ["group"], ["group", "id", "organisation"], ["x", "group"]]))
def test_the_contacts_reader_reads_any_csv_or_lists_its_problems(two_pages, rows, header):
    import csv
    import io

    from survey.invitations.contacts import ContactsError, read_contacts

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    try:
        contacts = read_contacts(buffer.getvalue(), "contacts.csv", two_pages)
    except ContactsError as error:
        assert error.problems and all(p.startswith("contacts.csv: ") for p in error.problems)
        return
    assert all(contact.group in two_pages.group_codes for contact in contacts)
    assert not any(control_character(value or "") for contact in contacts
                   for value in (contact.name, contact.email, contact.organisation, contact.identifier))
