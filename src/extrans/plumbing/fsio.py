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

from ..errors import (
    EXCERPT,
    ExtransError,
    FileError,
    SpecialFileError,
    file_problem,
    printable,
    shown_path,
)

__all__ = [
    "CACHE_DIR",
    "NAME_MAX",
    "READ",
    "SAVE_ATTEMPTS",
    "FileState",
    "Listing",
    "atomic_write",
    "check_in_folder",
    "check_own_folder",
    "file_problem_at",
    "forget_real_folders",
    "ignore_in_git",
    "inside",
    "list_files",
    "open_file",
    "open_inside",
    "read_all",
    "read_inside",
    "read_optional",
    "read_own",
    "read_with_state",
    "remove_own",
    "remove_stray_temporaries",
    "site_lock",
    "within",
]

StrPath: TypeAlias = "str | os.PathLike[str]"

CACHE_DIR = ".extrans-cache"
"""The one folder extrans keeps for itself in a site (ignored by git: it says so itself)."""
SAVE_ATTEMPTS = 3
"""How many times a run works on a file again when someone else writes it meanwhile (see
``atomic_write(expected=)``), before it leaves the file as it is."""
NAME_MAX = 255
"""The longest file name, in bytes, that common file systems allow."""
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
READ = os.O_RDONLY | _CLOEXEC | _NONBLOCK
"""How extrans opens a file to read it: a FIFO in a file's place opens at once (and
:func:`open_file` refuses it) rather than waiting forever for a writer."""
_LEADS_OUT = "refusing to write outside the site (a symlink leads out)"
_OWN_FILE = "where extrans keeps a file of its own; remove it"
_TEMPORARY = re.compile(r"^\..+\.extrans-[0-9a-f]{8}\.tmp\Z")
"""The name of a temporary file extrans makes, and no other: a user's ``.notes.20240101.tmp``
is theirs."""
_KINDS = {
    stat.S_IFLNK: "a symlink",
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFREG: "a file",
}
"""What a file is, in words, by the type in its mode (anything else is a device)."""


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "a device")


# --- Paths ---------------------------------------------------------------------------------


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
    """Resolve every folder again from now on: a new run (in the same process) must not trust
    what the last one saw, since a folder may have become a symlink since."""
    _real_folder.cache_clear()


@lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """A folder's path with every symlink resolved, once per run: a run looks at the same few
    folders thousands of times, and a folder swapped for a symlink in mid-run is not a case
    worth a system call per page."""
    return os.path.realpath(folder or ".")


def check_in_folder(path: StrPath, folder: StrPath, *, root: StrPath, doing: str = "write") -> None:
    """Refuse ``path`` (``doing``: what extrans was to do with it) if the folder it is in lies,
    every symlink resolved, elsewhere in the site than inside ``folder``: a symlinked folder
    in a language's content or catalog folder could lead into another language's files. (A
    path that leads out of the site is left to the reader's or writer's own refusal.)"""
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
    return type(err)(err.errno, err.strerror, target)


# --- Writing -------------------------------------------------------------------------------


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

    A target that a symlink leads outside ``root`` (the site), or outside ``folder`` (see
    :func:`check_in_folder`), is refused before anything is created; a symlink inside them is
    replaced by the file, never written through. With ``expected`` (what
    :func:`read_with_state` saw), the target is replaced only if it is still that file: if
    anyone wrote, created or removed it since, nothing is written and the result is False.
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
    try:
        info = os.stat(target) if linked else info  # (the permissions of what it leads to)
    except FileNotFoundError:  # a dangling symlink: replaced like a missing file
        info = None
    try:
        handle, temporary = _create_temporary(target, root)
    except OSError as err:
        raise _naming(target, err) from err
    try:
        try:
            _write_all(handle, data)
            if info is not None:  # after a power cut, the old name never points at lost data
                os.fsync(handle)
        finally:
            os.close(handle)
        if info is not None:
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
        if expected is not None and _changed_since(target, expected):
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


def _write_all(handle: int, data: bytes) -> None:
    """Write all of ``data`` with plain system calls (a file object would add a terminal
    check, a seek and a stat to each of the thousands of small files a run writes)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _create_temporary(target: str, root: StrPath) -> tuple[int, str]:
    """A new file ``.NAME.extrans-XXXXXXXX.tmp`` next to the target, open for writing, its
    folder created if need be; ``O_EXCL`` makes a name that exists, even as a symlink, fail
    instead of being opened. ``NAME`` is cut to keep within :data:`NAME_MAX`."""
    folder, name = os.path.split(target)
    room = NAME_MAX - len("..extrans-XXXXXXXX.tmp")
    name = os.fsdecode(os.fsencode(name)[:room])
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(100):
        temporary = os.path.join(folder, f".{name}.extrans-{os.urandom(4).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    raise ExtransError("cannot create a temporary file next to it", _shown(target, root))


def remove_stray_temporaries(root: Path, folders: list[Path]) -> int:
    """Delete the temporary files a killed run left in ``folders`` of the site at ``root``;
    how many. A folder that a symlink leads outside the site is left alone: nothing extrans
    wrote is there."""
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


# --- Reading -------------------------------------------------------------------------------


def open_file(path: StrPath, flags: int = READ) -> tuple[int, os.stat_result]:
    """Open a file to read (``flags``, e.g. with ``O_NOFOLLOW``), and its status; every file
    extrans reads is opened here, without waiting (a FIFO would block the run until someone
    wrote to it), and refused unless it is a plain file: a folder with ``EISDIR``, a FIFO,
    socket or device with :class:`SpecialFileError`."""
    target = os.fspath(path)
    try:
        handle = os.open(target, flags | _NONBLOCK | _CLOEXEC)
    except OSError as err:
        if err.errno in _SPECIAL_OPEN_ERRORS:  # a socket, or a device without its driver
            try:
                mode = os.stat(target).st_mode
            except OSError:
                raise err from None
            if not stat.S_ISREG(mode):
                raise SpecialFileError(errno.EINVAL, f"is {_kind(mode)}", target) from err
        raise
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target)
        if not stat.S_ISREG(info.st_mode):
            raise SpecialFileError(errno.EINVAL, f"is {_kind(info.st_mode)}", target)
    except BaseException:
        os.close(handle)
        raise
    return handle, info


_SPECIAL_OPEN_ERRORS = frozenset(
    {errno.ENXIO, errno.ENODEV, getattr(errno, "EOPNOTSUPP", errno.ENXIO)}
)
"""What opening a file that is not one can fail with, before its status can be looked at."""


def read_all(handle: int, size: int) -> bytes:
    """Everything left in a plain file open at ``handle`` whose size was ``size``, with plain
    system calls: ``open(...).read()`` adds buffer objects and a terminal check, which cost
    more than the read itself for the small files a site is made of."""
    first = os.read(handle, size + 1)
    if len(first) <= size:
        return first  # short of what was asked for: the end of the file
    chunks = [first]
    while chunks[-1]:  # the file grew since its size was read
        chunks.append(os.read(handle, max(size, 65536)))
    return b"".join(chunks)


def _read_open(handle: int, info: os.stat_result, target: str) -> bytes:
    try:
        return read_all(handle, info.st_size)
    except OSError as err:
        raise _naming(target, err) from err
    finally:
        os.close(handle)


def read_optional(path: StrPath) -> bytes | None:
    """The file's bytes, or ``None`` if it does not exist."""
    return _read_file(os.fspath(path))[0]


def _read_file(target: str) -> tuple[bytes | None, os.stat_result | None]:
    """The file's bytes and its status as it was opened; ``None`` for both if it does not
    exist."""
    try:
        handle, info = open_file(target)
    except FileNotFoundError:
        return None, None
    return _read_open(handle, info, target), info


def read_inside(
    path: StrPath, shown: str, root: StrPath, *, error: type[ExtransError] = ExtransError
) -> bytes | None:
    """:func:`read_optional`, refusing (with ``error``, naming ``shown``) a file that a
    symlink leads outside ``root`` (the site) before reading a byte of it: what it holds
    could be anything the user can read, and a message might quote it."""
    return _read_inside(os.fspath(path), shown, root, error)[0]


def _read_inside(
    target: str, shown: str, root: StrPath, error: type[ExtransError]
) -> tuple[bytes | None, os.stat_result | None]:
    """:func:`read_inside`, and the file's status as it was opened."""
    try:  # one system call finds out whether the file is a symlink (where O_NOFOLLOW is)
        handle, info = open_file(target, READ | _NOFOLLOW)
    except FileNotFoundError:
        return None, None
    except OSError as err:
        if err.errno != errno.ELOOP:
            raise _naming(target, err) from err
        _refuse_outside(target, True, shown, root, error)
        return _read_file(target)
    try:
        _refuse_outside(target, not _NOFOLLOW and os.path.islink(target), shown, root, error)
    except BaseException:
        os.close(handle)
        raise
    return _read_open(handle, info, target), info


def _refuse_outside(
    target: str, linked: bool, shown: str, root: StrPath, error: type[ExtransError]
) -> None:
    if not within(target, linked, root):
        where = "is a symlink to a file" if linked else "is in a folder that a symlink leads"
        raise error(f"{where} outside the site; refusing it", shown)


@dataclass(frozen=True, slots=True)
class FileState:
    """A file as it was when it was read: enough to tell whether anyone has written it since."""

    inode: tuple[int, int, int, int, int] | None
    """Size, modification and change times (ns), inode and device; ``None``: no such file."""
    sha256: str | None
    """The SHA-256 (hex) of the bytes that were read."""


def _state(data: bytes | None, info: os.stat_result | None) -> FileState:
    if data is None or info is None:
        return FileState(None, None)
    inode = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    return FileState(inode, hashlib.sha256(data).hexdigest())


def read_with_state(
    path: StrPath, shown: str, root: StrPath, *, error: type[ExtransError] = ExtransError
) -> tuple[bytes | None, FileState]:
    """:func:`read_inside`, and the file's state as it was read (for
    ``atomic_write(expected=)``): taken before the bytes are, so that a write while they
    are read leaves a state that no longer matches, and is never missed."""
    data, info = _read_inside(os.fspath(path), shown, root, error)
    return data, _state(data, info)


def _changed_since(target: str, state: FileState) -> bool:
    """Whether the file is no longer what ``state`` says was read: created, removed, or
    written (the bytes are compared too, since a write in the same tick of the clock leaves
    the times as they were).

    What a caller decides from the answer can still be overtaken: a write that lands between
    this look and the caller's next system call (a rename, microseconds later), or one by a
    program that opened the file before and writes into it after, goes unseen.
    """
    try:
        handle, info = open_file(target)
    except FileNotFoundError:
        return state.inode is not None
    except OSError:  # a folder or a FIFO in its place: not what was read
        return True
    return _state(_read_open(handle, info, target), info) != state


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
        return file_problem(IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    return file_problem(SpecialFileError(errno.EINVAL, f"is {_kind(mode)}"))


@dataclass(frozen=True, slots=True)
class Listing:
    """The files of a folder tree whose names end in one suffix, whatever they are (a folder
    or a FIFO so named is listed, for its reader to refuse), and the folders of the tree
    that could not be listed."""

    paths: tuple[Path, ...]
    """Sorted."""
    unreadable: tuple[OSError, ...]
    """The errors of the folders that could not be listed, each naming its folder."""

    def errors(self, root: Path) -> list[ExtransError]:
        """One error for each folder that could not be listed, named from ``root``."""
        return [
            FileError(
                f"cannot read the folder: {file_problem(err)}",
                shown_path(os.fsdecode(err.filename or ""), root),
            )
            for err in self.unreadable
        ]


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


# --- extrans's own files: its cache and its lock -------------------------------------------


def open_inside(path: StrPath, flags: int, *, root: StrPath) -> int:
    """Open a file that extrans writes in place (its lock) with ``flags``, never through a
    symlink: its folder must lie inside ``root`` (the site), and it must be a plain file with
    one name (not a hard link to a file elsewhere), looked at before it is opened (a device
    would take the bytes) and again after (it may have been swapped since)."""
    target = os.fspath(path)
    shown = _shown(target, root)
    if not within(target, False, root):
        raise ExtransError(_LEADS_OUT, shown)
    with contextlib.suppress(FileNotFoundError):
        _check_own(os.lstat(target), shown)
    handle = os.open(target, flags | _NOFOLLOW | _NONBLOCK | _CLOEXEC, 0o666)
    try:
        _check_own(os.fstat(handle), shown)
    except BaseException:
        os.close(handle)
        raise
    return handle


def read_own(path: StrPath, root: StrPath) -> bytes | None:
    """:func:`read_inside` for a file extrans keeps for itself (its caches), refused as
    :func:`open_inside` refuses it."""
    target = os.fspath(path)
    shown = _shown(target, root)
    try:
        data, info = _read_inside(target, shown, root, ExtransError)
    except SpecialFileError as err:
        raise ExtransError(f"{err.strerror}, {_OWN_FILE}", shown) from err
    if info is not None:
        _check_own(info, shown)
    return data


def _check_own(info: os.stat_result, shown: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ExtransError(f"is {_kind(info.st_mode)}, {_OWN_FILE}", shown)
    if info.st_nlink > 1:  # (writing it would write a file elsewhere)
        raise ExtransError(f"is a file with {info.st_nlink} hard links, {_OWN_FILE}", shown)


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
    if writing:
        with contextlib.suppress(FileExistsError):  # (a symlink there too: refused below)
            path.parent.mkdir()
    check_own_folder(root)
    if writing:
        ignore_in_git(path.parent, "# extrans's own working files\n*\n", root=root)
    elif not os.path.lexists(path):
        yield False
        return
    on_record = os.path.lexists(path)
    handle = open_inside(path, os.O_RDWR | os.O_CREAT if writing else os.O_RDONLY, root=root)
    with os.fdopen(handle, "r+" if writing else "r", encoding="utf-8", errors="replace") as lock:
        _wait_for(lock, fcntl.LOCK_EX if writing else fcntl.LOCK_SH, path, root, timeout, on_wait)
        try:
            if not writing:
                yield False
                return
            killed = bool(_note(lock, 4096))  # (what a run writes there is a line)
            _replace_contents(handle, f"pid {os.getpid()}\n".encode(), path)
            yield killed or not on_record
            # (not reached when the run is interrupted or fails: the pid stays, as after a kill)
            _replace_contents(handle, b"", path)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ignore_in_git(folder: Path, patterns: str, *, root: StrPath) -> None:
    """Write ``folder``'s ``.gitignore`` with ``patterns`` unless there is one: one that the
    user put there, even as a symlink, is theirs."""
    ignore = folder / ".gitignore"
    if not os.path.lexists(ignore):
        atomic_write(ignore, patterns.encode("utf-8"), root=root)


def check_own_folder(root: Path) -> bool:
    """Whether the site has extrans's own folder (:data:`CACHE_DIR`); anything else by that
    name is refused: extrans would write wherever a symlink there led."""
    try:
        mode = os.lstat(root / CACHE_DIR).st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISDIR(mode):
        raise ExtransError(
            f"is {_kind(mode)}, where extrans keeps a folder of its own; remove it", CACHE_DIR
        )
    return True


def remove_own(path: Path, root: Path) -> bool:
    """Delete a file extrans kept for itself in its own folder and no longer uses (an earlier
    version's cache), if it is one: a plain file, in a folder that is extrans's own (see
    :func:`check_own_folder`); a symlink or anything else by that name is someone's, and
    left. Whether it was deleted."""
    if path.parent != root / CACHE_DIR or not check_own_folder(root):
        return False
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _note(lock: IO[str], size: int) -> str:
    """What the lock says (the pid of the run that holds it), ``size`` characters at most."""
    lock.seek(0)
    return lock.read(size).strip()


def _replace_contents(handle: int, data: bytes, path: StrPath) -> None:
    try:
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        _write_all(handle, data)
    except OSError as err:
        raise _naming(os.fspath(path), err) from err


def _wait_for(
    lock: IO[str],
    kind: int,
    path: Path,
    root: Path,
    timeout: float,
    on_wait: Callable[[str], None] | None,
) -> None:
    """Take the lock (``kind``: shared or exclusive), waiting for another run to let go of it
    for ``timeout`` seconds at most."""
    import fcntl

    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(lock.fileno(), kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise ExtransError(
                    f"another extrans run still holds the site's lock after {timeout:g} s; "
                    "wait for it to end, or use --lock-timeout",
                    _shown(str(path), root),
                ) from None
            if not told and on_wait is not None:
                holder = printable(_note(lock, EXCERPT)) or "another process"
                on_wait(f"waiting for another extrans run ({holder}) to finish...")
                told = True
            time.sleep(0.05)
