"""The catalog model, and the merge that keeps translators' work (``msgmerge --previous``);
pure: PO text is read and written in ``pofile``."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from itertools import chain
from typing import NamedTuple

from ..model import Segment, SourcePage, TextKey

__all__ = [
    "Catalog",
    "Header",
    "MergeResult",
    "Message",
    "build_template",
    "fuzzy_carried",
    "merge_messages",
    "msgfmt_problem",
    "new_header",
    "reference_labels",
    "refresh_template",
    "segment_comments",
]

_HEADER_ORDER = (
    "Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date",
    "Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "Plural-Forms",
)  # fmt: skip
_HEADER_RANK = {name: rank for rank, name in enumerate(_HEADER_ORDER)}


@dataclass(frozen=True, slots=True)
class Message:
    """One catalog entry. Equality ignores ``raw`` and ``line``: two messages are equal when a
    PO writer would write the same thing for both."""

    msgid: str
    msgstr: str = ""
    """The translation of a singular entry; ``""`` in a plural one."""
    msgctxt: str | None = None
    flags: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    """``# `` lines, without the ``# ``."""
    extracted_comments: tuple[str, ...] = ()
    """``#.`` lines: where the text comes from."""
    references: tuple[str, ...] = ()
    """``#:`` items: ``content/en/a.md`` or ``content/en/a.md:12``."""
    previous_msgid: str | None = None
    previous_msgctxt: str | None = None
    msgid_plural: str | None = None
    """A plural entry's plural source text (``msgid_plural``); ``None`` in a singular one."""
    msgstr_plural: tuple[str, ...] = ()
    """A plural entry's translations, ``msgstr[0]`` to ``msgstr[n-1]``: as many as the
    catalog's ``Plural-Forms`` says (``nplurals``), two in a template."""
    previous_msgid_plural: str | None = None
    """The ``#| msgid_plural`` of a fuzzy entry: the plural text its translation was made for."""
    obsolete: bool = False
    raw: str | None = field(default=None, compare=False, repr=False)
    """The entry's text as read from a file, written back as it is while the entry is equal,
    so that entries a translator's tool wrapped its own way keep their bytes (``replace()``
    copies it: a changed copy must say ``raw=None``)."""
    line: int = field(default=0, compare=False, repr=False)

    @property
    def key(self) -> TextKey:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def has_translation(self) -> bool:
        """Holds a translation, whole or in part, fuzzy or not: one that a merge keeps."""
        return bool(self.msgstr) or any(self.msgstr_plural)

    @property
    def translated(self) -> bool:
        """Has a translation that is not fuzzy; a plural entry, in each of its forms (as
        Poedit and Weblate count; msgfmt counts one whose ``msgstr[0]`` is there, but a
        missing form would leave readers that count untranslated)."""
        if self.fuzzy:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return bool(self.msgstr)


@dataclass(frozen=True, slots=True)
class Header:
    """The header entry: its fields in file order, and the comment above it."""

    fields: tuple[tuple[str, str], ...]
    comments: tuple[str, ...] = ()
    raw: str | None = field(default=None, compare=False, repr=False)

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def with_field(self, name: str, value: str) -> Header:
        """A copy with ``name`` set, in place if present, else in gettext's order; when the
        header was read from a file, only that field's line of its text changes."""
        old = self.get(name)
        if old == value:
            return self
        if old is not None:
            fields = tuple((key, value if key == name else v) for key, v in self.fields)
            line = f'"{name}: {old}\\n"'
            if self.raw is not None and self.raw.count(line) == 1:
                return Header(
                    fields, self.comments, self.raw.replace(line, f'"{name}: {value}\\n"')
                )
            return Header(fields, self.comments)
        rank = _HEADER_RANK.get(name, len(_HEADER_RANK))
        later = (i for i, (key, _) in enumerate(self.fields) if _HEADER_RANK.get(key, -1) > rank)
        at = next(later, len(self.fields))
        return Header((*self.fields[:at], (name, value), *self.fields[at:]), self.comments)


def new_header(
    project: str,
    language: str,
    plural_forms: str,
    date: str,
    *,
    bugs_address: str | None = None,
    template_date: str | None = None,
) -> Header:
    """A complete header for a new file, in gettext's order (``language`` as gettext codes
    it): a template's and its catalogs' name where to report bugs and when the template was
    made; a compendium's do not."""
    fields = [
        ("Project-Id-Version", project),
        *([("Report-Msgid-Bugs-To", bugs_address)] if bugs_address is not None else []),
        *([("POT-Creation-Date", template_date)] if template_date is not None else []),
        ("PO-Revision-Date", date),
        ("Last-Translator", ""),
        ("Language-Team", ""),
        ("Language", language),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", plural_forms),
    ]
    return Header(tuple(fields))


@dataclass(frozen=True, slots=True)
class Catalog:
    """A PO or POT file: header, live messages, then obsolete ones."""

    header: Header
    messages: tuple[Message, ...]
    width: int | None = 79
    """The width new or changed entries are wrapped at; ``None`` for no wrapping."""
    trailer: str = ""
    """Comments after the last entry, which belong to no entry, with the blank lines before
    them: written after every entry, as they were read."""

    @property
    def live(self) -> tuple[Message, ...]:
        return tuple(m for m in self.messages if not m.obsolete)


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What an update did to a catalog."""

    messages: tuple[Message, ...]
    new: int
    """Entries with no translation to start from."""
    changed: int
    """Entries whose source text changed: old translation kept, marked fuzzy."""
    obsoleted: int
    """Entries that left the page in this update."""


_REFERENCE_LABELS = "reference labels: "
_LABEL = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]")


def segment_comments(segment: Segment) -> tuple[str, ...]:
    """The extracted comment lines of a segment: its origin's lines, then the labels of its
    shortcut references (see :func:`_labels_comment`)."""
    lines = tuple(segment.origin.split("\n"))
    return (*lines, _labels_comment(segment.references)) if segment.references else lines


def _labels_comment(labels: Sequence[str]) -> str:
    """``reference labels: [the guide], [collapsed one]``: the comment line that travels with
    an entry into every catalog and tells ``check`` which ``[text]`` of it is a link. A
    comment, not a lookup of the page: ``check`` and ``build`` judge an entry from its catalog
    alone (the page may have moved on since), and a translator's tool shows it beside the
    text, saying why the brackets stay. Labels are written between brackets, as in the text:
    a label may hold a comma, and an unescaped bracket never."""
    return _REFERENCE_LABELS + ", ".join(f"[{label}]" for label in labels)


def reference_labels(comments: Sequence[str]) -> tuple[str, ...]:
    """The shortcut reference labels an entry's extracted comments name (see
    :func:`segment_comments`)."""
    return tuple(
        label
        for line in comments
        if line.startswith(_REFERENCE_LABELS)
        for label in _LABEL.findall(line, len(_REFERENCE_LABELS))
    )


@dataclass(slots=True)
class _Entry:
    """What the segments of one text in a page say of it, gathered."""

    plural: str | None = None
    origins: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    """Where it stands (``path:line``)."""
    labels: list[str] = field(default_factory=list)
    """Its shortcut reference labels."""

    def comments(self) -> tuple[str, ...]:
        lines = "\n".join(self.origins).split("\n")  # each origin's lines
        return (*lines, _labels_comment(self.labels)) if self.labels else tuple(lines)


def build_template(page: SourcePage, *, line_numbers: bool) -> tuple[Message, ...]:
    """The template messages of a page: one per distinct (context, text), in page order. A
    segment with a plural text makes a plural message with two empty forms, as xgettext
    writes one in a template (the first segment's plural text, if two disagree)."""
    grouped: dict[TextKey, _Entry] = {}
    for segment in page.segments:
        entry = grouped.setdefault((segment.context, segment.text), _Entry(segment.plural))
        origin = f"{segment.origin}, {segment.location}" if segment.location else segment.origin
        if origin not in entry.origins:
            entry.origins.append(origin)
        if segment.references:
            entry.labels.extend(s for s in segment.references if s not in entry.labels)
        reference = f"{page.path}:{segment.line}" if line_numbers else page.path
        if reference not in entry.references:
            entry.references.append(reference)
    return tuple(
        Message(
            msgid=text,
            msgctxt=context,
            extracted_comments=entry.comments(),
            references=tuple(entry.references),
            msgid_plural=entry.plural,
            msgstr_plural=("", "") if entry.plural is not None else (),
        )
        for (context, text), entry in grouped.items()
    )


def _keep_raw(new: Message, old: Message | None) -> Message:
    if old is not None and old.raw is not None and new == old:
        return old
    return new


def refresh_template(old: Sequence[Message], template: Sequence[Message]) -> tuple[Message, ...]:
    """The new template, reusing the text of entries that did not change."""
    previous = {m.key: m for m in old if not m.obsolete}
    return tuple(_keep_raw(m, previous.get(m.key)) for m in template)


GRAM = 8
"""Length of the character grams by which the fuzzy index finds similar texts."""
_MARGIN = 1e-9
"""Taken off a ratio before a bound is derived from it: far above float rounding, so that a
bound never excludes a text whose ratio, as difflib computes it, would equal that ratio."""


def _gram_list(text: str) -> list[str]:
    return [text[i : i + GRAM] for i in range(len(text) - GRAM + 1)]


def _pieces(text: str) -> list[str]:
    """``text`` cut into as many consecutive pieces as can each hold a gram."""
    count = len(text) // GRAM
    return [text[k * len(text) // count : (k + 1) * len(text) // count] for k in range(count)]


def _unmatched_allowed(ratio: float, total: int) -> int:
    """The most characters two texts of ``total`` characters in all can leave unmatched and
    still reach ``ratio``: difflib's ratio is ``2*M/T`` for ``M`` matched characters, so
    ``T - 2*M <= (1 - ratio) * T``."""
    return total if ratio <= 0 else math.floor((1 - ratio) * total)


@dataclass(frozen=True, slots=True)
class _Context:
    """The old texts with a translation and one msgctxt, indexed by their character grams."""

    messages: tuple[Message, ...]
    """In the old catalog's order, which settles ties."""
    postings: dict[str, list[int]]
    """Each gram → the indexes (into ``messages``) of the texts that contain it."""
    by_length: tuple[int, ...]
    """The indexes of the texts, shortest text first."""
    lengths: tuple[int, ...]
    """The lengths of the texts, shortest first."""

    @classmethod
    def of(cls, messages: Sequence[Message]) -> _Context:
        postings: dict[str, list[int]] = {}
        for index, message in enumerate(messages):
            for gram in set(_gram_list(message.msgid)):
                postings.setdefault(gram, []).append(index)
        by_length = sorted(range(len(messages)), key=lambda i: len(messages[i].msgid))
        lengths = tuple(len(messages[i].msgid) for i in by_length)
        return cls(tuple(messages), postings, tuple(by_length), lengths)

    @property
    def longest(self) -> int:
        return self.lengths[-1] if self.lengths else 0

    def within(self, shortest: int, longest: int) -> tuple[int, ...]:
        """The indexes of the texts of ``shortest`` to ``longest`` characters."""
        start = bisect.bisect_left(self.lengths, shortest)
        return self.by_length[start : bisect.bisect_right(self.lengths, longest)]

    def frequency(self, gram: str) -> int:
        return len(self.postings.get(gram, ()))


@dataclass(slots=True)
class _Search:
    """The most similar old text found so far for one new text: the highest ratio, and the
    first in the old catalog on a tie, which is what a scan of the catalog in order that
    keeps the first best would find."""

    matcher: SequenceMatcher[str]
    """With the new text as its second sequence, as difflib's ratio is not symmetric."""
    threshold: float
    best: int | None = None
    ratio: float = 0.0

    def could_win(self, bound: float, index: int) -> bool:
        """Whether the old text at ``index``, whose ratio is at most ``bound``, could still
        be the one chosen."""
        if self.best is None:
            return bound >= self.threshold
        return bound > self.ratio or (bound == self.ratio and index < self.best)

    def bar(self) -> float:
        """A ratio that every old text that could still be chosen reaches."""
        return (self.threshold if self.best is None else self.ratio) - _MARGIN

    def weigh(self, index: int, text: str) -> None:
        """Compare one old text, difflib's cheap upper bounds of the ratio first: they count
        the shorter length, then the characters the texts have in common, either of which is
        at least the ``M`` matched characters, and divide as the ratio does, so a bound is
        never below the ratio, floats included."""
        self.matcher.set_seq1(text)
        if not self.could_win(self.matcher.real_quick_ratio(), index):
            return
        if not self.could_win(self.matcher.quick_ratio(), index):
            return
        ratio = self.matcher.ratio()
        if self.could_win(ratio, index):
            self.best, self.ratio = index, ratio


def _most_similar(context: _Context, text: str, threshold: float) -> Message | None:
    """The old text of ``context`` with the highest difflib ratio to ``text``, at least
    ``threshold``; the first in catalog order on a tie. Exactly what comparing ``text`` with
    every old text would choose, without comparing most of them.

    Why the old texts skipped cannot win: cut ``text`` into ``m`` pieces of at least
    :data:`GRAM` characters. difflib's matching blocks pair ``M`` characters of the two texts
    in order; an old text whose ratio reaches ``r`` leaves ``u = T - 2*M <= (1 - r)*T`` of the
    ``T`` characters unmatched. An unmatched character of ``text`` lies in one piece; one of
    the old text lies between two characters of ``text`` and so inside one piece at most. So
    at least ``m - u`` pieces have every character matched with nothing in between: they
    appear in the old text as they are, and so does each one's rarest gram. The old texts
    are weighed by how many of these grams they hold, most first; one that holds fewer than
    ``m - u`` cannot reach the best ratio found so far, and once that is so for the longest
    text that could (the longer ``T``, the larger ``u``), it is so for every one after it.
    When ``m - u`` is 0 or less (no similar old text found yet, or a short text), every
    old text is weighed.
    """
    matcher: SequenceMatcher[str] = SequenceMatcher(autojunk=False)
    matcher.set_seq2(text)
    search = _Search(matcher, threshold)
    cut = _pieces(text)
    pieces = len(cut)
    rarest = (min(_gram_list(piece), key=context.frequency) for piece in cut)
    held = Counter(chain.from_iterable(context.postings.get(gram, ()) for gram in rarest))

    def may_reach(count: int, length: int) -> bool:
        """Whether an old text of ``length`` characters that holds the rarest grams of
        ``count`` pieces could reach the bar."""
        return count >= pieces - _unmatched_allowed(search.bar(), len(text) + length)

    def longest_rival() -> int:
        """The length of the longest old text that could reach the bar: ``2*a/(a+b) >= r``
        for the shorter ``a`` (difflib's ``real_quick_ratio``) bounds the longer."""
        bar = search.bar()
        if bar <= 0:
            return context.longest
        return min(context.longest, math.ceil(len(text) * (2 - bar) / bar))

    def shortest_rival() -> int:
        """The length of the shortest old text that could reach the bar (as above)."""
        return max(0, math.floor(len(text) * search.bar() / (2 - search.bar())))

    for index, count in held.most_common():  # (the bar only rises as the counts fall)
        if not may_reach(count, longest_rival()):
            break
        candidate = context.messages[index].msgid
        if may_reach(count, len(candidate)):
            search.weigh(index, candidate)
    if may_reach(0, longest_rival()):  # (then an old text that holds none of them could too)
        for index in context.within(shortest_rival(), longest_rival()):
            candidate = context.messages[index].msgid
            if index not in held and may_reach(0, len(candidate)):
                search.weigh(index, candidate)
    return None if search.best is None else context.messages[search.best]


@dataclass(slots=True)
class _FuzzyIndex:
    """The old texts a merge looks for similar ones among, indexed on the first search."""

    candidates: Sequence[Message]
    threshold: float
    contexts: dict[str | None, _Context] | None = None

    def most_similar(self, template: Message) -> Message | None:
        """The old text with a translation and the same msgctxt most similar to
        ``template``'s (see :func:`_most_similar`)."""
        if self.contexts is None:
            grouped: dict[str | None, list[Message]] = {}
            for message in self.candidates:
                if message.has_translation:
                    grouped.setdefault(message.msgctxt, []).append(message)
            self.contexts = {key: _Context.of(group) for key, group in grouped.items()}
        context = self.contexts.get(template.msgctxt)
        if context is None:
            return None
        return _most_similar(context, template.msgid, self.threshold)


def _untranslated_notes(old: Sequence[Message], template: Sequence[Message]) -> list[Message]:
    """Old entries with a translator's comment but no translation, whose text left the page:
    candidates for :class:`_FuzzyIndex`, which weighs only entries with a translation (each
    stands in with its comments as one)."""
    texts = {m.key for m in template}
    return [
        replace(m, msgstr="\n".join(m.translator_comments))
        for m in old
        if _is_note(m) and m.key not in texts
    ]


def _is_note(message: Message) -> bool:
    """An entry that holds a translator's comment and nothing else of theirs."""
    return not message.has_translation and any(message.translator_comments)


def _gettext_flags(template: Message, flags: Sequence[str]) -> tuple[str, ...]:
    """An old entry's flags on its text's new entry: as msgmerge does, what a text's format is
    (``c-format``, ``possible-python-format``...) and its ``range:`` come from the template,
    never from the catalog, where a translation may not fit them (msgfmt -c checks them)."""

    def derived(flag: str) -> bool:
        return flag.endswith("-format") or flag.startswith("range:")

    return (*(f for f in flags if not derived(f)), *filter(derived, template.flags))


def _unfuzzy(flags: Sequence[str]) -> tuple[str, ...]:
    return tuple(flag for flag in flags if flag != "fuzzy")


def _newline_problem(msgid: str, msgstr: str) -> str | None:
    """What ``msgfmt -c`` says when one of the two begins or ends with a newline and the
    other does not."""
    if msgid.startswith("\n") != msgstr.startswith("\n"):
        return "'msgid' and 'msgstr' entries do not both begin with '\\n'"
    if msgid.endswith("\n") != msgstr.endswith("\n"):
        return "'msgid' and 'msgstr' entries do not both end with '\\n'"
    return None


def _with_ends_of(msgid: str, msgstr: str) -> str:
    """A fuzzy match's translation, with a newline at its start and end where the new text has
    one, and none where it has none (as it was, if nothing else is left of it)."""
    body = msgstr.strip("\n")
    if not body or _newline_problem(msgid, msgstr) is None:
        return msgstr
    return "\n" * (msgid[:1] == "\n") + body + "\n" * (msgid[-1:] == "\n")


def _plural_newline_problem(message: Message) -> str | None:
    """:func:`_newline_problem` for a plural entry, as ``msgfmt -c`` words it: its
    ``msgid_plural`` and each ``msgstr[N]`` against its msgid."""
    msgid = message.msgid
    texts = [("msgid_plural", message.msgid_plural or "")]
    texts += ((f"msgstr[{index}]", form) for index, form in enumerate(message.msgstr_plural))
    for end, test in (("begin", str.startswith), ("end", str.endswith)):
        for name, text in texts:
            if test(msgid, "\n") != test(text, "\n"):
                return f"'msgid' and '{name}' entries do not both {end} with '\\n'"
    return None


_FORMAT_CHECKED = re.compile(r"(?:possible-)?[a-z0-9+-]+-format")


def msgfmt_problem(message: Message, nplurals: int | None = None) -> str | None:
    """What ``msgfmt -c`` refuses in this entry, in its words; ``None`` if nothing. It checks
    live entries with a translation that are not fuzzy (a plural one: whose ``msgstr[0]`` is
    not empty); extrans, whose texts are no format strings, writes no format flag that would
    make it check one as such. ``nplurals`` is the catalog's (its ``Plural-Forms``), ``None``
    if it has none: then msgfmt refuses any plural entry it checks."""
    if message.obsolete or message.fuzzy or not message.msgid:
        return None
    if message.msgid_plural is None:
        if not message.msgstr:
            return None
        problem = _newline_problem(message.msgid, message.msgstr)
    else:
        if not message.msgstr_plural or not message.msgstr_plural[0]:
            return None
        if nplurals is None:
            return (
                "message catalog has plural form translations, but lacks a header entry "
                'with "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;"'
            )
        forms = len(message.msgstr_plural)
        if forms != nplurals:
            return f"nplurals = {nplurals}, but this message has {forms} plural forms"
        problem = _plural_newline_problem(message)
    checked = [flag for flag in message.flags if _FORMAT_CHECKED.fullmatch(flag)]
    if problem is None and checked:
        return f"'{checked[0]}': a format msgfmt checks, and extract never writes"
    return problem


def _checked(message: Message, nplurals: int | None) -> Message:
    """An entry ``msgfmt -c`` would refuse becomes fuzzy, its translation kept: msgfmt -c
    leaves fuzzy entries alone, build does not use them, and the translator sees it again in
    Poedit (msgmerge writes it as it is, and msgfmt -c refuses the catalog)."""
    if msgfmt_problem(message, nplurals) is None:
        return message
    return replace(message, flags=("fuzzy", *message.flags), raw=None)


def _forms(template: Message, nplurals: int | None) -> int:
    """How many ``msgstr[N]`` a plural entry has in a catalog: its ``nplurals``, or as in the
    template when the catalog says none."""
    return nplurals if nplurals is not None else len(template.msgstr_plural) or 2


class _Translation(NamedTuple):
    """A translation in the shape of an entry: ``msgstr``, or the forms of a plural one."""

    msgstr: str
    msgstr_plural: tuple[str, ...]


def _carried(template: Message, old: Message, nplurals: int | None) -> _Translation:
    """``old``'s translation in ``template``'s shape, as msgmerge carries one: a singular
    translation into every form of a plural entry, a plural one's ``msgstr[0]`` into a
    singular entry; a plural one's forms as they are."""
    if template.msgid_plural is None:
        if old.msgid_plural is None:
            return _Translation(old.msgstr, ())
        return _Translation((old.msgstr_plural[:1] or ("",))[0], ())
    if old.msgid_plural is not None:
        return _Translation("", old.msgstr_plural)
    return _Translation("", (old.msgstr,) * _forms(template, nplurals))


def fuzzy_carried(
    template: Message, old: Message, nplurals: int | None, flags: Sequence[str], was: Message
) -> Message:
    """:func:`_carried`, each form with a newline at its ends where the new msgid has one,
    fuzzy (``flags``, which hold ``fuzzy``) with ``was``'s texts as its previous ones, if
    translated as gettext counts it: a plural entry whose ``msgstr[0]`` is empty is not, and
    msgmerge writes it neither fuzzy nor with previous texts."""
    msgstr, forms = _carried(template, old, nplurals)
    translated = bool(forms[0] if forms else msgstr)
    return replace(
        template,
        msgstr=_with_ends_of(template.msgid, msgstr),
        msgstr_plural=tuple(_with_ends_of(template.msgid, form) for form in forms),
        flags=_gettext_flags(template, flags if translated else _unfuzzy(flags)),
        previous_msgid=was.msgid if translated else None,
        previous_msgctxt=was.msgctxt if translated else None,
        previous_msgid_plural=was.msgid_plural if translated else None,
    )


def _made_for(message: Message) -> Message:
    """The texts ``message``'s translation was made for: its previous ones if it is fuzzy
    and has them (msgmerge keeps them), else its own."""
    if not message.fuzzy or message.previous_msgid is None:
        return message
    return Message(
        message.previous_msgid,
        msgctxt=message.previous_msgctxt,
        msgid_plural=message.previous_msgid_plural,
    )


def merge_messages(
    old: Sequence[Message],
    template: Sequence[Message],
    *,
    threshold: float = 0.6,
    nplurals: int | None = None,
) -> MergeResult:
    """Update a catalog's messages to a new template, as ``msgmerge --previous`` does.

    A text still in the page keeps its translation (an obsolete one comes back to life);
    a text that changed takes the translation of the most similar old text (difflib ratio
    at least ``threshold``, same msgctxt), marked fuzzy, with ``#| msgid`` naming the old
    text; a text that left the page becomes obsolete (``#~``) if it had a translation.
    Unlike msgmerge, the translator's comments on an untranslated text that changed are kept:
    they go to the most similar new or changed text, found the same way, or, with none,
    stay as an obsolete entry without a translation, which comes back if the text does.
    Unlike msgmerge too, what it writes passes ``msgfmt -c`` (see :func:`_checked`,
    :func:`_with_ends_of` and :func:`_gettext_flags`).

    Plural entries (``msgid_plural``) merge as msgmerge merges them, ``nplurals`` being the
    catalog's (its ``Plural-Forms``; ``None``: as many forms as the template has): a new one
    gets ``nplurals`` empty forms; one whose msgid stays but whose ``msgid_plural`` changes,
    or that turns singular or plural, keeps its translation (see :func:`_carried`), fuzzy,
    with ``#| msgid`` and ``#| msgid_plural`` naming what it was.
    """
    live = {m.key: m for m in old if not m.obsolete}
    dead = {m.key: m for m in old if m.obsolete}
    similar_old = _FuzzyIndex(old, threshold)
    similar_notes = _FuzzyIndex(_untranslated_notes(old, template), threshold)
    used: set[int] = set()
    result: list[Message] = []
    new = changed = 0
    for entry in template:
        match = live.get(entry.key) or dead.get(entry.key)
        if match is not None:
            used.add(id(match))
            if match.msgid_plural != entry.msgid_plural:
                if match.has_translation:
                    changed += 1
                else:
                    new += 1
                result.append(
                    replace(
                        fuzzy_carried(
                            entry,
                            match,
                            nplurals,
                            ("fuzzy", *_unfuzzy(match.flags)),
                            _made_for(match),
                        ),
                        translator_comments=match.translator_comments,
                        raw=None,
                    )
                )
                continue
            msgstr, forms = _carried(entry, match, nplurals)
            fuzzy = match.fuzzy
            merged = replace(
                entry,
                msgstr=msgstr,
                msgstr_plural=forms,
                flags=_gettext_flags(entry, match.flags),
                translator_comments=match.translator_comments,
                previous_msgid=match.previous_msgid if fuzzy else None,
                previous_msgctxt=match.previous_msgctxt if fuzzy else None,
                previous_msgid_plural=match.previous_msgid_plural if fuzzy else None,
                raw=None,
            )
            result.append(_checked(_keep_raw(merged, match), nplurals))
            continue
        similar = similar_old.most_similar(entry)
        note = similar_notes.most_similar(entry)
        if note is not None:  # (it moves: keys are unique among old entries, live or not)
            used.add(id(live.get(note.key) or dead[note.key]))
        if similar is None:
            new += 1
            comments = note.translator_comments if note is not None else ()
            forms = ("",) * _forms(entry, nplurals) if entry.plural else ()
            result.append(
                replace(entry, msgstr_plural=forms, translator_comments=comments, raw=None)
            )
            continue
        used.add(id(similar))
        changed += 1
        flags = ("fuzzy", *_unfuzzy(similar.flags))
        comments = similar.translator_comments
        if note is not None:
            comments += tuple(c for c in note.translator_comments if c not in comments)
        result.append(
            replace(
                fuzzy_carried(entry, similar, nplurals, flags, similar),
                translator_comments=comments,
                raw=None,
            )
        )
    obsoleted = 0
    for message in old:
        if id(message) in used or not (message.has_translation or _is_note(message)):
            continue
        obsoleted += not message.obsolete
        gone = replace(message, obsolete=True, extracted_comments=(), references=(), raw=None)
        result.append(_keep_raw(gone, message))
    return MergeResult(tuple(result), new, changed, obsoleted)
