"""What the last run saw, so that a run can skip pages whose inputs did not change.

A page is skipped only when the hashes of everything that decides its outputs (the page's
bytes, the settings, extrans's version) and of the outputs themselves, as they are on disk
now, equal what the last run recorded: then running again would write the same bytes. A
cache that is missing, unreadable, from another version or for other settings is ignored,
never trusted. It lives in ``.extrans-cache/`` (see ``fsio.CACHE_DIR``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Settings
from .fsio import CACHE_DIR, atomic_write, read_optional

__all__ = ["CacheEntry", "PageCache", "digest", "file_digest", "file_digests", "fingerprint"]


def digest(data: bytes | None) -> str:
    """A short content hash; ``"-"`` for a file that does not exist."""
    return "-" if data is None else hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(root: Path, relative: str) -> str:
    """:func:`digest` of a file's bytes (plain strings, no pathlib: this runs for every file
    of the site on every run)."""
    try:
        with open(os.path.join(root, relative), "rb") as stream:
            return digest(stream.read())
    except FileNotFoundError:
        return "-"


def file_digests(root: Path, relatives: Sequence[str]) -> dict[str, str]:
    """:func:`file_digest` of many files. (Threads were measured: slower here, not faster.)"""
    return {relative: file_digest(root, relative) for relative in relatives}


def fingerprint(settings: Settings, *extra: object) -> str:
    """A hash of everything besides the files that decides a run's outputs."""
    return digest(repr((__version__, settings, extra)).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One page as the last run left it."""

    source: str
    """Hash of the source page's bytes."""
    key: str
    outputs: Mapping[str, str] = field(default_factory=dict)
    """Hash of each file the page's run produced or read, by path from the site root."""


class PageCache:
    """Entries by source page, loaded from and saved to one JSON file."""

    def __init__(self, path: Path, fingerprint: str, entries: dict[str, CacheEntry]) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.entries = entries
        self.changed = False

    @classmethod
    def load(cls, root: Path, name: str, fingerprint: str) -> PageCache:
        path = root / CACHE_DIR / f"{name}.json"
        entries: dict[str, CacheEntry] = {}
        try:
            data = json.loads(read_optional(path) or b"{}")
            if data.get("fingerprint") == fingerprint:
                for page, item in data["pages"].items():
                    entries[str(page)] = CacheEntry(
                        str(item["source"]),
                        str(item["key"]),
                        {str(k): str(v) for k, v in item["outputs"].items()},
                    )
        except (ValueError, KeyError, TypeError, AttributeError):
            entries = {}  # damaged: start afresh
        return cls(path, fingerprint, entries)

    def fresh(self, page: str, source: str, current: Mapping[str, str]) -> CacheEntry | None:
        """The entry for ``page`` if its source and every output are as recorded."""
        entry = self.entries.get(page)
        if entry is None or entry.source != source:
            return None
        if any(entry.outputs.get(path) != value for path, value in current.items()):
            return None
        return entry

    def record(self, page: str, entry: CacheEntry) -> None:
        if self.entries.get(page) != entry:
            self.entries[page] = entry
            self.changed = True

    def keep_only(self, pages: set[str]) -> None:
        for page in set(self.entries) - pages:
            del self.entries[page]
            self.changed = True

    def save(self, root: Path) -> None:
        if not self.changed:
            return
        body = {
            "fingerprint": self.fingerprint,
            "pages": {
                page: {"source": e.source, "key": e.key, "outputs": dict(e.outputs)}
                for page, e in sorted(self.entries.items())
            },
        }
        atomic_write(self.path, json.dumps(body, separators=(",", ":")).encode("utf-8"), root=root)
