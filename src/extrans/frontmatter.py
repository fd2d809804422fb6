"""Find the front matter of a page and the string values in it, with their source spans.

Hugo accepts YAML between ``---`` lines, TOML between ``+++`` lines, and a JSON object at
the very start of the file. Each parser here reports every string scalar with its path
(``faq[2].a``) and the span of its source text, so a later stage can replace exactly that
span and leave every other byte of the front matter alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import PageError, line_of
from .model import FrontMatterFormat

__all__ = [
    "FieldValue",
    "FrontMatter",
    "PathPart",
    "format_path",
    "read_string_fields",
    "read_top_level_values",
    "split_front_matter",
]

PathPart = str | int
MAX_DEPTH = 64

_YAML_OPEN = re.compile(r"---[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Where the front matter and the body lie in a page's text."""

    format: FrontMatterFormat
    start: int
    """Offset of the first character of the front matter's content (after the opening
    delimiter line; for JSON, the ``{``)."""
    end: int
    """Offset just past its content (before the closing delimiter line)."""
    body_start: int
    """Offset of the first character of the body."""


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A string scalar of the front matter."""

    path: tuple[PathPart, ...]
    """Keys and list indexes from the root: ``("faq", 2, "a")``."""
    value: str
    """The parsed value."""
    start: int
    """Offset in the page text of the scalar's source (quotes included)."""
    end: int
    """Offset just past it."""


def format_path(path: tuple[PathPart, ...]) -> str:
    """``("faq", 2, "a")`` → ``faq[2].a``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Locate the front matter in ``text`` (which may start with a BOM)."""
    begin = 1 if text.startswith("\ufeff") else 0
    for fmt, opener, closer in (
        ("yaml", _YAML_OPEN, _YAML_CLOSE),
        ("toml", _TOML_OPEN, _TOML_CLOSE),
    ):
        opened = opener.match(text, begin)
        if opened is None:
            continue
        closed = closer.search(text, opened.end())
        if closed is None:
            delimiter = text[begin : begin + 3]
            raise PageError(
                f"the front matter opened here has no closing '{delimiter}' line",
                path,
                line_of(text, begin),
            )
        return FrontMatter(fmt, opened.end(), closed.start(), closed.end())  # type: ignore[arg-type]
    if text.startswith("{", begin):
        end = _JsonScanner(text, path).object_end(begin)
        return FrontMatter("json", begin, end, end)
    return FrontMatter("none", begin, begin, begin)


def read_string_fields(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    """Every string scalar of the front matter, in document order."""
    if front.format == "yaml":
        return list(_yaml_fields(text, front, path))
    if front.format == "toml":
        return list(_toml_fields(text, front, path))
    if front.format == "json":
        return _JsonScanner(text, path).fields(front.start)
    return []


def read_top_level_values(text: str, front: FrontMatter, path: str) -> dict[str, tuple[int, int]]:
    """The source span of each top-level scalar value (dates and numbers too), by key."""
    if front.format == "yaml":
        import yaml

        try:
            root = _compose_yaml(text[front.start : front.end])
        except yaml.YAMLError as err:
            raise PageError(f"invalid YAML front matter: {err}", path) from err
        except RecursionError as err:
            raise _too_deep(text, front, path) from err
        if not isinstance(root, yaml.MappingNode):
            return {}
        return {
            str(key.value): (
                front.start + value.start_mark.index,
                front.start + value.end_mark.index,
            )
            for key, value in root.value
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
        }
    if front.format == "toml":
        from tomlkit.items import AoT, Table

        source = text[front.start : front.end]
        found: dict[str, tuple[int, int]] = {}
        for key, item in _parse_toml(source).body:
            if key is None or isinstance(item, Table | AoT):
                continue
            match = re.search(
                rf"^[ \t]*{re.escape(key.as_string().strip())}[ \t]*=[ \t]*", source, re.M
            )
            if match:
                raw = item.as_string()
                if source.startswith(raw, match.end()):
                    found[key.key] = (
                        front.start + match.end(),
                        front.start + match.end() + len(raw),
                    )
        return found
    if front.format == "json":
        scanner = _JsonScanner(text, path)
        scanner.fields(front.start)
        return scanner.top_level
    return {}


@lru_cache(maxsize=8)
def _compose_yaml(source: str) -> Any:
    """The YAML node tree (compose, never construct: no object is ever created from a tag).
    Cached: extract and build read the same front matter more than once."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.compose(source, Loader=loader)


@lru_cache(maxsize=8)
def _parse_toml(source: str) -> Any:
    import tomlkit

    return tomlkit.parse(source)


def _too_deep(text: str, front: FrontMatter, path: str) -> PageError:
    return PageError(
        f"the front matter is nested too deeply (more than {MAX_DEPTH} levels)",
        path,
        line_of(text, front.start),
    )


# --- YAML -------------------------------------------------------------------------------

_YAML_STR = "tag:yaml.org,2002:str"


def _yaml_fields(text: str, front: FrontMatter, path: str) -> Iterator[FieldValue]:
    import yaml

    source = text[front.start : front.end]
    try:
        root = _compose_yaml(source)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = line_of(text, front.start) + (mark.line if mark else 0)
        raise PageError(f"invalid YAML front matter: {err.problem or err}", path, line) from err
    except yaml.YAMLError as err:
        raise PageError(
            f"invalid YAML front matter: {err}", path, line_of(text, front.start)
        ) from err
    except RecursionError as err:
        raise _too_deep(text, front, path) from err
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        raise PageError("the YAML front matter is not a mapping", path, line_of(text, front.start))
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[PathPart, ...]]] = [(root, ())]
    found: list[FieldValue] = []
    while stack:
        node, where = stack.pop()
        if id(node) in seen:  # an alias: its text is extracted once, at the anchor
            continue
        seen.add(id(node))
        if len(where) > MAX_DEPTH:
            raise PageError(
                f"the front matter is nested deeper than {MAX_DEPTH} levels",
                path,
                line_of(text, front.start) + node.start_mark.line,
            )
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _YAML_STR and isinstance(node.value, str):
                start = front.start + node.start_mark.index
                end = front.start + node.end_mark.index
                found.append(FieldValue(where, node.value, start, end))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*where, i)) for i, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in keys:
                        line = line_of(text, front.start + key.start_mark.index)
                        raise PageError(
                            f"duplicate key {key.value!r} in the front matter", path, line
                        )
                    keys.add(key.value)
            children = [
                (value, (*where, key.value))
                for key, value in node.value
                if isinstance(key, yaml.ScalarNode)
            ]
            stack.extend(reversed(children))
    found.sort(key=lambda field: field.start)
    yield from found


# --- TOML -------------------------------------------------------------------------------


def _toml_fields(text: str, front: FrontMatter, path: str) -> Iterator[FieldValue]:
    from tomlkit.exceptions import ParseError
    from tomlkit.items import AoT, Array, InlineTable, String, Table

    source = text[front.start : front.end]
    try:
        document = _parse_toml(source)
    except RecursionError as err:
        raise _too_deep(text, front, path) from err
    except ParseError as err:
        raise PageError(
            f"invalid TOML front matter: {err}", path, line_of(text, front.start) + err.line - 1
        ) from err
    # tomlkit keeps each string's source text; finding it from a moving cursor, in document
    # order, gives its exact span.
    cursor = 0

    def locate(item: String) -> tuple[int, int]:
        nonlocal cursor
        raw = item.as_string()
        at = source.find(raw, cursor)
        if at < 0:
            at = source.find(raw)
        cursor = at + len(raw)
        return front.start + at, front.start + at + len(raw)

    def walk(value: object, where: tuple[PathPart, ...]) -> Iterator[FieldValue]:
        if len(where) > MAX_DEPTH:
            raise PageError(
                f"the front matter is nested deeper than {MAX_DEPTH} levels",
                path,
                line_of(text, front.start),
            )
        if isinstance(value, String):
            start, end = locate(value)
            yield FieldValue(where, str(value), start, end)
        elif isinstance(value, Table | InlineTable):
            for key, item in value.value.body:
                if key is not None:
                    yield from walk(item, (*where, key.key))
        elif isinstance(value, AoT):
            for i, table in enumerate(value.body):
                yield from walk(table, (*where, i))
        elif isinstance(value, Array):
            for i, item in enumerate(value):
                yield from walk(item, (*where, i))

    for key, item in document.body:
        if key is not None:
            yield from walk(item, (key.key,))


# --- JSON -------------------------------------------------------------------------------

_JSON_SPACE = re.compile(r"[ \t\r\n]*")
_JSON_ATOM = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


class _JsonScanner:
    """A small JSON reader that keeps the span of every string (the stdlib's does not)."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.found: list[FieldValue] = []
        self.top_level: dict[str, tuple[int, int]] = {}

    def object_end(self, start: int) -> int:
        return self._value(start, (), record=False)

    def fields(self, start: int) -> list[FieldValue]:
        self._value(start, (), record=True)
        return self.found

    def _fail(self, message: str, at: int) -> PageError:
        return PageError(f"invalid JSON front matter: {message}", self.path, line_of(self.text, at))

    def _skip(self, at: int) -> int:
        match = _JSON_SPACE.match(self.text, at)
        return match.end() if match else at

    def _string(self, at: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, at + 1, True)  # type: ignore[attr-defined,no-any-return]
        except json.JSONDecodeError as err:
            raise self._fail(err.msg, err.pos) from err

    def _value(self, at: int, where: tuple[PathPart, ...], *, record: bool) -> int:
        if len(where) > MAX_DEPTH:
            raise self._fail(f"nested deeper than {MAX_DEPTH} levels", at)
        at = self._skip(at)
        char = self.text[at : at + 1]
        if char == '"':
            value, end = self._string(at)
            if record:
                self.found.append(FieldValue(where, value, at, end))
            return end
        if char == "{":
            return self._members(at + 1, where, record=record)
        if char == "[":
            return self._items(at + 1, where, record=record)
        match = _JSON_ATOM.match(self.text, at)
        if match is None:
            raise self._fail("expected a value", at)
        return match.end()

    def _members(self, at: int, where: tuple[PathPart, ...], *, record: bool) -> int:
        at = self._skip(at)
        if self.text.startswith("}", at):
            return at + 1
        while True:
            at = self._skip(at)
            if not self.text.startswith('"', at):
                raise self._fail("expected a quoted key", at)
            key, at = self._string(at)
            at = self._skip(at)
            if not self.text.startswith(":", at):
                raise self._fail("expected ':' after a key", at)
            start = self._skip(at + 1)
            at = self._value(start, (*where, key), record=record)
            if not where:
                self.top_level[key] = (start, at)
            at = self._skip(at)
            if self.text.startswith(",", at):
                at += 1
            elif self.text.startswith("}", at):
                return at + 1
            else:
                raise self._fail("expected ',' or '}'", at)

    def _items(self, at: int, where: tuple[PathPart, ...], *, record: bool) -> int:
        at = self._skip(at)
        if self.text.startswith("]", at):
            return at + 1
        index = 0
        while True:
            at = self._skip(self._value(at, (*where, index), record=record))
            index += 1
            if self.text.startswith(",", at):
                at += 1
            elif self.text.startswith("]", at):
                return at + 1
            else:
                raise self._fail("expected ',' or ']'", at)


# --- Writing values back ----------------------------------------------------------------

_YAML_PLAIN_UNSAFE = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|[,\[\]{}]|: |\s#|:$|\s$""")
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _double_quoted(value: str) -> str:
    """A JSON string, which is also a YAML double-quoted and a TOML basic string, with the
    characters JSON leaves alone but YAML or TOML would not accept escaped too."""
    quoted = json.dumps(value, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def format_scalar(format: FrontMatterFormat, original: str, value: str) -> str:
    """The source text of a string scalar holding ``value``, written in the style of the
    ``original`` scalar's text where that style can hold it safely, else double-quoted."""
    trailing = original[len(original.rstrip()) :]
    if format == "yaml":
        if original.startswith("'") and "\n" not in value and not _NON_PRINTABLE.search(value):
            return "'" + value.replace("'", "''") + "'"
        if original[:1] not in "'\"|>" and _yaml_plain_safe(value):
            return value
        return _double_quoted(value) + (trailing if original[:1] in "|>" else "")
    if format == "toml":
        if (
            original.startswith("'")
            and not original.startswith("'''")
            and "'" not in value
            and not _NON_PRINTABLE.search(value)
            and "\n" not in value
        ):
            return f"'{value}'"
        return _double_quoted(value)
    return _double_quoted(value)


def _yaml_plain_safe(value: str) -> bool:
    if not value or "\n" in value or _YAML_PLAIN_UNSAFE.search(value):
        return False
    if _NON_PRINTABLE.search(value) or "\t" in value:
        return False
    import yaml

    try:
        return bool(yaml.safe_load(f"k: {value}") == {"k": value})
    except yaml.YAMLError:
        return False
