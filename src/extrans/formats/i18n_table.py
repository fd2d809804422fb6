"""Hugo's i18n string tables (``i18n/en.toml``): their strings, with their spans, and a
language's table written back from translations, every other byte kept.

Hugo reads them with go-i18n, in every form it accepts: ``id = "text"`` (flat), a table per
id with ``other`` (and ``one``, ``few``... the CLDR plural categories) or ``translation``,
nested tables (the id is the dotted path: ``[nav.home]``), and go-i18n v1's list of
``{id, translation}`` records. The values are read and written by the front-matter readers
(``frontmatter.read_document_strings``, ``format_scalar``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import PageError, excerpt, line_of
from .frontmatter import FieldValue, format_scalar, read_document_strings

__all__ = [
    "CATEGORIES",
    "I18nTable",
    "TableEntry",
    "TableFormat",
    "TableString",
    "read_i18n_table",
    "table_format",
    "write_i18n_table",
]

TableFormat = Literal["toml", "yaml", "json"]
CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""The CLDR plural categories, in CLDR's order."""
_SUFFIXES: dict[str, TableFormat] = {
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
}
_RESERVED = frozenset(("id", "description", "hash", "leftdelim", "rightdelim", "translation"))
_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_YAML_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


def table_format(path: str) -> TableFormat | None:
    """The format of a table file by its name, or ``None`` for a file Hugo does not read."""
    dot = path.rfind(".")
    return _SUFFIXES.get(path[dot:].lower()) if dot >= 0 else None


@dataclass(frozen=True, slots=True)
class TableString:
    """One string of a table: an id's text in one plural category."""

    category: str
    """``other`` for a flat string or a ``translation``."""
    value: str
    start: int
    """Offset of the scalar's source text (quotes included)."""
    end: int
    key: str
    """The key it stands under, as read (``other``, ``translation``, or the id's last part)."""


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One message id and its strings."""

    id: str
    strings: tuple[TableString, ...]
    """In document order, one per category."""
    flat: bool
    """A bare string (``id = "text"``, v1's ``translation: text``), not a table of
    categories."""

    @property
    def plural(self) -> bool:
        """Whether it has a category besides ``other``: a plural entry."""
        return any(string.category != "other" for string in self.strings)

    def text(self, category: str) -> str | None:
        return next((s.value for s in self.strings if s.category == category), None)


@dataclass(frozen=True, slots=True)
class I18nTable:
    format: TableFormat
    entries: tuple[TableEntry, ...]
    listed: bool
    """go-i18n v1's list of records at the top, not a mapping."""


def read_i18n_table(text: str, path: str, format: TableFormat) -> I18nTable:
    """The entries of a table, in document order; a duplicate id is an error (go-i18n keeps
    one of the two, and the other's translation would be lost)."""
    fields = read_document_strings(text, format, path)
    if fields:
        listed = isinstance(fields[0].path[0], int)
    else:
        lines = (line.strip() for line in text.lstrip("\ufeff").splitlines())
        first = next((line for line in lines if line and not line.startswith("#")), "")
        listed = format != "toml" and first.startswith("-" if format == "yaml" else "[")
    groups: dict[str, list[tuple[TableString, bool]]] = {}
    ids: dict[tuple[object, ...], str] = {}
    if listed:
        ids = {f.path[:1]: f.value for f in fields if len(f.path) == 2 and f.path[1] == "id"}
    for field in fields:
        found = _string_of(field, ids, listed)
        if found is None:
            continue
        message_id, string, flat = found
        group = groups.setdefault(message_id, [])
        if any(s.category == string.category for s, _ in group):
            raise PageError(
                f"the id {excerpt(message_id)} has its {string.category!r} text twice",
                path,
                line_of(text, field.start),
            )
        group.append((string, flat))
    entries = tuple(
        TableEntry(message_id, tuple(s for s, _ in group), all(flat for _, flat in group))
        for message_id, group in groups.items()
    )
    return I18nTable(format, entries, listed)


def _string_of(
    field: FieldValue, ids: Mapping[tuple[object, ...], str], listed: bool
) -> tuple[str, TableString, bool] | None:
    """The id, the string and whether it is flat, of a scalar that is a message's text."""
    where = field.path
    if listed:
        if len(where) < 2 or where[1] != "translation" or len(where) > 3:
            return None
        message_id = ids.get(where[:1])
        if message_id is None:
            return None
        category = "other" if len(where) == 2 else str(where[2]).lower()
        if category not in CATEGORIES:
            return None
        string = TableString(category, field.value, field.start, field.end, str(where[-1]))
        return message_id, string, len(where) == 2
    names = [str(part) for part in where]
    last = names[-1].lower()
    if len(names) > 1 and (last in CATEGORIES or last == "translation"):
        category = "other" if last == "translation" else last
        string = TableString(category, field.value, field.start, field.end, names[-1])
        return ".".join(names[:-1]), string, last == "translation"
    if len(names) > 1 and last in _RESERVED:
        return None  # (a description, a hash: not shown to readers)
    return (
        ".".join(names),
        TableString("other", field.value, field.start, field.end, names[-1]),
        True,
    )


# --- writing a language's table -----------------------------------------------------------


def write_i18n_table(
    source: str,
    existing: str | None,
    path: str,
    format: TableFormat,
    texts: Mapping[str, Mapping[str, str]],
    target_format: TableFormat | None = None,
) -> str:
    """The language's table (in ``target_format``, the source's ``format`` unless the
    language's table is in another): ``existing`` (or, when there is none, a new table in
    the source's form) with each id's ``texts`` (category → text) written in place, keeping
    order, comments and quoting; a category or an id the table lacks is added (ids in the
    order of ``texts``). Ids and categories without a text stay as they are, or, in a new
    table, are left out, so that Hugo falls back to the default language."""
    target_format = target_format or format
    source_table = read_i18n_table(source, path, format)
    if existing is None:
        complete = {entry.id for entry in source_table.entries} <= texts.keys()
        if complete and target_format == format:
            existing = source
        else:
            existing = _empty(target_format, source_table.listed)
    table = read_i18n_table(existing, path, target_format)
    flat_source = {entry.id for entry in source_table.entries if entry.flat}
    edits: list[tuple[int, int, str]] = []
    present = {entry.id: entry for entry in table.entries}
    for entry in table.entries:
        wanted = texts.get(entry.id)
        if wanted:
            edits += _entry_edits(existing, target_format, entry, wanted)
    added = [
        (message_id, wanted)
        for message_id, wanted in texts.items()
        if message_id not in present and wanted
    ]
    out = _spliced(existing, edits)
    if added:
        listed = table.listed if table.entries else source_table.listed
        out = _appended(out, path, target_format, listed, added, flat_source)
    _check_written(out, path, target_format, texts, present.keys())
    return out


def _empty(format: TableFormat, listed: bool) -> str:
    if format == "json":
        return "[]\n" if listed else "{}\n"
    return ""


def _entry_edits(
    text: str, format: TableFormat, entry: TableEntry, wanted: Mapping[str, str]
) -> list[tuple[int, int, str]]:
    """The replacements that give ``entry`` the ``wanted`` texts."""
    if entry.flat and set(wanted) != {"other"}:
        # A bare string becomes a table of categories, written inline where it stood.
        only = entry.strings[0]
        inline = _inline_table(format, {c: wanted[c] for c in CATEGORIES if c in wanted})
        return [(only.start, only.end, inline)]
    edits: list[tuple[int, int, str]] = []
    for string in entry.strings:
        new = wanted.get(string.category)
        if new is not None and new != string.value:
            original = text[string.start : string.end]
            edits.append((string.start, string.end, format_scalar(format, original, new)))
    missing = [c for c in CATEGORIES if c in wanted and entry.text(c) is None]
    if missing:
        edits += _categories_added(text, format, entry, {c: wanted[c] for c in missing})
    return edits


def _categories_added(
    text: str, format: TableFormat, entry: TableEntry, texts: Mapping[str, str]
) -> list[tuple[int, int, str]]:
    """Insertions of ``texts``' categories in the entry's style: on lines of their own at its
    indentation, each before the first of the entry's categories that CLDR puts after it
    (``many`` before ``other``), or as more members of an inline table."""
    last = max(entry.strings, key=lambda s: s.start)
    if format == "json" or _own_line(text, last) is None:
        members = "".join(f", {_member(format, c, v)}" for c, v in texts.items())
        return [(last.end, last.end, members)]
    edits: list[tuple[int, int, str]] = []
    for category, value in texts.items():
        after = [
            s for s in entry.strings if CATEGORIES.index(s.category) > CATEGORIES.index(category)
        ]
        before = min(after, key=lambda s: s.start) if after else None
        if before is not None and (start := _own_line(text, before)) is not None:
            indent = text[start : len(text) - len(text[start:].lstrip(" \t"))]
            newline = "\r\n" if text.startswith("\r\n", text.find("\n", start) - 1) else "\n"
            edits.append((start, start, f"{indent}{_member(format, category, value)}{newline}"))
            continue
        start = _own_line(text, last)
        assert start is not None
        indent = text[start : len(text) - len(text[start:].lstrip(" \t"))]
        line = f"\n{indent}{_member(format, category, value)}"
        if text[last.end - 1 : last.end] == "\n":  # (a YAML block scalar ends after its line)
            edits.append((last.end, last.end, line[1:] + "\n"))
            continue
        eol = text.find("\n", last.end)
        eol = len(text) if eol < 0 else eol
        if text[eol - 1 : eol] == "\r":
            eol -= 1
        edits.append((eol, eol, line))
    return edits


def _own_line(text: str, string: TableString) -> int | None:
    """Where the line of ``string`` starts, if its key starts that line (``other = "x"``);
    ``None`` for a string in an inline table or a flow mapping."""
    line_start = text.rfind("\n", 0, string.start) + 1
    line = text[line_start : string.start]
    if re.fullmatch(rf"[ \t]*['\"]?{re.escape(string.key)}['\"]?[ \t]*[:=][ \t]*", line):
        return line_start
    return None


def _member(format: TableFormat, key: str, value: str) -> str:
    separator = " = " if format == "toml" else ": "
    return f"{_key(format, key)}{separator}{_scalar(format, value)}"


def _scalar(format: TableFormat, value: str) -> str:
    return format_scalar(format, '"', value)


def _key(format: TableFormat, key: str) -> str:
    if format == "toml" and _TOML_BARE_KEY.fullmatch(key):
        return key
    if format == "yaml" and _YAML_PLAIN_KEY.fullmatch(key) and key.lower() not in _YAML_WORDS:
        return key
    return _scalar(format, key)


_YAML_WORDS = frozenset(("true", "false", "yes", "no", "on", "off", "null", "y", "n"))
"""Keys YAML 1.1 would read as something else than a string."""


def _inline_table(format: TableFormat, texts: Mapping[str, str]) -> str:
    if format == "toml":
        return "{ " + ", ".join(_member(format, c, v) for c, v in texts.items()) + " }"
    return "{" + ", ".join(_member(format, c, v) for c, v in texts.items()) + "}"


def _spliced(text: str, edits: Sequence[tuple[int, int, str]]) -> str:
    out: list[str] = []
    last = 0
    for start, end, new in sorted(edits, key=lambda edit: edit[:2]):
        out += [text[last:start], new]
        last = end
    return "".join(out) + text[last:]


def _appended(
    text: str,
    path: str,
    format: TableFormat,
    listed: bool,
    added: Sequence[tuple[str, Mapping[str, str]]],
    flat_source: frozenset[str] | set[str],
) -> str:
    """``text`` with the ``added`` ids at its end, in its form."""
    newline = "\r\n" if "\r\n" in text else "\n"
    blocks: list[str] = []
    tables = format == "toml" and (
        _TABLE_HEADER.search(text) is not None
        or any(set(texts) != {"other"} or mid not in flat_source for mid, texts in added)
    )
    for message_id, texts in added:
        ordered = {c: texts[c] for c in CATEGORIES if c in texts}
        flat = set(ordered) == {"other"} and message_id in flat_source
        if format == "toml":
            if tables:
                body = "".join(f"{_member(format, c, v)}\n" for c, v in ordered.items())
                blocks.append(f"\n[{_key(format, message_id)}]\n{body}")
            else:
                blocks.append(f"{_member(format, message_id, ordered['other'])}\n")
        elif format == "yaml":
            if listed:
                value = _yaml_value(ordered, flat, "    ")
                blocks.append(f"- id: {_scalar(format, message_id)}\n  translation:{value}")
            else:
                blocks.append(f"{_key(format, message_id)}:{_yaml_value(ordered, flat, '  ')}")
        else:
            value = (
                _scalar(format, ordered["other"])
                if flat
                else "{" + ", ".join(_member(format, c, v) for c, v in ordered.items()) + "}"
            )
            if listed:
                blocks.append(f'{{"id": {_scalar(format, message_id)}, "translation": {value}}}')
            else:
                blocks.append(f"{_scalar(format, message_id)}: {value}")
    if format == "json":
        return _json_appended(text, blocks, listed, newline, path)
    body = "".join(blocks)
    if format == "toml" and tables and not text.strip():
        body = body[1:]  # (no blank line before the first table of a new file)
    body = body.replace("\n", newline)
    if text and not text.endswith("\n"):
        text += newline
    return text + body


def _yaml_value(texts: Mapping[str, str], flat: bool, indent: str) -> str:
    if flat:
        return f" {_scalar('yaml', texts['other'])}\n"
    return "".join(f"\n{indent}{_member('yaml', c, v)}" for c, v in texts.items()) + "\n"


def _json_appended(text: str, blocks: Sequence[str], listed: bool, newline: str, path: str) -> str:
    """``blocks`` as the last members of the JSON object (or items of the list) ``text``."""
    closer = "]" if listed else "}"
    end = len(text.rstrip(" \t\r\n"))
    if end == 0 or text[end - 1] != closer:
        raise PageError(f"its top level is not a JSON {'list' if listed else 'object'}", path)
    opener = text.rfind("[" if listed else "{", 0, end)
    inner = text[: end - 1].rstrip(" \t\r\n")
    empty = inner.endswith("[" if listed else "{") and inner.rfind("[" if listed else "{") == opener
    found = re.search(r"\n([ \t]+)\S", text)
    indent = found[1] if found else "  "
    members = ("," + newline).join(indent + block for block in blocks)
    lead = newline if empty else "," + newline
    return inner + lead + members + newline + closer + text[end:]


def _check_written(
    text: str,
    path: str,
    format: TableFormat,
    texts: Mapping[str, Mapping[str, str]],
    kept: Collection[str],
) -> None:
    """Read the written table back: every text where it was meant to go. Whatever a
    translation holds (quotes, newlines, ``\"\"\"``, YAML indicators), a table that would
    read otherwise is never written."""
    try:
        table = read_i18n_table(text, path, format)
    except PageError as err:
        raise PageError(
            f"left as it is: the translations would not read back ({err.message}); "
            "please report this",
            path,
        ) from err
    read = {entry.id: entry for entry in table.entries}
    for message_id, wanted in texts.items():
        entry = read.get(message_id)
        for category, value in wanted.items():
            if entry is None or entry.text(category) != value:
                raise PageError(
                    f"left as it is: the translation of {excerpt(message_id)} would not read "
                    "back as written; please report this",
                    path,
                )
    if not read.keys() <= {*kept, *texts}:
        raise PageError(
            "left as it is: the translations would add ids to it; please report this", path
        )
