"""po_wrap against the real thing: files written with it must be what ``msgcat`` writes."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from extrans.formats.po_wrap import (
    detect_width,
    display_width,
    escape,
    format_references,
    format_string,
)

needs_msgcat = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="GNU gettext's msgcat is not installed"
)


def _vocabulary(text: str) -> list[str]:
    return text.split()


ENGLISH = _vocabulary(
    "the of and to in is you that it he was for on are as with his they at be this have from "
    "or one had by word but not what all were we when your can said there use an each which "
    "she do how their if will up other about out many then them these so some her would make "
    "like him into time has look two more write go see number no way could people my than "
    "first water been call who oil its now find long down day did get come made may part "
    "extraordinarily internationalization well-known state-of-the-art e-mail co-operate "
    "Hugo Markdown PO gettext Poedit Weblate translation catalog shortcode front matter"
)
SPANISH = _vocabulary(
    "el la de que y a en un ser se no haber por con su para como estar tener le lo todo pero "
    "más hacer o poder decir este ir otro ese si me ya ver porque dar cuando él muy sin vez "
    "mucho saber qué sobre mi alguno mismo yo también hasta año dos querer entre así primero "
    "desde grande eso ni nos llegar pasar tiempo ella sí día uno bien poco deber entonces "
    "poner cosa tanto hombre parecer nuestro tan donde ahora parte después vida quedar "
    "siempre creer hablar llevar dejar nada cada seguir menor según canción pingüino "
    "¿Dónde ¿Cómo ¡Hola ¡Qué «traducción» «señor» acción corazón niño año español"
)
PUNCTUATION = [".", ",", ";", ":", "!", "?", "...", "?!", " —", " –", ")", "»", '"', "'"]
SPECIAL_TOKENS = [
    "https://example.com/a-b/c?d=e&f=g#frag",
    "https://www.example.org/very/long/path/to/some/resource/that/goes/on/and/on/index.html",
    "/usr/share/doc/extrans/README.md",
    "C:\\Users\\name\\Documents\\file.txt",
    "content/posts/2024-01-15-my-first-post/index.es.md",
    "**bold**",
    "*italic*",
    "`code`",
    "[link](https://example.com/a-b/c?d=e)",
    "![alt text](/images/photo-1.jpg)",
    "{{< youtube id >}}",
    '{{< figure src="/img/a.png" title="A title" >}}',
    "{{% notice tip %}}",
    "6-8",
    "3.5",
    "1,000",
    "10:30",
    "50%",
    "$20",
    "€15",
    "(see above)",
    "[1]",
    "a/b",
    "and/or",
    "self-contained",
    "x86_64",
    "v1.2.3",
    "e.g.",
    "i.e.,",
    '"quoted"',
    "'single'",
    "back\\slash",
    "tab\there",
    "<br>",
    "&nbsp;",
    "#hashtag",
    "@mention",
    "foo_bar_baz",
    "CamelCaseIdentifierThatIsQuiteLongIndeed",
    "a" * 90,
    "—",
    "…",
    "°C",
    "½",
    "™",
]
CJK_TEXTS = [
    "日本語のテキストです。",
    "これは長い文章で、折り返しのテストに使います。",
    "中文文本，用于测试换行。",
    "한국어 텍스트입니다.",
    "東京タワー（とうきょうタワー）は、東京都港区芝公園にある総合電波塔である。",
    "「かぎかっこ」と『二重かぎかっこ』",
    "ＡＢＣ１２３",
    "ｶﾀｶﾅ",
]
EMOJI = ["😀", "👍🏽", "👨‍👩‍👧", "🇪🇸", "🇯🇵🇺🇸", "❤️", "✨", "🎉"]
ODD_CHARS = (
    "\u00a0\u00ad\u200b\u200d\u2060\ufeff\u0301\u0308\u05d0\u05d1\u05be\u0627\u0644\u0e01"
    "\u0e32\u2028\u2010\u2011\u2012\u2013\u2014\u00b7\u2022\u3000\u3001\u3002\uff0c\u30fc"
    "\u1100\u1161\u11a8\uac00\x1b\x7f\u0085\u00b4\u02c8\u2019\u201c\u201d\u00ab\u00bb"
    "\a\b\f\r\v\t\\\"'-/?!%$()[]{}<>.,;:"
)


def _words(rng: random.Random, vocabulary: list[str], count: int) -> str:
    out: list[str] = []
    for _ in range(count):
        token = rng.choice(vocabulary)
        roll = rng.random()
        if roll < 0.08:
            token = rng.choice(SPECIAL_TOKENS)
        elif roll < 0.11:
            token = rng.choice(EMOJI)
        elif roll < 0.13:
            token = rng.choice(vocabulary).capitalize()
        out.append(token)
        if rng.random() < 0.12:
            out.append(rng.choice(PUNCTUATION))
    text = " ".join(out)
    if rng.random() < 0.3:
        text = text.replace(" .", ".").replace(" ,", ",")
    return text


def sample_string(rng: random.Random) -> str:
    """One string of the kinds a Hugo site's pages contain, and some harder ones."""
    kind = rng.random()
    if kind < 0.35:
        text = _words(rng, ENGLISH, rng.choice([2, 5, 10, 14, 20, 40, 80]))
    elif kind < 0.6:
        text = _words(rng, SPANISH, rng.choice([2, 5, 10, 14, 20, 40, 80]))
    elif kind < 0.7:
        text = "".join(rng.choice(CJK_TEXTS) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.5:
            text = _words(rng, ENGLISH, 5) + " " + text
    elif kind < 0.8:
        text = " ".join(rng.choice(SPECIAL_TOKENS) for _ in range(rng.randint(1, 12)))
    elif kind < 0.9:
        alphabet = ODD_CHARS + "abc def ghi " * 3
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
    else:
        text = "".join(rng.choice(ODD_CHARS + " xy") for _ in range(rng.randint(1, 25)))
    if rng.random() < 0.25:  # paragraphs and line breaks
        parts = [text, *(_words(rng, ENGLISH, rng.randint(0, 25)) for _ in range(3))]
        text = rng.choice(["\n", "\n\n", "  \n"]).join(parts[: rng.randint(2, 4)])
    if rng.random() < 0.1:
        text += "\n"
    if rng.random() < 0.03:
        text = rng.choice(["\n", "\n\n", " ", "", "\\", '"', "\t"])
    return text.replace("\0", "")


def sample_references(rng: random.Random) -> list[str]:
    """References as extract writes them, and some unusual ones."""
    refs = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 8])):
        depth = rng.randint(0, 6)
        path = "/".join(
            rng.choice(["content", "posts", "a-rather-long-directory-name", "es", "x"])
            for _ in range(depth)
        )
        path = (path + "/" if path else "") + rng.choice(["index.md", "_index.es.md", "página.md"])
        if rng.random() < 0.5:
            path += f":{rng.randint(1, 5000)}"
        refs.append(rng.choice(["", "", "", "./"]) + path)
    return refs


@dataclass(frozen=True, slots=True)
class Entry:
    """The parts of a PO entry that po_wrap formats."""

    msgid: str
    msgstr: str
    msgctxt: str | None = None
    plural: str | None = None
    previous: str | None = None
    references: tuple[str, ...] = ()
    obsolete: bool = False


def sample_entries(seed: int, count: int) -> list[Entry]:
    """COUNT entries with unique msgids, live ones first."""
    rng = random.Random(seed)
    seen: set[tuple[str | None, str, bool]] = set()
    entries: list[Entry] = []
    while len(entries) < count:
        obsolete = rng.random() < 0.1
        msgctxt = sample_string(rng) if rng.random() < 0.1 else None
        msgid = sample_string(rng)
        if (
            not msgid
            or (msgctxt, msgid, obsolete) in seen
            or (msgctxt, msgid, not obsolete) in seen
        ):
            continue
        seen.add((msgctxt, msgid, obsolete))
        msgstr = sample_string(rng) if rng.random() < 0.7 or obsolete else ""
        entries.append(
            Entry(
                msgid=msgid,
                msgstr=msgstr or ("x" if obsolete else ""),
                msgctxt=msgctxt,
                plural=(sample_string(rng) or "p") if rng.random() < 0.05 else None,
                previous=sample_string(rng) if rng.random() < 0.15 else None,
                references=() if obsolete else tuple(sample_references(rng)),
                obsolete=obsolete,
            )
        )
    return sorted(entries, key=lambda e: e.obsolete)


HEADER = (
    "Project-Id-Version: extrans test\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


def render_entry(entry: Entry, width: int | None) -> str:
    """ENTRY as msgcat --width=WIDTH would write it."""
    prefix = "#~ " if entry.obsolete else ""
    lines = format_references(entry.references, width)
    if entry.previous is not None:
        previous_prefix = "#~| " if entry.obsolete else "#| "
        lines += format_string("msgid", entry.previous, prefix=previous_prefix, width=width)
    if entry.msgctxt is not None:
        lines += format_string("msgctxt", entry.msgctxt, prefix=prefix, width=width)
    lines += format_string("msgid", entry.msgid, prefix=prefix, width=width)
    if entry.plural is None:
        lines += format_string("msgstr", entry.msgstr, prefix=prefix, width=width)
    else:
        lines += format_string("msgid_plural", entry.plural, prefix=prefix, width=width)
        lines += format_string("msgstr[0]", entry.msgstr, prefix=prefix, width=width)
        lines += format_string("msgstr[1]", entry.msgstr[::-1], prefix=prefix, width=width)
    return "\n".join(lines) + "\n"


def render_catalog(entries: list[Entry], width: int | None) -> str:
    """A whole PO file."""
    header = "\n".join([*format_string("msgid", ""), *format_string("msgstr", HEADER, width=width)])
    return "\n".join([header + "\n", *(render_entry(e, width) for e in entries)])


def run_msgcat(path: Path, width: int | None) -> str:
    """What msgcat --width=WIDTH (--no-wrap for None) makes of PATH."""
    msgcat = shutil.which("msgcat")
    assert msgcat is not None
    option = "--no-wrap" if width is None else f"--width={width}"
    result = subprocess.run(
        [msgcat, option, str(path)],
        capture_output=True,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    return result.stdout.decode("utf-8")


def first_difference(ours: str, theirs: str) -> str:
    """The first entry that differs, both ways, for the assertion message."""
    for mine, gettext in zip(ours.split("\n\n"), theirs.split("\n\n"), strict=False):
        if mine != gettext:
            return f"po_wrap wrote:\n{mine}\n\nmsgcat wrote:\n{gettext}"
    return f"entry counts differ: {ours.count(chr(10) * 2)} != {theirs.count(chr(10) * 2)}"


@needs_msgcat
@pytest.mark.parametrize("width", [79, 100, 60, None], ids=lambda w: f"width={w}")
def test_catalog_is_what_msgcat_writes(tmp_path: Path, width: int | None) -> None:
    entries = sample_entries(seed=1, count=2000)
    ours = render_catalog(entries, width)
    path = tmp_path / "sample.po"
    path.write_text(ours, encoding="utf-8")
    theirs = run_msgcat(path, width)
    assert ours == theirs, first_difference(ours, theirs)


@needs_msgcat
@pytest.mark.parametrize("width", [79, 40, 20], ids=lambda w: f"width={w}")
def test_edge_cases_match_msgcat(tmp_path: Path, width: int) -> None:
    values = [
        "",
        "\n",
        "\n\n",
        "a\n",
        "a\nb",
        "x" * 200,
        "x" * 200 + "\n",
        "word " * 40,
        "word " * 40 + "\n",
        "   leading and trailing spaces   ",
        " " * 120,
        "tabs\tand\ttabs\t" * 10,
        "\\" * 150,
        '"' * 150,
        "end with backslash n \\n" * 8,
        "a" * 60 + "\\" + "b" * 60,
        "line one\nline two is longer than the width of the page, definitely longer\nthree\n",
        "中" * 100,
        "中文 " * 40,
        "👍🏽" * 40,
        "🇪🇸🇯🇵🇺🇸🇩🇪" * 10,
        "e\u0301" * 90,
        "six-to-eight 6-8 items, 3.5 hours; see:this, and:that." * 3,
        "¿Qué tal? ¡Muy bien! «Entre comillas» — dijo él." * 3,
        "https://example.com/" + "segment/" * 20 + "end?query=value&other=thing",
        "\u2028".join(["separator"] * 20),
        "x\u200by" * 60,
    ]
    entries = [
        Entry(msgid=f"{i}: {value}", msgstr=value, previous=value or None)
        for i, value in enumerate(values)
    ]
    entries += [
        Entry(msgid=f"obsolete {i}: {v}", msgstr=v or "x", obsolete=True)
        for i, v in enumerate(values)
    ]
    ours = render_catalog(entries, width)
    path = tmp_path / "edge.po"
    path.write_text(ours, encoding="utf-8")
    theirs = run_msgcat(path, width)
    assert ours == theirs, first_difference(ours, theirs)


@needs_msgcat
@pytest.mark.parametrize("width", [79, 30, None], ids=lambda w: f"width={w}")
def test_references_match_msgcat(tmp_path: Path, width: int | None) -> None:
    cases = [
        ["content/posts/a-very-long-directory-name/another-long-directory/index.md:12"],
        ["./x.md", "x.md", "x.md:1", "./y.md:2", "y.md:2", "c.md:007"],
        ["d:e.md", "e.md:0", "f.md:-1", ":5", "g.md:", "h:1:2"],
        [f"content/section-{i}/page-{i}.md:{i * 37}" for i in range(30)],
        ["página/ñandú.md:3", "日本語/ファイル.md:4"] * 3 + ["z" * 100, "short.md"],
        # Lines over Python's 4,300 digits: gettext wraps them around at 2**64.
        [f"i.md:{'9' * 5000}", f"j.md:1{'0' * 4999}5", f"k.md: {'9' * 5000}"],
    ]
    entries = [
        Entry(msgid=f"message {i}", msgstr="", references=tuple(refs))
        for i, refs in enumerate(cases)
    ]
    ours = render_catalog(entries, width)
    path = tmp_path / "refs.po"
    path.write_text(ours, encoding="utf-8")
    theirs = run_msgcat(path, width)
    assert ours == theirs, first_difference(ours, theirs)


def test_format_string_examples() -> None:
    assert format_string("msgid", "") == ['msgid ""']
    assert format_string("msgstr", "Hello") == ['msgstr "Hello"']
    assert format_string("msgid", "a\nb") == ['msgid ""', '"a\\n"', '"b"']
    assert format_string("msgid", "a\n") == ['msgid "a\\n"']
    assert format_string("msgid", "a\nb", width=None) == ['msgid ""', '"a\\n"', '"b"']
    long = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor"
    assert format_string("msgid", long) == [
        'msgid ""',
        '"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "',
        '"tempor"',
    ]
    assert format_string("msgid", long, prefix="#| ", width=None) == [f'#| msgid "{long}"']
    assert format_string("msgid", long, prefix="#~ ")[1].startswith('#~ "Lorem')


def test_width_is_clamped_like_msgcat() -> None:
    long = "word " * 30
    assert format_string("msgid", long, width=5) == format_string("msgid", long, width=20)
    assert format_string("msgid", long, width=0) == [f'msgid "{long}"']
    with pytest.raises(ValueError, match="negative"):
        format_string("msgid", long, width=-1)


def test_escape_and_width() -> None:
    assert escape('say "hi"\\\t\n') == 'say \\"hi\\"\\\\\\t\\n'
    assert escape("\a\b\f\r\v") == "\\a\\b\\f\\r\\v"
    assert escape("plain ñ 日本") == "plain ñ 日本"
    assert display_width("abc") == 3
    assert display_width("日本") == 4
    assert display_width("e\u0301") == 1
    assert display_width("\x1b") == 0
    assert display_width("👍🏽") == 4


def test_format_references_examples() -> None:
    assert format_references([], 79) == []
    assert format_references(["./a.md:007", "a.md:7", "b.md"], 79) == ["#: a.md:7 b.md"]
    refs = [f"content/page-{i}.md" for i in range(10)]
    assert all(len(line) <= 40 for line in format_references(refs, 40))
    assert format_references(refs, None) == format_references(refs, 79)


def test_detect_width_unwrapped_file_is_no_wrap() -> None:
    text = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Hello there"\nmsgstr "Hola"\n'
    assert detect_width(text) is None


def test_detect_width_takes_the_longest_soft_wrapped_line() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        "#: a/very/long/reference/path/that/is/longer/than/everything/else/here.md\n"
        'msgid ""\n"First line of a long message that "\n"was wrapped"\nmsgstr ""\n'
    )
    assert detect_width(text) == len('"First line of a long message that "')


def test_detect_width_ignores_translator_comments() -> None:
    comment = "# " + "a long translator comment " * 5
    text = f'{comment}\nmsgid ""\n"one two three "\n"four"\nmsgstr "x"\n'
    assert detect_width(text) == len('"one two three "')


def test_detect_width_counts_msgctxt_empty_first_line_as_soft() -> None:
    # Poedit only treats 'msgid ""' and 'msgstr ""' as hard-wrapped first lines, and measures
    # every line with a space in it, not only continuation lines.
    text = 'msgctxt ""\n"context"\nmsgid "a b"\nmsgstr "c d"\n'
    assert detect_width(text) == len('msgstr "c d"')


def test_detect_width_of_prose_written_at_79() -> None:
    prose = " ".join(ENGLISH)
    text = "\n".join(['msgid ""', *format_string("msgstr", prose), ""])
    assert detect_width(text) == max(len(line) for line in format_string("msgstr", prose))
    assert detect_width("\n".join(format_string("msgid", prose, width=None))) is None
