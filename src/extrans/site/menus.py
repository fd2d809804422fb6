"""Where a Hugo site's configuration holds its menus, for each language, and the source
language's entries as a page to extract (the catalog ``menus``).

Hugo reads menus from ``menus`` (``menu`` before Hugo 0.53, still read) at the top level of
its configuration, the menus of every language without its own, and from
``languages.<code>.menus``, the menus of that language alone, which replace the others
whole. In ``config/_default/`` (and the environment's folder) a ``menus.*`` file is the
top-level table, ``menus.<code>.*`` a language's, and ``languages.*`` /
``languages.<code>.*`` hold the languages' tables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError, excerpt
from ..formats.menus import (
    ConfigFormat,
    MenuEntry,
    format_of,
    menu_entries,
    menus_document,
    parse_config,
    translate_menus,
)
from ..model import Segment, SourcePage
from ..plumbing.fsio import read_inside
from .config import Settings, find_hugo_config

__all__ = [
    "MENUS_KEY",
    "MenuPlace",
    "MenuTarget",
    "build_menus",
    "hugo_config_files",
    "menu_places",
    "menus_page",
    "menus_target",
    "read_site_file",
]

MENUS_KEY = "menus"
"""The catalog of the menus: ``locale/<lang>/menus.po``."""
_NAMES = ("menus", "menu")
_EXTENSIONS = ("toml", "yaml", "yml", "json")


@dataclass(frozen=True, slots=True)
class MenuPlace:
    """A menus table of the Hugo configuration."""

    path: str
    """The file, from the site root, ``/``-separated."""
    format: ConfigFormat
    table: tuple[str, ...]
    """Where the table is in the file (``("languages", "es", "menus")``; ``()`` for a
    ``menus.*`` file)."""
    language: str | None
    """The language whose menus it holds; ``None``: every language without menus of its own."""


@dataclass(frozen=True, slots=True)
class MenuTarget:
    """Where build writes a language's menus, and how."""

    path: str
    format: ConfigFormat
    table: tuple[str, ...]
    how: Literal["edit", "new-file"]
    """``edit``: the language's menus table is there, and its entries are translated in
    place; ``new-file``: a ``menus.<code>.*`` file is written."""


def read_site_file(settings: Settings, path: str) -> str | None:
    """A file of the site as text (``None`` if there is none); one that a symlink leads
    outside the site is refused."""
    root = settings.site_root
    try:
        data = read_inside(root / path, path, root, error=ConfigError)
    except OSError as err:
        raise ConfigError(f"cannot read: {err.strerror}", path) from err
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"cannot read: {err}", path) from err


def hugo_config_files(root: Path) -> list[tuple[str, str, str | None]]:
    """The Hugo configuration files of the site at ``root`` in the order Hugo merges them,
    each with its stem and language code: the site's own ``hugo.*`` or ``config.*``
    (``main``), then each file of ``config/_default/`` and of the environment's folder
    (``menus.es.toml``: ``menus``, ``es``; ``hugo.toml``: ``main``)."""
    found: list[tuple[str, str, str | None]] = []
    main = find_hugo_config(root)
    if main is not None and main.parent == root:
        found.append((main.name, "main", None))
    environment = os.environ.get("HUGO_ENVIRONMENT") or "production"
    for folder in dict.fromkeys(("config/_default", f"config/{environment}")):
        if not (root / folder).is_dir():
            continue
        for entry in sorted((root / folder).iterdir()):
            parts = entry.name.split(".")
            if parts[-1] not in _EXTENSIONS or not entry.is_file() or len(parts) > 3:
                continue
            stem, code = parts[0], parts[1] if len(parts) == 3 else None
            if stem in ("hugo", "config"):
                stem = "main"
            if stem != "main" or code is None:
                found.append((f"{folder}/{entry.name}", stem, code))
    return found


def _files(root: Path) -> list[tuple[str, str]]:
    """The configuration files that may hold menus, each with what it holds: ``main``,
    ``menus``, ``menus.<code>``, ``languages`` or ``languages.<code>``."""
    return [
        (path, ("menus" if stem in _NAMES else stem) + (f".{code}" if code else ""))
        for path, stem, code in hugo_config_files(root)
        if stem in ("main", *_NAMES, "languages")
    ]


def menu_places(settings: Settings) -> list[MenuPlace]:
    """Every menus table in the site's Hugo configuration, in the order Hugo merges them."""
    places: list[MenuPlace] = []
    for path, holds in _files(settings.site_root):
        fmt = format_of(path)
        assert fmt is not None
        if holds.startswith("menus"):
            code = holds.partition(".")[2] or None
            places.append(MenuPlace(path, fmt, (), code))
            continue
        text = read_site_file(settings, path) or ""
        data = _lowered(parse_config(text, fmt, path))
        if holds == "main":
            places += [MenuPlace(path, fmt, (name,), None) for name in _NAMES if name in data]
            languages = data.get("languages")
            prefix: tuple[str, ...] = ("languages",)
        elif holds == "languages":
            languages, prefix = data, ()
        else:  # languages.<code>: one language's table
            languages, prefix = {holds.partition(".")[2]: data}, ()
        if holds.startswith("languages.") or not isinstance(languages, dict):
            if holds.startswith("languages."):
                code = holds.partition(".")[2]
                places += [MenuPlace(path, fmt, (name,), code) for name in _NAMES if name in data]
            continue
        for code, table in languages.items():
            if isinstance(table, dict):
                names = [name for name in _NAMES if name in _lowered(table)]
                places += [MenuPlace(path, fmt, (*prefix, code, name), code) for name in names]
    return places


def _lowered(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in mapping.items()}


def _source_places(settings: Settings, places: list[MenuPlace]) -> list[MenuPlace]:
    """The tables Hugo reads the source language's menus from: its own, else the top-level
    ones."""
    own = [place for place in places if place.language == settings.source_language]
    return own or [place for place in places if place.language is None]


def _source(settings: Settings) -> tuple[MenuPlace, str] | None:
    """The one file holding the source language's menus, and its text."""
    places = _source_places(settings, menu_places(settings))
    if not places:
        return None
    files = dict.fromkeys(place.path for place in places)
    if len(files) > 1:
        first, second = list(files)[:2]
        raise ConfigError(
            f"the menus of {excerpt(settings.source_language)} are in {first} and in this "
            "file: extrans translates the menus of one file; move them into one",
            second,
        )
    place = places[0]
    return place, read_site_file(settings, place.path) or ""


def _entries(place: MenuPlace, text: str) -> list[MenuEntry]:
    return menu_entries(text, place.format, place.table, place.path)


def menus_page(settings: Settings) -> SourcePage | None:
    """The source language's menu entries as a page whose segments are their prose, each
    with the entry's menu and key as context (``main: about``); ``None`` for a site without
    menus in its configuration."""
    found = _source(settings)
    if found is None:
        return None
    place, text = found
    segments = [
        Segment(
            text=piece.value,
            origin=f"menu {entry.menu}: {piece.field}",
            line=piece.line,
            start=piece.start,
            end=piece.end,
            context=entry.context,
        )
        for entry in _entries(place, text)
        for piece in entry.texts
    ]
    return SourcePage(place.path, MENUS_KEY, place.format, tuple(segments))


def menus_target(settings: Settings, language: str) -> MenuTarget | None:
    """Where ``language``'s menus are written: its own menus table where it has one (edited
    in place), else a new ``menus.<code>.*`` file, in the syntax of the source's menus,
    beside the source's ``menus.*`` file or in ``config/_default/``, where Hugo reads it
    over the site's own configuration file: build never rewrites a configuration file that
    holds anything but menus. ``None`` for a site without menus."""
    places = menu_places(settings)
    own = [place for place in places if place.language == language]
    if own:
        place = own[-1]  # (the one Hugo reads last wins)
        return MenuTarget(place.path, place.format, place.table, "edit")
    source = _source_places(settings, places)
    if not source:
        return None
    first = source[0]
    folder, _, name = first.path.rpartition("/")
    if first.table != () or not folder:
        folder = "config/_default"
    path = f"{folder}/menus.{language}.{name.rsplit('.', 1)[-1]}"
    return MenuTarget(path, first.format, (), "new-file")


def build_menus(
    settings: Settings,
    target: MenuTarget,
    target_text: str | None,
    translations: Mapping[tuple[str | None, str], str],
) -> str | None:
    """The text of ``target``'s file with the language's menus translated (``translations``:
    msgctxt and msgid → msgstr, the catalog's translated entries); ``None`` when there is
    nothing to write (no menus, or the file would not change)."""
    found = _source(settings)
    if found is None:
        return None
    place, text = found
    wanted: dict[tuple[str, str], str] = {}
    for entry in _entries(place, text):
        for piece in entry.texts:
            translated = translations.get((entry.context, piece.value))
            if translated:
                wanted[(entry.context, piece.field)] = translated
    if target.how == "edit":
        if target_text is None:  # pragma: no cover (found in the file just read)
            return None
        new = translate_menus(target_text, target.format, target.table, target.path, wanted)
        return new if new != target_text else None
    translated_source = translate_menus(text, place.format, place.table, place.path, wanted)
    if place.table == ():
        return translated_source  # (the source's file, comments and all, translated)
    menus = _table_of(parse_config(translated_source, place.format, place.path), place.table)
    return menus_document(target.format, menus, target.path)


def _table_of(data: Mapping[str, Any], table: tuple[str, ...]) -> dict[str, Any]:
    value: Any = data
    for part in table:
        value = next(v for k, v in value.items() if str(k).lower() == part.lower())
    assert isinstance(value, dict)
    return value
