"""The survey of a site before any page is read for its text: its source pages, their hashes
and those of the outputs the cache recorded, and every page's catalog key (clashes found
before anything is written)."""

from __future__ import annotations

import os
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from ..errors import ExtransError, PageError, excerpt
from ..model import SiteListing
from ..plumbing.parallel import map_in_order
from .cache import CacheEntry, PageCache, digest_of_hash
from .config import Settings
from .pages import page_key, page_text_of_bytes, read_page_text, source_relatives
from .strings import list_site_files, reserved_keys

__all__ = ["SiteKeys", "SiteSurvey", "keyed_elsewhere", "resolve_keys", "site_keys", "survey_site"]


@dataclass(frozen=True, slots=True)
class SiteKeys:
    """Every source page's catalog key, and the pages that cannot be used."""

    keys: Mapping[str, str]
    """The key of each page that has one."""
    unique: tuple[str, ...]
    """Pages, in order, whose key no other page shares: the ones a run may write for."""
    errors: Mapping[str, tuple[ExtransError, ...]]
    """By page: why it cannot be read, or whose key it shares."""


def _key_of(settings: Settings, relative: str, data: bytes | None = None) -> str | ExtransError:
    """A page's key, or why it has none; from ``data``, the page's bytes, when they were read
    already (for its hash)."""
    target = os.path.join(settings.site_root, relative)
    content = os.path.join(settings.site_root, settings.content_dir(settings.source_language))
    try:
        if data is None:
            text = read_page_text(target, relative, content)
        else:
            text = page_text_of_bytes(data, target, relative, content)
        return page_key(text, relative, settings)
    except ExtransError as err:
        return err


def resolve_keys(
    settings: Settings,
    relatives: Sequence[str],
    cached: Mapping[str, CacheEntry],
    jobs: int,
    sources: Mapping[str, str],
    found: Mapping[str, object] | None = None,
    reserved: Mapping[str, str] | None = None,
) -> SiteKeys:
    """Find every page's key: from its ``cached`` entry when its digest in ``sources`` did
    not change, else from what was ``found`` when the page was read for its digest (a key,
    or why the page has none), else by reading its front matter (over ``jobs`` processes).
    A key ``reserved`` for a site file (its catalog name → the file) is a clash."""
    known: dict[str, object] = {}
    for relative in relatives:
        hit = cached.get(relative)
        if hit is not None and hit.source == sources[relative]:
            known[relative] = hit.key
        elif found and found.get(relative) is not None:
            known[relative] = found[relative]
    unknown = [relative for relative in relatives if relative not in known]
    read = map_in_order(_key_of, settings, unknown, jobs=jobs)
    known.update(zip(unknown, read, strict=True))
    keys: dict[str, str] = {}
    errors: dict[str, tuple[ExtransError, ...]] = {}
    for relative in relatives:
        key = known[relative]
        if isinstance(key, ExtransError):
            errors[relative] = (key,)
        else:
            keys[relative] = str(key)
    claimed = site_keys(keys, reserved or {})
    return SiteKeys(claimed.keys, claimed.unique, {**errors, **claimed.errors})


def site_keys(keys: Mapping[str, str], reserved: Mapping[str, str] | None = None) -> SiteKeys:
    """Which of the pages with ``keys`` (in the site's order) may have the files of their key,
    and why the others may not (``reserved``: the catalog names of site files, by name, with
    the file that has it)."""
    owners: dict[str, list[str]] = {key: [path] for key, path in (reserved or {}).items()}
    for page, key in keys.items():
        owners.setdefault(key, []).append(page)
    clashes = _key_clashes(owners)
    unique = tuple(
        page for page, key in keys.items() if len(owners[key]) == 1 and page not in clashes
    )
    clashes = {page: clash for page, clash in clashes.items() if page in keys}
    return SiteKeys(keys, unique, {page: (clash,) for page, clash in clashes.items()})


def _key_clashes(owners: Mapping[str, Sequence[str]]) -> dict[str, PageError]:
    """Why pages cannot have the files of their key, given the pages of each key in order:
    the key is another page's, or the key's catalogs would lie in a folder named like another
    key's catalog (keys ``x`` and ``x.po/y``: ``locale/es/x.po`` cannot be a file and a
    folder)."""
    clashes: dict[str, PageError] = {}
    for key, pages in owners.items():
        for other in pages[1:]:
            message = (
                f"translation key {excerpt(key)} is also used by {pages[0]}; "
                "give each page its own translationKey"
            )
            clashes[other] = PageError(message, other)
        named = _catalog_named_like(key, owners)
        if named is not None:
            message = (
                f"translation key {excerpt(key)} puts its catalogs in a folder named like the "
                f"catalog of {owners[named][0]} (key {excerpt(named)}); give one of them another "
                "translationKey"
            )
            clashes[pages[0]] = PageError(message, pages[0])
    return clashes


def _catalog_named_like(key: str, keys: Container[str]) -> str | None:
    """The key among ``keys`` whose catalog or template is named like a folder of ``key``."""
    if ".po" not in key:
        return None
    parts = key.split("/")
    for end in range(1, len(parts)):
        folder = "/".join(parts[:end])
        for suffix in (".po", ".pot"):
            if folder.endswith(suffix) and folder.removesuffix(suffix) in keys:
                return folder.removesuffix(suffix)
    return None


@dataclass(frozen=True, slots=True)
class SiteSurvey:
    """What extract and build know of the site before they read a page for its text."""

    relatives: list[str]
    """The source pages, from the site root, in order."""
    listing_errors: tuple[ExtransError, ...]
    """Why that list may lack pages (see :class:`SourceListing`)."""
    hashes: Mapping[str, str | None]
    """The full SHA-256 of each page and of each output the cache recorded (``None``: no
    such file), all looked at in one pass."""
    digests: Mapping[str, str]
    """The cache's digest of each of those files (see ``cache.digest``)."""
    keys: SiteKeys
    site_files: SiteListing = field(default_factory=lambda: SiteListing(()))
    """The site files (``site/strings.py``): their catalog names are no page's."""


def survey_site(settings: Settings, cache: PageCache, jobs: int) -> SiteSurvey:
    """List the source pages, hash them and the outputs ``cache`` recorded, and find every
    page's key (over ``jobs`` processes where that pays); a page read for its hash is not
    read again for its key."""
    listing = source_relatives(settings)
    relatives = listing.pages
    entries = cache.entries
    last_outputs = [path for page in relatives if page in entries for path in entries[page].outputs]
    looked = cache.look(
        settings.site_root,
        [*relatives, *last_outputs],
        jobs,
        inspect=partial(_key_of, settings),
        inspected=len(relatives),
    )
    digests = {path: digest_of_hash(sha256) for path, sha256 in looked.hashes.items()}
    site_files = list_site_files(settings)
    reserved = reserved_keys(site_files)
    keys = resolve_keys(
        settings, relatives, cache.entries, jobs, digests, looked.inspected, reserved
    )
    return SiteSurvey(relatives, listing.errors, looked.hashes, digests, keys, site_files)


def keyed_elsewhere(
    settings: Settings, language: str, sources: Container[str], keys: Container[str]
) -> dict[str, str]:
    """The localized pages of ``language`` that no source page has at their path but that
    carry a source page's key (a page kept under a translated file name, which Hugo pairs
    by its ``translationKey``): key → path, the first in path order. A page that cannot be
    read has no key here (the commands that read it report it)."""
    reading = replace(settings, source_language=language)
    folder = os.path.join(settings.site_root, settings.content_dir(language))
    found: dict[str, str] = {}
    for relative in source_relatives(reading).pages:
        if settings.source_path(relative, language) in sources:
            continue
        try:
            text = read_page_text(os.path.join(settings.site_root, relative), relative, folder)
            key = page_key(text, relative, reading)
        except ExtransError:
            continue
        if key in keys:
            found.setdefault(key, relative)
    return found
