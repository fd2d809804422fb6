"""The PO reader against polib, the reader it replaced: every catalog in the repository,
catalogs as msgcat and msgmerge write them, and random catalogs (valid entries mixed with
malformed lines) read to the same Catalog (every field, raw text, line, width) or fail with
the same error (message and line).

The reference below is extrans's polib-based ``parse_po`` as it was, with seven fixes, each
marked FIX: form feeds, vertical tabs and lone carriage returns inside a line are text (as
gettext reads them), where polib broke the line there and mangled the entry; ``#:`` references
and error messages show the file's own characters, not the stand-ins polib was handed for
U+2028 and the like; the wrap width is guessed from the file rather than from polib's copy;
an error quotes no more of the file than a short excerpt; a live and an obsolete entry with
the same msgctxt and msgid, or an entry with the header's, are duplicates (as gettext reads
them); lines skipped between two entries (a ``#~|`` line before an obsolete entry) are the
text of the entry after them, not of the one before.
The reference's stand-ins are private-use characters of plane 16, which the random catalogs
below do not contain (a catalog that did would read them back as U+2028...).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extrans.catalog import Catalog, Header, Message
from extrans.errors import CatalogError, excerpt
from extrans.po_wrap import detect_width
from extrans.pofile import (
    _KEPT,
    _SPACE,
    KNOWN_FLAG,
    _format_any,
    _format_plain,
    _is_plain,
    format_header,
    format_message,
    parse_po,
)

from .conftest import REPO, needs_gettext

# --- The reference: extrans's parse_po as it was with polib ---------------------------------

_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_POLIB_LINE = re.compile(r"\(line (\d+)\)")
_SPLITLINES_ONLY = "\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"  # FIX: \x0b \x0c \r added
_VALID_LINE = re.compile(
    r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*'
    r"|#.*|[ \t]*"
)


def _wrap_width_of(text: str, header: Header, messages: list[Message], default: int) -> int | None:
    header_fits = header.raw is None or header.raw == format_header(header, default)
    if header_fits and all(m.raw == format_message(m, default) for m in messages):
        return default
    return detect_width(text)


class _KeepsHeader(polib.POFile):  # type: ignore[misc]
    """A POFile that remembers its entries as they were before polib took the header out."""

    every_entry: list[polib.POEntry] | None = None

    def remove(self, entry: polib.POEntry) -> None:
        self.every_entry = list(self)
        super().remove(entry)


_WORDS = re.compile(f"[{_SPACE}]+")


def _words(line: str) -> tuple[str, list[str]]:
    """What the reader classifies of a ``#`` line: the line, and its first words, with an
    obsolete entry's ``#~`` taken off."""
    content = line.rstrip("\r").rstrip(_SPACE)
    words = _WORDS.split(content, 2)
    if words[0] == "#~" and len(words) > 1:
        return content[3:].strip(_SPACE), words[1:]
    return content, words


def _skipped(line: str) -> bool:
    """Whether the reader skips a line: a ``#~|`` line, or a ``#:``, ``#,`` or ``#.`` with
    nothing after it."""
    if line[:1] != "#":
        return False
    if _WORDS.split(line.rstrip("\r").rstrip(_SPACE), 1)[0] == "#~|":
        return True
    _, words = _words(line)
    return len(words) == 1 and words[0] in ("#:", "#,", "#.")


def _continues(line: str) -> bool:
    """Whether a line continues the string before it (``"..."``, ``#| "..."``...)."""
    content, words = _words(line) if line[:1] == "#" else (line, [])
    return content[:1] == '"' or (words[0:1] == ["#|"] and words[1:2] != [] and words[1][:1] == '"')


def _with_skipped_lines(lines: list[str], start: int) -> int:
    """FIX: an entry starting at line ``start`` starts at the first of the lines skipped
    right before it, if they come after another entry's msgstr (and its continuations)."""
    above = start - 1
    while above >= 1 and (not lines[above - 1].strip(" \t\r") or _skipped(lines[above - 1])):
        above -= 1
    skipped = [n for n in range(above + 1, start) if lines[n - 1].strip(" \t\r")]
    keyword = above
    while keyword >= 1 and (
        not lines[keyword - 1].strip(" \t\r")
        or _skipped(lines[keyword - 1])
        or _continues(lines[keyword - 1])
    ):
        keyword -= 1
    after_msgstr = keyword >= 1 and re.match(f"(#~[{_SPACE}]+)?msgstr", lines[keyword - 1])
    return skipped[0] if skipped and after_msgstr else start


_POLIB_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a"}


def _unescape_as_gettext(text: str) -> str:
    return re.sub(r'\\(\\|n|t|r|v|b|f|a|")', lambda m: _POLIB_ESCAPES.get(m[1], m[1]), text)


def parse_with_polib(
    text: str, path: str, *, default_width: int = 79, writable: bool = True
) -> Catalog:
    if text.startswith("\ufeff"):
        raise CatalogError("starts with a byte-order mark; save it as UTF-8 without BOM", path, 1)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise CatalogError("contains a NUL character; a catalog has none", path, line)
    # FIX: gettext refuses its context separator in a string (comments may hold it).
    for number, content in enumerate(text.split("\n"), 1):
        if "\x04" in content and not re.match(f"[{_SPACE}]*#(?![~|])", content):
            raise CatalogError(
                "a string holds the control character U+0004, gettext's context separator, "
                "which it refuses; remove it",
                path,
                number,
            )
    text = text.replace("\r\n", "\n")
    conflict = _CONFLICT.search(text)
    if conflict:
        where = text.count("\n", 0, conflict.start()) + 1
        raise CatalogError(
            "unresolved merge conflict marker; resolve the conflict first", path, where
        )
    lines = text.split("\n")
    for number, content in enumerate(lines, 1):
        if not _VALID_LINE.fullmatch(content.rstrip("\r")):
            raise CatalogError(f"cannot parse this line: {excerpt(content)}", path, number)  # FIX
    file_text = text  # FIX: the width is guessed from this, not from polib's copy
    # FIX: carriage returns that end a line are line ends (the check above allows them).
    text = re.sub(r"\r+$", "", text, flags=re.MULTILINE)
    hidden = {c: chr(0x10FFF0 + i) for i, c in enumerate(_SPLITLINES_ONLY) if c in text}
    back = str.maketrans({stand_in: char for char, stand_in in hidden.items()})
    for char, stand_in in hidden.items():
        text = text.replace(char, stand_in)

    def restore(value: str) -> str:
        return value.translate(back) if hidden else value

    def restore_optional(value: str | None) -> str | None:
        return None if value is None else restore(value)

    try:
        # FIX: \\a is BEL, as gettext reads it (and as msgcat and extrans write BEL).
        with mock.patch.object(polib, "unescape", _unescape_as_gettext):
            po = polib.pofile(text, wrapwidth=0, check_for_duplicates=False, klass=_KeepsHeader)
    except (OSError, ValueError, UnicodeError) as err:
        problem = restore(str(err))  # FIX: restore
        problem = re.sub(r"(?<=unknown keyword )(.*)", lambda m: excerpt(m[1]), problem)  # FIX
        found = _POLIB_LINE.search(problem)
        reason = _POLIB_LINE.sub("", problem).strip(_SPACE).rstrip(".") or "syntax error"
        raise CatalogError(
            f"cannot parse: {reason.lower()}", path, int(found[1]) if found else None
        ) from err
    starts = [_with_skipped_lines(lines, max(entry.linenum, 1)) for entry in po]  # FIX
    ends = [*starts[1:], len(lines) + 1][: len(starts)]
    messages: list[Message] = []
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po.every_entry or po:  # FIX: as gettext, the header and obsolete ones too
        start = _with_skipped_lines(lines, max(entry.linenum, 1))
        key = (restore_optional(entry.msgctxt), restore(entry.msgid))
        first = seen.setdefault(key, start)
        if first != start:
            raise CatalogError(
                f"duplicate message definition (first defined at line {first}); "
                "keep one of the two (msguniq --use-first keeps the first of each)",
                path,
                start,
            )
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
            references=tuple(  # FIX: restore
                restore(f"{name}:{line}" if line else name) for name, line in entry.occurrences
            ),
            previous_msgid=restore_optional(entry.previous_msgid),
            previous_msgctxt=restore_optional(entry.previous_msgctxt),
            obsolete=bool(entry.obsolete),
            raw=raw,
            line=start,
        )
        messages.append(message)
    header_end = (starts[0] if starts else len(lines) + 1) - 1
    header_raw = "\n".join(lines[:header_end]).rstrip("\n")
    content_type = po.metadata.get("Content-Type", "")
    charset = re.search(r"charset=([\w.-]+)", content_type)
    if charset and charset[1].lower().replace("-", "") not in ("utf8", "charset"):
        name = charset[1] if len(charset[1]) <= 40 else excerpt(charset[1])  # FIX
        raise CatalogError(
            f"is in {name}; extrans reads UTF-8 catalogs only "
            f"(convert it: msgconv --to-code=UTF-8)",
            path,
            next((i for i, x in enumerate(lines, 1) if "Content-Type:" in x), None),
        )
    header = Header(
        fields=tuple((restore(str(k)), restore(str(v))) for k, v in po.metadata.items()),
        comments=tuple(restore(po.header).split("\n")) if po.header else (),
        raw=header_raw or None,
    )
    width = (
        _wrap_width_of(file_text, header, messages, default_width) if writable else default_width
    )
    return Catalog(header, tuple(messages), width)


# --- Comparing ----------------------------------------------------------------------------

Parse = Callable[..., Catalog]


def _message_fields(message: Message) -> tuple[Any, ...]:
    return tuple(getattr(message, f.name) for f in dataclasses.fields(message))


def outcome(parse: Parse, text: str, **options: Any) -> tuple[Any, ...]:
    """Everything a parse gives: each field of the catalog, raw texts and lines included, or
    the error's type, message, path and line."""
    try:
        catalog = parse(text, "f.po", **options)
    except CatalogError as err:
        return ("CatalogError", err.message, err.path, err.line)
    except Exception as err:  # the reference may fail otherwise; the new reader must match
        return (type(err).__name__, str(err))
    header = catalog.header
    return (
        header.fields,
        header.comments,
        header.raw,
        tuple(_message_fields(m) for m in catalog.messages),
        catalog.width,
    )


def assert_same(text: str, **options: Any) -> tuple[Any, ...]:
    expected = outcome(parse_with_polib, text, **options)
    assert outcome(parse_po, text, **options) == expected, text
    return expected


# --- Catalogs in the repository, and as gettext writes them -------------------------------

CATALOGS = sorted(
    path
    for pattern in ("locale/**/*.po", "locale/**/*.pot", "tests/fixtures/**/*.po*")
    for path in REPO.glob(pattern)
)


def test_the_repository_has_catalogs_of_every_kind() -> None:
    names = {path.relative_to(REPO).as_posix() for path in CATALOGS}
    assert {"tests/fixtures/merge/old.po", "tests/fixtures/hostile/catalogs/plural.po"} <= names
    assert len(names) >= 30


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_catalog_in_the_repository(path: Path) -> None:
    text = _read(path)
    for options in ({}, {"writable": False}, {"default_width": 100}):
        assert_same(text, **options)
    assert_same(text.replace("\n", "\r\n"))


def _written_by_gettext() -> list[str]:
    """The repository's valid catalogs as msgcat writes them at several widths, and the
    merge fixture as msgmerge --previous writes it."""
    valid = [p for p in CATALOGS if outcome(parse_with_polib, _read(p))[0] != "CatalogError"]
    texts = []
    for width in ("--width=20", "--width=50", "--width=100", "--no-wrap"):
        for path in valid:
            done = subprocess.run(["msgcat", width, str(path)], capture_output=True)
            if done.returncode == 0:
                texts.append(done.stdout.decode("utf-8"))
        merge = REPO / "tests/fixtures/merge"
        texts.append(
            subprocess.run(
                ["msgmerge", "-q", "--previous", width, str(merge / "old.po"), str(merge / "new.pot")],
                capture_output=True, check=True,
            ).stdout.decode("utf-8")
        )  # fmt: skip
    return texts


@needs_gettext
def test_catalogs_as_gettext_writes_them() -> None:
    texts = _written_by_gettext()
    assert len(texts) > 60
    outcomes = [assert_same(text) for text in texts]
    # msgmerge's output has fuzzy entries with previous msgids, and obsolete entries.
    merged = outcomes[-1][3]
    assert any(fields[7] is not None for fields in merged)  # previous_msgid
    assert any(fields[9] for fields in merged)  # obsolete


# --- Behaviour on real text ---------------------------------------------------------------


HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
KEEP_ONE = "keep one of the two (msguniq --use-first keeps the first of each)"


def test_the_space_characters_are_those_of_python_but_the_line_separators() -> None:
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    separators = {c for c in map(chr, range(0x110000)) if len(f"a{c}b".splitlines()) == 2}
    assert set(_SPACE) == spaces - set(_KEPT)
    assert set(_KEPT) == separators - {"\n"}


@pytest.mark.parametrize("char", list(_KEPT))
def test_line_separators_inside_a_line_are_text(char: str, tmp_path: Path) -> None:
    """U+2028, a form feed, a lone CR... inside a string or a comment are text, as gettext
    reads them: the same strings as msgcat's copy, in which some are escapes."""
    text = f'{HEADER}#. one{char}two\nmsgid "a{char}b"\nmsgstr "c{char}"\n'
    assert_same(text)
    (message,) = parse_po(text, "f.po").messages
    assert (message.msgid, message.msgstr) == (f"a{char}b", f"c{char}")
    assert message.extracted_comments == (f"one{char}two",)
    assert message.raw == text[len(HEADER) :].rstrip("\n")
    if shutil.which("msgcat") is None:
        return
    (tmp_path / "f.po").write_text(text, "utf-8")
    written = subprocess.run(
        ["msgcat", str(tmp_path / "f.po")], capture_output=True, check=True
    ).stdout.decode("utf-8")
    (again,) = parse_po(written, "g.po").messages
    assert (again.msgid, again.msgstr) == (message.msgid, message.msgstr)


def test_odd_but_valid_catalogs() -> None:
    """Obsolete entries (their #~| lines are skipped, as polib skipped them, but are part of
    the entry's text), comments before the header, an entry with context, escapes, a catalog
    without header."""
    text = (
        "# Spanish translation.\n# Lucía, 2025.\n#\n"
        + HEADER
        + "#. body: paragraph\n#: content/en/a.md:3 content/en/b.md\n#, fuzzy, c-format\n"
        + '#| msgid "Old \\"text\\""\nmsgctxt "menu"\nmsgid ""\n"Tab\\there\\n"\n"back\\\\slash"\n'
        + 'msgstr "Tab\\taquí"\n\n#~| msgid "gone before"\n#~ msgid "Gone"\n#~ msgstr "Ido"\n'
    )
    catalog = parse_po(text, "f.po")
    assert catalog.header.comments == ("Spanish translation.", "Lucía, 2025.", "")
    assert catalog.header.fields == (
        ("Language", "es"),
        ("Content-Type", "text/plain; charset=UTF-8"),
    )
    live, gone = catalog.messages
    assert live == Message(
        msgid="Tab\there\nback\\slash", msgstr="Tab\taquí", msgctxt="menu",
        flags=("fuzzy", "c-format"), extracted_comments=("body: paragraph",),
        references=("content/en/a.md:3", "content/en/b.md"), previous_msgid='Old "text"',
    )  # fmt: skip
    assert (live.line, gone.line) == (9, 19)
    assert gone.raw is not None and gone.raw.startswith('#~| msgid "gone before"')
    assert gone == Message(msgid="Gone", msgstr="Ido", obsolete=True)
    no_header = parse_po('msgid "a"\nmsgstr "b"\n', "f.po")
    assert no_header.header.fields == () and no_header.messages == (Message("a", "b"),)
    for case in (text, 'msgid "a"\nmsgstr "b"\n', "", "\n", HEADER, "# only a comment\n"):
        assert_same(case)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('msgid "a"\nmsgstr "b', 2, "cannot parse this line: 'msgstr \"b'"),
        ('msgid "a"\nmsgstrr "b"', 2, "cannot parse this line: 'msgstrr \"b\"'"),
        ('msgstr "b"\n', 1, "cannot parse: syntax error in po file"),
        ('msgid "a"\nmsgid "b"\n', 2, "cannot parse: syntax error in po file"),
        ('msgid "a"\nmsgstr "b"\n#|msgid "c"\n', 3, "cannot parse: syntax error in po file"),
        (
            '#| msgid\nmsgid "a"\nmsgstr "b"\n',
            1,
            "cannot parse: syntax error in po file : invalid continuation line",
        ),
        (
            '#| msgtxt "x"\nmsgid "a"\nmsgstr "b"\n',
            1,
            "cannot parse: syntax error in po file : unknown keyword 'msgtxt'",
        ),
        (
            '#~ msgid "a"b"\n',
            1,
            "cannot parse: syntax error in po file : unescaped double quote found",
        ),
        ('#~ msgstr[x] "a"\n', 1, "cannot parse: syntax error in po file"),
        (
            'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
            4,
            "duplicate message definition (first defined at line 1); " + KEEP_ONE,
        ),
        (  # a live and an obsolete definition, as git's union merge leaves them
            'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
            4,
            "duplicate message definition (first defined at line 1); " + KEEP_ONE,
        ),
        (
            HEADER + 'msgid "a"\nmsgstr "b"\n\n#~ msgid ""\n#~ msgstr "c"\n',
            9,
            "duplicate message definition (first defined at line 1); " + KEEP_ONE,
        ),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n',
            1,
            "plural messages are not used by extrans pages",
        ),
        ('msgid "a"\n"\\q"\nmsgstr "b\\', 3, "cannot parse this line: 'msgstr \"b\\\\'"),
        # A malformed line further on is reported before polib's complaint.
        ('msgstr "b"\nbroken\n', 2, "cannot parse this line: 'broken'"),
    ],
)
def test_errors(text: str, line: int, message: str) -> None:
    assert assert_same(text) == ("CatalogError", message, "f.po", line)


# --- Random catalogs -----------------------------------------------------------------------

# Pieces of text, escaped as a PO file writes them, among them separators and spaces that
# str.split() and str.splitlines() know and gettext does not, and escapes polib does not.
PIECES = [
    "a", "Hola", "día", "中文", " ", "  ", "#", ":", ",", ".", "~", "|", "msgid", "fuzzy",
    "(line 3)", "%d", "\\n", "\\t", '\\"', "\\\\", "\\r", "\\f", "\\v", "\\b", "\\a", "\\x41",
    "\\101", "\t", "\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\r", "\x1c", "\x1f", "\xa0",
    "\u3000", "\u2003", "\x07",
]  # fmt: skip
escaped = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)
# Text for comments, which may hold anything but a line break.
comment_text = st.lists(st.sampled_from([*PIECES, '"', "\\", 'msgid "x"', "#"]), max_size=5).map(
    "".join
)
spaces = st.sampled_from([" ", " ", " ", "\t", "  ", " \t"])
flag_names = st.sampled_from(["fuzzy", "c-format", "no-wrap", "range: 1..5", "x", ""])
flags = st.lists(flag_names, max_size=3).map(", ".join)
ends = st.sampled_from(["", "", "", "", " ", "\t", "\r", " \r", "\r\r"])


@st.composite
def strings(draw: st.DrawFn, keyword: str, prefix: str = "", tidy: bool = False) -> list[str]:
    """``keyword "..."``, maybe wrapped onto continuation lines; ``tidy``: as gettext
    writes it, else with odd spaces and line ends."""
    pieces = draw(st.lists(escaped, min_size=1, max_size=3))
    first = "" if len(pieces) > 1 else pieces.pop()
    space, end = (st.just(" "), st.just("")) if tidy else (spaces, ends)
    head = f"{prefix}{keyword}{draw(space)}" if keyword else prefix
    lines = [f'{head}"{first}"{draw(end)}']
    lines += [f'{prefix}"{piece}"{draw(end)}' for piece in pieces]
    return lines


@st.composite
def entries(draw: st.DrawFn, header: bool = False, tidy: bool = False) -> list[str]:
    """One entry: comments, flags, previous strings, msgctxt, msgid, msgstr; maybe obsolete;
    ``tidy``: in gettext's order and spacing."""
    obsolete = not header and draw(st.integers(0, 5)) == 0
    prefix = "#~ " if obsolete else ""
    lines = []
    markers = st.sampled_from(["# ", "# ", "#. ", "#. ", "#: ", "#, ", "##", "#"])
    chosen = draw(st.lists(markers, max_size=3))
    if tidy:  # in gettext's order, each ending in a word
        chosen = sorted(
            (m for m in chosen if m not in ("##", "#")), key=["# ", "#. ", "#: ", "#, "].index
        )
    for marker in chosen:
        text = draw(comment_text) + ("x" if tidy else "") if marker != "#" else ""
        lines.append(marker + text)
    if draw(st.booleans()) and not (tidy and "#, " in chosen):
        lines.append("#, " + draw(flags))
    previous = "#~| " if obsolete else "#| "
    if draw(st.integers(0, 3)) == 0:
        lines += draw(strings("msgctxt", previous, tidy))
    if draw(st.integers(0, 2)) == 0:
        lines += draw(strings("msgid", previous, tidy))
    if draw(st.integers(0, 3)) == 0:
        lines += draw(strings("msgctxt", prefix, tidy))
    if header:
        lines += ['msgid ""', 'msgstr ""']
        fields = [
            "Language: es",
            "Content-Type: text/plain; charset=UTF-8",
            "X-Odd : a:b",
            "continued",
            "",
        ]
        for field in draw(st.lists(st.sampled_from(fields), max_size=4)):
            lines.append(f'"{field}{draw(escaped)}\\n"')
        return lines
    lines += draw(strings("msgid", prefix, tidy))
    lines += draw(strings("msgstr", prefix, tidy))
    return lines


# Lines that are malformed, or odd: each is placed somewhere in a random catalog.
ODD_LINES = [
    "#", "#~", "#~|", "#.", "#:", "#,", "#|", "#|msgid \"x\"", "#.x", "#:x", "#x", "##x",
    "# #", "#~ #| msgid \"x\"", "#~ #| \"x\"", "#~ \"x\"", "#~ msgid", "#~msgid \"x\"",
    "#~ msgstr[0] \"x\"", "#~ msgstr[ \"x\"", "#| \"x\"", "#| msgid", "#| msgid x",
    "#| foo. \"x\"", "#| MsgId \"x\"", "#| msgid \"a\"b\"", "#~ msgid foo", "#. \u2028",
    "#,\u3000fuzzy", "#:\xa0a.md", "#\x1c", "msgid_plural \"p\"", "msgstr[0] \"x\"",
    "msgstr[1] \"y\"", "msgstr[٣] \"z\"", "msgid\t\"t\"", "msgstr  \"s\"", "\"\"", "\"c\"",
    "msgid \"\"", "msgstr \"\"", "msgctxt \"\"", "", " ", "\t", "\r", "garbage", " #",
    "msgid \"x\" y", "\"unterminated", "msgid \"a\\\"", "<<<<<<< HEAD", "=======x",
    "msgid \"\\", "\ufeff#", "\"\\q\"", "msgid \"a\x00\"",
]  # fmt: skip


@st.composite
def catalogs(draw: st.DrawFn) -> str:
    tidy = draw(st.booleans())
    blocks = [draw(entries(header=True, tidy=tidy))] if draw(st.integers(0, 4)) else []
    if draw(st.booleans()):
        blocks.insert(0, [draw(st.sampled_from(["#", "# ", "##"])) + draw(comment_text)])
    blocks += draw(st.lists(entries(tidy=tidy), max_size=5))
    lines = [line for block in blocks for line in [*block, ""]]
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
        odd = draw(st.sampled_from(ODD_LINES) | comment_text.map("#".__add__))
        lines.insert(draw(st.integers(0, len(lines))), odd)
    if lines and draw(st.integers(0, 4)) == 0:
        del lines[draw(st.integers(0, len(lines) - 1))]
    if lines and draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(at, lines[at])
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_random_catalogs(text: str) -> None:
    assert_same(text)


@pytest.mark.fuzz
@settings(max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck))
@given(catalogs(), st.integers(0, 100))
def test_fuzz_random_catalogs(text: str, width: int) -> None:
    assert_same(text, default_width=width + 10)


@pytest.mark.fuzz
@settings(max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(ODD_LINES) | comment_text | escaped.map('"{}"'.format), max_size=12)
)
def test_fuzz_lines(lines: list[str]) -> None:
    assert_same("\n".join(lines))


# --- Writing -------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*'ab \\"\t\n#:é日\u2028-', "http://x.y/z"]), max_size=60).map(
        "".join
    ),
    st.lists(
        st.sampled_from(["body: paragraph", "front matter: faq[0].a", "", "a\nb"]), max_size=3
    ),
    st.lists(st.sampled_from(["content/en/a.md", "content/en/b c.md:12", "x.md:7"]), max_size=3),
    st.sampled_from([79, 100, 20, 0, None]),
)
def test_new_entries_are_written_as_any_entry(
    msgid: str, origins: list[str], references: list[str], width: int | None
) -> None:
    """The short way of writing an entry as extract makes it gives the general way's text."""
    message = Message(msgid, extracted_comments=tuple(origins), references=tuple(references))
    assert _is_plain(message)
    assert _format_plain(message, width) == _format_any(message, width)
