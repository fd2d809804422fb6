"""Site strings: the files besides the content pages whose strings readers see (i18n tables,
menus, data files, taxonomy terms), extracted and built like pages.

How a kind plugs in: write a module in ``site/`` with four functions and add one
:class:`SiteKind` to :data:`KINDS`:

- ``list_files(settings) -> SiteListing``: the source language's files of the kind, each a
  :class:`~extrans.model.SiteFile` (kind, site-relative path, catalog name); none when the
  kind's setting switches it off. Files that cannot be listed are errors in the listing.
- ``read(settings, file, text) -> SourcePage``: pure; the file's text → its strings as
  segments (msgctxt = the string's id, ``line`` and ``start``/``end`` where it stands).
- ``target(settings, file, language) -> str``: the language's file, site-relative.
- ``write(job: SiteWrite) -> str | None``: pure; the language's new text from the source,
  the target as it is (or ``None``) and the usable translations, editing the target in
  place (``frontmatter.format_scalar``) so that an untouched file builds back the same; an
  :class:`~extrans.errors.ExtransError` for a file it cannot write; ``None`` for no file.
- optionally ``translations(job: SiteWrite) -> Mapping``: pure; what a hand-made language
  file (``job.existing``) holds, by catalog key, for ``extrans adopt``.

A kind whose source is no one file gives ``load(settings, file) -> str`` too, the text
``read`` reads (the taxonomy terms every page lists); a kind that makes several files of
its source in each language gives ``targets(settings, file, language, page)`` instead of
``target`` (a term page per term), each file made by ``write`` apart.

Everything else is the stages' (``extract``, ``build``, ``status``, ``check``): the
catalogs (``locale/<lang>/<name>.po``, merged by extract's own ``update_catalogs``), the
trust policy (a hand-made target is left alone without ``--force``), the build record,
``--check``, and a ``site strings`` section in every report. Site files are few: no cache
holds them, every run reads them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import ExtransError, FileError, PageError, excerpt
from ..formats.catalog import Catalog
from ..formats.checks import DEFAULT_RULES, Finding, SiteRules, check_message
from ..model import SiteFile, SiteListing, SiteWrite, SourcePage, TextKey
from ..plumbing.fsio import read_inside
from .config import Settings
from .datafiles import data_target, data_translations, list_data_files, read_data_page, write_data
from .i18n_tables import (
    i18n_target,
    i18n_translations,
    list_i18n_tables,
    read_i18n_page,
    write_i18n,
)
from .menus import list_menus, menus_target, read_menus, write_menus
from .pages import decode_page
from .taxonomies import list_taxonomies, load_terms, read_terms, term_targets, write_term_page

__all__ = [
    "KINDS",
    "SiteKind",
    "SiteSource",
    "SiteTranslations",
    "list_site_files",
    "read_site_file",
    "read_site_translations",
    "reserved_keys",
    "site_target",
    "site_targets",
    "site_translations",
    "write_site_file",
]


@dataclass(frozen=True, slots=True)
class SiteKind:
    """One kind of site file: how it is listed, read and written (see the module's text)."""

    name: str
    list_files: Callable[[Settings], SiteListing]
    read: Callable[[Settings, SiteFile, str], SourcePage]
    target: Callable[[Settings, SiteFile, str], str] | None
    write: Callable[[SiteWrite], str | None]
    translations: Callable[[SiteWrite], Mapping[TextKey, tuple[str, ...]]] | None = None
    """For ``adopt``, optional: the translations a hand-made language file holds (``job``'s
    ``existing``), by catalog key: one text, or a plural entry's ``msgstr[0..n-1]``."""
    load: Callable[[Settings, SiteFile], str] | None = None
    """For a kind whose source is no one file (the terms every page lists): its text,
    gathered; ``read`` reads it as it reads a file's."""
    targets: Callable[[Settings, SiteFile, str, SourcePage], tuple[str, ...]] | None = None
    """For a kind that makes several files of one source in each language (a term page per
    term), instead of ``target``: the language's files, each made by ``write`` apart."""


KINDS: tuple[SiteKind, ...] = (
    SiteKind(
        "i18n",
        list_i18n_tables,
        read_i18n_page,
        i18n_target,
        write_i18n,
        translations=i18n_translations,
    ),
    SiteKind("menus", list_menus, read_menus, menus_target, write_menus),
    SiteKind(
        "data",
        list_data_files,
        read_data_page,
        data_target,
        write_data,
        translations=data_translations,
    ),
    SiteKind(
        "taxonomies",
        list_taxonomies,
        read_terms,
        None,
        write_term_page,
        load=load_terms,
        targets=term_targets,
    ),
)
"""Every kind, in the order the reports list them."""

_BY_NAME = {kind.name: kind for kind in KINDS}


def list_site_files(settings: Settings) -> SiteListing:
    """The site files of every kind, in :data:`KINDS` order; a second file with a catalog
    name already taken is an error, not read."""
    files: list[SiteFile] = []
    errors: list[ExtransError] = []
    taken: dict[str, SiteFile] = {}
    for kind in KINDS:
        listing = kind.list_files(settings)
        errors += listing.errors
        for file in listing.files:
            if file.key in taken:
                errors.append(
                    FileError(
                        f"its catalog name {excerpt(file.key)} is also {taken[file.key].path}'s: "
                        "not read",
                        file.path,
                    )
                )
                continue
            taken[file.key] = file
            files.append(file)
    return SiteListing(tuple(files), tuple(errors))


def reserved_keys(listing: SiteListing) -> dict[str, str]:
    """Catalog name → site file: keys no content page may have."""
    return {file.key: file.path for file in listing.files}


@dataclass(frozen=True, slots=True)
class SiteSource:
    """A site file as read."""

    file: SiteFile
    text: str
    page: SourcePage


def read_site_file(settings: Settings, file: SiteFile) -> SiteSource:
    """Read and parse a site file; :class:`PageError` (or a file error) when it cannot be."""
    kind = _BY_NAME[file.kind]
    if kind.load is not None:
        text = kind.load(settings, file)
        return SiteSource(file, text, kind.read(settings, file, text))
    root = settings.site_root
    data = read_inside(os.path.join(root, file.path), file.path, root, error=PageError)
    if data is None:
        raise PageError("is gone", file.path)
    text = decode_page(data, file.path)
    return SiteSource(file, text, kind.read(settings, file, text))


def site_target(settings: Settings, file: SiteFile, language: str) -> str | None:
    """The language's one file of a site file (``None`` for a kind that makes several)."""
    target = _BY_NAME[file.kind].target
    return None if target is None else target(settings, file, language)


def site_targets(settings: Settings, source: SiteSource, language: str) -> tuple[str, ...]:
    """The language's files of a site file: its one target, or its kind's several."""
    kind = _BY_NAME[source.file.kind]
    if kind.targets is not None:
        return kind.targets(settings, source.file, language, source.page)
    assert kind.target is not None
    return (kind.target(settings, source.file, language),)


def write_site_file(job: SiteWrite) -> str | None:
    return _BY_NAME[job.file.kind].write(job)


def read_site_translations(job: SiteWrite) -> Mapping[TextKey, tuple[str, ...]] | None:
    """What a hand-made language file holds for ``adopt`` (``None``: its kind reads none)."""
    read = _BY_NAME[job.file.kind].translations
    return None if read is None else read(job)


@dataclass(frozen=True, slots=True)
class SiteTranslations:
    """What of a site file's catalog build may use."""

    translations: Mapping[TextKey, tuple[str, ...]]
    """Not obsolete, not fuzzy (unless asked), not empty, no error from ``extrans check``."""
    errors: tuple[Finding, ...]
    """The errors that kept the others out."""


def site_translations(
    catalog: Catalog | None,
    path: str,
    severities: Mapping[str, str] | None = None,
    *,
    site: SiteRules = DEFAULT_RULES,
    fuzzy: bool = False,
) -> SiteTranslations:
    """The usable translations of a site file's catalog (``None``: it has none yet)."""
    if catalog is None:
        return SiteTranslations({}, ())
    translations: dict[TextKey, tuple[str, ...]] = {}
    errors: list[Finding] = []
    for message in catalog.messages:
        if message.obsolete or not (message.translated or (fuzzy and message.has_translation)):
            continue
        if message.plural and not all(message.msgstr_plural):
            continue  # (a fuzzy one missing a form: Hugo would show nothing for its counts)
        found = check_message(message, path, severities, errors_only=True, site=site)
        if found:
            errors.extend(found)
            continue
        translations[message.key] = message.msgstr_plural or (message.msgstr,)
    return SiteTranslations(translations, tuple(errors))
