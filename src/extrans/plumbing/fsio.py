"""The file system edge: writes that never leave a half-written file behind, a lock that keeps
two runs from interleaving, and paths that never lead outside the site."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, TypeAlias

from ..errors import EXCERPT, ExtransError, SpecialFileError, file_problem, printable, shown_path

__all__ = [
    "CACHE_DIR",
    "NAME_MAX",
    "READ",
    "SAVE_ATTEMPTS",
    "FileState",
    "Listing",
    "atomic_write",
    "check_in_folder",
    "file_problem_at",
    "forget_real_folders",
    "inside",
    "list_files",
    "open_file",
    "open_inside",
    "read_all",
    "read_inside",
    "read_optional",
    "read_own",
    "read_with_state",
    "remove_stray_temporaries",
    "site_lock",
    "within",
]

StrPath: TypeAlias = "str | os.PathLike[str]"

CACHE_DIR = ".extrans-cache"
"""The one folder extrans keeps for itself in a site (ignored by git: it says so itself)."""
SAVE_ATTEMPTS = 3
"""How many times a run works on a file again when someone else writes it while the run
works on it (see ``atomic_write(expected=)``), before it leaves the file as it is."""
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
READ = os.O_RDONLY | _CLOEXEC | _NONBLOCK
"""How extrans opens a file to read it: a FIFO in a file's place opens at once (and
:func:`read_all` refuses it) rather than waiting forever for a writer."""
_LEADS_OUT = "refusing to write outside the site (a symlink leads out)"
_TEMPORARY = re.compile(r"^\..+\.extrans-[0-9a-f]{8}\.tmp\Z")
"""The name of a temporary file extrans makes (see :func:`_create_temporary`), and no other:
a user's ``.notes.20240101.tmp`` is theirs."""


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
    if linked:
        real = os.path.realpath(target)
    else:
        folder, name = os.path.split(target)
        real = os.path.join(_real_folder(folder), name)
    top = _real_folder(os.fspath(root))
    return real == top or real.startswith(os.path.join(top, ""))


def forget_real_folders() -> None:
    """Resolve every folder again from now on: a new run (in the same process) must not
    trust what the last one saw, since a folder may have become a symlink since."""
    _real_folder.cache_clear()


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """A folder's path with every symlink resolved, as far as it exists (a run looks at the
    same few folders thousands of times; a folder swapped for a symlink in mid-run is not a
    case worth a system call per page)."""
    return os.path.realpath(folder or ".")


def atomic_write(
    path: StrPath,
    data: bytes,
    *,
    root: StrPath,
    expected: FileState | None = None,
    folder: StrPath | None = None,
) -> bool:
    """Write ``data`` to ``path``: a temporary file in the same folder, flushed to disk, then
    renamed over the target, so a reader (or a crash) sees the old file or the new one.

    A target that a symlink would lead outside ``root`` (the site) is refused before anything
    is created (and so is one that a symlink leads outside ``folder``, a folder of the site
    the file must lie in: a language's content folder, whose symlinked subfolder could lead
    into the source pages); a symlink inside it is replaced by the file, never written
    through. With
    ``expected`` (what :func:`read_with_state` saw), the target is replaced only if it is
    still that file: if anyone wrote, created or removed it since, nothing is written and
    the result is False (see :func:`changed_since` for the race that remains).
    """
    target = os.fspath(path)
    try:
        info: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        info = None
    linked = info is not None and stat.S_ISLNK(info.st_mode)
    if not within(target, linked, root):
        raise ExtransError(_LEADS_OUT, _shown(target, root))
    if folder is not None:
        check_in_folder(target, folder, root=root)
    if linked:
        info = _stat_or_none(target)
    old_mode = None if info is None else stat.S_IMODE(info.st_mode)
    try:
        handle, temporary = _create_temporary(target, root)
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
        if expected is not None and changed_since(target, expected):
            os.unlink(temporary)
            return False
        os.replace(temporary, target)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(err, OSError):
            raise _naming(target, err) from err
        raise
    return True


def check_in_folder(path: StrPath, folder: StrPath, *, root: StrPath, doing: str = "write") -> None:
    """Refuse ``path`` (an :class:`ExtransError` naming it from ``root``, the site; ``doing``:
    what extrans was to do with it, in words) if the folder it is in lies, every symlink
    resolved, elsewhere in the site than inside ``folder``: a symlinked folder in a
    language's content or catalog folder could lead into another language's files. (A
    path that leads out of the site is left to the reader's or writer's own refusal, which
    says so; a symlink in the file's own place is replaced, never written through.)"""
    target = os.fspath(path)
    if not within(target, False, folder) and within(target, False, root):
        raise ExtransError(
            f"refusing to {doing} outside {_shown(os.fspath(folder), root)}/ (a symlink leads out "
            "of it); make the folders in it real ones",
            _shown(target, root),
        )


def _shown(target: str, root: StrPath) -> str:
    return shown_path(os.path.relpath(target, root))


def _naming(target: str, err: OSError) -> OSError:
    """``err`` about ``target``: the name of a temporary file (or none, as a failed write
    gives) would tell a user nothing."""
    if isinstance(err, SpecialFileError):
        return SpecialFileError(err.errno, err.strerror, target)
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


def _create_temporary(target: str, root: StrPath) -> tuple[int, str]:
    """A new file ``.NAME.extrans-XXXXXXXX.tmp`` next to the target (made with the
    permissions a new file gets), open for writing; the folder is created if need be.
    ``O_EXCL`` makes a name that exists, even as a symlink, fail instead of being opened."""
    folder, name = os.path.split(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(100):
        token = os.urandom(4).hex()  # (eight hex digits, as _TEMPORARY matches)
        temporary = os.path.join(folder, f".{_shortened(name)}.extrans-{token}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    raise ExtransError("cannot create a temporary file next to it", _shown(target, root))


NAME_MAX = 255
"""The longest file name, in bytes, that common file systems allow."""
_TEMPORARY_EXTRA = len(".") + len(".extrans-XXXXXXXX.tmp")


def _shortened(name: str) -> str:
    """``name`` cut so that its temporary file's name stays within the file system's limit
    (a name near the limit is a valid page or catalog name)."""
    data = os.fsencode(name)
    room = NAME_MAX - _TEMPORARY_EXTRA
    return name if len(data) <= room else os.fsdecode(data[:room])


@lru_cache(maxsize=1)
def _default_mode() -> int:
    """The permissions of a new file: 0o666 less the umask (read once: reading it sets it)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def open_inside(path: StrPath, flags: int, *, root: StrPath) -> int:
    """Open a file that extrans writes in place (its lock) with ``flags``,
    creating it with the permissions a new file gets if they say so; never through a
    symlink: the folder must lie inside ``root`` (the site), and the file must be a plain
    one, not a symlink (the last component is opened with ``O_NOFOLLOW``), a folder, a FIFO
    (which would block the run) or a device (which would take the bytes)."""
    target = os.fspath(path)
    shown = _shown(target, root)
    if not within(target, False, root):
        raise ExtransError(_LEADS_OUT, shown)
    try:
        found = os.lstat(target)
        mode, links = found.st_mode, found.st_nlink
    except FileNotFoundError:
        mode, links = stat.S_IFREG, 1
    if not stat.S_ISREG(mode) or links > 1:
        raise _not_a_file(mode, shown, links)
    handle = os.open(target, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, 0o666)
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:  # swapped since the lstat
        os.close(handle)
        raise _not_a_file(info.st_mode, shown, info.st_nlink)
    return handle


def read_own(path: StrPath, root: StrPath) -> bytes | None:
    """:func:`read_inside` for a file extrans keeps for itself (a cache, a journal): one that
    is not a plain file with one name is refused as :func:`open_inside` refuses it."""
    target = os.fspath(path)
    shown = _shown(target, root)
    try:
        data, info = _read_inside(target, shown, root, "the site", ExtransError)
    except SpecialFileError as err:
        raise ExtransError(f"{err.strerror}, {_OWN_FILE}", shown) from err
    if info is not None and info.st_nlink > 1:
        raise _not_a_file(info.st_mode, shown, info.st_nlink)
    return data


_OWN_FILE = "where extrans keeps a file of its own; remove it"


def _not_a_file(mode: int, shown: str, links: int = 1) -> ExtransError:
    """A file of extrans's own that is not a plain file, or has other names (a hard link to
    a file elsewhere: writing it would write that file)."""
    if stat.S_ISREG(mode) and links > 1:
        return ExtransError(f"is a file with {links} hard links, {_OWN_FILE}", shown)
    return ExtransError(f"is {_kind(mode)}, {_OWN_FILE}", shown)


def file_problem_at(path: StrPath) -> str | None:
    """What keeps ``path`` (symlinks followed) from being read as a file, in the words of
    ``errors.file_problem``; ``None`` if it is a plain file. A look, without opening it."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return file_problem(err)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return file_problem(OSError(errno.EISDIR, os.strerror(errno.EISDIR)))
    return file_problem(SpecialFileError(errno.EINVAL, f"is {_kind(mode)}", os.fspath(path)))


@dataclass(frozen=True, slots=True)
class Listing:
    """The files of a folder tree whose names end in one suffix, whatever they are (a folder
    or a FIFO so named is listed, for its reader to refuse), and the folders of the tree
    that could not be listed."""

    paths: tuple[Path, ...]
    """Sorted."""
    unreadable: tuple[OSError, ...]
    """The errors of the folders that could not be listed, each naming its folder."""


def list_files(folder: Path, suffix: str) -> Listing:
    """Every name in ``folder`` and below that ends in ``suffix`` (symlinked folders are listed,
    not walked); a missing ``folder`` holds none, and one that is no folder cannot be listed."""
    paths: list[Path] = []
    unreadable: list[OSError] = []

    def failed(err: OSError) -> None:
        if not isinstance(err, FileNotFoundError) or err.filename != os.fspath(folder):
            unreadable.append(err)

    for top, folders, files in os.walk(folder, onerror=failed):
        paths += (Path(top, name) for name in (*folders, *files) if name.endswith(suffix))
    return Listing(tuple(sorted(paths)), tuple(unreadable))


def _kind(mode: int) -> str:
    """What a file that is not a plain one is, in words."""
    if stat.S_ISLNK(mode):
        return "a symlink"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a file"
    return "a device"


def open_file(path: StrPath, flags: int = READ) -> tuple[int, os.stat_result]:
    """Open a file to read (``flags``, e.g. with ``O_NOFOLLOW``), and its status; every file
    extrans reads is opened here. It is opened without waiting (``O_NONBLOCK``: a FIFO would
    block the run until someone wrote to it) and refused unless it is a plain file: a folder
    with ``EISDIR``, a FIFO, socket or device with :class:`SpecialFileError`."""
    target = os.fspath(path)
    try:
        handle = os.open(target, flags | _NONBLOCK | _CLOEXEC)
    except OSError as err:
        if err.errno in _SPECIAL_OPEN_ERRORS:  # a socket, or a device without its driver
            mode = _mode_or_none(target)
            if mode is not None and not stat.S_ISREG(mode):
                raise SpecialFileError(errno.EINVAL, f"is {_kind(mode)}", target) from err
        raise
    try:
        info = os.fstat(handle)
    except BaseException:
        os.close(handle)
        raise
    if not stat.S_ISREG(info.st_mode):
        os.close(handle)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
        raise SpecialFileError(errno.EINVAL, f"is {_kind(info.st_mode)}", target)
    return handle, info


_SPECIAL_OPEN_ERRORS = frozenset(
    {errno.ENXIO, errno.ENODEV, getattr(errno, "EOPNOTSUPP", errno.ENXIO)}
)
"""What opening a file that is not one can fail with, before its status can be looked at."""


def _mode_or_none(target: str) -> int | None:
    try:
        return os.stat(target).st_mode
    except OSError:
        return None


def read_optional(path: StrPath) -> bytes | None:
    """The file's bytes, or ``None`` if it does not exist."""
    try:
        handle, info = open_file(path)
    except FileNotFoundError:
        return None
    try:
        return read_all(handle, info.st_size)
    except OSError as err:
        raise _naming(os.fspath(path), err) from err
    finally:
        os.close(handle)


def read_inside(
    path: StrPath,
    shown: str,
    root: StrPath,
    *,
    place: str = "the site",
    error: type[ExtransError] = ExtransError,
) -> bytes | None:
    """:func:`read_optional`, refusing (with ``error``, naming ``shown``) a file that a
    symlink leads outside ``root`` (``place`` in words) before reading a byte of it: what
    it holds could be anything the user can read, and a message might quote it."""
    return _read_inside(path, shown, root, place, error)[0]


@dataclass(frozen=True, slots=True)
class FileState:
    """A file as it was when it was read: enough to tell whether anyone has written it since."""

    inode: tuple[int, int, int, int, int] | None
    """Size, modification and change times (ns), inode and device; ``None``: no such file."""
    sha256: str | None
    """The SHA-256 (hex) of the bytes that were read."""


def read_with_state(
    path: StrPath, shown: str, root: StrPath, *, error: type[ExtransError] = ExtransError
) -> tuple[bytes | None, FileState]:
    """:func:`read_inside`, and the file's state as it was read (for
    ``atomic_write(expected=)``): taken before the bytes are, so that a write while they
    are read leaves a state that no longer matches, and is never missed."""
    data, info = _read_inside(path, shown, root, "the site", error)
    return data, _state(data, info)


def _state(data: bytes | None, info: os.stat_result | None) -> FileState:
    if data is None or info is None:
        return FileState(None, None)
    return FileState(_inode(info), hashlib.sha256(data).hexdigest())


def _inode(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def changed_since(path: StrPath, state: FileState) -> bool:
    """Whether the file is no longer what ``state`` says was read: created, removed, or
    written (its size, times, inode or bytes differ; the bytes are read again when all else
    is the same, since a write in the same tick of the clock leaves the times as they were).

    What a caller decides from the answer can still be overtaken: a write that lands between
    this look and the caller's next system call (a rename, microseconds later), or one by a
    program that opened the file before and writes into it after, goes unseen.
    """
    target = os.fspath(path)
    try:
        handle, info = open_file(target)
    except FileNotFoundError:
        return state.inode is not None
    except OSError:  # a folder or a FIFO in its place: not what was read
        return True
    try:
        if _inode(info) != state.inode:
            return True
        return hashlib.sha256(read_all(handle, info.st_size)).hexdigest() != state.sha256
    finally:
        os.close(handle)


def _read_inside(
    path: StrPath, shown: str, root: StrPath, place: str, error: type[ExtransError]
) -> tuple[bytes | None, os.stat_result | None]:
    """:func:`read_inside`, and the file's status as it was opened."""
    target = os.fspath(path)
    info: os.stat_result | None = None
    try:  # one system call finds out whether the file is a symlink (where O_NOFOLLOW is)
        handle, info = open_file(target, READ | _NOFOLLOW)
        linked = not _NOFOLLOW and os.path.islink(target)
    except FileNotFoundError:
        return None, None
    except OSError as err:
        if err.errno != errno.ELOOP:
            raise _naming(target, err) from err
        linked = True
        handle = -1
    try:
        if not within(target, linked, root):
            if linked:
                raise error(f"is a symlink to a file outside {place}; refusing it", shown)
            raise error(f"is in a folder that a symlink leads outside {place}; refusing it", shown)
        if handle < 0:
            try:
                handle, info = open_file(target)
            except FileNotFoundError:  # a dangling symlink
                return None, None
        assert info is not None
        return read_all(handle, info.st_size), info
    except OSError as err:
        raise _naming(target, err) from err
    finally:
        if handle >= 0:
            os.close(handle)


def read_all(handle: int, size: int | None = None) -> bytes:
    """Everything left in an open file (``size``: its size, when known), with plain system
    calls: what ``open(...).read()`` does, without its buffer objects and terminal check,
    which cost more than the read itself for the small files a site is made of. The file is
    a plain one: :func:`open_file` opened it."""
    if size is None:
        size = os.fstat(handle).st_size
    first = os.read(handle, size + 1)
    if len(first) <= size:
        return first  # short of what was asked for: the end of the file
    chunks = [first]
    while chunks[-1]:  # the file grew since its size was read
        chunks.append(os.read(handle, max(size, 65536)))
    return b"".join(chunks)


def remove_stray_temporaries(root: Path, folders: list[Path]) -> int:
    """Delete the temporary files a killed run left (``.NAME.extrans-XXXXXXXX.tmp``: only
    extrans names a file so) in ``folders`` of the site at ``root``; how many. A folder that
    a symlink leads outside the site is left alone: nothing extrans wrote is there."""
    removed = 0
    for folder in folders:
        if not folder.is_dir() or not inside(root, folder):
            continue
        for directory, _, files in os.walk(folder):  # (symlinked folders are not followed)
            for name in files:
                if _TEMPORARY.match(name):
                    Path(directory, name).unlink(missing_ok=True)
                    removed += 1
    return removed


def _check_cache_folder(folder: Path) -> None:
    """Refuse a :data:`CACHE_DIR` that is not a real folder: extrans would write its files
    wherever a symlink there led."""
    mode = os.lstat(folder).st_mode
    if not stat.S_ISDIR(mode):
        raise ExtransError(
            f"is {_kind(mode)}, where extrans keeps a folder of its own; remove it", CACHE_DIR
        )


@contextlib.contextmanager
def site_lock(
    root: Path,
    *,
    timeout: float = 60.0,
    on_wait: Callable[[str], None] | None = None,
    writing: bool = True,
) -> Iterator[bool]:
    """Hold the site's lock: a second run waits for the first (saying so once through
    ``on_wait``), and gives up with an :class:`ExtransError` after ``timeout`` seconds.

    Yields whether the last run may not have ended cleanly: it was killed or interrupted
    holding the lock (its pid is still written in it), or no run is on record. A run that
    is not ``writing`` (``--check``: CI runs it on a read-only checkout) writes nothing: it
    shares the lock if there is one, waits for a run that writes, and yields False.
    """
    path = root / CACHE_DIR / "lock"
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield writing
        return
    if not writing:
        if os.path.lexists(path.parent):
            _check_cache_folder(path.parent)
        if not os.path.lexists(path):
            yield False
            return
        handle = open_inside(path, os.O_RDONLY, root=root)
        with os.fdopen(handle, "r", encoding="utf-8", errors="replace") as stream:
            _wait_for(stream, fcntl.LOCK_SH, path, root, timeout, on_wait)
            try:
                yield False
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with contextlib.suppress(FileExistsError):  # (a symlink there too: refused below)
        path.parent.mkdir()
    _check_cache_folder(path.parent)
    ignore = path.parent / ".gitignore"
    if not os.path.lexists(ignore):  # (one the user put there, even as a symlink, is theirs)
        atomic_write(ignore, b"# extrans's own working files\n*\n", root=root)
    on_record = os.path.lexists(path)
    handle = open_inside(path, os.O_RDWR | os.O_CREAT, root=root)
    with os.fdopen(handle, "r+", encoding="utf-8", errors="replace") as stream:
        _wait_for(stream, fcntl.LOCK_EX, path, root, timeout, on_wait)
        try:
            stream.seek(0)
            killed = bool(stream.read(_LOCK_NOTE).strip())
            _replace_contents(handle, f"pid {os.getpid()}\n".encode(), path)
            yield killed or not on_record
            # (not reached when the run is interrupted or fails: the pid stays, as after a kill)
            _replace_contents(handle, b"", path)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_LOCK_NOTE = 4096
"""The most of the lock a run reads: what a run writes there is a line."""


def _replace_contents(handle: int, data: bytes, path: StrPath) -> None:
    """Make a file opened with :func:`open_inside` hold ``data``; an error names ``path``."""
    try:
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        _write_all(handle, data)
    except OSError as err:
        raise _naming(os.fspath(path), err) from err


def _wait_for(
    stream: IO[str],
    kind: int,
    path: Path,
    root: Path,
    timeout: float,
    on_wait: Callable[[str], None] | None,
) -> None:
    """Take the lock ``stream`` is open on (``kind``: shared or exclusive), waiting for
    another run to let go of it for ``timeout`` seconds at most."""
    import fcntl

    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(stream.fileno(), kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise ExtransError(
                    f"another extrans run still holds the site's lock after {timeout:g} s; "
                    "wait for it to end, or use --lock-timeout",
                    _shown(str(path), root),
                ) from None
            if not told and on_wait is not None:
                stream.seek(0)
                holder = printable(stream.read(EXCERPT).strip()) or "another process"
                on_wait(f"waiting for another extrans run ({holder}) to finish...")
                told = True
            time.sleep(0.05)
