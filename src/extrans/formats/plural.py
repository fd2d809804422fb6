"""What ``msgfmt -c`` checks in a catalog header's ``Plural-Forms``: ``nplurals=`` and
``plural=``, a C expression of ``n``, read and evaluated as gettext does (unsigned 64-bit
arithmetic, for every n from 0 to 1000); and which ``msgstr[N]`` of a plural entry holds
each of the CLDR plural categories that Hugo's i18n tables use.

An expression nested deeper than :data:`MAX_NESTING` (parentheses, ``!`` and the arms of
``?:``) is refused before Python's stack is: no language's rule nests more than a few deep.
A run of operators of one precedence (``n+n+…+n``) nests nothing: it is read and evaluated
in a loop.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache

from .languages import cldr_plural_rule, plural_forms
from .readers import unsigned_long

__all__ = ["MAX_NESTING", "cldr_plural_indexes", "nplurals_of", "plural_forms_problem"]

MAX_NESTING = 50

_ULONG = (1 << 64) - 1
_TOKEN = re.compile(r"[ \t]*(?:(\d+)|(==|!=|&&|\|\||<=|>=|[-+*/%<>!?:()n])|([;\n]|$))")
_BINARY = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
_INVALID = "invalid plural expression"
_TOO_DEEP = f"plural expression nested more than {MAX_NESTING} deep, which extrans does not read"

Expression = Callable[[int], int]
Step = Callable[[int, Expression, int], int]


class _RefusedError(Exception):
    """What ``msgfmt -c`` says of the expression."""


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
    digits = count[1].lstrip("0")  # (read as strtoul does: a larger number is its maximum)
    nplurals = _ULONG if len(digits) > 20 else min(int(digits or "0"), _ULONG)
    try:
        rule = _parse(header[at_rule + 7 :])
        for n in range(1001):
            value = rule(n)
            if value >= 1 << 63:
                return "plural expression can produce negative values"
            if value >= nplurals:
                return (
                    f"nplurals = {nplurals} but plural expression can produce values as large "
                    f"as {value}"
                )
    except _RefusedError as refused:
        return str(refused)
    return None


def nplurals_of(plural_forms: str | None) -> int | None:
    """The ``nplurals`` of a ``Plural-Forms`` value, as gettext reads it; ``None`` without
    one (or without a ``plural=`` beside it, which gettext then ignores too)."""
    if plural_forms is None or "plural=" not in plural_forms.replace("nplurals=", ""):
        return None
    count = re.search(r"nplurals=\s*(\d+)", plural_forms)
    return None if count is None else int(count[1][-20:])


_SAMPLES = (*range(1001), *(m * 10**k for k in range(4, 10) for m in range(1, 10)))
"""The counts whose CLDR category and gettext form are compared: 0 to 1000, then round
numbers up to a billion (French and Portuguese ``many`` is a million)."""


def cldr_plural_indexes(language: str) -> dict[str, int]:
    """Each CLDR plural category of ``language`` (Hugo's code) → the index ``N`` of the
    ``msgstr[N]`` that holds it under the language's gettext ``Plural-Forms``
    (:func:`~extrans.formats.languages.plural_forms`); ``other`` is always there.

    A category's index is the form gettext's expression gives most of its counts among
    :data:`_SAMPLES` (the lower index on a tie). Where gettext and CLDR disagree:

    - gettext has fewer forms (French: CLDR ``one many other``, gettext ``n > 1``; Irish:
      five categories, three forms): several categories share an index, and one text serves
      them all.
    - a category's counts fall in several forms (Portuguese ``one`` is 0 and 1, gettext's
      first form is 1 only): it takes the form of most of them, and Hugo shows that text for
      all of them.
    - a category holds no whole number, only decimals, which gettext never sees (Russian and
      Polish ``other``: 1.5): it takes the last form, gettext's general plural.
    - a form holds no category's counts (Latvian's third form, for 0 alone, whose CLDR
      ``zero`` also covers 10 to 20): it is translated but never shown.

    A ``ValueError`` for a code Babel does not know.
    """
    return dict(_plural_indexes(language))


@cache
def _plural_indexes(language: str) -> tuple[tuple[str, int], ...]:
    """:func:`cldr_plural_indexes`, worked out once per language (Babel's rule is slow to
    evaluate on each sample)."""
    rule = cldr_plural_rule(language)
    forms = plural_forms(language)
    nplurals = nplurals_of(forms) or 1
    expression = _parse(forms[forms.find("plural=") + 7 :])
    seen: dict[str, Counter[int]] = {}
    for count in _SAMPLES:
        seen.setdefault(rule(count), Counter())[min(expression(count), nplurals - 1)] += 1
    indexes = {
        category: min(counts, key=lambda index: (-counts[index], index))
        for category, counts in seen.items()
    }
    for category in (*rule.tags, "other"):
        indexes.setdefault(category, nplurals - 1)
    order = ("zero", "one", "two", "few", "many", "other")
    return tuple((category, indexes[category]) for category in order if category in indexes)


def _parse(text: str) -> Expression:
    tokens: list[str] = []
    at = 0
    while True:
        found = _TOKEN.match(text, at)
        if found is None:
            raise _RefusedError(_INVALID)
        if found[3] is not None:
            break
        tokens.append(found[1] or found[2])
        at = found.end()
    rule, at = _conditional(tokens, 0, 0)
    if at != len(tokens):
        raise _RefusedError(_INVALID)
    return rule


def _deeper(depth: int) -> int:
    if depth >= MAX_NESTING:
        raise _RefusedError(_TOO_DEEP)
    return depth + 1


def _expect(tokens: list[str], at: int, symbol: str) -> int:
    if at >= len(tokens) or tokens[at] != symbol:
        raise _RefusedError(_INVALID)
    return at + 1


def _conditional(tokens: list[str], at: int, depth: int) -> tuple[Expression, int]:
    test, at = _binary(tokens, at, depth)
    if at < len(tokens) and tokens[at] == "?":
        yes, at = _conditional(tokens, at + 1, _deeper(depth))
        no, at = _conditional(tokens, _expect(tokens, at, ":"), depth + 1)
        return (lambda n: yes(n) if test(n) else no(n)), at
    return test, at


def _binary(tokens: list[str], at: int, depth: int, level: int = 0) -> tuple[Expression, int]:
    """Operands joined by the binary operators of ``level`` and above: a run of one level is
    one loop (left to right, as C groups them), not a nest of calls."""
    if level == len(_BINARY):
        return _unary(tokens, at, depth)
    first, at = _binary(tokens, at, depth, level + 1)
    steps: list[tuple[Step, Expression]] = []
    while at < len(tokens) and tokens[at] in _BINARY[level]:
        step = _STEPS[tokens[at]]
        right, at = _binary(tokens, at + 1, depth, level + 1)
        steps.append((step, right))
    if not steps:
        return first, at

    def run(n: int) -> int:
        value = first(n)
        for step, right in steps:
            value = step(value, right, n)
        return value

    return run, at


def _nonzero(divisor: int) -> int:
    if divisor == 0:
        raise _RefusedError("plural expression can produce division by zero")
    return divisor


# ``left operator right`` as gettext evaluates it, ``left`` evaluated already: ``&&`` and
# ``||`` evaluate their right side only when needed; arithmetic wraps around as C's unsigned
# long does.
_STEPS: dict[str, Step] = {
    "||": lambda left, right, n: int(bool(left) or bool(right(n))),
    "&&": lambda left, right, n: int(bool(left) and bool(right(n))),
    "==": lambda left, right, n: int(left == right(n)),
    "!=": lambda left, right, n: int(left != right(n)),
    "<": lambda left, right, n: int(left < right(n)),
    ">": lambda left, right, n: int(left > right(n)),
    "<=": lambda left, right, n: int(left <= right(n)),
    ">=": lambda left, right, n: int(left >= right(n)),
    "+": lambda left, right, n: (left + right(n)) & _ULONG,
    "-": lambda left, right, n: (left - right(n)) & _ULONG,
    "*": lambda left, right, n: (left * right(n)) & _ULONG,
    "/": lambda left, right, n: left // _nonzero(right(n)),
    "%": lambda left, right, n: left % _nonzero(right(n)),
}


def _unary(tokens: list[str], at: int, depth: int) -> tuple[Expression, int]:
    negations = 0
    while at < len(tokens) and tokens[at] == "!":
        negations += 1
        at += 1
    depth += negations
    if depth > MAX_NESTING:
        raise _RefusedError(_TOO_DEEP)
    if at >= len(tokens):
        raise _RefusedError(_INVALID)
    token = tokens[at]
    inner: Expression
    if token == "n":
        inner, at = (lambda n: n), at + 1
    elif token.isdigit():
        value = unsigned_long(token)
        inner, at = (lambda n: value), at + 1
    elif token == "(":
        inner, at = _conditional(tokens, at + 1, _deeper(depth))
        at = _expect(tokens, at, ")")
    else:
        raise _RefusedError(_INVALID)
    if negations == 0:
        return inner, at
    if negations % 2:
        return (lambda n: int(not inner(n))), at
    return (lambda n: int(bool(inner(n)))), at
