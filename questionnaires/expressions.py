"""The small expression language of `relevant` and `constraint`: what a tree means.

The syntax (grammar, nodes, parser) is in expression_syntax and re-exported here, so that
`expressions.parse`, `expressions.Compare`... stay one import away. Evaluation walks the tree;
nothing is ever handed to Python's `eval`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .expression_syntax import (  # noqa: F401 - the public names of the language, re-exported
    COMPARISON_OPERATORS,
    CURRENT,
    FUNCTIONS,
    KEYWORDS,
    MAX_DEPTH,
    MAX_LENGTH,
    XLSFORM_SPELLING,
    BoolOp,
    Call,
    Compare,
    CurrentAnswer,
    ExpressionError,
    Literal,
    Name,
    Node,
    Not,
    Selected,
    parse,
)

MAX_MATCHED = 5_000  # characters regex() looks at: answers are at most this long


# ---------------------------------------------------------------- queries


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, BoolOp):
        return node.operands
    if isinstance(node, Compare):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.arguments
    return ()


def walk(node: Node):
    yield node
    for child in children(node):
        yield from walk(child)


def referenced_items(node: Node) -> list[str]:
    """Item ids the expression reads, in order of first appearance."""
    ids: list[str] = []
    for sub in walk(node):
        if isinstance(sub, (Name, Selected)) and sub.item_id not in ids and sub.item_id != CURRENT:
            ids.append(sub.item_id)
    return ids


def uses_current_answer(node: Node) -> bool:
    return any(isinstance(sub, CurrentAnswer) or (isinstance(sub, Selected) and sub.item_id == CURRENT)
               for sub in walk(node))


def selected_calls(node: Node) -> list[Selected]:
    return [sub for sub in walk(node) if isinstance(sub, Selected)]


# ---------------------------------------------------------------- evaluation


def evaluate(node: Node, answers: Mapping[str, Any], current: Any = None) -> bool:
    """Truth of the expression given answers (item id -> value; absent or None = blank).

    A multiple-choice answer is a collection of codes. A comparison involving a
    blank answer is false, except `!=`, which is true (as in XLSForm).
    """
    return bool(_value(node, answers, current))


def _value(node: Node, answers: Mapping[str, Any], current: Any) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return answers.get(node.item_id)
    if isinstance(node, CurrentAnswer):
        return current
    if isinstance(node, Selected):
        # On a multiple choice, one of the codes ticked; on a single choice (ODK allows it), the code chosen.
        value = current if node.item_id == CURRENT else answers.get(node.item_id)
        if isinstance(value, str):
            return value == node.code
        return isinstance(value, (set, frozenset, list, tuple)) and node.code in value
    if isinstance(node, Not):
        return not _truth(_value(node.operand, answers, current))
    if isinstance(node, BoolOp):
        results = (_truth(_value(op, answers, current)) for op in node.operands)
        return all(results) if node.operator == "and" else any(results)
    if isinstance(node, Call):
        return _call(node, [_value(argument, answers, current) for argument in node.arguments])
    return _compare(_value(node.left, answers, current), node.operator, _value(node.right, answers, current))


def _call(node: Call, values: list[Any]) -> Any:
    """A function as ODK evaluates it; a blank answer counts as the empty string."""
    first = values[0]
    match node.function:
        case "count_selected":
            if isinstance(first, (set, frozenset, list, tuple)):
                return len(first)
            return 0 if _blank(first) else 1
        case "string_length":
            return len(_text(first))
        case "regex":
            return re.search(values[1], _text(first)[:MAX_MATCHED]) is not None
        case "if":
            return values[1] if _truth(first) else values[2]
        case "coalesce":
            return values[1] if _blank(first) else first
    raise ExpressionError(f"unknown function {node.function}")


def _text(value: Any) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (set, frozenset, list, tuple)):
        return " ".join(sorted(value))
    return str(value)


def _truth(value: Any) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, (set, frozenset, list, tuple)):
        return len(value) > 0
    return bool(value)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(left: Any, operator: str, right: Any) -> bool:
    if left is None or right is None or left == "" or right == "":
        return operator == "!=" and not (_blank(left) and _blank(right))
    # Choice codes are text; compare them as numbers when the other side is a
    # number, so that `understand >= 4` works on a likert item coded "1".."5".
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        left_number, right_number = _as_number(left), _as_number(right)
        if left_number is not None and right_number is not None:
            left, right = left_number, right_number
        elif operator in ("==", "!="):
            return operator == "!="
        else:
            return False
    elif not (isinstance(left, str) and isinstance(right, str)):
        return operator == "!=" if operator in ("==", "!=") else False
    match operator:
        case "==":
            return left == right
        case "!=":
            return left != right
        case "<":
            return left < right
        case "<=":
            return left <= right
        case ">":
            return left > right
        case ">=":
            return left >= right
    raise ExpressionError(f"unknown operator {operator}")


def _blank(value: Any) -> bool:
    return value is None or value == ""


# ---------------------------------------------------------------- writing back


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "atom": 5}


def unparse(node: Node, *, dialect: str = "native") -> str:
    """Expression text for a tree, in the native or the XLSForm dialect."""
    return _unparse(node, dialect)


def _precedence(node: Node) -> int:
    if isinstance(node, BoolOp):
        return _PRECEDENCE[node.operator]
    if isinstance(node, Not):
        return _PRECEDENCE["not"]
    if isinstance(node, Compare):
        return _PRECEDENCE["compare"]
    return _PRECEDENCE["atom"]


def _wrapped(node: Node, dialect: str, minimum: int) -> str:
    text = _unparse(node, dialect)
    return f"({text})" if _precedence(node) < minimum else text


def _quoted(text: str) -> str:
    quote = "'" if "'" not in text else '"'
    return f"{quote}{text}{quote}"


def _number(value: float | int) -> str:
    """A number as the tokeniser reads it back: digits, never an exponent (1e+23, 1e-07)."""
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)), "f")
    return text if "." in text else text + ".0"


def _unparse(node: Node, dialect: str) -> str:
    xls = dialect == "xlsform"
    if isinstance(node, Literal):
        return _quoted(node.value) if isinstance(node.value, str) else _number(node.value)
    if isinstance(node, Name):
        return f"${{{node.item_id}}}" if xls else node.item_id
    if isinstance(node, CurrentAnswer):
        return "."
    if isinstance(node, Selected):
        item = f"${{{node.item_id}}}" if xls and node.item_id != CURRENT else node.item_id
        return f"selected({item}, {_quoted(node.code)})"
    if isinstance(node, Call):
        name = XLSFORM_SPELLING.get(node.function, node.function) if xls else node.function
        return f"{name}({', '.join(_unparse(argument, dialect) for argument in node.arguments)})"
    if isinstance(node, Not):
        inner = _unparse(node.operand, dialect)
        return f"not({inner})" if xls else f"not {_wrapped(node.operand, dialect, _PRECEDENCE['not'])}"
    if isinstance(node, BoolOp):
        # One above the operator's own level, so that a nested chain of the
        # same operator keeps its parentheses and parses back to the same tree.
        level = _PRECEDENCE[node.operator] + 1
        return f" {node.operator} ".join(_wrapped(op, dialect, level) for op in node.operands)
    operator = "=" if xls and node.operator == "==" else node.operator
    level = _PRECEDENCE["atom"]
    return f"{_wrapped(node.left, dialect, level)} {operator} {_wrapped(node.right, dialect, level)}"


# ---------------------------------------------------------------- for the browser


def to_json(node: Node) -> dict:
    """The tree as plain data, for the web form's script to evaluate the same rules live."""
    if isinstance(node, Literal):
        return {"t": "lit", "v": node.value}
    if isinstance(node, Name):
        return {"t": "name", "id": node.item_id}
    if isinstance(node, CurrentAnswer):
        return {"t": "dot"}
    if isinstance(node, Selected):
        return {"t": "sel", "id": node.item_id, "code": node.code}
    if isinstance(node, Not):
        return {"t": "not", "a": to_json(node.operand)}
    if isinstance(node, BoolOp):
        return {"t": node.operator, "a": [to_json(op) for op in node.operands]}
    if isinstance(node, Call):
        return {"t": "call", "f": node.function, "a": [to_json(argument) for argument in node.arguments]}
    return {"t": "cmp", "op": node.operator, "l": to_json(node.left), "r": to_json(node.right)}
