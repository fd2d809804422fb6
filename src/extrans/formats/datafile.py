"""Data files (``data/en/team.yaml``): the strings of their configured fields, and a
translation of one written back losslessly, as a new file or in place in an existing one.

A data file is read by the front-matter readers as one whole document, so each string comes
with the span of its source text, and a translation replaces exactly that span, quoted as the
value was where that style can hold it: every other byte (order, comments, other values)
stays, and no translation can add a key or break the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import line_of
from ..model import FrontMatterFormat, Segment, SourcePage, TextKey
from .frontmatter import (
    FieldValue,
    PathPart,
    format_path,
    format_scalar,
    read_document_strings,
    splice,
)
from .markdown import has_words

__all__ = [
    "DATA_ORIGIN",
    "LocalizedData",
    "data_page",
    "data_strings",
    "hand_translations",
    "localize_data",
]

DATA_ORIGIN = "data: "
"""What a data string's ``#.`` origin starts with, before its path (``data: members[0].bio``)."""

Path = tuple[PathPart, ...]


def data_strings(
    text: str, format: FrontMatterFormat, path: str, selects: Callable[[Path], bool]
) -> list[FieldValue]:
    """The strings of the data file ``text`` (at ``path``) that its configured fields select
    (``selects``) and that hold words, in document order."""
    fields = read_document_strings(text, format, path)
    return [field for field in fields if selects(field.path) and has_words(field.value)]


def data_page(
    text: str, format: FrontMatterFormat, path: str, key: str, selects: Callable[[Path], bool]
) -> SourcePage:
    """A data file as a page to translate: one segment per selected string, keyed by its text
    alone (as a page's front matter is: an item added to a list shifts the indexes of those
    after it, which must not make their translations fuzzy); its path is the origin."""
    segments = tuple(
        Segment(
            text=field.value,
            origin=DATA_ORIGIN + format_path(field.path),
            line=line_of(text, field.start),
            start=field.start,
            end=field.end,
        )
        for field in data_strings(text, format, path, selects)
    )
    return SourcePage(path, key, format, segments)


@dataclass(frozen=True, slots=True)
class LocalizedData:
    """A translated data file's text, and how much of it is translated."""

    text: str
    entries: int
    """Distinct texts of the source file (catalog entries)."""
    translated: int
    """Of those, how many have a translation in the file."""
    unplaced: tuple[str, ...] = ()
    """The paths (``members[3].bio``) of source strings that an existing target file has no
    string for at the same place: their translations cannot be written there."""

    @property
    def complete(self) -> bool:
        return self.translated == self.entries


def localize_data(
    source: str,
    page: SourcePage,
    translations: Mapping[TextKey, str],
    existing: str | None = None,
    target: str = "",
) -> LocalizedData:
    """The data file ``page`` (read from ``source``) translated with ``translations``.

    Without ``existing``, a new file: the source with each translation in place of its text,
    the strings without one left in the source language (Hugo has no fallback for data).
    With ``existing`` (the text of the file at ``target``), that file edited in place: each
    translated source string goes to the string at the same path in it, and everything else it
    holds stays, its own entries and hand translations included. A source string with no
    string at its path there, or on a path whose lists have other lengths in the two files
    (an item added to or removed from the source: the path may name another item there), has
    no place: its path is listed as unplaced, and its translation is not written.
    """
    keys = {(segment.context, segment.text) for segment in page.segments}
    usable = {key: value for key, value in translations.items() if key in keys and value}
    if existing is None:
        replacements = [
            (s.start, s.end, format_scalar(page.format, source[s.start : s.end], text))
            for s in page.segments
            if (text := usable.get((s.context, s.text))) is not None and text != s.text
        ]
        return LocalizedData(splice(source, replacements, page.path), len(keys), len(usable))

    replacements = []
    placed: set[TextKey] = set()
    unplaced: list[str] = []
    for segment, path, there in _places(source, page, existing, target):
        if there is None:
            unplaced.append(format_path(path))
            continue
        key = (segment.context, segment.text)
        translation = usable.get(key)
        if translation is None:
            continue
        placed.add(key)
        if there.value != translation:  # (an equal value keeps its escapes and quoting)
            new = format_scalar(page.format, existing[there.start : there.end], translation)
            replacements.append((there.start, there.end, new))
    text = splice(existing, replacements, target or page.path)
    return LocalizedData(text, len(keys), len(placed), tuple(unplaced))


def hand_translations(
    source: str, page: SourcePage, existing: str, target: str
) -> dict[TextKey, str]:
    """What a hand-made translation of the data file ``page`` (``existing``, at ``target``)
    holds, by catalog key: the string at each source string's path, where the lists on that
    path have as many items in both files (as :func:`localize_data` places them). A string
    equal to the source's is left out (a copy, not a translation), and so is a second
    translation of a text already found."""
    found: dict[TextKey, str] = {}
    for segment, _, there in _places(source, page, existing, target):
        if there is not None and there.value and there.value != segment.text:
            found.setdefault((segment.context, segment.text), there.value)
    return found


def _places(
    source: str, page: SourcePage, existing: str, target: str
) -> list[tuple[Segment, Path, FieldValue | None]]:
    """Each string of ``page`` (read from ``source``), its path, and the string at the same
    place in ``existing``: the one at the same path, where every list on the path has as many
    items in both files; else ``None``."""
    source_fields = read_document_strings(source, page.format, page.path)
    target_fields = read_document_strings(existing, page.format, target)
    theirs = {field.path: field for field in target_fields}
    same_lists = _same_lists(source_fields, target_fields)
    segment_at = {(s.start, s.end): s for s in page.segments}
    return [
        (segment, field.path, theirs.get(field.path) if same_lists(field.path) else None)
        for field in source_fields
        if (segment := segment_at.get((field.start, field.end))) is not None
    ]


def _same_lists(
    source: Sequence[FieldValue], target: Sequence[FieldValue]
) -> Callable[[Path], bool]:
    """Whether every list on a path has as many items in the target file as in the source, as
    far as their strings show (an item without any string is not seen)."""
    lengths = [_list_lengths(fields) for fields in (source, target)]

    def same(path: Path) -> bool:
        return all(
            lengths[0].get(path[:i]) == lengths[1].get(path[:i])
            for i, part in enumerate(path)
            if isinstance(part, int)
        )

    return same


def _list_lengths(fields: Sequence[FieldValue]) -> dict[Path, int]:
    """The number of items of each list that holds strings, by its path."""
    lengths: dict[Path, int] = {}
    for field in fields:
        for i, part in enumerate(field.path):
            if isinstance(part, int):
                lengths[field.path[:i]] = max(lengths.get(field.path[:i], 0), part + 1)
    return lengths
