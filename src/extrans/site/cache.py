"""What the last run saw, so that a run can skip pages whose inputs did not change.

A page is skipped only when the hashes of everything that decides its outputs (the page's
bytes, the settings, extrans's version) and of the outputs themselves, as they are on disk
now, equal what the last run recorded: then running again would write the same bytes. A
cache that is missing, unreadable, from another version or for other settings is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .. import __version__
from ..plumbing.collector import collector_paused
from ..plumbing.fsio import CACHE_DIR, atomic_write, read_optional, read_own
from ..plumbing.parallel import map_in_order
from .config import Settings

__all__ = [
    "PARALLEL_FROM",
    "RACY_SECONDS",
    "READ_COST",
    "CacheEntry",
    "ExpectedOutputs",
    "Looked",
    "PageCache",
    "digest",
    "digest_of_hash",
    "expected_outputs",
    "fingerprint",
    "stays_inside",
]

CACHE_FORMAT = 2
"""The layout of the cache's files: a cache of another is ignored."""
PARALLEL_FROM = 2000
"""A look at files worth fewer ``stat`` calls than this runs in this process: starting
workers would cost more."""
READ_COST = 8
"""What a file without a stamp costs a look, in ``stat`` calls: it is read and hashed too."""
RACY_SECONDS = 2
"""A file changed this recently when it was hashed is not stamped: a write in the same tick of
the file system's clock, right after the hash, would leave the stamp as it was."""
UNREADABLE = "unreadable"
"""The hash of a file a look cannot read: it equals no digest recorded, so whatever depends
on the file is done again (and says why it cannot be read)."""


def digest(data: bytes | None) -> str:
    """The first 128 bits of the SHA-256 (which processors compute in hardware) in hex;
    ``"-"`` for a file that does not exist."""
    return "-" if data is None else hashlib.sha256(data).hexdigest()[:32]


def digest_of_hash(sha256: str | None) -> str:
    """:func:`digest` of the data whose full SHA-256 (hex) is given (``None``: no file)."""
    return "-" if sha256 is None else sha256[:32]


def fingerprint(settings: Settings, *extra: object) -> str:
    """A hash of everything besides the files that decides a run's outputs, and of the site
    root's device and inode: a cache copied or cloned with the site, or committed to git, was
    not made by runs on these files and is never trusted, even where its stamps match."""
    try:
        info = os.stat(settings.site_root)
        checkout: tuple[int, int] | None = (info.st_dev, info.st_ino)
    except OSError:  # (the run then stops at the site's first file, with a message)
        checkout = None
    return digest(repr((CACHE_FORMAT, __version__, checkout, settings, extra)).encode("utf-8"))


def stays_inside(key: str) -> bool:
    """Whether the files of a key the cache recorded stay in their folders. Every key recorded
    passed ``pages.check_key``; this is what a doctored cache must not get past, cheap enough
    for every page of every run."""
    return (
        key != ""
        and key[0] != "/"
        and "\0" not in key
        and "//" not in key
        and "/./" not in (wrapped := f"/{key}/")
        and "/../" not in wrapped
    )


ExpectedOutputs = Callable[[str, str], "frozenset[str] | None"]
"""The files whose hashes a page's entry must record, given the page and its key (``None``:
a key no page can have)."""


def expected_outputs(
    settings: Settings, languages: Sequence[str], stage: Literal["extract", "build"]
) -> ExpectedOutputs:
    """What a page's entry must record for ``stage``: each language's catalog, and extract's
    template or build's localized pages (which only a page of the source folder has)."""
    source = settings.content_dir(settings.source_language) + "/"
    folders = [settings.content_dir(language) + "/" for language in languages]

    def outputs(page: str, key: str) -> frozenset[str] | None:
        if not stays_inside(key):
            return None
        catalogs = [settings.catalog_path(language, key) for language in languages]
        if stage == "extract":
            return frozenset((settings.template_path(key), *catalogs))
        if not page.startswith(source):
            return None
        return frozenset((*catalogs, *(folder + page[len(source) :] for folder in folders)))

    return outputs


FileStamp = str
"""``"size mtime_ns ctime_ns inode device sha256"``: what a file's inode said when its bytes
were hashed, and their hash. While the inode says the same, so do the bytes: the change time
moves with every write and no tool can set it back (``touch``, ``git checkout``, ``cp -p``,
``rsync -t``), so a run looks a file up here instead of reading it, as git does with its
index. One string, as saved: JSON reads it much faster than an array."""


def _inode_state(info: os.stat_result) -> str:
    """The part of a :data:`FileStamp` before its hash."""
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino} {info.st_dev}"


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One page as the last run left it."""

    source: str
    """Digest of the source page's bytes."""
    key: str
    outputs: Mapping[str, str]
    """Digest of each file the page's run produced or read, by path from the site root."""
    facts: object = None
    """What a stage that reports rather than writes learnt of the page (JSON values), as
    that stage reads it back: ``status`` keeps its counts here."""


@dataclass(frozen=True, slots=True)
class Looked:
    """What :meth:`PageCache.look` found, by file name."""

    hashes: dict[str, str | None]
    """The full SHA-256 (hex) of each file, ``None`` for one that does not exist,
    :data:`UNREADABLE` for one that cannot be read."""
    inspected: dict[str, object]
    """What ``inspect`` said of each file it was given."""


@dataclass(slots=True)
class PageCache:
    """Entries by source page, loaded from and saved to one JSON file."""

    path: Path
    fingerprint: str
    entries: dict[str, CacheEntry]
    files: dict[str, FileStamp] = field(default_factory=dict)
    """The stamp of each file hashed by the last runs (see :meth:`look`)."""
    changed: bool = False
    _looked_at: set[str] = field(default_factory=set)

    @classmethod
    def load(
        cls, root: Path, name: str, fingerprint: str, *, expected: ExpectedOutputs
    ) -> PageCache:
        """The cache saved as ``name`` for runs of this ``fingerprint``, keeping only the
        entries that record exactly the ``expected`` outputs of their page: a damaged or
        doctored one costs the page's work again, never a wrong answer."""
        path = root / CACHE_DIR / f"{name}.json"
        entries: dict[str, CacheEntry] = {}
        files: dict[str, FileStamp] = {}
        try:
            with collector_paused():  # (an object or more per file of the site, all kept)
                data = json.loads(read_own(path, root) or b"{}")
                if data.get("fingerprint") == fingerprint:
                    for page, (source, key, outputs, *facts) in data["pages"].items():
                        if type(key) is not str or type(outputs) is not dict or len(facts) > 1:
                            raise TypeError(page)
                        # (a digest of the wrong type matches no file: the page is done again)
                        if outputs.keys() == expected(page, key):
                            entries[page] = CacheEntry(source, key, outputs, *facts)
                    files = {  # (JSON keys are strings)
                        name: stamp for name, stamp in data["files"].items() if type(stamp) is str
                    }
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            entries, files = {}, {}  # unreadable or damaged (nested past the stack): afresh
        return cls(path, fingerprint, entries, files)

    def look(
        self,
        root: Path,
        relatives: Sequence[str],
        jobs: int = 1,
        *,
        inspect: Callable[[str, bytes], object] | None = None,
        inspected: int = 0,
    ) -> Looked:
        """Hash each file, reading only those whose stamp changed (one ``stat`` for each of
        the others), over ``jobs`` processes for many files: a run that finds nothing to do
        is mostly this. ``inspect(name, data)`` is called for each of the first ``inspected``
        files that had to be read, so that none is read again for what else it says."""
        names = list(relatives)
        job = _Look(os.path.join(root, ""), self.files, time.time_ns(), inspect, inspected, names)
        every = range(len(names))
        if jobs > 1 and _worth_spreading(names, self.files):
            size = -(-len(names) // (jobs * 4))  # a few chunks a worker, so that they end together
            chunks = [every[start : start + size] for start in every[::size]]
            parts = map_in_order(_Look.look, job, chunks, jobs=jobs, small=2)
        else:
            parts = [job.look(every)]
        read: dict[int, tuple[str | None, FileStamp | None]] = {}
        found: dict[str, object] = {}
        for part in parts:
            read.update(part.hashed)
            found.update((names[index], value) for index, value in part.inspected.items())
        hashes = {  # a file not read kept its stamp, which holds its hash
            name: read[index][0] if index in read else self.files[name][-64:]
            for index, name in enumerate(names)
        }
        for index, (_, stamp) in read.items():
            if stamp is not None:
                self.files[names[index]] = stamp
                self.changed = True
            elif self.files.pop(names[index], None) is not None:
                self.changed = True
        self._looked_at.update(names)
        return Looked(hashes, found)

    def forget(self) -> None:
        """Trust nothing recorded (``--no-cache``)."""
        self.entries.clear()
        self.files.clear()

    def fresh(self, page: str, source: str, digests: Mapping[str, str]) -> CacheEntry | None:
        """The entry for ``page`` if its source and every output it recorded are as they were
        (``digests``: the digest of each file as it is now)."""
        entry = self.entries.get(page)
        if entry is None or entry.source != source:
            return None
        if any(digests.get(path) != value for path, value in entry.outputs.items()):
            return None
        return entry

    def record(self, page: str, entry: CacheEntry) -> None:
        if self.entries.get(page) != entry:
            self.entries[page] = entry
            self.changed = True

    def keep_only(self, pages: set[str]) -> None:
        """Drop the entries of other pages, and the stamps of files this run did not hash."""
        for page in set(self.entries) - pages:
            del self.entries[page]
            self.changed = True
        for name in set(self.files) - self._looked_at:
            del self.files[name]
            self.changed = True

    def save(self, root: Path) -> None:
        body = {
            "fingerprint": self.fingerprint,
            "pages": {
                page: [e.source, e.key, dict(e.outputs)] + ([] if e.facts is None else [e.facts])
                for page, e in sorted(self.entries.items())
            },
            "files": dict(sorted(self.files.items())),
        }
        atomic_write(self.path, json.dumps(body, separators=(",", ":")).encode("utf-8"), root=root)


@dataclass(frozen=True, slots=True)
class _Looked:
    """What a look at some files found that their stamps did not say, by the file's index in
    the run's list: its hash (``None``: missing) and new stamp (``None``: none, as it has not
    settled or cannot be read), and what ``inspect`` said of it."""

    hashed: dict[int, tuple[str | None, FileStamp | None]]
    inspected: dict[int, object]


@dataclass(frozen=True, slots=True)
class _Look:
    """A look at files: ``stat`` each, read and hash those whose stamp does not match."""

    prefix: str
    """The site's root, ending in a separator."""
    stamps: Mapping[str, FileStamp]
    now: int
    """When the look started (ns), for :data:`RACY_SECONDS`."""
    inspect: Callable[[str, bytes], object] | None
    inspected: int
    names: Sequence[str]
    """Every file of the look, in the run's order."""

    def look(self, indices: range) -> _Looked:
        """A look at the files at ``indices`` in :attr:`names`."""
        hashed: dict[int, tuple[str | None, FileStamp | None]] = {}
        inspected: dict[int, object] = {}
        settled_before = self.now - RACY_SECONDS * 10**9
        for index in indices:
            name = self.names[index]
            try:
                info = os.stat(self.prefix + name)  # before the bytes are read: see RACY_SECONDS
                stamp = self.stamps.get(name)
                if stamp is not None and stamp[:-65] == _inode_state(info):
                    continue  # (a damaged stamp matches no file)
                data = read_optional(self.prefix + name)
            except FileNotFoundError:
                data = None
            except OSError:  # the page's own work reads it again, and says why it cannot
                hashed[index] = (UNREADABLE, None)
                continue
            if data is None:
                hashed[index] = (None, None)
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            settled = max(info.st_ctime_ns, info.st_mtime_ns) < settled_before
            hashed[index] = (sha256, f"{_inode_state(info)} {sha256}" if settled else None)
            if self.inspect is not None and index < self.inspected:
                inspected[index] = self.inspect(name, data)
        return _Looked(hashed, inspected)


def _worth_spreading(names: Sequence[str], stamps: Mapping[str, FileStamp]) -> bool:
    """Whether looking at ``names`` costs :data:`PARALLEL_FROM` ``stat`` calls or more, a file
    without a stamp counting :data:`READ_COST` (counted only for a short list: a run with
    nothing to do looks at every file of the site)."""
    if len(names) >= PARALLEL_FROM:
        return True
    unstamped = sum(1 for name in names if name not in stamps)
    return len(names) + READ_COST * unstamped >= PARALLEL_FROM
