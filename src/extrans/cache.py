"""What the last run saw, so that a run can skip pages whose inputs did not change.

A page is skipped only when the hashes of everything that decides its outputs (the page's
bytes, the settings, extrans's version) and of the outputs themselves, as they are on disk
now, equal what the last run recorded: then running again would write the same bytes. A
file is read for its hash only when its inode changed since it was last hashed (see
:class:`FileStamp`). A cache that is missing, unreadable, from another version or for other
settings is ignored, never trusted. It lives in ``.extrans-cache/`` (see ``fsio.CACHE_DIR``).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Settings
from .fsio import CACHE_DIR, atomic_write, read_optional

__all__ = [
    "CacheEntry",
    "FileStamp",
    "PageCache",
    "digest",
    "digest_of_hash",
    "file_digest",
    "file_hashes",
    "fingerprint",
]


def digest(data: bytes | None) -> str:
    """A content hash: the first 128 bits of the SHA-256 (which processors compute in
    hardware: twice as fast as BLAKE2 here) in hex; ``"-"`` for a file that does not exist."""
    return "-" if data is None else hashlib.sha256(data).hexdigest()[:32]


def digest_of_hash(sha256: str | None) -> str:
    """:func:`digest` of the data whose full SHA-256 (hex) is given (``None``: no file)."""
    return "-" if sha256 is None else sha256[:32]


def file_digest(root: Path | str, relative: str) -> str:
    """:func:`digest` of a file's bytes (plain strings and system calls: this runs for every
    file of the site on every run)."""
    return digest(read_optional(os.path.join(root, relative)))


PARALLEL_FROM = 2000
"""Fewer files than this are hashed in this process: starting workers would cost more."""


def file_hashes(root: Path, relatives: Sequence[str], jobs: int = 1) -> dict[str, str | None]:
    """The full SHA-256 (hex) of each file, ``None`` for one that does not exist; over
    ``jobs`` processes for many files (reading and hashing the whole site is most of a run
    that finds nothing to do). Threads were measured: slower here, not faster."""
    paths = list(relatives)
    if jobs <= 1 or len(paths) < PARALLEL_FROM:
        return dict(zip(paths, _hash_files(str(root), paths), strict=True))
    from .parallel import map_in_order

    size = -(-len(paths) // (jobs * 4))  # a few chunks a worker, so that they end together
    chunks = [tuple(paths[i : i + size]) for i in range(0, len(paths), size)]
    hashes: list[str | None] = []
    for found in map_in_order(_hash_chunk, chunks, jobs=jobs, context=str(root), small=2):
        hashes += found
    return dict(zip(paths, hashes, strict=True))


def _hash_chunk(chunk: tuple[str, ...]) -> list[str | None]:
    from .parallel import worker_context

    return _hash_files(worker_context(), chunk)


def _hash_files(root: str, relatives: Sequence[str]) -> list[str | None]:
    hashes: list[str | None] = []
    for relative in relatives:
        data = read_optional(os.path.join(root, relative))
        hashes.append(None if data is None else hashlib.sha256(data).hexdigest())
    return hashes


def fingerprint(settings: Settings, *extra: object) -> str:
    """A hash of everything besides the files that decides a run's outputs."""
    return digest(repr((__version__, settings, extra)).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file's inode said when its bytes were hashed, and their hash.

    While size, modification time, change time, inode and device are all the same, so are the
    bytes: the change time moves with every write and no tool can set it back (``touch``,
    ``git checkout``, ``cp -p`` and ``rsync -t`` all move it). A run looks a file up here
    instead of reading it, as git does with its index; the key stays the content hash.
    """

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int
    sha256: str

    def matches(self, info: os.stat_result) -> bool:
        return (
            info.st_ctime_ns == self.ctime_ns
            and info.st_mtime_ns == self.mtime_ns
            and info.st_size == self.size
            and info.st_ino == self.inode
            and info.st_dev == self.device
        )


RACY_SECONDS = 2
"""A file changed this recently when it was hashed is not stamped: a write in the same tick of
the file system's clock, right after the hash, would leave the stamp as it was."""


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

    def __init__(
        self,
        path: Path,
        fingerprint: str,
        entries: dict[str, CacheEntry],
        files: dict[str, FileStamp] | None = None,
    ) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.entries = entries
        self.files = files or {}
        """The stamp of each file hashed by the last runs (see :meth:`hashes`)."""
        self.changed = False
        self._looked_at: set[str] = set()

    @classmethod
    def load(cls, root: Path, name: str, fingerprint: str) -> PageCache:
        path = root / CACHE_DIR / f"{name}.json"
        entries: dict[str, CacheEntry] = {}
        files: dict[str, FileStamp] = {}
        try:
            data = json.loads(read_optional(path) or b"{}")
            if data.get("fingerprint") == fingerprint:
                for page, item in data["pages"].items():
                    entries[str(page)] = CacheEntry(
                        str(item["source"]),
                        str(item["key"]),
                        {str(k): str(v) for k, v in item["outputs"].items()},
                    )
                # (a stamp of the wrong types matches no file: it is not checked further)
                for name, (size, mtime, ctime, inode, device, sha256) in data["files"].items():
                    files[name] = FileStamp(size, mtime, ctime, inode, device, str(sha256))
        except (ValueError, KeyError, TypeError, AttributeError):
            entries, files = {}, {}  # damaged: start afresh
        return cls(path, fingerprint, entries, files)

    def hashes(self, root: Path, relatives: Sequence[str], jobs: int = 1) -> dict[str, str | None]:
        """:func:`file_hashes`, reading only the files whose stamp changed (one ``stat``
        for each of the others); the stamps are brought up to date."""
        now = time.time_ns()
        found: dict[str, str | None] = {}
        looked: dict[str, os.stat_result] = {}
        prefix = os.path.join(root, "")
        for relative in relatives:
            try:
                info = os.stat(prefix + relative)
            except FileNotFoundError:
                found[relative] = None
                continue
            stamp = self.files.get(relative)
            if stamp is not None and stamp.matches(info):
                found[relative] = stamp.sha256
            else:
                looked[relative] = info  # taken before the bytes are read: see RACY_SECONDS
        for relative, sha256 in file_hashes(root, list(looked), jobs).items():
            found[relative] = sha256
            info = looked[relative]
            settled = max(info.st_ctime_ns, info.st_mtime_ns) < now - RACY_SECONDS * 10**9
            if sha256 is not None and settled:
                self.files[relative] = FileStamp(
                    info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino,
                    info.st_dev, sha256,
                )  # fmt: skip
                self.changed = True
            elif self.files.pop(relative, None) is not None:
                self.changed = True
        self._looked_at.update(relatives)
        return {relative: found[relative] for relative in relatives}

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
        if not self.changed:
            return
        body = {
            "fingerprint": self.fingerprint,
            "pages": {
                page: {"source": e.source, "key": e.key, "outputs": dict(e.outputs)}
                for page, e in sorted(self.entries.items())
            },
            "files": {
                name: [f.size, f.mtime_ns, f.ctime_ns, f.inode, f.device, f.sha256]
                for name, f in sorted(self.files.items())
            },
        }
        atomic_write(self.path, json.dumps(body, separators=(",", ":")).encode("utf-8"), root=root)
