import pytest

from questionnaires import expressions as ex


@pytest.mark.parametrize("source, answers, expected", [
    ("heard == 'yes'", {"heard": "yes"}, True),
    ("heard == 'yes'", {"heard": "no"}, False),
    ("heard == 'yes'", {}, False),
    ("heard != 'yes'", {}, True),  # as XLSForm: blank differs from 'yes'
    ("score >= 4", {"score": "5"}, True),  # likert codes compare as numbers against a number
    ("score >= 4", {"score": "3"}, False),
    ("score >= 4", {}, False),
    ("n > 2 and n < 10", {"n": 5}, True),
    ("n > 2 and n < 10", {"n": 10}, False),
    ("a == 'x' or b == 'y'", {"b": "y"}, True),
    ("not (a == 'x')", {"a": "y"}, True),
    ("not a == 'x' and b == 'y'", {"a": "y", "b": "y"}, True),
    ("selected(areas, 'gov')", {"areas": ("gov", "dev")}, True),
    ("selected(areas, 'gov')", {"areas": ("dev",)}, False),
    ("selected(areas, 'gov')", {}, False),
    (". >= -5", {}, False),
])
def test_evaluate(source, answers, expected):
    assert ex.evaluate(ex.parse(source), answers, answers.get("n")) is expected


def test_current_answer_in_constraint():
    node = ex.parse(". >= 0 and . <= 100")
    assert ex.evaluate(node, {}, 50)
    assert not ex.evaluate(node, {}, 101)


@pytest.mark.parametrize("source, message", [
    ("__import__('os').system('x')", "the function __import__() is not supported"),
    ("heard = 'yes'", "use == to compare, not ="),
    ("heard == ", "but found the end of the expression"),
    ("(a == 'x'", "expected ')'"),
    ("a == 'x' ;", "unexpected character ';'"),
    ("", "the expression is empty"),
    ("${a} == 'x'", "write a instead of ${a}"),
    ("selected('x', 'y')", "expected an item id or '.' as the first argument of selected()"),
    ("a == 'x' and", "but found the end of the expression"),
])
def test_syntax_errors(source, message):
    with pytest.raises(ex.ExpressionError, match=None) as info:
        ex.parse(source)
    assert message in str(info.value)


def test_never_evaluates_python():
    # The attribute access and the call are refused by the parser, so nothing runs.
    with pytest.raises(ex.ExpressionError):
        ex.parse("__import__('os').system('touch /tmp/pwned')")


def test_references():
    node = ex.parse("a == 'x' or (selected(b, 'c') and not d > 2)")
    assert ex.referenced_items(node) == ["a", "b", "d"]


@pytest.mark.parametrize("source", [
    "a == 'x'",
    "a == 'x' and b != 'y' or c >= 2",
    "(a == 'x' or b == 'y') and c == 'z'",
    "not (a == 'x' or b == 'y')",
    "selected(a, 'x') and . <= 10.5",
    "a == \"it's\"",
])
@pytest.mark.parametrize("dialect", ["native", "xlsform"])
def test_unparse_round_trip(source, dialect):
    node = ex.parse(source)
    assert ex.parse(ex.unparse(node, dialect=dialect), dialect=dialect) == node


def test_xlsform_dialect():
    node = ex.parse("${heard} = 'yes' and not(selected(${areas}, 'gov'))", dialect="xlsform")
    assert ex.unparse(node) == "heard == 'yes' and not selected(areas, 'gov')"
    assert ex.unparse(node, dialect="xlsform") == "${heard} = 'yes' and not(selected(${areas}, 'gov'))"
