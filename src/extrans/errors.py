"""The one exception root of extrans, and the helpers that put a place on a message.

The core raises; only the command line turns an error into a message and an exit code.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "EXCERPT",
    "CatalogError",
    "ConfigError",
    "ExtransError",
    "PageError",
    "conflict_marker_line",
    "excerpt",
    "line_of",
]

_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


class ExtransError(Exception):
    """Anything a user can cause: bad configuration, a broken page or catalog.

    ``path`` and ``line`` (1-based) say where, when a file is to blame.
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


class ConfigError(ExtransError):
    """The extrans or Hugo configuration is wrong."""


class PageError(ExtransError):
    """A content page cannot be read or parsed."""


class CatalogError(ExtransError):
    """A PO or POT catalog cannot be read, or would be unsafe to write."""


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of character ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


EXCERPT = 40
"""The most characters of a file a message quotes."""


def excerpt(text: str) -> str:
    """A piece of a file as a message quotes it: escaped as Python writes a string, and cut
    after :data:`EXCERPT` characters (then an ellipsis), so that a file which is not what
    its name says (a key, a token) never reaches a log whole, nor forges a line of one."""
    return repr(text) if len(text) <= EXCERPT else f"{text[:EXCERPT]!r}…"


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first merge-conflict marker git left in ``text``, if any."""
    if "<<<<<<<" not in text and "=======" not in text and ">>>>>>>" not in text:
        return None
    conflict = _CONFLICT.search(text)
    return None if conflict is None else line_of(text, conflict.start())
