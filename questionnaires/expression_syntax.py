"""The small expression language of `relevant` and `constraint`: its syntax (nodes, tokens, parser).

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
from dataclasses import dataclass

from .cells import control_character

COMPARISON_OPERATORS = ("==", "!=", "<=", ">=", "<", ">")
MAX_LENGTH = 2_000  # characters of one expression
MAX_DEPTH = 30  # nested parentheses and `not`: the parser and the evaluator recurse
KEYWORDS = ("and", "or", "not", "selected")
# name -> number of arguments. The same meaning as in ODK (JavaRosa and Enketo); evaluated below and in form.js.
FUNCTIONS = {"count_selected": 1, "string_length": 1, "regex": 2, "if": 3, "coalesce": 2}
XLSFORM_SPELLING = {"count_selected": "count-selected", "string_length": "string-length"}


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


# XPath the language does not have, named when met.
_UNSUPPORTED = {"+": "arithmetic (+)", "-": "arithmetic (-)", "*": "arithmetic (*)", "/": "an XPath path (/)",
                "|": "a node-set union (|)", "[": "an XPath predicate ([...])", "@": "an XPath attribute (@)",
                "$": "a reference other than ${name}"}
_ARITHMETIC_WORDS = ("div", "mod")


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
            character = source[position]
            if character in _UNSUPPORTED:
                raise ExpressionError(f"{_UNSUPPORTED[character]} is not supported (position {position + 1})")
            raise ExpressionError(f"unexpected character {character!r} at position {position + 1}")
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
        if token.kind == "name" and token.text in _ARITHMETIC_WORDS:
            return ExpressionError(f"arithmetic ({token.text}) is not supported (position {token.position})")
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
