"""The records the pipeline stages hand to each other.

source page → :class:`Segment` (``frontmatter``, ``markdown``) → :class:`SourcePage`
(``pages``) → catalog messages (``catalog``) → PO files (``pofile``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .errors import ExtransError

__all__ = [
    "FrontMatterFormat",
    "Segment",
    "SiteFile",
    "SiteListing",
    "SiteWrite",
    "SourcePage",
    "TextKey",
]

FrontMatterFormat = Literal["yaml", "toml", "json", "none"]
TextKey = tuple[str | None, str]
"""An entry's text, as a catalog keys it: its msgctxt (``None``: none) and msgid."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of translatable text, as it stands in a page."""

    text: str
    """The text a translator sees (the msgid): inline Markdown kept as written, soft line
    breaks joined with a space, hard line breaks kept with their marker."""
    origin: str
    """Where it comes from, for the ``#.`` comment: ``front matter: faq[2].a``,
    ``body: list item``."""
    line: int
    """1-based line in the page file where the text starts."""
    start: int
    """Offset in the page text of the first character this segment replaces."""
    end: int
    """Offset just past the last character it replaces."""
    context: str | None = None
    """msgctxt, set only where the configuration asks for one (see ``Settings.contexts``)."""
    location: str = ""
    """Where in the page a body text sits, for the translator: the column of a table cell
    and the nearest headings above it (``column "Level", under "Modifications"``); no line
    or position, so that it moves with nothing but its own table and headings."""
    references: tuple[str, ...] = ()
    """The labels, as written, of its shortcut and collapsed references (``[the guide]``,
    ``[the guide][]``) that the page's link reference definitions resolve: links whose text
    is their label, which a translation must keep."""
    plural: str | None = None
    """The plural source text (``msgid_plural``) of a text that a count chooses among
    forms (a Hugo i18n string's ``one`` and ``other``); ``None`` for any other text."""


@dataclass(frozen=True, slots=True)
class SourcePage:
    """A source-language page and what it offers to translate."""

    path: str
    """Path relative to the site root, with ``/`` separators (``content/en/a/b.md``)."""
    key: str
    """The catalog key: ``translationKey``, or one derived from the path."""
    format: FrontMatterFormat
    """The front matter's syntax."""
    segments: tuple[Segment, ...]
    """Front-matter segments first, then body segments, each in document order."""


@dataclass(frozen=True, slots=True)
class SiteFile:
    """A site file whose strings are translated (an i18n table, the menus, a data file):
    read into a :class:`SourcePage` like a content page, built per language by its kind's
    writer (see ``site/strings.py``)."""

    kind: str
    """The kind that lists, reads and writes it (``i18n``, ``menus``, ``data``...)."""
    path: str
    """The source-language file, relative to the site root (``i18n/en.toml``)."""
    key: str
    """Its catalog name (``i18n``, ``menus``, ``data/team``): no content page may have it."""


@dataclass(frozen=True, slots=True)
class SiteListing:
    """The site files of one kind, and why the list may lack some."""

    files: tuple[SiteFile, ...]
    errors: tuple[ExtransError, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteWrite:
    """What a kind's writer makes a language's file from (the writer is pure)."""

    file: SiteFile
    page: SourcePage
    """The source file as read (its segments)."""
    source: str
    """The source file's text."""
    existing: str | None
    """The language's file as it is, or ``None`` when there is none."""
    target: str
    """The language's file, relative to the site root."""
    language: str
    translations: Mapping[TextKey, tuple[str, ...]]
    """(msgctxt, msgid) → the usable translation: one text, or a plural entry's
    ``msgstr[0..n-1]``."""
