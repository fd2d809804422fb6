"""Where Hugo serves a page: its path from its file, its ``url`` and ``slug``, and the site's
``permalinks``, as Hugo 0.111 makes it (``resources/page/page_paths.go`` and
``permalinks.go``), so that build can send a translation's links to the page Hugo renders."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, unquote_plus

from .frontmatter import read_string_fields, read_top_level_values, split_front_matter

__all__ = ["PageAddress", "UrlRules", "link_key", "read_page_address", "served_link"]

_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
"""Where Hugo takes a page's date from, first found first (its default ``frontmatter.date``)."""
_DATE = re.compile(r"""["']?(\d{4})-(\d{2})-(\d{2})""")
_TOKEN = re.compile(r":\w+(\[.+?\])?")
_GO_DATE = re.compile(r"January|Jan|Monday|Mon|2006|002|_2|01|02|06|1|2")
"""The date parts of a Go time layout (``:2006``, ``:01``...), longest first as Go reads them."""
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_HEX2 = re.compile(r"[0-9A-Fa-f]{2}")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True, slots=True)
class UrlRules:
    """What of the Hugo configuration decides where pages are served."""

    permalinks: Mapping[str, str] = field(default_factory=dict)
    """``permalinks``: a pattern (``/:year/:month/:slug/``) per top-level section (``""``:
    the pages at the content folder's root), for regular pages."""
    ugly_urls: bool = False
    """``uglyURLs``: ``/docs/guide.html`` rather than ``/docs/guide/``."""
    lower_case: bool = True
    """Not ``disablePathToLower``."""
    remove_accents: bool = False
    """``removePathAccents``."""
    base_path: str = ""
    """The path of ``baseURL`` (``/docs`` for ``https://example.org/docs/``), which Hugo puts
    before every page's path."""
    languages: tuple[str, ...] = ()
    """The site's language codes, in lower case, sorted: ``page.es.md`` is the page ``page``
    (Hugo's translation by file name). A tuple, not a set: the caches' fingerprints are made
    of the settings' ``repr``, which must not change from one run to the next."""


@dataclass(frozen=True, slots=True)
class PageAddress:
    """What a page's front matter says of where it is served."""

    url: str = ""
    slug: str = ""
    title: str = ""
    date: date | None = None
    """The page's date (``date``, else ``publishDate``, else ``lastmod``), day only."""


def read_page_address(text: str, path: str) -> PageAddress:
    """The ``url``, ``slug``, ``title`` and date of a page (keys in any case, as Hugo reads
    them). The date is read from the value as written: its day is the one Hugo uses,
    whatever the time zone."""
    front = split_front_matter(text, path)
    strings = {
        value.path[0].lower(): value.value
        for value in reversed(read_string_fields(text, front, path))
        if len(value.path) == 1 and isinstance(value.path[0], str)
    }
    spans = {key.lower(): span for key, span in read_top_level_values(text, front, path).items()}
    day = None
    for key in _DATE_KEYS:
        found = _DATE.match(text[spans[key][0] : spans[key][1]]) if key in spans else None
        if found:
            try:
                day = date(*map(int, found.groups()))
            except ValueError:
                continue
            break
    return PageAddress(
        strings.get("url", ""), strings.get("slug", ""), strings.get("title", ""), day
    )


def served_link(
    relative: str,
    address: PageAddress,
    sections: Collection[str],
    rules: UrlRules,
    prefix: str,
) -> str | None:
    """The path Hugo serves a page at (its ``RelPermalink``: ``/es/posts/2024/hola/``,
    non-ASCII letters escaped), from its file (``relative`` to its language's content folder,
    ``/``-separated), its front matter, the folders that are sections (each top-level folder
    and each one with an ``_index`` page), and the language's path ``prefix`` (``/es`` or
    empty), under the path of the site's ``baseURL``. ``None``: a permalink pattern Hugo
    would refuse."""
    link = _served(relative, address, sections, rules, prefix)
    return None if link is None else _escaped(rules.base_path + link)


def _served(
    relative: str,
    address: PageAddress,
    sections: Collection[str],
    rules: UrlRules,
    prefix: str,
) -> str | None:
    """:func:`served_link`, unescaped and without the ``baseURL``'s path."""
    stem = PurePosixPath(relative).with_suffix("")
    if stem.suffix[1:].lower() in rules.languages:
        stem = stem.with_suffix("")
    parts = stem.parts
    name = parts[-1] if parts else ""
    folders = parts[:-1]
    url = address.url
    if name == "_index" and not folders:
        return f"{prefix}/"
    if url:
        link = _url_link(url)
        if name == "_index":
            link = _sanitized(link, rules)
        if not url.startswith("/") and prefix:  # (a relative ``url`` is the language's)
            link = prefix + link
        return link
    if name == "_index":
        return _sanitized(f"{prefix}/{'/'.join(folders)}/", rules)
    if name == "index" and folders:  # (a leaf bundle: the page is its folder)
        folders, name = folders[:-1], folders[-1]
    pattern = rules.permalinks.get(folders[0] if folders else "")
    if pattern is not None:
        expanded = _expand(pattern, folders, name, address, sections, rules)
        if expanded is None:
            return None
        path = unquote_plus(expanded).strip("/")
    else:
        path = "/".join((*folders, address.slug or name))
    path = f"{path}.html" if rules.ugly_urls and path else f"{path}/"
    return _sanitized(f"{prefix}/{path}".replace("//", "/"), rules)


def link_key(path: str) -> str:
    """A link's path as compared with served paths: unescaped, in lower case, with one
    trailing ``/`` (Hugo's paths are lower case and a folder's link works with or without)."""
    return unquote(path).rstrip("/").lower() + "/"


def _url_link(url: str) -> str:
    """The link of a page whose front matter has ``url``."""
    link = "/" + url.strip("/")
    if url.endswith("/") or "." not in url:
        return link.rstrip("/") + "/"
    return link


def _expand(
    pattern: str,
    folders: tuple[str, ...],
    name: str,
    address: PageAddress,
    sections: Collection[str],
    rules: UrlRules,
) -> str | None:
    """``pattern`` with each ``:token`` replaced for the page; ``None`` for a token Hugo does
    not know."""
    day = address.date or date(1, 1, 1)  # (Go's zero time, for a page without a date)
    section = _current_section(folders, sections)
    values = {
        "year": str(day.year),
        "month": f"{day.month:02d}",
        "monthname": _MONTHS[day.month - 1],
        "day": f"{day.day:02d}",
        "weekday": str(day.isoweekday() % 7),
        "weekdayname": _DAYS[day.isoweekday() % 7],
        "yearday": str(day.timetuple().tm_yday),
        "section": folders[0] if folders else "",
        "sections": "/".join(section),
        "title": _urlized(address.title, rules),
        "slug": _urlized(address.slug or address.title, rules),
        "slugorfilename": _urlized(address.slug or name, rules),
        "filename": _urlized(name, rules),
        # (Hugo 0.144's, which sites written for it use: the file's name, a bundle's folder's)
        "contentbasename": _urlized(name, rules),
        "slugorcontentbasename": _urlized(address.slug or name, rules),
    }
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(pattern):
        token = match.group()[1:]
        if token in values:
            value = values[token]
        elif token.startswith("sections["):
            value = "/".join(_sliced(section, token.removeprefix("sections")))
        elif _GO_DATE.search(token):
            value = _GO_DATE.sub(lambda part: _go_date_part(part.group(), day), token)
        else:
            return None
        out += [pattern[last : match.start()], value]
        last = match.end()
    return "".join(out) + pattern[last:]


def _current_section(folders: tuple[str, ...], sections: Collection[str]) -> tuple[str, ...]:
    """The folders of the section a page is in: the deepest of its folders that is a section
    (a top-level folder always is)."""
    for end in range(len(folders), 1, -1):
        if "/".join(folders[:end]) in sections:
            return folders[:end]
    return folders[:1]


def _sliced(entries: tuple[str, ...], cut: str) -> tuple[str, ...]:
    """``:sections[1:]``, ``[last]``, ``[0]``: Hugo's lenient slices, never out of bounds."""
    cut = cut.strip().lower()
    if len(cut) < 3 or cut[0] != "[" or cut[-1] != "]" or not entries:
        return ()

    def index(text: str, default: int) -> int:
        if text == "":
            return default
        if text == "last":
            return len(entries) - 1
        number = int(text) if text.isdigit() else 0
        return min(number, len(entries))

    inside = cut[1:-1]
    if ":" not in inside:
        at = index(inside, 0)
        return (entries[at],) if at < len(entries) and entries[at] else ()
    low, high = inside.split(":", 1)
    return entries[index(low, 0) : index(high, len(entries))]


def _go_date_part(part: str, day: date) -> str:
    weekday = day.isoweekday() % 7
    return {
        "January": _MONTHS[day.month - 1],
        "Jan": _MONTHS[day.month - 1][:3],
        "Monday": _DAYS[weekday],
        "Mon": _DAYS[weekday][:3],
        "2006": f"{day.year:04d}",
        "002": f"{day.timetuple().tm_yday:03d}",
        "_2": f"{day.day:2d}",
        "01": f"{day.month:02d}",
        "02": f"{day.day:02d}",
        "06": f"{day.year % 100:02d}",
        "1": str(day.month),
        "2": str(day.day),
    }[part]


def _urlized(text: str, rules: UrlRules) -> str:
    """Hugo's ``urlize``: a title or slug as one part of a path."""
    return _sanitized(text, rules)


def _sanitized(text: str, rules: UrlRules) -> str:
    """Hugo's ``MakePathSanitized``: letters, digits, marks and ``._-/\\#+~@`` (and ``%``
    escapes) stay, a run of spaces becomes one ``-``, anything else goes; lower case unless
    ``disablePathToLower``."""
    if rules.remove_accents:
        stripped = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize(
            "NFC", "".join(c for c in stripped if unicodedata.category(c) != "Mn")
        )
    out: list[str] = []
    hyphen_next = was_hyphen = False
    for at, char in enumerate(text):
        kind = unicodedata.category(char)
        allowed = char in "./\\_#+~-@" or kind[0] in "LM" or kind == "Nd"
        allowed = allowed or (char == "%" and bool(_HEX2.match(text, at + 1)))
        if allowed:
            was_hyphen = char == "-"
            if hyphen_next and not was_hyphen:
                out.append("-")
            hyphen_next = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            hyphen_next = True
    joined = "".join(out)
    return joined.lower() if rules.lower_case else joined


def _escaped(link: str) -> str:
    """A link as Hugo writes it: non-ASCII letters and characters a URL cannot hold escaped."""
    return quote(link, safe="/%#+~@-._!$&'()*,;=:")
