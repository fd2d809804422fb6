"""The extract stage: source pages → templates (``.pot``) and merged catalogs (``.po``);
``update_catalogs`` is pure, ``extract_site`` reads and writes the files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from ..errors import CatalogError, ExtransError, file_error, line_of
from ..formats.catalog import (
    Catalog,
    Header,
    Message,
    build_template,
    merge_messages,
    msgfmt_problem,
    new_header,
    refresh_template,
)
from ..formats.languages import gettext_code, plural_forms
from ..formats.memory import Memory, MemoryPolicy, fill_from_memory
from ..formats.plural import nplurals_of, plural_forms_problem
from ..formats.pofile import decode_catalog, format_catalog, format_entries, parse_po
from ..formats.pseudo import PSEUDO_FIELD, pseudo_messages
from ..model import SiteFile, SourcePage, TextKey
from ..plumbing.collector import collector_paused, kept_until_end
from ..plumbing.fsio import (
    SAVE_ATTEMPTS,
    atomic_write,
    check_in_folder,
    ignore_in_git,
    read_with_state,
)
from ..plumbing.parallel import map_in_order
from ..site.cache import CacheEntry, PageCache, digest, expected_outputs, fingerprint
from ..site.config import Settings
from ..site.memory import CatalogUnits, MemoryCache, catalog_units, load_memory
from ..site.pages import parse_page, read_page_text
from ..site.strings import read_site_file
from ..site.survey import survey_site

__all__ = [
    "CatalogUpdate",
    "ExtractResult",
    "LanguageSummary",
    "extract_site",
    "gettext_timestamp",
    "reading_back",
    "update_catalogs",
]


def gettext_timestamp(moment: datetime | None = None) -> str:
    """``2024-12-17 09:30+0000``; ``SOURCE_DATE_EPOCH`` fixes it for reproducible runs."""
    if moment is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M%z")


_LOCALE_IGNORED = """\
# Poedit compiles a .mo next to each catalog it saves: Hugo and extrans read only the .po.
*.mo
"""


@dataclass(frozen=True, slots=True)
class CatalogUpdate:
    """One file's new text, and what changed in it."""

    path: str
    text: str
    language: str | None
    """``None`` for the template."""
    new: int = 0
    changed: int = 0
    obsoleted: int = 0
    filled: int = 0
    """Entries the memory filled with the same text's translation."""
    filled_near: int = 0
    """Entries the memory filled with a similar text's translation (fuzzy)."""
    conflicts: int = 0
    """New entries whose text the memory translates in several ways: left untranslated."""
    wants_memory: bool = False
    """Has new entries that a memory, which the run did not give, might fill."""
    units: CatalogUnits | None = None
    """What the memory takes from the catalog as written, for languages with a memory."""


def _new_header(settings: Settings, language: str | None, date: str) -> Header:
    """A complete header for a new catalog; a template's names the source language (its
    msgids are in it), which also keeps ``msgfmt -c`` from warning about an empty one."""
    language = language or settings.source_language
    return new_header(
        settings.project,
        gettext_code(language),
        plural_forms(language),
        date,
        bugs_address=settings.bugs_address,
        template_date=date,
    )


def update_catalogs(
    page: SourcePage,
    settings: Settings,
    languages: Sequence[str],
    old_texts: Mapping[str, str | None],
    now: str,
    *,
    pseudo: bool = False,
    memory: Mapping[str, Memory] | None = None,
) -> list[CatalogUpdate]:
    """The template and each language's catalog for ``page``, from their old texts.

    ``old_texts`` maps each file path (as ``Settings.template_path`` and ``Settings.catalog_path``
    name them) to its current text, or ``None`` when it does not exist yet. With ``pseudo``,
    every catalog is pseudo-translated and marked so in its header; one that holds a
    translation and no such mark is a translator's, and is refused. The entries new in a
    language's catalog are filled from its ``memory`` as the language's policy says (see
    :func:`~extrans.formats.memory.fill_from_memory`); without ``memory``, a catalog that has
    such entries says so (``wants_memory``).
    """
    fresh = build_template(page, line_numbers=settings.line_numbers)
    pot_path = settings.template_path(page.key)
    old_pot_text = old_texts.get(pot_path)
    old_pot = (
        parse_po(old_pot_text, pot_path, default_width=settings.wrap_width)
        if old_pot_text and old_pot_text.strip()
        else None
    )
    if old_pot is not None and old_pot.live == fresh and old_pot.header.get("POT-Creation-Date"):
        date = old_pot.header.get("POT-Creation-Date") or now
    else:
        date = now
    # What every new file holds after its header: formatted once, if needed at all.
    fresh_entries = cache(lambda: format_entries(fresh, settings.wrap_width))
    if old_pot is None:
        pot = Catalog(_new_header(settings, None, date), fresh, settings.wrap_width)
        pot_text = format_catalog(pot, fresh_entries())
    else:
        pot = Catalog(
            old_pot.header.with_field("POT-Creation-Date", date),
            refresh_template(old_pot.messages, fresh),
            old_pot.width,
        )
        pot_text = reading_back(format_catalog(pot), old_pot_text, pot_path)
    updates = [CatalogUpdate(pot_path, pot_text, None)]
    for language in languages:
        po_path = settings.catalog_path(language, page.key)
        old_text = old_texts.get(po_path)
        policy: MemoryPolicy = "off" if pseudo else settings.memory_for(language)
        if old_text is None or not old_text.strip():  # an empty file holds no one's work
            header = _new_header(settings, language, date)
            nplurals = nplurals_of(header.get("Plural-Forms"))
            messages = fresh
            if any(message.plural for message in fresh):  # (their forms are the language's)
                messages = merge_messages((), fresh, nplurals=nplurals).messages
            fill = _Fill.of(messages, {m.key for m in fresh}, memory, language, policy, nplurals)
            catalog = Catalog(header, fill.messages, settings.wrap_width)
            if pseudo:
                catalog = _pseudo_translated(catalog)
            if pseudo or fill.messages is not messages:
                text = reading_back(format_catalog(catalog), None, po_path)
            else:
                text = format_catalog(catalog, fresh_entries() if messages is fresh else None)
            updates.append(fill.update(po_path, text, language, catalog, policy, new=len(fresh)))
            continue
        old = parse_po(old_text, po_path, default_width=settings.wrap_width)
        _check_plural_forms(old.header, old_text, po_path, language)
        if pseudo:
            _check_not_translated(old, po_path, language)
        if not old.header.fields:  # a catalog without a header gets a complete one
            header = replace(_new_header(settings, language, date), comments=old.header.comments)
            old = Catalog(header, old.messages, old.width)
        nplurals = nplurals_of(old.header.get("Plural-Forms"))
        merged = merge_messages(
            old.messages, fresh, threshold=settings.fuzzy_threshold, nplurals=nplurals
        )
        old_keys = {message.key for message in old.messages}
        new_keys = {m.key for m in merged.messages if not m.obsolete and m.key not in old_keys}
        fill = _Fill.of(merged.messages, new_keys, memory, language, policy, nplurals)
        catalog = Catalog(
            old.header.with_field("POT-Creation-Date", date), fill.messages, old.width
        )
        if pseudo:
            catalog = _pseudo_translated(catalog)
        text = reading_back(format_catalog(catalog), old_text, po_path)
        updates.append(
            fill.update(
                po_path,
                text,
                language,
                catalog,
                policy,
                new=merged.new,
                changed=merged.changed,
                obsoleted=merged.obsoleted,
            )
        )
    return updates


@dataclass(frozen=True, slots=True)
class _Fill:
    """What the memory did to one catalog's entries, or would do given one."""

    messages: tuple[Message, ...]
    exact: int = 0
    near: int = 0
    conflicts: int = 0
    replaced: int = 0
    wants_memory: bool = False

    @classmethod
    def of(
        cls,
        messages: tuple[Message, ...],
        new: Collection[TextKey],
        memory: Mapping[str, Memory] | None,
        language: str,
        policy: MemoryPolicy,
        nplurals: int | None,
    ) -> _Fill:
        if policy == "off" or not new:
            return cls(messages)
        if memory is None:
            return cls(messages, wants_memory=True)
        filled = fill_from_memory(messages, new, memory[language], policy, nplurals)
        if not (filled.exact or filled.near or filled.conflicts):
            return cls(messages)
        return cls(filled.messages, filled.exact, filled.near, filled.conflicts, filled.replaced)

    def update(
        self,
        path: str,
        text: str,
        language: str,
        catalog: Catalog,
        policy: MemoryPolicy,
        *,
        new: int,
        changed: int = 0,
        obsoleted: int = 0,
    ) -> CatalogUpdate:
        """The catalog's update: the entries filled are counted as such, not as new or
        changed; the units are what the memory takes from the catalog as written."""
        units = None
        if policy != "off":
            units = catalog_units(catalog, path, digest(text.encode("utf-8")))
        return CatalogUpdate(
            path,
            text,
            language,
            new - (self.exact - self.replaced) - self.near,
            changed - self.replaced,
            obsoleted,
            self.exact,
            self.near,
            self.conflicts,
            self.wants_memory,
            units,
        )


def _pseudo_translated(catalog: Catalog) -> Catalog:
    """``catalog`` pseudo-translated, its header marked as ``extrans pseudo``'s."""
    return replace(
        catalog,
        header=catalog.header.with_field(PSEUDO_FIELD, "yes"),
        messages=pseudo_messages(catalog.messages),
    )


def _check_not_translated(catalog: Catalog, path: str, language: str) -> None:
    """Refuse to pseudo-translate a translator's catalog: one that holds a translation and
    was not made by ``extrans pseudo``."""
    if catalog.header.get(PSEUDO_FIELD) is not None:
        return
    translated = next((m for m in catalog.live if m.has_translation), None)
    if translated is not None:
        raise CatalogError(
            f"holds translations that extrans pseudo did not write; left as it is: "
            f"pseudo-translate into a language of its own, not {language!r} (see "
            "`extrans pseudo --help`)",
            path,
            translated.line or None,
        )


def _check_plural_forms(header: Header, text: str, path: str, language: str) -> None:
    """Refuse a catalog whose header msgfmt -c refuses (a translator's hand-written
    ``Plural-Forms``): merging it would write a catalog gettext refuses, and correcting it is
    the translator's call, not extract's."""
    problem = plural_forms_problem("".join(f"{name}: {value}\n" for name, value in header.fields))
    if problem is not None:
        at = text.find("Plural-Forms:")
        raise CatalogError(
            f"msgfmt -c refuses its Plural-Forms ({problem}); left as it is: correct it "
            f"(gettext's for {language}: '{plural_forms(language)}')",
            path,
            line_of(text, at) if at >= 0 else None,
        )


def reading_back(text: str, old_text: str | None, path: str) -> str:
    """``text``, the merge of a file's ``old_text``, once it reads back and ``msgfmt -c`` would
    accept it: extract never writes, and its cache never vouches for, a catalog that extrans
    or gettext would refuse. (A new file needs no look: the writer makes it alone, from
    untranslated entries distinct by construction; a merge also carries entries as a
    translator's tool wrote them.)"""
    if text != old_text:
        try:
            catalog = parse_po(text, path, writable=False)
        except CatalogError as err:
            raise CatalogError(
                f"left as it is: its merge would not read back (line {err.line}: {err.message}); "
                "please report this",
                path,
            ) from err
        nplurals = nplurals_of(catalog.header.get("Plural-Forms"))
        for message in catalog.messages:
            problem = msgfmt_problem(message, nplurals)
            if problem is not None:
                raise CatalogError(
                    f"left as it is: msgfmt -c would refuse its merge (line {message.line}: "
                    f"{problem}); please report this",
                    path,
                )
    return text


@dataclass(slots=True)
class LanguageSummary:
    """Totals of one language (``None``: the templates) over a run."""

    language: str | None
    pages: int = 0
    new: int = 0
    changed: int = 0
    obsoleted: int = 0
    written: int = 0
    filled: int = 0
    """New entries the memory filled with the same text's translation."""
    filled_near: int = 0
    """New entries the memory filled with a similar text's translation."""
    conflicts: int = 0
    """New entries left untranslated: the memory translates their text in several ways."""


@dataclass(frozen=True, slots=True)
class ExtractResult:
    """What an extract run did, or (with ``check``) would do."""

    summaries: tuple[LanguageSummary, ...]
    outdated: tuple[str, ...]
    """Files written, or under ``check`` that would be."""
    errors: tuple[ExtransError, ...]
    pages: int
    site_files: int = 0
    """Site files (i18n tables, menus...) extracted besides the pages (in no summary's
    ``pages``)."""


@dataclass(frozen=True, slots=True)
class _Job:
    """What every worker of one run shares."""

    settings: Settings
    languages: tuple[str, ...]
    now: str
    check: bool
    pseudo: bool = False
    memory: Mapping[str, Memory] | None = None
    """Each language's memory, in the second pass of a run whose languages have one."""
    defer: bool = False
    """Leave a page whose catalogs have new entries to the second pass, which fills them
    from the memory that the first made of every other catalog."""


@dataclass(frozen=True, slots=True)
class _PageDone:
    """One page's part of a run."""

    relative: str
    updates: tuple[CatalogUpdate, ...] = ()
    """With ``text`` emptied: only the counts (and the memory's units) travel back."""
    written: tuple[str, ...] = ()
    error: ExtransError | None = None
    entry: CacheEntry | None = None
    deferred: bool = False
    """Left, unwritten, to the run's second pass."""


def _extract_page(job: _Job, relative: str) -> _PageDone:
    """One page's whole work; whatever stops it is that page's error, and the run goes on
    (its catalogs are left as they are, or each one written whole)."""
    try:
        return _extract_one(relative, job)
    except ExtransError as err:
        return _PageDone(relative, error=err)
    except OSError as err:
        return _PageDone(relative, error=file_error(err, job.settings.site_root))


def _extract_one(relative: str, job: _Job) -> _PageDone:
    settings, root = job.settings, str(job.settings.site_root)
    content = os.path.join(root, settings.content_dir(settings.source_language))
    text = read_page_text(os.path.join(root, relative), relative, content)
    return _extract_source(relative, text, parse_page(text, relative, settings), job)


def _extract_site_file(job: _Job, file: SiteFile) -> _PageDone:
    """A site file's template and catalogs, like a page's (never cached: they are few)."""
    try:
        source = read_site_file(job.settings, file)
        done = _extract_source(file.path, source.text, source.page, job)
    except ExtransError as err:
        return _PageDone(file.path, error=err)
    except OSError as err:
        return _PageDone(file.path, error=file_error(err, job.settings.site_root))
    return replace(done, entry=None)


def _extract_source(relative: str, text: str, page: SourcePage, job: _Job) -> _PageDone:
    """The files of a page's key from the page as read (``text``, ``page``)."""
    settings = job.settings
    paths = [settings.template_path(page.key)]
    paths += [settings.catalog_path(lang, page.key) for lang in job.languages]
    # A file saved while it was merged (by a translator's Poedit, a git checkout) is merged
    # again from what was saved: never replaced by a merge of what it was before.
    passes: list[_Pass] = []
    while len(passes) < SAVE_ATTEMPTS:
        try:
            passes.append(_update_files(page, paths, job))
        except ExtransError as err:
            return _page_done(relative, passes, error=err)
        if passes[-1].deferred:
            return _PageDone(relative, deferred=True)
        if not passes[-1].overtaken:
            entry = CacheEntry(digest(text.encode("utf-8")), page.key, passes[-1].digests)
            return _page_done(relative, passes, entry=entry)
    error = CatalogError(
        f"was saved again each time extract merged it ({SAVE_ATTEMPTS} times); "
        "left as it is: run extract again",
        passes[-1].overtaken[0],
    )
    return _page_done(relative, passes, error=error)


@dataclass(frozen=True, slots=True)
class _Pass:
    """One reading, merging and writing of a page's template and catalogs."""

    updates: list[CatalogUpdate]
    written: tuple[str, ...]
    """Files written, or under ``check`` that would be."""
    overtaken: tuple[str, ...]
    """Files that someone else wrote while they were merged: left as they are."""
    digests: dict[str, str]
    """The hash of each file as the pass meant to leave it."""
    deferred: bool = False
    """Nothing written: the page waits for the memory (see :attr:`_Job.defer`)."""


def _update_files(page: SourcePage, paths: Sequence[str], job: _Job) -> _Pass:
    settings, root = job.settings, str(job.settings.site_root)
    for path in paths:
        check_in_folder(
            os.path.join(root, path), os.path.join(root, settings.catalog_folder(path)), root=root
        )
    read = {
        path: read_with_state(os.path.join(root, path), path, root, error=CatalogError)
        for path in paths
    }
    old_texts = {
        path: None if data is None else decode_catalog(data, path)
        for path, (data, _) in read.items()
    }
    updates = update_catalogs(
        page, settings, job.languages, old_texts, job.now, pseudo=job.pseudo, memory=job.memory
    )
    if job.defer and any(update.wants_memory for update in updates):
        return _Pass(updates, (), (), {}, deferred=True)
    written: list[str] = []
    overtaken: list[str] = []
    digests: dict[str, str] = {}
    for update in updates:
        data = update.text.encode("utf-8")
        digests[update.path] = digest(data)
        old_data, state = read[update.path]
        if old_data == data:
            continue
        if job.check or atomic_write(
            os.path.join(root, update.path), data, root=root, expected=state
        ):
            written.append(update.path)
        else:
            overtaken.append(update.path)
    return _Pass(updates, tuple(written), tuple(overtaken), digests)


def _page_done(
    relative: str,
    passes: Sequence[_Pass],
    *,
    error: ExtransError | None = None,
    entry: CacheEntry | None = None,
) -> _PageDone:
    """A page's part of the run, from its passes: each file counted as the pass that wrote
    it found it (else as the first did)."""
    counted: dict[str, CatalogUpdate] = {}
    written: dict[str, None] = {}  # (in order, each once)
    for one in passes:
        for update in one.updates:
            if update.path not in counted or update.path in one.written:
                counted[update.path] = update
        written.update(dict.fromkeys(one.written))
    light = tuple(replace(update, text="") for update in counted.values())
    return _PageDone(relative, light, tuple(written), error, entry)


def _exists(root: Path, path: str, digests: Mapping[str, str]) -> bool:
    """Whether a catalog exists, as the run's look at it found (a file the look did not
    hash, as the cache had no entry for its page, is looked at now)."""
    found = digests.get(path)
    return found != "-" if found is not None else os.path.lexists(root / path)


def _memories(
    settings: Settings,
    languages: Sequence[str],
    first_pass: Iterable[_PageDone],
    digests: Mapping[str, str],
    *,
    save: bool,
) -> dict[str, Memory]:
    """Each language's memory, made of its catalogs as the first pass left them: those it
    merged from its own reading, the others from the memory's cache or read again; the index
    of similar texts made before the work is forked, so that no worker makes its own. A
    catalog the memory cannot read is left out of it: a page's own is that page's error,
    and ``status`` and ``check`` name the others."""
    known: dict[str, CatalogUnits] = {}
    for done in first_pass:
        for update in done.updates:
            if update.units is not None:
                known[update.path] = update.units
    cache = MemoryCache.load(settings) if save else MemoryCache.empty(settings)
    with collector_paused(keep=True):  # (every unit and index made here lives on to the end)
        memories = {
            language: load_memory(
                settings, language, cache, known=known, digests=digests
            ).memory.prepare()
            for language in languages
        }
    if save:
        with contextlib.suppress(OSError):  # (the cache only saves time)
            cache.save(settings.site_root)
    return memories


@kept_until_end()
def extract_site(
    settings: Settings,
    languages: Sequence[str],
    *,
    check: bool = False,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    use_cache: bool = True,
    pseudo: bool = False,
) -> ExtractResult:
    """Update every template and catalog of the site; with ``check``, write nothing; with
    ``pseudo``, fill the catalogs with pseudo-translations (``extrans pseudo``).

    Pages whose inputs and outputs are as the last run left them are skipped (unless
    ``use_cache`` is false); the rest are spread over ``jobs`` processes. The result is the
    same whatever ``jobs`` and whether the cache is used.
    """
    root = settings.site_root
    remembering = tuple(lang for lang in languages if settings.memory_for(lang) != "off")
    remembering = () if pseudo else remembering
    job = _Job(settings, tuple(languages), gettext_timestamp(), check, pseudo)
    cache = PageCache.load(
        root,
        "pseudo" if pseudo else "extract",
        fingerprint(settings, tuple(languages)),
        expected=expected_outputs(settings, languages, "extract"),
    )
    if not use_cache:
        cache.forget()

    # 1. Every page's key (from the cache where the page did not change): clashes are found
    #    before anything is written.
    survey = survey_site(settings, cache, jobs)
    relatives, digests, site = survey.relatives, survey.digests, survey.keys

    # 2. The pages whose outputs may change: all but those the cache vouches for.
    summaries = {lang: LanguageSummary(lang) for lang in (None, *languages)}
    todo = [page for page in site.unique if cache.fresh(page, digests[page], digests) is None]
    for summary in summaries.values():
        summary.pages += len(site.unique) - len(todo)
    # A page without a catalog in a language that has a memory waits for it at once.
    waiting = {
        page
        for page in todo
        if any(
            not _exists(root, settings.catalog_path(lang, site.keys[page]), digests)
            for lang in remembering
        )
    }
    first = replace(job, defer=bool(remembering))
    first_pass = [page for page in todo if page not in waiting]
    done = map_in_order(
        _extract_page, first, first_pass, jobs=jobs, progress=progress, keep=bool(remembering)
    )
    results = {page.relative: page for page in done}

    # 3. The site files (site strings), after the pages: few, and never cached.
    strings = survey.site_files.files
    results |= {file.path: _extract_site_file(first, file) for file in strings}
    site_paths = {file.path for file in strings}

    # 4. The pages and site files with new entries, once the memory holds every other
    #    catalog's translations as the first pass left them.
    deferred = [page for page in todo if page in waiting or results[page].deferred]
    deferred_files = [file for file in strings if results[file.path].deferred]
    if deferred or deferred_files:
        save = use_cache and not check
        memories = _memories(settings, remembering, results.values(), digests, save=save)
        second = replace(job, memory=memories)
        done = map_in_order(_extract_page, second, deferred, jobs=jobs, progress=progress)
        results |= {page.relative: page for page in done}
        results |= {file.path: _extract_site_file(second, file) for file in deferred_files}

    # 5. Totals and errors in page order, whatever order the work finished in.
    errors: list[ExtransError] = [*survey.listing_errors, *survey.site_files.errors]
    outdated: list[str] = []
    for relative in [*relatives, *(file.path for file in strings)]:
        errors += site.errors.get(relative, ())
        result = results.get(relative)
        if result is None:
            continue
        if result.error is not None:
            errors.append(result.error)  # (the files it wrote before that are counted)
        languages_of = {update.path: update.language for update in result.updates}
        for update in result.updates:
            summary = summaries[update.language]
            summary.pages += relative not in site_paths
            summary.new += update.new
            summary.changed += update.changed
            summary.obsoleted += update.obsoleted
            summary.filled += update.filled
            summary.filled_near += update.filled_near
            summary.conflicts += update.conflicts
        for path in result.written:
            outdated.append(path)
            summaries[languages_of[path]].written += 1
        if result.entry is not None and not check:
            cache.record(relative, result.entry)
    if not check and use_cache:
        cache.keep_only(set(relatives))
        try:
            cache.save(root)
        except OSError as err:  # (the cache only saves time: the run's work is done)
            errors.append(file_error(err, root))
    if not check and os.path.isdir(root / settings.locale_dir):
        try:
            ignore_in_git(root / settings.locale_dir, _LOCALE_IGNORED, root=root)
        except (ExtransError, OSError) as err:
            errors.append(err if isinstance(err, ExtransError) else file_error(err, root))
    return ExtractResult(
        tuple(summaries.values()), tuple(outdated), tuple(errors), len(site.unique), len(strings)
    )
