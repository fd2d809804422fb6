"""The adopt stage: a site's existing, hand-made localized pages → translations in the
catalogs. ``align_pages`` and ``fill_catalog`` are pure; ``adopt_site`` reads and writes.

A localized page is read with the same reader as its source page (``parse_page``), so both
are sequences of segments whose ``origin`` says what each is (``front matter: title``,
``body: list item``); the two sequences are aligned, and each source text takes the text
aligned with it as its translation.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from ..errors import CatalogError, ExtransError, PageError, file_error
from ..formats.catalog import (
    Catalog,
    Message,
    build_template,
    merge_messages,
    msgfmt_problem,
    segment_comments,
)
from ..formats.checks import check_translation
from ..formats.frontmatter import read_top_level_values, split_front_matter
from ..formats.pofile import decode_catalog, format_catalog, parse_po
from ..model import Segment, SiteFile, SiteWrite, SourcePage, TextKey
from ..plumbing.fsio import atomic_write, check_in_folder, read_inside, read_with_state
from ..site.config import Settings
from ..site.pages import (
    decode_page,
    names_page,
    page_key,
    parse_page,
    read_page_text,
    source_relatives,
)
from ..site.strings import list_site_files, read_site_file, read_site_translations, site_target
from .build import draft_page, site_links
from .build_record import read_record, record_hash, save_record
from .extract import gettext_timestamp, update_catalogs
from .localize import hand_made_because

__all__ = [
    "AdoptResult",
    "Alignment",
    "Carried",
    "Conflict",
    "FilledCatalog",
    "PageAdoption",
    "SourceVersion",
    "Unit",
    "adopt_site",
    "align_pages",
    "fill_catalog",
    "merge_forward",
    "pair_pages",
    "source_versions",
]

"""A catalog entry's (msgctxt, msgid)."""

SKIP = 0.6
"""The cost of leaving one segment, of either page, aligned with nothing."""
JOIN = 0.3
"""What a 2:1 or 1:2 alignment costs beyond its match: a split or merged paragraph is rarer
than a paragraph for a paragraph."""
LOOSE = 0.7
"""A match costing more than this is only a loose one: filled in, but fuzzy."""
_SMOOTHING = 20
"""Characters added to both lengths: a short heading's length says little about its match."""
_HARD_ANCHOR = r"``*[^`]*`+|\]\([^)\s]*|\{\{[<%].*?[>%]\}\}|https?://[^\s)>]+|\d+(?:[.,]\d+)*"
_ANCHOR = re.compile(_HARD_ANCHOR + r"|\b[A-Za-z]*[A-Z][a-z]*[A-Z][A-Za-z]*\b", re.DOTALL)
"""What a translation keeps as it is: code spans, link destinations, shortcodes, URLs,
numbers, and words with a capital inside (``GitHub``, ``JavaScript``)."""
_HARD = re.compile(_HARD_ANCHOR, re.DOTALL)
"""The anchors a translator never adds: all but the names."""
ANCHOR_WEIGHT = 1.5
"""What a match costs for each anchor of one text missing from the other, as a share."""
_PRIOR = 500
"""Source characters of the expected ratio (``_usual_ratio``) counted in with the bodies':
a short page's ratio leans to the usual one (a translation that drops text must not set
the ratio it is judged by)."""
_DENSE_SCRIPTS = {"zh": 0.35, "ja": 0.45, "ko": 0.5}
"""Characters of translation per English character, where far from 1: a Chinese text is
about a third as long as its English source."""
SENTENCES = 0.5
"""What a match costs when the two texts' sentence counts differ, in proportion."""
VERSIONS = 30
"""How many versions of a source page, back from the localized page's last commit, adopt
tries the localized page against."""
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")

Adopted = Literal["adopted", "fuzzy", "not-aligned"]


@dataclass(frozen=True, slots=True)
class Unit:
    """What the alignment found for one source segment."""

    source: Segment
    outcome: Adopted
    translation: str = ""
    line: int | None = None
    """The localized page's line the translation starts at; for a text not aligned, the line
    of the nearest aligned text before it (``None``: none)."""
    previous: str | None = None
    """The source text the translation was made for, when the source changed since
    (``#| msgid``); always fuzzy."""
    forms: tuple[str, ...] = ()
    """A plural entry's translations, ``msgstr[0..n-1]`` (a site file's: no page text is
    plural)."""


@dataclass(frozen=True, slots=True)
class Alignment:
    """A source page aligned with its localized page."""

    units: tuple[Unit, ...]
    """One per source segment, in page order."""
    extra: tuple[Segment, ...]
    """Localized texts aligned with no source text (a translator's note, a dropped block's
    neighbour): reported, never used."""

    def translations(self) -> dict[TextKey, Unit]:
        """The translation of each catalog entry: a text found twice takes its first adopted
        translation, else its first fuzzy one."""
        found: dict[TextKey, Unit] = {}
        for unit in self.units:
            if unit.outcome == "not-aligned":
                continue
            key = (unit.source.context, unit.source.text)
            if key not in found or (found[key].outcome == "fuzzy" and unit.outcome == "adopted"):
                found[key] = unit
        return found


@lru_cache(maxsize=4096)
def _anchors(text: str) -> frozenset[str]:
    """(Cached: the alignment weighs each text against many.)"""
    return frozenset(_ANCHOR.findall(text))


@lru_cache(maxsize=4096)
def _hard_anchors(text: str) -> frozenset[str]:
    return frozenset(_HARD.findall(text))


@dataclass(frozen=True, slots=True)
class _Costs:
    """How one pair of segment runs is scored (see :func:`align_body`)."""

    ratio: float
    """Localized characters per source character, over the two bodies."""
    language: str
    """The localized page's: its links may carry it as a prefix (``/es/docs/``)."""
    source_language: str
    """The source page's, which its links may carry as well (``/en/docs/``)."""

    def match(self, source: Sequence[Segment], target: Sequence[Segment]) -> float:
        kinds = {segment.origin for segment in (*source, *target)}
        if len(kinds) != 1:
            return math.inf
        source_text = " ".join(segment.text for segment in source)
        target_text = " ".join(segment.text for segment in target)
        source_text = source_text.replace(f"](/{self.source_language}/", "](/")
        target_text = target_text.replace(f"](/{self.language}/", "](/")
        expected = self.ratio * len(source_text) + _SMOOTHING
        cost = abs(math.log((len(target_text) + _SMOOTHING) / expected))
        sentences, found = _sentences(source_text), _sentences(target_text)
        cost += SENTENCES * abs(sentences - found) / max(sentences, found)
        wanted = _anchors(source_text)
        if wanted:
            missing = sum(_singular(anchor) not in target_text for anchor in wanted)
            cost += ANCHOR_WEIGHT * missing / len(wanted)
        added = _hard_anchors(target_text)
        if added:
            cost += ANCHOR_WEIGHT * sum(anchor not in source_text for anchor in added) / len(added)
        return cost


def _singular(anchor: str) -> str:
    """A name as a translation may keep it: ``ConfigMaps`` is ``ConfigMap`` in languages
    without a plural."""
    return anchor[:-1] if anchor.endswith("s") and anchor[:1].isalpha() else anchor


@lru_cache(maxsize=4096)
def _sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text.strip())) + 1


def _split_sentences(text: str, sources: Sequence[str]) -> list[str] | None:
    """``text``, one translation of the two ``sources``, cut after as many sentences as
    the first has; ``None`` unless it has as many sentences as both (then which sentence
    belongs to which cannot be told)."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text) if 0 < m.end() < len(text)]
    first = _sentences(sources[0])
    if len(sources) != 2 or len(cuts) + 1 != first + _sentences(sources[1]):
        return None
    return [text[: cuts[first - 1]].rstrip(), text[cuts[first - 1] :].lstrip()]


def align_body(
    source: Sequence[Segment], target: Sequence[Segment], settings: Settings, language: str
) -> tuple[list[Unit], list[Segment]]:
    """Align two bodies' segments: a monotone alignment of least cost, found by dynamic
    programming as a diff is, over these steps:

    - one source text for one localized text of the same kind (``body: paragraph``...):
      costs how far their lengths are from the bodies' overall ratio (the absolute log of
      the quotient, each length smoothed by a few characters), plus ``SENTENCES`` times the
      relative difference of their sentence counts, plus ``ANCHOR_WEIGHT`` times the share
      of the source text's anchors (code spans, link destinations, shortcodes, URLs,
      numbers, CamelCase names) missing from the translation, and the same for anchors of
      the translation (but names) missing from the source;
    - two source texts for one localized text, or one for two (a translator merged or split
      a paragraph): the same match cost on the joined texts, plus ``JOIN``;
    - a text of either page left out: ``SKIP``. Two texts are thus aligned only if they
      match better than leaving both out (cost below ``2 * SKIP``).

    Texts of different kinds never align. A text left out on both sides may be one text moved
    (a reordered list): see :func:`_moved`; it is fuzzy. A match costing more than ``LOOSE``,
    a split one, one whose texts differ in their number of sentences (a sentence dropped or
    added), or one whose markup ``check`` finds an error in, is fuzzy. A match whose
    source text has no anchor has only its length and kind for it: it is kept only beside
    other matches (see :func:`_support`; next to one, fuzzy), never on its own between
    texts left out, where a different version of the page would put it.
    """
    usual = _DENSE_SCRIPTS.get(language.split("-")[0].lower(), 1.0)
    total_source = sum(len(s.text) for s in source) + _PRIOR
    total_target = sum(len(t.text) for t in target) + usual * _PRIOR
    ratio = min(4.0, max(0.2, total_target / total_source))
    costs = _Costs(ratio, language, settings.source_language)
    n, m = len(source), len(target)
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    moves = ((1, 0, SKIP), (0, 1, SKIP), (1, 1, 0.0), (2, 1, JOIN), (1, 2, JOIN))
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == math.inf:
                continue
            for di, dj, penalty in moves:
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                if (
                    di == 2
                    and _split_sentences(target[j].text, [s.text for s in source[i:ni]]) is None
                ):
                    continue  # (a merged paragraph is taken only if it can be cut again)
                cost = here + penalty
                if di and dj:
                    cost += costs.match(source[i:ni], target[j:nj])
                if cost < best[ni][nj]:
                    best[ni][nj] = cost
                    step[ni][nj] = (di, dj)
    pairs: list[tuple[list[int], list[int]]] = []
    i, j = n, m
    while i or j:
        di, dj = step[i][j]
        pairs.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    pairs.reverse()
    moved = _moved(pairs, source, target, costs)
    units: list[Unit] = []
    extra: list[Segment] = []
    last_line: int | None = None
    for run, (sources, targets) in enumerate(pairs):
        if not sources:
            extra.extend(target[t] for t in targets if t not in moved.values())
            continue
        if not targets:
            for s in sources:
                if s in moved:
                    t = target[moved[s]]
                    unit = _unit(source[s], t.text, t.line, settings, language)
                    moved_in = unit.outcome == "adopted"
                    units.append(replace(unit, outcome="fuzzy") if moved_in else unit)
                else:
                    units.append(Unit(source[s], "not-aligned", line=last_line))
            continue
        last_line = target[targets[0]].line
        texts = [target[t].text for t in targets]
        cost = costs.match([source[s] for s in sources], [target[t] for t in targets])
        if len(sources) == 1:
            unit = _unit(source[sources[0]], " ".join(texts), last_line, settings, language)
            support = _support(pairs, run) if not _anchors(unit.source.text) else 2
            if support == 0:
                unit = Unit(unit.source, "not-aligned", line=last_line)
            elif unit.outcome != "not-aligned" and (
                cost > LOOSE
                or support == 1
                or _sentences(unit.translation) != _sentences(unit.source.text)
            ):
                unit = replace(unit, outcome="fuzzy")
            units.append(unit)
            continue
        pieces = _split_sentences(texts[0], [source[s].text for s in sources])
        for k, s in enumerate(sources):
            if pieces is None:
                units.append(Unit(source[s], "not-aligned", line=last_line))
            else:
                units.append(Unit(source[s], "fuzzy", pieces[k], last_line))
    return units, extra


def _support(pairs: Sequence[tuple[list[int], list[int]]], index: int) -> int:
    """How well the steps beside ``pairs[index]`` vouch for it: the nearest step with a
    source text on each side (a localized text alone, such as a translator's note, is
    looked past) is a match, or the page's edge. 2: both, with at least one match (or the
    page has no other text); 1: one match; 0: none."""
    matches = edges = 0
    for direction in (-1, 1):
        near = index + direction
        while 0 <= near < len(pairs) and not pairs[near][0]:
            near += direction
        if not 0 <= near < len(pairs):
            edges += 1
        elif pairs[near][1]:
            matches += 1
    if matches + edges == 2 and (matches or len(pairs) == 1):
        return 2
    return min(matches, 1)


def _moved(
    pairs: Sequence[tuple[list[int], list[int]]],
    source: Sequence[Segment],
    target: Sequence[Segment],
    costs: _Costs,
) -> dict[int, int]:
    """Texts the monotone alignment left out on both sides that are one text moved (a
    reordered list): each source text left out whose anchors are all in a localized text
    left out, of the same kind, matching within ``LOOSE``; source index → localized index."""
    left_source = [i for sources, targets in pairs if not targets for i in sources]
    left_target = [j for sources, targets in pairs if not sources for j in targets]
    moved: dict[int, int] = {}
    for i in left_source:
        wanted = _anchors(source[i].text)
        if not wanted:
            continue
        candidates = [
            (costs.match([source[i]], [target[j]]), j)
            for j in left_target
            if j not in moved.values() and all(a in target[j].text for a in wanted)
        ]
        if candidates and (found := min(candidates))[0] <= LOOSE:
            moved[i] = found[1]
    return moved


def _at(segments: Sequence[Segment], indexes: Sequence[int]) -> list[Segment]:
    return [segments[i] for i in indexes]


def _unit(
    source: Segment, translation: str, line: int | None, settings: Settings, language: str
) -> Unit:
    """A source text with the translation (into ``language``) aligned with it: adopted if
    ``check`` finds no error in it, else fuzzy; not aligned if ``check`` finds it left in the
    source language."""
    findings = check_translation(
        source.text,
        translation,
        segment_comments(source),
        severities=settings.checks,
        site=settings.site_rules(language),
    )
    if any(f.check == "untranslated" for f in findings):  # (no translation to adopt)
        return Unit(source, "not-aligned", line=line)
    loose = any(f.severity == "error" for f in findings)
    return Unit(source, "fuzzy" if loose else "adopted", translation, line)


def align_pages(
    source: SourcePage, localized: SourcePage, settings: Settings, language: str
) -> Alignment:
    """Align a source page with its localized page in ``language``: front matter by key
    path (and msgctxt), the body by :func:`align_body`."""
    fronts = {
        (segment.origin, segment.context): segment
        for segment in localized.segments
        if segment.origin.startswith("front matter: ")
    }
    units: list[Unit] = []
    body_source = [s for s in source.segments if not s.origin.startswith("front matter: ")]
    for segment in source.segments:
        if not segment.origin.startswith("front matter: "):
            continue
        found = fronts.get((segment.origin, segment.context))
        if found is None:
            units.append(Unit(segment, "not-aligned"))
        else:
            units.append(_unit(segment, found.text, found.line, settings, language))
    body_target = [s for s in localized.segments if not s.origin.startswith("front matter: ")]
    body_units, extra = align_body(body_source, body_target, settings, language)
    return Alignment((*units, *body_units), tuple(extra))


@dataclass(frozen=True, slots=True)
class Conflict:
    """A catalog entry whose translation differs from the localized page's: kept."""

    message: Message
    adopted: Unit


@dataclass(frozen=True, slots=True)
class FilledCatalog:
    """A catalog with the adopted translations filled in."""

    messages: tuple[Message, ...]
    adopted: int
    fuzzy: int
    conflicts: tuple[Conflict, ...]


def fill_catalog(
    messages: Sequence[Message], translations: Mapping[TextKey, Unit]
) -> FilledCatalog:
    """Fill each live entry without a translation from ``translations`` (fuzzy where the
    unit is); an entry with a translation, fuzzy or not, is never changed, and one that
    differs from the unit's is a conflict."""
    filled: list[Message] = []
    adopted = fuzzy = 0
    conflicts: list[Conflict] = []
    for message in messages:
        unit = None if message.obsolete else translations.get(message.key)
        if unit is None or message.plural != bool(unit.forms):
            filled.append(message)
            continue
        if message.plural:
            if message.has_translation and message.msgstr_plural != unit.forms:
                conflicts.append(Conflict(message, unit))
            if message.has_translation or len(unit.forms) != len(message.msgstr_plural):
                filled.append(message)
                continue
            flags = tuple(flag for flag in message.flags if flag != "fuzzy")
            filled.append(replace(message, msgstr_plural=unit.forms, flags=flags, raw=None))
            adopted += 1
            continue
        if message.msgstr:
            if message.msgstr != unit.translation:
                conflicts.append(Conflict(message, unit))
            filled.append(message)
            continue
        flags = tuple(flag for flag in message.flags if flag != "fuzzy")
        new = replace(message, msgstr=unit.translation, flags=flags, raw=None)
        if unit.outcome == "fuzzy" or msgfmt_problem(new) is not None:
            new = replace(new, flags=("fuzzy", *flags), previous_msgid=unit.previous)
            fuzzy += 1
        else:
            adopted += 1
        filled.append(new)
    return FilledCatalog(tuple(filled), adopted, fuzzy, tuple(conflicts))


@dataclass(frozen=True, slots=True)
class Carried:
    """Translations made for an older version of a source page, carried to the current one."""

    translations: dict[TextKey, Unit]
    dropped: tuple[Message, ...]
    """Obsolete entries (``#~``): the translations of texts the page no longer has, which
    the localized page still holds (kept, so that replacing it loses none)."""


def merge_forward(
    alignment: Alignment, then: SourcePage, now: SourcePage, settings: Settings
) -> Carried:
    """The translations of ``alignment``, made for the source page as it was (``then``),
    carried to the page as it is (``now``) exactly as extract merges a catalog: a text still
    there keeps its translation, a changed text takes the translation of the most similar
    old one, fuzzy, with the old text as ``previous``; a text that left becomes obsolete."""
    found = alignment.translations()
    old = [
        replace(
            message,
            msgstr=found[message.key].translation,
            flags=("fuzzy",) if found[message.key].outcome == "fuzzy" else (),
        )
        for message in build_template(then, line_numbers=False)
        if message.key in found
    ]
    template = build_template(now, line_numbers=False)
    merged = merge_messages(old, template, threshold=settings.fuzzy_threshold)
    carried: dict[TextKey, Unit] = {}
    dropped: list[Message] = []
    for message in merged.messages:
        if message.obsolete and message.msgstr:
            dropped.append(message)
        if message.obsolete or message.plural or not message.msgstr:
            continue
        if message.previous_msgid is None:
            unit = found[message.key]
        else:
            unit = found[(message.previous_msgctxt, message.previous_msgid)]
            unit = replace(unit, outcome="fuzzy", previous=message.previous_msgid)
        carried[message.key] = replace(unit, translation=message.msgstr)
    return Carried(carried, tuple(dropped))


def pair_pages(
    sources: Mapping[str, str], localized: Mapping[str, str], settings: Settings, language: str
) -> dict[str, str]:
    """Each source page's localized page, from the keys of both (path → key): the one with
    the same key (``translationKey``, else the path in its content folder, as Hugo pairs
    them), else the one at the same path."""
    by_key: dict[str, str] = {}
    for path, key in sorted(localized.items()):
        by_key.setdefault(key, path)
    pairs: dict[str, str] = {}
    for path, key in sources.items():
        same_path = settings.localized_path(path, language)
        found = by_key.get(key) or (same_path if same_path in localized else None)
        if found is not None:
            pairs[path] = found
    return pairs


@dataclass(frozen=True, slots=True)
class PageAdoption:
    """One localized page's adoption into its catalog."""

    source: str
    localized: str
    language: str
    catalog: str
    adopted: int = 0
    fuzzy: int = 0
    not_aligned: tuple[Unit, ...] = ()
    extra: tuple[Segment, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    translated: int = 0
    """Entries of the catalog translated (not fuzzy) afterwards."""
    entries: int = 0
    written: bool = False
    """The catalog was written, or under ``dry_run`` would be."""
    based_on: SourceVersion | None = None
    """The version of the source page, older than the current one, the localized page was
    aligned with (``None``: the current source page)."""
    hand_made: str | None = None
    """Why build, from the catalog as adopt leaves it, would not write the localized page
    byte for byte as it is (so it stays hand-made: build leaves it alone); ``None``: it
    would, and the page is recorded as build's own."""
    dropped: int = 0
    """Translations of texts the source page no longer has, kept as obsolete entries."""
    site_file: bool = False
    """A site file's (an i18n table), not a page's."""


@dataclass(frozen=True, slots=True)
class AdoptResult:
    """What an adopt run did, or (``dry_run``) would do."""

    pages: tuple[PageAdoption, ...]
    errors: tuple[ExtransError, ...]


def _in_language(settings: Settings, language: str) -> Settings:
    """The settings that read ``language``'s content folder as the source's is read."""
    return replace(settings, source_language=language)


def _keys(settings: Settings, language: str) -> tuple[dict[str, str], list[ExtransError]]:
    """The key of every page in ``language``'s content folder."""
    reading = _in_language(settings, language)
    listing = source_relatives(reading)
    errors = [] if language != settings.source_language else list(listing.errors)
    root = settings.site_root
    folder = root / settings.content_dir(language)
    keys: dict[str, str] = {}
    for relative in listing.pages:
        try:
            text = read_page_text(root / relative, relative, folder)
            keys[relative] = page_key(text, relative, reading)
        except ExtransError as err:
            errors.append(err)
    return keys, errors


def adopt_site(
    settings: Settings,
    languages: Sequence[str],
    filters: Sequence[str] = (),
    *,
    dry_run: bool = False,
    history: bool = True,
) -> AdoptResult:
    """Adopt every localized page of ``languages`` paired with a source page that
    ``filters`` selects into that page's catalog; with ``dry_run``, write nothing. With
    ``history``, each localized page is aligned with its source page as it was when the
    localized page was last committed (see :func:`source_then`), and the translations are
    merged forward into the current one (:func:`merge_forward`)."""
    every, errors = _keys(settings, settings.source_language)
    sources = {path: key for path, key in every.items() if names_page(path, settings, filters)}
    links = site_links(settings, languages, save=not dry_run)
    now = gettext_timestamp()
    pages: list[PageAdoption] = []
    owned: dict[str, str] = {}
    site_files = list_site_files(settings)
    if not filters:
        errors += site_files.errors
    for language in languages:
        for file in () if filters else site_files.files:
            try:
                adopted = _adopt_site_file(settings, file, language, now, dry_run=dry_run)
                if adopted is not None:
                    pages.append(adopted)
            except ExtransError as err:
                errors.append(err)
            except OSError as err:
                errors.append(file_error(err, settings.site_root))
        localized, problems = _keys(settings, language)
        errors += problems
        for source, target in sorted(pair_pages(sources, localized, settings, language).items()):
            try:
                done, built = _adopt_page(
                    settings, language, source, target, now, links.get(language), dry_run=dry_run,
                    history=history,
                )  # fmt: skip
                pages.append(done)
                if built is not None:
                    owned[target] = built
            except ExtransError as err:
                errors.append(err)
            except OSError as err:
                errors.append(file_error(err, settings.site_root))
    if owned and not dry_run:
        try:
            record = read_record(settings)
            record.pages.update(owned)
            save_record(settings.site_root, record)
        except ExtransError as err:
            errors.append(err)
        except OSError as err:
            errors.append(file_error(err, settings.site_root))
    return AdoptResult(tuple(pages), tuple(errors))


@dataclass(frozen=True, slots=True)
class SourceVersion:
    """A source page as it was in a commit."""

    commit: str
    path: str
    """Where it was then, from the site root."""
    text: str


def source_versions(
    settings: Settings, language: str, source: str, localized: str, commit: str | None = None
) -> list[SourceVersion]:
    """The versions of the source page the localized page (in ``language``) may have been
    translated from, as (commit, text), newest first: the one at ``commit`` if the page
    records it; else each version the source page had at or before the last commit that
    changed the localized page's text (at most ``VERSIONS``). That commit is found through
    the renames and copies of the localized page (a site that copies its docs into a
    folder per release, or moves them, changes no translation), and the source page is
    taken where it was then, at the localized page's path of then. Empty without git, for a
    localized page git does not track, or a source page those commits did not have."""
    root = settings.site_root
    git = ["git", "-C", str(root)]
    try:
        prefix = subprocess.run(
            [*git, "rev-parse", "--show-prefix"], capture_output=True, text=True, check=True
        ).stdout.strip()
        path, found = source, None
        if commit is None:
            found = _last_change(git, prefix + localized)
            if found is None:
                return []
            commit, then = found
            try:
                path = settings.source_path(then.removeprefix(prefix), language)
            except ValueError:  # (then outside the language's content folder)
                path = source
        if not commit or commit.startswith("-"):
            return []
        commits = [commit]
        if found is not None:
            listed = subprocess.run(
                [*git, "log", f"-{VERSIONS}", "--format=%H", commit, "--", path],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            commits = listed.stdout.split()
        wanted = "".join(f"{c}:{prefix}{path}\n" for c in commits).encode("utf-8")
        shown = subprocess.run(
            [*git, "cat-file", "--batch"], input=wanted, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [
        SourceVersion(c, path, text)
        for c, text in zip(commits, _batch_contents(shown), strict=False)
        if text
    ]


def _last_change(git: Sequence[str], localized: str) -> tuple[str, str] | None:
    """The last commit that changed the text of ``localized`` (from the repository's root),
    and its path in that commit: the last that changed it at this path; if it was only
    added here, it is followed back through renames and copies (slower, so only then)."""
    here = _changes(git, localized, follow=False)
    edited = next((change for change in here if change[1].startswith("M")), None)
    if edited is not None:
        return edited[0], edited[2]
    followed = _changes(git, localized, follow=True)
    found = next((c for c in followed if c[1] not in ("R100", "C100")), None) or next(
        iter(here), None
    )
    return None if found is None else (found[0], found[2])


def _changes(git: Sequence[str], localized: str, *, follow: bool) -> list[tuple[str, str, str]]:
    """(commit, status, path then) of each commit that touched ``localized``, newest first."""
    # (unchecked: a history cut short ends in an error after what git could read)
    log = subprocess.run(
        [*git, "log", *(["--follow"] if follow else []), "--name-status", "--format=%x00%H",
         "--", localized],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    changes: list[tuple[str, str, str]] = []
    commit = None
    for line in log.stdout.splitlines():
        if line.startswith("\x00"):
            commit = line[1:]
        elif line and commit is not None:
            status, *paths = line.split("\t")
            if paths:
                changes.append((commit, status, paths[-1]))
    return changes


def _batch_contents(output: bytes) -> list[str | None]:
    """The objects ``git cat-file --batch`` printed, in order (``None``: missing, or not
    UTF-8)."""
    contents: list[str | None] = []
    at = 0
    while at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].split()
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():  # ("<name> missing")
            contents.append(None)
            continue
        size = int(header[2])
        try:
            contents.append(output[at : at + size].decode("utf-8"))
        except UnicodeDecodeError:
            contents.append(None)
        at += size + 1
    return contents


def _recorded_commit(text: str, path: str, field: str) -> str | None:
    """The source commit a localized page says it was translated from (in the front-matter
    ``field``, the setting ``source-commit-field``), if any."""
    front = split_front_matter(text, path)
    span = read_top_level_values(text, front, path).get(field)
    if span is None:
        return None
    value = text[span[0] : span[1]].strip().strip("'\"")
    return value if re.fullmatch(r"[0-9a-fA-F]{7,64}", value) else None


def _closest_version(
    versions: Sequence[SourceVersion],
    page: SourcePage,
    source_text: str,
    localized: SourcePage,
    settings: Settings,
    language: str,
) -> tuple[SourceVersion | None, SourcePage, Alignment]:
    """Of ``versions`` of the source page (newest first), the one the localized page aligns
    with best (most texts adopted, fuzzy ones counting half; the newest of equals), with its
    commit and alignment; ``page``, the current source page, without versions or where the
    best is as it is now (``source_text``; commit ``None``)."""
    best: tuple[float, SourceVersion | None, SourcePage, Alignment] | None = None
    seen: set[str] = set()
    for version in versions or [SourceVersion("", page.path, source_text)]:
        text = version.text
        if text in seen:
            continue
        seen.add(text)
        try:
            old = page if text == source_text else parse_page(text, page.path, settings)
        except ExtransError:  # (a version that extrans cannot read)
            continue
        alignment = align_pages(old, localized, settings, language)
        outcomes = [unit.outcome for unit in alignment.units]
        score = outcomes.count("adopted") + outcomes.count("fuzzy") / 2
        if best is None or score > best[0]:
            best = (score, None if old is page else version, old, alignment)
        if score == len(outcomes) and not alignment.extra:
            break  # (every text adopted: no older version does better)
    if best is None:
        return None, page, align_pages(page, localized, settings, language)
    return best[1:]


def _adopt_page(
    settings: Settings,
    language: str,
    source: str,
    target: str,
    now: str,
    links: Mapping[str, str] | None,
    *,
    dry_run: bool,
    history: bool,
) -> tuple[PageAdoption, str | None]:
    """The page's adoption, and the hash of the localized page if build would write it as
    it is (then build's own)."""
    root = settings.site_root
    source_text = read_page_text(
        root / source, source, root / settings.content_dir(settings.source_language)
    )
    page = parse_page(source_text, source, settings)
    target_text = read_page_text(root / target, target, root / settings.content_dir(language))
    localized = parse_page(target_text, target, _in_language(settings, language))
    recorded = _recorded_commit(target_text, target, settings.source_commit_field)
    versions = source_versions(settings, language, source, target, recorded) if history else []
    based_on, old_page, alignment = _closest_version(
        versions, page, source_text, localized, settings, language
    )
    dropped: tuple[Message, ...] = ()
    if based_on is None:
        translations = alignment.translations()
        not_aligned = [unit for unit in alignment.units if unit.outcome == "not-aligned"]
    else:
        carried = merge_forward(alignment, old_page, page, settings)
        translations, dropped = carried.translations, carried.dropped
        lines = {(s.context, s.text): s.line for s in reversed(page.segments)}
        not_aligned = [
            replace(unit, source=replace(unit.source, line=lines[key]))
            for unit in alignment.units
            if unit.outcome == "not-aligned"
            and (key := (unit.source.context, unit.source.text)) in lines
        ]

    found = _Found(
        target, language, translations, tuple(not_aligned), alignment.extra, based_on, dropped
    )
    adoption, po_text = _fill_and_write(settings, page, found, now, dry_run=dry_run)
    po_path = adoption.catalog
    as_built = parse_po(po_text, po_path, writable=False)
    try:
        draft = draft_page(
            settings, language, page, source_text, as_built, po_path, target_text, target, links
        )
        hand_made = hand_made_because(target_text, draft.page.text, target, source_text)
    except PageError as err:
        hand_made = f"build cannot write it from the catalog ({err.message})"
    built = None if hand_made else record_hash(target_text.encode("utf-8"))
    return replace(adoption, hand_made=hand_made), built


@dataclass(frozen=True, slots=True)
class _Found:
    """What adopt found in one localized file for its source's catalog."""

    localized: str
    language: str
    translations: Mapping[TextKey, Unit]
    not_aligned: tuple[Unit, ...] = ()
    extra: tuple[Segment, ...] = ()
    based_on: SourceVersion | None = None
    dropped: tuple[Message, ...] = ()
    """Obsolete entries to keep (see :class:`Carried`)."""


def _fill_and_write(
    settings: Settings, page: SourcePage, found: _Found, now: str, *, dry_run: bool
) -> tuple[PageAdoption, str]:
    """The source's template and catalog merged as extract merges them, the catalog filled
    with what was found, and both written (unless ``dry_run``); the adoption, and the
    catalog's text."""
    root, language, translations = settings.site_root, found.language, found.translations
    pot_path, po_path = settings.template_path(page.key), settings.catalog_path(language, page.key)
    read = {}
    for path in (pot_path, po_path):
        check_in_folder(root / path, root / settings.catalog_folder(path), root=root)
        read[path] = read_with_state(root / path, path, root, error=CatalogError)
    old_texts = {
        path: None if data is None else decode_catalog(data, path)
        for path, (data, _) in read.items()
    }
    updates = {u.path: u for u in update_catalogs(page, settings, [language], old_texts, now)}
    merged = parse_po(updates[po_path].text, po_path, default_width=settings.wrap_width)
    filled = fill_catalog(merged.messages, translations)
    present = {message.key for message in filled.messages}
    kept = tuple(message for message in found.dropped if message.key not in present)
    catalog = Catalog(merged.header, (*filled.messages, *kept), merged.width, merged.trailer)
    texts = {pot_path: updates[pot_path].text, po_path: format_catalog(catalog)}
    written = False
    for path, text in texts.items():
        data = text.encode("utf-8")
        old_data, state = read[path]
        if old_data == data:
            continue
        written = written or path == po_path
        if not dry_run and not atomic_write(root / path, data, root=root, expected=state):
            raise CatalogError(
                "was saved while adopt filled it; left as it is: run adopt again", path
            )
    live = [m for m in filled.messages if not m.obsolete]
    adoption = PageAdoption(
        page.path,
        found.localized,
        language,
        po_path,
        filled.adopted,
        filled.fuzzy,
        found.not_aligned,
        found.extra,
        filled.conflicts,
        sum(m.translated for m in live),
        len(live),
        written,
        found.based_on,
        dropped=len(kept),
    )
    return adoption, texts[po_path]


def _adopt_site_file(
    settings: Settings, file: SiteFile, language: str, now: str, *, dry_run: bool
) -> PageAdoption | None:
    """A site file's hand-made language file (an i18n table) into its catalog, as its kind
    reads it; ``None`` when the language has none, or the kind reads none."""
    root = settings.site_root
    target = site_target(settings, file, language)
    if target is None or not os.path.lexists(root / target):
        return None  # (a kind of several files per language, term pages: none to adopt)
    source = read_site_file(settings, file)
    data = read_inside(root / target, target, root, error=PageError)
    existing = None if data is None else decode_page(data, target)
    job = SiteWrite(file, source.page, source.text, existing, target, language, {})
    found = read_site_translations(job)
    if found is None:
        return None
    units = {}
    for segment in source.page.segments:
        key = (segment.context, segment.text)
        texts = found.get(key)
        if texts:
            plural = segment.plural is not None
            units[key] = Unit(
                segment,
                "adopted",
                "" if plural else texts[0],
                forms=texts if plural else (),
            )
    done, _ = _fill_and_write(
        settings, source.page, _Found(target, language, units), now, dry_run=dry_run
    )
    return replace(done, site_file=True)
