"""The build stage: source page + catalog → localized page, every other byte kept.

``localize_page`` is pure: it puts each translation in place of its source text and leaves
the rest of the page as it was. ``build_site`` reads catalogs and pages, applies the
completeness policy, keeps hand-made pages safe, and writes atomically.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from typing import Literal

from .build_record import (
    BUILT_RECORD,
    _leading_out,
    _read_record,
    _record_hash,
    _save_record,
)
from .cache import (
    CacheEntry,
    ExpectedOutputs,
    PageCache,
    digest,
    digest_of_hash,
    fingerprint,
    stays_inside,
)
from .catalog import Catalog, Message
from .checks import CHECKS, Finding, check_message, check_translation, ignored_checks, msgstr_line
from .config import Settings
from .errors import (
    CatalogError,
    ExtransError,
    PageError,
    file_error,
)
from .frontmatter import format_scalar, read_top_level_values, split_front_matter
from .fsio import (
    SAVE_ATTEMPTS,
    FileState,
    atomic_write,
    check_in_folder,
    inside,
    read_inside,
    read_optional,
    read_with_state,
)
from .markdown import parse_blocks
from .model import Segment, SourcePage
from .pages import decode_page, parse_page, read_page_text
from .parallel import map_in_order
from .pofile import decode_catalog, parse_po
from .survey import survey_site

__all__ = [
    "BuildResult",
    "LocalizedPage",
    "PageOutcome",
    "UsableTranslations",
    "block_structure",
    "build_site",
    "localize_page",
    "usable_translations",
    "with_lastmod",
]

_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t])")

Key = tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class LocalizedPage:
    """A localized page's text and how much of it is translated."""

    text: str
    entries: int
    """Distinct texts of the source page (catalog entries)."""
    translated: int
    """Of those, how many have a usable translation."""
    rejected: tuple[Finding, ...] = ()
    """Translations that would break the page; the source text stays."""
    replacements: tuple[tuple[int, int, str], ...] = field(default=(), repr=False, compare=False)
    """What went where in the source text: (start, end, new text), in page order."""

    @property
    def share(self) -> float:
        return 100.0 if self.entries == 0 else 100.0 * self.translated / self.entries

    @property
    def complete(self) -> bool:
        return self.translated == self.entries


STRUCTURAL_CHECKS = frozenset(
    {"single-line", "blank-line", "table-pipe", "block-syntax", "whitespace"}
)
"""Checks build applies to every translation whatever the configuration says: a translation
failing one of them would change the page's structure."""


@dataclass(frozen=True, slots=True)
class UsableTranslations:
    """What of a catalog build may use."""

    translations: Mapping[Key, str]
    """Not fuzzy, not empty, no error from ``extrans check``."""
    errors: tuple[Finding, ...]
    """The errors that kept the others out."""
    vetted: Mapping[Key, frozenset[str]] = field(default_factory=dict)
    """For each translation that passed every structural check, the origins (``#.`` lines)
    it passed them under: anywhere its page has it under one of those, it is safe as it is,
    since a check of several origins is as strict as a check of any one of them."""


def usable_translations(
    catalog: Catalog,
    path: str,
    severities: Mapping[str, str] | None = None,
    *,
    linkify: bool = True,
) -> UsableTranslations:
    """The translations build may use, and the errors that kept others out (``linkify``:
    whether Hugo links bare URLs)."""
    translations: dict[Key, str] = {}
    errors: list[Finding] = []
    vetted: dict[Key, frozenset[str]] = {}
    structural_on = all(  # (as errors: a warning is not looked at by check_message here)
        (severities or {}).get(name, CHECKS[name].severity) == "error" for name in STRUCTURAL_CHECKS
    )
    for message in catalog.messages:
        if message.obsolete or not message.translated:
            continue
        found = check_message(message, path, severities, errors_only=True, linkify=linkify)
        if found:
            errors.extend(found)
            continue
        translations[message.key] = message.msgstr
        if structural_on and (
            not message.translator_comments
            or ignored_checks(message).isdisjoint({"all", *STRUCTURAL_CHECKS})
        ):
            vetted[message.key] = frozenset(message.extracted_comments)
    return UsableTranslations(translations, tuple(errors), vetted)


def _why_unsafe(segment: Segment, translation: str) -> Finding | None:
    """Why a translation cannot go where its segment stands, or ``None``."""
    if segment.origin.startswith("front matter"):
        return None  # quoting makes any text safe there

    found = check_translation(
        segment.text, translation, (segment.origin,), errors_only=True, only=STRUCTURAL_CHECKS
    )
    return found[0] if found else None


def _continuation_prefix(text: str, start: int) -> str:
    """What each further line of a block's text starts with: the first line's container
    prefix, list markers turned into spaces (``> - item`` → ``>   ``). A byte-order mark
    before the first line is not part of it."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 and text.startswith("\ufeff"):
        line_start = 1
    prefix = text[line_start:start]
    return _LIST_MARKER.sub(lambda m: " " * len(m[0]), prefix)


def _body_replacement(text: str, segment: Segment, translation: str) -> str:
    """What goes in place of a segment of the body: the translation, its further lines
    indented as the first line's container requires."""
    lines = translation.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) == 1:
        return translation
    line_end = text.find("\n", segment.start)
    newline = "\r\n" if line_end > 0 and text[line_end - 1] == "\r" else "\n"
    return (newline + _continuation_prefix(text, segment.start)).join(lines)


def localize_page(
    text: str,
    page: SourcePage,
    translations: Mapping[Key, str],
    *,
    lastmod: str | None = None,
    vetted: Mapping[Key, frozenset[str]] | None = None,
) -> LocalizedPage:
    """Put each translation in place of its source text in ``text``, the source page.

    ``lastmod`` replaces the source text of the ``lastmod`` value, if the page has one.
    ``vetted`` says which translations already passed the structural checks, and under
    which origins (see :class:`UsableTranslations`); the others are checked here.
    """
    vetted = vetted or {}
    keys = {(s.context, s.text) for s in page.segments}
    replacements: list[tuple[int, int, str]] = []
    rejected: list[Finding] = []
    bad_keys: set[Key] = set()
    for segment in page.segments:
        key = (segment.context, segment.text)
        translation = translations.get(key)
        if translation is None or translation == segment.text:
            continue
        safe = segment.origin in vetted.get(key, ())
        problem = None if safe else _why_unsafe(segment, translation)
        if problem:
            rejected.append(problem)
            bad_keys.add(key)
            continue
        if segment.origin.startswith("front matter"):  # (quoted as the value was)
            new = format_scalar(page.format, text[segment.start : segment.end], translation)
        else:
            new = _body_replacement(text, segment, translation)
        replacements.append((segment.start, segment.end, new))
    translated = sum(1 for key in keys if key in translations and key not in bad_keys)
    replacements.sort()
    localized = LocalizedPage(
        _splice(text, replacements, page.path),
        len(keys),
        translated,
        tuple(rejected),
        tuple(replacements),
    )
    return localized if lastmod is None else with_lastmod(localized, text, page, lastmod)


def with_lastmod(
    localized: LocalizedPage, text: str, page: SourcePage, lastmod: str
) -> LocalizedPage:
    """``localized`` with ``lastmod`` in place of the source's ``lastmod`` value, if it has one
    (``text`` is the source page)."""
    front = split_front_matter(text, page.path)
    span = read_top_level_values(text, front, page.path).get("lastmod")
    if span is None:
        return localized
    replacements = tuple(sorted((*localized.replacements, (span[0], span[1], lastmod))))
    return replace(
        localized, text=_splice(text, replacements, page.path), replacements=replacements
    )


def _splice(text: str, replacements: Sequence[tuple[int, int, str]], path: str) -> str:
    """``text`` with each (start, end, new) span replaced; the spans come in order."""
    out: list[str] = []
    position = 0
    for start, end, new in replacements:
        if start < position:
            raise PageError("overlapping translatable spans (please report this)", path)
        out += [text[position:start], new]
        position = end
    out.append(text[position:])
    return "".join(out)


def block_structure(markdown: str) -> list[tuple[str, str, int]]:
    """The block tokens of a Markdown body (type, tag, nesting), to compare two pages."""
    return [(t.type, t.tag, t.nesting) for t in parse_blocks(markdown) if t.type != "inline"]


# --- the site -----------------------------------------------------------------------------

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


def _localized_lastmod(
    text: str, page: SourcePage, existing: str | None, target: str, complete: bool
) -> str | None:
    """The ``lastmod`` the localized page records: the source's when every entry is
    translated; otherwise the one it had, ``existing`` at ``target`` (a new page takes the
    source's ``date``)."""
    if complete:
        return None  # the source's own value (if it has one), untouched
    front = split_front_matter(text, page.path)
    values = read_top_level_values(text, front, page.path)
    if "lastmod" not in values:
        return None
    if existing is not None:
        old_front = split_front_matter(existing, target)
        old = read_top_level_values(existing, old_front, target).get("lastmod")
        if old is not None:
            return existing[old[0] : old[1]]
    if "date" in values:
        return text[values["date"][0] : values["date"][1]]
    return None


@dataclass(frozen=True, slots=True)
class _Job:
    """What every worker of one build shares."""

    settings: Settings
    languages: tuple[str, ...]
    threshold: float | None
    check: bool
    force: bool
    record: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class _PageDone:
    relative: str
    outcomes: tuple[PageOutcome, ...] = ()
    written: tuple[tuple[str, str], ...] = ()
    """Pages written (or that would be), with the hash of their bytes."""
    rejected: tuple[Finding, ...] = ()
    errors: tuple[ExtransError, ...] = ()
    entry: CacheEntry | None = None
    owned: tuple[tuple[str, str], ...] = ()
    """Pages already as build would write them that the record does not have as such: build
    takes them as its own, with their hash: a record deleted or lost in a merge heals, and
    so does a run killed between writing pages and saving the record (nothing else in the
    site or its cache can make a page extrans's own)."""


def _build_page(job: _Job, relative: str) -> _PageDone:
    """Every language of one page: the worker's whole job."""
    settings, root = job.settings, job.settings.site_root
    content = os.path.join(root, settings.content_dir(settings.source_language))
    try:
        text = read_page_text(os.path.join(root, relative), relative, content)
        page = parse_page(text, relative, settings)
    except ExtransError as err:
        return _PageDone(relative, errors=(err,))
    outcomes: list[PageOutcome] = []
    written: list[tuple[str, str]] = []
    owned: list[tuple[str, str]] = []
    rejected: list[Finding] = []
    errors: list[ExtransError] = []
    outputs: dict[str, str] = {}
    for language in job.languages:
        target = settings.localized_path(relative, language)
        limit = job.threshold if job.threshold is not None else settings.threshold_for(language)
        po_path = settings.catalog_path(language, page.key)
        try:  # whatever stops one language of the page is its error; the run goes on
            check_in_folder(
                root / po_path, root / settings.catalog_folder(po_path), root=root, doing="read"
            )
            po_data = read_inside(os.path.join(root, po_path), po_path, root, error=CatalogError)
            result, built, problems = _build_and_write(
                job, page, text, language, target, limit, po_data
            )
            if built is None:
                target_digest = digest(read_optional(os.path.join(root, target)))
            else:
                target_digest = digest_of_hash(built)
        except (ExtransError, OSError) as err:
            failure = err if isinstance(err, ExtransError) else file_error(err, root)
            errors.append(failure)
            outcomes.append(PageOutcome(language, target, "error", reason=str(failure)))
            continue
        rejected += problems
        outcomes.append(result)
        outputs[po_path] = digest(po_data)
        outputs[target] = target_digest
        if built is not None and result.outcome == "written":
            written.append((target, built))
        elif built is not None and job.record.get(target) != built:
            owned.append((target, built))
    up_to_date = all(o.outcome in ("written", "unchanged") for o in outcomes)
    entry = None
    if up_to_date and not rejected and not errors:
        entry = CacheEntry(digest(text.encode("utf-8")), page.key, outputs)
    return _PageDone(
        relative,
        tuple(outcomes),
        tuple(written),
        tuple(rejected),
        tuple(errors),
        entry,
        tuple(owned),
    )


def _build_and_write(
    job: _Job,
    page: SourcePage,
    text: str,
    language: str,
    target: str,
    threshold: float,
    po_data: bytes | None,
) -> tuple[PageOutcome, str | None, list[Finding]]:
    """:func:`_build_one`, and the page written (unless checking); also the hash of the
    page's bytes when they are what build would write (``written`` or ``unchanged``).

    A page that someone writes while it is built is looked at again (then usually left
    alone as a hand edit), never overwritten.
    """
    root = job.settings.site_root
    for _ in range(SAVE_ATTEMPTS):
        result, built, problems, seen = _build_one(
            job.settings, page, text, language, target, threshold, job.record, job.force, po_data
        )
        if built is None:
            return result, None, problems
        data = built.encode("utf-8")
        built_hash = _record_hash(data)
        if result.outcome != "written" or job.check:
            return result, built_hash, problems
        folder = root / job.settings.content_dir(language)
        if atomic_write(root / target, data, root=root, expected=seen, folder=folder):
            return result, built_hash, problems
    raise PageError(
        f"was written by someone else each time build wrote it ({SAVE_ATTEMPTS} times); "
        "left as it is: run build again",
        target,
    )


def _expected_outputs(settings: Settings, languages: tuple[str, ...]) -> ExpectedOutputs:
    """What a page's cache entry must record: the hashes of its catalog and localized page
    in each language."""
    source = settings.content_dir(settings.source_language) + "/"
    folders = [(language, settings.content_dir(language) + "/") for language in languages]

    def outputs(page: str, key: str) -> frozenset[str] | None:
        if not stays_inside(key) or not page.startswith(source):
            return None
        rest = page[len(source) :]
        return frozenset(
            path
            for language, folder in folders
            for path in (settings.catalog_path(language, key), folder + rest)
        )

    return outputs


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
    root = settings.site_root
    record_path = f"{settings.locale_dir}/{BUILT_RECORD}"
    record, record_state = _read_record(root, record_path)
    as_read = dict(record)
    cache = PageCache.load(
        root,
        "build",
        fingerprint(settings, tuple(languages), threshold, force),
        expected=_expected_outputs(settings, tuple(languages)),
    )
    if not use_cache:
        cache.forget()
    survey = survey_site(settings, cache, jobs)
    relatives, hashes, digests, site = survey.relatives, survey.hashes, survey.digests, survey.keys
    targets = settings.localized_paths(relatives, languages)
    nothing = _record_hash(b"")
    todo: list[str] = []
    skipped: dict[str, tuple[PageOutcome, ...]] = {}
    fresh, get_recorded, get_hash = cache.fresh, record.get, hashes.get
    unchanged: repeat[Outcome] = repeat("unchanged")  # (map beats a generator here)
    complete = repeat(100.0)
    for relative in site.unique:
        # Its catalogs and pages as the last build left them (fresh), and the pages still
        # what the record says extrans wrote (owned): nothing to do.
        mine = targets[relative]
        if fresh(relative, digests[relative], digests) is not None:
            for target in mine:
                if get_recorded(target) != (get_hash(target) or nothing):
                    break
            else:
                skipped[relative] = tuple(map(PageOutcome, languages, mine, unchanged, complete))
                continue
        todo.append(relative)
    job = _Job(settings, tuple(languages), threshold, check, force, record)
    results = {done.relative: done for done in map_in_order(_build_page, job, todo, jobs=jobs)}
    errors: list[ExtransError] = list(survey.listing_errors)
    outcomes: list[PageOutcome] = []
    changed: list[str] = []
    rejected: list[Finding] = []
    for relative in relatives:
        errors += site.errors.get(relative, ())
        outcomes += skipped.get(relative, ())
        result = results.get(relative)
        if result is None:
            continue
        errors += result.errors
        outcomes += result.outcomes
        rejected += result.rejected
        for target, page_digest in result.written:
            changed.append(target)
            if not check:
                record[target] = page_digest
        if not check:
            record.update(result.owned)
        if result.entry is not None and not check:
            cache.record(relative, result.entry)
    sources = set(relatives)
    expected = {target for page in targets.values() for target in page}
    for target in sorted(record.keys() - expected):  # pages built from no source page here
        recorded = record[target]
        owner = next(
            (lang for lang in languages if target.startswith(settings.content_dir(lang) + "/")),
            None,
        )
        if owner is None or settings.source_path(target, owner) in sources:
            continue
        language = owner
        folder = settings.content_dir(language)
        if not (inside(root / folder, root / target) and inside(root, root / target)):
            # (never read, never deleted)
            errors.append(_leading_out(settings, root / record_path, target, folder))
            continue
        present = read_optional(root / target)
        if present is None:
            del record[target]
            continue
        if not prune or survey.listing_errors:
            reason = (
                "its source page is gone (use --prune)"
                if not survey.listing_errors
                else "its source page may be in a folder that could not be read: not pruned"
            )
            outcomes.append(PageOutcome(language, target, "left-alone", reason=reason))
        elif _record_hash(present) != recorded:
            outcomes.append(
                PageOutcome(
                    language, target, "left-alone", reason="source gone, but edited by hand"
                )
            )
        else:
            changed.append(target)
            outcomes.append(
                PageOutcome(language, target, "pruned", reason="its source page is gone")
            )
            if not check:
                (root / target).unlink()  # only a page extrans wrote and nobody edited
                del record[target]
    if not check:
        try:
            if record != as_read or record_state.inode is None:
                _save_record(root, record_path, record, as_read, record_state)
            if use_cache:
                cache.keep_only(sources)
                cache.save(root)
        except (ExtransError, OSError) as err:
            errors.append(err if isinstance(err, ExtransError) else file_error(err, root))
    unique = {str(error): error for error in reversed(errors)}  # (an error every page met, once)
    return BuildResult(
        tuple(outcomes), tuple(reversed(unique.values())), tuple(changed), tuple(rejected)
    )


def _build_one(
    settings: Settings,
    page: SourcePage,
    text: str,
    language: str,
    target: str,
    threshold: float,
    record: Mapping[str, str],
    force: bool,
    po_data: bytes | None,
) -> tuple[PageOutcome, str | None, list[Finding], FileState]:
    """One language of one page; ``po_data`` is its catalog's bytes, if it has one. Also the
    page's text when it is to be ``written`` or is ``unchanged``, and the state in which the
    localized page was read."""
    # (imported here, as the front-matter readers in this module: a build with nothing to
    # do needs none of them)

    root = settings.site_root
    po_path = settings.catalog_path(language, page.key)
    usable = UsableTranslations({}, ())
    messages: tuple[Message, ...] = ()
    if po_data is not None:
        po_text = decode_catalog(po_data, po_path)
        catalog = parse_po(po_text, po_path, writable=False)
        usable = usable_translations(catalog, po_path, settings.checks, linkify=settings.linkify)
        messages = catalog.messages
    translations, problems = usable.translations, list(usable.errors)
    check_in_folder(root / target, root / settings.content_dir(language), root=root)
    existing_data, seen = read_with_state(root / target, target, root, error=PageError)
    recorded = record.get(target)
    owned = recorded is not None and recorded == seen.sha256
    existing = _existing_page(existing_data, target, owned, force)
    draft = localize_page(text, page, translations, vetted=usable.vetted)
    if draft.rejected:
        lines = {m.key: msgstr_line(m) for m in messages if not m.obsolete}
        problems += [
            replace(finding, path=po_path, line=lines.get((None, finding.msgid), 0))
            for finding in draft.rejected
        ]
    if draft.share < threshold:
        reason = f"{draft.share:.0f}% translated, below {threshold:g}%"
        outcome = PageOutcome(language, target, "below-threshold", draft.share, reason)
        return outcome, None, problems, seen
    lastmod = _localized_lastmod(text, page, existing, target, draft.complete)
    built = with_lastmod(draft, text, page, lastmod) if lastmod else draft
    front = split_front_matter(built.text, target)
    body_start = split_front_matter(text, page.path).body_start
    if block_structure(built.text[front.body_start :]) != block_structure(text[body_start:]):
        raise PageError(
            "the translations change the page's block structure; run `extrans check`", po_path
        )
    outcome = PageOutcome(language, target, "written", built.share)
    if existing is not None:
        if existing == built.text:
            outcome = replace(outcome, outcome="unchanged")
        elif not force and recorded is None:
            reason = "not written by extrans (use --force to replace it)"
            outcome = replace(outcome, outcome="left-alone", reason=reason)
        elif not force and not owned:
            reason = "edited by hand since extrans wrote it (use --force to replace it)"
            outcome = replace(outcome, outcome="left-alone", reason=reason)
    mine = outcome.outcome in ("written", "unchanged")
    return outcome, built.text if mine else None, problems, seen


def _existing_page(data: bytes | None, target: str, owned: bool, force: bool) -> str | None:
    """The text of the localized page at ``target`` (``data``: its bytes), or ``None`` for no
    page. One that extrans did not write as it is (``owned``) must read as a page, or build
    leaves it as it is and says why; ``force`` replaces it instead, like any page made by
    hand."""
    if data is None:
        return None
    try:
        text = decode_page(data, target)
        if not owned:
            read_top_level_values(text, split_front_matter(text, target), target)
    except PageError as err:
        if force:
            return None
        raise PageError(f"{err.message} (or use --force to replace it)", target, err.line) from err
    return text
