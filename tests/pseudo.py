"""Pseudo-translation: every ASCII letter changed (ROT13), markup and destinations kept."""

from __future__ import annotations

import codecs
import re

_KEEP = re.compile(
    r"`+[^`]*`+|\]\([^)]*\)|\]\[[^\]]*\]|\{\{.*?\}\}|<[^<>]*>|</?[A-Za-z][\w-]*|\\.|&\w+;|https?://\S+",
    re.DOTALL,
)


def pseudo(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _KEEP.finditer(text):
        out += [codecs.encode(text[position : match.start()], "rot13"), match[0]]
        position = match.end()
    out.append(codecs.encode(text[position:], "rot13"))
    return "".join(out)
