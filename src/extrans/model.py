"""The records the pipeline stages hand to each other.

source page → :class:`Segment` (``frontmatter``, ``markdown``) → :class:`SourcePage`
(``pages``) → catalog messages (``catalog``) → PO files (``pofile``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FrontMatterFormat", "Segment", "SourcePage"]

FrontMatterFormat = Literal["yaml", "toml", "json", "none"]


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
