"""What the last run saw, so that a run can skip pages whose inputs did not change.

A page is skipped only when the hashes of everything that decides its outputs (the page's
bytes, the settings, extrans's version) and of the outputs themselves, as they are on disk
now, equal what the last run recorded: then running again would write the same bytes. A
file is read for its hash only when its inode changed since it was last hashed (see
:data:`FileStamp`). A cache that is missing, unreadable, from another version or for other
settings is ignored, never trusted. It lives in ``.extrans-cache/`` (see ``fsio.CACHE_DIR``).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .. import __version__
from ..plumbing.fsio import CACHE_DIR, atomic_write, read_optional, read_own
from ..plumbing.parallel import map_in_order
from .config import Settings

__all__ = [
    "CACHE_FORMAT",
    "UNREADABLE",
    "CacheEntry",
    "ExpectedOutputs",
    "FileStamp",
    "Looked",
    "PageCache",
    "digest",
    "digest_of_hash",
    "expected_outputs",
    "fingerprint",
    "stays_inside",
]


def digest(data: bytes | None) -> str:
    """A content hash: the first 128 bits of the SHA-256 (which processors compute in
    hardware) in hex; ``"-"`` for a file that does not exist."""
    return "-" if data is None else hashlib.sha256(data).hexdigest()[:32]


def digest_of_hash(sha256: str | None) -> str:
    """:func:`digest` of the data whose full SHA-256 (hex) is given (``None``: no file)."""
    return "-" if sha256 is None else sha256[:32]


PARALLEL_FROM = 2000
"""A look at files worth fewer ``stat`` calls than this runs in this process: starting
workers would cost more."""
READ_COST = 8
"""What a file without a stamp costs a look, in ``stat`` calls: it is read, hashed (and
maybe inspected) as well."""


CACHE_FORMAT = 2
"""The layout of the cache's files and of what they record: a cache of another is ignored."""


def fingerprint(settings: Settings, *extra: object) -> str:
    """A hash of everything besides the files that decides a run's outputs, and of the
    checkout the cache belongs to: the site root's device and inode. A cache copied or
    cloned with the site, copied from another clone or committed to git was not made by
    runs on these files, and is never trusted, even where its stamps would match."""
    try:
        info = os.stat(settings.site_root)
        checkout: tuple[int, int] | None = (info.st_dev, info.st_ino)
    except OSError:  # (the run then stops at the site's first file, with a message)
        checkout = None
    return digest(repr((CACHE_FORMAT, __version__, checkout, settings, extra)).encode("utf-8"))


def stays_inside(key: str) -> bool:
    """Whether files named by a key the cache recorded stay in their folders: it is not
    empty or absolute, and has no ``..``, ``.`` or empty path component nor a NUL. (Every key
    recorded passed ``pages.check_key`` when its page was read; this is only what a damaged
    or doctored cache must not get past, and is looked at for every page on every run.)"""
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
a key no page can have): a run's own stage knows them."""


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
"""What a file's inode said when its bytes were hashed, and their hash, as one text:
``"size mtime_ns ctime_ns inode device sha256"``.

While size, modification time, change time, inode and device are all the same, so are the
bytes: the change time moves with every write and no tool can set it back (``touch``,
``git checkout``, ``cp -p`` and ``rsync -t`` all move it). A run looks a file up here
instead of reading it, as git does with its index; the key stays the content hash.

Kept as the text it is saved as: every run loads one for each file of the site, and JSON
reads one string much faster than an array of six values.
"""


def _inode_state(info: os.stat_result) -> str:
    """The part of a :data:`FileStamp` before its hash."""
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino} {info.st_dev}"


UNREADABLE = "unreadable"
"""The hash a look gives a file it cannot read (a folder, a symlink loop, no permission): it
equals no digest recorded, so whatever depends on the file is done again."""

RACY_SECONDS = 2
"""A file changed this recently when it was hashed is not stamped: a write in the same tick of
the file system's clock, right after the hash, would leave the stamp as it was."""


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One page as the last run left it."""

    source: str
    """Hash of the source page's bytes."""
    key: str
    outputs: Mapping[str, str]
    """Hash of each file the page's run produced or read, by path from the site root."""


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
        doctored one (a key that is no key, an output left out or added, a file outside the
        page's own) costs the page's work again, never a wrong answer."""
        shown = f"{CACHE_DIR}/{name}.json"
        path = root / shown
        entries: dict[str, CacheEntry] = {}
        files: dict[str, FileStamp] = {}
        # The load makes an object or more per file of the site, none of them garbage: the
        # collections they would set off only walk them.
        collecting = gc.isenabled()
        gc.disable()
        try:
            data = json.loads(read_own(path, root) or b"{}")
            if data.get("fingerprint") == fingerprint:
                for page, (source, key, outputs) in data["pages"].items():
                    if type(key) is not str or type(outputs) is not dict:
                        raise TypeError(page)
                    if outputs.keys() != expected(page, key):
                        continue
                    # (a digest of the wrong type matches no file: the page is done again)
                    entries[page] = CacheEntry(source, key, outputs)
                files = {  # (JSON keys are strings)
                    name: stamp for name, stamp in data["files"].items() if type(stamp) is str
                }
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            entries, files = {}, {}  # unreadable or damaged (nested past the stack): afresh
        finally:
            if collecting:
                gc.enable()
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
        """The full SHA-256 (hex) of each file, ``None`` for one that does not exist
        (:data:`UNREADABLE` for one that cannot be read), reading only the files whose stamp
        changed (one ``stat`` for each of the others); the stamps are brought up to date.
        ``inspect(name, data)`` is called for each of the first ``inspected`` files that had
        to be read (so that a file read for its hash is not read again for what else it
        says). Over ``jobs`` processes for many files: a run that finds nothing to do is
        mostly this."""
        names = list(relatives)
        size = -(-len(names) // (jobs * 4))  # a few chunks a worker, so that they end together
        job = _Look(
            os.path.join(root, ""), self.files, time.time_ns(), inspect, inspected, names, size
        )
        parts = (
            map_in_order(_Look.look_part, job, range(0, len(names), size), jobs=jobs, small=2)
            if jobs > 1 and _worth_spreading(names, self.files)
            else [job.look(names, 0)]
        )
        # Every file the look did not report kept its stamp: its hash is the stamp's.
        stamps = self.files
        result: dict[str, str | None] = {
            name: stamps[name][-64:] for name in names if name in stamps
        }
        known = len(result)
        found: dict[str, object] = {}
        for part in parts:
            for index in part.missing:
                result[names[index]] = None
                self._drop_stamp(names[index])
            for index, (sha256, stamp) in part.hashed.items():
                result[names[index]] = sha256
                if stamp is None:
                    self._drop_stamp(names[index])
                else:
                    stamps[names[index]] = stamp
                    self.changed = True
            for index, value in part.inspected.items():
                found[names[index]] = value
        self._looked_at.update(names)
        if len(result) > known:  # files without a stamp came last: back in the given order
            result = {name: result[name] for name in names}
        return Looked(result, found)

    def _drop_stamp(self, name: str) -> None:
        if self.files.pop(name, None) is not None:
            self.changed = True

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
        for path, value in entry.outputs.items():
            if digests.get(path) != value:
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
        if not self.changed:
            return
        body = {
            "fingerprint": self.fingerprint,
            "pages": {
                page: [e.source, e.key, dict(e.outputs)] for page, e in sorted(self.entries.items())
            },
            "files": dict(sorted(self.files.items())),
        }
        atomic_write(self.path, json.dumps(body, separators=(",", ":")).encode("utf-8"), root=root)


@dataclass(frozen=True, slots=True)
class Looked:
    """What :meth:`PageCache.look` found, by file name."""

    hashes: dict[str, str | None]
    """The full SHA-256 (hex) of each file, ``None`` for one that does not exist,
    :data:`UNREADABLE` for one that cannot be read."""
    inspected: dict[str, object]
    """What ``inspect`` said of each file it was given."""


@dataclass(frozen=True, slots=True)
class _Looked:
    """What a look at some files found that their stamps did not already say, by the
    file's index in the run's list: which are missing, the hash (and new stamp, once
    the file has settled) of each file read, and what ``inspect`` said of it."""

    missing: tuple[int, ...]
    hashed: dict[int, tuple[str, FileStamp | None]]
    inspected: dict[int, object]


@dataclass(frozen=True, slots=True)
class _Look:
    """A look at files: ``stat`` each, read and hash those whose stamp does not match."""

    prefix: str
    """The site's root, ending in a separator."""
    stamps: Mapping[str, FileStamp]
    now: int
    """When the look started (ns): files changed less than RACY_SECONDS before it are not
    stamped."""
    inspect: Callable[[str, bytes], object] | None
    inspected: int
    """``inspect`` is given the bytes of the files read among the first ``inspected``."""
    names: Sequence[str]
    """Every file of the look, in the run's order."""
    size: int
    """How many files a part of the look is (when it is spread over processes)."""

    def look_part(self, start: int) -> _Looked:
        return self.look(self.names[start : start + self.size], start)

    def look(self, names: Sequence[str], first: int) -> _Looked:
        """``first``: the index of ``names[0]`` in the run's list."""
        missing: list[int] = []
        hashed: dict[int, tuple[str, FileStamp | None]] = {}
        inspected: dict[int, object] = {}
        inspect = self.inspect if first < self.inspected else None
        settled_before = self.now - RACY_SECONDS * 10**9
        for index, name in enumerate(names, first):
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
                missing.append(index)
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            settled = max(info.st_ctime_ns, info.st_mtime_ns) < settled_before
            hashed[index] = (sha256, f"{_inode_state(info)} {sha256}" if settled else None)
            if inspect is not None and index < self.inspected:
                inspected[index] = inspect(name, data)
        return _Looked(tuple(missing), hashed, inspected)


def _worth_spreading(names: Sequence[str], stamps: Mapping[str, FileStamp]) -> bool:
    """Whether looking at ``names`` costs :data:`PARALLEL_FROM` ``stat`` calls or more, the
    files without a stamp counting :data:`READ_COST` each (counted only for a short list: a
    run with nothing to do looks at every file of the site)."""
    if len(names) >= PARALLEL_FROM:
        return True
    unstamped = sum(1 for name in names if name not in stamps)
    return len(names) + READ_COST * unstamped >= PARALLEL_FROM
