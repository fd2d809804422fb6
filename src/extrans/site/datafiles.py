"""The site's data files (``data/**``): which there are, which the configuration translates,
and each one read as a :class:`SourcePage` (its key ``data/<path without extension>``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from ..errors import (
    ConfigError,
    ExtransError,
    PageError,
    excerpt,
)
from ..formats.datafile import data_page, hand_translations, localize_data
from ..formats.frontmatter import PathPart
from ..model import FrontMatterFormat, SiteFile, SiteListing, SiteWrite, SourcePage, TextKey
from ..plumbing.fsio import list_files
from .config import DATA_SUFFIXES, Settings
from .pages import SourceListing, read_page_text

__all__ = [
    "DATA_DIR",
    "data_format",
    "data_relatives",
    "data_sources",
    "data_target",
    "data_translations",
    "list_data_files",
    "parse_data_file",
    "read_data_page",
    "read_data_text",
    "write_data",
    "write_data_file",
]

DATA_DIR = "data"
"""The site's data folder (Hugo's ``dataDir`` default)."""


def data_format(path: str) -> FrontMatterFormat | None:
    """The format of the data file at ``path``, by its extension; ``None``: not one extrans
    reads."""
    return DATA_SUFFIXES.get(PurePosixPath(path).suffix.lower())


def data_relatives(settings: Settings) -> SourceListing:
    """The data files of the site that extrans can read (``/``-separated paths from the site
    root, sorted), the target languages' translations left out (``data/es/…``,
    ``data/x.es.yaml``), hidden files and folders too; a folder that cannot be listed is an
    error naming it."""
    root = settings.site_root
    found: list[str] = []
    errors: list[ExtransError] = []
    for suffix in DATA_SUFFIXES:
        listing = list_files(root / DATA_DIR, suffix)
        errors += listing.errors(root)
        for path in listing.paths:
            relative = path.relative_to(root).as_posix()
            hidden = any(part.startswith(".") for part in relative.split("/"))
            if not hidden and not settings.is_data_translation(relative):
                found.append(relative)
    return SourceListing(sorted(found), tuple(errors))


def data_sources(settings: Settings) -> SourceListing:
    """The data files the configuration translates (``data-files``); where the site has a data
    folder, an entry that names none of its files is an error (a misspelt path would
    otherwise translate nothing, silently)."""
    if not settings.data_files:
        return SourceListing([])
    listing = data_relatives(settings)
    errors = list(listing.errors)
    for rule in settings.data_files if (settings.site_root / DATA_DIR).is_dir() else ():
        if not any(rule.names(path) for path in listing.pages):
            problem = f"the 'data-files' entry {excerpt(rule.text)} names no data file"
            errors.append(ConfigError(problem, _settings_file(settings)))
    chosen = [path for path in listing.pages if settings.data_fields(path)]
    return SourceListing(chosen, tuple(errors))


def _settings_file(settings: Settings) -> str:
    """The file the settings are in (``extrans.toml``, else ``pyproject.toml``)."""
    own = settings.site_root / "extrans.toml"
    return own.name if own.exists() else "pyproject.toml"


def read_data_text(settings: Settings, relative: str) -> str:
    """A data file's text, read as a page's is (UTF-8 only, not through a symlink out of the
    data folder)."""
    root = settings.site_root
    return read_page_text(
        root / relative, relative, root / DATA_DIR, place=f"the {DATA_DIR} folder"
    )


def parse_data_file(text: str, relative: str, settings: Settings) -> SourcePage:
    """A data file's configured strings, as a page to translate."""
    format = data_format(relative)
    if format is None:
        raise PageError("is not a YAML, TOML or JSON data file", relative)
    patterns = settings.data_fields(relative)

    def selects(path: tuple[PathPart, ...]) -> bool:
        return any(pattern.matches(path) for pattern in patterns)

    return data_page(text, format, relative, settings.data_key(relative), selects)


def write_data_file(
    source: str,
    page: SourcePage,
    existing: str | None,
    target: str,
    translations: Mapping[TextKey, str],
) -> str:
    """The text of ``target``, the translation of the data file ``page`` (read from
    ``source``): see :func:`~extrans.formats.datafile.localize_data`. An existing file with no
    place for some of the source's strings is an error, left as it is: the language's site
    would lack what was added to the source, or show a translation on another item."""
    built = localize_data(source, page, translations, existing, target)
    if built.unplaced:
        first, more = built.unplaced[0], len(built.unplaced) - 1
        others = f" and {more} more" if more else ""
        raise PageError(
            f"has no place for {first}{others} of {page.path} (its lists differ from the "
            "source's); left as it is: make it match the source, or delete it and build "
            "writes it anew",
            target,
        )
    return built.text


# --- the site-strings kind "data" (site/strings.py) ---------------------------------------


def list_data_files(settings: Settings) -> SiteListing:
    """The configured data files (``data-files``), each its own catalog."""
    listing = data_sources(settings)
    files = tuple(SiteFile("data", path, settings.data_key(path)) for path in listing.pages)
    return SiteListing(files, listing.errors)


def read_data_page(settings: Settings, file: SiteFile, text: str) -> SourcePage:
    return parse_data_file(text, file.path, settings)


def data_target(settings: Settings, file: SiteFile, language: str) -> str:
    return settings.data_target_path(file.path, language)


def write_data(job: SiteWrite) -> str | None:
    """The language's data file; ``None`` while nothing is translated and there is no file
    (a copy of the source would only hide the layout's fallback to it)."""
    translations = {key: texts[0] for key, texts in job.translations.items() if texts}
    entries = {(segment.context, segment.text) for segment in job.page.segments}
    if job.existing is None and not entries & translations.keys():
        return None
    return write_data_file(job.source, job.page, job.existing, job.target, translations)


def data_translations(job: SiteWrite) -> dict[TextKey, tuple[str, ...]]:
    """For ``extrans adopt``: what a hand-made language file (``job.existing``) holds, by
    catalog key (see :func:`~extrans.formats.datafile.hand_translations`)."""
    if job.existing is None:
        return {}
    found = hand_translations(job.source, job.page, job.existing, job.target)
    return {key: (text,) for key, text in found.items()}
