"""Read PO/POT text into a :class:`Catalog`, and write a catalog as gettext's ``msgcat`` would.

Reading keeps each entry's text, so an entry that did not change is written back byte for
byte however a translator's tool wrapped it; new and changed entries are written the way
``msgcat --width=W`` writes them, W being what Poedit would guess for the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .catalog import Catalog, Header, Message
from .errors import CatalogError
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
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_SPLITLINES_ONLY = "\x1c\x1d\x1e\x85\u2028\u2029"
# polib skips some malformed lines without a word; every line must be one of these.
_VALID_LINE = re.compile(
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*'
    r"|#.*|[ \t]*"
)


def _wrap_width_of(text: str, header: Header, messages: list[Message], default: int) -> int | None:
    """The width to write new entries of this file at: ``default`` when the file is already
    what ``msgcat --width=default`` writes (then Poedit's save, at whatever width it guesses,
    changes none of it either); otherwise the width Poedit would guess, ``None`` for
    ``--no-wrap``."""
    header_fits = header.raw is None or header.raw == format_header(header, default)
    if header_fits and all(m.raw == format_message(m, default) for m in messages):
        return default
    return detect_width(text)


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
    text = text.replace("\r\n", "\n")  # written back with LF, as gettext writes
    conflict = _CONFLICT.search(text)
    if conflict:
        where = text.count("\n", 0, conflict.start()) + 1
        raise CatalogError(
            "unresolved merge conflict marker; resolve the conflict first", path, where
        )
    lines = text.split("\n")
    for number, content in enumerate(lines, 1):
        if not _VALID_LINE.fullmatch(content.rstrip("\r")):
            raise CatalogError(f"cannot parse this line: {content[:60]!r}", path, number)
    import polib

    # polib splits its input with str.splitlines(), which also breaks at characters gettext
    # keeps inside strings (U+2028...): hand it stand-ins, and put the characters back after.
    hidden = {c: chr(0x10FFF0 + i) for i, c in enumerate(_SPLITLINES_ONLY) if c in text}
    back = str.maketrans({stand_in: char for char, stand_in in hidden.items()})
    for char, stand_in in hidden.items():
        text = text.replace(char, stand_in)

    def restore(value: str) -> str:
        return value.translate(back) if hidden else value

    def restore_optional(value: str | None) -> str | None:
        return None if value is None else restore(value)

    try:
        po = polib.pofile(text, wrapwidth=0, check_for_duplicates=False)
    except (OSError, ValueError, UnicodeError) as err:
        problem = str(err)
        found = _POLIB_LINE.search(problem)
        reason = _POLIB_LINE.sub("", problem).strip().rstrip(".") or "syntax error"
        raise CatalogError(
            f"cannot parse: {reason.lower()}", path, int(found[1]) if found else None
        ) from err
    starts = [max(entry.linenum, 1) for entry in po]
    ends = [*starts[1:], len(lines) + 1][: len(starts)]
    messages: list[Message] = []
    seen: dict[tuple[str | None, str, bool], int] = {}
    for entry, start, end in zip(po, starts, ends, strict=True):
        if entry.msgid_plural:
            raise CatalogError("plural messages are not used by extrans pages", path, start)
        raw = "\n".join(lines[start - 1 : end - 1]).rstrip("\n")
        message = Message(
            msgid=restore(entry.msgid),
            msgstr=restore(entry.msgstr),
            msgctxt=restore_optional(entry.msgctxt),
            flags=tuple(flag for flag in entry.flags if KNOWN_FLAG.fullmatch(flag)),
            translator_comments=tuple(restore(entry.tcomment).split("\n"))
            if entry.tcomment
            else (),
            extracted_comments=tuple(restore(entry.comment).split("\n")) if entry.comment else (),
            references=tuple(
                f"{name}:{line}" if line else name for name, line in entry.occurrences
            ),
            previous_msgid=restore_optional(entry.previous_msgid),
            previous_msgctxt=restore_optional(entry.previous_msgctxt),
            obsolete=bool(entry.obsolete),
            raw=raw,
            line=start,
        )
        key = (message.msgctxt, message.msgid, message.obsolete)
        if key in seen:
            raise CatalogError(
                f"duplicate message definition (first defined at line {seen[key]})", path, start
            )
        seen[key] = start
        messages.append(message)
    header_end = (starts[0] if starts else len(lines) + 1) - 1
    header_raw = "\n".join(lines[:header_end]).rstrip("\n")
    content_type = po.metadata.get("Content-Type", "")
    charset = re.search(r"charset=([\w.-]+)", content_type)
    if charset and charset[1].lower().replace("-", "") not in ("utf8", "charset"):
        raise CatalogError(
            f"is in {charset[1]}; extrans reads UTF-8 catalogs only "
            f"(convert it: msgconv --to-code=UTF-8)",
            path,
            next((i for i, x in enumerate(lines, 1) if "Content-Type:" in x), None),
        )
    header = Header(
        fields=tuple((restore(str(k)), restore(str(v))) for k, v in po.metadata.items()),
        comments=tuple(restore(po.header).split("\n")) if po.header else (),
        raw=header_raw or None,
    )
    width = _wrap_width_of(text, header, messages, default_width) if writable else default_width
    return Catalog(header, tuple(messages), width)


@lru_cache(maxsize=64)
def format_header(header: Header, width: int | None) -> str:
    lines = [f"# {c}" if c else "#" for c in header.comments]
    lines.append('msgid ""')
    value = "".join(f"{name}: {content}\n" for name, content in header.fields)
    lines.extend(format_string("msgstr", value, width=width))
    return "\n".join(lines)


@lru_cache(maxsize=8192)
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
    return f"{text}\n\n{entries}\n" if catalog.messages else f"{text}\n"


def decode_catalog(data: bytes, path: str) -> str:
    """A catalog's text; undecodable bytes are an error naming the line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise CatalogError("not UTF-8; save the catalog as UTF-8", path, line) from err


def read_catalog(path: Path, shown: str) -> Catalog:
    """Read and parse a catalog file to read it; ``shown`` is the path used in messages."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CatalogError(f"cannot read: {err.strerror}", shown) from err
    return parse_po(decode_catalog(data, shown), shown, writable=False)
