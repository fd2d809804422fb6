"""The site's translation memory: the translations one language's catalogs hold, and what it
offers an entry that has none (the same text translated elsewhere, or a similar one); pure:
``site.memory`` reads the catalogs, ``formats.tmx`` and the compendium writer export it."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from typing import Literal, NamedTuple

from ..errors import code_escape
from ..model import TextKey
from .catalog import Message, fuzzy_carried, msgfmt_problem
from .po_wrap import escape

__all__ = [
    "MEMORY_COMMENT",
    "MEMORY_POLICIES",
    "Filled",
    "Memory",
    "MemoryPolicy",
    "Recall",
    "Row",
    "Unit",
    "conflict_comments",
    "fill_from_memory",
    "unit_rows",
    "units_of",
]

MemoryPolicy = Literal["fuzzy", "translated", "off"]
"""What extract does with a new entry whose text the memory holds: fill it and mark it fuzzy
for a person to confirm (``fuzzy``), fill it as translated when the same text is translated
elsewhere, as ``msgmerge --compendium`` does (``translated``), or nothing (``off``)."""
MEMORY_POLICIES: tuple[MemoryPolicy, ...] = ("fuzzy", "translated", "off")
MEMORY_COMMENT = "memory: "
"""What begins the translator comments extract writes on an entry the memory filled or could
not fill, so that a translator (and ``grep``) sees where a suggestion came from."""


NEAR_CANDIDATES = 8
"""How many texts of the memory a search for a similar one weighs: those that share the most
words with it."""
COMMON_WORD = 1024
"""A word that this many texts of the memory hold tells too little of them apart: a search
does not count it (so a text made only of such words has no similar one)."""
_WORD = re.compile(r"\w+")
WORD_SLACK = 0.2
"""How far below the bar the ratio of two texts' words may be for their characters' to be
computed: a text whose words are that unlike is not similar (the characters' ratio of two
long English texts, which share most letters, costs the search most of its time)."""


class Unit(NamedTuple):
    """One translation the memory holds: a translated entry of a catalog that is not fuzzy,
    or one imported from another project's memory. (A named tuple, not a frozen dataclass:
    a memory holds one for every translated entry of the site, and a frozen dataclass's
    construction, field by field, costs seconds at 10,000 pages; ``bench/memory.py``.)"""

    msgid: str
    forms: tuple[str, ...]
    """The translation: ``(msgstr,)``, or each ``msgstr[N]`` of a plural entry."""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    place: str = ""
    """Where it was translated: the catalog's path from the site root, or the file imported."""
    kind: str = ""
    """What the text is in its page (``front matter: title``, ``body: heading``): its entry's
    first extracted comment, up to a comma."""
    imported: bool = False
    """From another project (``extrans memory import``): never filled as translated."""

    @property
    def key(self) -> TextKey:
        return (self.msgctxt, self.msgid)

    def as_message(self) -> Message:
        """The unit as a translated catalog entry."""
        if self.msgid_plural is None:
            return Message(self.msgid, self.forms[0], self.msgctxt)
        return Message(
            self.msgid,
            msgctxt=self.msgctxt,
            msgid_plural=self.msgid_plural,
            msgstr_plural=self.forms,
        )


Row = tuple[str, tuple[str, ...], str | None, str | None, str]
"""A unit as a catalog's record of them holds it, a plain tuple (extract's workers make one
for every entry of the site, and send them back and into a cache: see ``site.memory``):
msgid, forms, msgctxt, msgid_plural, kind; the place and whether it was imported are the
catalog's."""


def unit_rows(messages: Iterable[Message]) -> list[Row]:
    """The units of a catalog's live entries that are translated and not fuzzy (an obsolete
    one translates a text no page has now: it would fill nothing the site needs, and make
    conflicts of translations a person has since corrected)."""
    return [
        (
            message.msgid,
            message.msgstr_plural if message.plural else (message.msgstr,),
            message.msgctxt,
            message.msgid_plural,
            (message.extracted_comments[:1] or ("",))[0].split(",")[0],
        )
        for message in messages
        if message.translated and message.msgid and not message.obsolete
    ]


def units_of(messages: Iterable[Message], place: str, *, imported: bool = False) -> list[Unit]:
    """The units of a catalog's entries (see :func:`unit_rows`) read from ``place``."""
    return [
        Unit(msgid, forms, msgctxt, plural, place, kind, imported)
        for msgid, forms, msgctxt, plural, kind in unit_rows(messages)
    ]


@dataclass(frozen=True, slots=True)
class Recall:
    """What the memory offers one entry."""

    source: Message
    """The text the memory matched, as an entry (its own text when exact)."""
    candidates: tuple[Unit, ...]
    """One unit for each different translation of that text, the most used first."""
    exact: bool
    uses: tuple[int, ...] = ()
    """How many units hold each candidate's translation."""

    @property
    def conflict(self) -> bool:
        """Whether the text has several translations: none is taken automatically."""
        return len(self.candidates) > 1


@dataclass(frozen=True, slots=True)
class _Text:
    """What the memory offers for one text (msgctxt and msgid)."""

    candidates: tuple[Unit, ...]
    """One unit per different translation, most used first (first met on a tie): the site's
    own translations when it has any, else the imported ones."""
    uses: tuple[int, ...]
    """How many units hold each candidate's translation."""

    @classmethod
    def of(cls, units: Sequence[Unit]) -> _Text:
        own = [unit for unit in units if not unit.imported] or list(units)
        first: dict[tuple[str, ...], Unit] = {}
        uses: dict[tuple[str, ...], int] = {}
        for unit in own:
            first.setdefault(unit.forms, unit)
            uses[unit.forms] = uses.get(unit.forms, 0) + 1
        order = sorted(first, key=lambda forms: -uses[forms])
        return cls(tuple(first[forms] for forms in order), tuple(uses[forms] for forms in order))


@dataclass(frozen=True, slots=True)
class _NearIndex:
    """The texts of the memory with one msgctxt, by the words they hold.

    Not the merge's index of similar texts (``catalog._FuzzyIndex``), which finds the most
    similar of a page's old texts for certain by indexing every character gram: made over a
    site's memory, hundreds of thousands of texts, that index cost more than the extract it
    served (``bench/memory.py``). This one weighs only the :data:`NEAR_CANDIDATES` texts
    that share the most words with the text searched for, with the same difflib ratio and the
    same threshold, so what it finds is similar as the merge means it, if not always the
    most similar of all."""

    units: tuple[Unit, ...]
    postings: dict[str, list[int]]
    """The texts that hold each word, by their place in :attr:`units`; a common word's
    (:data:`COMMON_WORD`) only its first ones, as a search skips it: at 10,000 pages, 384,000
    postings instead of 3.1 million, made in 1.2 s instead of 1.33 (``bench/memory.py``'s
    corpus)."""

    @classmethod
    def of(cls, units: Sequence[Unit]) -> _NearIndex:
        postings: dict[str, list[int]] = {}
        common: set[str] = set()
        words_of = _WORD.findall
        for index, unit in enumerate(units):  # (millions of words: no list made to be dropped)
            for word in set(words_of(unit.msgid.lower())).difference(common):
                texts = postings.get(word)
                if texts is None:
                    postings[word] = [index]
                else:
                    texts.append(index)
                    if len(texts) == COMMON_WORD:  # (a search skips it: its texts stop there)
                        common.add(word)
        return cls(tuple(units), postings)

    def most_similar(self, text: str, threshold: float) -> Unit | None:
        """Of the texts that share the most words with ``text``, the one with the highest
        ratio, at least ``threshold`` (the first in the memory's order on a tie)."""
        held: Counter[int] = Counter()
        for word in set(_WORD.findall(text.lower())):
            texts = self.postings.get(word, ())
            if len(texts) < COMMON_WORD:
                held.update(texts)
        matcher: SequenceMatcher[str] = SequenceMatcher(autojunk=False)
        matcher.set_seq2(text)
        by_words: SequenceMatcher[str] = SequenceMatcher(autojunk=False)
        by_words.set_seq2(_WORD.findall(text.lower()))
        best: tuple[float, int] | None = None
        # (most shared words first, so that the bar rises early; the first text on a tie)
        promising = heapq.nsmallest(NEAR_CANDIDATES, held.items(), key=lambda t: (-t[1], t[0]))
        for index, _ in promising:
            bar = threshold if best is None else best[0]
            candidate = self.units[index].msgid
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
                continue
            by_words.set_seq1(_WORD.findall(candidate.lower()))
            if by_words.ratio() < bar - WORD_SLACK:
                continue
            ratio = matcher.ratio()
            better = best is None or ratio > best[0] or (ratio == best[0] and index < best[1])
            if better and ratio >= threshold:
                best = (ratio, index)
        return None if best is None else self.units[best[1]]


@dataclass(slots=True)
class Memory:
    """The units of one language, indexed by text; the index of similar texts is made on the
    first search for one (or at once with :meth:`prepare`, before work is forked)."""

    units: tuple[Unit, ...]
    threshold: float = 0.6
    """Similarity (difflib ratio) from which a text counts as near."""
    _texts: dict[TextKey, list[Unit]] = field(init=False, repr=False)
    _candidates: dict[TextKey, _Text] = field(default_factory=dict, init=False, repr=False)
    """Each text's candidates, counted on its first recall (most texts are never recalled)."""
    _similar: dict[str | None, _NearIndex] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        texts: dict[TextKey, list[Unit]] = {}
        for unit in self.units:  # (hundreds of thousands: no property call, no list made
            key = (unit.msgctxt, unit.msgid)  # to be dropped)
            found = texts.get(key)
            if found is None:
                texts[key] = [unit]
            else:
                found.append(unit)
        self._texts = texts

    def __len__(self) -> int:
        return len(self.units)

    @property
    def texts(self) -> int:
        """How many different texts (msgctxt and msgid) the memory holds."""
        return len(self._texts)

    def conflicts(self) -> dict[TextKey, tuple[Unit, ...]]:
        """The texts the site translates in several ways: each one's units, by text."""
        return {
            key: tuple(units)
            for key, units in self._texts.items()
            if len(units) > 1 and len({unit.forms for unit in units if not unit.imported}) > 1
        }

    def prepare(self) -> Memory:
        """The memory with its index of similar texts made."""
        if self._similar is None:
            grouped: dict[str | None, list[Unit]] = {}
            for units in self._texts.values():
                grouped.setdefault(units[0].msgctxt, []).append(units[0])
            self._similar = {ctx: _NearIndex.of(units) for ctx, units in grouped.items()}
        return self

    def recall(self, message: Message, *, near: bool = True) -> Recall | None:
        """What the memory holds for ``message``'s text: the same text (msgctxt and msgid),
        else with ``near`` a similar one with the same msgctxt (see :class:`_NearIndex`)."""
        text = self._text(message.key)
        if text is not None:
            return Recall(text.candidates[0].as_message(), text.candidates, True, text.uses)
        if not near or not self._texts:
            return None
        similar = self.prepare()._similar
        assert similar is not None
        index = similar.get(message.msgctxt)
        found = None if index is None else index.most_similar(message.msgid, self.threshold)
        if found is None:
            return None
        text = self._text(found.key)
        assert text is not None
        return Recall(found.as_message(), text.candidates, False, text.uses)

    def _text(self, key: TextKey) -> _Text | None:
        text = self._candidates.get(key)
        if text is None and key in self._texts:
            text = self._candidates[key] = _Text.of(self._texts[key])
        return text


@dataclass(frozen=True, slots=True)
class Filled:
    """What a fill from the memory did to a catalog's entries."""

    messages: tuple[Message, ...]
    exact: int = 0
    """Entries given the translation of the same text."""
    near: int = 0
    """Entries given the translation of a similar text, fuzzy."""
    conflicts: int = 0
    """Entries left as they were, the memory holding several translations of their text."""
    replaced: int = 0
    """Of the ``exact``, entries that had a similar text's translation (from their page)."""


_UNSHOWN = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
"""What gettext's escapes leave that would break a comment's line, or hide in it: the other
control characters, and Unicode's line separators."""


def _shown(text: str) -> str:
    """A text on one comment line, quoted and escaped as in a PO string, and a control
    character gettext writes as it is, as ``\\xNN``: no editor sees a line end in it."""
    return '"' + _UNSHOWN.sub(lambda found: code_escape(found.group()), escape(text)) + '"'


def _own_comments(message: Message) -> tuple[str, ...]:
    """The entry's translator comments but those an earlier fill wrote (a fill says anew
    what it found, never twice)."""
    return tuple(c for c in message.translator_comments if not c.startswith(MEMORY_COMMENT))


def conflict_comments(recall: Recall, head: str) -> tuple[str, ...]:
    """The translator comments that list a text's translations (``head`` first), most used
    first, each with one catalog holding it and how many more do."""
    lines = [MEMORY_COMMENT + head]
    for unit, uses in zip(recall.candidates, recall.uses, strict=True):
        more = f", {uses - 1} more" if uses > 1 else ""
        lines.append(f"{MEMORY_COMMENT}{_shown(unit.forms[0])} ({unit.place}{more})")
    return tuple(lines)


def _filled(
    message: Message, recall: Recall, policy: MemoryPolicy, nplurals: int | None
) -> Message:
    """``message`` with the translation of ``recall``'s first candidate: fuzzy with a
    comment naming where it comes from, or translated (``policy``), for the same text only."""
    unit = recall.candidates[0]
    same = recall.exact and unit.msgid_plural == message.msgid_plural
    flags = ("fuzzy", *(flag for flag in message.flags if flag != "fuzzy"))
    carried = fuzzy_carried(message, unit.as_message(), nplurals, flags, recall.source)
    if same:
        carried = replace(
            carried, previous_msgid=None, previous_msgctxt=None, previous_msgid_plural=None
        )
    if same and policy == "translated" and not unit.imported:
        confirmed = replace(carried, flags=tuple(f for f in carried.flags if f != "fuzzy"))
        if msgfmt_problem(confirmed, nplurals) is None:
            return replace(confirmed, raw=None)
    what = "translated so in" if same else "the translation of a similar text in"
    source = "imported from" if unit.imported else what
    comment = f"{MEMORY_COMMENT}{source} {unit.place}"
    comments = (*_own_comments(message), comment)
    return replace(carried, translator_comments=comments, raw=None)


def fill_from_memory(
    messages: Sequence[Message],
    keys: Collection[TextKey],
    memory: Memory,
    policy: MemoryPolicy,
    nplurals: int | None,
) -> Filled:
    """The catalog's ``messages`` with those of ``keys`` (the entries new in this merge) filled
    from ``memory``: one without a translation takes the translation of the same text, else of
    the most similar one (fuzzy, ``#|`` naming the text it was made for, as msgmerge writes
    it); one the merge gave a similar text's translation takes the same text's instead.
    Where the memory translates the text in several ways, none is taken: the entry says which
    in its comments. ``policy`` is the language's (see :data:`MemoryPolicy`)."""
    if policy == "off" or not keys or not len(memory):
        return Filled(tuple(messages))
    result: list[Message] = []
    exact = near = conflicts = replaced = 0
    for message in messages:
        if message.obsolete or message.key not in keys:
            result.append(message)
            continue
        recall = memory.recall(message, near=not message.has_translation)
        if recall is None or (recall.conflict and message.has_translation):
            result.append(message)
        elif recall.conflict:
            conflicts += 1
            count = len(recall.candidates)
            head = (
                f"{count} translations of this text in the memory, none taken:"
                if recall.exact
                else f"{count} translations of a similar text in the memory, none taken: "
                f"{_shown(recall.source.msgid)}"
            )
            comments = (*_own_comments(message), *conflict_comments(recall, head))
            result.append(replace(message, translator_comments=comments, raw=None))
        else:
            result.append(_filled(message, recall, policy, nplurals))
            exact += recall.exact
            near += not recall.exact
            replaced += message.has_translation
    return Filled(tuple(result), exact, near, conflicts, replaced)
