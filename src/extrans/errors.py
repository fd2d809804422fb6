"""The one exception root of extrans, and the helpers that put a place on a message.

The core raises; only the command line turns an error into a message and an exit code.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "EXCERPT",
    "QUOTED_ITEMS",
    "CatalogError",
    "ConfigError",
    "ExtransError",
    "FileError",
    "PageError",
    "SpecialFileError",
    "code_escape",
    "conflict_marker_line",
    "excerpt",
    "excerpts",
    "file_error",
    "file_problem",
    "line_of",
    "message_line",
    "printable",
    "shown_path",
]


class ExtransError(Exception):
    """Anything a user can cause: bad configuration, a broken page or catalog; ``path`` and
    ``line`` (1-based) say where, when a file is to blame."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return _located(self.path, self.line, self.message)


class ConfigError(ExtransError):
    """The extrans or Hugo configuration is wrong."""


class PageError(ExtransError):
    """A content page cannot be read or parsed."""


class CatalogError(ExtransError):
    """A PO or POT catalog cannot be read, or would be unsafe to write."""


class FileError(ExtransError):
    """A file of the site cannot be read or written: its permissions, a folder in its place,
    a full disk."""


class SpecialFileError(OSError):
    """A FIFO, socket or device where a plain file should be (``strerror``: ``"is a FIFO"``):
    reading one would block the run, or take bytes from a device."""


def message_line(
    path: Path | str | None, line: int | None, message: str, severity: str = "error"
) -> str:
    """The one line a message is in text output: ``path:line: severity: message``."""
    return _located(path, line, f"{severity}: {message}")


def _located(path: Path | str | None, line: int | None, text: str) -> str:
    if path is not None:
        text = f"{path}: {text}" if line is None else f"{path}:{line}: {text}"
    return printable(text)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
"""Control characters, line and paragraph separators, and the marks that reorder text."""
_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """``text`` with what would end a line, drive a terminal or reorder what is shown escaped
    as Python writes it (``\\n``, ``\\x1b``, ``\\u202e``): a file name cannot forge a line of
    output or a terminal's escape."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    return _ESCAPES.get(char) or code_escape(char)


def code_escape(char: str) -> str:
    """``char`` by its code, as Python writes it in a string: ``\\x07``, ``\\u2028``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of character ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


EXCERPT = 40
"""The most characters of a file a message quotes."""
QUOTED_ITEMS = 3
"""The most pieces of a file (links, tags, placeholders) one message quotes."""


def excerpt(text: object) -> str:
    """A piece of a file (or a value read from TOML or YAML) as a message quotes it: as Python
    writes it, cut after :data:`EXCERPT` characters, so that a file which is not what its
    name says (a key, a token) never reaches a log whole, nor forges a line of one."""
    if not isinstance(text, str):
        shown = repr(text)
        return shown if len(shown) <= EXCERPT else f"{shown[:EXCERPT]}…"
    return repr(text) if len(text) <= EXCERPT else f"{text[:EXCERPT]!r}…"


def excerpts(items: Sequence[str]) -> str:
    """The first :data:`QUOTED_ITEMS` of ``items``, each an :func:`excerpt`, and how many more."""
    shown = ", ".join(excerpt(item) for item in items[:QUOTED_ITEMS])
    more = len(items) - QUOTED_ITEMS
    return shown if more <= 0 else f"{shown} and {more} more"


_IN_THE_WAY = "a part of its path is a file where a folder should be; move that file out of the way"
_PERMISSIONS = "check the permissions of the file and of its folder"
_FILE_PROBLEMS = {
    errno.ENOENT: "does not exist (a symlink to nothing?)",
    errno.EACCES: f"permission denied; {_PERMISSIONS}",
    errno.EPERM: f"operation not permitted; {_PERMISSIONS}",
    errno.EROFS: "is on a read-only file system; make it writable, then run again",
    errno.EISDIR: "is a folder where a file should be; move the folder out of the way",
    errno.ENOTDIR: _IN_THE_WAY,
    errno.EEXIST: _IN_THE_WAY,  # (what creating a folder says when a file has its name)
    errno.ELOOP: "is a symlink loop (or too many symlinks in a row); fix or remove the symlink",
    errno.ENAMETOOLONG: (
        "its name is too long for the file system; shorten the page's file name or its "
        "translationKey"
    ),
    errno.ENOSPC: "no space left on the device; free some space, then run again",
    getattr(errno, "EDQUOT", errno.ENOSPC): "disk quota exceeded; free some space, then run again",
    errno.EFBIG: (
        "too large for the file system or for the file size limit (ulimit -f); raise the "
        "limit, then run again"
    ),
}


def file_problem(err: OSError) -> str:
    """What an operating system's error about a file means, and what to do about it."""
    if isinstance(err, SpecialFileError):
        return f"{err.strerror} where a file should be; move it out of the way"
    return _FILE_PROBLEMS.get(err.errno or 0) or str(err.strerror or err)


def file_error(err: OSError, root: str | os.PathLike[str]) -> FileError:
    """``err`` as one line a user can act on, naming its file from the site's ``root``."""
    if err.filename is None:
        return FileError(file_problem(err))
    return FileError(file_problem(err), shown_path(os.fsdecode(err.filename), root))


def shown_path(path: str, root: str | os.PathLike[str] | None = None) -> str:
    """``path`` as a message shows it: from ``root`` if it lies inside it, with the bytes of a
    name that is not UTF-8 escaped (``caf\\xe9.md``)."""
    if root is not None:
        top = os.path.join(os.fspath(root), "")
        if path.startswith(top):
            path = path[len(top) :]
    return os.fsencode(path).decode("utf-8", "backslashreplace").replace(os.sep, "/")


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first merge-conflict marker git left in ``text``, if any."""
    if "<<<<<<<" not in text and "=======" not in text and ">>>>>>>" not in text:
        return None  # (a substring test is several times faster than the search)
    conflict = _CONFLICT.search(text)
    return None if conflict is None else line_of(text, conflict.start())
