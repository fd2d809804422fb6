"""Find the front matter of a page and the string values in it, with their source spans.

Hugo accepts YAML between ``---`` lines, TOML between ``+++`` lines, and a JSON object at
the very start of the file. Each reader here gives every string scalar with its path
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
from functools import lru_cache
from typing import Any

from ..errors import PageError, excerpt, line_of
from ..model import FrontMatterFormat
from .readers import MAX_DEPTH, long_integer, surrogate_escape

__all__ = [
    "FieldValue",
    "FrontMatter",
    "PathPart",
    "format_path",
    "format_scalar",
    "read_document_strings",
    "read_string_fields",
    "read_top_level_values",
    "split_front_matter",
]

PathPart = str | int
Span = tuple[int, int]

# A closing line is looked for with the newline before it (from the opening line's own): a
# pattern starting with "^" in MULTILINE mode is tried at every position of the text.
_DELIMITERS = (
    ("yaml", re.compile(r"---[ \t]*\r?\n"), re.compile(r"\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")),
    ("toml", re.compile(r"\+\+\+[ \t]*\r?\n"), re.compile(r"\n\+\+\+[ \t]*(?:\r?\n|\Z)")),
)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Where the front matter and the body lie in a page's text."""

    format: FrontMatterFormat
    start: int
    """Offset of the front matter's content (after the opening line; for JSON, the ``{``)."""
    end: int
    """Offset just past its content (before the closing line)."""
    body_start: int


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A string scalar of the front matter."""

    path: tuple[PathPart, ...]
    """Keys and list indexes from the root: ``("faq", 2, "a")``."""
    value: str
    start: int
    """Offset in the page text of the scalar's source (quotes included)."""
    end: int


@dataclass(frozen=True, slots=True)
class _Reading:
    fields: tuple[FieldValue, ...]
    top_level: dict[str, Span]


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
    """Locate the front matter in ``text`` (which may start with a BOM). Hugo skips the
    blanks before it (spaces, tabs, line breaks): so does extrans, or their ``title:`` line
    would be sent as text, and a translation of it would break the page for Hugo."""
    bom = 1 if text.startswith("\ufeff") else 0
    begin = len(text) - len(text[bom:].lstrip(" \t\r\n"))
    for fmt, opener, closer in _DELIMITERS:
        opened = opener.match(text, begin)
        if opened is None:
            continue
        closed = closer.search(text, opened.end() - 1)
        if closed is None:
            delimiter = text[begin : begin + 3]
            message = f"the front matter opened here has no closing '{delimiter}' line"
            raise PageError(message, path, line_of(text, begin))
        return FrontMatter(fmt, opened.end(), closed.start() + 1, closed.end())  # type: ignore[arg-type]
    if text.startswith("{", begin):
        end = _JsonReader(text, path).read(begin)
        return FrontMatter("json", begin, end, end)
    return FrontMatter("none", bom, bom, bom)


def read_string_fields(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    """Every string scalar of the front matter, in document order."""
    return list(_read(text, front, path).fields)


def read_top_level_values(text: str, front: FrontMatter, path: str) -> dict[str, Span]:
    """The source span of each top-level value (dates and numbers too), by key in lower case,
    as Hugo reads keys (``LastMod`` is ``lastmod``); YAML's scalars only."""
    return {key.lower(): span for key, span in _read(text, front, path).top_level.items()}


def read_document_strings(text: str, format: FrontMatterFormat, path: str) -> list[FieldValue]:
    """Every string scalar of a whole file in ``format`` (an i18n table, a data file), in
    document order: read like front matter, but a list may stand at the top too (go-i18n's
    ``- id: ... translation: ...`` tables, a data file's records), and errors name the file,
    not a front matter."""
    start = 1 if text.startswith("\ufeff") else 0
    if format == "json":
        start = len(text) - len(text[start:].lstrip(" \t\r\n"))
        if start == len(text):
            return []
    front = FrontMatter(format, start, len(text), len(text))
    try:
        return list(_read(text, front, path, document=True).fields)
    except PageError as err:
        message = err.message.replace("front matter", "file")
        raise PageError(message, err.path, err.line) from err


@lru_cache(maxsize=8)
def _read(text: str, front: FrontMatter, path: str, *, document: bool = False) -> _Reading:
    """Cached: extract and build read the same front matter more than once."""
    if front.format == "yaml":
        return _read_yaml(text, front, path, document)
    if front.format == "toml":
        return _read_toml(text, front, path)
    if front.format == "json":
        reader = _JsonReader(text, path)
        reader.read(front.start)
        return _Reading(tuple(reader.fields), reader.top_level)
    return _Reading((), {})


def _duplicate_key(key: str, path: str, line: int) -> PageError:
    """A key defined twice in one mapping (Hugo keeps one of the two: the other's
    translation would be lost)."""
    return PageError(f"duplicate key {excerpt(key)} in the front matter", path, line)


def _nested_deeper(path: str, line: int) -> PageError:
    return PageError(f"the front matter is nested deeper than {MAX_DEPTH} levels", path, line)


# --- YAML -------------------------------------------------------------------------------

_YAML_STR = "tag:yaml.org,2002:str"
_YAML_BOOL = "tag:yaml.org,2002:bool"


def _read_yaml(text: str, front: FrontMatter, path: str, document: bool = False) -> _Reading:
    """The node tree is composed, never constructed: no object is ever made from a tag."""
    import yaml

    source = text[front.start : front.end]
    line = line_of(text, front.start)
    try:
        root = yaml.compose(source, Loader=_yaml_loader())
    except yaml.YAMLError as err:
        problem: object = err
        mark = None
        if isinstance(err, yaml.MarkedYAMLError):
            problem, mark = err.problem or err, err.problem_mark or err.context_mark
        line += mark.line if mark else 0
        raise PageError(f"invalid YAML front matter: {problem}", path, line) from err
    except RecursionError as err:
        raise _nested_deeper(path, line) from err
    if root is None:
        return _Reading((), {})
    if not isinstance(root, yaml.MappingNode) and not (
        document and isinstance(root, yaml.SequenceNode)
    ):
        raise PageError("the YAML front matter is not a mapping", path, line)
    fields: list[FieldValue] = []
    top_level: dict[str, Span] = {}
    seen = {id(root)}  # an alias is its anchor's node: its text is read once, at the anchor

    def span(scalar: yaml.Node) -> Span:
        return front.start + _scalar_start(source, scalar), front.start + scalar.end_mark.index

    # Depth first, children in order, so that the first error met is the first in the text.
    def visit(node: yaml.Node, where: tuple[PathPart, ...]) -> None:
        children: Iterable[tuple[PathPart, yaml.Node]]
        if isinstance(node, yaml.MappingNode):
            named: dict[PathPart, yaml.Node] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in named:
                        at = line_of(text, front.start + key.start_mark.index)
                        raise _duplicate_key(key.value, path, at)
                    named[key.value] = value
            children = named.items()
        else:
            children = enumerate(node.value)
        for part, child in children:
            scalar = isinstance(child, yaml.ScalarNode)
            if scalar and not where:
                top_level[str(part)] = span(child)
            if id(child) in seen:
                continue
            seen.add(id(child))
            if len(where) >= MAX_DEPTH:
                raise _nested_deeper(path, line + child.start_mark.line)
            if not scalar:
                visit(child, (*where, part))
            elif (child.tag == _YAML_STR or (document and _yaml12_string(child))) and isinstance(
                child.value, str
            ):
                fields.append(FieldValue((*where, part), child.value, *span(child)))

    visit(root, ())
    fields.sort(key=lambda field: field.start)  # an alias of a key's anchor comes after it
    return _Reading(tuple(fields), top_level)


def _yaml12_string(node: Any) -> bool:
    """Whether YAML 1.2, as recent Hugo reads a whole file, takes a plain scalar that YAML 1.1
    reads as a boolean for a string (``Yes``, ``No``, ``on``: only ``true`` and ``false``
    are booleans there)."""
    return node.tag == _YAML_BOOL and str(node.value).lower() not in ("true", "false")


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


def _yaml_loader() -> Any:
    """libyaml's safe loader, PyYAML's own where libyaml is missing."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# --- TOML -------------------------------------------------------------------------------
#
# tomllib validates the front matter and words its errors; it keeps no positions, so the
# scanner below walks the text tomllib accepted to find where each value's source lies.


class _UnscannableError(Exception):
    """The scanner met text that is not TOML (only ever in the part of a rejected front
    matter read to name its duplicate key)."""


class _TooDeepError(Exception):
    """A value lies deeper than :data:`MAX_DEPTH` levels."""


def _read_toml(text: str, front: FrontMatter, path: str) -> _Reading:
    source = text[front.start : front.end]
    try:
        tomllib.loads(source)
        scanner = _TomlScanner(source, front.start)
        scanner.scan()
    except (RecursionError, _TooDeepError) as err:
        raise _nested_deeper(path, line_of(text, front.start)) from err
    except tomllib.TOMLDecodeError as err:
        raise _toml_error(text, front, path, err) from err
    except ValueError as err:  # (an integer over Python's digit limit)
        found = long_integer(source)
        if found is None:  # pragma: no cover (tomllib raises nothing else)
            raise
        message = f"invalid TOML front matter: {found.message}; shorten it or quote it"
        raise PageError(message, path, line_of(text, front.start + found.offset)) from err
    return _Reading(tuple(scanner.fields), scanner.top_level)


_TOML_POSITION = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)$")
_TOML_REDEFINED = re.compile(r"Cannot (?:overwrite|declare|mutate|redefine)|Duplicate")


def _toml_error(
    text: str, front: FrontMatter, path: str, err: tomllib.TOMLDecodeError
) -> PageError:
    """tomllib's message, at the line of the page it names, or the message for a key defined
    twice, naming it: tomllib says so just after the key or its value, so the key is the
    innermost one whose value is still open there, or that ends there."""
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
            scanner = _TomlScanner(source[: at + column - 1], 0)
            with contextlib.suppress(_UnscannableError, _TooDeepError, tomllib.TOMLDecodeError):
                scanner.scan()
            if scanner.key is not None:
                parts, start = scanner.key
                return _duplicate_key(".".join(parts), path, line_of(text, front.start + start))
    return PageError(
        f"invalid TOML front matter: {what}", path, line_of(text, front.start) + line - 1
    )


_TOML_BLANK = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?")
_TOML_SPACE = re.compile(r"[ \t]*")
_TOML_LINE_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")
_TOML_ATOM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9A-Za-z_+.:-]+|[0-9A-Za-z_+.:-]+"
)
_TOML_KEY = re.compile(r"""[ \t]*(?:([A-Za-z0-9_-]+)|"((?:[^"\\\n]++|\\.)*+)"|'([^'\n]*)')[ \t]*""")
_TOML_BASIC = re.compile(r'"((?:[^"\\\n]++|\\.)*+)"')
_TOML_LITERAL = re.compile(r"'([^'\n]*)'")
_TOML_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]++|\\.|"{1,2}+(?!"))*+"{3,5}', re.DOTALL)
_TOML_MULTILINE_LITERAL = re.compile(r"'''(?:[^']++|'{1,2}+(?!'))*+'{3,5}")


def _toml_string(source: str) -> str:
    """The value of a TOML string with escapes or over several lines, as tomllib reads it."""
    value: str = tomllib.loads(f"v = {source}")["v"]
    return value


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
                parts, start, at = self._pair(at, () if table is None else table)
                if table is None and len(parts) == 1:
                    self.top_level[parts[0]] = (base + start, base + at)
            at = _skip(_TOML_LINE_END, source, at)

    def _pair(self, at: int, where: tuple[PathPart, ...]) -> tuple[tuple[str, ...], int, int]:
        """A ``key = value``: its key, and where its value starts and ends."""
        parts, at = self._key(at)
        if not self.source.startswith("=", at):
            raise _UnscannableError
        start = _skip(_TOML_SPACE, self.source, at + 1)
        return parts, start, self._value(start, (*where, *parts))

    def _key(self, at: int) -> tuple[tuple[str, ...], int]:
        start = at
        parts: list[str] = []
        while True:
            found = _TOML_KEY.match(self.source, at)
            if found is None:
                raise _UnscannableError
            bare, basic, literal = found.groups()
            if basic is not None and "\\" in basic:
                basic = _toml_string(f'"{basic}"')
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
        if char in ("[", "{"):
            return self._container(at + 1, where, "]" if char == "[" else "}")
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
        plain = not multiline and not (basic and "\\" in found[0])
        value = found[1] if plain else _toml_string(found[0])
        self.fields.append(FieldValue(where, value, self.base + at, self.base + found.end()))
        return found.end()

    def _container(self, at: int, where: tuple[PathPart, ...], closer: str) -> int:
        """The items of an array (``closer`` is ``]``), which may span lines and hold
        comments, or the pairs of an inline table (``}``)."""
        if closer == "]" and len(where) >= MAX_DEPTH:
            raise _TooDeepError
        space = _TOML_BLANK if closer == "]" else _TOML_SPACE
        outer = self.key
        index = 0
        while True:
            at = _skip(space, self.source, at)
            if self.source.startswith(closer, at):
                self.key = outer
                return at + 1
            if closer == "]":
                at = self._value(at, (*where, index))
                index += 1
            else:
                _, _, at = self._pair(at, where)
            at = _skip(space, self.source, at)
            if self.source.startswith(",", at):
                at += 1
            elif not self.source.startswith(closer, at):
                raise _UnscannableError


def _skip(pattern: re.Pattern[str], source: str, at: int) -> int:
    """Where a match of ``pattern`` at ``at`` ends."""
    found = pattern.match(source, at)
    if found is None:
        raise _UnscannableError
    return found.end()


# --- JSON -------------------------------------------------------------------------------

_JSON_SPACE = re.compile(r"[ \t\r\n]*")
_JSON_ATOM = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


class _JsonReader:
    """A small JSON reader that keeps the span of every value (the standard library's does
    not)."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.fields: list[FieldValue] = []
        self.top_level: dict[str, Span] = {}

    def read(self, at: int, where: tuple[PathPart, ...] = ()) -> int:
        """Read the value at ``at``; where it ends."""
        if len(where) > MAX_DEPTH:
            raise _nested_deeper(self.path, line_of(self.text, at))
        at = self._skip(at)
        char = self.text[at : at + 1]
        if char == '"':
            value, end = self._string(at)
            self.fields.append(FieldValue(where, value, at, end))
            return end
        if char in ("{", "["):
            return self._container(at + 1, where, "}" if char == "{" else "]")
        match = _JSON_ATOM.match(self.text, at)
        if match is None:
            raise self._fail("expected a value", at)
        return match.end()

    def _container(self, at: int, where: tuple[PathPart, ...], closer: str) -> int:
        """The members of an object (``closer`` is ``}``) or the items of an array (``]``)."""
        at = self._skip(at)
        if self.text.startswith(closer, at):
            return at + 1
        keys: set[str] = set()
        index = 0
        while True:
            part: PathPart = index
            if closer == "}":
                part, at = self._key(at, keys)
            start = self._skip(at)
            end = self.read(start, (*where, part))
            if isinstance(part, str) and not where:
                self.top_level[part] = (start, end)
            index += 1
            at = self._skip(end)
            if self.text.startswith(",", at):
                at += 1
            elif self.text.startswith(closer, at):
                return at + 1
            else:
                raise self._fail(f"expected ',' or '{closer}'", at)

    def _key(self, at: int, keys: set[str]) -> tuple[str, int]:
        """A member's key, added to ``keys``, and where the member's value may start."""
        at = self._skip(at)
        if not self.text.startswith('"', at):
            raise self._fail("expected a quoted key", at)
        key, end = self._string(at)
        if key in keys:
            raise _duplicate_key(key, self.path, line_of(self.text, at))
        keys.add(key)
        at = self._skip(end)
        if not self.text.startswith(":", at):
            raise self._fail("expected ':' after a key", at)
        return key, at + 1

    def _string(self, at: int) -> tuple[str, int]:
        try:
            value: str
            value, end = json.decoder.scanstring(self.text, at + 1, True)  # type: ignore[attr-defined]
        except json.JSONDecodeError as err:
            raise self._fail(err.msg, err.pos) from err
        if "\\u" in self.text[at:end] and (problem := surrogate_escape(value)) is not None:
            raise self._fail(problem, at)
        return value, end

    def _skip(self, at: int) -> int:
        match = _JSON_SPACE.match(self.text, at)
        return match.end() if match else at

    def _fail(self, message: str, at: int) -> PageError:
        return PageError(f"invalid JSON front matter: {message}", self.path, line_of(self.text, at))


# --- Writing values back ----------------------------------------------------------------

_YAML_PLAIN_UNSAFE = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|[,\[\]{}]|: |\s#|:$|\s$""")
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
_JSON_STRING = json.JSONEncoder(ensure_ascii=False).encode


def format_scalar(format: FrontMatterFormat, original: str, value: str) -> str:
    """The source text of a string scalar holding ``value``, written in the style of the
    ``original`` scalar's text where that style can hold it safely, else double-quoted."""
    one_line = "\n" not in value and not _NON_PRINTABLE.search(value)
    if format == "yaml":
        if original.startswith("'") and one_line:
            return "'" + value.replace("'", "''") + "'"
        if original[:1] not in "'\"|>" and _yaml_plain_safe(value):
            return value
        if original[:1] in "|>":  # (the line break after a block scalar stays)
            return _double_quoted(value) + original[len(original.rstrip()) :]
    toml_literal = original.startswith("'") and not original.startswith("'''")
    if format == "toml" and toml_literal and one_line and "'" not in value:
        return f"'{value}'"
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    """A JSON string, which is also a YAML double-quoted and a TOML basic string, with the
    characters JSON leaves alone but YAML or TOML would not accept escaped too."""
    quoted = _JSON_STRING(value)
    if value.isprintable():
        return quoted  # (what _NON_PRINTABLE matches is never printable)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _yaml_plain_safe(value: str) -> bool:
    if not value or "\n" in value or "\t" in value or _NON_PRINTABLE.search(value):
        return False
    if _YAML_PLAIN_UNSAFE.search(value):
        return False
    import yaml

    try:  # (the loader pages are read with)
        loaded = yaml.load(f"k: {value}", Loader=_yaml_loader())
    except yaml.YAMLError:
        return False
    return bool(loaded == {"k": value})
