"""The site's taxonomy terms as a page to extract (the catalog ``taxonomies``: each term an
entry, its taxonomy the context), and where each translated term's page goes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigError, ExtransError
from ..formats.menus import format_of, parse_config
from ..formats.taxonomies import DEFAULT_TAXONOMIES, page_terms, term_path
from ..model import Segment, SourcePage
from .config import Settings
from .menus import hugo_config_files, read_site_file
from .pages import read_page_text, source_relatives

__all__ = [
    "TAXONOMIES_KEY",
    "TermPage",
    "site_taxonomies",
    "taxonomies_page",
    "term_pages",
]

TAXONOMIES_KEY = "taxonomies"
"""The catalog of the terms: ``locale/<lang>/taxonomies.po``."""
_TERM_KINDS = frozenset({"taxonomy", "term", "taxonomyterm"})


@dataclass(frozen=True, slots=True)
class TermPage:
    """A translated term's page in a target language."""

    path: str
    """``content/es/tags/core/_index.md``, from the site root."""
    taxonomy: str
    term: str
    title: str
    """The translation."""


def site_taxonomies(settings: Settings) -> tuple[str, ...]:
    """The plural names of the site's taxonomies, as pages list them: the Hugo
    configuration's ``taxonomies`` (a later file winning; ``taxonomies.*`` in its folder),
    else Hugo's ``tags`` and ``categories``; none where ``disableKinds`` turns term pages
    off."""
    taxonomies: object = None
    disabled: set[str] = set()
    for path, stem, code in hugo_config_files(settings.site_root):
        if stem not in ("main", "taxonomies") or code is not None:
            continue
        fmt = format_of(path)
        assert fmt is not None
        data = parse_config(read_site_file(settings, path) or "", fmt, path)
        lowered = {str(key).lower(): value for key, value in data.items()}
        if stem == "taxonomies":
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


def taxonomies_page(settings: Settings) -> tuple[SourcePage | None, list[ExtransError]]:
    """The terms the source pages list, as one page: each distinct term of each taxonomy a
    segment (``#. taxonomy tags``, context the taxonomy), in the order first met; ``None``
    when no page lists any. Pages that cannot be read are returned as errors (extract
    reports them with the pages)."""
    taxonomies = site_taxonomies(settings)
    errors: list[ExtransError] = []
    if not taxonomies:
        return None, errors
    listing = source_relatives(settings)
    seen: set[tuple[str, str]] = set()
    segments: list[Segment] = []
    for relative in listing.pages:
        try:
            text = read_page_text(settings.site_root / relative, relative)
            terms = page_terms(text, relative, taxonomies)
        except ExtransError as err:
            errors.append(err)
            continue
        for found in terms:
            if (found.taxonomy, found.term) in seen:
                continue
            seen.add((found.taxonomy, found.term))
            segments.append(
                Segment(found.term, f"taxonomy {found.taxonomy}", 1, 0, 0, context=found.taxonomy)
            )
    if not segments:
        return None, errors
    page = SourcePage(
        settings.content_dir(settings.source_language), TAXONOMIES_KEY, "none", tuple(segments)
    )
    return page, errors


def term_pages(
    settings: Settings,
    language: str,
    page: SourcePage,
    translations: Mapping[tuple[str | None, str], str],
) -> list[TermPage]:
    """The term pages of ``language`` that the translations give a title: one per translated
    term (two terms Hugo publishes at one path: the first)."""
    pages: dict[str, TermPage] = {}
    for segment in page.segments:
        title = translations.get((segment.context, segment.text))
        taxonomy = segment.context or ""
        name = term_path(segment.text)
        if not title or not _safe(name) or not _safe(taxonomy):
            continue
        path = f"{settings.content_dir(language)}/{taxonomy}/{name}/_index.md"
        pages.setdefault(path, TermPage(path, taxonomy, segment.text, title))
    return list(pages.values())


def _safe(name: str) -> bool:
    """Whether a term's path stays in its taxonomy's folder: no empty, ``.`` or ``..`` part,
    no backslash (such a term keeps its source title)."""
    return "\\" not in name and all(part not in ("", ".", "..") for part in name.split("/"))
