"""Find the front matter of a page and the string values in it, with their source spans.

Hugo accepts YAML between ``---`` lines, TOML between ``+++`` lines, and a JSON object at
the very start of the file. Each parser here reports every string scalar with its path
(``faq[2].a``) and the span of its source text, so a later stage can replace exactly that
span and leave every other byte of the front matter alone.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NoReturn

from .errors import PageError, excerpt, line_of
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
        return _toml_fields(text, front, path)
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
            raise _yaml_error(err, text, front, path) from err
        except RecursionError as err:
            raise _too_deep(text, front, path) from err
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
        spans = None
        if _toml_scan(text, front, path) is not None:
            spans = _toml_top_level(text[front.start : front.end], front.start)
        return _toml_top_level_tomlkit(text, front, path) if spans is None else dict(spans)
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


def _too_deep(text: str, front: FrontMatter, path: str) -> PageError:
    return PageError(
        f"the front matter is nested too deeply (more than {MAX_DEPTH} levels)",
        path,
        line_of(text, front.start),
    )


def _nested_deeper(text: str, front: FrontMatter, path: str, line: int = 0) -> PageError:
    return PageError(
        f"the front matter is nested deeper than {MAX_DEPTH} levels",
        path,
        line_of(text, front.start) + line,
    )


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


def _yaml_fields(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    import yaml

    source = text[front.start : front.end]
    try:
        root = _compose_yaml(source)
    except yaml.YAMLError as err:
        raise _yaml_error(err, text, front, path) from err
    except RecursionError as err:
        raise _too_deep(text, front, path) from err
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
                _duplicate_key(text, front, path, node)
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
                raise _nested_deeper(text, front, path, child.start_mark.line)
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


def _duplicate_key(text: str, front: FrontMatter, path: str, node: Any) -> None:
    import yaml

    keys: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in keys:
                line = line_of(text, front.start + key.start_mark.index)
                raise PageError(
                    f"duplicate key {excerpt(key.value)} in the front matter", path, line
                )
            keys.add(key.value)


# --- TOML -------------------------------------------------------------------------------
#
# tomllib validates the front matter and decodes its values; a small scanner finds where
# each value's source text lies, and must decode every string to exactly what tomllib did.
# What the scanner cannot vouch for is read the slow way, through tomlkit (which also words
# the errors, as extrans always has).


@dataclass(frozen=True, slots=True)
class _TomlScan:
    """A TOML front matter read the fast way."""

    fields: tuple[FieldValue, ...]
    """Every string, in document order, checked against tomllib's values."""
    top_level: dict[str, tuple[int, int]] | None
    """The span of the value of each top-level ``key = value``; ``None`` if a top-level
    value that is not a table was not found."""
    atoms: tuple[str, ...]
    """The keys of ``top_level`` whose value holds a number, date or boolean: their spans
    are checked when first asked for (:func:`_toml_top_level`)."""


class _UnscannableError(Exception):
    """The TOML scanner met text it does not handle (tomlkit takes over)."""


def _toml_fields(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    scan = _toml_scan(text, front, path)
    return _toml_fields_tomlkit(text, front, path) if scan is None else list(scan.fields)


def _toml_scan(text: str, front: FrontMatter, path: str) -> _TomlScan | None:
    """The fast reading of a TOML front matter; ``None`` where only tomlkit is trusted."""
    try:
        return _scan_toml(text[front.start : front.end], front.start)
    except (tomllib.TOMLDecodeError, RecursionError) as err:
        _raise_toml_error(text, front, path, err)


@lru_cache(maxsize=8)
def _load_toml(source: str) -> dict[str, Any]:
    return tomllib.loads(source)


@lru_cache(maxsize=8)
def _scan_toml(source: str, base: int) -> _TomlScan | None:
    """Offsets are ``base`` plus offsets in ``source``. Raises what tomllib raises for invalid
    TOML."""
    data = _load_toml(source)
    scanner = _TomlScanner(source, base)
    try:
        scanner.scan()
    except _UnscannableError:
        return None
    fields = tuple(scanner.fields)
    if not _same_strings(fields, data):
        return None
    missed = any(
        key not in scanner.top_level and (key,) not in scanner.array_tables
        for key, value in data.items()
        if not isinstance(value, dict)
    )
    return _TomlScan(fields, None if missed else scanner.top_level, tuple(scanner.atoms))


@lru_cache(maxsize=8)
def _toml_top_level(source: str, base: int) -> dict[str, tuple[int, int]] | None:
    """The scanner's top-level spans, if each is the source of tomllib's value: strings were
    checked as fields, and the spans holding numbers, dates or booleans are parsed again."""
    scan = _scan_toml(source, base)
    if scan is None or scan.top_level is None:
        return None
    if scan.atoms:
        spans, data = scan.top_level, _load_toml(source)
        again = "".join(
            f"_{i} = {source[spans[key][0] - base : spans[key][1] - base]}\n"
            for i, key in enumerate(scan.atoms)
        )
        try:
            parsed = tomllib.loads(again)
        except tomllib.TOMLDecodeError:
            return None
        # repr tells 1 from 1.0 and from True, and nan equals itself
        if any(repr(parsed[f"_{i}"]) != repr(data[key]) for i, key in enumerate(scan.atoms)):
            return None
    return scan.top_level


def _raise_toml_error(
    text: str, front: FrontMatter, path: str, err: tomllib.TOMLDecodeError | RecursionError
) -> NoReturn:
    """The message for a front matter tomllib rejects: tomlkit's, where it rejects it too
    (the message extrans has always given), else tomllib's."""
    from tomlkit.exceptions import ParseError, TOMLKitError

    source = text[front.start : front.end]
    first = line_of(text, front.start)
    try:
        _parse_toml(source)
    except RecursionError as deep:
        raise _too_deep(text, front, path) from deep
    except ParseError as kit:
        raise PageError(f"invalid TOML front matter: {kit}", path, first + kit.line - 1) from kit
    except TOMLKitError:
        pass
    if isinstance(err, RecursionError):
        raise _too_deep(text, front, path) from err
    found = re.search(r"\(at line (\d+), column \d+\)", str(err))
    line = int(found[1]) if found else source.count("\n") + 1  # "(at end of document)"
    raise PageError(f"invalid TOML front matter: {err}", path, first + line - 1) from err


def _same_strings(fields: tuple[FieldValue, ...], data: dict[str, Any]) -> bool:
    """Whether ``fields`` are exactly the strings of tomllib's ``data``: same paths, same
    values, none missing."""
    for field in fields:
        node: Any = data
        for part in field.path:
            if isinstance(part, int):
                if node.__class__ is not list or part >= len(node):
                    return False
            elif node.__class__ is not dict or part not in node:
                return False
            node = node[part]
        if node.__class__ is not str or node != field.value:
            return False
    return len({field.path for field in fields}) == len(fields) == _count_strings(data)


def _count_strings(value: dict[str, Any] | list[Any]) -> int:
    count = 0
    for item in value.values() if isinstance(value, dict) else value:
        if item.__class__ is str:
            count += 1
        elif isinstance(item, dict | list):
            count += _count_strings(item)
    return count


_BLANK_LINES = r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*"
_PLAIN_STRING = r""""([^"\\\n]*)"|'([^'\n]*)'"""
_TOML_BLANK = re.compile(_BLANK_LINES + r"(?:#[^\n]*)?")
_TOML_SPACE = re.compile(r"[ \t]*")
_TOML_LINE_END = re.compile(r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")
_TOML_ATOM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9A-Za-z_+.:-]+|[0-9A-Za-z_+.:-]+"
)
# The usual line, read in one match: a bare key, and a string without escapes or a scalar.
_TOML_PLAIN_LINE = re.compile(
    _BLANK_LINES
    + rf"([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:{_PLAIN_STRING}|([0-9A-Za-z_+.:-]+))"
    + r"[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)"
)
# The usual array item, with the comma or bracket after it.
_TOML_PLAIN_ITEM = re.compile(rf"{_BLANK_LINES}(?:{_PLAIN_STRING}){_BLANK_LINES}([,\]])")
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
        code = int(short or long, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise _UnscannableError
        return chr(code)
    return ""  # a backslash that ends a line drops the line break and the indent after it


class _TomlScanner:
    """Finds the source span of every value of a TOML document tomllib has accepted."""

    def __init__(self, source: str, base: int) -> None:
        self.source = source
        self.base = base
        """What to add to an offset in ``source`` to make it one in the page."""
        self.fields: list[FieldValue] = []
        self.top_level: dict[str, tuple[int, int]] = {}
        self.atoms: list[str] = []
        """Top-level keys whose value holds a number, date or boolean."""
        self.array_tables: dict[tuple[PathPart, ...], int] = {}
        """The number of tables so far in each array of tables."""
        self._atom_count = 0

    def scan(self) -> None:
        source, base = self.source, self.base
        table: tuple[PathPart, ...] | None = None  # None: at the top level
        at = 0
        while True:
            line = _TOML_PLAIN_LINE.match(source, at)
            if line is not None:
                key, basic, literal = line.group(1, 2, 3)
                where = (key,) if table is None else (*table, key)
                if basic is not None or literal is not None:
                    group = 2 if basic is not None else 3
                    start, end = base + line.start(group) - 1, base + line.end(group) + 1
                    self.fields.append(FieldValue(where, line[group], start, end))
                else:
                    start, end = base + line.start(4), base + line.end(4)
                    self._atom_count += 1
                    if table is None:
                        self.atoms.append(key)
                if table is None:
                    self.top_level[key] = (start, end)
                at = line.end()
                continue
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
                atoms = self._atom_count
                at = self._value(start, parts if table is None else (*table, *parts))
                if table is None and len(parts) == 1:
                    self.top_level[parts[0]] = (base + start, base + at)
                    if self._atom_count > atoms:
                        self.atoms.append(parts[0])
            at = _skip(_TOML_LINE_END, source, at)

    def _key(self, at: int) -> tuple[tuple[str, ...], int]:
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
        if len(resolved) >= MAX_DEPTH:  # its keys would lie too deep: tomlkit's walk says so
            raise _UnscannableError
        return tuple(resolved)

    def _value(self, at: int, where: tuple[PathPart, ...]) -> int:
        if len(where) > MAX_DEPTH:
            raise _UnscannableError
        source = self.source
        char = source[at : at + 1]
        if char == "[":
            return self._array(at + 1, where)
        if char == "{":
            return self._inline_table(at + 1, where)
        if char not in ('"', "'"):
            self._atom_count += 1
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
            raise _UnscannableError
        source = self.source
        index = 0
        while True:
            item = _TOML_PLAIN_ITEM.match(source, at)
            if item is not None:
                group = 1 if item[1] is not None else 2
                start, end = self.base + item.start(group) - 1, self.base + item.end(group) + 1
                self.fields.append(FieldValue((*where, index), item[group], start, end))
                if item[3] == "]":
                    return item.end()
                at = item.end()
                index += 1
                continue
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


# The slow way, through tomlkit's parse tree: how extrans read TOML before, kept for the
# pages the scanner cannot vouch for.


@lru_cache(maxsize=8)
def _parse_toml(source: str) -> Any:
    import tomlkit

    return tomlkit.parse(source)


def _tomlkit_document(text: str, front: FrontMatter, path: str) -> Any:
    from tomlkit.exceptions import ParseError

    try:
        return _parse_toml(text[front.start : front.end])
    except RecursionError as err:
        raise _too_deep(text, front, path) from err
    except ParseError as err:
        raise PageError(
            f"invalid TOML front matter: {err}", path, line_of(text, front.start) + err.line - 1
        ) from err


def _toml_fields_tomlkit(text: str, front: FrontMatter, path: str) -> list[FieldValue]:
    from tomlkit.items import AoT, Array, InlineTable, String, Table

    source = text[front.start : front.end]
    document = _tomlkit_document(text, front, path)
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
            raise _nested_deeper(text, front, path)
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

    return [
        field for key, item in document.body if key is not None for field in walk(item, (key.key,))
    ]


def _toml_top_level_tomlkit(text: str, front: FrontMatter, path: str) -> dict[str, tuple[int, int]]:
    from tomlkit.items import AoT, Table

    source = text[front.start : front.end]
    found: dict[str, tuple[int, int]] = {}
    for key, item in _tomlkit_document(text, front, path).body:
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
        keys: set[str] = set()
        while True:
            at = self._skip(at)
            if not self.text.startswith('"', at):
                raise self._fail("expected a quoted key", at)
            key_start = at
            key, at = self._string(at)
            if key in keys:  # (Hugo keeps one of the two: the other's translation is lost)
                line = line_of(self.text, key_start)
                raise PageError(
                    f"duplicate key {excerpt(key)} in the front matter", self.path, line
                )
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
