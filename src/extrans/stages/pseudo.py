"""The pseudo stage: the catalogs of one language filled with pseudo-translations of their
texts (``formats.pseudo``), so that a team can build and render the site to test its layouts
before any translator starts. It is extract's run (templates brought up to date, catalogs
merged, each file read back and written atomically under the site's lock, pages unchanged
since the last run skipped), with every catalog of that language pseudo-translated; a
catalog that holds a translator's work is never touched."""

from __future__ import annotations

import os
from collections.abc import Callable

from ..errors import CatalogError, ExtransError
from ..formats.pofile import decode_catalog, parse_po
from ..formats.pseudo import PSEUDO_FIELD
from ..plumbing.fsio import read_inside
from ..site.config import Settings
from .extract import ExtractResult, extract_site

__all__ = ["pseudo_language", "pseudo_site", "translated_catalogs"]

_MARK = f'"{PSEUDO_FIELD}: '.encode()


def pseudo_language(settings: Settings, requested: str | None) -> str:
    """The language to pseudo-translate into: ``requested``, else the ``pseudo-language``
    setting; it must be a target language, which Hugo needs to render it."""
    language = requested or settings.pseudo_language
    if language == settings.source_language:
        raise ExtransError(f"{language!r} is the source language: it cannot be pseudo-translated")
    if language not in settings.target_languages:
        raise ExtransError(
            f"{language!r} is not a target language of this site: add it to the Hugo "
            f"configuration ([languages.{language}] with contentDir = "
            f'"content/{language}"), or choose one with --lang'
        )
    return language


def translated_catalogs(settings: Settings, language: str) -> list[CatalogError]:
    """The catalogs of ``language`` that hold a translation ``extrans pseudo`` did not write:
    a translator's work, which a pseudo-translation must never replace. A catalog that cannot
    be read is extract's to report."""
    root = settings.site_root
    folder = os.path.join(root, settings.locale_dir, language)
    found: list[CatalogError] = []
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted(files):
            if not name.endswith(".po"):
                continue
            path = os.path.relpath(os.path.join(parent, name), root).replace(os.sep, "/")
            try:
                data = read_inside(os.path.join(root, path), path, str(root), error=CatalogError)
                if data is None or _MARK in data.partition(b"\n\n")[0]:
                    continue  # (its header marks it, and the header comes first: no parse)
                catalog = parse_po(decode_catalog(data, path), path, writable=False)
            except (ExtransError, OSError):
                continue
            if catalog.header.get(PSEUDO_FIELD) is not None:
                continue
            translated = next((m for m in catalog.live if m.has_translation), None)
            if translated is not None:
                found.append(
                    CatalogError(
                        "holds translations that extrans pseudo did not write: "
                        f"{language!r} is refused, pseudo-translate into a language of its own",
                        path,
                        translated.line or None,
                    )
                )
    return found


def pseudo_site(
    settings: Settings,
    language: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    use_cache: bool = True,
) -> ExtractResult:
    """Fill every catalog of ``language`` with pseudo-translations (and bring the templates
    up to date); nothing is written when one of its catalogs holds a translator's work."""
    refused = translated_catalogs(settings, language)
    if refused:
        first = refused[0]
        if len(refused) > 1:
            more = f" (and {len(refused) - 1} more catalogs)"
            first = CatalogError(first.message + more, first.path, first.line)
        return ExtractResult((), (), (first,), 0)
    return extract_site(
        settings, [language], progress=progress, jobs=jobs, use_cache=use_cache, pseudo=True
    )
