"""The build stage: each source page and its catalogs → its localized pages, written where the
trust policy allows (the pure work is in localize.py, the record in build_record.py)."""

from __future__ import annotations

import contextlib
import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from posixpath import commonpath, dirname
from typing import Literal

from ..errors import CatalogError, ExtransError, PageError, file_error
from ..formats.catalog import Catalog
from ..formats.checks import Finding, msgstr_line
from ..formats.frontmatter import split_front_matter
from ..formats.pofile import decode_catalog, parse_po
from ..formats.urls import PageAddress
from ..model import SiteFile, SiteWrite, SourcePage
from ..plumbing.fsio import (
    SAVE_ATTEMPTS,
    FileState,
    atomic_write,
    check_in_folder,
    inside,
    read_inside,
    read_optional,
    read_with_state,
)
from ..plumbing.parallel import map_in_order
from ..site.cache import (
    CacheEntry,
    PageCache,
    digest,
    digest_of_hash,
    expected_outputs,
    fingerprint,
)
from ..site.config import Settings
from ..site.pages import (
    decode_page,
    localized_links,
    names_page,
    parse_page,
    read_address,
    read_page_text,
    source_relatives,
)
from ..site.strings import (
    SiteSource,
    read_site_file,
    site_targets,
    site_translations,
    write_site_file,
)
from ..site.survey import SiteSurvey, keyed_elsewhere, survey_site
from .build_record import BuildRecord, leading_out, read_record, record_hash, save_record
from .localize import (
    LocalizedPage,
    PagePlace,
    UsableTranslations,
    existing_page_text,
    keeps_block_structure,
    left_alone_because,
    localize_page,
    localized_front_matter,
    usable_translations,
    with_language_links,
)

__all__ = ["BuildResult", "Draft", "PageOutcome", "build_site", "draft_page", "site_links"]

Outcome = Literal["written", "unchanged", "below-threshold", "left-alone", "error", "pruned"]


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What build did with one localized page."""

    language: str
    path: str
    """The localized page, relative to the site root."""
    outcome: Outcome
    share: float = 0.0
    reason: str = ""
    diff: str = ""
    """With ``diff``: what would change in the page as it is (a unified diff), for a page build
    would write over or leaves alone; empty for a new page or one that stays as it is."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    outcomes: tuple[PageOutcome, ...]
    errors: tuple[ExtransError, ...]
    changed: tuple[str, ...] = field(default=())
    """Pages written, or under ``check`` that would be."""
    rejected: tuple[Finding, ...] = ()
    """Translations not used because they would break the page (the source text was)."""
    site_strings: tuple[PageOutcome, ...] = ()
    """What build did with each language's site files (i18n tables...): in no page count."""


def build_site(
    settings: Settings,
    languages: Sequence[str],
    *,
    threshold: float | None = None,
    check: bool = False,
    force: bool = False,
    prune: bool = False,
    jobs: int = 1,
    use_cache: bool = True,
    filters: Sequence[str] = (),
    diff: bool = False,
) -> BuildResult:
    """Write the localized pages of ``languages``; with ``check``, write nothing.

    Only the pages ``filters`` name are built (a source page or section, or a localized
    page); without filters, every page, and pages whose source is gone are pruned. With
    ``diff``, each outcome of a page that exists and would change carries its diff.

    Pages whose source, catalogs and localized pages are as the last build left them are
    skipped (unless ``use_cache`` is false); the rest are spread over ``jobs`` processes.
    """
    languages = tuple(languages)
    options = _Options(threshold, check, force, prune, jobs, use_cache, tuple(filters), diff)
    links = _links(settings, languages, options)
    first = _build_with(settings, languages, links, options)
    if check or not links or not first.changed:
        return first
    moved = _links(settings, languages, options)
    if moved == links:
        return first
    return _merged(first, _build_with(settings, languages, moved, options))


def _links(
    settings: Settings, languages: Sequence[str], options: _Options
) -> dict[str, dict[str, str]]:
    return site_links(
        settings,
        languages,
        jobs=options.jobs,
        use_cache=options.use_cache,
        save=not options.check,
    )


@dataclass(frozen=True, slots=True)
class _Options:
    threshold: float | None
    check: bool
    force: bool
    prune: bool
    jobs: int
    use_cache: bool
    filters: tuple[str, ...] = ()
    diff: bool = False


def site_links(
    settings: Settings,
    languages: Sequence[str],
    *,
    jobs: int = 1,
    use_cache: bool = True,
    save: bool = True,
) -> dict[str, dict[str, str]]:
    """For each language of ``link-prefix``: where Hugo serves the source pages it has (see
    ``localized_links``). What each page's front matter says of its place is kept in the
    cache by the page's hash: a run reads only the pages that changed."""
    chosen = [language for language in languages if language in settings.link_prefix]
    if not chosen:
        return {}
    root = settings.site_root
    sources = source_relatives(settings).pages
    files = {source: settings.source_language for source in sources}
    for language in chosen:
        files.update((settings.localized_path(source, language), language) for source in sources)
    cache = PageCache.load(root, "addresses", fingerprint(settings), expected=_no_outputs)
    if not use_cache:
        cache.forget()
    hashes = cache.look(root, list(files), jobs).hashes
    addresses: dict[str, PageAddress] = {}
    for page, language in files.items():
        if hashes[page] is None:
            continue  # (no such page)
        entry = cache.fresh(page, hashes[page] or "", {})
        cached = None if entry is None else _cached_address(entry.facts)
        if cached is not None:
            addresses[page] = cached
            continue
        try:
            address = read_address(settings, page, language)
        except ExtransError:
            continue  # (its link stays as written; build and check say what is wrong with it)
        addresses[page] = address
        day = address.date and address.date.isoformat()
        facts = [address.url, address.slug, address.title, day]
        cache.record(page, CacheEntry(hashes[page] or "", "", {}, facts))
    if use_cache and save:
        cache.keep_only(set(files))
        with contextlib.suppress(ExtransError, OSError):  # (a cache: the next run reads again)
            cache.save(root)
    return {
        language: localized_links(settings, sources, language, addresses) for language in chosen
    }


def _no_outputs(page: str, key: str) -> frozenset[str]:
    return frozenset()


def _cached_address(facts: object) -> PageAddress | None:
    """The address the cache recorded (``[url, slug, title, day or null]``); ``None`` for
    anything else (a damaged cache costs a read of the page, never a wrong link)."""
    if not isinstance(facts, list) or len(facts) != 4:
        return None
    url, slug, title, day = facts
    if not all(isinstance(text, str) for text in (url, slug, title)):
        return None
    if not isinstance(day, str | None):
        return None
    try:
        return PageAddress(url, slug, title, None if day is None else date.fromisoformat(day))
    except ValueError:
        return None


def _merged(first: BuildResult, second: BuildResult) -> BuildResult:
    """The report of a build run twice (the second time with the links of pages the first
    wrote): a page either run wrote is written, a page only the first pruned is pruned."""
    written = set(first.changed)
    seen = {outcome.path for outcome in second.outcomes}
    outcomes = [
        replace(outcome, outcome="written")
        if outcome.outcome == "unchanged" and outcome.path in written
        else outcome
        for outcome in second.outcomes
    ]
    outcomes += [outcome for outcome in first.outcomes if outcome.path not in seen]
    return replace(
        second,
        outcomes=tuple(outcomes),
        changed=tuple(dict.fromkeys((*first.changed, *second.changed))),
    )


def _build_with(
    settings: Settings,
    languages: tuple[str, ...],
    links: Mapping[str, Mapping[str, str]],
    options: _Options,
) -> BuildResult:
    """One build of ``languages``, with the places of the pages ``link-prefix`` links to."""
    threshold, check, force, prune = (
        options.threshold, options.check, options.force, options.prune
    )  # fmt: skip
    jobs, use_cache = options.jobs, options.use_cache
    filters, diff = options.filters, options.diff
    root = settings.site_root
    record = read_record(settings)
    cache = PageCache.load(
        root,
        "build",
        fingerprint(settings, languages, threshold, force, links),
        expected=expected_outputs(settings, languages, "build"),
    )
    if not use_cache:
        cache.forget()
    survey = survey_site(settings, cache, jobs)
    targets = settings.localized_paths(survey.relatives, languages)
    held = {
        (language, key): path
        for language in languages
        for key, path in keyed_elsewhere(
            settings, language, set(survey.relatives), set(survey.keys.keys.values())
        ).items()
    }
    selected = [
        relative
        for relative in survey.relatives
        if names_page(relative, settings, filters)
        or any(
            _names_target(target, filters)
            for target in (
                *targets[relative],
                *(held.get((lang, survey.keys.keys.get(relative, ""))) for lang in languages),
            )
            if target is not None
        )
    ]
    skipped = _as_last_built(survey, targets, record, cache, languages)
    chosen = set(selected)
    todo = [r for r in survey.keys.unique if r not in skipped and r in chosen]
    run = _Run(settings, languages, threshold, check, force, record.pages, held, links, diff)
    done = {page.relative: page for page in map_in_order(_build_page, run, todo, jobs=jobs)}
    tally = _Tally(errors=list(survey.listing_errors))
    for relative in selected:
        tally.errors += survey.keys.errors.get(relative, ())
        tally.outcomes += skipped.get(relative, ())
        page = done.get(relative)
        if page is not None:
            tally.add(page)
            if not check:
                record.pages.update(page.ours)
                if page.entry is not None:
                    cache.record(relative, page.entry)
    expected = {target for page in targets.values() for target in page} | set(held.values())
    if not filters:  # (PATHs name pages: the site's string files are built without them)
        tally.errors += survey.site_files.errors
        for file in survey.site_files.files:
            strings = _build_site_file(run, file)
            tally.add(strings, site=True)
            expected.update(outcome.path for outcome in strings.outcomes)  # (term pages)
            if not check:
                record.pages.update(strings.ours)
        _prune(run, record, expected, survey, prune, tally)  # (only where nothing is filtered)
    if not check:
        try:
            save_record(root, record)
            if use_cache:
                cache.keep_only(set(survey.relatives))
                cache.save(root)
        except (ExtransError, OSError) as err:
            tally.errors.append(err if isinstance(err, ExtransError) else file_error(err, root))
    return tally.result()


# --- the pages build need not look at, and those it left behind ---------------------------


def _as_last_built(
    survey: SiteSurvey,
    targets: Mapping[str, Sequence[str]],
    record: BuildRecord,
    cache: PageCache,
    languages: tuple[str, ...],
) -> dict[str, tuple[PageOutcome, ...]]:
    """The pages with nothing to do, with their outcomes: their catalogs and localized pages
    are as the last build left them (fresh in the cache), and their localized pages are still
    what the record says build wrote."""
    nothing = record_hash(b"")
    skipped: dict[str, tuple[PageOutcome, ...]] = {}
    for relative in survey.keys.unique:
        mine = targets[relative]
        if cache.fresh(relative, survey.digests[relative], survey.digests) is not None and all(
            record.pages.get(target) == (survey.hashes.get(target) or nothing) for target in mine
        ):
            skipped[relative] = tuple(
                PageOutcome(language, target, "unchanged", 100.0)
                for language, target in zip(languages, mine, strict=True)
            )
    return skipped


def _prune(
    run: _Run,
    record: BuildRecord,
    expected: set[str],
    survey: SiteSurvey,
    prune: bool,
    tally: _Tally,
) -> None:
    """The pages of the record built from no source page here: with ``prune``, deleted when
    nobody edited them; the entries of pages that are gone, dropped."""
    settings, root = run.settings, run.settings.site_root
    sources = set(survey.relatives)
    for target in sorted(record.pages.keys() - expected):
        language = next(
            (lang for lang in run.languages if target.startswith(settings.content_dir(lang) + "/")),
            None,
        )
        if language is None or settings.source_path(target, language) in sources:
            continue
        folder = settings.content_dir(language)
        if not (inside(root / folder, root / target) and inside(root, root / target)):
            tally.errors.append(leading_out(settings, record, target, folder))  # (never read)
            continue
        present = read_optional(root / target)
        if present is None:
            del record.pages[target]
            continue
        if survey.listing_errors:
            reason = "its source page may be in a folder that could not be read: not pruned"
        elif not prune:
            reason = "its source page is gone (use --prune)"
        elif record_hash(present) != record.pages[target]:
            reason = "source gone, but edited by hand"
        else:
            tally.changed.append(target)
            tally.outcomes.append(
                PageOutcome(language, target, "pruned", reason="its source page is gone")
            )
            if not run.check:
                (root / target).unlink()  # only a page extrans wrote and nobody edited
                del record.pages[target]
            continue
        tally.outcomes.append(PageOutcome(language, target, "left-alone", reason=reason))


# --- one page, in a worker ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    """What every worker of one build shares."""

    settings: Settings
    languages: tuple[str, ...]
    threshold: float | None
    check: bool
    force: bool
    record: Mapping[str, str]
    held: Mapping[tuple[str, str], str]
    """(language, key) → the localized page under another file name that carries the key
    (see ``keyed_elsewhere``): Hugo pairs it with the source, so build writes no second one."""
    links: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Per language of ``link-prefix``: the source pages' paths → where Hugo serves the
    localized pages (see ``localized_links``)."""
    diff: bool = False


@dataclass(frozen=True, slots=True)
class _Job:
    """One language of one source page."""

    run: _Run
    page: SourcePage
    text: str
    """The source page's text."""
    language: str
    target: str
    """The localized page."""
    threshold: float
    po_path: str
    po_data: bytes | None
    """The catalog's bytes, if it has one."""


@dataclass(frozen=True, slots=True)
class _Built:
    """What build makes of one job."""

    outcome: PageOutcome
    problems: tuple[Finding, ...]
    seen: FileState
    """The localized page as it was read."""
    data: bytes | None = None
    """The page's bytes, when they are to be ``written`` or are ``unchanged``."""


@dataclass(frozen=True, slots=True)
class _PageDone:
    relative: str
    outcomes: tuple[PageOutcome, ...] = ()
    ours: tuple[tuple[str, str], ...] = ()
    """Pages written (or that would be) or already as build would write them, with the hash
    of their bytes: build takes them as its own, so a record deleted or lost in a merge heals,
    and so does a run killed between writing pages and saving the record (nothing else in
    the site or its cache can make a page extrans's own)."""
    rejected: tuple[Finding, ...] = ()
    errors: tuple[ExtransError, ...] = ()
    entry: CacheEntry | None = None


@dataclass(slots=True)
class _Tally:
    """The whole run's report, as the pages come in."""

    outcomes: list[PageOutcome] = field(default_factory=list)
    errors: list[ExtransError] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rejected: list[Finding] = field(default_factory=list)
    site_strings: list[PageOutcome] = field(default_factory=list)

    def add(self, page: _PageDone, *, site: bool = False) -> None:
        self.errors += page.errors
        (self.site_strings if site else self.outcomes).extend(page.outcomes)
        self.rejected += page.rejected
        self.changed += [o.path for o in page.outcomes if o.outcome == "written"]

    def result(self) -> BuildResult:
        unique = {str(error): error for error in reversed(self.errors)}  # (each error once)
        return BuildResult(
            tuple(self.outcomes),
            tuple(reversed(unique.values())),
            tuple(self.changed),
            tuple(self.rejected),
            tuple(self.site_strings),
        )


def _build_page(run: _Run, relative: str) -> _PageDone:
    """Every language of one page: the worker's whole job."""
    settings, root = run.settings, run.settings.site_root
    content = os.path.join(root, settings.content_dir(settings.source_language))
    try:
        text = read_page_text(os.path.join(root, relative), relative, content)
        page = parse_page(text, relative, settings)
    except ExtransError as err:
        return _PageDone(relative, errors=(err,))
    outcomes: list[PageOutcome] = []
    ours: list[tuple[str, str]] = []
    rejected: list[Finding] = []
    errors: list[ExtransError] = []
    outputs: dict[str, str] = {}
    for language in run.languages:
        target = settings.localized_path(relative, language)
        po_path = settings.catalog_path(language, page.key)
        holder = run.held.get((language, page.key))
        if holder is not None and not os.path.lexists(os.path.join(root, target)):
            target = holder  # (Hugo pairs it with the source: it is the page's translation)
        threshold = settings.threshold_for(language) if run.threshold is None else run.threshold
        try:  # whatever stops one language of the page is its error; the run goes on
            check_in_folder(
                root / po_path, root / settings.catalog_folder(po_path), root=root, doing="read"
            )
            po_data = read_inside(os.path.join(root, po_path), po_path, root, error=CatalogError)
            job = _Job(run, page, text, language, target, threshold, po_path, po_data)
            built = _build_and_write(job)
            page_hash = None if built.data is None else record_hash(built.data)
            if page_hash is None:
                target_digest = digest(read_optional(os.path.join(root, target)))
            else:
                target_digest = digest_of_hash(page_hash)
        except (ExtransError, OSError) as err:
            failure = err if isinstance(err, ExtransError) else file_error(err, root)
            errors.append(failure)
            outcomes.append(PageOutcome(language, target, "error", reason=str(failure)))
            continue
        rejected += built.problems
        outcomes.append(built.outcome)
        outputs[po_path] = digest(po_data)
        outputs[target] = target_digest
        if page_hash is not None:
            ours.append((target, page_hash))
    up_to_date = all(o.outcome in ("written", "unchanged") for o in outcomes)
    entry = None
    if up_to_date and not rejected and not errors:
        entry = CacheEntry(digest(text.encode("utf-8")), page.key, outputs)
    return _PageDone(relative, tuple(outcomes), tuple(ours), tuple(rejected), tuple(errors), entry)


def _build_and_write(job: _Job) -> _Built:
    """:func:`_build_one`, and the page written (unless checking). A page that someone writes
    while it is built is looked at again (then usually left alone as a hand edit), never
    overwritten."""
    settings, root = job.run.settings, job.run.settings.site_root
    for _ in range(SAVE_ATTEMPTS):
        built = _build_one(job)
        if built.data is None or built.outcome.outcome != "written" or job.run.check:
            return built
        folder = root / settings.content_dir(job.language)
        if atomic_write(
            root / job.target, built.data, root=root, expected=built.seen, folder=folder
        ):
            return built
    raise PageError(
        f"was written by someone else each time build wrote it ({SAVE_ATTEMPTS} times); "
        "left as it is: run build again",
        job.target,
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """A localized page as build would write it, before the trust policy is asked."""

    page: LocalizedPage
    problems: tuple[Finding, ...]
    """Translations not used because they would break the page."""
    below_threshold: bool = False
    """Build would not write it: ``page`` only says how much is translated."""


def draft_page(
    settings: Settings,
    language: str,
    source: SourcePage,
    text: str,
    catalog: Catalog | None,
    po_path: str,
    existing: str | None,
    target: str,
    links: Mapping[str, str] | None = None,
    threshold: float = 0.0,
) -> Draft:
    """What build writes at ``target`` for ``source`` (whose text is ``text``) from its
    ``catalog`` in ``language``, beside ``existing`` (the page there now), if at least
    ``threshold`` percent of it is translated, whatever the trust policy says; ``links`` maps
    the site's source pages to where Hugo serves them in ``language`` (``link-prefix``; see
    :func:`site_links`). Raises :class:`PageError` if the translations would
    change the page's block structure."""
    usable = UsableTranslations({}, ())
    if catalog is not None:
        usable = usable_translations(
            catalog,
            po_path,
            settings.checks,
            site=settings.site_rules(language),
            fuzzy=language in settings.use_fuzzy,
        )
    if language in settings.link_prefix:
        prefix = settings.url_prefix(language)
        usable = replace(
            usable,
            translations={
                key: with_language_links(translation, prefix, links or {})
                for key, translation in usable.translations.items()
            },
        )
    draft = localize_page(text, source, usable.translations)
    problems = (*usable.errors, *_located(draft.rejected, catalog, po_path))
    if draft.share < threshold:
        return Draft(draft, problems, below_threshold=True)
    built = localized_front_matter(
        draft, text, source, existing, target, _place(settings, language, source)
    )
    body_start = split_front_matter(text, source.path).body_start
    built_body_start = split_front_matter(built.text, target).body_start
    if not keeps_block_structure(text, body_start, built, built_body_start, settings.dialect):
        raise PageError(
            "the translations change the page's block structure; run `extrans check`", po_path
        )
    return Draft(built, problems)


def _build_one(job: _Job) -> _Built:
    """One language of one page: the localized page, and whether the trust policy lets build
    write it."""
    run, target = job.run, job.target
    settings, root = run.settings, run.settings.site_root
    catalog = None
    if job.po_data is not None:
        catalog = parse_po(decode_catalog(job.po_data, job.po_path), job.po_path, writable=False)
    check_in_folder(root / target, root / settings.content_dir(job.language), root=root)
    existing_data, seen = read_with_state(root / target, target, root, error=PageError)
    recorded = run.record.get(target)
    owned = recorded is not None and recorded == seen.sha256
    existing = existing_page_text(existing_data, target, owned, run.force)
    drafted = draft_page(
        settings, job.language, job.page, job.text, catalog, job.po_path, existing, target,
        run.links.get(job.language), job.threshold,
    )  # fmt: skip
    built, problems = drafted.page, drafted.problems
    if drafted.below_threshold:
        reason = f"{built.share:.0f}% translated, below {job.threshold:g}%"
        outcome = PageOutcome(job.language, target, "below-threshold", built.share, reason)
        return _Built(outcome, problems, seen)
    refusal = left_alone_because(
        existing, built.text, recorded=recorded is not None, owned=owned, force=run.force
    )
    shown = _diff(existing, built.text, target) if run.diff else ""
    if refusal is not None:
        outcome = PageOutcome(job.language, target, "left-alone", built.share, refusal, shown)
        return _Built(outcome, problems, seen)
    kind: Outcome = "unchanged" if existing == built.text else "written"
    outcome = PageOutcome(job.language, target, kind, built.share, diff=shown)
    return _Built(outcome, problems, seen, built.text.encode("utf-8"))


def _diff(existing: str | None, built: str, target: str) -> str:
    """What build would change in the page as it is, as ``diff -u`` shows it."""
    if existing is None or existing == built:
        return ""
    lines = difflib.unified_diff(
        existing.splitlines(keepends=True),
        built.splitlines(keepends=True),
        f"{target} (as it is)",
        f"{target} (as build would write it)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _names_target(target: str, filters: Sequence[str]) -> bool:
    """Whether a PATH argument names the localized page ``target`` or a folder of it."""
    stem = os.path.splitext(target)[0]
    for wanted in filters:
        wanted = wanted.strip("/").removeprefix("./")
        if wanted in (target, stem) or target.startswith(wanted + "/"):
            return True
    return False


def _place(settings: Settings, language: str, page: SourcePage) -> PagePlace:
    """Where Hugo publishes the page in ``language``."""
    codes = (settings.source_language, *settings.target_languages, *settings.url_prefixes)
    return PagePlace(
        settings.url_prefix(language),
        frozenset(f"/{code.lower()}" for code in codes if code != language),
        page.path.removeprefix(settings.content_dir(settings.source_language) + "/"),
        settings.urls,
    )


def _located(findings: Sequence[Finding], catalog: Catalog | None, po_path: str) -> list[Finding]:
    """Translations rejected on the page, at their msgstr lines in its catalog."""
    if not findings or catalog is None:
        return []
    lines = {m.key: msgstr_line(m) for m in catalog.messages if not m.obsolete}
    return [replace(f, path=po_path, line=lines.get((None, f.msgid), 0)) for f in findings]


# --- site strings (site/strings.py): few files, built in this process, never cached -------


def _build_site_file(run: _Run, file: SiteFile) -> _PageDone:
    """Every language of one site file: its kind's writer makes the file from the catalog's
    usable translations, and the trust policy of pages decides whether it is written."""
    settings, root = run.settings, run.settings.site_root
    try:
        source = read_site_file(settings, file)
    except (ExtransError, OSError) as err:
        return _PageDone(file.path, errors=(_failure(err, root),))
    outcomes: list[PageOutcome] = []
    ours: list[tuple[str, str]] = []
    rejected: list[Finding] = []
    errors: list[ExtransError] = []
    for language in run.languages:
        for target in site_targets(settings, source, language):
            try:
                built = _write_site_file(run, source, language, target)
            except (ExtransError, OSError) as err:
                failure = _failure(err, root)
                errors.append(failure)
                outcomes.append(PageOutcome(language, target, "error", reason=str(failure)))
                continue
            rejected += built.problems
            outcomes.append(built.outcome)
            if built.data is not None:
                ours.append((target, record_hash(built.data)))
    return _PageDone(file.path, tuple(outcomes), tuple(ours), tuple(rejected), tuple(errors))


def _failure(err: ExtransError | OSError, root: Path) -> ExtransError:
    return err if isinstance(err, ExtransError) else file_error(err, root)


def _write_site_file(run: _Run, source: SiteSource, language: str, target: str) -> _Built:
    """One language of a site file, written unless checking (or someone else writes it
    meanwhile: then it is looked at again)."""
    settings, root = run.settings, run.settings.site_root
    po_path = settings.catalog_path(language, source.file.key)
    check_in_folder(
        root / po_path, root / settings.catalog_folder(po_path), root=root, doing="read"
    )
    po_data = read_inside(root / po_path, po_path, root, error=CatalogError)
    catalog = None
    if po_data is not None:
        catalog = parse_po(decode_catalog(po_data, po_path), po_path, writable=False)
    usable = site_translations(
        catalog,
        po_path,
        settings.checks,
        site=settings.site_rules(language),
        fuzzy=language in settings.use_fuzzy,
    )
    entries = {(s.context, s.text) for s in source.page.segments}
    share = 100.0 * len(entries & usable.translations.keys()) / len(entries) if entries else 100.0
    # (the language's content folder for a page such as a term's, as for every page; else
    # the folder the source and its translation both lie in: i18n/, data/ for data/en/ and
    # data/es/)
    content = settings.content_dir(language)
    if target.startswith(content + "/"):
        folder = content
    else:
        folder = commonpath([dirname(source.file.path), dirname(target)])
    for _ in range(SAVE_ATTEMPTS):
        check_in_folder(root / target, root / folder, root=root)
        existing_data, seen = read_with_state(root / target, target, root, error=PageError)
        recorded = run.record.get(target)
        owned = recorded is not None and recorded == seen.sha256
        existing = None if existing_data is None else decode_page(existing_data, target)
        job = SiteWrite(
            source.file, source.page, source.text, existing, target, language, usable.translations
        )
        try:
            text = write_site_file(job)
        except ExtransError:
            if existing is None or not (run.force or owned):
                raise
            # (--force, or the file is as build wrote it: nothing of anyone's is lost)
            text = write_site_file(replace(job, existing=None))
        if text is None:
            reason = "nothing translated yet"
            outcome = PageOutcome(language, target, "below-threshold", share, reason)
            return _Built(outcome, usable.errors, seen)
        refusal = left_alone_because(
            existing, text, recorded=recorded is not None, owned=owned, force=run.force
        )
        if refusal is not None:
            return _Built(
                PageOutcome(language, target, "left-alone", share, refusal), usable.errors, seen
            )
        data = text.encode("utf-8")
        kind: Outcome = "unchanged" if existing == text else "written"
        built = _Built(PageOutcome(language, target, kind, share), usable.errors, seen, data)
        if kind == "unchanged" or run.check:
            return built
        if atomic_write(root / target, data, root=root, expected=seen):
            return built
    raise PageError(
        f"was written by someone else each time build wrote it ({SAVE_ATTEMPTS} times); "
        "left as it is: run build again",
        target,
    )
