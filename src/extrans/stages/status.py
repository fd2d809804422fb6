"""The status stage: coverage and freshness of every page in every language
(``collect_status``), and what ``extrans check`` finds in every catalog (``check_site``)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ..errors import (
    CatalogError,
    ExtransError,
    PageError,
    file_error,
    file_problem,
    line_of,
    shown_path,
)
from ..formats.catalog import Catalog
from ..formats.checks import (
    SITE_CHECKS,
    Finding,
    PlacedUnit,
    Severity,
    check_consistency,
    check_message,
    placed_units,
)
from ..formats.frontmatter import read_top_level_values, split_front_matter
from ..formats.pofile import read_catalog
from ..model import SiteFile, TextKey
from ..plumbing.collector import collector_paused
from ..plumbing.fsio import check_own_folder, file_problem_at, list_files, read_optional
from ..plumbing.parallel import map_in_order
from ..site.cache import CacheEntry, PageCache, digest_of_hash, expected_outputs, fingerprint
from ..site.config import Settings
from ..site.fills import FillsCache, MemoryFill, memory_fills
from ..site.memory import CatalogUnits, catalog_units
from ..site.pages import names_page, parse_page, read_page_text
from ..site.strings import list_site_files, read_site_file, site_targets, site_translations
from ..site.survey import keyed_elsewhere, survey_site
from .localize import usable_translations

__all__ = [
    "SITE_STRINGS",
    "CheckResult",
    "PageStatus",
    "StatusReport",
    "Totals",
    "check_site",
    "collect_status",
]

DateSource = Literal["front matter", "git"]
_NOT_WORDS = re.compile(r"`+[^`]*`+|\]\([^)]*\)|\{\{.*?\}\}|<[^<>]*>|https?://\S+", re.DOTALL)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(text: str) -> int:
    """Words a translator translates: markup, code, URLs and shortcodes left out."""
    return len(_WORD.findall(_NOT_WORDS.sub(" ", text)))


def parse_date(raw: str) -> datetime | None:
    """A front-matter date (``2024-12-17``, ``2024-06-01T10:00:00+02:00``, quoted or not) in
    UTC; ``None`` if it is not one."""
    value = raw.strip().strip("'\"").strip()
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class _Coverage:
    """Shares derived from the counts a page or a sum of pages has."""

    __slots__ = ()
    entries: int
    translated: int
    fuzzy: int
    broken: int
    source_words: int
    translated_words: int

    @property
    def untranslated(self) -> int:
        return self.entries - self.translated - self.fuzzy - self.broken

    @property
    def percent_entries(self) -> float:
        return 100.0 if self.entries == 0 else 100.0 * self.translated / self.entries

    @property
    def percent_words(self) -> float:
        if self.source_words == 0:
            return 100.0
        return 100.0 * self.translated_words / self.source_words


@dataclass(frozen=True, slots=True)
class PageStatus(_Coverage):
    """One page in one target language."""

    language: str
    source: str
    """The source page, from the site root."""
    section: str
    """Its first folder in the content folder (``exercises``), ``""`` at the top."""
    catalog: str
    localized: str
    has_catalog: bool
    localized_exists: bool
    entries: int
    translated: int
    fuzzy: int
    source_words: int
    translated_words: int
    source_lastmod: datetime | None = None
    source_lastmod_from: DateSource | None = None
    localized_lastmod: datetime | None = None
    source_lastmod_line: int | None = None
    localized_lastmod_line: int | None = None
    threshold: float = 80.0
    broken: int = 0
    """Translations ``extrans check`` finds an error in: build does not use them."""
    uses_fuzzy: bool = False
    """Build puts this language's fuzzy translations in its pages (``use-fuzzy``)."""

    @property
    def stale_days(self) -> int | None:
        """How far the localized page is behind its source, or ``None`` if it is not (or no
        one can tell: see :attr:`freshness_unknown`)."""
        if not self.localized_exists or self.source_lastmod is None:
            return None
        if self.localized_lastmod is None or self.source_lastmod <= self.localized_lastmod:
            return None
        return max(1, (self.source_lastmod - self.localized_lastmod).days)

    @property
    def freshness_unknown(self) -> bool:
        """The source has a date but the localized page has none (made by hand, without
        ``lastmod``): whether it is current cannot be told."""
        return (
            self.localized_exists
            and self.source_lastmod is not None
            and self.localized_lastmod is None
        )

    @property
    def awaiting_review(self) -> bool:
        """The localized page holds fuzzy translations (``use-fuzzy``): the text they
        translate has changed since."""
        return self.uses_fuzzy and self.fuzzy > 0 and self.localized_exists

    @property
    def stale(self) -> bool:
        return self.stale_days is not None or self.awaiting_review

    @property
    def lastmod_not_bumped(self) -> bool:
        """The text changed since it was translated (fuzzy entries: an untranslated one may
        just never have been translated) but the localized page records the source's current
        ``lastmod``: someone forgot to move it."""
        return (
            self.source_lastmod_from == "front matter"
            and self.localized_lastmod is not None
            and self.localized_lastmod == self.source_lastmod
            and self.fuzzy > 0
        )

    @property
    def below_threshold(self) -> bool:
        return self.percent_entries < self.threshold


@dataclass(frozen=True, slots=True)
class Totals(_Coverage):
    """Sums over some pages."""

    pages: int = 0
    entries: int = 0
    translated: int = 0
    fuzzy: int = 0
    broken: int = 0
    source_words: int = 0
    translated_words: int = 0
    stale: int = 0
    memory: MemoryFill | None = None
    """The sum of the pages' (``None`` if none has one)."""

    @classmethod
    def of(
        cls, pages: Iterable[PageStatus], memory: Mapping[str, MemoryFill] | None = None
    ) -> Totals:
        """The sums of ``pages``, and of what ``memory`` could fill of their catalogs."""
        rows = list(pages)
        fills = [memory[p.catalog] for p in rows if p.catalog in memory] if memory else []
        return cls(
            pages=len(rows),
            entries=sum(p.entries for p in rows),
            translated=sum(p.translated for p in rows),
            fuzzy=sum(p.fuzzy for p in rows),
            broken=sum(p.broken for p in rows),
            source_words=sum(p.source_words for p in rows),
            translated_words=sum(p.translated_words for p in rows),
            stale=sum(p.stale for p in rows),
            memory=sum(fills, MemoryFill()) if fills else None,
        )


@dataclass(frozen=True, slots=True)
class StatusReport:
    """Everything ``extrans status`` shows."""

    languages: tuple[str, ...]
    pages: tuple[PageStatus, ...]
    orphan_catalogs: tuple[str, ...] = ()
    """Catalogs and templates whose source page is gone."""
    orphan_pages: tuple[str, ...] = ()
    """Localized pages whose source page is gone."""
    errors: tuple[ExtransError, ...] = ()
    """Catalogs and pages that could not be read."""
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))
    site_strings: tuple[PageStatus, ...] = ()
    """The site files (i18n tables, menus...) in every language, section ``site strings``:
    not pages, so in no page total."""
    memory: Mapping[str, MemoryFill] = field(default_factory=dict)
    """What the memory could fill of each catalog, by path: none for a language whose memory
    is ``off``, nor for a catalog it could not read."""
    memory_near: bool = False
    """Whether those counts count similar texts (else only the same ones)."""

    def totals(self, language: str, section: str | None = None) -> Totals:
        return Totals.of(
            (
                p for p in self.pages
                if p.language == language and (section is None or p.section == section)
            ),
            self.memory,
        )  # fmt: skip

    def memory_of(self, row: PageStatus) -> MemoryFill | None:
        """What the memory could fill of the row's catalog (``None``: no count)."""
        return self.memory.get(row.catalog) if row.has_catalog else None

    def sections(self) -> list[str]:
        return sorted({p.section for p in self.pages})


class _Lastmod(NamedTuple):
    """The date a page's ``lastmod`` says, and its line (``None`` for both without one)."""

    moment: datetime | None
    line: int | None


def _read_lastmod(text: str, path: str) -> _Lastmod:
    front = split_front_matter(text, path)
    span = read_top_level_values(text, front, path).get("lastmod")
    if span is None:
        return _Lastmod(None, None)
    return _Lastmod(parse_date(text[span[0] : span[1]]), line_of(text, span[0]))


def git_dates(root: Path, folders: Sequence[str]) -> dict[str, datetime]:
    """The last commit date of every file under ``folders`` (Hugo's ``enableGitInfo``), by
    path from the site root; empty when the site is not in a git repository."""
    command = ["git", "-C", str(root), "log", "--relative", "--format=%x00%cI", "--name-only"]
    try:
        run = subprocess.run([*command, "--", *folders], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, datetime] = {}
    moment: datetime | None = None
    for line in run.stdout.splitlines():
        if line.startswith("\x00"):
            moment = parse_date(line[1:])
        elif line and moment is not None:
            dates.setdefault(line, moment)
    return dates


@dataclass(frozen=True, slots=True)
class _Job:
    settings: Settings
    languages: tuple[str, ...]
    git: Mapping[str, datetime]
    keys: Mapping[str, str]
    hashes: Mapping[str, str | None]
    """The hash of each page and of the files it is read with, taken before they are read."""
    held: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(language, key) → the localized page under another file name that carries the key
    (see ``keyed_elsewhere``): the page's translation where none is at its own path."""
    remembering: frozenset[str] = frozenset()
    """The languages with a memory: what the memory takes from each catalog read for them
    travels back, so that the memory need not read it again."""

    def localized(self, relative: str, language: str, key: str) -> str:
        """The localized page of ``relative`` in ``language`` (whose key is ``key``)."""
        own = self.settings.localized_path(relative, language)
        holder = self.held.get((language, key))
        if holder is None or os.path.lexists(self.settings.site_root / own):
            return own
        return holder


@dataclass(frozen=True, slots=True)
class _PageRows:
    """One source page in every language, or why it could not be read."""

    relative: str
    rows: tuple[PageStatus, ...]
    errors: tuple[ExtransError, ...]
    entry: CacheEntry | None = None
    """What the next run may take instead of reading the page again."""
    units: tuple[tuple[str, CatalogUnits], ...] = ()
    """What the memory takes from each catalog read, by path (see :attr:`_Job.remembering`)."""


def _page_rows(job: _Job, relative: str) -> _PageRows:
    """The worker's whole job; whatever stops it is the page's error, and the run goes on."""
    try:
        return _rows_of(relative, job)
    except ExtransError as err:
        return _PageRows(relative, (), (err,))
    except OSError as err:
        return _PageRows(relative, (), (file_error(err, job.settings.site_root),))


def _rows_of(relative: str, job: _Job) -> _PageRows:
    settings, root, git = job.settings, job.settings.site_root, job.git
    errors: list[ExtransError] = []
    content = settings.content_dir(settings.source_language)
    text = read_page_text(root / relative, relative, root / content)
    page = parse_page(text, relative, settings)
    words: dict[TextKey, int] = {}
    for segment in page.segments:
        words.setdefault((segment.context, segment.text), count_words(segment.text))
    source_lastmod, source_line = _read_lastmod(text, relative)
    origin: DateSource | None = "front matter" if source_lastmod else None
    if source_lastmod is None and relative in git:
        source_lastmod, origin = git[relative], "git"
    rows: list[PageStatus] = []
    units: list[tuple[str, CatalogUnits]] = []
    for language in job.languages:
        po = settings.catalog_path(language, page.key)
        catalog = _row_catalog(root, po, errors)
        if catalog is not None and language in job.remembering and job.hashes.get(po):
            units.append((po, catalog_units(catalog, po, digest_of_hash(job.hashes[po]))))
        done = _translated_keys(catalog)
        usable = (
            usable_translations(
                catalog,
                po,
                settings.checks,
                site=settings.site_rules(language),
            )
            if catalog
            else None
        )
        translated = [key for key in words if usable and key in usable.translations]
        localized = job.localized(relative, language, page.key)
        exists = os.path.lexists(root / localized)
        localized_lastmod = localized_line = None
        if exists:
            try:
                localized_text = read_page_text(root / localized, localized, root, place="the site")
                localized_lastmod, localized_line = _read_lastmod(localized_text, localized)
            except PageError as err:
                errors.append(err)
            if localized_lastmod is None and origin == "git":
                localized_lastmod = git.get(localized)
        rows.append(
            PageStatus(
                language=language,
                source=relative,
                section=_section(relative, settings),
                catalog=po,
                localized=localized,
                has_catalog=catalog is not None,
                localized_exists=exists,
                entries=len(words),
                translated=len(translated),
                fuzzy=sum(done.get(key) is True for key in words),
                broken=sum(done.get(key) is False for key in words) - len(translated),
                source_words=sum(words.values()),
                translated_words=sum(words[key] for key in translated),
                source_lastmod=source_lastmod,
                source_lastmod_from=origin,
                localized_lastmod=localized_lastmod,
                source_lastmod_line=source_line,
                localized_lastmod_line=localized_line,
                threshold=settings.threshold_for(language),
                uses_fuzzy=language in settings.use_fuzzy,
            )
        )
    entry = None
    elsewhere = any(
        row.localized != settings.localized_path(relative, row.language) for row in rows
    )
    if not errors and not elsewhere and job.keys.get(relative) == page.key:
        outputs = expected_outputs(settings, job.languages, "build")(relative, page.key) or ()
        facts = _Facts(
            tuple(tuple(getattr(row, name) for name, _ in _COUNTS) for row in rows),
            None if origin == "front matter" else _git_used(job, relative, git),
        )
        entry = CacheEntry(
            digest_of_hash(job.hashes[relative]),
            page.key,
            {path: digest_of_hash(job.hashes[path]) for path in sorted(outputs)},
            facts.saved(),
        )
    return _PageRows(relative, tuple(rows), tuple(errors), entry, tuple(units))


def _section(relative: str, settings: Settings) -> str:
    """The page's first folder in the source content folder, ``""`` at its top."""
    content = settings.content_dir(settings.source_language)
    folders = relative.removeprefix(f"{content}/").split("/")[:-1]
    return folders[0] if folders else ""


_OPTIONAL_DATE = (str, type(None))
_OPTIONAL_LINE = (int, type(None))
_COUNTS: tuple[tuple[str, tuple[type, ...]], ...] = (
    ("has_catalog", (bool,)),
    ("localized_exists", (bool,)),
    ("entries", (int,)),
    ("translated", (int,)),
    ("fuzzy", (int,)),
    ("broken", (int,)),
    ("source_words", (int,)),
    ("translated_words", (int,)),
    ("source_lastmod", _OPTIONAL_DATE),
    ("source_lastmod_from", _OPTIONAL_DATE),
    ("localized_lastmod", _OPTIONAL_DATE),
    ("source_lastmod_line", _OPTIONAL_LINE),
    ("localized_lastmod_line", _OPTIONAL_LINE),
)
"""What a row says of a page's files in one language (the rest follows from the page's path
and the settings), with the JSON types the cache keeps them as: dates as ISO 8601 text."""


def _git_used(job: _Job, relative: str, git: Mapping[str, datetime]) -> tuple[str | None, ...]:
    """The commit dates a page's rows took, or would take, from git: its source's and its
    localized pages'."""
    paths = [relative, *(job.settings.localized_path(relative, lang) for lang in job.languages)]
    return tuple(git[path].isoformat() if path in git else None for path in paths)


@dataclass(frozen=True, slots=True)
class _Facts:
    """A page's rows as the cache keeps them (see :data:`_COUNTS`)."""

    rows: tuple[tuple[object, ...], ...]
    """By language, in the run's order."""
    git: tuple[str | None, ...] | None
    """The git dates the rows depend on (see :func:`_git_used`); ``None`` where they took
    every date from the front matter."""

    def saved(self) -> object:
        return {
            "rows": [[_json(value) for value in row] for row in self.rows],
            "git": None if self.git is None else list(self.git),
        }

    @classmethod
    def read(cls, saved: object, languages: int) -> _Facts | None:
        """The facts a cache entry holds, or ``None`` for any that are not as saved."""
        if type(saved) is not dict or saved.keys() != {"rows", "git"}:
            return None
        rows, git = saved["rows"], saved["git"]
        if type(rows) is not list or len(rows) != languages:
            return None
        for row in rows:
            if type(row) is not list or len(row) != len(_COUNTS):
                return None
            if not all(type(v) in types for v, (_, types) in zip(row, _COUNTS, strict=True)):
                return None
        if git is not None and (
            type(git) is not list or not all(type(v) in _OPTIONAL_DATE for v in git)
        ):
            return None
        return cls(tuple(map(tuple, rows)), None if git is None else tuple(git))

    def page_rows(self, job: _Job, relative: str, key: str) -> tuple[PageStatus, ...] | None:
        """The rows, if what they took from git is still what it says."""
        if self.git is not None and self.git != _git_used(job, relative, job.git):
            return None
        settings = job.settings
        try:
            return tuple(
                PageStatus(
                    language=language,
                    source=relative,
                    section=_section(relative, settings),
                    catalog=settings.catalog_path(language, key),
                    localized=settings.localized_path(relative, language),
                    threshold=settings.threshold_for(language),
                    uses_fuzzy=language in settings.use_fuzzy,
                    **{name: _value(name, v) for (name, _), v in zip(_COUNTS, row, strict=True)},
                )
                for language, row in zip(job.languages, self.rows, strict=True)
            )
        except ValueError:  # (a date that does not parse)
            return None


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _value(name: str, saved: object) -> Any:  # (of the type _COUNTS checked it has)
    if name in ("source_lastmod", "localized_lastmod") and isinstance(saved, str):
        return datetime.fromisoformat(saved)
    if name == "source_lastmod_from" and saved not in (None, "front matter", "git"):
        raise ValueError(saved)
    return saved


def _site_targets(settings: Settings, files: Iterable[SiteFile], language: str) -> set[str]:
    """The files the site files give ``language`` (a term's page is no orphan); a site file
    that cannot be read gives none (its row says why)."""
    targets: set[str] = set()
    for file in files:
        with contextlib.suppress(ExtransError, OSError):
            targets.update(site_targets(settings, read_site_file(settings, file), language))
    return targets


def _row_catalog(root: Path, po: str, errors: list[ExtransError]) -> Catalog | None:
    """A row's catalog; ``None`` when there is none, or when it cannot be read (then the
    reason goes to ``errors``)."""
    if not _present(root / po):
        return None
    try:
        return read_catalog(root / po, po, root)
    except ExtransError as err:
        errors.append(err)
        return None


def _translated_keys(catalog: Catalog | None) -> dict[TextKey, bool]:
    """The keys of the live entries holding a translation → whether it is fuzzy."""
    messages = catalog.messages if catalog else ()
    return {m.key: m.fuzzy for m in messages if not m.obsolete and m.has_translation}


def _present(path: Path) -> bool:
    """Whether there is anything at ``path``: one that cannot even be looked at (its folder
    has no permissions) is, for its reader to report."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _mentions_lastmod(path: Path) -> bool:
    """Whether a page may say its ``lastmod`` (one that cannot be read is reported when it
    is read as a page)."""
    try:
        return b"lastmod" in (read_optional(path) or b"")
    except OSError:
        return False


def collect_status(
    settings: Settings,
    languages: Sequence[str],
    filters: Sequence[str] = (),
    *,
    jobs: int = 1,
    use_cache: bool = True,
    memory_near: bool = False,
) -> StatusReport:
    """Read the site and report on ``languages``, for the pages ``filters`` select
    (a section or page path, from the site root or from the source content folder), and
    what each language's memory could fill of each catalog (the similar texts too with
    ``memory_near``).

    A page whose source, catalogs and localized pages hash as they did in the last run (and
    whose dates from git, if it took any, are the same) is not read again (unless
    ``use_cache`` is false): its rows are what that run found.
    """
    root = settings.site_root
    languages = tuple(languages)
    expected = expected_outputs(settings, languages, "build")
    # (kept only in the folder extract and build make: a fresh checkout, as in CI, gets none)
    keep = check_own_folder(root) and use_cache
    cache = PageCache.load(root, "status", fingerprint(settings, languages), expected=expected)
    if not use_cache:
        cache.forget()
    survey = survey_site(settings, cache, jobs)
    keys = survey.keys
    selected = [
        relative for relative in survey.relatives if names_page(relative, settings, filters)
    ]
    unique = set(keys.unique)
    sources = set(survey.relatives)
    held = {
        (language, key): path
        for language in languages
        for key, path in keyed_elsewhere(
            settings, language, sources, set(keys.keys.values())
        ).items()
    }
    elsewhere = {key for _, key in held}  # (their rows are read again: the cache follows none)
    remembered: dict[str, _Facts] = {}
    for relative in selected:
        entry = cache.fresh(relative, survey.digests[relative], survey.digests)
        facts = None if entry is None else _Facts.read(entry.facts, len(languages))
        if relative in unique and facts is not None and keys.keys[relative] not in elsewhere:
            remembered[relative] = facts
    todo = [relative for relative in selected if relative in unique]
    git: dict[str, datetime] = {}
    if any(facts.git is not None for facts in remembered.values()) or not all(
        _mentions_lastmod(root / relative) for relative in todo if relative not in remembered
    ):
        folders = [settings.content_dir(code) for code in (settings.source_language, *languages)]
        git = git_dates(root, folders)
    remembering = frozenset(code for code in languages if settings.memory_for(code) != "off")
    job = _Job(settings, languages, git, keys.keys, {}, held, remembering)
    rows: dict[str, tuple[PageStatus, ...]] = {}
    for relative, facts in remembered.items():
        found = facts.page_rows(job, relative, keys.keys[relative])
        if found is not None:
            rows[relative] = found
    todo = [relative for relative in todo if relative not in rows]
    # Each file is hashed before it is read: one that changes in between is read again next
    # time, since its hash will not match the one recorded.
    outputs = [path for page in todo for path in sorted(expected(page, keys.keys[page]) or ())]
    looked = cache.look(root, outputs, jobs)
    job = replace(job, hashes={**survey.hashes, **looked.hashes})
    errors: list[ExtransError] = list(survey.listing_errors)
    chosen = set(selected)
    errors += (e for relative, found in keys.errors.items() if relative in chosen for e in found)
    known: dict[str, CatalogUnits] = {}
    for page in map_in_order(_page_rows, job, todo, jobs=jobs):
        errors += page.errors
        rows[page.relative] = page.rows
        known.update(page.units)
        if page.entry is not None:
            cache.record(page.relative, page.entry)
    if keep:
        cache.keep_only(set(survey.relatives))
        with contextlib.suppress(OSError):  # (it only saves time: on a read-only site, none)
            cache.save(root)
    report_rows = [row for relative in selected for row in rows.get(relative, ())]
    strings: list[PageStatus] = []
    if not filters:
        errors += survey.site_files.errors
        for file in survey.site_files.files:
            try:
                strings += _site_rows(settings, languages, file, errors)
            except ExtransError as err:
                errors.append(err)
            except OSError as err:
                errors.append(file_error(err, root))
    orphan_catalogs: list[str] = []
    orphan_pages: list[str] = []
    listed: dict[str, _CatalogFiles] = {}
    if not filters and not survey.listing_errors:  # (a page in a folder not read is no orphan's)
        template_dir = root / settings.locale_dir / "templates"
        templates = sorted(template_dir.rglob("*.pot")) if template_dir.is_dir() else []
        catalogs: list[tuple[Path, Path]] = [(template_dir, path) for path in templates]
        reported = {str(error.path) for error in errors}
        for language in languages:
            files = listed[language] = _catalog_files(settings, language)
            catalogs += ((root / settings.locale_dir / language, path) for path in files.paths)
            # (a folder that cannot be listed was reported already by each page's catalog in it)
            errors += (
                e for e in files.errors if not any(r.startswith(f"{e.path}/") for r in reported)
            )
        page_keys = {*keys.keys.values(), *(f.key for f in survey.site_files.files)}
        for folder, path in catalogs:
            if path.relative_to(folder).with_suffix("").as_posix() in page_keys:
                continue
            relative = shown_path(path.relative_to(root).as_posix())
            problem = None if path.suffix == ".pot" else file_problem_at(path)
            if problem is None:
                orphan_catalogs.append(relative)
            else:
                errors.append(CatalogError(f"cannot read: {problem}", relative))
        for language in languages:
            paired = {path for (code, _), path in held.items() if code == language}
            built: set[str] | None = None  # (the language's site files: term pages...)
            for path in sorted((root / settings.content_dir(language)).rglob("*.md")):
                relative = shown_path(path.relative_to(root).as_posix())
                if relative in paired or settings.source_path(relative, language) in sources:
                    continue
                if built is None:
                    built = _site_targets(settings, survey.site_files.files, language)
                if relative not in built:
                    orphan_pages.append(relative)
    fills: dict[str, MemoryFill] = {}
    if remembering:
        digests = {path: digest_of_hash(sha256) for path, sha256 in job.hashes.items()}
        fills_cache = FillsCache.load(settings, use_cache=use_cache)
        cut = len(str(root)) + 1
        for language in sorted(remembering):
            listing = listed.get(language)
            fills |= memory_fills(
                settings, language, fills_cache, known=known, digests=digests,
                near=memory_near, use_cache=use_cache,
                listed=None if listing is None or listing.errors else [
                    str(path)[cut:] for path in listing.paths  # (each one under the root)
                ],
            )  # fmt: skip
        if keep:
            with contextlib.suppress(OSError):  # (it only saves time)
                fills_cache.save(settings)
    return StatusReport(
        languages,
        tuple(report_rows),
        tuple(orphan_catalogs),
        tuple(orphan_pages),
        tuple(errors),
        site_strings=tuple(strings),
        memory=fills,
        memory_near=memory_near,
    )


SITE_STRINGS = "site strings"
"""The section of the site files' rows."""


def _site_rows(
    settings: Settings, languages: Sequence[str], file: SiteFile, errors: list[ExtransError]
) -> list[PageStatus]:
    """A site file's rows, one per language; its catalogs that cannot be read go to
    ``errors``. Build writes whatever is translated (Hugo falls back by id): no threshold."""
    root = settings.site_root
    source = read_site_file(settings, file)
    words: dict[TextKey, int] = {}
    for segment in source.page.segments:
        words.setdefault((segment.context, segment.text), count_words(segment.text))
    rows: list[PageStatus] = []
    for language in languages:
        po = settings.catalog_path(language, file.key)
        catalog = _row_catalog(root, po, errors)
        done = _translated_keys(catalog)
        done = {key: fuzzy for key, fuzzy in done.items() if key in words}
        usable = site_translations(catalog, po, settings.checks, site=settings.site_rules(language))
        translated = [key for key in words if key in usable.translations]
        targets = site_targets(settings, source, language)
        localized = targets[0] if len(targets) == 1 else settings.content_dir(language)
        rows.append(
            PageStatus(
                language=language,
                source=file.path,
                section=SITE_STRINGS,
                catalog=po,
                localized=localized,
                has_catalog=catalog is not None,
                localized_exists=any(os.path.lexists(root / path) for path in targets),
                entries=len(words),
                translated=len(translated),
                fuzzy=sum(done.get(key) is True for key in words),
                broken=sum(done.get(key) is False for key in words) - len(translated),
                source_words=sum(words.values()),
                translated_words=sum(words[key] for key in translated),
                threshold=0.0,
                uses_fuzzy=language in settings.use_fuzzy,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``extrans check`` found over the catalogs of some languages."""

    findings: tuple[Finding, ...]
    errors: tuple[ExtransError, ...]
    """Catalogs that could not be read."""
    catalogs: int
    entries: int
    """Translated entries checked."""
    site_strings: tuple[str, ...] = ()
    """The catalogs checked that are site files' (i18n tables, menus...), in the section
    ``site strings`` of the reports."""

    @property
    def error_count(self) -> int:
        """Findings of severity error (a catalog that cannot be read is not one)."""
        return sum(finding.severity == "error" for finding in self.findings)

    @property
    def warning_count(self) -> int:
        return len(self.findings) - self.error_count


@dataclass(frozen=True, slots=True)
class _CatalogFiles:
    """The ``*.po`` names of one language's folder, whatever each is (a folder or a FIFO so
    named is one to report, not to pass over), and the folders that could not be listed."""

    paths: tuple[Path, ...]
    errors: tuple[ExtransError, ...]


def _catalog_files(settings: Settings, language: str) -> _CatalogFiles:
    root = settings.site_root
    listing = list_files(root / settings.locale_dir / language, ".po")
    errors = tuple(
        CatalogError(
            f"cannot read: {file_problem(err)}", shown_path(os.fsdecode(err.filename), root)
        )
        for err in listing.unreadable
    )
    return _CatalogFiles(listing.paths, errors)


def check_site(settings: Settings, languages: Sequence[str]) -> CheckResult:
    """Check every translated entry of the catalogs of ``languages``; a catalog or folder
    that cannot be read is an error, never passed over."""
    findings: list[Finding] = []
    errors: list[ExtransError] = []
    catalogs = entries = 0
    consistency = settings.checks.get("consistency", SITE_CHECKS["consistency"].severity)
    for language in languages:
        files = _catalog_files(settings, language)
        errors += files.errors
        placed: list[PlacedUnit] = []
        with collector_paused() if consistency != "off" else contextlib.nullcontext():
            for path in files.paths:
                relative = shown_path(path.relative_to(settings.site_root).as_posix())
                try:
                    catalog = read_catalog(path, relative, settings.site_root)
                except ExtransError as err:
                    errors.append(err)
                    continue
                catalogs += 1
                for message in catalog.messages:
                    if message.obsolete or not message.has_translation:
                        continue
                    entries += 1
                    findings.extend(
                        check_message(
                            message,
                            relative,
                            settings.checks,
                            site=settings.site_rules(language),
                        )
                    )
                if consistency != "off":
                    placed += placed_units(catalog.messages, relative)
            if consistency != "off":
                findings += check_consistency(placed, _severity(consistency))
    names = {file.key for file in list_site_files(settings).files}
    strings = tuple(
        settings.catalog_path(language, key)
        for language in languages
        for key in sorted(names)
        if _present(settings.site_root / settings.catalog_path(language, key))
    )
    return CheckResult(tuple(findings), tuple(errors), catalogs, entries, strings)


def _severity(configured: str) -> Severity:
    """A severity the configuration set (its reader allows no other but ``off``)."""
    return "error" if configured == "error" else "warning"
