"""The limits of Python's own readers, met before they are: every reader of a file a user
can write (front matter, configuration, the build record) refuses these with a line.

Python refuses to read an integer of more than 4,300 digits (``ValueError``), its JSON
reader nests as deep as the stack allows (``RecursionError``), and a JSON escape can name
half of a surrogate pair, a string no UTF-8 file can hold (``UnicodeEncodeError`` when it is
written). None of these is the reader's documented error. :func:`parse_config` reads a
configuration file (the site's Hugo configuration, its menus) with them all refused.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ExtransError, line_of

__all__ = [
    "MAX_DEPTH",
    "JsonError",
    "LoneSurrogate",
    "LongInteger",
    "load_json",
    "lone_surrogate",
    "long_integer",
    "parse_config",
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
_YAML_BOOL = "tag:yaml.org,2002:bool"
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


def parse_config(text: str, path: Path | str, fmt: str | None = None) -> object:
    """The text of a configuration file read as its suffix (or ``fmt``: ``toml``,
    ``yaml``, ``json``) says, YAML with YAML 1.2's booleans as Hugo reads it; every way the
    reader can fail (nesting deeper than Python's stack, an integer over its digit limit) is
    a :class:`ConfigError`."""
    suffix = f".{fmt}" if fmt else Path(path).suffix
    if suffix == ".json":
        try:
            return load_json(text)
        except JsonError as err:
            raise ConfigError(f"invalid JSON: {err.message}", path, err.line) from err
    syntax = "TOML" if suffix == ".toml" else "YAML"
    try:
        if syntax == "TOML":
            data: object = tomllib.loads(text)
        else:
            import yaml

            data = yaml.load(text, Loader=_yaml_core_loader()) or {}
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        line = int(found[1]) if found else line_of(text, len(text.rstrip("\n")))
        raise ConfigError(f"invalid TOML: {err}", path, line) from err
    except RecursionError as err:
        raise ConfigError(f"invalid {syntax}: nested too deep to read", path) from err
    except Exception as err:  # yaml.YAMLError (imported lazily), or an integer too long
        number = long_integer(text)
        at: int | None
        if number is not None and isinstance(err, ValueError):
            message, at = number.message, line_of(text, number.offset)
        else:
            mark = getattr(err, "problem_mark", None)
            message = str(getattr(err, "problem", None) or err)  # (str(err) quotes the file)
            at = mark.line + 1 if mark else None
        raise ConfigError(f"invalid {syntax}: {message}", path, at) from err
    surrogate = lone_surrogate(data, text)  # (YAML reads such an escape; TOML refuses it)
    if surrogate is not None:
        raise ConfigError(f"invalid {syntax}: {surrogate.message}", path, surrogate.line)
    return data


@lru_cache(maxsize=1)
def _yaml_core_loader() -> Any:
    """PyYAML's safe loader with YAML 1.2's booleans (``true`` and ``false`` only), as Hugo
    reads its configuration: YAML 1.1 would read the language ``no`` (Norwegian), ``on`` or
    ``yes`` as a boolean."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _YAML_BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        _YAML_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader
