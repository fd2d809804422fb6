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

from .catalog import Catalog, Header, Message
from .errors import EXCERPT, CatalogError, conflict_marker_line, excerpt, file_problem, line_of
from .fsio import read_inside
from .po_wrap import detect_width, format_references, format_string

__all__ = [
    "KNOWN_FLAG",
    "decode_catalog",
    "format_catalog",
    "format_header",
    "format_message",
    "parse_po",
    "read_catalog",
]

KNOWN_FLAG = re.compile(
    r"fuzzy|no-wrap|wrap|range: *\d+\.\.\d+|(?:no-|possible-|impossible-)?[a-z0-9+-]+-format"
)
# A reader that skips malformed lines would lose text silently: every line must be one of these.
_VALID_LINE = re.compile(
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*'
    r"|#.*|[ \t]*"
)

# The reader takes lines as polib 1.2 did (extrans once read catalogs with polib): the same
# state machine, lenient comment lines and errors; which entry is the header, and which are
# duplicates, is as gettext reads them.
#
# Characters that str.splitlines() or str.split() take for line breaks or spaces, but that
# gettext keeps inside a line like any other (U+2028 in a msgstr, a form feed in a comment).
# polib broke lines at them (extrans hid some of them from it); here they are text.
_KEPT = "\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
# What separates the words of a line: the str.isspace() characters but those.
_SPACE = (
    "\t\n\x1f \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
_SPACES = re.compile(f"[{_SPACE}]+")
_WORD = re.compile(f"[^{_SPACE}]+")
_UNESCAPED_QUOTE = re.compile(r'([^\\]|^)"')
# Only these escapes mean something: polib's, and \a (BEL), which gettext and this writer
# write for BEL; gettext's rare \ooo and \xhh stay as they are written.
_ESCAPE = re.compile(r'\\([\\ntrvbfa"])')
_ESCAPED = {
    "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a",
    '"': '"',
}  # fmt: skip
_KEYWORDS = {"msgctxt", "msgid", "msgid_plural", "msgstr"}
# The lines gettext writes, classified at once (:func:`_classify` reads them the same way, at
# several times the cost, which made the whole reader a third of a cold build).
_USUAL_LINE = re.compile(
    r'(?:(msgctxt|msgid|msgstr) )?("[^"\\]*(?:\\.[^"\\]*)*")[ \t]*'
    rf"|(#[.:,]?) .*[^{_SPACE}]"
)
_USUAL_KIND = {
    '"': "continuation", "msgctxt": "msgctxt", "msgid": "msgid", "msgstr": "msgstr",
    "#": "comment", "#.": "extracted", "#:": "reference", "#,": "flags",
}  # fmt: skip
_PREVIOUS = {
    "msgctxt": "previous_msgctxt",
    "msgid": "previous_msgid",
    "msgid_plural": "previous_msgid_plural",
}
# Kinds of line that start a new entry when they follow a msgstr.
_OPENING = frozenset(("comment", "extracted", "reference", "flags", "msgctxt", "msgid"))
_OPENING |= frozenset(_PREVIOUS.values())
_AFTER_MSGSTR = frozenset(("msgstr", "msgstr_n"))


def _transitions() -> dict[tuple[str, str], str]:
    """polib's state machine: (kind of line, state) → next state; other pairs are errors.

    The state is the kind of the last line read (``header_comment`` for the ``#`` lines
    before anything else); a ``continuation`` line leaves it as it is.
    """
    previous = tuple(_PREVIOUS.values())
    comments = ("extracted", "reference", "flags", "comment", *previous)
    every = ("start", "header_comment", "msgctxt", *comments)
    every += ("msgid", "msgid_plural", "msgstr", "msgstr_n")
    allowed = {
        "extracted": every,
        "reference": every,
        "flags": every,
        **{kind: every for kind in previous},
        "msgctxt": ("start", "header_comment", *comments, "msgstr", "msgstr_n"),
        "msgid": ("start", "header_comment", "msgctxt", *comments, "msgstr", "msgstr_n"),
        "msgid_plural": ("extracted", "comment", *previous, "msgid"),
        "msgstr": ("msgid", "msgid_plural", "comment"),
        "msgstr_n": ("msgid", "msgid_plural", "msgstr_n", "comment"),
        "continuation": ("msgctxt", *previous, "msgid", "msgid_plural", "msgstr", "msgstr_n"),
        "comment": tuple(s for s in every if s not in ("start", "header_comment", "msgctxt")),
    }
    table = {(kind, state): kind for kind, states in allowed.items() for state in states}
    table |= {("comment", state): "header_comment" for state in ("start", "header_comment")}
    return table


_NEXT = _transitions()


class _LineError(Exception):
    """A line polib could not read; ``detail`` is what its message said after the line."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(slots=True)
class _Entry:
    """An entry being read: the parts of polib's POEntry that extrans uses."""

    line: int
    """The line that opened the entry (0 until the first entry has one)."""
    offset: int
    """Where that line starts in the text."""
    end: int = sys.maxsize
    """Where its text ends: where the next entry starts."""
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: str = ""
    msgstr_n: dict[int, str] | None = None
    header_pieces: list[str] | None = None
    """The msgstr's strings as written, if the msgid is empty."""
    translator: str = ""
    extracted: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    obsolete: bool = False


@dataclass(slots=True)
class _Reader:
    """The state of :func:`_read_entries` between two lines."""

    entry: _Entry
    state: str = "start"
    plural_index: int = 0


def _unescape_one(match: re.Match[str]) -> str:
    return _ESCAPED[match[1]]


def _unescape(body: str) -> str:
    return _ESCAPE.sub(_unescape_one, body) if "\\" in body else body


def _classify(line: str) -> tuple[str | None, str, bool, bool]:
    """What polib made of a line (not blank, stripped of spaces): its kind (``None``:
    skipped), the text its handler reads, whether the line is obsolete (``#~``), and
    whether its first word is a comment marker."""
    words = _SPACES.split(line, 2)
    if words[0] == "#~|":
        return None, line, False, True
    obsolete = words[0] == "#~" and len(words) > 1
    if obsolete:
        line = line[3:].strip(_SPACE)
        words = words[1:]
    first = words[0]
    count = len(words)
    marker = first.startswith("#")
    kind: str | None
    if first in _KEYWORDS and count > 1:
        line = line[len(first) :].lstrip(_SPACE)
        if _UNESCAPED_QUOTE.search(line[1:-1]):
            raise _LineError(": unescaped double quote found")
        kind = first
    elif first == "#:":
        kind = "reference" if count > 1 else None
    elif line[:1] == '"':
        if _UNESCAPED_QUOTE.search(line[1:-1]):
            raise _LineError(": unescaped double quote found")
        kind = "continuation"
    elif line[:7] == "msgstr[":
        kind = "msgstr_n"
    elif first == "#,":
        kind = "flags" if count > 1 else None
    elif first == "#" or first.startswith("##"):
        kind = "comment"
        line = "# " if line == "#" else line
    elif first == "#.":
        kind = "extracted" if count > 1 else None
    elif first == "#|":
        if count <= 1:
            raise _LineError
        line = line[2:].lstrip(_SPACE)
        if words[1].startswith('"'):
            kind = "continuation"
        elif count == 2:
            raise _LineError(": invalid continuation line")
        elif words[1] not in _PREVIOUS:
            raise _LineError(f": unknown keyword {excerpt(words[1])}")
        else:
            kind = _PREVIOUS[words[1]]
            line = line[len(words[1]) :].lstrip(_SPACE)
    else:
        raise _LineError
    return kind, line, obsolete, marker


def _bad_line(text: str, path: str, number: int) -> CatalogError:
    return CatalogError(f"cannot parse this line: {excerpt(text)}", path, number)


def _invalid_line(text: str, path: str, start: int) -> CatalogError | None:
    """The error for the first line after line ``start`` that is no PO line."""
    lines = text.split("\n")
    for index in range(start, len(lines)):
        if not _VALID_LINE.fullmatch(lines[index].rstrip("\r")):
            return _bad_line(lines[index], path, index + 1)
    return None


def _syntax_error(text: str, path: str, number: int, detail: str = "") -> CatalogError:
    """polib's "Syntax error in po file (line N)<detail>", as extrans reported it. A malformed
    line further on comes first, as before (every line was checked before polib read any)."""
    invalid = _invalid_line(text, path, number)
    if invalid is not None:
        return invalid
    reason = f"Syntax error in po file {detail}".strip(_SPACE).rstrip(".")
    return CatalogError(f"cannot parse: {reason.lower()}", path, number)


# One handler per kind of line: each reads the line's text (as :func:`_classify` gives it)
# into the entry being read.


def _on_continuation(reader: _Reader, content: str) -> None:
    piece = content[1:-1]
    value = _unescape(piece)
    entry, state = reader.entry, reader.state
    if state == "msgstr":
        entry.msgstr += value
        if entry.header_pieces is not None:
            entry.header_pieces.append(piece)
    elif state == "msgid":
        entry.msgid += value
    elif state == "msgstr_n" and entry.msgstr_n is not None:
        entry.msgstr_n[reader.plural_index] += value
    elif state == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif state == "msgid_plural":
        entry.msgid_plural += value
    elif state == "previous_msgid":
        entry.previous_msgid = (entry.previous_msgid or "") + value
    elif state == "previous_msgctxt":
        entry.previous_msgctxt = (entry.previous_msgctxt or "") + value


def _on_msgid(reader: _Reader, content: str) -> None:
    reader.entry.msgid = _unescape(content[1:-1])


def _on_msgstr(reader: _Reader, content: str) -> None:
    entry = reader.entry
    entry.msgstr = _unescape(content[1:-1])
    entry.header_pieces = [content[1:-1]] if entry.msgid == "" else None


def _on_msgstr_n(reader: _Reader, content: str) -> None:
    reader.plural_index = int(content[7])  # a ValueError or IndexError is a syntax error
    entry = reader.entry
    if entry.msgstr_n is None:
        entry.msgstr_n = {}
    entry.msgstr_n[reader.plural_index] = _unescape(content[content.find('"') + 1 : -1])


def _on_msgctxt(reader: _Reader, content: str) -> None:
    reader.entry.msgctxt = _unescape(content[1:-1])


def _on_msgid_plural(reader: _Reader, content: str) -> None:
    reader.entry.msgid_plural = _unescape(content[1:-1])


def _on_previous_msgid(reader: _Reader, content: str) -> None:
    reader.entry.previous_msgid = _unescape(content[1:-1])


def _on_previous_msgctxt(reader: _Reader, content: str) -> None:
    reader.entry.previous_msgctxt = _unescape(content[1:-1])


def _on_extracted(reader: _Reader, content: str) -> None:
    reader.entry.extracted.append(content[3:])


def _on_reference(reader: _Reader, content: str) -> None:
    reader.entry.references += _WORD.findall(content, 3)


def _on_flags(reader: _Reader, content: str) -> None:
    reader.entry.flags += [flag.strip(_SPACE) for flag in content[3:].split(",")]


def _on_comment(reader: _Reader, content: str) -> None:
    comment = content.lstrip("#")
    comment = comment[1:] if comment[:1] == " " else comment
    entry = reader.entry
    entry.translator = f"{entry.translator}\n{comment}" if entry.translator else comment


def _on_nothing(reader: _Reader, content: str) -> None:
    """polib's ``#| msgid_plural``: read, and dropped."""


_HANDLERS: dict[str, Callable[[_Reader, str], None]] = {
    "continuation": _on_continuation,
    "msgid": _on_msgid,
    "msgstr": _on_msgstr,
    "msgstr_n": _on_msgstr_n,
    "msgctxt": _on_msgctxt,
    "msgid_plural": _on_msgid_plural,
    "previous_msgid": _on_previous_msgid,
    "previous_msgctxt": _on_previous_msgctxt,
    "previous_msgid_plural": _on_nothing,
    "extracted": _on_extracted,
    "reference": _on_reference,
    "flags": _on_flags,
    "comment": _on_comment,
    "header_comment": _on_comment,  # as gettext reads them, the comments of the first entry
}


def _read_entries(text: str, path: str) -> list[_Entry]:
    """The entries of a catalog's text (LF line ends), and the comment at the top of the file.

    Each line is checked (:data:`_VALID_LINE`), classified (:func:`_classify`), checked
    against the state machine (:data:`_NEXT`) and read by the handler of its kind.
    """
    entries: list[_Entry] = []
    reader = _Reader(_Entry(0, 0))
    # polib kept the entry being read at the end only if the last line was not a comment.
    last_is_comment = True
    # Where the lines skipped after a msgstr or before the first entry start (a ``#~|`` line
    # before an obsolete entry): they are the text of the entry after them.
    skipped: tuple[int, int] | None = None
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        start_of_line = offset
        offset += len(line) + 1
        bare = line.rstrip("\r")
        usual = _USUAL_LINE.fullmatch(bare)
        kind: str | None
        if usual:
            kind = _USUAL_KIND[usual[1] or usual[3] or '"']
            content, obsolete, last_is_comment = usual[2] or bare, False, usual[3] is not None
        else:
            if not _VALID_LINE.fullmatch(bare):
                raise _bad_line(line, path, number)
            content = bare.rstrip(_SPACE)
            if not content:
                continue
            try:
                kind, content, obsolete, last_is_comment = _classify(content)
            except _LineError as err:
                raise _syntax_error(text, path, number, err.detail) from None
        state = reader.state
        if kind is None:
            if (state in _AFTER_MSGSTR or state == "start") and skipped is None:
                skipped = (number, start_of_line)
            continue
        opened_at, skipped = skipped, None
        following = _NEXT.get((kind, state))
        if following is None:
            raise _syntax_error(text, path, number)
        if kind == "continuation":
            _on_continuation(reader, content)
            continue
        if state in _AFTER_MSGSTR and following in _OPENING:
            entries.append(reader.entry)
            reader.entry = _Entry(*(opened_at or (number, start_of_line)))
        elif state == "start":  # the first entry starts at its first line
            reader.entry.line, reader.entry.offset = opened_at or (number, start_of_line)
        if kind == "msgid":
            reader.entry.obsolete = obsolete
        reader.state = following
        try:
            _HANDLERS[following](reader, content)
        except (IndexError, ValueError):
            raise _syntax_error(text, path, number) from None
    if not last_is_comment:
        entries.append(reader.entry)
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
    file_comment: str
    header_end: int
    """Where the header's text ends (the first entry starts after it)."""


def _check_unique(entries: list[_Entry], path: str) -> None:
    """As gettext reads a catalog: one definition of each (msgctxt, msgid), live or obsolete
    (git's union merge leaves both), the header's included."""
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        start = max(entry.line, 1)
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
    _check_unique(entries, path)
    # An entry's text runs to the next one's (or to the end), blank lines after it left out.
    for entry, after in itertools.pairwise(entries):
        entry.end = after.offset - 1
    header_entry, first = _take_header(entries)
    messages: list[Message] = []
    for entry in entries:
        start = max(entry.line, 1)
        if entry.msgid_plural:
            raise CatalogError("plural messages are not used by extrans pages", path, start)
        flags = tuple(f for f in entry.flags if KNOWN_FLAG.fullmatch(f)) if entry.flags else ()
        message = Message(
            msgid=entry.msgid,
            msgstr=entry.msgstr,
            msgctxt=entry.msgctxt,
            flags=flags,
            translator_comments=tuple(entry.translator.split("\n")) if entry.translator else (),
            extracted_comments=tuple(entry.extracted),
            references=tuple(entry.references),
            previous_msgid=entry.previous_msgid,
            previous_msgctxt=entry.previous_msgctxt,
            obsolete=entry.obsolete,
            raw=text[entry.offset : entry.end].rstrip("\n"),
            line=start,
        )
        messages.append(message)
    # The header's text is what comes before the first message, if the header is there.
    header_end = (entries[0].offset - 1 if entries else len(text)) if first else 0
    pieces = header_entry.header_pieces if header_entry else None
    file_comment = header_entry.translator if header_entry else ""
    return _Read(messages, pieces, file_comment, header_end)


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
    if "\x04" in text:
        _check_separator(text, path)
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
        comments=tuple(read.file_comment.split("\n")) if read.file_comment else (),
        # A catalog read without a header is written back without one.
        raw=header_raw if read.header_pieces is None else header_raw or None,
    )
    width = _wrap_width_of(text, header, messages, default_width) if writable else default_width
    return Catalog(header, tuple(messages), width)


# Carriage returns that end a line: the reader takes them for part of the line end.
_LINE_END_CR = re.compile(r"\r+(?=\n)|\r+\Z")
_COMMENT_LINE = re.compile(f"[{_SPACE}]*#(?![~|])")


def _check_separator(text: str, path: str) -> None:
    """Refuse U+0004 in a string, as gettext does (it separates a msgctxt from its msgid in a
    compiled catalog); comments may hold it."""
    for number, line in enumerate(text.split("\n"), 1):
        if "\x04" in line and not _COMMENT_LINE.match(line):
            raise CatalogError(
                "a string holds the control character U+0004, gettext's context separator, "
                "which it refuses; remove it",
                path,
                number,
            )


@lru_cache(maxsize=64)
def format_header(header: Header, width: int | None) -> str:
    lines = [f"# {c}" if c else "#" for c in header.comments]
    lines.append('msgid ""')
    value = "".join(f"{name}: {content}\n" for name, content in header.fields)
    lines.extend(format_string("msgstr", value, width=width))
    return "\n".join(lines)


def format_message(message: Message, width: int | None) -> str:
    """One entry as ``msgcat --width=width`` writes it (``None``: ``--no-wrap``)."""
    if _is_plain(message):
        return _format_plain(message, width)
    return _format_any(message, width)


def _is_plain(message: Message) -> bool:
    """Whether an entry is as extract makes it: untranslated, without comments of its own,
    flags, context or previous strings."""
    return not (
        message.translator_comments
        or message.flags
        or message.obsolete
        or message.msgstr
        or message.msgctxt is not None
        or message.previous_msgid is not None
        or message.previous_msgctxt is not None
    )


def _format_plain(message: Message, width: int | None) -> str:
    """:func:`_format_any` of an :func:`_is_plain` entry, with the lines it cannot have
    left out (most entries of a cold extract)."""
    lines = [f"#. {c}" if c else "#." for c in message.extracted_comments]
    if message.references:
        lines.extend(format_references(message.references, width))
    lines.extend(format_string("msgid", message.msgid, width=width))
    lines.append('msgstr ""')
    return "\n".join(lines)


def _format_any(message: Message, width: int | None) -> str:
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
    prefix = "#~ " if message.obsolete else ""
    if message.msgctxt is not None:
        lines.extend(format_string("msgctxt", message.msgctxt, prefix=prefix, width=width))
    lines.extend(format_string("msgid", message.msgid, prefix=prefix, width=width))
    lines.extend(format_string("msgstr", message.msgstr, prefix=prefix, width=width))
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
