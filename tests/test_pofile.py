"""The PO reader, judged by gettext: catalogs of the repository and catalogs as msgcat and
msgmerge write them read to the entries gettext reads (those of msgcat's copy of the file),
and gettext's own output is written back byte for byte; a broken catalog fails with one
message naming its line, and msgcat refuses it too; random catalogs (valid entries mixed with
malformed lines) either fail with such a message or read back what extrans writes of them.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from extrans.errors import CatalogError
from extrans.formats.catalog import Catalog, Message
from extrans.formats.pofile import (
    _KEPT,
    _SPACE,
    format_catalog,
    parse_po,
)

from .conftest import REPO, needs_gettext
from .test_hostile import HOSTILE

# --- Judges -------------------------------------------------------------------------------


def msgcat(text: str, *options: str) -> str | None:
    """The text as gettext's msgcat writes it; ``None`` if msgcat refuses it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.po"
        path.write_bytes(text.encode("utf-8"))
        done = subprocess.run(["msgcat", *options, str(path)], capture_output=True)
    return done.stdout.decode("utf-8") if done.returncode == 0 else None


def contents(catalog: Catalog) -> tuple[Any, ...]:
    """What a catalog says, as gettext keeps it: msgcat sorts and merges the flags, and
    writes the live entries before the obsolete ones."""
    ordered = sorted(catalog.messages, key=lambda message: message.obsolete)
    return (catalog.header.fields, tuple((m, frozenset(m.flags)) for m in ordered))


def error_of(text: str) -> tuple[str, int | None] | None:
    """The message and line of the error reading ``text``; ``None`` if it reads."""
    try:
        parse_po(text, "f.po")
    except CatalogError as err:
        return err.message, err.line
    return None


def assert_reads_as_gettext(text: str) -> Catalog:
    """``text`` reads to the entries of msgcat's copy of it, and its header and each entry
    are kept as written."""
    catalog = parse_po(text, "f.po")
    for options in (["--no-wrap"], ["--width=30"]):
        copy = msgcat(text, *options)
        assert copy is not None, text
        assert contents(parse_po(copy, "g.po")) == contents(catalog), (options, text)
    return catalog


def assert_reads_back(text: str, **options: Any) -> str:
    """Reading ``text`` either fails with a one-line message naming a line of it, or gives a
    catalog that extrans writes, reads back, and writes again the same."""
    try:
        catalog = parse_po(text, "f.po", **options)
    except CatalogError as err:
        assert "\n" not in err.message
        assert err.line is None or 1 <= err.line <= text.count("\n") + 1
        return "refused"
    written = format_catalog(catalog)
    again = parse_po(written, "g.po", **options)
    assert contents(again) == contents(catalog), text
    assert format_catalog(again) == written, text
    return "read"


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


@needs_gettext
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_catalog_in_the_repository(path: Path) -> None:
    """A catalog extrans reads, gettext reads the same; one extrans refuses, gettext refuses
    too, but for the restrictions of extrans's own (no plural header, UTF-8 only, no NUL)."""
    text = _read(path)
    for variant in (text, text.replace("\n", "\r\n")):
        assert_reads_back(variant)
        assert_reads_back(variant, writable=False, default_width=100)
    error = error_of(text)
    if error is None:
        assert_reads_as_gettext(text)
    elif not error[0].startswith(("the header entry", "is in ")) and "NUL" not in error[0]:
        assert msgcat(text) is None, error


def _written_by_gettext() -> list[str]:
    """The repository's valid catalogs as msgcat writes them at several widths, and the
    merge fixture as msgmerge --previous writes it. (msgcat keeps the odd catalogs odd: a CR
    ending a comment is text to gettext and part of the line end to extrans, and a header
    after an entry stays there, where extrans writes it first.)"""
    odd = HOSTILE / "odd-catalogs"
    valid = [p for p in CATALOGS if error_of(_read(p)) is None and odd not in p.parents]
    texts = []
    for width in ("--width=20", "--width=50", "--width=100", "--no-wrap"):
        texts += [copy for path in valid if (copy := msgcat(_read(path), width)) is not None]
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
    """What gettext writes reads as gettext reads it, and is written back byte for byte."""
    texts = _written_by_gettext()
    assert len(texts) > 60
    for text in texts:
        catalog = assert_reads_as_gettext(text)
        assert format_catalog(catalog) == text
    # msgmerge's output has fuzzy entries with previous msgids, and obsolete entries.
    merged = parse_po(texts[-1], "f.po").messages
    assert any(m.previous_msgid is not None for m in merged)
    assert any(m.obsolete for m in merged)


# --- Behaviour on real text ---------------------------------------------------------------


HEADER = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
KEEP_ONE = "keep one of the two (msguniq --use-first keeps the first of each)"
ENDS_INSIDE = (
    "the file ends inside the entry that starts here, before its msgstr; "
    "complete the entry or remove it"
)
BAD_ESCAPE = "a string holds {}, an escape gettext refuses; write a backslash as \\\\"


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
    assert assert_reads_back(text) == "read"
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
    """Obsolete entries (their #~| lines are their previous strings, as gettext reads them),
    comments before the header, an entry with context, escapes, a catalog
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
    assert gone == Message(msgid="Gone", msgstr="Ido", obsolete=True, previous_msgid="gone before")
    no_header = parse_po('msgid "a"\nmsgstr "b"\n', "f.po")
    assert no_header.header.fields == () and no_header.messages == (Message("a", "b"),)
    for case in (text, 'msgid "a"\nmsgstr "b"\n', "", "\n", HEADER, "# only a comment\n"):
        assert_reads_back(case)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('msgid "a"\nmsgstr "b', 2, "cannot parse this line: 'msgstr \"b'"),
        ('msgid "a"\nmsgstrr "b"', 2, "cannot parse this line: 'msgstrr \"b\"'"),
        ('msgstr "b"\n', 1, "cannot parse: syntax error in po file"),
        ('msgid "a"\nmsgid "b"\n', 2, "cannot parse: syntax error in po file"),
        ('msgid "a"\nmsgstr "b"\n#|msgid "c"\n', 3, ENDS_INSIDE),
        ('#| msgid\nmsgid "a"\nmsgstr "b"\n', 1, "cannot parse this line: '#| msgid'"),
        ('#| msgtxt "x"\nmsgid "a"\nmsgstr "b"\n', 1, "cannot parse this line: '#| msgtxt \"x\"'"),
        ('#~ msgid "a"b"\n', 1, 'cannot parse this line: \'#~ msgid "a"b"\''),
        ('#~ msgstr[x] "a"\n', 1, "cannot parse this line: '#~ msgstr[x] \"a\"'"),
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
            'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n',
            3,
            "first plural form has nonzero index",
        ),
        (
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[0] "c"\n',
            4,
            "plural form has wrong index (msgstr[1] comes next)",
        ),
        (
            'msgid ""\nmsgid_plural "as"\nmsgstr[0] "b"\n',
            1,
            "the header entry (empty msgid) has a msgid_plural; remove it and its msgstr[N] "
            "lines, and give the header one msgstr",
        ),
        ('msgid "a"\n"\\q"\nmsgstr "b\\', 2, BAD_ESCAPE.format("'\\\\q'")),
        # A malformed line further on is reported before polib's complaint.
        ('msgstr "b"\nbroken\n', 2, "cannot parse this line: 'broken'"),
    ],
)
def test_errors(text: str, line: int, message: str) -> None:
    assert error_of(text) == (message, line)
    if shutil.which("msgcat") is not None and not message.startswith("the header"):
        assert msgcat(text) is None


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
    event(assert_reads_back(text))


@pytest.mark.fuzz
@settings(max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck))
@given(catalogs(), st.integers(0, 100))
def test_fuzz_random_catalogs(text: str, width: int) -> None:
    event(assert_reads_back(text, default_width=width + 10))


@pytest.mark.fuzz
@settings(max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(st.sampled_from(ODD_LINES) | comment_text | escaped.map('"{}"'.format), max_size=12)
)
def test_fuzz_lines(lines: list[str]) -> None:
    event(assert_reads_back("\n".join(lines)))


# --- Writing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'msgid "a"\nmsgstr ""\n\n# a note after every entry\n',
        '#~ msgid "b"\n#~ msgstr ""\n\nmsgid "a"\nmsgstr ""\n#\n',  # (live entries go first)
        '#~ msgid ""\n#~ msgstr ""\n\nmsgid "a"\nmsgstr ""\n""\n""\n#\n',
    ],
)
def test_comments_after_the_last_entry_stay_at_the_end(text: str) -> None:
    """Comments after the last entry belong to no entry (gettext drops them): extrans keeps
    them at the end of the file, so that putting live entries first gives them to none."""
    written = format_catalog(parse_po(text, "f.po"))
    assert written.endswith(text[text.rindex("\n#") :])
    assert assert_reads_back(text) != "refused"
    assert format_catalog(parse_po(written, "g.po")) == written
