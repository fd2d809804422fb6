"""The fill stage (``extrans memory fill``): the entries a translator has not translated yet,
in every catalog of a language, filled from the site's memory as extract fills new ones;
``fill_catalog`` is pure, ``fill_site`` reads and writes the catalogs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..errors import CatalogError, ExtransError, file_error
from ..formats.catalog import Catalog
from ..formats.memory import Filled, Memory, MemoryPolicy, fill_from_memory
from ..formats.plural import nplurals_of
from ..formats.pofile import decode_catalog, format_catalog, parse_po
from ..plumbing.fsio import atomic_write, read_with_state
from ..site.config import Settings
from ..site.memory import MemoryCache, imported_path, load_memory
from .extract import reading_back

__all__ = ["FillResult", "LanguageFill", "fill_catalog", "fill_site"]


def fill_catalog(catalog: Catalog, memory: Memory, policy: MemoryPolicy) -> tuple[Catalog, Filled]:
    """``catalog`` with each live entry that has no translation filled from ``memory`` (see
    :func:`~extrans.formats.memory.fill_from_memory`); ``policy`` ``off`` fills nothing."""
    keys = {m.key for m in catalog.messages if not m.obsolete and not m.has_translation}
    nplurals = nplurals_of(catalog.header.get("Plural-Forms"))
    filled = fill_from_memory(catalog.messages, keys, memory, policy, nplurals)
    return replace(catalog, messages=filled.messages), filled


@dataclass(slots=True)
class LanguageFill:
    """What a fill did in one language."""

    language: str
    catalogs: int = 0
    """Catalogs looked at."""
    exact: int = 0
    near: int = 0
    conflicts: int = 0
    written: list[str] = field(default_factory=list)
    """Catalogs written, or under ``check`` that would be."""
    only_listed: list[str] = field(default_factory=list)
    """Of those, the catalogs that took no translation: only comments listing the several
    translations of texts the memory translates in several ways."""


@dataclass(frozen=True, slots=True)
class FillResult:
    languages: tuple[LanguageFill, ...]
    errors: tuple[ExtransError, ...]


def fill_site(
    settings: Settings,
    languages: Sequence[str],
    *,
    check: bool = False,
) -> FillResult:
    """Fill every catalog of ``languages`` from its language's memory, as the language's
    ``memory`` setting says (``translated``: the same text's translation as translated);
    with ``check``, write nothing. A catalog saved while it was filled is left as saved,
    and named."""
    root = settings.site_root
    cache = MemoryCache.load(settings)
    errors: list[ExtransError] = []
    done: list[LanguageFill] = []
    for language in languages:
        policy = settings.memory_for(language)
        site_memory = load_memory(settings, language, cache)
        errors += site_memory.errors
        summary = LanguageFill(language)
        done.append(summary)
        if policy == "off":
            continue
        memory = site_memory.memory.prepare()
        for path, units in site_memory.catalogs.items():
            if not units.untranslated or path == imported_path(settings, language):
                continue
            summary.catalogs += 1
            try:
                data, state = read_with_state(root / path, path, root, error=CatalogError)
                if data is None:
                    continue
                text = decode_catalog(data, path)
                catalog = parse_po(text, path, default_width=settings.wrap_width)
                filled_catalog, filled = fill_catalog(catalog, memory, policy)
                if not (filled.exact or filled.near or filled.conflicts):
                    continue
                new = reading_back(format_catalog(filled_catalog), text, path)
                if new == text:
                    continue
                if not check and not atomic_write(
                    root / path, new.encode("utf-8"), root=root, expected=state
                ):
                    raise CatalogError("was saved while it was filled; left as saved", path)
            except ExtransError as err:
                errors.append(err)
                continue
            except OSError as err:
                errors.append(file_error(err, root))
                continue
            summary.exact += filled.exact
            summary.near += filled.near
            summary.conflicts += filled.conflicts
            summary.written.append(path)
            if not (filled.exact or filled.near):
                summary.only_listed.append(path)
    if not check:
        try:
            cache.save(root)
        except OSError as err:  # (the cache only saves time)
            errors.append(file_error(err, root))
    return FillResult(tuple(done), tuple(errors))
