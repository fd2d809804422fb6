"""The site's translation memory, read from its catalogs: every catalog of a language
(``locale/<lang>/``, site strings included) and what was imported for it
(``locale/memory/<lang>.po``). The units of each catalog are cached by the catalog's digest,
so that only the catalogs that changed since are read again."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import CatalogError, ExtransError
from ..formats.catalog import Catalog
from ..formats.memory import Memory, Row, Unit, unit_rows
from ..formats.pofile import decode_catalog, parse_po
from ..model import TextKey
from ..plumbing.collector import collector_paused
from ..plumbing.fsio import (
    CACHE_DIR,
    atomic_write,
    list_files,
    read_inside,
    read_own,
    remove_own,
)
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

_FORMAT = 2
"""The layout of the cache's file: a cache of another is ignored."""
_FILE = "memory.jsonl"
_EARLIER_FILE = "memory.json"
"""The cache of the versions before this layout (80 MB at 10,000 pages): deleted when the
cache is saved."""


def imported_path(settings: Settings, language: str) -> str:
    """Where ``extrans memory import`` keeps what it imported for ``language``: a gettext
    compendium beside the catalogs, in git with them, but no page's catalog."""
    return f"{settings.locale_dir}/memory/{language}.po"


@dataclass(frozen=True, slots=True)
class CatalogUnits:
    """What the memory takes from one catalog, as it was when its bytes had ``digest``.

    Its units are plain rows, made into :class:`Unit` records by :meth:`units`: extract's
    workers make this record for every catalog of the site and send it back, and a tuple is
    pickled and read back at half a named tuple's cost, whose constructor the reading calls
    (430,000 units, 1.4 s of CPU against 2.7 s; ``bench/memory.py``)."""

    digest: str
    rows: tuple[Row, ...]
    untranslated: tuple[TextKey, ...] = ()
    """The texts of its live entries without a translation: what a fill could complete."""
    imported: bool = False
    """Imported from another project (``extrans memory import``)."""
    line: bytes = field(default=b"", compare=False, repr=False)
    """The record as a line of the cache's file (see :func:`_encode_units`), made where the
    record is made: in extract's workers, so that the process that writes the cache does not
    encode every catalog of the site again."""

    def units(self, place: str) -> Iterator[Unit]:
        """The units, of the catalog at ``place``."""
        imported = self.imported
        for msgid, forms, msgctxt, plural, kind in self.rows:
            yield Unit(msgid, forms, msgctxt, plural, place, kind, imported)


def catalog_units(
    catalog: Catalog, place: str, catalog_digest: str, *, imported: bool = False
) -> CatalogUnits:
    """The units of a catalog read from ``place``, and the texts it lacks a translation of."""
    units = CatalogUnits(
        catalog_digest,
        tuple(unit_rows(catalog.messages)),
        tuple(m.key for m in catalog.messages if not m.obsolete and not m.has_translation),
        imported,
    )
    return replace(units, line=_encode_units(place, units))


def _line_start(place: str, catalog_digest: str) -> bytes:
    # (a JSON string holds no tab: the place ends at the first)
    return f"{json.dumps(place, ensure_ascii=False)}\t{catalog_digest}\t".encode()


def _encode_units(place: str, units: CatalogUnits) -> bytes:
    """One catalog's units as a line of the cache's file: its place and digest, then a JSON
    array (whether the units were imported, the untranslated texts, the rows), so that a
    reader finds a catalog's line, and whether it is current, without decoding it."""
    body = json.dumps(
        [units.imported, units.untranslated, units.rows], ensure_ascii=False, separators=(",", ":")
    )
    return _line_start(place, units.digest) + body.encode("utf-8")


def _decode_units(place: str, catalog_digest: str, line: bytes) -> CatalogUnits:
    """The record a line of :func:`_encode_units` holds; ``TypeError`` or ``ValueError`` if
    it is not one."""
    imported, untranslated, rows = json.loads(line[len(_line_start(place, catalog_digest)) :])
    if not isinstance(imported, bool):
        raise TypeError(place)
    return CatalogUnits(
        catalog_digest,
        tuple(_row(row, place) for row in rows),
        tuple((ctx, str(msgid)) for ctx, msgid in untranslated),
        imported,
        line,
    )


def _row(row: Sequence[object], place: str) -> Row:
    msgid, forms, msgctxt, plural, kind = row
    if not (isinstance(msgid, str) and isinstance(forms, list) and isinstance(kind, str)):
        raise TypeError(place)
    if not (msgctxt is None or isinstance(msgctxt, str)) or not (
        plural is None or isinstance(plural, str)
    ):
        raise TypeError(place)
    return (msgid, tuple(str(form) for form in forms), msgctxt, plural, kind)


@dataclass(slots=True)
class MemoryCache:
    """The units of each catalog read by the last runs, one line per catalog (by path, in
    the order of the paths), under a first line naming the site's settings and extrans's
    version. A line is decoded only when its catalog is asked for and has not changed, and
    written back as it was read: a run writes the lines of the catalogs it read, and copies
    the rest."""

    path: Path
    fingerprint: str
    lines: dict[str, bytes] = field(default_factory=dict)
    """Each catalog's line, by path from the site root."""
    changed: bool = False

    @classmethod
    def load(cls, settings: Settings) -> MemoryCache:
        """The cache of this site and version; a missing, damaged or foreign one is empty
        (and a damaged line, a catalog read again)."""
        root = settings.site_root
        path = root / CACHE_DIR / _FILE
        stamp = fingerprint(settings, "memory", _FORMAT)
        lines: dict[str, bytes] = {}
        try:
            data = read_own(path, root) or b""
            if data.startswith(_header(stamp) + b"\n"):
                for line in data.split(b"\n")[1:]:
                    place, tab, _ = line.partition(b"\t")
                    if tab:
                        lines[str(json.loads(place))] = line
        except (OSError, ValueError):
            lines = {}
        return cls(path, stamp, lines)

    @classmethod
    def empty(cls, settings: Settings) -> MemoryCache:
        """A cache that remembers nothing from earlier runs (``--no-cache``)."""
        return cls(settings.site_root / CACHE_DIR / _FILE, "")

    def get(self, place: str, catalog_digest: str) -> CatalogUnits | None:
        """The units of the catalog at ``place`` if its bytes still have ``catalog_digest``."""
        line = self.lines.get(place)
        if line is None or not line.startswith(_line_start(place, catalog_digest)):
            return None
        try:
            with collector_paused():  # (every unit made here lives on)
                return _decode_units(place, catalog_digest, line)
        except (ValueError, TypeError, AttributeError, RecursionError):
            return None

    def record(self, place: str, units: CatalogUnits) -> None:
        line = units.line or _encode_units(place, units)
        if self.lines.get(place) != line:
            self.lines[place] = line
            self.changed = True

    def keep_only(self, places: set[str], folder: str) -> None:
        """Drop the catalogs under ``folder`` (``locale/es/``) that are not in ``places``."""
        for place in [p for p in self.lines if p.startswith(folder) and p not in places]:
            del self.lines[place]
            self.changed = True

    def save(self, root: Path) -> None:
        if not self.changed:
            return
        body = [_header(self.fingerprint), *(self.lines[place] for place in sorted(self.lines))]
        atomic_write(self.path, b"\n".join(body), root=root)
        self.changed = False
        remove_own(self.path.with_name(_EARLIER_FILE), root)


def _header(stamp: str) -> bytes:
    return json.dumps({"extrans-memory": _FORMAT, "fingerprint": stamp}).encode()


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
    units = tuple(unit for place, found in catalogs.items() for unit in found.units(place))
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
