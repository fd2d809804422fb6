"""Hugo shortcode calls in a page body, found as Hugo's page lexer finds them.

Hugo reads every ``{{< name args >}}`` and ``{{% name args %}}`` of a page before Goldmark sees
it, wherever it stands (in a paragraph, a code block or a code span), on one line or many, and
hands Goldmark a placeholder word in its place. ``{{</* ... */>}}`` is not a call: Hugo writes
it out as text without its comment markers. This module finds the calls with their arguments
and pairs opening and closing calls; :func:`hidden_calls` gives the body as Goldmark sees its
shape, each call a run of placeholder characters, every line break kept.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = [
    "PLACEHOLDER",
    "Argument",
    "Call",
    "Delimiter",
    "Pair",
    "Quote",
    "broken_calls",
    "find_calls",
    "find_pairs",
    "hidden_calls",
    "holds_data",
    "written_argument",
]

Delimiter = Literal["<", "%"]
Quote = Literal['"', "`", ""]

PLACEHOLDER = "X"
"""What stands for each character of a call in :func:`hidden_calls`: a letter, as Hugo's own
placeholder (``HAHAHUGOSHORTCODE...``) is letters, so that no block syntax can start there."""

_OPENER = re.compile(r"\{\{[<%]")
_SPACE = re.compile(r"\s*")
_NAME = re.compile(r"[^\W][\w/-]*(?:\.inline)?")
_ARGUMENT = re.compile(
    r"""(?:(?P<name>[\w-]+)=)?
        (?: "(?P<quoted>(?>[^"\\\n]|\\"|\\)*+)"   # only \" is an escape, as Hugo reads it
          | `(?P<raw>[^`]*)`
          | (?P<bare>(?:(?![>%]\}\})[^\s"`=])+) )""",
    re.VERBOSE,
)


_DATA_START = re.compile(
    r"""[ \t]*(?: [{\[]                        # JSON, a TOML table header, a YAML flow list
              | [\w"'.-]+[ \t]*=            # a TOML key
              | [\w.-]+:(?:[ \t]|$)          # a YAML key
              | -[ \t] )""",
    re.VERBOSE | re.MULTILINE,
)
"""How the first line of data starts (comments and blank lines aside)."""
_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*")
_BARE_VALUE = re.compile(r"[\w.-]+")
"""A value that needs no quotes."""
_FRONT_MATTER = re.compile(r"[ \t]*(---|\+\+\+)[ \t]*\r?\n(.*)\n[ \t]*\1[ \t]*", re.DOTALL)
"""Data between front-matter fences, as a page would hold it."""
_SEVERAL_WORDS = re.compile(r"\S\s+\S")


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a call."""

    name: str | None
    """Its name (``caption`` in ``caption="..."``), ``None`` for a positional argument."""
    position: int
    """Its place among the call's arguments, from 0."""
    value: str
    """What the template gets: the text between the quotes, ``\\"`` read as ``"``."""
    start: int
    """Offset of the value as written, its opening quote included."""
    end: int
    """Offset just past the value as written, its closing quote included."""
    quote: Quote
    """How the value is written: ``"..."``, ```...``` (raw, over lines too) or bare."""


@dataclass(frozen=True, slots=True)
class Call:
    """One call, or one escaped call (``{{</* ... */>}}``, text to Hugo)."""

    start: int
    """Offset of its ``{{``."""
    end: int
    """Offset just past its ``}}``."""
    name: str
    """The shortcode (``figure``, ``blocks/cover``); empty for an escaped call."""
    delimiter: Delimiter
    """``<`` (output placed after Markdown) or ``%`` (output read as Markdown)."""
    closing: bool = False
    """Whether it closes a paired call: ``{{< /name >}}``."""
    self_closing: bool = False
    """Whether it closes itself: ``{{< name />}}``."""
    arguments: tuple[Argument, ...] = ()
    escaped: bool = False
    """Whether it is ``{{</* ... */>}}``, which Hugo writes out as text."""


@dataclass(frozen=True, slots=True)
class Pair:
    """An opening call and the closing call that ends it."""

    opening: Call
    closing: Call

    @property
    def inner(self) -> tuple[int, int]:
        """The span of the content between the two calls."""
        return self.opening.end, self.closing.start


@lru_cache(maxsize=16)
def find_calls(text: str) -> tuple[Call, ...]:
    """Every call of ``text``, in order. A ``{{<`` or ``{{%`` that does not start a call Hugo
    would read (no name, an unclosed quote, no closing delimiter) is left as text: Hugo
    refuses such a page, and extrans leaves the refusal to it."""
    if "{{" not in text:
        return ()
    calls: list[Call] = []
    position = 0
    while opener := _OPENER.search(text, position):
        call = _call_at(text, opener.start())
        if call is None:
            position = opener.start() + 1
        else:
            calls.append(call)
            position = call.end
    return tuple(calls)


def broken_calls(text: str) -> list[str]:
    """The ``{{<`` and ``{{%`` of ``text`` that start no call (Hugo refuses the page), each
    with what follows it on its line."""
    if "{{" not in text:
        return []
    calls = find_calls(text)
    broken = []
    for opener in _OPENER.finditer(text):
        at = opener.start()
        if not any(call.start <= at < call.end for call in calls):
            broken.append(text[at:].split("\n", 1)[0])
    return broken


def _call_at(text: str, start: int) -> Call | None:
    delimiter: Delimiter = "<" if text[start + 2] == "<" else "%"
    right = delimiter + "}}" if delimiter == "%" else ">}}"
    position = start + 3
    if text.startswith("/*", position):
        end = text.find("*/" + right, position + 2)
        if end < 0:
            return None
        return Call(start, end + 5, "", delimiter, escaped=True)
    position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
    closing = text.startswith("/", position)
    if closing:
        position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
    name = _NAME.match(text, position)
    if name is None:
        return None
    position = name.end()
    arguments: list[Argument] = []
    while True:
        after_space = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        if text.startswith(right, after_space):
            end, self_closing = after_space + 3, False
            break
        if text.startswith("/", after_space):
            close = _SPACE.match(text, after_space + 1).end()  # type: ignore[union-attr]
            if text.startswith(right, close):
                end, self_closing = close + 3, True
                break
        argument = _ARGUMENT.match(text, after_space)
        if argument is None or closing:
            return None
        arguments.append(_argument(argument, len(arguments)))
        position = argument.end()
    return Call(
        start, end, name[0], delimiter, closing, self_closing, tuple(arguments), escaped=False
    )


def _argument(match: re.Match[str], position: int) -> Argument:
    for group, quote in (("quoted", '"'), ("raw", "`"), ("bare", "")):
        value = match[group]
        if value is not None:
            start = match.start(group) - len(quote)
            if quote == '"':
                value = value.replace('\\"', '"')
            return Argument(match["name"], position, value, start, match.end(), quote)  # type: ignore[arg-type]
    raise AssertionError("an argument has a value")


def find_pairs(calls: tuple[Call, ...]) -> tuple[Pair, ...]:
    """The paired calls: each closing call with the nearest opening call of its name still
    open before it, in the order of the openings."""
    pairs: list[Pair] = []
    open_calls: list[Call] = []
    for call in calls:
        if call.escaped or call.self_closing:
            continue
        if not call.closing:
            open_calls.append(call)
            continue
        for index in range(len(open_calls) - 1, -1, -1):
            if open_calls[index].name == call.name:
                pairs.append(Pair(open_calls.pop(index), call))
                break
    return tuple(sorted(pairs, key=lambda pair: pair.opening.start))


def hidden_calls(text: str, calls: tuple[Call, ...]) -> str:
    """``text`` shaped as Goldmark sees it: each call's characters but its line breaks made
    :data:`PLACEHOLDER`, as Hugo puts a placeholder word in its place; an escaped call's
    comment markers made spaces, as Hugo drops them. An opening or closing call of a pair
    alone on its lines becomes an HTML comment, a block of its own: Goldmark sees one
    placeholder for a whole pair of ``{{< >}}`` calls, never the lines between them as part
    of the text around it, and a pair of ``{{% %}}`` calls puts its template's output, as a
    rule a block of HTML, in their place. Offsets and lines stay those of ``text``."""
    if not calls:
        return text
    ends = {id(call) for pair in find_pairs(calls) for call in (pair.opening, pair.closing)}
    out: list[str] = []
    position = 0
    for call in calls:
        out.append(text[position : call.start])
        hidden = _PLACEHOLDERS.sub(PLACEHOLDER, text[call.start : call.end])
        if id(call) in ends and _alone(text, call) and "\n" not in hidden[:4]:
            out.append(f"<!--{hidden[4:-3]}-->")
        elif call.escaped:  # ("{{<" and ">}}" stay, "/*" and "*/" go)
            out += [text[call.start : call.start + 3], "  ", text[call.start + 5 : call.end - 5]]
            out += ["  ", text[call.end - 3 : call.end]]
        else:
            out.append(hidden)
        position = call.end
    out.append(text[position:])
    return "".join(out)


_PLACEHOLDERS = re.compile(r"[^\r\n]")


def _alone(text: str, call: Call) -> bool:
    """Whether ``call`` has only spaces and tabs before it and after it on its lines."""
    line_start = max(text.rfind("\n", 0, call.start), text.rfind("\r", 0, call.start)) + 1
    after = _LINE_REST.match(text, call.end)
    return not text[line_start : call.start].strip(" \t") and after is not None


_LINE_REST = re.compile(r"[ \t]*(?:\r|\n|$)")


def holds_data(text: str) -> bool:
    """Whether ``text`` (a paired shortcode's content, the calls in it hidden) is data rather
    than prose: JSON (an object or a list), a TOML table, or YAML that is a mapping of names to
    data (front matter between fences; a number, a list or a table among its values; or only
    one-word values under lowercase names: ``Note: Keep your hips still`` and ``Warning:
    deprecated`` are prose) or a list of such data (a Markdown list, even of single words, is
    prose)."""
    text = text.strip("\r\n")
    fenced = _FRONT_MATTER.fullmatch(text)
    if fenced:
        text = fenced[2]
    start = _COMMENTS.match(text).end()  # type: ignore[union-attr]
    if not _DATA_START.match(text, start):
        return False
    stripped = text.strip()
    if stripped[:1] in "{[":
        try:
            return isinstance(json.loads(stripped), dict | list)
        except (ValueError, RecursionError):
            pass
    try:
        return bool(tomllib.loads(text))
    except (ValueError, RecursionError):
        pass
    # (imported here: most pages hold no YAML in a shortcode, and the import is not free)
    import yaml

    try:
        value = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError, RecursionError):
        return False
    if isinstance(value, dict):
        if not all(isinstance(key, str) and not _SEVERAL_WORDS.search(key) for key in value):
            return False
        texts = [item for item in value.values() if isinstance(item, str)]
        if fenced or len(texts) < len(value):
            return True  # front matter; or a number, a list, a table... among the values
        lowercase = all(key[:1].islower() for key in value)  # (names, not "Note:")
        return lowercase and not any(_SEVERAL_WORDS.search(text) for text in texts)
    return isinstance(value, list) and bool(value) and not any(isinstance(v, str) for v in value)


def written_argument(written: str, value: str) -> str | None:
    """How to write ``value`` in place of an argument written ``written`` so that Hugo reads
    it back as ``value``: in the same quoting where that can hold it (bare only for a word,
    ``"..."`` with each ``"`` escaped unless a backslash would then escape a quote, ```...```
    unless it holds a backquote), else in the other quotes; ``None`` where neither can."""
    quote = written[:1] if written[:1] in ('"', "`") else ""
    if quote == "" and _BARE_VALUE.fullmatch(value):
        return value
    raw = f"`{value}`" if "`" not in value else None
    quoted = None
    if "\n" not in value and not value.endswith("\\") and '\\"' not in value:
        quoted = '"' + value.replace('"', '\\"') + '"'
    return (raw or quoted) if quote == "`" else (quoted or raw)
