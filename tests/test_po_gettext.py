"""The PO reader against gettext, the judge of what a catalog is: small catalogs built from
valid and invalid pieces (escapes, comments of every kind, obsolete entries, previous
strings, plurals, contexts, header variants, CRs, BOMs, NULs, stray lines, truncated files)
are read by extrans exactly when ``msgfmt -c`` accepts them, but for the differences in
:func:`deliberate_difference`, each with its reason. What both accept reads to the entries
of msgcat's copy, and what extrans writes of it is, to msgcat, the same catalog.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from extrans.errors import CatalogError
from extrans.formats.catalog import Catalog, Message, msgfmt_problem
from extrans.formats.plural import nplurals_of
from extrans.formats.pofile import format_catalog, parse_po

from .conftest import needs_gettext
from .test_pofile import contents

HEADER = [
    'msgid ""',
    'msgstr ""',
    '"Project-Id-Version: x\\n"',
    '"PO-Revision-Date: 2025-01-01 00:00+0000\\n"',
    '"Last-Translator: a\\n"',
    '"Language-Team: b\\n"',
    '"Language: es\\n"',
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
]
# Pieces of a string as a PO file writes them: escapes gettext reads, and some it refuses
# or reads to a NUL, a U+0004 or bytes that are not UTF-8.
GOOD_PIECES = [
    "a", "día", " ", "中文", "%", "\t", "\u2028", "\\t", '\\"', "\\\\", "\\a", "\\b", "\\f",
    "\\r", "\\v", "\\n", "\\101", "\\1011", "\\x41", "\\x4a4B", "\\303\\251", "\\xc3\\xa9",
]  # fmt: skip
BAD_PIECES = [
    "\\x", "\\xg", "\\u00e9", "\\q", "\\e", "\\8", "\\ ", "\\'", "\\?", "\\0", "\\x00",
    "\\400", "\\xe9", "\\303", "\\x04", "\\004", "\x04", "\x00", "\\",
]  # fmt: skip
COMMENTS = [
    "# note", "#", "#x", "##x", "#. body: paragraph", "#.", "#.x", "#: content/en/a.md",
    "#:", "#, fuzzy", "#, no-wrap", "#,", "#! fuzzy", "#~", "#|", "#~|", "#~ # note",
]  # fmt: skip
# Lines put anywhere: stray, dangling, misplaced, or laid out as no tool writes them.
STRAY = [
    "garbage", "msgid", '"x"', '#~ "x"', '#| "x"', '#| msgid "x"', '#~| msgid "x"',
    '#~ msgctxt "x"', '#| msgctxt "x"', '#~| msgctxt "x"', 'msgctxt "x"', "# inside",
    "#, fuzzy", 'msgstr "x"', 'msgid "z"', "<<<<<<< HEAD", 'domain "x"', " #", "\t# x",
    'msgid "a" "b"', 'msgstr "a" # c', 'msgstr[0] "x"', 'msgid_plural "x"', '#~msgid "x"',
    '\tmsgid "y"', 'msgid\xa0"y"', 'msgid "y"\xa0', '"unterminated', 'msgid "x"\x0c',
    '#| msgid_plural "x"', '#~ msgid "g"', "#~ msgstr", "",
]  # fmt: skip

pieces = st.lists(st.sampled_from(GOOD_PIECES), max_size=3).map("".join)
words = st.sampled_from(["a", "b", "c", "Hola", "Saw", "Sierra", "día", "Tab", "x y", "中文"])
texts = st.tuples(words, words, pieces).map("".join)


def one_in(count: int, draw: st.DrawFn) -> bool:
    """True once in ``count`` draws (hypothesis draws small integers more often)."""
    return draw(st.sampled_from([False] * (count - 1) + [True]))


@st.composite
def strings(draw: st.DrawFn, head: str, prefix: str, text: st.SearchStrategy[str]) -> list[str]:
    """``head "..."``, maybe wrapped onto continuation lines after ``prefix``."""
    if draw(st.booleans()):
        return [f'{head} "{draw(text)}"']
    return [f'{head} ""'] + [
        f'{prefix}"{piece}"' for piece in draw(st.lists(text, min_size=1, max_size=2))
    ]


@st.composite
def entries(draw: st.DrawFn, number: int) -> list[str]:
    """An entry, its msgid starting with its ``number`` (a duplicate comes of a stray line)."""
    obsolete = one_in(5, draw)
    live, previous = ("#~ ", "#~| ") if obsolete else ("", "#| ")
    lines = draw(st.lists(st.sampled_from(COMMENTS), max_size=3))
    if one_in(3, draw):
        if one_in(4, draw):
            lines += draw(strings(f"{previous}msgctxt", previous, pieces))
        lines += draw(strings(f"{previous}msgid", previous, texts))
        if one_in(9, draw):
            lines += draw(strings(f"{previous}msgid_plural", previous, texts))
    if one_in(5, draw):
        lines += draw(strings(f"{live}msgctxt", live, pieces))
    lines += draw(strings(f"{live}msgid", live, texts.map(f"{number} ".__add__)))
    if one_in(5, draw):
        lines += draw(strings(f"{live}msgid_plural", live, texts))
        # as many forms as the header's nplurals=2, or not; in order, or not
        forms = draw(st.sampled_from([[0, 1], [0, 1], [0, 1], [0], [0, 1, 2], [1, 0], [0, 2]]))
        for form in forms:
            lines += draw(strings(f"{live}msgstr[{form}]", live, pieces))
    else:
        lines += draw(strings(f"{live}msgstr", live, pieces))
    return lines


@st.composite
def catalogs(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(["usual"] * 6 + ["fuzzy", "commented", "none"]))
    blocks = [] if header == "none" else [list(HEADER)]
    if header == "fuzzy":
        blocks[0].insert(0, "#, fuzzy")
    elif header == "commented":
        blocks[0][:0] = ["# Spanish translation.", "#"]
    blocks += [draw(entries(number)) for number in range(draw(st.integers(0, 4)))]
    lines = [line for block in blocks for line in [*block, ""]]
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 1, 1, 2]))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(STRAY)))
    quoted = [at for at, line in enumerate(lines) if '"' in line]
    if quoted and one_in(5, draw):
        at = draw(st.sampled_from(quoted))
        before, quote, after = lines[at].partition('"')
        lines[at] = before + quote + draw(st.sampled_from(BAD_PIECES)) + after
    if lines and one_in(10, draw):
        del lines[draw(st.integers(0, len(lines) - 1))]
    text = draw(st.sampled_from(["\n", "\n", "\n", "\r\n"])).join(lines)
    if one_in(10, draw):  # a truncated file
        text = text[: draw(st.integers(0, len(text)))]
    return ("\ufeff" if one_in(20, draw) else "") + text


# --- Judges -------------------------------------------------------------------------------


def gettext(tool: str, text: str, *options: str) -> tuple[int, str, str]:
    """A gettext tool run on ``text``: its exit code, output and error output."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.po"
        path.write_bytes(text.encode("utf-8"))
        done = subprocess.run([tool, *options, str(path)], capture_output=True)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode()


def fatal_errors(stderr: str) -> list[str]:
    """msgfmt's errors, without their place, its warnings left out."""
    lines = [line for line in stderr.splitlines() if not line.startswith(" ")]
    lines = [re.sub(r"^\S*f\.po:[\d:]* ", "", line) for line in lines]
    return [line for line in lines if "warning:" not in line and "fatal error" not in line]


# A line of tokens as gettext reads them, laid out as extrans does not read them: a keyword
# without its string, two strings, a comment after a string, other spaces before a keyword.
_TOKENS = re.compile(
    r"[ \t\r\f\v]*(?:#~\|?|#\|)?[ \t\r\f\v]*(?:[A-Za-z_$][\w$]*(?:\[[0-9]+\])?[ \t\r\f\v]*)?"
    r'(?:"(?:[^"\\\n]|\\.)*"[ \t\r\f\v]*)*(?:#.*)?'
)


# What msgfmt -c says of a translation whose ends do not match its text's, or of plural
# translations that do not fit the header's nplurals.
_CHECKED_ENTRY = re.compile(
    r"do not both (begin|end) with '\\n'"
    r"|nplurals = \d+\.\.\.|some messages have|plural form translations|header entry lacks a "
)


def deliberate_difference(
    text: str, stderr: str, ours: CatalogError | None, catalog: Catalog | None
) -> str | None:
    """Why extrans and ``msgfmt -c`` may disagree on ``text``; None if they may not."""
    errors = fatal_errors(stderr)
    if ours is None:
        if not errors and "header missing or invalid" in stderr:
            return "msgfmt needs a header to compile a catalog; msgcat, msgmerge and extrans do not"
        if errors and all(_CHECKED_ENTRY.search(e) for e in errors):
            assert catalog is not None
            nplurals = nplurals_of(catalog.header.get("Plural-Forms"))
            assert any(msgfmt_problem(m, nplurals) for m in catalog.messages), text
            return (
                "a translation whose ends do not match its text's, or a plural one with a "
                "form too many or too few (or no Plural-Forms), is read; msgfmt_problem finds "
                "it, and extract marks it fuzzy"
            )
        return None
    if ours.message.startswith("is in "):
        return "extrans reads UTF-8 catalogs only"
    if ours.message.startswith("the header entry (empty msgid) has a msgid_plural"):
        return "a header is one msgstr of fields, which extrans reads and writes as such"
    if "NUL character" in ours.message:
        return "gettext cuts a string or a comment at a NUL, losing what follows"
    if "not UTF-8" in ours.message:
        return "bytes that are not UTF-8 are no text (msgfmt compiles them, msgcat aborts)"
    if ours.message.startswith("cannot parse this line") and ours.line is not None:
        line = re.split("\r?\n", text)[ours.line - 1]
        if _TOKENS.fullmatch(line.rstrip("\r")):
            return "extrans reads one keyword and its first string per line, as every tool writes"
    return None


def gettext_translated(message: Message) -> bool:
    """Whether gettext counts ``message`` translated: a plural one, by its ``msgstr[0]``."""
    return bool(message.msgstr_plural[0] if message.plural else message.msgstr)


def unfuzzy(message: Message) -> Message:
    """``message`` as msgcat writes it: fuzzy only if translated."""
    if gettext_translated(message):
        return message
    return dataclasses.replace(message, flags=tuple(f for f in message.flags if f != "fuzzy"))


def compare(text: str) -> str:
    """Judge extrans by gettext on ``text``; the outcome, for hypothesis's statistics."""
    code, _, stderr = gettext("msgfmt", text, "-c", "-o", "/dev/null")
    try:
        catalog: Catalog | None = parse_po(text, "f.po")
        ours = None
    except CatalogError as err:
        catalog, ours = None, err
        assert "\n" not in err.message
        assert err.line is None or 1 <= err.line <= text.count("\n") + 1
    if (code == 0) != (catalog is not None):
        reason = deliberate_difference(text, stderr, ours, catalog)
        assert reason is not None, (text, stderr, ours)
        return f"differs: {reason}"
    if catalog is None:
        return "both refuse"
    nplurals = nplurals_of(catalog.header.get("Plural-Forms"))
    assert not any(msgfmt_problem(m, nplurals) for m in catalog.messages), text
    if not catalog.messages:
        return "both read (msgcat writes nothing of a catalog without entries)"
    result = "both read"
    lf = re.sub(r"\r+(?=\n)|\r+\Z", "", text)
    if lf != text:  # a CR before a line end: text to gettext in a comment, a line end to extrans
        assert contents(parse_po(lf, "f.po")) == contents(catalog), text
        text, result = lf, "both read (CRs)"
    code, copy, stderr = gettext("msgcat", text)
    if code != 0:  # msgfmt reads it, but msgcat converts the text: it needs a charset
        assert "charset specification" in stderr, (text, stderr)
        return "both read (msgcat refuses text that is not ASCII without a charset)"
    # msgcat drops an obsolete entry without a translation, and the fuzzy flag of an entry
    # without one; extrans reads them (an obsolete entry may carry a translator's comment)
    # and writes them back.
    kept = [unfuzzy(m) for m in catalog.messages if gettext_translated(m) or not m.obsolete]
    assert contents(parse_po(copy, "g.po")) == contents(
        dataclasses.replace(catalog, messages=tuple(kept))
    ), text
    assert format_catalog(parse_po(copy, "g.po")) == copy, copy
    fresh = dataclasses.replace(
        catalog, messages=tuple(dataclasses.replace(m, raw=None) for m in catalog.messages)
    )
    for written in (format_catalog(catalog), format_catalog(fresh)):
        assert gettext("msgcat", written)[1] == copy, (text, written)
    return result


@needs_gettext
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_extrans_reads_what_msgfmt_accepts(text: str) -> None:
    event(compare(text))


@needs_gettext
@pytest.mark.fuzz
@settings(max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
@given(catalogs())
def test_fuzz_extrans_reads_what_msgfmt_accepts(text: str) -> None:
    event(compare(text))
