"""``extrans memory``: the site's translation memory exported (TMX, gettext compendium),
imported from another project's (into ``locale/memory/<lang>.po``), and counted (what a fill
would complete, per catalog)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Literal

from .. import __version__
from ..errors import CatalogError, ExtransError, excerpt, message_line
from ..formats.catalog import Catalog
from ..formats.compendium import compendium_header, export_compendium, import_units
from ..formats.languages import plural_forms
from ..formats.memory import MemoryPolicy, Unit, units_of
from ..formats.plural import nplurals_of
from ..formats.pofile import decode_catalog, format_catalog, parse_po
from ..formats.tmx import TmxFile, format_tmx, match_language, parse_tmx, tmx_units
from ..model import TextKey
from ..plumbing.fsio import atomic_write, read_inside
from ..site.config import Settings
from ..site.fills import count_fills
from ..site.memory import MemoryCache, SiteMemory, imported_path, load_memory
from .extract import gettext_timestamp

__all__ = [
    "CatalogFill",
    "Conflict",
    "ImportResult",
    "LanguageImport",
    "LanguageStats",
    "MemoryExport",
    "MemoryFormat",
    "StatsResult",
    "export_memory",
    "import_memory",
    "memory_stats",
    "render_stats",
]

MemoryFormat = Literal["tmx", "po"]


@dataclass(frozen=True, slots=True)
class MemoryExport:
    """An export's text, and what kept part of the memory out of it."""

    text: str
    entries: int
    """``<tu>`` or PO entries written."""
    errors: tuple[ExtransError, ...] = ()


def _memories(settings: Settings, languages: Sequence[str]) -> list[SiteMemory]:
    cache = MemoryCache.load(settings)
    return [load_memory(settings, language, cache) for language in languages]


def _left_out(msgid: str, problem: str, what: str, place: str) -> ExtransError:
    return CatalogError(f"{excerpt(msgid)} left out of the {what}: {problem}", place)


def export_memory(settings: Settings, languages: Sequence[str], form: MemoryFormat) -> MemoryExport:
    """The memory of ``languages`` as one TMX document, or as the compendium of one language
    (``po``): every unit, the imported ones too (their place is the compendium they are kept
    in). A catalog that cannot be read, and a unit the format cannot hold, are errors; the
    rest is exported."""
    memories = _memories(settings, languages)
    errors = [error for memory in memories for error in memory.errors]
    if form == "po":
        (memory,) = memories
        language = memory.language
        nplurals = nplurals_of(plural_forms(language))
        exported = export_compendium(memory.memory, nplurals)
        header = compendium_header(language, settings.project, gettext_timestamp())
        text = format_catalog(Catalog(header, exported.messages))
        errors += (
            _left_out(unit.msgid, why, "compendium", unit.place) for unit, why in exported.refused
        )
        return MemoryExport(text, len(exported.messages), tuple(errors))
    units = [
        unit for memory in memories for unit in tmx_units(memory.language, memory.memory.units)
    ]
    written = format_tmx(units, settings.source_language, version=__version__)
    for tu, why in written.refused:
        errors += (_left_out(tu.msgid, why, "TMX", place) for place in tu.places)
    return MemoryExport(written.text, len(units) - len(written.refused), tuple(errors))


@dataclass(frozen=True, slots=True)
class LanguageImport:
    """What an import did to one language's compendium."""

    language: str
    path: str
    """The compendium, from the site root."""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    written: bool = False


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What ``extrans memory import`` did."""

    languages: tuple[LanguageImport, ...] = ()
    ignored: tuple[tuple[str, int], ...] = ()
    """The file's languages that are no target language of the site, each with its units."""
    skipped: int = 0
    """Texts with no translation (or a fuzzy one) in the file."""
    errors: tuple[ExtransError, ...] = ()


def _is_tmx(data: bytes, name: str) -> bool:
    suffix = PurePath(name).suffix.lower()
    if suffix in (".po", ".pot"):
        return False
    if suffix == ".tmx" or data.startswith((b"\xff\xfe", b"\xfe\xff")):  # (UTF-16: Trados's)
        return True
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _tmx_languages(
    tmx: TmxFile, settings: Settings, language: str | None, name: str
) -> tuple[dict[str, str], list[tuple[str, int]]]:
    """Each language of ``tmx``'s translations, the site's language it goes to (or is
    ignored, with its count of units)."""
    source = tmx.source_language
    if source != "*all*" and match_language(source, [settings.source_language]) is None:
        raise CatalogError(
            f"its source language is {excerpt(source)}, not the site's "
            f"({settings.source_language}): its texts would fill nothing",
            name,
        )
    codes: dict[str, int] = {}
    for unit in tmx.units:
        codes[unit.language] = codes.get(unit.language, 0) + 1
    targets = [language] if language is not None else list(settings.target_languages)
    mapped = {code: match_language(code, targets) for code in codes}
    if language is not None and len(codes) == 1 and not any(mapped.values()):
        mapped = dict.fromkeys(codes, language)  # (--lang names the file's only language)
    taken = {code: site for code, site in mapped.items() if site is not None}
    return taken, [(code, count) for code, count in codes.items() if code not in taken]


def _po_language(catalog: Catalog, settings: Settings, language: str | None, name: str) -> str:
    if language is not None:
        return language
    code = catalog.header.get("Language")
    if not code:
        raise CatalogError("has no Language header; name its language with --lang", name)
    found = match_language(code, settings.target_languages)
    if found is None:
        known = ", ".join(settings.target_languages) or "none"
        raise CatalogError(
            f"its language {excerpt(code)} is no target language of this site ({known}); "
            "name one with --lang",
            name,
        )
    return found


def import_memory(
    settings: Settings, data: bytes, name: str, language: str | None = None
) -> ImportResult:
    """Merge a TMX document or PO compendium (``data``, read from ``name``) into each
    language's compendium of imported units; ``language`` takes the file's translations
    into that language only (into it whatever the file calls it, when the file holds one).
    A file that cannot be read is an error and nothing is written; so is a language's
    compendium that cannot be read (the other languages are imported)."""
    origin = PurePath(name).name
    place = {code: imported_path(settings, code) for code in settings.target_languages}
    by_language: dict[str, list[Unit]] = {}
    # Each text's first line in the file: a unit the compendium refuses is named there.
    lines: dict[TextKey, int] = {}
    ignored: list[tuple[str, int]] = []
    errors: list[ExtransError] = []
    if _is_tmx(data, name):
        tmx = parse_tmx(data, name, any_source=settings.source_language)
        taken, ignored = _tmx_languages(tmx, settings, language, name)
        skipped = tmx.skipped
        for one in tmx.units:
            site = taken.get(one.language)
            if site is not None:
                lines.setdefault((one.msgctxt, one.msgid), one.line)
                by_language.setdefault(site, []).append(
                    Unit(
                        one.msgid,
                        one.forms,
                        one.msgctxt,
                        one.msgid_plural,
                        place[site],
                        one.kind,
                        imported=True,
                    )
                )
    else:
        catalog = parse_po(decode_catalog(data, name), name, writable=False)
        site = _po_language(catalog, settings, language, name)
        units = units_of(catalog.messages, place[site], imported=True)
        live = [m for m in catalog.messages if m.msgid and not m.obsolete]
        skipped = len(live) - len(units)
        for message in live:
            lines.setdefault(message.key, message.line)
        by_language[site] = units
    done = []
    for site, units in by_language.items():
        try:
            outcome, problems = _import_language(settings, site, units, origin, name, lines)
        except ExtransError as err:  # (a compendium that cannot be read: left as it is)
            errors.append(err)
            continue
        done.append(outcome)
        errors += problems
    return ImportResult(tuple(done), tuple(ignored), skipped, tuple(errors))


def _import_language(
    settings: Settings,
    language: str,
    units: Sequence[Unit],
    origin: str,
    name: str,
    lines: Mapping[TextKey, int],
) -> tuple[LanguageImport, list[ExtransError]]:
    root = settings.site_root
    path = imported_path(settings, language)
    data = read_inside(root / path, path, root, error=CatalogError)
    date = gettext_timestamp()
    if data is None:
        existing = Catalog(compendium_header(language, settings.project, date), ())
        before = None
    else:
        existing = parse_po(decode_catalog(data, path), path)
        before = data.decode("utf-8")
    nplurals = nplurals_of(existing.header.get("Plural-Forms"))
    merged = import_units(existing, units, origin, nplurals)
    catalog = merged.catalog
    written = False
    if (before is None and catalog.messages) or (
        before is not None and format_catalog(catalog) != before
    ):
        if before is not None:
            catalog = replace(catalog, header=catalog.header.with_field("PO-Revision-Date", date))
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(root / path, format_catalog(catalog).encode("utf-8"), root=root)
        written = True
    problems: list[ExtransError] = [
        CatalogError(
            f"{excerpt(unit.msgid)} not imported into {language}: {why}",
            name,
            lines.get(unit.key),
        )
        for unit, why in merged.refused
    ]
    outcome = LanguageImport(
        language, path, merged.added, merged.updated, merged.unchanged, merged.duplicates, written
    )
    return outcome, problems


@dataclass(frozen=True, slots=True)
class CatalogFill:
    """What a fill from the memory would do to one catalog's untranslated entries."""

    path: str
    untranslated: int
    exact: int
    """Entries the same text's translation would fill."""
    near: int
    """Entries a similar text's translation would fill, fuzzy."""
    conflicts: int
    """Entries whose text the memory translates several ways: none would be taken."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """A text the site translates several ways: each translation, with its catalogs."""

    msgctxt: str | None
    msgid: str
    translations: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class LanguageStats:
    """One language's memory, and what a full fill would add."""

    language: str
    units: int
    texts: int
    imported: int
    conflicts: tuple[Conflict, ...]
    catalogs: tuple[CatalogFill, ...]
    """Each catalog with untranslated entries, the most filled first."""
    policy: MemoryPolicy = "fuzzy"
    """The language's ``memory`` setting: with ``off``, extract and a fill take nothing from
    the memory, and the counts say what they would take with it on."""

    @property
    def exact(self) -> int:
        return sum(fill.exact for fill in self.catalogs)

    @property
    def near(self) -> int:
        return sum(fill.near for fill in self.catalogs)

    @property
    def untranslated(self) -> int:
        return sum(fill.untranslated for fill in self.catalogs)


@dataclass(frozen=True, slots=True)
class StatsResult:
    languages: tuple[LanguageStats, ...] = ()
    errors: tuple[ExtransError, ...] = ()


def _stats(settings: Settings, found: SiteMemory) -> LanguageStats:
    memory = found.memory
    compendium = imported_path(settings, found.language)
    counted = count_fills(memory, found.catalogs, near=True)
    fills = [
        CatalogFill(path, fill.untranslated, fill.exact, fill.near, fill.conflicts)
        for path, fill in counted.items()
        if path != compendium and fill.untranslated
    ]
    fills.sort(key=lambda fill: (-(fill.exact + fill.near), -fill.untranslated, fill.path))
    several = []
    for (ctx, msgid), units in memory.conflicts().items():
        translations: dict[tuple[str, ...], list[str]] = {}
        for unit in units:
            translations.setdefault(unit.forms, []).append(unit.place)
        listed = tuple((forms, tuple(places)) for forms, places in translations.items())
        several.append(Conflict(ctx, msgid, listed))
    return LanguageStats(
        found.language,
        len(memory),
        memory.texts,
        sum(unit.imported for unit in memory.units),
        tuple(several),
        tuple(fills),
        settings.memory_for(found.language),
    )


def memory_stats(settings: Settings, languages: Sequence[str]) -> StatsResult:
    """Each language's memory: its units, texts, conflicts, and what a fill of every catalog's
    untranslated entries would give them (as extract fills a new entry)."""
    memories = _memories(settings, languages)
    errors = tuple(error for memory in memories for error in memory.errors)
    return StatsResult(tuple(_stats(settings, memory) for memory in memories), errors)


def _json(result: StatsResult) -> str:
    body = {
        "languages": [
            {
                "language": one.language,
                "policy": one.policy,
                "units": one.units,
                "texts": one.texts,
                "imported": one.imported,
                "conflicts": [
                    {
                        "msgctxt": conflict.msgctxt,
                        "msgid": conflict.msgid,
                        "translations": [
                            {"forms": list(forms), "places": list(places)}
                            for forms, places in conflict.translations
                        ],
                    }
                    for conflict in one.conflicts
                ],
                "fill": {
                    "untranslated": one.untranslated,
                    "exact": one.exact,
                    "near": one.near,
                    "catalogs": [
                        {
                            "path": fill.path,
                            "untranslated": fill.untranslated,
                            "exact": fill.exact,
                            "near": fill.near,
                            "conflicts": fill.conflicts,
                        }
                        for fill in one.catalogs
                    ],
                },
            }
            for one in result.languages
        ],
        "errors": [message_line(e.path, e.line, e.message) for e in result.errors],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def _shown(forms: tuple[str, ...]) -> str:
    return " | ".join(json.dumps(form, ensure_ascii=False) for form in forms)


def render_stats(result: StatsResult, form: Literal["text", "json"], *, verbose: bool) -> str:
    """The stats as text (``verbose``: each conflict's translations, every catalog) or JSON."""
    if form == "json":
        return _json(result)
    lines = []
    for one in result.languages:
        lines.append(
            f"{one.language}: {one.units} units, {one.texts} distinct texts, "
            f"{len(one.conflicts)} translated several ways, {one.imported} imported"
        )
        filled = sum(1 for fill in one.catalogs if fill.exact or fill.near)
        off = 'memory = "off": nothing is filled; with it on, ' if one.policy == "off" else ""
        lines.append(
            f"  {off}a fill would give {one.exact} of {one.untranslated} untranslated entries "
            f"the same text's translation and {one.near} a similar text's, in {filled} of "
            f"{len(one.catalogs)} catalogs"
        )
        shown = [fill for fill in one.catalogs if fill.exact or fill.near or verbose]
        for fill in shown if verbose else shown[:10]:
            several = f", {fill.conflicts} translated several ways" if fill.conflicts else ""
            lines.append(
                f"  {fill.path}: {fill.exact} same, {fill.near} similar{several}, "
                f"of {fill.untranslated}"
            )
        if not verbose and len(shown) > 10:
            lines.append(f"  ... and {len(shown) - 10} more catalogs (extrans -v lists them)")
        for conflict in one.conflicts if verbose else ():
            context = f" (context {json.dumps(conflict.msgctxt, ensure_ascii=False)})"
            text = json.dumps(conflict.msgid, ensure_ascii=False)
            lines.append(f"  several translations of {text}{context if conflict.msgctxt else ''}:")
            for forms, places in conflict.translations:
                lines.append(f"    {_shown(forms)}: {', '.join(places)}")
    return "".join(f"{line}\n" for line in lines)
