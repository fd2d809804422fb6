"""Pseudo-translation: a text a team can build and render to test its layouts before any
translator starts. Prose letters become accented ones, the text grows by about a third and
is bracketed (``Stretch the hamstrings`` → ``⟦Ŝţŕéţçĥ ţĥé ĥàmšţŕîñĝš !!! !⟧``), so that text
left untranslated, cut off or run together shows at a glance; markup is left exactly as it
is, so every check of ``extrans check`` and ``build`` passes on the result."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from .catalog import Message, reference_labels

__all__ = ["PSEUDO_FIELD", "pseudo_messages", "pseudo_translate"]

PSEUDO_FIELD = "X-Extrans-Pseudo"
"""The header field that marks a catalog ``extrans pseudo`` filled: only such a catalog, or
one without any translation, may be filled again."""

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçďéƒĝĥîĵķĺmñöþǫŕšţûṽŵẋýžÀƁÇĎÉƑĜĤÎĴĶĹMÑÖÞǪŔŜŢÛṼŴẊÝŽ",
)
"""One precomposed letter for each ASCII letter: the text keeps its length in characters, and
a letter stays a letter for Markdown's emphasis rules."""

_KEEP = re.compile(
    r"""(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)          # a code span
      | \$\$[\s\S]+?\$\$                       # display math
      | \\{1,2}\([\s\S]+?\\{1,2}\)               # math in \( \) (\\( in Markdown)
      | \\{1,2}\[[\s\S]+?\\{1,2}\]               # and in \[ \]
      | \$(?=[^\s$])[^$\n]*(?<=[^\s$\\])\$(?!\d)  # inline math, not two prices
      | \{\{[\s\S]*?\}\}                       # a shortcode or template call
      | \{[^{}\n]*\}                           # an attribute list, a {placeholder}
      | <!--[\s\S]*?-->                        # an HTML comment
      | </?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>      # an HTML tag
      | <[^<>\s]+>                             # an autolink
      | </?[A-Za-z][\w-]*                      # a tag's name when it ends on another line
      | \]\((?:[^()]|\([^()]*\))*\)            # a link or image destination (and title)
      | \]\[[^\[\]]*\]                         # a reference label
      | \[[^\[\]]*\]\[\]                       # a collapsed reference, whose text is its label
      | \[\^[^\[\]\s]+\]                       # a footnote label
      | \\.                                    # a backslash escape, a hard line break
      | &(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]*);  # a character reference
      | (?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^\s<>{}]* | www\.[^\s<>{}]+   # a URL, which Hugo links
      | (?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+                      # an e-mail address
      | %(?:\d+\$|\([\w-]+\))?[-+\x20\#0]*\d*(?:\.\d+)?[sdifuxXoeEgGcr%]  # printf placeholder
    """,
    re.VERBOSE,
)
"""What a pseudo-translation leaves as it is: everything a reader does not read as prose, and
everything ``extrans check`` wants back unchanged."""

_GROUP = "!!!"
"""The padding, in groups a layout can break between. Not ``~``: two of them are a
strikethrough marker, which the translation would then have unbalanced."""


_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s|/?>|$)")
"""An HTML tag (not an autolink)."""
_OPEN, _CLOSE = "\u27e6", "\u27e7"
"""The brackets, ⟦ and ⟧: ``[`` and ``]`` are Markdown (a bracketed text can become a
reference link, and an image's alt text with brackets in it is no longer an image's)."""

_TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")
"""A task list item's box, which must stay at the start of its text."""

_LINKED = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//|www\.|(?:mailto:)?[\w.+-]+@")
"""A text starting with a bare URL or address, which Hugo links only after a space."""


def pseudo_translate(text: str, labels: Sequence[str] = ()) -> str:
    """``text`` pseudo-translated: its prose letters accented, about a third longer, between
    brackets; its markup, and its leading and trailing whitespace, as they were. A text of
    markup alone (a formula) is bracketed too: the page shows that it went through. Its
    shortcut references with ``labels`` (``[the guide]``, whose text is their label) stay
    as they are."""
    core_start = len(text) - len(text.lstrip())
    box = _TASK_BOX.match(text, core_start)
    core_start = core_start if box is None else box.end()
    core_end = len(text.rstrip())
    if core_start >= core_end:
        return text
    core_start, core_end = _within_calls_and_tags(text, core_start, core_end)
    pieces: list[str] = []
    position = core_start
    keep = _keeping(tuple(labels)) if labels else _KEEP
    for match in keep.finditer(text, core_start, core_end):
        pieces += [text[position : match.start()].translate(_ACCENTED), match[0]]
        position = match.end()
    pieces.append(text[position:core_end].translate(_ACCENTED))
    core = "".join(pieces)
    opening = _OPEN + " " if _LINKED.match(core) else _OPEN
    bangs = max(1, (core_end - core_start) // 3 - 3)
    padding = " ".join(_GROUP[: min(3, bangs - i)] for i in range(0, bangs, 3))
    # (the padding comes after a space: never after a backslash that would escape it)
    return f"{text[:core_start]}{opening}{core} {padding}{_CLOSE}{text[core_end:]}"


def _within_calls_and_tags(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text[start:end]`` between the shortcode calls and HTML tags it starts or
    ends with, where prose is left: a bracket before a leading call would put text where a
    translator puts none, and turn the block the call's output starts into a paragraph. The
    whole span where it is markup alone."""
    edges = [
        m for m in _KEEP.finditer(text, start, end) if m[0].startswith("{{") or _TAG.match(m[0])
    ]
    inner_start, inner_end = start, end
    for match in edges:
        if match.start() != inner_start:
            break
        inner_start = len(text) - len(text[match.end() :].lstrip(" \t"))
    for match in reversed(edges):
        if match.end() != inner_end or match.start() < inner_start:
            break
        inner_end = len(text[: match.start()].rstrip(" \t"))
    return (inner_start, inner_end) if inner_start < inner_end else (start, end)


@lru_cache(maxsize=256)
def _keeping(labels: tuple[str, ...]) -> re.Pattern[str]:
    """``_KEEP``, and the shortcut references with ``labels`` first."""
    written = (r"\s+".join(map(re.escape, label.split())) for label in labels)
    return re.compile(rf"\[(?:{'|'.join(written)})\](?:\[\])? | {_KEEP.pattern}", re.VERBOSE)


def pseudo_messages(messages: Sequence[Message]) -> tuple[Message, ...]:
    """Every live entry of a catalog with its text pseudo-translated, current (not fuzzy, no
    previous text); obsolete entries as they were."""
    out: list[Message] = []
    for message in messages:
        if message.obsolete or not message.msgid:
            out.append(message)
            continue
        labels = reference_labels(message.extracted_comments)
        translation = pseudo_translate(message.msgid, labels)
        forms = message.msgstr_plural
        if message.msgid_plural is not None:  # (the first form the msgid's, if one of several)
            many = pseudo_translate(message.msgid_plural, labels)
            forms = (translation, *[many] * (len(forms) - 1)) if len(forms) > 1 else (many,)
            translation = ""
        flags = tuple(flag for flag in message.flags if flag != "fuzzy")
        if (
            translation == message.msgstr
            and forms == message.msgstr_plural
            and flags == message.flags
            and message.previous_msgid is None
            and message.previous_msgctxt is None
            and message.previous_msgid_plural is None
        ):
            out.append(message)
            continue
        out.append(
            replace(
                message,
                msgstr=translation,
                msgstr_plural=forms,
                flags=flags,
                previous_msgid=None,
                previous_msgctxt=None,
                previous_msgid_plural=None,
                raw=None,
            )
        )
    return tuple(out)
