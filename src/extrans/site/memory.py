"""The site's translation memory, read from its catalogs: every catalog of a language
(``locale/<lang>/``, site strings included) and what was imported for it
(``locale/memory/<lang>.po``). The units of each catalog are cached by the catalog's digest,
so that only the catalogs that changed since are read again."""

from __future__ import annotations

import gc
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CatalogError, ExtransError
from ..formats.catalog import Catalog
from ..formats.memory import Memory, Unit, units_of
from ..formats.pofile import decode_catalog, parse_po
from ..plumbing.fsio import CACHE_DIR, atomic_write, list_files, read_inside, read_own
from .cache import digest, fingerprint
from .config import Settings

__all__ = [
    "CatalogUnits",
    "MemoryCache",
    "SiteMemory",
    "catalog_units",
    "imported_path",
    "load_memory",
    "memory_catalogs",
]

_FORMAT = 1
"""The layout of the cache's file: a cache of another is ignored."""


def imported_path(settings: Settings, language: str) -> str:
    """Where ``extrans memory import`` keeps what it imported for ``language``: a gettext
    compendium beside the catalogs, in git with them, but no page's catalog."""
    return f"{settings.locale_dir}/memory/{language}.po"


TextKey = tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class CatalogUnits:
    """What the memory takes from one catalog, as it was when its bytes had ``digest``."""

    digest: str
    units: tuple[Unit, ...]
    untranslated: tuple[TextKey, ...] = ()
    """The texts of its live entries without a translation: what a fill could complete."""


def catalog_units(
    catalog: Catalog, place: str, catalog_digest: str, *, imported: bool = False
) -> CatalogUnits:
    """The units of a catalog read from ``place``, and the texts it lacks a translation of."""
    return CatalogUnits(
        catalog_digest,
        tuple(units_of(catalog.messages, place, imported=imported)),
        tuple(m.key for m in catalog.messages if not m.obsolete and not m.has_translation),
    )


def _row(unit: Unit) -> list[object]:
    return [unit.msgid, list(unit.forms), unit.msgctxt, unit.msgid_plural, unit.kind]


def _unit(row: Sequence[object], place: str, imported: bool) -> Unit:
    msgid, forms, msgctxt, plural, kind = row
    if not (isinstance(msgid, str) and isinstance(forms, list) and isinstance(kind, str)):
        raise TypeError(place)
    if not (msgctxt is None or isinstance(msgctxt, str)) or not (
        plural is None or isinstance(plural, str)
    ):
        raise TypeError(place)
    return Unit(msgid, tuple(str(form) for form in forms), msgctxt, plural, place, kind, imported)


@dataclass(slots=True)
class MemoryCache:
    """The units of each catalog read by the last runs, by path, in one JSON file."""

    path: Path
    fingerprint: str
    catalogs: dict[str, CatalogUnits] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, settings: Settings) -> MemoryCache:
        """The cache of this site and version; a missing, damaged or foreign one is empty."""
        root = settings.site_root
        path = root / CACHE_DIR / "memory.json"
        stamp = fingerprint(settings, "memory", _FORMAT)
        catalogs: dict[str, CatalogUnits] = {}
        collecting = gc.isenabled()
        gc.disable()  # (as the page cache's load: every object made here lives on)
        try:
            data = json.loads(read_own(path, root) or b"{}")
            if data.get("fingerprint") == stamp:
                for place, (catalog_digest, rows, untranslated, imported) in data[
                    "catalogs"
                ].items():
                    catalogs[place] = CatalogUnits(
                        str(catalog_digest),
                        tuple(_unit(row, place, imported is True) for row in rows),
                        tuple((ctx, str(msgid)) for ctx, msgid in untranslated),
                    )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            catalogs = {}
        finally:
            if collecting:
                gc.enable()
        return cls(path, stamp, catalogs)

    @classmethod
    def empty(cls, settings: Settings) -> MemoryCache:
        """A cache that remembers nothing from earlier runs (``--no-cache``)."""
        return cls(settings.site_root / CACHE_DIR / "memory.json", "")

    def get(self, place: str, catalog_digest: str) -> CatalogUnits | None:
        found = self.catalogs.get(place)
        return found if found is not None and found.digest == catalog_digest else None

    def record(self, place: str, units: CatalogUnits) -> None:
        if self.catalogs.get(place) != units:
            self.catalogs[place] = units
            self.changed = True

    def keep_only(self, places: set[str], folder: str) -> None:
        """Drop the catalogs under ``folder`` (``locale/es/``) that are not in ``places``."""
        for place in [p for p in self.catalogs if p.startswith(folder) and p not in places]:
            del self.catalogs[place]
            self.changed = True

    def save(self, root: Path) -> None:
        if not self.changed:
            return
        body = {
            "fingerprint": self.fingerprint,
            "catalogs": {
                place: [
                    units.digest,
                    [_row(unit) for unit in units.units],
                    [list(key) for key in units.untranslated],
                    any(unit.imported for unit in units.units),
                ]
                for place, units in sorted(self.catalogs.items())
            },
        }
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        atomic_write(self.path, text.encode("utf-8"), root=root)
        self.changed = False


@dataclass(frozen=True, slots=True)
class SiteMemory:
    """One language's memory, and what it was made of."""

    language: str
    memory: Memory
    catalogs: Mapping[str, CatalogUnits]
    """Each catalog read (the imported compendium included), by path from the site root."""
    errors: tuple[ExtransError, ...] = ()
    """The catalogs that could not be read: left out of the memory."""


def memory_catalogs(settings: Settings, language: str) -> tuple[list[str], list[ExtransError]]:
    """The catalogs of ``language`` the memory is made of, by path from the site root, the
    imported compendium last."""
    root = settings.site_root
    listing = list_files(root / settings.locale_dir / language, ".po")
    paths = [path.relative_to(root).as_posix() for path in listing.paths]
    if (root / imported_path(settings, language)).exists():
        paths.append(imported_path(settings, language))
    return paths, listing.errors(root)


def load_memory(
    settings: Settings,
    language: str,
    cache: MemoryCache,
    *,
    known: Mapping[str, CatalogUnits] | None = None,
    digests: Mapping[str, str] | None = None,
) -> SiteMemory:
    """The memory of ``language``: the units of every catalog, from ``known`` (a run's own
    reading), else from ``cache`` where the catalog's bytes did not change (as ``digests``
    has them, else read to see), else parsed."""
    paths, errors = memory_catalogs(settings, language)
    catalogs: dict[str, CatalogUnits] = {}
    for place in paths:
        found = (known or {}).get(place)
        if found is None and digests is not None and place in digests:
            found = cache.get(place, digests[place])
        if found is None:
            try:
                imported = place == imported_path(settings, language)
                found = _read_units(settings, place, cache, imported=imported)
            except ExtransError as err:
                errors.append(err)
                continue
        cache.record(place, found)
        catalogs[place] = found
    cache.keep_only(set(catalogs), f"{settings.locale_dir}/{language}/")
    cache.keep_only(set(catalogs), imported_path(settings, language))
    units = tuple(unit for found in catalogs.values() for unit in found.units)
    memory = Memory(units, settings.fuzzy_threshold)
    return SiteMemory(language, memory, catalogs, tuple(errors))


def _read_units(
    settings: Settings, place: str, cache: MemoryCache, *, imported: bool
) -> CatalogUnits:
    root = settings.site_root
    try:
        data = read_inside(root / place, place, root, error=CatalogError)
    except OSError as err:
        raise CatalogError(f"cannot read: {err.strerror}", place) from err
    if data is None:
        raise CatalogError("cannot read: it is gone", place)
    data_digest = digest(data)
    cached = cache.get(place, data_digest)
    if cached is not None:
        return cached
    catalog = parse_po(decode_catalog(data, place), place, writable=False)
    return catalog_units(catalog, place, data_digest, imported=imported)
