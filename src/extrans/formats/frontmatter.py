"""Find the front matter of a page and the string values in it, with their source spans.

Hugo accepts YAML between ``---`` lines, TOML between ``+++`` lines, and a JSON object at
the very start of the file. Each parser here reports every string scalar with its path
(``faq[2].a``) and the span of its source text, so a later stage can replace exactly that
span and leave every other byte of the front matter alone.
"""

from __future__ import annotations

import contextlib
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..errors import PageError, excerpt, line_of
from ..model import FrontMatterFormat
from .readers import MAX_DEPTH, long_integer, surrogate_escape, too_long_integer

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

_YAML_OPEN = re.compile(r"---[ \t]*\r?\n")
# The closing line is looked for with the newline before it (from the opening line's own):
# a pattern starting with "^" in MULTILINE mode is tried at every position of the text.
_YAML_CLOSE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"\n\+\+\+[ \t]*(?:\r?\n|\Z)")


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
        closed = closer.search(text, opened.end() - 1)
        if closed is None:
            delimiter = text[begin : begin + 3]
            raise PageError(
                f"the front matter opened here has no closing '{delimiter}' line",
                path,
                line_of(text, begin),
            )
        return FrontMatter(fmt, opened.end(), closed.start() + 1, closed.end())  # type: ignore[arg-type]
    if text.startswith("{", begin):
        end = _JsonScanner(text, path).object_end(begin)
        return FrontMatter("json", begin, end, end)
    return FrontMatter("none", begin, begin, begin)


def read_string_fields(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    """Every string scalar of the front matter, in document order."""
    if front.format == "yaml":
        return _yaml_fields(text, front, path)
    if front.format == "toml":
        return list(_toml_scan(text, front, path).fields)
    if front.format == "json":
        return _JsonScanner(text, path).fields(front.start)
    return []


def read_top_level_values(text: str, front: FrontMatter, path: str) -> dict[str, tuple[int, int]]:
    """The source span of each top-level scalar value (dates and numbers too), by key."""
    if front.format == "yaml":
        import yaml

        root = _yaml_root(text, front, path)
        if not isinstance(root, yaml.MappingNode):
            return {}
        source = text[front.start : front.end]
        return {
            str(key.value): (
                front.start + _scalar_start(source, value),
                front.start + value.end_mark.index,
            )
            for key, value in root.value
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
        }
    if front.format == "toml":
        return dict(_toml_scan(text, front, path).top_level)
    if front.format == "json":
        scanner = _JsonScanner(text, path)
        scanner.fields(front.start)
        return scanner.top_level
    return {}


def _duplicate_key(key: str, path: str, line: int) -> PageError:
    """A key defined twice in one mapping (Hugo keeps one of the two: the other's
    translation would be lost)."""
    return PageError(f"duplicate key {excerpt(key)} in the front matter", path, line)


def _nested_deeper(path: str, line: int) -> PageError:
    return PageError(f"the front matter is nested deeper than {MAX_DEPTH} levels", path, line)


@lru_cache(maxsize=8)
def _compose_yaml(source: str) -> Any:
    """The YAML node tree (compose, never construct: no object is ever created from a tag).
    Cached: extract and build read the same front matter more than once."""
    import yaml

    return yaml.compose(source, Loader=_yaml_loader())


def _scalar_start(source: str, node: Any) -> int:
    """Where a scalar node's own text starts in ``source``: its start mark is that of its
    anchor or tag (``&t Hello``, ``!!str Hello``), which a translation must leave in place.
    An empty value after an anchor or tag (``title: !!str``) has no token: its text is the
    empty one where the node ends."""
    start: int = node.start_mark.index
    end: int = node.end_mark.index
    if source[start : start + 1] in ("&", "!"):  # (what no scalar's own text starts with)
        return _scalar_token_starts(source).get(end, end)
    return start


@lru_cache(maxsize=8)
def _scalar_token_starts(source: str) -> dict[int, int]:
    """Where each scalar token of ``source`` starts, by where it ends (as its node does)."""
    import yaml

    return {
        token.end_mark.index: token.start_mark.index
        for token in yaml.scan(source, Loader=_yaml_loader())
        if isinstance(token, yaml.ScalarToken)
    }


@cache
def _yaml_loader() -> Any:
    """libyaml's safe loader, with PyYAML's resolver answered without its general loop.

    The resolver gives any scalar that is not plain (quoted, or with the ``!`` tag) the
    string tag, and a plain one the tag of the first implicit resolver registered for its
    first character whose pattern matches it, else the string tag: front matter is mostly
    quoted strings and words, and this gives the same answers with less Python per node
    (libyaml calls it for every node, keys included).
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    by_first = base.yaml_implicit_resolvers
    if base.yaml_path_resolvers or None in by_first:  # pragma: no cover (nothing registers one)
        return base
    scalar, sequence = yaml.ScalarNode, yaml.SequenceNode
    sequence_tag, mapping_tag = base.DEFAULT_SEQUENCE_TAG, base.DEFAULT_MAPPING_TAG

    class Loader(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is scalar:
                if implicit[0] and value[:1] in by_first:
                    for tag, pattern in by_first[value[:1]]:
                        if pattern.match(value):
                            return tag  # type: ignore[no-any-return]
                return _YAML_STR
            return sequence_tag if kind is sequence else mapping_tag

    return Loader


# --- YAML -------------------------------------------------------------------------------

_YAML_STR = "tag:yaml.org,2002:str"


def _yaml_error(err: Exception, text: str, front: FrontMatter, path: str) -> PageError:
    """PyYAML's error as one line, at the line of the page it names."""
    import yaml

    line = line_of(text, front.start)
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line += mark.line if mark else 0
        return PageError(f"invalid YAML front matter: {err.problem or err}", path, line)
    return PageError(f"invalid YAML front matter: {err}", path, line)


def _yaml_root(text: str, front: FrontMatter, path: str) -> Any:
    import yaml

    try:
        return _compose_yaml(text[front.start : front.end])
    except yaml.YAMLError as err:
        raise _yaml_error(err, text, front, path) from err
    except RecursionError as err:
        raise _nested_deeper(path, line_of(text, front.start)) from err


def _yaml_fields(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    import yaml

    source = text[front.start : front.end]
    root = _yaml_root(text, front, path)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise PageError("the YAML front matter is not a mapping", path, line_of(text, front.start))
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    base = front.start
    found: list[FieldValue] = []
    seen = {id(root)} if "&" in source else None  # without an anchor, no node is shared
    last = -1
    ordered = True

    # Depth first, children in order (so the first error met is the first in the text); each
    # node is handled by its parent's loop, which saves a call for each scalar.
    def visit(node: yaml.Node, where: tuple[PathPart, ...]) -> None:
        nonlocal last, ordered
        children: Iterable[tuple[PathPart, yaml.Node]]
        if isinstance(node, mapping):
            pairs = node.value
            keys = [key.value for key, _ in pairs if isinstance(key, scalar)]
            if len(set(keys)) < len(keys):
                key = _second_key(node)
                line = line_of(text, base + key.start_mark.index)
                raise _duplicate_key(key.value, path, line)

            if len(keys) == len(pairs):
                children = zip(keys, [value for _, value in pairs], strict=True)
            else:
                children = [(key.value, value) for key, value in pairs if isinstance(key, scalar)]
        else:
            children = enumerate(node.value)
        too_deep = len(where) >= MAX_DEPTH
        for part, child in children:
            if seen is not None:
                if id(child) in seen:  # an alias: its text is extracted once, at the anchor
                    continue
                seen.add(id(child))
            if too_deep:
                line = line_of(text, front.start) + child.start_mark.line
                raise _nested_deeper(path, line)
            if isinstance(child, scalar):
                if child.tag == _YAML_STR and isinstance(child.value, str):
                    start = base + _scalar_start(source, child)
                    ordered = ordered and start >= last
                    last = start
                    end = base + child.end_mark.index
                    found.append(FieldValue((*where, part), child.value, start, end))
            else:
                visit(child, (*where, part))

    visit(root, ())
    if not ordered:  # an alias of a node anchored in a mapping key comes after later text
        found.sort(key=lambda field: field.start)
    return found


def _second_key(node: Any) -> Any:
    """The first key node of a mapping node whose key came before in it."""
    import yaml

    keys: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in keys:
                return key
            keys.add(key.value)
    raise AssertionError("no key is defined twice")  # pragma: no cover


# --- TOML -------------------------------------------------------------------------------
#
# tomllib validates the front matter and words its errors; it keeps no positions, so the
# scanner below walks the text tomllib accepted to find where each value's source lies.


@dataclass(frozen=True, slots=True)
class _TomlScan:
    """Where the values of a TOML front matter lie."""

    fields: tuple[FieldValue, ...]
    """Every string, in document order."""
    top_level: dict[str, tuple[int, int]]
    """The span of the value of each top-level ``key = value``."""


class _UnscannableError(Exception):
    """The scanner met text that is not TOML (only ever in the part of a rejected front
    matter read to name its duplicate key)."""


class _TooDeepError(Exception):
    """A value lies deeper than :data:`MAX_DEPTH` levels."""


def _toml_scan(text: str, front: FrontMatter, path: str) -> _TomlScan:
    try:
        return _scan_toml(text[front.start : front.end], front.start)
    except (RecursionError, _TooDeepError) as err:
        raise _nested_deeper(path, line_of(text, front.start)) from err
    except tomllib.TOMLDecodeError as err:
        raise _toml_error(text, front, path, err) from err
    except ValueError as err:  # (an integer over Python's digit limit)
        found = long_integer(text[front.start : front.end])
        if found is None:  # pragma: no cover (tomllib raises nothing else)
            raise
        message = f"invalid TOML front matter: {too_long_integer(found)}; shorten it or quote it"
        raise PageError(message, path, line_of(text, front.start + found.start())) from err


@lru_cache(maxsize=8)
def _scan_toml(source: str, base: int) -> _TomlScan:
    """Offsets are ``base`` plus offsets in ``source``. Raises what tomllib raises for invalid
    TOML."""
    tomllib.loads(source)
    scanner = _TomlScanner(source, base)
    scanner.scan()
    return _TomlScan(tuple(scanner.fields), scanner.top_level)


_TOML_POSITION = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)$")
_TOML_REDEFINED = re.compile(r"Cannot (?:overwrite|declare|mutate|redefine)|Duplicate")


def _toml_error(
    text: str, front: FrontMatter, path: str, err: tomllib.TOMLDecodeError
) -> PageError:
    """tomllib's message, at the line of the page it names, or the message for a key defined
    twice, naming it."""
    source = text[front.start : front.end]
    message = str(err)
    found = _TOML_POSITION.search(message)
    if found is None or found[1] is None:  # "(at end of document)"
        what, line = message[: found.start()] if found else message, source.count("\n") + 1
    else:
        line, column = int(found[1]), int(found[2])
        what = f"{message[: found.start()]} (column {column})"
        if _TOML_REDEFINED.match(message):
            at = 0
            for _ in range(line - 1):  # (tomllib counts lines as "\n"s, as line_of does)
                at = source.index("\n", at) + 1
            key = _key_before(source, at + column - 1)
            if key is not None:
                parts, start = key
                return _duplicate_key(".".join(parts), path, line_of(text, front.start + start))
    return PageError(
        f"invalid TOML front matter: {what}", path, line_of(text, front.start) + line - 1
    )


def _key_before(source: str, at: int) -> tuple[tuple[str, ...], int] | None:
    """The innermost key whose value is still open at ``at``, or that ends there, and where
    it starts: tomllib says a key was defined twice just after it or its value."""
    scanner = _TomlScanner(source[:at], 0)
    with contextlib.suppress(_UnscannableError, _TooDeepError):
        scanner.scan()
    return scanner.key


_TOML_BLANK = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?")
_TOML_SPACE = re.compile(r"[ \t]*")
_TOML_LINE_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")
_TOML_ATOM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9A-Za-z_+.:-]+|[0-9A-Za-z_+.:-]+"
)
_TOML_KEY = re.compile(r"""[ \t]*(?:([A-Za-z0-9_-]+)|"((?:[^"\\\n]++|\\.)*+)"|'([^'\n]*)')[ \t]*""")
_TOML_BASIC = re.compile(r'"((?:[^"\\\n]++|\\.)*+)"')
_TOML_LITERAL = re.compile(r"'([^'\n]*)'")
_TOML_MULTILINE_BASIC = re.compile(r'"""((?:[^"\\]++|\\.|"{1,2}+(?!"))*+)("{3,5})', re.DOTALL)
_TOML_MULTILINE_LITERAL = re.compile(r"'''((?:[^']++|'{1,2}+(?!'))*+)('{3,5})")
_TOML_ESCAPE = re.compile(
    r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|[ \t]*\n[ \t\n]*)'
)
_TOML_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _toml_unescape(match: re.Match[str]) -> str:
    simple, short, long = match.groups()
    if simple:
        return _TOML_ESCAPES[simple]
    if short or long:
        return chr(int(short or long, 16))
    return ""  # a backslash that ends a line drops the line break and the indent after it


class _TomlScanner:
    """Finds the source span of every value of a TOML document tomllib has accepted."""

    def __init__(self, source: str, base: int) -> None:
        self.source = source
        self.base = base
        """What to add to an offset in ``source`` to make it one in the page."""
        self.fields: list[FieldValue] = []
        self.top_level: dict[str, tuple[int, int]] = {}
        self.array_tables: dict[tuple[PathPart, ...], int] = {}
        """The number of tables so far in each array of tables."""
        self.key: tuple[tuple[str, ...], int] | None = None
        """The innermost key read whose value is not closed yet, or the last one read, with
        where it starts."""

    def scan(self) -> None:
        source, base = self.source, self.base
        table: tuple[PathPart, ...] | None = None  # None: at the top level
        at = 0
        while True:
            at = _skip(_TOML_BLANK, source, at)
            if at >= len(source):
                return
            if source.startswith("[", at):
                many = source.startswith("[[", at)
                parts, at = self._key(at + 1 + many)
                if not source.startswith("]]" if many else "]", at):
                    raise _UnscannableError
                at += 1 + many
                table = self._table(parts, many=many)
            else:
                parts, at = self._key(at)
                if not source.startswith("=", at):
                    raise _UnscannableError
                start = _skip(_TOML_SPACE, source, at + 1)
                at = self._value(start, parts if table is None else (*table, *parts))
                if table is None and len(parts) == 1:
                    self.top_level[parts[0]] = (base + start, base + at)
            at = _skip(_TOML_LINE_END, source, at)

    def _key(self, at: int) -> tuple[tuple[str, ...], int]:
        start = at
        parts: list[str] = []
        while True:
            found = _TOML_KEY.match(self.source, at)
            if found is None:
                raise _UnscannableError
            bare, basic, literal = found.groups()
            if basic is not None and "\\" in basic:
                basic = _TOML_ESCAPE.sub(_toml_unescape, basic)
            parts.append(bare or basic or literal or "")
            at = found.end()
            if not self.source.startswith(".", at):
                self.key = (tuple(parts), start)
                return tuple(parts), at
            at += 1

    def _table(self, parts: tuple[str, ...], *, many: bool) -> tuple[PathPart, ...]:
        """The path of a ``[table]`` or of a new ``[[table]]``: a table inside an array of
        tables belongs to its last table so far."""
        resolved: list[PathPart] = []
        for part in parts[:-1] if many else parts:
            resolved.append(part)
            count = self.array_tables.get(tuple(resolved))
            if count is not None:
                resolved.append(count - 1)
        if many:
            resolved.append(parts[-1])
            count = self.array_tables.get(tuple(resolved), 0)
            self.array_tables[tuple(resolved)] = count + 1
            resolved.append(count)
        if len(resolved) >= MAX_DEPTH:  # (its keys would lie deeper)
            raise _TooDeepError
        return tuple(resolved)

    def _value(self, at: int, where: tuple[PathPart, ...]) -> int:
        if len(where) > MAX_DEPTH:
            raise _TooDeepError
        source = self.source
        char = source[at : at + 1]
        if char == "[":
            return self._array(at + 1, where)
        if char == "{":
            return self._inline_table(at + 1, where)
        if char not in ('"', "'"):
            return _skip(_TOML_ATOM, source, at)
        basic = char == '"'
        multiline = source.startswith(char * 3, at)
        if multiline:
            pattern = _TOML_MULTILINE_BASIC if basic else _TOML_MULTILINE_LITERAL
        else:
            pattern = _TOML_BASIC if basic else _TOML_LITERAL
        found = pattern.match(source, at)
        if found is None:
            raise _UnscannableError
        value = _multiline(found[1]) + found[2][3:] if multiline else found[1]
        if basic and "\\" in value:
            value = _TOML_ESCAPE.sub(_toml_unescape, value)
        self.fields.append(FieldValue(where, value, self.base + at, self.base + found.end()))
        return found.end()

    def _array(self, at: int, where: tuple[PathPart, ...]) -> int:
        if len(where) >= MAX_DEPTH:
            raise _TooDeepError
        source = self.source
        index = 0
        while True:
            at = _skip(_TOML_BLANK, source, at)
            if source.startswith("]", at):
                return at + 1
            at = _skip(_TOML_BLANK, source, self._value(at, (*where, index)))
            index += 1
            if source.startswith(",", at):
                at += 1
            elif source.startswith("]", at):
                return at + 1
            else:
                raise _UnscannableError

    def _inline_table(self, at: int, where: tuple[PathPart, ...]) -> int:
        source = self.source
        outer = self.key
        at = _skip(_TOML_SPACE, source, at)
        if source.startswith("}", at):
            return at + 1
        while True:
            parts, at = self._key(at)
            if not source.startswith("=", at):
                raise _UnscannableError
            at = _skip(_TOML_SPACE, source, at + 1)
            at = _skip(_TOML_SPACE, source, self._value(at, (*where, *parts)))
            if source.startswith(",", at):
                at += 1
            elif source.startswith("}", at):
                self.key = outer
                return at + 1
            else:
                raise _UnscannableError


def _skip(pattern: re.Pattern[str], source: str, at: int) -> int:
    """Where a match of ``pattern`` at ``at`` ends."""
    found = pattern.match(source, at)
    if found is None:
        raise _UnscannableError
    return found.end()


def _multiline(raw: str) -> str:
    """A multi-line string's text as tomllib sees it: CRLF read as LF, and the line break
    right after the opening quotes dropped."""
    raw = raw.replace("\r\n", "\n")
    return raw[1:] if raw.startswith("\n") else raw


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
            value: str
            value, end = json.decoder.scanstring(self.text, at + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as err:
            raise self._fail(err.msg, err.pos) from err
        if "\\u" in self.text[at:end] and (problem := surrogate_escape(value)) is not None:
            raise self._fail(problem, at)
        return value, end

    def _value(self, at: int, where: tuple[PathPart, ...], *, record: bool) -> int:
        if len(where) > MAX_DEPTH:
            raise _nested_deeper(self.path, line_of(self.text, at))
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
        keys: set[str] = set()
        while True:
            at = self._skip(at)
            if not self.text.startswith('"', at):
                raise self._fail("expected a quoted key", at)
            key_start = at
            key, at = self._string(at)
            if key in keys:
                raise _duplicate_key(key, self.path, line_of(self.text, key_start))
            keys.add(key)
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


_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode


def _double_quoted(value: str) -> str:
    """A JSON string, which is also a YAML double-quoted and a TOML basic string, with the
    characters JSON leaves alone but YAML or TOML would not accept escaped too."""
    quoted = _JSON_STRING(value)
    if value.isprintable():
        return quoted  # (what _NON_PRINTABLE matches is never printable)
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

    try:  # (the loader pages are read with: libyaml, ten times as fast as PyYAML's reader)
        loaded = yaml.load(f"k: {value}", Loader=_yaml_loader())
    except yaml.YAMLError:
        return False
    return bool(loaded == {"k": value})
