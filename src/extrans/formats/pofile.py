"""Read PO/POT text into a :class:`Catalog`, and write a catalog as gettext's ``msgcat`` would.

Reading keeps each entry's text, so an entry that did not change is written back byte for
byte however a translator's tool wrapped it; new and changed entries are written the way
``msgcat --width=W`` writes them, W being what Poedit would guess for the file.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import EXCERPT, CatalogError, conflict_marker_line, excerpt, file_problem, line_of
from ..model import TextKey
from ..plumbing.fsio import read_inside
from .catalog import Catalog, Header, Message
from .po_wrap import detect_width, format_references, format_string

__all__ = [
    "KNOWN_FLAG",
    "decode_catalog",
    "format_catalog",
    "format_entries",
    "format_header",
    "format_message",
    "parse_po",
    "read_catalog",
]

KNOWN_FLAG = re.compile(
    r"fuzzy|no-wrap|wrap|range: *\d+\.\.\d+|(?:no-|possible-|impossible-)?[a-z0-9+-]+-format"
)
# gettext's lexer reads a line as tokens separated by these; other spaces are text in a
# string or a comment, and an error elsewhere.
_BLANK = " \t\r\f\v"
# Characters that str.splitlines() or str.split() take for line breaks or spaces, but that
# gettext keeps inside a line like any other (U+2028 in a msgstr, a form feed in a comment).
_KEPT = "\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
# What separates the words of a line: the str.isspace() characters but those.
_SPACE = (
    "\t\n\x1f \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_WORD = re.compile(f"[^{_SPACE}]+")
# A line of strings: a keyword and its first string, or a string continuing it. (gettext
# reads tokens, and also takes a keyword and its string on two lines, or two strings on one
# line: no tool writes them, and extrans refuses them.)
_STRING_LINE = re.compile(
    rf'([A-Za-z_$][A-Za-z0-9_$]*(?:\[([0-9]+)\])?[{_BLANK}]+)?("(?:[^"\\]|\\.)*")[{_BLANK}]*'
)

# The lines gettext writes, classified at once: reading them with :func:`_lex` costs a build
# 16% more instructions (bench/README.md).
_USUAL_LINE = re.compile(
    r'(?:(msgctxt|msgid|msgstr) )?("[^"\\]*(?:\\.[^"\\]*)*")[ \t]*'
    rf"|(#[.:,]?) .*[^{_SPACE}]"
)
_USUAL_KIND: dict[str | None, str] = {
    None: "string", "msgctxt": "msgctxt", "msgid": "msgid", "msgstr": "msgstr",
    "#": "comment", "#.": "extracted", "#:": "reference", "#,": "flags",
}  # fmt: skip
_COMMENT_KIND = {".": "extracted", ":": "reference", ",": "flags", "!": "flags"}
_KEYWORD_KIND = {"msgctxt": "msgctxt", "msgid": "msgid", "msgid_plural": "msgid_plural"}
_PREVIOUS_KIND = {keyword: f"prev_{kind}" for keyword, kind in _KEYWORD_KIND.items()}
_KEYWORD_KIND |= {"msgstr": "msgstr"}
# Only these escapes mean something to gettext: a backslash before any other character is
# an error. An octal or hexadecimal escape is a byte of the UTF-8 text.
_ESCAPE = re.compile(r'\\(?:([\\ntrvbfa"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))', re.DOTALL)
_NUMERIC = re.compile(r"\\[0-7x]")
_ESCAPED = {
    "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a",
    '"': '"',
}  # fmt: skip
_SEPARATOR = (
    "a string holds the control character U+0004, gettext's context separator, which it "
    "refuses; remove it"
)

# gettext's grammar of an entry: a kind of line → the states it may follow. The state is the
# kind of the last line of strings read; ``idle`` between entries and after comments. A
# ``string`` (``prev_string``) line continues the string before it and keeps the state.
_BETWEEN = ("idle", "msgstr", "msgstr_n")
_FOLLOWS = {
    "comment": _BETWEEN,
    "prev_msgctxt": _BETWEEN,
    "prev_msgid": (*_BETWEEN, "prev_msgctxt"),
    "prev_msgid_plural": ("prev_msgid",),
    "msgctxt": (*_BETWEEN, "prev_msgid", "prev_msgid_plural"),
    "msgid": (*_BETWEEN, "prev_msgid", "prev_msgid_plural", "msgctxt"),
    "msgid_plural": ("msgid",),
    "msgstr": ("msgid",),
    "msgstr_n": ("msgid_plural", "msgstr_n"),
    "prev_string": ("prev_msgctxt", "prev_msgid", "prev_msgid_plural"),
    "string": ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_n"),
}
_COMMENTS = frozenset(("comment", "extracted", "reference", "flags"))
# (kind of line, state) → the state after it; a pair not here is a syntax error. A comment
# ends an entry; a string keeps the state.
_NEXT = {(kind, state): kind for kind, states in _FOLLOWS.items() for state in states}
_NEXT |= {(kind, state): "idle" for kind in _COMMENTS for state in _FOLLOWS["comment"]}
_NEXT |= {(kind, state): state for kind in ("string", "prev_string") for state in _FOLLOWS[kind]}
# Kinds of line that start a new entry when they follow a msgstr.
_OPENING = _COMMENTS | {"prev_msgctxt", "prev_msgid", "msgctxt", "msgid"}
_AFTER_MSGSTR = frozenset(("msgstr", "msgstr_n"))


class _LineError(Exception):
    """What is wrong with a line, as a message says it."""


@dataclass(slots=True)
class _Entry:
    """An entry being read."""

    line: int
    """The line that opened the entry (0 until one has)."""
    offset: int
    """Where that line starts in the text."""
    end: int = sys.maxsize
    """Where its text ends: where the next entry starts."""
    msgctxt: str | None = None
    msgid: str = ""
    msgstr: str = ""
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    header_pieces: list[str] | None = None
    """The msgstr's strings as written, if the msgid is empty."""
    translator: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool | None = None
    """Whether its lines of strings are ``#~`` lines (None before the first)."""


@dataclass(slots=True)
class _Reader:
    """The state of :func:`_read_entries` between two lines."""

    entry: _Entry
    state: str = "idle"


class _Line(NamedTuple):
    """A line as gettext's lexer reads it."""

    kind: str | None
    """A kind of :data:`_FOLLOWS` (or of comment); None: a line of nothing (``#~``)."""
    text: str
    """A comment line from its ``#``, or the string with its quotes."""
    obsolete: bool = False
    form: int | None = None
    """The N of a ``msgstr[N]`` line."""


def _decode_escape(match: re.Match[str]) -> str:
    simple, octal, hexadecimal, other = match.groups()
    if simple is not None:
        return _ESCAPED[simple]
    if other is not None:
        raise _LineError(
            f"a string holds {excerpt(match[0])}, an escape gettext refuses; "
            "write a backslash as \\\\"
        )
    byte = int(octal, 8) if octal is not None else int(hexadecimal, 16)
    byte &= 0xFF  # as gettext keeps it
    if byte == 0:
        raise _LineError(
            f"the escape {excerpt(match[0])} is a NUL character, at which gettext cuts "
            "the string; remove it"
        )
    # A byte of a UTF-8 sequence, put together in :func:`_unescape`.
    return chr(byte) if byte < 0x80 else chr(0xDC00 + byte)


def _unescape(body: str) -> str:
    """A string's text, escapes read as gettext reads them; a :class:`_LineError` for an
    escape gettext refuses, or one that leaves the text no UTF-8."""
    if "\\" not in body:
        value = body
    else:
        value = _ESCAPE.sub(_decode_escape, body)
        if _NUMERIC.search(body):
            try:
                value = value.encode("utf-8", "surrogateescape").decode("utf-8")
            except UnicodeError:
                raise _LineError(
                    "octal or \\x escapes in a string make bytes that are not UTF-8; "
                    "write the characters themselves"
                ) from None
    if "\x04" in value:
        raise _LineError(_SEPARATOR)
    return value


def _lex(line: str) -> _Line:
    """What gettext's lexer makes of a line (without its line end); a :class:`_LineError`
    for a line it refuses, or one that extrans refuses (see :data:`_STRING_LINE`)."""
    rest = line.lstrip(_BLANK)
    obsolete = previous = False
    while rest[:2] in ("#~", "#|"):
        obsolete |= rest[1] == "~"
        previous |= rest[1] == "|" or rest[2:3] == "|"
        rest = rest[3 if rest[:3] == "#~|" else 2 :].lstrip(_BLANK)
    if not rest:
        return _Line(None, rest, obsolete)
    if rest[0] == "#":
        return _Line(_COMMENT_KIND.get(rest[1:2], "comment"), rest, obsolete)
    match = _STRING_LINE.fullmatch(rest)
    if match is None:
        raise _LineError(f"cannot parse this line: {excerpt(line)}")
    keyword = (match[1] or "").rstrip(_BLANK)
    if not keyword:
        return _Line("prev_string" if previous else "string", match[3], obsolete)
    kinds = _PREVIOUS_KIND if previous else _KEYWORD_KIND
    if match[2] is not None and not previous and keyword.startswith("msgstr["):
        digits = match[2].lstrip("0") or "0"  # (a huge index is a wrong one)
        return _Line("msgstr_n", match[3], obsolete, int(digits) if len(digits) < 10 else -1)
    if keyword not in kinds:
        raise _LineError(f"cannot parse this line: {excerpt(line)}")
    return _Line(kinds[keyword], match[3], obsolete)


# One handler per kind of line: each reads the line into the entry being read.


def _on_string(reader: _Reader, text: str) -> None:
    piece = text[1:-1]
    value = _unescape(piece)
    entry, state = reader.entry, reader.state
    if state == "msgstr":
        entry.msgstr += value
        if entry.header_pieces is not None:
            entry.header_pieces.append(piece)
    elif state == "msgid":
        entry.msgid += value
    elif state == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif state == "prev_msgid":
        entry.previous_msgid = (entry.previous_msgid or "") + value
    elif state == "prev_msgctxt":
        entry.previous_msgctxt = (entry.previous_msgctxt or "") + value
    elif state == "msgstr_n":
        entry.msgstr_plural = (*entry.msgstr_plural[:-1], entry.msgstr_plural[-1] + value)
    elif state == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    elif state == "prev_msgid_plural":
        entry.previous_msgid_plural = (entry.previous_msgid_plural or "") + value


def _on_msgid(reader: _Reader, text: str) -> None:
    reader.entry.msgid = _unescape(text[1:-1])


def _on_msgstr(reader: _Reader, text: str) -> None:
    entry = reader.entry
    entry.msgstr = _unescape(text[1:-1])
    entry.header_pieces = [text[1:-1]] if entry.msgid == "" else None


def _on_msgctxt(reader: _Reader, text: str) -> None:
    reader.entry.msgctxt = _unescape(text[1:-1])


def _on_prev_msgid(reader: _Reader, text: str) -> None:
    reader.entry.previous_msgid = _unescape(text[1:-1])


def _on_prev_msgctxt(reader: _Reader, text: str) -> None:
    reader.entry.previous_msgctxt = _unescape(text[1:-1])


def _on_msgid_plural(reader: _Reader, text: str) -> None:
    reader.entry.msgid_plural = _unescape(text[1:-1])


def _on_msgstr_n(reader: _Reader, text: str) -> None:
    """A ``msgstr[N]``, its N checked before (see :func:`_check_index`)."""
    reader.entry.msgstr_plural += (_unescape(text[1:-1]),)


def _on_prev_msgid_plural(reader: _Reader, text: str) -> None:
    reader.entry.previous_msgid_plural = _unescape(text[1:-1])


def _check_index(entry: _Entry, index: int | None) -> None:
    """gettext reads the forms of a plural entry in order, ``msgstr[0]`` first."""
    if index != len(entry.msgstr_plural):
        raise _LineError(
            "first plural form has nonzero index"
            if not entry.msgstr_plural
            else f"plural form has wrong index (msgstr[{len(entry.msgstr_plural)}] comes next)"
        )


# A comment's text is what follows its marker (``#``, ``#.``) and the space after it.


def _on_extracted(reader: _Reader, text: str) -> None:
    reader.entry.extracted.append(text[3:] if text[2:3] == " " else text[2:])


def _on_reference(reader: _Reader, text: str) -> None:
    reader.entry.references += _WORD.findall(text, 2)


def _on_flags(reader: _Reader, text: str) -> None:
    """As gettext reads them, a ``#,`` line's flags replace those of the lines before it."""
    reader.entry.flags = [flag.strip(_SPACE) for flag in text[2:].split(",")]


def _on_comment(reader: _Reader, text: str) -> None:
    reader.entry.translator.append(text[2:] if text[1:2] == " " else text[1:])


_HANDLERS: dict[str, Callable[[_Reader, str], None]] = {
    "string": _on_string,
    "prev_string": _on_string,
    "msgid": _on_msgid,
    "msgstr": _on_msgstr,
    "msgstr_n": _on_msgstr_n,
    "msgctxt": _on_msgctxt,
    "msgid_plural": _on_msgid_plural,
    "prev_msgid": _on_prev_msgid,
    "prev_msgctxt": _on_prev_msgctxt,
    "prev_msgid_plural": _on_prev_msgid_plural,
    "extracted": _on_extracted,
    "reference": _on_reference,
    "flags": _on_flags,
    "comment": _on_comment,
}


def _syntax_error(text: str, path: str, number: int, kind: str) -> CatalogError:
    """The error for a line in the wrong place. A line further on that cannot be read at
    all comes first: it says more."""
    lines = text.split("\n")
    for index in range(number, len(lines)):
        try:
            _lex(lines[index])
        except _LineError as err:
            return CatalogError(str(err), path, index + 1)
    if kind in _COMMENTS:
        return CatalogError(
            "a comment inside an entry, before its msgstr; move it above the entry",
            path,
            number,
        )
    return CatalogError("cannot parse: syntax error in po file", path, number)


def _read_entries(text: str, path: str) -> list[_Entry]:
    """The entries of a catalog's text (LF line ends), the comment at the top of the file
    being the first entry's.

    Each line is lexed (:func:`_lex`), checked against gettext's grammar (:data:`_FOLLOWS`)
    and read by the handler of its kind. Comments after the last entry belong to no entry,
    as gettext reads them: the last entry's text ends before them (they are the catalog's
    ``trailer``).
    """
    entries: list[_Entry] = []
    reader = _Reader(_Entry(0, 0))
    offset = 0
    for number, text_line in enumerate(text.split("\n"), 1):
        start_of_line = offset
        offset += len(text_line) + 1
        if not text_line:
            continue
        usual = _USUAL_LINE.fullmatch(text_line)
        if usual is not None:  # (what :func:`_lex` gives, at a fraction of the cost)
            kind, body, obsolete = _USUAL_KIND[usual[1] or usual[3]], usual[2] or text_line, False
        else:
            try:
                lexed = _lex(text_line)
            except _LineError as err:
                raise CatalogError(str(err), path, number) from None
            if lexed.kind is None:
                continue
            kind, body, obsolete = lexed.kind, lexed.text, lexed.obsolete
            if kind == "msgstr_n" and (kind, reader.state) in _NEXT:
                try:
                    _check_index(reader.entry, lexed.form)
                except _LineError as err:
                    raise CatalogError(str(err), path, number) from None
        state = reader.state
        following = _NEXT.get((kind, state))
        if following is None:
            raise _syntax_error(text, path, number, kind)
        entry = reader.entry
        if state in _AFTER_MSGSTR and kind in _OPENING:
            entries.append(entry)
            entry = reader.entry = _Entry(number, start_of_line)
        elif entry.line == 0:
            entry.line, entry.offset = number, start_of_line
        if entry.obsolete is not obsolete and kind not in _COMMENTS:
            if entry.obsolete is not None:
                raise CatalogError(
                    "an entry with both obsolete (#~) and live lines; "
                    "make all of its lines obsolete or none",
                    path,
                    number,
                )
            entry.obsolete = obsolete
        reader.state = following
        try:
            _HANDLERS[kind](reader, body)
        except _LineError as err:
            raise CatalogError(str(err), path, number) from None
    if reader.state not in _BETWEEN:
        raise CatalogError(
            "the file ends inside the entry that starts here, before its msgstr; "
            "complete the entry or remove it",
            path,
            reader.entry.line,
        )
    if reader.state != "idle":
        entries.append(reader.entry)
    elif entries and reader.entry.line:  # comments after the last entry
        entries[-1].end = reader.entry.offset - 1
    return entries


def _take_header(entries: list[_Entry]) -> tuple[_Entry | None, bool]:
    """Take the header out of ``entries``: as gettext reads a catalog, the live entry with an
    empty msgid and no msgctxt (a second one is a duplicate). Also whether it came first."""
    for at, entry in enumerate(entries):
        if entry.msgid == "" and entry.msgctxt is None and not entry.obsolete:
            return entries.pop(at), at == 0
    return None, True


def _header_fields(pieces: list[str] | None) -> dict[str, str]:
    """The header's fields as polib read them from the msgstr's strings as written: lines
    broken at the escapes \\n, \\r, \\v and \\f (not at the characters themselves), each
    ``Name: value`` with the value stripped, a line without a colon continuing the field
    before it."""
    if not pieces:
        return {}
    written = "".join(pieces)
    kept = [char for char in _KEPT if char in written]
    if not kept:
        return _fields_of("".join(_unescape(piece) for piece in pieces))
    free = (chr(code) for code in range(0xF8FF, 0xE000, -1) if chr(code) not in written)
    stand_ins = dict(zip(kept, free, strict=False))
    hide = str.maketrans(stand_ins)
    back = str.maketrans({stand_in: char for char, stand_in in stand_ins.items()})
    fields = _fields_of("".join(_unescape(piece.translate(hide)) for piece in pieces))
    return {key.translate(back): content.translate(back) for key, content in fields.items()}


def _fields_of(value: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    name = None
    for line in value.splitlines():
        key, colon, content = line.partition(":")
        if colon:
            name = key
            fields[name] = content.strip()
        elif name is not None:
            fields[name] += "\n" + line.strip()
    return fields


def _wrap_width_of(text: str, header: Header, messages: list[Message], default: int) -> int | None:
    """The width to write new entries of this file at: ``default`` when the file is already
    what ``msgcat --width=default`` writes (then Poedit's save, at whatever width it guesses,
    changes none of it either); otherwise the width Poedit would guess, ``None`` for
    ``--no-wrap``."""
    header_fits = header.raw is None or header.raw == format_header(header, default)
    if header_fits and all(m.raw == format_message(m, default) for m in messages):
        return default
    return detect_width(text)


@dataclass(frozen=True, slots=True)
class _Read:
    """What a catalog's text holds, before its header is made sense of."""

    messages: list[Message]
    header_pieces: list[str] | None
    """The header's msgstr strings as written; None without a header."""
    file_comment: tuple[str, ...]
    header_end: int
    """Where the header's text ends (the first entry starts after it)."""
    trailer: str
    """Comments after the last entry (see :attr:`Catalog.trailer`)."""


def _check_entries(entries: list[_Entry], path: str) -> None:
    """A header that is no plural entry; and, as gettext reads a catalog, one definition of
    each (msgctxt, msgid), live or obsolete (git's union merge leaves both)."""
    seen: dict[TextKey, int] = {}
    for entry in entries:
        start = max(entry.line, 1)
        if entry.msgid == "" and entry.msgctxt is None and entry.msgid_plural is not None:
            raise CatalogError(
                "the header entry (empty msgid) has a msgid_plural; remove it and its "
                "msgstr[N] lines, and give the header one msgstr",
                path,
                start,
            )
        first = seen.setdefault((entry.msgctxt, entry.msgid), start)
        if first != start:
            raise CatalogError(
                f"duplicate message definition (first defined at line {first}); "
                "keep one of the two (msguniq --use-first keeps the first of each)",
                path,
                start,
            )


def _read_lines(text: str, path: str) -> _Read:
    """Read any catalog, line by line (see :func:`_read_entries`)."""
    entries = _read_entries(text, path)
    _check_entries(entries, path)
    last = entries[-1] if entries else None
    trailing = last.end if last else sys.maxsize  # (where comments after every entry start)
    # An entry's text runs to the next one's (or to the end), blank lines after it left out.
    for entry, after in itertools.pairwise(entries):
        entry.end = after.offset - 1
    header_entry, first = _take_header(entries)
    messages: list[Message] = []
    for entry in entries:
        start = max(entry.line, 1)
        # gettext reads flags and references as sets: each once, in the order first written.
        flags = tuple(dict.fromkeys(f for f in entry.flags if KNOWN_FLAG.fullmatch(f)))
        message = Message(
            msgid=entry.msgid,
            msgstr=entry.msgstr,
            msgctxt=entry.msgctxt,
            flags=flags,
            translator_comments=tuple(entry.translator),
            extracted_comments=tuple(entry.extracted),
            references=tuple(dict.fromkeys(entry.references)),
            previous_msgid=entry.previous_msgid,
            previous_msgctxt=entry.previous_msgctxt,
            msgid_plural=entry.msgid_plural,
            msgstr_plural=entry.msgstr_plural,
            previous_msgid_plural=entry.previous_msgid_plural,
            obsolete=bool(entry.obsolete),
            raw=text[entry.offset : entry.end].rstrip("\n"),
            line=start,
        )
        messages.append(message)
    # The header's text is what comes before the first message, if the header is there.
    header_end = (entries[0].offset - 1 if entries else len(text)) if first else 0
    pieces = header_entry.header_pieces if header_entry else None
    file_comment = tuple(header_entry.translator) if header_entry else ()
    trailer = ""
    if last is not None and trailing < len(text):
        raw = messages[-1].raw if messages and last is not header_entry else None
        trailer = text[last.offset + len(raw) if raw else trailing :].rstrip("\n")
    return _Read(messages, pieces, file_comment, header_end, trailer)


def parse_po(text: str, path: str, *, default_width: int = 79, writable: bool = True) -> Catalog:
    """Parse a PO or POT file's text. Errors name ``path`` and the line.

    ``writable=False`` skips working out the width to write new entries at (it costs a
    formatting of every entry) for a catalog that will only be read.
    """
    if text.startswith("\ufeff"):
        raise CatalogError("starts with a byte-order mark; save it as UTF-8 without BOM", path, 1)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CatalogError("contains a NUL character; a catalog has none", path, line)
    if "\r" in text:  # written back with LF, as gettext writes
        text = _LINE_END_CR.sub("", text)
    conflict = conflict_marker_line(text)
    if conflict is not None:
        raise CatalogError(
            "unresolved merge conflict marker; resolve the conflict first", path, conflict
        )
    read = _read_lines(text, path)
    messages = read.messages
    fields = _header_fields(read.header_pieces)
    header_raw = text[: max(read.header_end, 0)].rstrip("\n")
    charset = re.search(r"charset=([\w.-]+)", fields.get("Content-Type", ""))
    if charset and charset[1].lower().replace("-", "") not in ("utf8", "charset"):
        name = charset[1] if len(charset[1]) <= EXCERPT else excerpt(charset[1])
        raise CatalogError(
            f"is in {name}; extrans reads UTF-8 catalogs only "
            f"(convert it: msgconv --to-code=UTF-8)",
            path,
            line_of(text, text.index("Content-Type:")) if "Content-Type:" in text else None,
        )
    header = Header(
        fields=tuple(fields.items()),
        comments=read.file_comment,
        # A catalog read without a header is written back without one.
        raw=header_raw if read.header_pieces is None else header_raw or None,
    )
    width = _wrap_width_of(text, header, messages, default_width) if writable else default_width
    return Catalog(header, tuple(messages), width, read.trailer)


# Carriage returns that end a line: the reader takes them for part of the line end.
_LINE_END_CR = re.compile(r"\r+(?=\n)|\r+\Z")


@lru_cache(maxsize=64)
def format_header(header: Header, width: int | None) -> str:
    lines = [f"# {c}" if c else "#" for c in header.comments]
    lines.append('msgid ""')
    value = "".join(f"{name}: {content}\n" for name, content in header.fields)
    lines.extend(format_string("msgstr", value, width=width))
    return "\n".join(lines)


def format_message(message: Message, width: int | None) -> str:
    """One entry as ``msgcat --width=width`` writes it (``None``: ``--no-wrap``)."""
    lines = [f"# {c}" if c else "#" for c in message.translator_comments]
    lines.extend(f"#. {c}" if c else "#." for c in message.extracted_comments)
    if message.references:
        lines.extend(format_references(message.references, width))
    if message.flags:
        lines.append("#, " + ", ".join(message.flags))
    previous = "#~| " if message.obsolete else "#| "
    if message.previous_msgctxt is not None:
        lines.extend(
            format_string("msgctxt", message.previous_msgctxt, prefix=previous, width=width)
        )
    if message.previous_msgid is not None:
        lines.extend(format_string("msgid", message.previous_msgid, prefix=previous, width=width))
    if message.previous_msgid_plural is not None:
        lines.extend(
            format_string(
                "msgid_plural", message.previous_msgid_plural, prefix=previous, width=width
            )
        )
    prefix = "#~ " if message.obsolete else ""
    if message.msgctxt is not None:
        lines.extend(format_string("msgctxt", message.msgctxt, prefix=prefix, width=width))
    lines.extend(format_string("msgid", message.msgid, prefix=prefix, width=width))
    if message.msgid_plural is None:
        lines.extend(format_string("msgstr", message.msgstr, prefix=prefix, width=width))
        return "\n".join(lines)
    lines.extend(format_string("msgid_plural", message.msgid_plural, prefix=prefix, width=width))
    for index, form in enumerate(message.msgstr_plural):
        lines.extend(format_string(f"msgstr[{index}]", form, prefix=prefix, width=width))
    return "\n".join(lines)


def format_entries(messages: Sequence[Message], width: int | None) -> str:
    """The entries of a file, live ones then obsolete ones, one blank line between."""
    ordered = [m for m in messages if not m.obsolete]
    ordered += [m for m in messages if m.obsolete]
    return "\n\n".join(
        message.raw if message.raw is not None else format_message(message, width)
        for message in ordered
    )


def format_catalog(catalog: Catalog, entries: str | None = None) -> str:
    """The whole file: header, live entries, obsolete entries; one blank line between.

    ``entries`` is :func:`format_entries` of the catalog's messages, if already known.
    """
    header = catalog.header
    text = header.raw if header.raw is not None else format_header(header, catalog.width)
    if entries is None:
        entries = format_entries(catalog.messages, catalog.width)
    if not catalog.messages:
        return f"{text}\n"
    entries += catalog.trailer
    return f"{text}\n\n{entries}\n" if text else f"{entries}\n"


def decode_catalog(data: bytes, path: str) -> str:
    """A catalog's text; undecodable bytes are an error naming the line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise CatalogError("not UTF-8; save the catalog as UTF-8", path, line) from err


def read_catalog(path: Path, shown: str, root: Path) -> Catalog:
    """Read and parse a catalog file of the site at ``root`` (one that a symlink leads
    outside it is refused unread); ``shown`` is the path used in messages."""
    try:
        data = read_inside(path, shown, root, error=CatalogError)
    except OSError as err:
        raise CatalogError(f"cannot read: {file_problem(err)}", shown) from err
    if data is None:
        raise CatalogError(f"cannot read: {os.strerror(errno.ENOENT)}", shown)
    return parse_po(decode_catalog(data, shown), shown, writable=False)
