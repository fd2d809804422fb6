"""Source pages: find them, read them, and turn each into a :class:`SourcePage`."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..errors import ExtransError, FileError, PageError, excerpt, file_problem, line_of, shown_path
from ..formats.urls import PageAddress, link_key, read_page_address, served_link
from ..model import Segment, SourcePage
from ..plumbing.fsio import NAME_MAX, READ, open_file, read_all, within
from .config import Settings

if TYPE_CHECKING:
    from ..formats.frontmatter import FieldValue

__all__ = [
    "SourceListing",
    "check_key",
    "decode_page",
    "derive_key",
    "localized_links",
    "names_page",
    "page_key",
    "page_text_of_bytes",
    "parse_page",
    "read_address",
    "read_page_text",
    "source_relatives",
]

MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_PAGE_BYTES = 16 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_UNSAFE_KEY_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')
_SEPARATOR = "\x04"
"""gettext's context separator (EOT): no msgid, msgstr or msgctxt may hold it."""


@dataclass(frozen=True, slots=True)
class SourceListing:
    """The source pages of a site, and why the list may lack some."""

    pages: list[str]
    """``/``-separated paths from the site root, sorted."""
    errors: tuple[ExtransError, ...] = ()
    """Folders that could not be read, or that are symlinks (never followed): while there
    is one, pages may be missing from the list, and build prunes nothing."""


def source_relatives(settings: Settings) -> SourceListing:
    """The Markdown pages of the source language (hidden files and folders left out); a
    folder that cannot be read, or is a symlink, is an error naming it (a source folder
    that could not be read in full must never pass for one that has fewer pages)."""
    root = str(settings.site_root)
    content = settings.content_dir(settings.source_language)
    top = os.path.join(root, content)
    found: list[str] = []
    errors: list[ExtransError] = []

    def shown(directory: str) -> str:
        return content + directory[len(top) :].replace(os.sep, "/")

    def unreadable(err: OSError) -> None:
        folder = shown(os.fsdecode(err.filename or top))
        if folder == content and isinstance(err, FileNotFoundError):
            problem = (
                f"the content folder of '{settings.source_language}' does not exist; "
                "create it, or set its contentDir"
            )
        elif err.errno in (errno.EACCES, errno.EPERM):
            problem = "cannot read the folder: permission denied; check its permissions"
        else:
            problem = f"cannot read the folder: {file_problem(err)}"
        errors.append(FileError(problem, shown_path(folder)))

    for directory, folders, files in os.walk(top, onerror=unreadable):
        kept = []
        for name in sorted(folders):
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(directory, name)):
                problem = (
                    "is a symlink to a folder, which extrans does not follow; its pages are left "
                    "out (move them into a real folder here, or remove the symlink)"
                )
                errors.append(FileError(problem, shown_path(f"{shown(directory)}/{name}")))
            else:
                kept.append(name)
        folders[:] = kept
        prefix = shown(directory) + "/"
        found.extend(
            prefix + name
            for name in files
            if name.endswith(MARKDOWN_SUFFIXES) and not name.startswith(".")
        )
    return SourceListing(sorted(found), tuple(errors))


def read_page_text(
    path: Path | str,
    shown: str,
    root: Path | str | None = None,
    *,
    place: str = "the content folder",
) -> str:
    """A page's text; undecodable bytes are an error, never silently replaced. With ``root``
    (``place``, in words), a page that a symlink leads outside of it is refused unread."""
    target = os.fspath(path)
    _check_name(shown)
    try:
        try:  # one system call finds out whether the page is a symlink (where O_NOFOLLOW is)
            handle, info = open_file(target, READ | _NOFOLLOW)
            linked = not _NOFOLLOW and os.path.islink(target)
        except OSError as err:
            if err.errno != errno.ELOOP:
                raise
            handle, info = open_file(target, READ)
            linked = True
        try:
            _check_page(shown, info.st_size, target, linked, root, place)
            data = read_all(handle, info.st_size)
        finally:
            os.close(handle)
    except OSError as err:
        raise PageError(f"cannot read: {file_problem(err)}", shown) from err
    return decode_page(data, shown)


def page_text_of_bytes(data: bytes, target: str, shown: str, root: Path | str) -> str:
    """What :func:`read_page_text` gives, from the bytes read already for the page's hash."""
    _check_name(shown)
    _check_page(shown, len(data), target, os.path.islink(target), root, "the content folder")
    return decode_page(data, shown)


def _check_name(shown: str) -> None:
    """Refuse a page whose file name is not UTF-8: a catalog's references and the build
    record are UTF-8 text, and could not name it."""
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError as err:
        raise PageError("the file name is not UTF-8; rename the page", shown_path(shown)) from err


def _check_page(
    shown: str, size: int, target: str, linked: bool, root: Path | str | None, place: str
) -> None:
    """Refuse a page that a symlink leads outside ``root`` (``place``, in words), or one too
    big to be a page."""
    if root is not None and not within(target, linked, root):
        raise PageError(f"is a symlink to a file outside {place}; refusing it", shown)
    if size > MAX_PAGE_BYTES:
        raise PageError(
            f"is {size / 1048576:.0f} MB; extrans reads pages up to "
            f"{MAX_PAGE_BYTES // 1048576} MB (split it, or move it out of the content folder)",
            shown,
        )


def decode_page(data: bytes, shown: str) -> str:
    """A page's bytes as text (see :func:`read_page_text`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise PageError(
            f"not UTF-8 (byte 0x{data[err.start]:02x}); save the page as UTF-8", shown, line
        ) from err
    if "\x00" in text:
        raise PageError(
            "contains a NUL character; a text page has none",
            shown,
            line_of(text, text.index("\x00")),
        )
    return text


def derive_key(relative: PurePosixPath) -> str:
    """The key of a page without ``translationKey``: its path in the content folder, without
    the suffix; a leaf bundle (``foo/index.md``) is named by its folder."""
    stem = relative.with_suffix("")
    if stem.name == "index" and len(stem.parts) > 1:
        stem = stem.parent
    return stem.as_posix()


def check_key(key: str) -> str | None:
    """Why ``key`` cannot name a catalog file, or ``None`` if it can."""
    if not key.strip():
        return "is empty"
    if _UNSAFE_KEY_CHARS.search(key):
        return 'contains a control character or one of \\ : * ? " < > |'
    if key.startswith("/"):
        return "is an absolute path"
    parts = key.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "has an empty, '.' or '..' path component"
    if any(part != part.strip() or part.endswith(".") for part in parts):
        return "has a path component with leading/trailing spaces or a trailing dot"
    names = [*parts[:-1], parts[-1] + ".pot"]  # (its longest file: the template)
    if any(len(name.encode("utf-8")) > NAME_MAX for name in names):
        return f"makes a file name longer than {NAME_MAX} bytes, which file systems refuse"
    return None


def parse_page(text: str, relative: str, settings: Settings) -> SourcePage:
    """Find everything translatable in a page. ``relative`` is its path from the site root."""
    from ..formats.frontmatter import format_path, read_string_fields, split_front_matter
    from ..formats.markdown import extract_body_segments, has_words  # (not for page keys alone)

    front = split_front_matter(text, relative)
    fields = read_string_fields(text, front, relative)
    key = _page_key(fields, text, relative, settings)
    segments = [
        Segment(
            text=field.value,
            origin=f"front matter: {format_path(field.path)}",
            line=line_of(text, field.start),
            start=field.start,
            end=field.end,
            context=settings.context_for(field.path),
        )
        for field in fields
        if settings.selects(field.path) and has_words(field.value)
    ]
    body_line = line_of(text, front.body_start)
    segments += extract_body_segments(
        text,
        front.body_start,
        body_line,
        settings.code_shortcodes,
        relative,
        settings.dialect,
        settings.shortcode_args,
        html_blocks=settings.html_blocks,
    )
    for segment in segments:
        if _SEPARATOR in segment.text:
            at = text.find(_SEPARATOR, segment.start, segment.end)
            raise PageError(
                "a text to translate holds the control character U+0004, which gettext keeps "
                "to separate a context from its text and refuses in a catalog; remove it",
                relative,
                segment.line if at < 0 else line_of(text, at),
            )
    return SourcePage(relative, key, front.format, tuple(segments))


# Searched in the front matter with a newline put before it: the literal start lets the
# regex engine skip ahead (a "^" in MULTILINE mode is tried at every position).
_SIMPLE_KEY = {
    "yaml": re.compile(
        r"\ntranslationKey:[ \t]*(?:\"([^\"\\\n]*)\"|'([^'\n]*)'|([\w][\w./-]*))[ \t]*$", re.M
    ),
    "toml": re.compile(
        r"\ntranslationKey[ \t]*=[ \t]*(?:\"([^\"\\\n]*)\"|'([^'\n]*)')[ \t]*$", re.M
    ),
}
_TOML_TABLE = re.compile(r"\n[ \t]*\[")


def page_key(text: str, relative: str, settings: Settings) -> str:
    """The catalog key of a page, from a plain ``translationKey`` line (or none at all)
    without parsing the front matter: a cold run finds every page's key before it reads the
    page for its text, and parsing the front matter twice costs a tenth of that run."""
    # (imported here, as in parse_page: a run with nothing to do reads no page)
    from ..formats.frontmatter import read_string_fields, split_front_matter

    front = split_front_matter(text, relative)
    source = "\n" + text[front.start : front.end]
    named = source.lower().count("translationkey")  # (Hugo reads keys in any case)
    pattern = _SIMPLE_KEY.get(front.format)
    if pattern is not None and named <= 1:
        if front.format == "toml":
            source = _TOML_TABLE.split(source, maxsplit=1)[0]  # the top level only
        found = pattern.search(source)
        if found is not None:
            key = next(group for group in found.groups() if group is not None)
            if check_key(key) is None:
                return key
        elif not named:
            return _page_key([], text, relative, settings)
    fields = read_string_fields(text, front, relative)
    return _page_key(fields, text, relative, settings)


def _page_key(fields: list[FieldValue], text: str, relative: str, settings: Settings) -> str:
    for field in fields:
        if len(field.path) == 1 and str(field.path[0]).lower() == "translationkey":
            problem = check_key(field.value)
            if problem:
                raise PageError(
                    f"translationKey {excerpt(field.value)} {problem}; it must be a safe relative "
                    "file name (letters, digits, '-', '_', '/')",
                    relative,
                    line_of(text, field.start),
                )
            return field.value
    content = PurePosixPath(settings.content_dir(settings.source_language))
    key = derive_key(PurePosixPath(relative).relative_to(content))
    problem = check_key(key)
    if problem:
        raise PageError(
            f"the key derived from the page's path {excerpt(key)} {problem}; rename the page, "
            "or set its translationKey",
            relative,
        )
    return key


def names_page(source: str, settings: Settings, filters: Sequence[str]) -> bool:
    """Whether ``source`` (a source page, from the site root) is one of the pages or sections
    ``filters`` name, as a command's PATH arguments take them (``exercises``,
    ``exercises/saw.md``, ``content/en/exercises/saw.md``); every page without filters."""
    if not filters:
        return True
    content = settings.content_dir(settings.source_language)
    stem = os.path.splitext(source)[0]
    for wanted in filters:
        wanted = wanted.strip("/").removeprefix("./")
        for candidate in (wanted, f"{content}/{wanted}"):
            if candidate in (source, stem) or source.startswith(candidate + "/"):
                return True
    return False


def localized_links(
    settings: Settings,
    sources: Sequence[str],
    language: str,
    addresses: Mapping[str, PageAddress],
) -> dict[str, str]:
    """Where Hugo serves each page of ``sources`` (paths from the site root) that ``language``
    has: the source page's link (as :func:`link_key` compares it: ``/posts/2024/01/hello/``)
    → the localized page's (``/es/posts/2024/01/hola/``). Each is made from its own file and
    front matter (``addresses``, by path from the site root: a page not there does not exist,
    or could not be read) and the site's ``permalinks``; a page whose pattern Hugo would
    refuse is left out (links to it stay as written)."""
    localized = {source: settings.localized_path(source, language) for source in sources}
    source_links = _served_links(settings, sources, settings.source_language, addresses)
    target_links = _served_links(settings, list(localized.values()), language, addresses)
    return {
        link_key(source_links[source]): target_links[target]
        for source, target in localized.items()
        if source in source_links and target in target_links
    }


def read_address(settings: Settings, page: str, language: str) -> PageAddress:
    """What the front matter of ``page`` (a path from the site root, in ``language``'s
    content folder) says of where it is served; :class:`ExtransError` if it cannot be read."""
    root = settings.site_root
    text = read_page_text(root / page, page, root / settings.content_dir(language))
    return read_page_address(text, page)


def _served_links(
    settings: Settings, pages: Sequence[str], language: str, addresses: Mapping[str, PageAddress]
) -> dict[str, str]:
    """Each page's link in ``language``, where its address is known."""
    content = settings.content_dir(language)
    relatives = {page: page.removeprefix(f"{content}/") for page in pages if page in addresses}
    sections = {
        os.path.dirname(relative)
        for relative in relatives.values()
        if os.path.basename(relative).startswith("_index.")
    }
    prefix = settings.url_prefix(language)
    links: dict[str, str] = {}
    for page, relative in relatives.items():
        link = served_link(relative, addresses[page], sections, settings.urls, prefix)
        if link is not None:
            links[page] = link
    return links
