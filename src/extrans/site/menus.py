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
from typing import Any

from ..errors import ConfigError, ExtransError, excerpt, file_problem
from ..formats.menus import (
    ConfigFormat,
    add_menu_entries,
    format_of,
    menu_entries,
    menus_document,
    parse_config,
    translate_menus,
)
from ..model import Segment, SiteFile, SiteListing, SiteWrite, SourcePage
from ..plumbing.fsio import read_inside
from .config import Settings, find_hugo_config

__all__ = [
    "MENUS_KEY",
    "MenuPlace",
    "hugo_config_files",
    "list_menus",
    "menu_places",
    "menus_target",
    "places_in",
    "read_config_text",
    "read_menus",
    "write_menus",
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


def read_config_text(settings: Settings, path: str) -> str | None:
    """A configuration file of the site as text (``None`` if there is none); one that a
    symlink leads outside the site is refused."""
    root = settings.site_root
    try:
        data = read_inside(root / path, path, root, error=ConfigError)
    except OSError as err:
        raise ConfigError(f"cannot read: {file_problem(err)}", path) from err
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"cannot read: {err}", path) from err


def _role(path: str) -> tuple[str, str | None]:
    """What a configuration file holds, by its name: ``("main", None)`` for the site's own
    file or a ``hugo.*`` of a configuration folder, else its stem and language code
    (``menus.es.toml``: ``("menus", "es")``)."""
    folder, _, name = path.rpartition("/")
    parts = name.split(".")
    stem, code = parts[0], parts[1] if len(parts) == 3 else None
    if not folder or stem in ("hugo", "config"):
        return "main", None
    return stem, code


def hugo_config_files(root: Path) -> list[str]:
    """The Hugo configuration files of the site at ``root`` in the order Hugo merges them:
    the site's own ``hugo.*`` or ``config.*``, then each file of ``config/_default/`` and of
    the environment's folder (``HUGO_ENVIRONMENT``, else ``production``)."""
    found: list[str] = []
    main = find_hugo_config(root)
    if main is not None and main.parent == root:
        found.append(main.name)
    environment = os.environ.get("HUGO_ENVIRONMENT") or "production"
    for folder in dict.fromkeys(("config/_default", f"config/{environment}")):
        if not (root / folder).is_dir():
            continue
        for entry in sorted((root / folder).iterdir()):
            parts = entry.name.split(".")
            longest = 2 if parts[0] in ("hugo", "config") else 3
            if parts[-1] in _EXTENSIONS and len(parts) <= longest and entry.is_file():
                found.append(f"{folder}/{entry.name}")
    return found


def places_in(path: str, text: str) -> list[MenuPlace]:
    """The menus tables of one configuration file, from its name and text."""
    stem, code = _role(path)
    fmt = format_of(path)
    if fmt is None or stem not in ("main", "languages", *_NAMES):
        return []
    if stem in _NAMES:
        return [MenuPlace(path, fmt, (), code)]
    data = _lowered(parse_config(text, fmt, path))
    places: list[MenuPlace] = []
    if stem == "languages" and code is not None:  # (one language's table)
        return [MenuPlace(path, fmt, (name,), code) for name in _NAMES if name in data]
    if stem == "main":
        places += [MenuPlace(path, fmt, (name,), None) for name in _NAMES if name in data]
    languages = data.get("languages") if stem == "main" else data
    prefix: tuple[str, ...] = ("languages",) if stem == "main" else ()
    for language, table in (languages or {}).items() if isinstance(languages, dict) else ():
        if isinstance(table, dict):
            names = [name for name in _NAMES if name in _lowered(table)]
            places += [MenuPlace(path, fmt, (*prefix, language, name), language) for name in names]
    return places


def menu_places(settings: Settings) -> list[MenuPlace]:
    """Every menus table in the site's Hugo configuration, in the order Hugo merges them."""
    places: list[MenuPlace] = []
    for path in hugo_config_files(settings.site_root):
        stem, _ = _role(path)
        if stem in ("main", "languages", *_NAMES):
            text = "" if stem in _NAMES else (read_config_text(settings, path) or "")
            places += places_in(path, text)
    return places


def _lowered(mapping: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(key).lower(): value for key, value in mapping.items()}


def _language_places(places: list[MenuPlace], language: str) -> list[MenuPlace]:
    """The tables Hugo reads ``language``'s menus from: its own, else the top-level ones."""
    own = [place for place in places if place.language == language]
    return own or [place for place in places if place.language is None]


def list_menus(settings: Settings) -> SiteListing:
    """The file holding the source language's menus (none with ``menus = false``, or for a
    site without menus in its configuration); menus in two files are an error naming the
    second, the first is used."""
    if not settings.menus:
        return SiteListing(())
    try:
        places = _language_places(menu_places(settings), settings.source_language)
    except ExtransError as err:
        return SiteListing((), (err,))
    files = list(dict.fromkeys(place.path for place in places))
    errors: list[ExtransError] = []
    if len(files) > 1:
        message = (
            f"the menus of {excerpt(settings.source_language)} are in {files[0]} and in this "
            "file too: extrans translates the menus of one file; move them into one"
        )
        errors.append(ConfigError(message, files[1]))
    return SiteListing(
        tuple(SiteFile("menus", path, MENUS_KEY) for path in files[:1]), tuple(errors)
    )


def _source_places(settings: Settings, file: SiteFile, text: str) -> list[MenuPlace]:
    return _language_places(places_in(file.path, text), settings.source_language)


def read_menus(settings: Settings, file: SiteFile, text: str) -> SourcePage:
    """The source language's menu entries as a page whose segments are their prose, each
    with the entry's menu and key as context (``main: about``)."""
    format = format_of(file.path)
    assert format is not None  # (listed by its suffix)
    segments = [
        Segment(
            text=piece.value,
            origin=f"menu {entry.menu}: {piece.field}",
            line=piece.line,
            start=piece.start,
            end=piece.end,
            context=entry.context,
        )
        for place in _source_places(settings, file, text)
        for entry in menu_entries(text, place.format, place.table, place.path)
        for piece in entry.texts
    ]
    return SourcePage(file.path, file.key, format, tuple(segments))


def menus_target(settings: Settings, file: SiteFile, language: str) -> str:
    """Where ``language``'s menus are written: the file of its own menus table where it has
    one (edited in place), else a new ``menus.<code>.*`` file, in the syntax of the source's
    menus, beside the source's ``menus.*`` file or in ``config/_default/``, where Hugo reads
    it over the site's own configuration file: build never writes a configuration file that
    holds anything but menus unless the language's menus are already there."""
    own = [place for place in menu_places(settings) if place.language == language]
    if own:
        return own[-1].path  # (the one Hugo reads last wins)
    folder, _, name = file.path.rpartition("/")
    if _role(file.path)[0] not in _NAMES:
        folder = "config/_default"
    return f"{folder}/menus.{language}.{name.rsplit('.', 1)[-1]}"


def write_menus(job: SiteWrite) -> str | None:
    """The language's menus: its table edited in place where the target has one, else a new
    file (the source's ``menus.*`` file translated, comments and all, or the source's table
    written as a file of its own); ``None`` while nothing is translated and there is no file."""
    read = {segment.start for segment in job.page.segments}
    sources = [  # (the tables the source's page was read from)
        (place, entries)
        for place in places_in(job.file.path, job.source)
        if (entries := menu_entries(job.source, place.format, place.table, place.path))
        and any(piece.start in read for entry in entries for piece in entry.texts)
    ]
    wanted: dict[tuple[str, str], str] = {}
    for entry in (entry for _, entries in sources for entry in entries):
        for piece in entry.texts:
            translated = job.translations.get((entry.context, piece.value))
            if translated and translated[0]:
                wanted[(entry.context, piece.field)] = translated[0]
    own = [p for p in places_in(job.target, job.existing or "") if p.language == job.language]
    if job.existing is not None and own:
        text = job.existing
        for place in own:
            text = translate_menus(text, place.format, place.table, place.path, wanted)
        if own[-1].format != "toml" or not sources:
            return text
        return _with_new_entries(text, own[-1], sources[0][0], job.source, wanted)
    if not wanted or not sources:
        return None
    place = sources[0][0]
    translated_source = translate_menus(job.source, place.format, place.table, place.path, wanted)
    if place.table == () and format_of(job.target) == place.format:
        return translated_source  # (the source's file, comments and all, translated)
    data = parse_config(translated_source, place.format, place.path)
    target_format = format_of(job.target)
    assert target_format is not None
    return menus_document(target_format, _table_of(data, place.table), job.target)


def _with_new_entries(
    text: str,
    place: MenuPlace,
    source: MenuPlace,
    source_text: str,
    wanted: Mapping[tuple[str, str], str],
) -> str:
    """A TOML target with the source's entries it lacks (added to the source since the
    target was written) appended, translated as far as they are."""
    have = {entry.context for entry in menu_entries(text, place.format, place.table, place.path)}
    translated = translate_menus(source_text, source.format, source.table, source.path, wanted)
    data = parse_config(translated, source.format, source.path)
    added: list[tuple[str, Mapping[str, Any]]] = []
    for entry in menu_entries(source_text, source.format, source.table, source.path):
        if entry.context not in have:
            item = _table_of(data, source.table)
            added.append(
                (entry.menu, item[next(k for k in item if str(k) == entry.menu)][entry.path[-1]])
            )
    return add_menu_entries(text, place.table, place.path, added)


def _table_of(data: Mapping[str, Any], table: tuple[str, ...]) -> dict[str, Any]:
    value: Any = data
    for part in table:
        value = next(v for k, v in value.items() if str(k).lower() == part.lower())
    assert isinstance(value, dict)
    return value
