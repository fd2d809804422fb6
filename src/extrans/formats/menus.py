"""Hugo menus in a configuration file: the entries' prose with its spans, and the file with
translations spliced in, or a new menus table written for a language that has none.

A menus table maps each menu's name to a list of entries (``[[menus.main]]``, or ``main:``
in a ``menus.en.yaml`` file). Hugo keys an entry by its ``identifier``, else its ``name``
(``KeyName``), and a child names its parent by that key: so when a translation changes the
name of an entry without an identifier, the source name is written as its identifier, and
the tree stays whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

from ..errors import ConfigError, PageError, excerpt, line_of
from .frontmatter import FieldValue, FrontMatter, PathPart, format_scalar, read_string_fields
from .readers import parse_config as read_config

__all__ = [
    "MENU_TEXT_FIELDS",
    "ConfigFormat",
    "MenuEntry",
    "MenuText",
    "add_menu_entries",
    "format_of",
    "menu_entries",
    "menus_document",
    "parse_config",
    "translate_menus",
]

ConfigFormat = Literal["toml", "yaml", "json"]
MENU_TEXT_FIELDS = ("name", "title", "pre", "post")
"""The properties of an entry that readers see as text (``pre`` and ``post`` are HTML
around the name: sent only when they hold words)."""
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class MenuText:
    """One property of an entry that holds prose."""

    field: str
    """The property, in lower case (``name``, ``title``, ``pre``, ``post``)."""
    value: str
    start: int
    """Offset in the file's text of the value's source (quotes included)."""
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """An entry of a menu, as a configuration file holds it."""

    menu: str
    """The menu's name (``main``)."""
    path: tuple[PathPart, ...]
    """Where the entry is in the file: ``("menus", "main", 2)``."""
    key: str
    """What Hugo keys it by, and a child names as its ``parent``: its ``identifier``, else its
    ``name``; with neither, its ``pageRef`` or ``url`` (then no child can name it)."""
    has_identifier: bool
    texts: tuple[MenuText, ...]
    """Its prose properties, in document order."""
    line: int

    @property
    def context(self) -> str:
        """The msgctxt of its texts: ``main: about``."""
        return f"{self.menu}: {self.key}"


def format_of(name: str) -> ConfigFormat | None:
    """The syntax of a configuration file, by its suffix."""
    suffix = name.rsplit(".", 1)[-1].lower()
    return {"toml": "toml", "yaml": "yaml", "yml": "yaml", "json": "json"}.get(suffix)  # type: ignore[return-value]


def parse_config(text: str, fmt: ConfigFormat, path: str) -> dict[str, Any]:
    """A configuration file's text as data, read as the site's configuration is (YAML with
    YAML 1.2's booleans: the language ``no`` is Norwegian)."""
    data = read_config(text, path, fmt)
    if not isinstance(data, dict):
        raise ConfigError("the configuration is not a mapping", path)
    return data


def _strings(text: str, fmt: ConfigFormat, path: str) -> list[FieldValue]:
    """Every string of the file with its span, through the front-matter readers."""
    try:
        return read_string_fields(text, FrontMatter(fmt, 0, len(text), len(text)), path)
    except PageError as err:
        raise ConfigError(err.message.replace(" front matter", ""), path, err.line) from err


def _at(data: object, where: Sequence[PathPart]) -> object:
    """The value at ``where``; keys match in any case, as Hugo reads them."""
    for part in where:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
            data = data[part]
        elif isinstance(data, dict):
            data = next((v for k, v in data.items() if str(k).lower() == part.lower()), None)
        else:
            return None
    return data


def _has_words(field: str, value: str) -> bool:
    shown = _TAG.sub("", value) if field in ("pre", "post") else value
    return any(char.isalpha() for char in shown)


def menu_entries(
    text: str, fmt: ConfigFormat, table: tuple[str, ...], path: str
) -> list[MenuEntry]:
    """The entries of the menus table at ``table`` in a configuration file (``()`` for a
    ``menus.*`` file, whose top level is that table), menu by menu, each in file order. A menu
    that is not a list of tables is an error, as Hugo reports it."""
    data = parse_config(text, fmt, path)
    menus = _at(data, table)
    if menus is None:
        return []
    if not isinstance(menus, dict):
        raise ConfigError(f"'{'.'.join(table)}' must be a table of menus", path)
    real = _real_path(data, table)
    strings = _strings(text, fmt, path)
    by_path = {field.path: field for field in strings}
    entries: list[MenuEntry] = []
    for menu, items in menus.items():
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            where = next((f for f in strings if f.path[: len(real) + 1] == (*real, menu)), None)
            line = line_of(text, where.start) if where else None
            raise ConfigError(f"the menu {excerpt(menu)} must be a list of entries", path, line)
        for index, item in enumerate(items):
            entry_path: tuple[PathPart, ...] = (*real, str(menu), index)
            props = {str(k).lower(): v for k, v in item.items()}
            texts = []
            for key in item:
                field = by_path.get((*entry_path, str(key)))
                low = str(key).lower()
                if field is not None and low in MENU_TEXT_FIELDS and _has_words(low, field.value):
                    texts.append(
                        MenuText(
                            low, field.value, field.start, field.end, line_of(text, field.start)
                        )
                    )
            texts.sort(key=lambda t: t.start)
            key_name = next(
                (str(props[k]) for k in ("identifier", "name", "pageref", "url") if props.get(k)),
                "",
            )
            located = [f.start for f in strings if f.path[: len(entry_path)] == entry_path]
            entries.append(
                MenuEntry(
                    menu=str(menu),
                    path=entry_path,
                    key=key_name,
                    has_identifier=bool(props.get("identifier")),
                    texts=tuple(texts),
                    line=line_of(text, min(located)) if located else 1,
                )
            )
    return entries


def _real_path(data: object, table: Sequence[str]) -> tuple[str, ...]:
    """``table`` with each key as the file spells it (``Menus``, ``Languages``)."""
    out: list[str] = []
    for part in table:
        if not isinstance(data, dict):
            break
        key = next((k for k in data if str(k).lower() == part.lower()), part)
        out.append(str(key))
        data = data[key]
    return tuple(out)


def translate_menus(
    text: str,
    fmt: ConfigFormat,
    table: tuple[str, ...],
    path: str,
    wanted: Mapping[tuple[str, str], str],
) -> str:
    """``text`` with the prose of each entry of its menus table replaced: ``wanted`` maps an
    entry's context (``main: about``) and property (``name``) to its new text. Every other
    byte stays; an entry or property ``wanted`` does not name keeps its text. An entry without
    an identifier whose name changes gets the old name as its identifier, so that Hugo keys it
    (and finds it as a parent) as in the source. The result is read back: it must hold the
    same data but for the texts replaced, or this is an error."""
    entries = menu_entries(text, fmt, table, path)
    data = parse_config(text, fmt, path)
    edits: list[tuple[int, int, str]] = []
    for entry in entries:
        item = _at(data, entry.path)
        assert isinstance(item, dict)
        renamed = False
        for piece in entry.texts:
            new = wanted.get((entry.context, piece.field))
            if new is None or new == piece.value:
                continue
            original = text[piece.start : piece.end]
            if fmt == "yaml" and _in_flow(text, piece.start) and not _FLOW_PLAIN.fullmatch(new):
                original = '"'  # (PyYAML refuses some plain scalars in a flow mapping: "a?")
            edits.append((piece.start, piece.end, format_scalar(fmt, original, new)))
            item[next(k for k in item if str(k).lower() == piece.field)] = new
            renamed = renamed or piece.field == "name"
        if renamed and not entry.has_identifier:
            name = next(p for p in entry.texts if p.field == "name")
            at, insert = _identifier_insert(text, fmt, name, entry.key)
            edits.append((at, at, insert))
            item.pop(next((k for k in item if str(k).lower() == "identifier"), "identifier"), None)
            item["identifier"] = entry.key
    out = text
    for start, end, new in sorted(edits, reverse=True):
        out = out[:start] + new + out[end:]
    _check_reads_as(out, fmt, path, data)
    return out


_FLOW_PLAIN = re.compile(r"[^\W_](?:[\w .'-]*[\w.])?")
"""A text a YAML flow mapping can hold unquoted: words, spaces, ``. ' -`` inside."""
_BEFORE_FLOW_VALUE = re.compile(r"""[{,]\s*(?:"[^"\n]*"|'[^'\n]*'|[\w-]+)\s*:\s*$""")


def _in_flow(text: str, start: int) -> bool:
    """Whether the YAML value at ``start`` is a value of a flow mapping (``{name: A}``)."""
    return _BEFORE_FLOW_VALUE.search(text, max(0, start - 200), start) is not None


_KEY_BEFORE = re.compile(r"""(?P<key>"[^"\n]*"|'[^'\n]*'|[\w-]+)(?P<sep>[ \t]*[:=][ \t]*)$""")


def _identifier_insert(text: str, fmt: ConfigFormat, name: MenuText, key: str) -> tuple[int, str]:
    """Where and what to insert to give the entry whose ``name`` is at ``name`` an
    identifier: a line of its own under a name on a line of its own (a block mapping, a
    TOML table), else ``, identifier: ...`` right after the name (a flow mapping, an inline
    table, JSON)."""
    line_start = text.rfind("\n", 0, name.start) + 1
    line_end = text.find("\n", name.end)
    line_end = len(text) if line_end == -1 else line_end
    before = _KEY_BEFORE.search(text, line_start, name.start)
    sep = " = " if fmt == "toml" else ": "
    quoted_key = '"identifier"' if fmt == "json" else "identifier"
    value = format_scalar(fmt, '"', key)
    rest = text[name.end : line_end].strip()
    if fmt != "json" and before is not None and (not rest or rest.startswith("#")):
        head = text[line_start : before.start()]
        indent = "".join(char if char in " \t" else " " for char in head)
        crlf = text[line_end - 1 : line_end] == "\r"
        at = line_end - 1 if crlf else line_end
        newline = "\r\n" if crlf else "\n"
        return at, f"{newline}{indent}{quoted_key}{before['sep']}{value}"
    return name.end, f", {quoted_key}{sep}{value}"


def _check_reads_as(text: str, fmt: ConfigFormat, path: str, expected: object) -> None:
    """Refuse a written file that does not read back as ``expected``: a translation must
    never add, drop or retype a key."""
    try:
        got = parse_config(text, fmt, path)
    except ConfigError as err:
        raise ConfigError(f"the translated menus would not read back: {err.message}", path) from err
    if got != expected:
        raise ConfigError("the translated menus would not read back as written; not written", path)


def menus_document(
    fmt: ConfigFormat, menus: Mapping[str, Sequence[Mapping[str, Any]]], path: str
) -> str:
    """A new ``menus.<code>.*`` file holding ``menus``, read back to make sure it holds
    them."""
    plain = {menu: [dict(entry) for entry in entries] for menu, entries in menus.items()}
    try:
        text = _document(fmt, plain)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"cannot write the menus in {fmt.upper()}: {err}", path) from err
    _check_reads_as(text, fmt, path, plain)
    return text


def _document(fmt: ConfigFormat, plain: dict[str, list[dict[str, Any]]]) -> str:
    if fmt == "json":
        text = json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "yaml":
        lines: list[str] = []
        for menu, entries in plain.items():
            lines.append(f"{_yaml_key(menu)}:")
            for entry in entries:
                dash = "- "
                for key, value in entry.items():
                    lines.append(f"{dash}{_yaml_key(key)}: {_flow(value)}")
                    dash = "  "
        text = "\n".join(lines) + "\n"
    else:
        blocks = [
            f"[[{_toml_key(menu)}]]\n"
            + "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in entry.items())
            for menu, entries in plain.items()
            for entry in entries
        ]
        text = "\n".join(blocks)
    return text


def add_menu_entries(
    text: str,
    table: tuple[str, ...],
    path: str,
    entries: Sequence[tuple[str, Mapping[str, Any]]],
) -> str:
    """A TOML file with ``entries`` (each a menu's name and an entry) appended to its menus
    table at ``table`` as ``[[table.menu]]`` tables, read back to make sure nothing else
    changed."""
    if not entries:
        return text
    data = parse_config(text, "toml", path)
    real = _real_path(data, table)
    blocks = [
        f"[[{'.'.join(_toml_key(part) for part in (*real, menu))}]]\n"
        + "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in entry.items())
        for menu, entry in entries
    ]
    separator = "" if not text or text.endswith("\n\n") else "\n" if text.endswith("\n") else "\n\n"
    out = text + separator + "\n".join(blocks)
    menus: Any = data
    for part in real:
        menus = menus[part]
    for menu, entry in entries:
        menus.setdefault(menu, []).append(dict(entry))
    _check_reads_as(out, "toml", path, data)
    return out


def _yaml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z_][\w-]*", key) else json.dumps(key, ensure_ascii=False)


def _flow(value: object) -> str:
    """A value as YAML flow text (JSON, which YAML 1.2 reads as the same data)."""
    return _toml_value(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else format_scalar("toml", '"', key)


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return format_scalar("toml", '"', value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{" + pairs + "}"
    raise ValueError(f"cannot write {excerpt(value)} in a menu entry")
