"""The build stage: each source page and its catalogs → its localized pages, written where the
trust policy allows (the pure work is in localize.py, the record in build_record.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from posixpath import dirname
from typing import Literal

from ..errors import CatalogError, ExtransError, PageError, file_error
from ..formats.catalog import Catalog
from ..formats.checks import Finding, msgstr_line
from ..formats.frontmatter import split_front_matter
from ..formats.pofile import decode_catalog, parse_po
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
from ..site.pages import decode_page, page_url, parse_page, read_page_text
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

__all__ = ["BuildResult", "PageOutcome", "build_site"]

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
) -> BuildResult:
    """Write the localized pages of ``languages``; with ``check``, write nothing.

    Pages whose source, catalogs and localized pages are as the last build left them are
    skipped (unless ``use_cache`` is false); the rest are spread over ``jobs`` processes.
    """
    languages = tuple(languages)
    root = settings.site_root
    record = read_record(settings)
    cache = PageCache.load(
        root,
        "build",
        fingerprint(settings, languages, threshold, force),
        expected=expected_outputs(settings, languages, "build"),
    )
    if not use_cache:
        cache.forget()
    survey = survey_site(settings, cache, jobs)
    targets = settings.localized_paths(survey.relatives, languages)
    skipped = _as_last_built(survey, targets, record, cache, languages)
    todo = [relative for relative in survey.keys.unique if relative not in skipped]
    held = {
        (language, key): path
        for language in languages
        for key, path in keyed_elsewhere(
            settings, language, set(survey.relatives), set(survey.keys.keys.values())
        ).items()
    }
    pages = frozenset(page_url(relative, settings) for relative in survey.relatives)
    run = _Run(settings, languages, threshold, check, force, record.pages, held, pages)
    done = {page.relative: page for page in map_in_order(_build_page, run, todo, jobs=jobs)}
    tally = _Tally(errors=list(survey.listing_errors))
    for relative in survey.relatives:
        tally.errors += survey.keys.errors.get(relative, ())
        tally.outcomes += skipped.get(relative, ())
        page = done.get(relative)
        if page is not None:
            tally.add(page)
            if not check:
                record.pages.update(page.ours)
                if page.entry is not None:
                    cache.record(relative, page.entry)
    tally.errors += survey.site_files.errors
    expected = {target for page in targets.values() for target in page}
    for file in survey.site_files.files:
        strings = _build_site_file(run, file)
        tally.add(strings, site=True)
        expected.update(outcome.path for outcome in strings.outcomes)  # (term pages)
        if not check:
            record.pages.update(strings.ours)
    _prune(run, record, expected, survey, prune, tally)
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
    pages: frozenset[str] = frozenset()
    """The paths Hugo serves the source pages at (``link-prefix``)."""


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
            reason = f"{holder} holds its translationKey: build writes no second page for it"
            outcomes.append(PageOutcome(language, target, "left-alone", reason=reason))
            continue
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


def _build_one(job: _Job) -> _Built:
    """One language of one page: the localized page, and whether the trust policy lets build
    write it."""
    run, target = job.run, job.target
    settings, root = run.settings, run.settings.site_root
    catalog = None
    usable = UsableTranslations({}, ())
    if job.po_data is not None:
        catalog = parse_po(decode_catalog(job.po_data, job.po_path), job.po_path, writable=False)
        usable = usable_translations(
            catalog,
            job.po_path,
            settings.checks,
            site=settings.site_rules(job.language),
            fuzzy=job.language in settings.use_fuzzy,
        )
    if job.language in settings.link_prefix:
        prefix = settings.url_prefix(job.language)
        usable = replace(
            usable,
            translations={
                key: with_language_links(text, prefix, run.pages)
                for key, text in usable.translations.items()
            },
        )
    check_in_folder(root / target, root / settings.content_dir(job.language), root=root)
    existing_data, seen = read_with_state(root / target, target, root, error=PageError)
    recorded = run.record.get(target)
    owned = recorded is not None and recorded == seen.sha256
    existing = existing_page_text(existing_data, target, owned, run.force)
    draft = localize_page(job.text, job.page, usable.translations)
    problems = (*usable.errors, *_located(draft.rejected, catalog, job.po_path))
    if draft.share < job.threshold:
        reason = f"{draft.share:.0f}% translated, below {job.threshold:g}%"
        outcome = PageOutcome(job.language, target, "below-threshold", draft.share, reason)
        return _Built(outcome, problems, seen)
    built = localized_front_matter(
        draft, job.text, job.page, existing, target, _place(settings, job.language, job.page)
    )
    body_start = split_front_matter(job.text, job.page.path).body_start
    built_body_start = split_front_matter(built.text, target).body_start
    if not keeps_block_structure(job.text, body_start, built, built_body_start, settings.dialect):
        raise PageError(
            "the translations change the page's block structure; run `extrans check`",
            job.po_path,
        )
    refusal = left_alone_because(
        existing, built.text, recorded=recorded is not None, owned=owned, force=run.force
    )
    if refusal is not None:
        outcome = PageOutcome(job.language, target, "left-alone", built.share, refusal)
        return _Built(outcome, problems, seen)
    kind: Outcome = "unchanged" if existing == built.text else "written"
    outcome = PageOutcome(job.language, target, kind, built.share)
    return _Built(outcome, problems, seen, built.text.encode("utf-8"))


def _place(settings: Settings, language: str, page: SourcePage) -> PagePlace:
    """Where Hugo publishes the page in ``language``."""
    codes = (settings.source_language, *settings.target_languages, *settings.url_prefixes)
    return PagePlace(
        settings.url_prefix(language),
        frozenset(f"/{code.lower()}" for code in codes if code != language),
        page.path.removeprefix(settings.content_dir(settings.source_language) + "/"),
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
    for _ in range(SAVE_ATTEMPTS):
        check_in_folder(root / target, root / dirname(source.file.path), root=root)
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
            if existing is None or not run.force or owned:
                raise
            text = write_site_file(replace(job, existing=None))  # (--force: made anew)
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
