"""Taxonomy terms: the terms a page's front matter lists (``tags: [Core, Beginner]``), the
path of a term's page as Hugo makes it, and the text of a term page carrying a translated
title.

Hugo keys a term by the text the pages list, and publishes its page at that text made a
path (``Pilates Basics`` → ``/tags/pilates-basics/``); a content page at
``content/<lang>/tags/pilates-basics/_index.md`` is that term's page in that language, and
its ``title`` is the name templates show (``.LinkTitle`` of each of ``.GetTerms``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .frontmatter import (
    format_scalar,
    read_string_fields,
    read_top_level_values,
    split_front_matter,
)

__all__ = ["DEFAULT_TAXONOMIES", "PageTerm", "page_terms", "term_page", "term_path"]

DEFAULT_TAXONOMIES = ("tags", "categories")
"""Hugo's taxonomies where the configuration names none (their plural names, as pages
write them)."""
_PATH_CHARACTERS = frozenset("./\\_#+~-@")


@dataclass(frozen=True, slots=True)
class PageTerm:
    """A term a page lists."""

    taxonomy: str
    """The taxonomy's plural name, as the configuration gives it (``tags``)."""
    term: str
    """As written."""
    line: int


def page_terms(text: str, path: str, taxonomies: Sequence[str]) -> list[PageTerm]:
    """The terms of ``taxonomies`` a page's front matter lists (a list, or one string), in
    page order; keys match in any case, as Hugo reads them."""
    front = split_front_matter(text, path)
    wanted = {name.lower(): name for name in taxonomies}
    found: list[PageTerm] = []
    for field in read_string_fields(text, front, path):
        top = field.path[0]
        if not isinstance(top, str) or top.lower() not in wanted or not field.value.strip():
            continue
        if len(field.path) == 1 or (len(field.path) == 2 and isinstance(field.path[1], int)):
            line = text.count("\n", 0, field.start) + 1
            found.append(PageTerm(wanted[top.lower()], field.value, line))
    return found


def term_path(term: str) -> str:
    """The path segment Hugo 0.111 makes of a term (``MakePathSanitized``): letters, digits
    and marks kept, in lower case, with ``. / \\ _ # + ~ - @``; a run of spaces between them
    one hyphen (none after a hyphen); anything else dropped."""
    out: list[str] = []
    hyphen = was_hyphen = False
    for char in term:
        category = unicodedata.category(char)
        if char in _PATH_CHARACTERS or category[0] in "LM" or category == "Nd":
            was_hyphen = char == "-"
            if hyphen and not was_hyphen:
                out.append("-")
            hyphen = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            hyphen = True
    return "".join(out).lower()


def term_page(existing: str | None, path: str, title: str) -> str:
    """The text of a term's page titled ``title``: a new page (YAML front matter) or, for one
    there, its ``title`` replaced in place (added as the front matter's first key if it has
    none), every other byte kept."""
    if existing is None:
        return f"---\ntitle: {format_scalar('yaml', '', title)}\n---\n"
    front = split_front_matter(existing, path)
    if front.format == "none":
        return f"---\ntitle: {format_scalar('yaml', '', title)}\n---\n" + existing
    span = read_top_level_values(existing, front, path).get("title")
    if span is not None:
        original = existing[span[0] : span[1]]
        return (
            existing[: span[0]] + format_scalar(front.format, original, title) + existing[span[1] :]
        )
    line = {
        "yaml": f"title: {format_scalar('yaml', '', title)}\n",
        "toml": f"title = {format_scalar('toml', '', title)}\n",
        "json": f'"title": {format_scalar("json", "", title)}',
    }[front.format]
    at = front.start + 1 if front.format == "json" else front.start
    if front.format == "json" and existing[at : front.end].strip() != "}":
        line += ", "
    return existing[:at] + line + existing[at:]
