"""The small expression language of `relevant` and `constraint`.

Grammar (lowest precedence first)::

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand)?
    operand    := STRING | NUMBER | NAME | "." | "selected" "(" NAME "," STRING ")"
                | FUNCTION "(" expr ("," expr)* ")" | "(" expr ")"

FUNCTION is one of the ODK XPath functions real forms use in `relevant` and
`constraint`: count_selected, string_length, regex, if, coalesce (XLSForm spells
the first two count-selected and string-length). Any other function is refused
by name.

Source text is tokenised and parsed into a tree of frozen nodes; evaluation
walks that tree. Nothing is ever handed to Python's `eval`.

The `xlsform` dialect reads and writes the spellings of XLSForm: `${name}` for
an item, `=` for equality, and `not(...)`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .cells import control_character

COMPARISON_OPERATORS = ("==", "!=", "<=", ">=", "<", ">")
MAX_LENGTH = 2_000  # characters of one expression
MAX_DEPTH = 30  # nested parentheses and `not`: the parser and the evaluator recurse
KEYWORDS = ("and", "or", "not", "selected")
# name -> number of arguments. The same meaning as in ODK (JavaRosa and Enketo); evaluated below and in form.js.
FUNCTIONS = {"count_selected": 1, "string_length": 1, "regex": 2, "if": 3, "coalesce": 2}
XLSFORM_SPELLING = {"count_selected": "count-selected", "string_length": "string-length"}
MAX_MATCHED = 5_000  # characters regex() looks at: answers are at most this long


class ExpressionError(ValueError):
    """The expression text is not valid; the message says where."""


# ---------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Literal:
    value: str | float | int


@dataclass(frozen=True)
class Name:
    """The answer to another item, by id."""

    item_id: str


@dataclass(frozen=True)
class CurrentAnswer:
    """`.`, the answer being constrained."""


@dataclass(frozen=True)
class Selected:
    item_id: str  # CURRENT for the answer being constrained
    code: str


CURRENT = "."


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    operator: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    left: Node
    operator: str
    right: Node


@dataclass(frozen=True)
class Call:
    """One of FUNCTIONS applied to its arguments."""

    function: str
    arguments: tuple[Node, ...]


Node = Literal | Name | CurrentAnswer | Selected | Not | BoolOp | Compare | Call


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_]*\})
  | (?P<function>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+(?=\s*\())
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|=|\(|\)|,|\.)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def _tokenise(source: str, dialect: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(f"unexpected character {source[position]!r} at position {position + 1}")
        kind, text = match.lastgroup, match.group()
        if kind == "ref":
            if dialect != "xlsform":
                raise ExpressionError(f"write {text[2:-1]} instead of {text} (position {position + 1})")
            kind, text = "name", text[2:-1]
        elif kind == "function":
            # XPath's hyphenated function names (count-selected): the native spelling has an underscore.
            native = text.replace("-", "_")
            if native in XLSFORM_SPELLING:
                text = native
            kind = "name"
        elif kind == "op" and text == "=":
            if dialect != "xlsform":
                raise ExpressionError(f"use == to compare, not = (position {position + 1})")
            text = "=="
        if kind != "space":
            tokens.append(_Token(kind, text, position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, tokens: list[_Token]):
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def deeper(self) -> None:
        """One more level of nesting; refused past MAX_DEPTH (before Python's own limit is near)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"nested more than {MAX_DEPTH} levels deep (position {self.current.position})")

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> _Token | None:
        token = self.current
        if token.kind == kind and (text is None or token.text == text):
            return self.advance()
        return None

    def expect(self, kind: str, text: str | None = None, what: str = "") -> _Token:
        token = self.accept(kind, text)
        if token is None:
            raise self.error(f"expected {what or text or kind}")
        return token

    def error(self, message: str) -> ExpressionError:
        token = self.current
        found = "the end of the expression" if token.kind == "end" else repr(token.text)
        return ExpressionError(f"{message} but found {found} at position {token.position}")

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExpressionError("the expression is empty")
        node = self.parse_or()
        if self.current.kind != "end":
            raise self.error("expected an operator or the end of the expression")
        return node

    def parse_or(self) -> Node:
        return self._parse_chain("or", self.parse_and)

    def parse_and(self) -> Node:
        return self._parse_chain("and", self.parse_not)

    def _parse_chain(self, keyword: str, parse_operand) -> Node:
        operands = [parse_operand()]
        while self.accept("name", keyword):
            operands.append(parse_operand())
        return operands[0] if len(operands) == 1 else BoolOp(keyword, tuple(operands))

    def parse_not(self) -> Node:
        if self.accept("name", "not"):
            self.deeper()
            node = Not(self.parse_not())
            self.depth -= 1
            return node
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        left = self.parse_operand()
        if self.current.kind == "op" and self.current.text in COMPARISON_OPERATORS:
            operator = self.advance().text
            return Compare(left, operator, self.parse_operand())
        return left

    def parse_operand(self) -> Node:
        token = self.current
        if self.accept("string"):
            return Literal(token.text[1:-1])
        if self.accept("number"):
            value = float(token.text) if "." in token.text else int(token.text)
            if not math.isfinite(value):
                raise ExpressionError(f"the number at position {token.position} is too large")
            return Literal(value)
        if self.accept("op", "."):
            return CurrentAnswer()
        if self.accept("op", "("):
            self.deeper()
            node = self.parse_or()
            self.expect("op", ")", "')'")
            self.depth -= 1
            return node
        if token.kind == "name" and token.text == "selected":
            return self.parse_selected()
        if token.kind == "name" and self.tokens[self.index + 1].text == "(":
            return self.parse_call()
        if token.kind == "name" and token.text not in KEYWORDS:
            self.advance()
            return Name(token.text)
        raise self.error("expected an item id, a quoted text, a number or '('")

    def parse_selected(self) -> Node:
        self.advance()
        self.expect("op", "(", "'(' after selected")
        item = self.current
        if item.kind == "op" and item.text == ".":
            item = _Token("name", CURRENT, item.position)  # selected(., 'code') in a constraint
        elif item.kind != "name" or item.text in KEYWORDS:
            raise self.error("expected an item id or '.' as the first argument of selected()")
        self.advance()
        self.expect("op", ",", "',' between the arguments of selected()")
        code = self.expect("string", what="a quoted choice code as the second argument of selected()")
        self.expect("op", ")", "')' to close selected()")
        return Selected(item.text, code.text[1:-1])


    def parse_call(self) -> Node:
        name = self.advance().text
        if name not in FUNCTIONS:
            supported = ", ".join(f"{XLSFORM_SPELLING.get(f, f)}()" for f in ("selected", *FUNCTIONS))
            raise ExpressionError(f"the function {name}() is not supported (supported: {supported}, "
                                  f"not(), and, or)")
        self.advance()
        self.deeper()
        arguments = [self.parse_or()]
        while self.accept("op", ","):
            arguments.append(self.parse_or())
        self.expect("op", ")", f"')' to close {name}()")
        self.depth -= 1
        if len(arguments) != FUNCTIONS[name]:
            raise ExpressionError(f"{name}() takes {FUNCTIONS[name]} argument(s), found {len(arguments)}")
        if name == "regex":
            _check_pattern(arguments[1])
        return Call(name, tuple(arguments))


def _check_pattern(node: Node) -> None:
    if not (isinstance(node, Literal) and isinstance(node.value, str)):
        raise ExpressionError("the second argument of regex() must be a quoted pattern")
    try:
        re.compile(node.value)
    except re.error as error:
        raise ExpressionError(f"regex() pattern {node.value!r} is not valid: {error}") from None


def parse(source: str, *, dialect: str = "native") -> Node:
    """Parse expression text into a tree; raise ExpressionError when it is not valid."""
    if not isinstance(source, str):
        raise ExpressionError(f"an expression must be text, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the expression has {len(source)} characters; at most {MAX_LENGTH}")
    invisible = control_character(source)
    if invisible:
        raise ExpressionError(f"the expression holds {invisible}")
    return _Parser(_tokenise(source, dialect)).parse()


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
