"""The site-strings kind ``i18n``: Hugo's string tables (``i18n/en.toml``), one catalog per
table (``i18n``; ``i18n/<folder>`` for a table in a subfolder of ``i18n/``).

Hugo 0.111 reads every ``*.toml|yaml|yml|json`` file under the site's ``i18n/`` folder and
takes the language from the file's name (``i18n/extra/en.toml`` is English too); a folder
named like a language (``i18n/en/…``) is not one. A theme's ``themes/<t>/i18n/`` tables are
the theme's: the site overrides them by ids of its own, which extrans does not invent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from posixpath import dirname, splitext

from ..errors import ExtransError, FileError
from ..formats.i18n_table import CATEGORIES, read_i18n_table, table_format, write_i18n_table
from ..formats.languages import plural_forms
from ..formats.plural import cldr_plural_indexes, nplurals_of
from ..model import Segment, SiteFile, SiteListing, SiteWrite, SourcePage, TextKey
from ..plumbing.fsio import list_files
from .config import Settings

__all__ = [
    "I18N_FOLDER",
    "i18n_target",
    "i18n_translations",
    "list_i18n_tables",
    "read_i18n_page",
    "write_i18n",
]

I18N_FOLDER = "i18n"
_SUFFIXES = (".toml", ".yaml", ".yml", ".json")


def list_i18n_tables(settings: Settings) -> SiteListing:
    """The source language's tables (none with ``i18n = false``); two in one folder (say
    ``en.toml`` and ``en.yaml``) are one table too many, and only the first is used."""
    if not settings.i18n:
        return SiteListing(())
    root = settings.site_root
    files: list[SiteFile] = []
    errors: list[ExtransError] = []
    for suffix in _SUFFIXES:
        listing = list_files(root / I18N_FOLDER, suffix)
        errors += listing.errors(root)
        for path in listing.paths:
            relative = path.relative_to(root).as_posix()
            stem = splitext(path.name)[0]
            if stem.lower() == settings.source_language.lower() and not path.name.startswith("."):
                files.append(SiteFile("i18n", relative, _key(relative)))
    files.sort(key=lambda file: file.path)
    kept: dict[str, SiteFile] = {}
    for file in files:
        if file.key in kept:
            errors.append(
                FileError(
                    f"a second table of the language beside {kept[file.key].path}: not read",
                    file.path,
                )
            )
            continue
        kept[file.key] = file
    return SiteListing(tuple(kept.values()), tuple(errors))


def _key(relative: str) -> str:
    folder = dirname(relative)
    return "i18n" if folder == I18N_FOLDER else folder


def i18n_target(settings: Settings, file: SiteFile, language: str) -> str:
    """``i18n/en.toml`` → ``i18n/es.toml``: beside the source, in its format, unless the
    language has a table there in another (``i18n/es.yaml``), which is then the one written:
    Hugo would read both."""
    folder, name = os.path.split(file.path)
    suffix = splitext(name)[1]
    for other in (suffix, *(s for s in _SUFFIXES if s != suffix)):
        if os.path.lexists(settings.site_root / folder / f"{language}{other}"):
            return f"{folder}/{language}{other}"
    return f"{folder}/{language}{suffix}"


def read_i18n_page(settings: Settings, file: SiteFile, text: str) -> SourcePage:
    """The table's strings: msgctxt = the id, msgid = its ``other`` text; a plural entry
    (``one`` and ``other``...) is a gettext plural entry, msgid = ``one``, msgid_plural =
    ``other`` (the source language's other categories are its own: the translator writes
    the target language's forms, as its ``Plural-Forms`` counts them)."""
    format = table_format(file.path)
    assert format is not None  # (listed by its suffix)
    table = read_i18n_table(text, file.path, format)
    segments: list[Segment] = []
    for entry in table.entries:
        other = next((s for s in entry.strings if s.category == "other"), None)
        if other is None or not other.value.strip():
            continue
        one = next((s for s in entry.strings if s.category == "one"), None)
        shown = other if one is None or not one.value.strip() else one
        line = text.count("\n", 0, shown.start) + 1
        segments.append(
            Segment(
                shown.value,
                f"i18n: {entry.id}",
                line,
                shown.start,
                shown.end,
                context=entry.id,
                plural=None if shown is other else other.value,
            )
        )
    return SourcePage(file.path, file.key, format, tuple(segments))


def write_i18n(job: SiteWrite) -> str | None:
    """The language's table from the usable translations (``None``: none, and no table yet)."""
    format = table_format(job.file.path)
    assert format is not None
    texts: dict[str, dict[str, str]] = {}
    indexes: dict[str, int] | None = None
    for segment in job.page.segments:
        translation = job.translations.get((segment.context, segment.text))
        if not translation or segment.context is None:
            continue
        if segment.plural is None:
            texts[segment.context] = {"other": translation[0]}
            continue
        indexes = indexes or cldr_plural_indexes(job.language)
        texts[segment.context] = _category_texts(
            translation, indexes, _source_categories(job, segment.context)
        )
    if not texts and job.existing is None:
        return None
    return write_i18n_table(
        job.source, job.existing, job.target, format, texts, table_format(job.target)
    )


def _source_categories(job: SiteWrite, message_id: str) -> tuple[str, ...]:
    """The categories a new table takes from the source beside the language's own (none for
    an existing table): none of them is left in the source language."""
    if job.existing is not None:
        return ()
    format = table_format(job.file.path)
    assert format is not None
    table = read_i18n_table(job.source, job.file.path, format)
    entry = next(entry for entry in table.entries if entry.id == message_id)
    return tuple(string.category for string in entry.strings)


def _category_texts(
    forms: Sequence[str], indexes: Mapping[str, int], extra: Sequence[str]
) -> dict[str, str]:
    """A plural translation's text for each CLDR category of the language (the form its
    ``Plural-Forms`` gives the category's counts); ``extra`` categories get ``other``'s."""
    last = len(forms) - 1
    texts = {category: forms[min(index, last)] for category, index in indexes.items()}
    for category in extra:
        texts.setdefault(category, texts["other"])
    return {category: texts[category] for category in CATEGORIES if category in texts}


def i18n_translations(job: SiteWrite) -> dict[TextKey, tuple[str, ...]]:
    """What a hand-made table (``job.existing``) holds, by catalog key, for ``adopt``: an
    id's ``other`` text; for a plural entry, each ``msgstr[N]`` from the first CLDR category
    the language's ``Plural-Forms`` gives form N (else ``other``), all of them or none."""
    format = table_format(job.target)
    if job.existing is None or format is None:
        return {}
    table = read_i18n_table(job.existing, job.target, format)
    own = {entry.id: entry for entry in table.entries}
    nplurals = nplurals_of(plural_forms(job.language)) or 1
    indexes = cldr_plural_indexes(job.language)
    found: dict[TextKey, tuple[str, ...]] = {}
    for segment in job.page.segments:
        entry = own.get(segment.context or "")
        if entry is None:
            continue
        if segment.plural is None:
            other = entry.text("other")
            if other:
                found[(segment.context, segment.text)] = (other,)
            continue
        forms = []
        for form in range(nplurals):
            categories = [c for c, at in indexes.items() if at == form]
            forms.append(next((t for c in (*categories, "other") if (t := entry.text(c))), ""))
        if all(forms):
            found[(segment.context, segment.text)] = tuple(forms)
    return found
