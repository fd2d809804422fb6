"""Bare URLs as Hugo reads them: its Markdown renderer, Goldmark, has the linkify extension on
by default, and turns ``https://x.org``, ``http://``, ``ftp://``, ``www.x.org`` and e-mail
addresses written in plain text into links.

Goldmark tries a bare URL only where a line starts, after a space, after ``*``, ``_``, ``~``
or ``(``, and right after any other piece of inline markup (a code span, a link, a tag, an
emphasis marker, a typographic quote or dash); never inside a link's text, a code span or an
autolink. What it takes is decided by patterns on the bytes as written, then trimmed of
trailing punctuation. This module reads a text's inline tokens (markdown-it's, with escapes
and entities kept as written) the same way; tests/test_hostile_translations.py has Hugo
judge it on the edge cases. One difference is known: Goldmark's URL pattern runs on into a
code span written right after the URL (``https://x.org/`a` `` links ``https://x.org/`a```),
while here the URL ends where the code span starts; the code span must come back unchanged
anyway (``code-span``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["MAYBE_BARE_URL", "bare_urls"]

MAYBE_BARE_URL = re.compile(r"://|www\.|@")
"""Found in every text that holds a bare URL (a quick test before the tokens are read)."""

_URL = re.compile(
    r"(?:http|https|ftp)://[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+(?::[0-9]+)?"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#$!?&/=();,'\">^{}\[\]`]*)?"
)
_WWW = re.compile(
    r"www\.[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+"
    r"(?:[/#?][-a-zA-Z0-9@:%_+.~#!?&/=();,'\">^{}\[\]`]*)?"
)
_EMAIL_LOCAL = re.compile(r"[-!#$%&'*+./0-9=?A-Z^_`a-z{|}~]+@")
_EMAIL_DOMAIN = re.compile(
    r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
_ENTITY_END = re.compile(r"&[a-zA-Z0-9]+;$")
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
"""ASCII punctuation, as Goldmark counts it."""
_STARTS = frozenset(" *_~(")
"""The characters after which a bare URL may start."""
_TRAILING = "?!.,:*_~"
_TYPOGRAPHIC = re.compile(r"---|\.\.\.|--|<<|>>")
"""What Hugo's typographer turns into one character: a bare URL may start right after it."""
_MARKS = frozenset(" *_~([]\\\"'.<>-")
"""The characters that start something in :func:`_scan` (anywhere but where a line or a
piece of markup ends)."""
_MARK = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")
_BRACKET = re.compile(r"\\[!-/:-@\[-`{-~]|[\[\]]")
"""A bracket, or an escaped mark (which is none)."""


def bare_urls(tokens: Sequence[Token]) -> list[str]:
    """The bare URLs Hugo would link in the text whose inline tokens (``text_join`` off, so
    that escapes and entities keep the markup they were written with) are ``tokens``, as
    written: ``https://x.org/a``, ``www.x.org``, ``name@x.org``."""
    found: list[str] = []
    run: list[str] = []
    in_link = 0
    labels = 0  # brackets opened in text and not closed: a link's text, as Goldmark reads on
    for token in tokens:
        if token.type in ("text", "text_special"):
            run.append(token.markup if token.type == "text_special" else token.content)
            continue
        if run:
            labels = _scan("".join(run), labels, found, linking=not in_link)
            run = []
        if token.type == "link_open":
            in_link += 1
        elif token.type == "link_close":
            in_link -= 1
    if run:
        _scan("".join(run), labels, found, linking=not in_link)
    return found


def _scan(text: str, labels: int, found: list[str], *, linking: bool) -> int:
    """Add to ``found`` the bare URLs of ``text``, a stretch of one line between two pieces of
    inline markup (so its start is where a URL may start); ``labels`` brackets are open.
    Returns how many are open after it."""
    if not linking or MAYBE_BARE_URL.search(text) is None:
        for bracket in _BRACKET.finditer(text):
            labels = labels + 1 if bracket[0] == "[" else max(0, labels - 1)
        return labels
    head = 0  # where Goldmark starts looking afresh (after a piece of markup)
    index = 0
    quotes = {'"': 0, "'": 0}
    while index < len(text):
        char = text[index]
        if index == head and not labels and char not in _PUNCTUATION and char != " ":
            url = _bare_url(text[index:])
            if url is not None:
                found.append(url)
                index = head = index + len(url)
                continue
        if char not in _MARKS:  # nothing starts here: on to the next mark
            mark = _MARK.search(text, index + 1)
            if mark is None:
                break
            index = mark.start()
            continue
        if char == "\\" and text[index + 1 : index + 2] in _PUNCTUATION:
            index += 2  # an escaped mark starts nothing
            continue
        if char == "[":
            labels += 1
        elif char == "]":
            labels = max(0, labels - 1)
        if char in _STARTS and not labels:
            url = _bare_url(text[index + 1 :])
            if url is not None:
                found.append(url)
                index = head = index + 1 + len(url)
                continue
        typographic = _TYPOGRAPHIC.match(text, index)
        if typographic is not None:
            index = head = typographic.end()
            continue
        if char in "*_~" or (char in quotes and _is_quote_mark(text, index, quotes)):
            head = index + 1
        index += 1
    return labels


def _is_quote_mark(text: str, index: int, open_quotes: dict[str, int]) -> bool:
    """Whether Hugo's typographer makes the quote at ``index`` a curly quote (a piece of
    markup a URL may follow): one that opens, or closes one opened before."""
    char = text[index]
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    after_space, before_space = after.isspace(), before.isspace()
    left = not after_space and (after not in _PUNCTUATION or before_space or before in _PUNCTUATION)
    right = not before_space and (
        before not in _PUNCTUATION or after_space or after in _PUNCTUATION
    )
    if char == "'" and before.isalnum() and after.isalpha():
        return True  # an apostrophe
    if left and not right:
        open_quotes[char] += 1
        return True
    if right and open_quotes[char]:
        open_quotes[char] -= 1
        return True
    return False


def _bare_url(line: str) -> str | None:
    """The bare URL at the start of ``line``, as Goldmark's linkify takes it."""
    end = _url_end(line) or _email_end(line)
    if end is None:
        return None
    while end > 1 and line[end - 1] in _TRAILING:
        end -= 1
    return line[:end]


def _url_end(line: str) -> int | None:
    match = _URL.match(line) or _WWW.match(line)
    if match is None:
        return None
    end = match.end()
    last = line[end - 1]
    if last == ".":
        end -= 1
    elif last == ")":
        unclosed = line.count(")", 0, end) - line.count("(", 0, end)
        if unclosed > 0:
            end -= unclosed
    elif last == ";":
        entity = _ENTITY_END.search(line, 0, end)
        if entity is not None:
            end = entity.start()
    return end


def _email_end(line: str) -> int | None:
    if not line or line[0] in _PUNCTUATION:
        return None
    local = _EMAIL_LOCAL.match(line)
    if local is None:
        return None
    domain = _EMAIL_DOMAIN.match(line, local.end())
    if domain is None or "." not in line[local.end() - 1 : domain.end() - 1]:
        return None
    end = domain.end()
    if line[end - 1] == ".":
        end -= 1
    if line[end : end + 1] in ("-", "_"):
        return None
    return end
