"""What each language's translation memory could fill of the site's catalogs, for ``status``.

The counts depend on every catalog of the language, so no page's cache entry can hold them:
they are kept per language with the state of the catalogs they were counted from (the digest
of every catalog's digest), and counted again only when one of those changed."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtransError
from ..formats.catalog import Message
from ..formats.memory import Memory
from ..model import TextKey
from ..plumbing.collector import collector_paused
from ..plumbing.fsio import CACHE_DIR, atomic_write, read_inside, read_own
from .cache import digest, fingerprint
from .config import Settings
from .memory import CatalogUnits, MemoryCache, imported_path, load_memory, memory_catalogs

__all__ = ["FillsCache", "MemoryFill", "count_fills", "memory_fills"]

_FORMAT = 1
"""The layout of the cache's file: a cache of another is ignored."""


@dataclass(frozen=True, slots=True)
class MemoryFill:
    """What the language's translation memory holds for the entries of a catalog, or of
    several, that have no translation: what a fill from it could complete."""

    untranslated: int = 0
    """The catalog's live entries without a translation (fuzzy ones have one)."""
    exact: int = 0
    """Of those, the texts the memory translates, in one way."""
    near: int = 0
    """Of the others, those with a similar text the memory translates (searched only when
    asked: ``status --memory-near``)."""
    conflicts: int = 0
    """Texts the memory translates in several ways (or their most similar one): a fill
    takes none."""

    @property
    def fillable(self) -> int:
        return self.exact + self.near

    def __add__(self, other: MemoryFill) -> MemoryFill:
        return MemoryFill(
            self.untranslated + other.untranslated,
            self.exact + other.exact,
            self.near + other.near,
            self.conflicts + other.conflicts,
        )


@dataclass(frozen=True, slots=True)
class _Counted:
    """One language's counts, and what they were counted from."""

    state: str
    """The digest of the language's catalogs' digests, by path."""
    near: bool
    fills: dict[str, MemoryFill]


@dataclass(slots=True)
class FillsCache:
    """The counts of the last run, by language, in one JSON file; the memory's own cache,
    for the run that must count again (written only where there was none: extract keeps it,
    and the few catalogs it does not have as they are now are read for the count)."""

    path: Path
    fingerprint: str
    languages: dict[str, _Counted] = field(default_factory=dict)
    changed: bool = False
    memory: MemoryCache | None = None
    memory_missing: bool = False

    @classmethod
    def load(cls, settings: Settings, *, use_cache: bool = True) -> FillsCache:
        """The cache of this site and version; a missing, damaged or foreign one (or any,
        without ``use_cache``) is empty."""
        root = settings.site_root
        path = root / CACHE_DIR / "status-memory.json"
        stamp = fingerprint(settings, "status-memory", _FORMAT)
        languages: dict[str, _Counted] = {}
        try:
            data = json.loads((read_own(path, root) if use_cache else None) or b"{}")
            if data.get("fingerprint") == stamp:
                for language, (state, near, fills) in data["languages"].items():
                    languages[language] = _Counted(
                        str(state),
                        near is True,
                        {str(p): MemoryFill(*(int(n) for n in c)) for p, c in fills.items()},
                    )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            languages = {}
        return cls(path, stamp, languages)

    def memory_cache(self, settings: Settings, *, use_cache: bool) -> MemoryCache:
        if self.memory is None:
            self.memory = MemoryCache.load(settings)
            self.memory_missing = not self.memory.lines
            if not use_cache:
                self.memory.lines.clear()
        return self.memory

    def save(self, settings: Settings) -> None:
        root = settings.site_root
        if self.memory is not None and self.memory_missing:
            self.memory.save(root)
        if not self.changed:
            return
        body = {
            "fingerprint": self.fingerprint,
            "languages": {
                language: [
                    counted.state,
                    counted.near,
                    {
                        path: [fill.untranslated, fill.exact, fill.near, fill.conflicts]
                        for path, fill in sorted(counted.fills.items())
                    },
                ]
                for language, counted in sorted(self.languages.items())
            },
        }
        data = json.dumps(body, separators=(",", ":")).encode("utf-8")
        atomic_write(self.path, data, root=root)
        self.changed = False


def memory_fills(
    settings: Settings,
    language: str,
    cache: FillsCache,
    *,
    known: Mapping[str, CatalogUnits],
    digests: Mapping[str, str],
    near: bool = False,
    use_cache: bool = True,
    listed: Sequence[str] | None = None,
) -> dict[str, MemoryFill]:
    """What the memory of ``language`` could fill of each of its catalogs, by path: the
    last run's counts where no catalog changed since (``digests``: those the run hashed),
    else counted from the memory (``known``: the catalogs the run read). A catalog that
    cannot be read has none (status names it on its page's row, ``check`` on every one).
    ``listed``: the catalogs in the language's folder, if the run listed them already."""
    state = _state(settings, language, digests, listed)
    counted = cache.languages.get(language)
    if counted is not None and state is not None and (counted.state, counted.near) == (state, near):
        return counted.fills
    memory_cache = cache.memory_cache(settings, use_cache=use_cache)
    with collector_paused():  # (every unit made here lives on to the end)
        site = load_memory(settings, language, memory_cache, known=known, digests=digests)
        fills = count_fills(site.memory, site.catalogs, near=near)
    if state is not None and not site.errors:
        cache.languages[language] = _Counted(state, near, fills)
        cache.changed = True
    return fills


def count_fills(
    memory: Memory, catalogs: Mapping[str, CatalogUnits], *, near: bool
) -> dict[str, MemoryFill]:
    """What ``memory`` could fill of each catalog's untranslated entries, by path (a text
    met in several catalogs is looked up once)."""
    recalled: dict[TextKey, str | None] = {}
    fills: dict[str, MemoryFill] = {}
    for path, units in catalogs.items():
        kinds: Counter[str | None] = Counter()
        for key in units.untranslated:
            kind = recalled.get(key, "")
            if kind == "":
                kind = recalled[key] = _recalled(memory, key, near)
            kinds[kind] += 1
        untranslated = len(units.untranslated)
        fills[path] = MemoryFill(untranslated, kinds["exact"], kinds["near"], kinds["conflict"])
    return fills


def _recalled(memory: Memory, key: TextKey, near: bool) -> str | None:
    """What the memory holds for a text: ``exact``, ``near``, ``conflict`` or ``None``."""
    recall = memory.recall(Message(key[1], msgctxt=key[0]), near=near)
    if recall is None:
        return None
    return "conflict" if recall.conflict else "exact" if recall.exact else "near"


def _state(
    settings: Settings, language: str, digests: Mapping[str, str], listed: Sequence[str] | None
) -> str | None:
    """The digest of every catalog of ``language`` the memory is made of, by path: those
    the run hashed from ``digests``, the others (site strings, orphans) read to see;
    ``None`` if one of them cannot be read."""
    root = settings.site_root
    if listed is None:
        paths, errors = memory_catalogs(settings, language)
        if errors:
            return None
    else:
        imported = imported_path(settings, language)
        paths = [*listed, *([imported] if (root / imported).exists() else [])]
    state = hashlib.sha256()
    for path in sorted(paths):
        found = digests.get(path)
        if found is None:
            try:
                found = digest(read_inside(root / path, path, root))
            except (OSError, ExtransError):
                return None
        state.update(f"{path}\0{found}\n".encode())
    return state.hexdigest()[:32]
