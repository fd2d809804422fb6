"""What ``msgfmt -c`` checks in a catalog header's ``Plural-Forms``: ``nplurals=`` and
``plural=``, a C expression of ``n``, read and evaluated as gettext does (unsigned 64-bit
arithmetic, for every n from 0 to 1000).

Pure: extract asks it about a header before merging the catalog (see ``extract``).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

__all__ = ["plural_forms_problem"]

_ULONG = (1 << 64) - 1
_TOKEN = re.compile(r"[ \t]*(?:(\d+)|(==|!=|&&|\|\||<=|>=|[-+*/%<>!?:()n])|([;\n]|$))")
_BINARY = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))

Expression = Callable[[int], int]
_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt,
    "<=": operator.le, ">=": operator.ge,
}  # fmt: skip
_ARITHMETIC: dict[str, Callable[[int, int], int]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul,
}  # fmt: skip


class _InvalidError(Exception):
    """Not a plural expression gettext reads."""


class _DivisionByZeroError(Exception):
    """The expression divides by zero for some n."""


def plural_forms_problem(header: str) -> str | None:
    """What ``msgfmt -c`` refuses in the header entry's text ``header`` (its msgstr), in its
    words; ``None`` if nothing. Like gettext, it looks for ``nplurals=`` and ``plural=``
    anywhere in the header, and checks them only when both are there."""
    at_count, at_rule = header.find("nplurals="), header.find("plural=")
    if at_count < 0 or at_rule < 0:
        return None
    count = re.match(r"\s*(\d+)", header[at_count + 9 :])
    if count is None:
        return "invalid nplurals value"
    nplurals = min(int(count[1]), _ULONG)
    try:
        rule = _parse(header[at_rule + 7 :])
    except _InvalidError:
        return "invalid plural expression"
    for n in range(1001):
        try:
            value = rule(n)
        except _DivisionByZeroError:
            return "plural expression can produce division by zero"
        if value >= 1 << 63:
            return "plural expression can produce negative values"
        if value >= nplurals:
            return (
                f"nplurals = {nplurals} but plural expression can produce values as large "
                f"as {value}"
            )
    return None


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    at = 0
    while True:
        found = _TOKEN.match(text, at)
        if found is None:
            raise _InvalidError
        if found[3] is not None:
            return tokens
        tokens.append(found[1] or found[2])
        at = found.end()


def _parse(text: str) -> Expression:
    tokens = _tokens(text)
    rule, at = _conditional(tokens, 0)
    if at != len(tokens):
        raise _InvalidError
    return rule


def _conditional(tokens: list[str], at: int) -> tuple[Expression, int]:
    test, at = _binary(tokens, at, 0)
    if at < len(tokens) and tokens[at] == "?":
        yes, at = _conditional(tokens, at + 1)
        if at >= len(tokens) or tokens[at] != ":":
            raise _InvalidError
        no, at = _conditional(tokens, at + 1)
        return (lambda n: yes(n) if test(n) else no(n)), at
    return test, at


def _binary(tokens: list[str], at: int, level: int) -> tuple[Expression, int]:
    if level == len(_BINARY):
        return _unary(tokens, at)
    left, at = _binary(tokens, at, level + 1)
    while at < len(tokens) and tokens[at] in _BINARY[level]:
        symbol = tokens[at]
        right, at = _binary(tokens, at + 1, level + 1)
        left = _operation(symbol, left, right)
    return left, at


def _operation(symbol: str, left: Expression, right: Expression) -> Expression:
    """``left operator right`` as gettext evaluates it: ``&&`` and ``||`` evaluate their right
    side only when needed; arithmetic wraps around as C's unsigned long does."""
    if symbol == "||":
        return lambda n: int(bool(left(n)) or bool(right(n)))
    if symbol == "&&":
        return lambda n: int(bool(left(n)) and bool(right(n)))
    compare = _COMPARE.get(symbol)
    if compare is not None:
        return lambda n: int(compare(left(n), right(n)))
    if symbol in ("/", "%"):
        return lambda n: _divide(symbol, left(n), right(n))
    arithmetic = _ARITHMETIC[symbol]
    return lambda n: arithmetic(left(n), right(n)) & _ULONG


def _divide(symbol: str, left: int, right: int) -> int:
    if right == 0:
        raise _DivisionByZeroError
    return left // right if symbol == "/" else left % right


def _unary(tokens: list[str], at: int) -> tuple[Expression, int]:
    if at >= len(tokens):
        raise _InvalidError
    token = tokens[at]
    if token == "!":
        inner, at = _unary(tokens, at + 1)
        return (lambda n: int(not inner(n))), at
    if token == "n":
        return (lambda n: n), at + 1
    if token.isdigit():
        value = int(token) & _ULONG
        return (lambda n: value), at + 1
    if token == "(":
        inner, at = _conditional(tokens, at + 1)
        if at >= len(tokens) or tokens[at] != ")":
            raise _InvalidError
        return inner, at + 1
    raise _InvalidError
