"""The site-strings kind ``taxonomies``: the terms the source pages list (``tags``,
``categories``, or the taxonomies the Hugo configuration names), one catalog
(``taxonomies``: each term an entry, its taxonomy the context), built into term pages
(``content/<lang>/tags/<term>/_index.md``) whose ``title`` is the translation.

Its source is no file of the site: the terms are gathered from the pages into a JSON
listing (``{"tags": ["Core", ...]}``), read like any site file's text; the pages'
``tags:`` lists stay as they are, the keys Hugo groups pages by in every language.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

from ..errors import ConfigError, ExtransError
from ..formats.frontmatter import FrontMatter, read_string_fields
from ..formats.menus import format_of, parse_config
from ..formats.taxonomies import (
    DEFAULT_TAXONOMIES,
    PageTerm,
    page_terms,
    term_page,
    term_path,
)
from ..model import Segment, SiteFile, SiteListing, SiteWrite, SourcePage
from .config import Settings
from .menus import hugo_config_files, read_config_text
from .pages import read_page_text, source_relatives

__all__ = [
    "TAXONOMIES_KEY",
    "list_taxonomies",
    "load_terms",
    "read_terms",
    "site_taxonomies",
    "term_targets",
    "write_term_page",
]

TAXONOMIES_KEY = "taxonomies"
"""The catalog of the terms: ``locale/<lang>/taxonomies.po``."""
_TERM_KINDS = frozenset({"taxonomy", "term", "taxonomyterm"})


def site_taxonomies(settings: Settings) -> tuple[str, ...]:
    """The plural names of the site's taxonomies, as pages list them: the Hugo
    configuration's ``taxonomies`` (a later file winning; ``taxonomies.*`` in its folder),
    else Hugo's ``tags`` and ``categories``; none where ``disableKinds`` turns term pages
    off."""
    taxonomies: object = None
    disabled: set[str] = set()
    for path in hugo_config_files(settings.site_root):
        stem = path.rpartition("/")[2].split(".")[0]
        main = "/" not in path or stem in ("hugo", "config")
        if not main and (stem != "taxonomies" or path.count(".") > 1):
            continue
        fmt = format_of(path)
        assert fmt is not None
        data = parse_config(read_config_text(settings, path) or "", fmt, path)
        lowered = {str(key).lower(): value for key, value in data.items()}
        if not main:
            taxonomies = data
        elif "taxonomies" in lowered:
            taxonomies = lowered["taxonomies"]
        kinds = lowered.get("disablekinds")
        if isinstance(kinds, list):
            disabled |= {str(kind).lower() for kind in kinds}
    if disabled & _TERM_KINDS:
        return ()
    if taxonomies is None:
        return DEFAULT_TAXONOMIES
    if not isinstance(taxonomies, dict):
        raise ConfigError("'taxonomies' must be a table (singular name = plural name)")
    return tuple(str(plural) for plural in taxonomies.values() if plural)


def list_taxonomies(settings: Settings) -> SiteListing:
    """The terms of the source pages, as one site file named by the source content folder
    (none with ``taxonomies = false``, where the site has no taxonomies, or no page lists a
    term)."""
    if not settings.taxonomies:
        return SiteListing(())
    try:
        taxonomies = site_taxonomies(settings)
    except ExtransError as err:
        return SiteListing((), (err,))
    if not taxonomies or next(_terms(settings, taxonomies), None) is None:
        return SiteListing(())
    folder = settings.content_dir(settings.source_language)
    return SiteListing((SiteFile("taxonomies", folder, TAXONOMIES_KEY),))


def _terms(settings: Settings, taxonomies: tuple[str, ...]) -> Iterator[PageTerm]:
    """The terms the source pages list, page by page (a page that cannot be read is passed
    over: extract reports it with the pages). A page that names no taxonomy anywhere, in any
    case, lists no term: its front matter is not parsed (every run reads every page here)."""
    names = [name.lower() for name in taxonomies]
    for relative in source_relatives(settings).pages:
        try:
            text = read_page_text(settings.site_root / relative, relative)
            lowered = text.lower()
            if not any(name in lowered for name in names):
                continue
            found = page_terms(text, relative, taxonomies)
        except ExtransError:
            continue
        yield from found


def load_terms(settings: Settings, file: SiteFile) -> str:
    """The terms the source pages list, by taxonomy, each once in the order first met, as
    JSON text."""
    terms: dict[str, list[str]] = {}
    for term in _terms(settings, site_taxonomies(settings)):
        listed = terms.setdefault(term.taxonomy, [])
        if term.term not in listed:
            listed.append(term.term)
    return json.dumps(terms, ensure_ascii=False, indent=1) + "\n"


def read_terms(settings: Settings, file: SiteFile, text: str) -> SourcePage:
    """Each term an entry (``#. taxonomy tags``), its taxonomy the context."""
    front = FrontMatter("json", 0, len(text), len(text))
    segments = [
        Segment(field.value, f"taxonomy {field.path[0]}", 1, field.start, field.end,
                context=str(field.path[0]))
        for field in read_string_fields(text, front, file.path)
        if len(field.path) == 2 and field.value.strip()
    ]  # fmt: skip
    return SourcePage(file.path, file.key, "json", tuple(segments))


def term_targets(
    settings: Settings, file: SiteFile, language: str, page: SourcePage
) -> tuple[str, ...]:
    """The page of each term in ``language`` (two terms Hugo publishes at one path: one
    page; none for a term whose path would leave its taxonomy's folder, nor for one with a
    source page of its own, ``content/en/tags/core/_index.md``, built as pages are)."""
    folder, source = settings.content_dir(language), settings.content_dir(settings.source_language)
    targets: dict[str, None] = {}
    for segment in page.segments:
        place = f"{segment.context}/{term_path(segment.text)}"
        if not _safe(term_path(segment.text)) or not _safe(segment.context or ""):
            continue
        if any((settings.site_root / source / place).glob("_index.*")):
            continue  # (the term has a page of its own: translated as a page)
        targets[f"{folder}/{place}/_index.md"] = None
    return tuple(targets)


def _safe(name: str) -> bool:
    """Whether a path stays in its folder: no empty, ``.`` or ``..`` part, no backslash."""
    return "\\" not in name and all(part not in ("", ".", "..") for part in name.split("/"))


def write_term_page(job: SiteWrite) -> str | None:
    """A term's page titled with the term's translation: a new page, or the one there with
    its ``title`` replaced in place; ``None`` (no page) while the term is untranslated."""
    folder = os.path.dirname(job.target)
    for segment in job.page.segments:
        taxonomy = segment.context or ""
        if not folder.endswith(f"/{taxonomy}/{term_path(segment.text)}"):
            continue
        translated = job.translations.get((segment.context, segment.text))
        if translated and translated[0]:
            return term_page(job.existing, job.target, translated[0])
    return job.existing
