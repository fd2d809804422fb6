"""The limits of Python's own readers, met before they are: every reader of a file a user
can write (front matter, configuration, the build record) refuses these with a line.

Python refuses to read an integer of more than 4,300 digits (``ValueError``), its JSON
reader nests as deep as the stack allows (``RecursionError``), and a JSON escape can name
half of a surrogate pair, a string no UTF-8 file can hold (``UnicodeEncodeError`` when it is
written). None of these is the reader's documented error.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Any

from ..errors import ExtransError, line_of

__all__ = [
    "MAX_DEPTH",
    "JsonError",
    "LoneSurrogate",
    "LongInteger",
    "load_json",
    "lone_surrogate",
    "long_integer",
    "surrogate_escape",
    "unsigned_long",
]

MAX_DEPTH = 64
"""The deepest a front matter or a configuration file may nest."""

_INT_DIGITS = sys.get_int_max_str_digits()
_LONG_INTEGER = re.compile(rf"[0-9](?:_?[0-9]){{{_INT_DIGITS},}}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HIGH = r"\\u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE = re.compile(rf"(?<!\\)(?:\\\\)*+(?:{_HIGH}(?!{_LOW})|(?<!{_HIGH}){_LOW})")
_JSON_NESTING = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


class JsonError(ExtransError):
    """What is wrong with a JSON text, in a few words, and its line; the caller names the
    file, and says what to do."""


@dataclass(frozen=True, slots=True)
class LongInteger:
    """A run of digits longer than Python reads as an integer."""

    message: str
    """What to say of it."""
    offset: int
    """Where it starts in the text searched."""


def long_integer(text: str) -> LongInteger | None:
    """The first run of digits in ``text`` longer than Python reads as an integer."""
    found = _LONG_INTEGER.search(text)
    if found is None:
        return None
    digits = len(found[0].replace("_", ""))
    return LongInteger(f"a number of {digits} digits, longer than any Hugo reads", found.start())


def unsigned_long(digits: str) -> int:
    """A number as C reads it into an unsigned long (gettext: a plural expression's number,
    a reference's line), wrapping around at 2**64, however long: in pieces, as Python reads
    no integer of more than 4,300 digits at once."""
    value = 0
    for start in range(0, len(digits), 1000):
        piece = digits[start : start + 1000]
        value = (value * 10 ** len(piece) + int(piece)) % 2**64
    return value


def surrogate_escape(value: str) -> str | None:
    """The message for a string holding half of a surrogate pair, if ``value`` holds one."""
    found = _SURROGATE.search(value)
    if found is None:
        return None
    return (
        f"'\\u{ord(found[0]):04x}' is half of a surrogate pair, not a character; "
        "write the character itself"
    )


def load_json(text: str) -> Any:
    """``text`` read as JSON, or :class:`JsonError`: invalid JSON, nesting deeper than
    :data:`MAX_DEPTH`, an integer too long to read, half of a surrogate pair in a string."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        _check_depth(text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise JsonError(err.msg, line=err.lineno) from err
    except ValueError as err:  # (an integer over Python's digit limit)
        found = long_integer(text)
        if found is None:  # pragma: no cover (json raises nothing else)
            raise
        raise JsonError(found.message, line=line_of(text, found.offset)) from err
    surrogate = lone_surrogate(value, text)
    if surrogate is not None:
        raise JsonError(surrogate.message, line=surrogate.line)
    return value


def _check_depth(text: str) -> None:
    depth = 0
    for found in _JSON_NESTING.finditer(text):
        char = found[0]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = line_of(text, found.start())
                raise JsonError(f"nested deeper than {MAX_DEPTH} levels", line=line)
        elif char in "]}":
            depth -= 1


@dataclass(frozen=True, slots=True)
class LoneSurrogate:
    """A string read from a text that holds half of a surrogate pair."""

    message: str
    """What to say of it."""
    line: int | None
    """The line of its escape in the text, if the text has one."""


def lone_surrogate(value: Any, text: str) -> LoneSurrogate | None:
    """The first string in ``value`` (read from ``text``: strings, lists and mappings) that
    holds half of a surrogate pair, if any does."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and (problem := surrogate_escape(item)) is not None:
            escape = _LONE_SURROGATE.search(text)
            return LoneSurrogate(problem, None if escape is None else line_of(text, escape.start()))
    return None
