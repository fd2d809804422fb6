"""The file system edge: writes that never leave a half-written file behind, a lock that keeps
two runs from interleaving, and paths that never lead outside the site."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

from .errors import ExtransError

__all__ = [
    "CACHE_DIR",
    "NAME_MAX",
    "atomic_write",
    "inside",
    "read_all",
    "read_optional",
    "remove_stray_temporaries",
    "site_lock",
    "within",
]

StrPath: TypeAlias = "str | os.PathLike[str]"

CACHE_DIR = ".extrans-cache"
"""The one folder extrans keeps for itself in a site (ignored by git: it says so itself)."""
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def inside(root: StrPath, path: StrPath) -> bool:
    """Whether ``path``, with every symlink resolved, lies inside ``root``."""
    target = os.fspath(path)
    try:
        linked = stat.S_ISLNK(os.lstat(target).st_mode)
    except FileNotFoundError:  # a new file lies where its folder does
        linked = False
    except OSError:
        linked = True
    return within(target, linked, root)


def within(target: str, linked: bool, root: StrPath) -> bool:
    """:func:`inside`, when whether ``target`` is a symlink (``linked``) is already known."""
    return _within(_real_path(target, linked), os.fspath(root))


def _real_path(target: str, linked: bool) -> str:
    """``target`` with every symlink resolved; ``linked`` says whether it is one itself."""
    if linked:
        return os.path.realpath(target)
    folder, name = os.path.split(target)
    return os.path.join(_real_folder(folder), name)


def _within(real: str, root: str) -> bool:
    top = _real_folder(root)
    return real == top or real.startswith(top if top.endswith(os.sep) else top + os.sep)


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """A folder's path with every symlink resolved, as far as it exists (a run looks at the
    same few folders thousands of times; a folder swapped for a symlink in mid-run is not a
    case worth a system call per page)."""
    return os.path.realpath(folder or ".")


def atomic_write(path: StrPath, data: bytes, *, root: StrPath | None = None) -> None:
    """Write ``data`` to ``path``: a temporary file in the same folder, flushed to disk, then
    renamed over the target, so a reader (or a crash) sees the old file or the new one.

    With ``root``, refuse a target that a symlink would lead outside of it.
    """
    target = os.fspath(path)
    try:
        info: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        info = None
    linked = info is not None and stat.S_ISLNK(info.st_mode)
    if root is not None and not within(target, linked, root):
        raise ExtransError("refusing to write outside the site (a symlink leads out)", target)
    if linked:
        info = _stat_or_none(target)
    old_mode = None if info is None else stat.S_IMODE(info.st_mode)
    try:
        handle, temporary = _create_temporary(target)
    except OSError as err:
        raise _naming(target, err) from err
    try:
        try:
            _write_all(handle, data)
            if old_mode is not None:  # after a power cut, the old name never points at lost data
                os.fsync(handle)
        finally:
            os.close(handle)
        if old_mode is not None and old_mode != _default_mode():
            os.chmod(temporary, old_mode)
        os.replace(temporary, target)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise _naming(target, err) from err
        raise


def _naming(target: str, err: OSError) -> OSError:
    """``err`` about ``target``: the name of a temporary file (or none, as a failed write
    gives) would tell a user nothing."""
    return OSError(err.errno, err.strerror, target)


def _write_all(handle: int, data: bytes) -> None:
    """Write all of ``data`` with plain system calls (a file object would add a terminal
    check, a seek and a stat to each of the thousands of small files a run writes)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _stat_or_none(target: str) -> os.stat_result | None:
    try:
        return os.stat(target)
    except FileNotFoundError:  # a dangling symlink: replaced like a missing file
        return None


def _create_temporary(target: str) -> tuple[int, str]:
    """A new file ``.NAME.XXXXXXXX.tmp`` next to the target (made with the permissions a new
    file gets), open for writing; the folder is created if need be."""
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC
    for _ in range(100):
        token = os.urandom(4).hex()  # (eight characters of those _TEMPORARY matches)
        temporary = os.path.join(folder, f".{_shortened(name)}.{token}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    raise ExtransError("cannot create a temporary file next to it", target)


NAME_MAX = 255
"""The longest file name, in bytes, that common file systems allow."""
_TEMPORARY_EXTRA = len(".") + len(".XXXXXXXX.tmp")


def _shortened(name: str) -> str:
    """``name`` cut so that its temporary file's name stays within the file system's limit
    (a name near the limit is a valid page or catalog name)."""
    data = os.fsencode(name)
    room = NAME_MAX - _TEMPORARY_EXTRA
    return name if len(data) <= room else os.fsdecode(data[:room])


@lru_cache(maxsize=1)
def _default_mode() -> int:
    """The permissions of a new file: 0o666 less the umask (read once: reading it sets it)."""
    return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_optional(path: StrPath) -> bytes | None:
    """The file's bytes, or ``None`` if it does not exist."""
    try:
        handle = os.open(path, os.O_RDONLY | _CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        return read_all(handle)
    except OSError as err:  # (a folder opens, and fails only when read)
        raise _naming(os.fspath(path), err) from err
    finally:
        os.close(handle)


def read_all(handle: int, size: int | None = None) -> bytes:
    """Everything left in an open file (``size``: its size, when known), with plain system
    calls: what ``open(...).read()`` does, without its buffer objects and terminal check,
    which cost more than the read itself for the small files a site is made of."""
    if size is None:
        size = os.fstat(handle).st_size
    first = os.read(handle, size + 1)
    if len(first) <= size:
        return first  # short of what was asked for: the end of the file
    chunks = [first]
    while chunks[-1]:  # the file grew since its size was read
        chunks.append(os.read(handle, max(size, 65536)))
    return b"".join(chunks)


def remove_stray_temporaries(folders: list[Path]) -> int:
    """Delete the temporary files a killed run left (``.name.XXXXXXXX.tmp``); how many."""
    removed = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for directory, _, files in os.walk(folder):
            for name in files:
                if _TEMPORARY.match(name):
                    Path(directory, name).unlink(missing_ok=True)
                    removed += 1
    return removed


@contextlib.contextmanager
def site_lock(
    root: Path, *, timeout: float = 60.0, on_wait: Callable[[str], None] | None = None
) -> Iterator[bool]:
    """Hold the site's lock: a second run waits for the first (saying so once through
    ``on_wait``), and gives up with an :class:`ExtransError` after ``timeout`` seconds.

    Yields whether the last run may not have ended cleanly: it was killed or interrupted
    holding the lock (its pid is still written in it), or no run is on record.
    """
    cache = root / CACHE_DIR
    cache.mkdir(exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        atomic_write(ignore, b"# extrans's own working files\n*\n")
    path = cache / "lock"
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, as before
        yield True
        return
    on_record = path.exists()
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ExtransError(
                        f"another extrans run still holds the site's lock after {timeout:g} s; "
                        "wait for it to end, or use --lock-timeout",
                        path,
                    ) from None
                if not told and on_wait is not None:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    on_wait(f"waiting for another extrans run ({holder}) to finish...")
                    told = True
                time.sleep(0.05)
        handle.seek(0)
        killed = bool(handle.read().strip())
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield killed or not on_record
            # (not reached when the run is interrupted or fails: the pid stays, as after a kill)
            handle.seek(0)
            handle.truncate()
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
