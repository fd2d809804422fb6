"""The fast block scanner gives markdown-it's very tokens, or declines.

markdown-it is the oracle: on every CommonMark spec example, every page of the fixtures, the
example site and the benchmark corpus (each also with CRLF line endings), and on bodies
built from a grammar of edge-case lines, ``scan_blocks`` either returns None or exactly the
tokens markdown-it gives (type, tag, nesting, map, content, markup).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import astuple
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from markdown_it.common.utils import MD_TRIM_CHARS

from extrans.blocks import _TRIM, Block, block_of_token, scan_blocks
from extrans.errors import ExtransError
from extrans.frontmatter import split_front_matter
from extrans.markdown import _parser, parse_blocks

from .conftest import REPO
from .fixture_file import FIXTURES, read_fixtures

SPEC = [
    str(example["markdown"])
    for example in json.loads((FIXTURES / "commonmark-spec.json").read_text())["examples"]
]
EXAMPLE_SITE = sorted((REPO / "content" / "en").rglob("*.md"))
# The example pages that show what the scanner leaves to markdown-it.
DECLINED_EXAMPLES = {
    "spine-stretch-forward.md": "nested lists, a block quote, an HTML block",
    "swan-dive.md": "block quotes, a link reference definition",
}


def markdown_it_blocks(body: str) -> tuple[Block, ...]:
    return tuple(block_of_token(token) for token in _parser().parse(body))


def assert_same_or_declined(body: str) -> bool:
    """Check one body (and its CRLF form); whether the scanner read it."""
    scanned = scan_blocks(body)
    if scanned is not None:
        assert scanned == markdown_it_blocks(body), body
    crlf = body.replace("\n", "\r\n")
    scanned_crlf = scan_blocks(crlf)
    if scanned_crlf is not None:
        assert scanned_crlf == markdown_it_blocks(crlf), crlf
    return scanned is not None


def body_of(text: str, path: str) -> str:
    try:
        return text[split_front_matter(text, path).body_start :]
    except ExtransError:
        return text


def fixture_pages() -> Iterator[tuple[str, str]]:
    for path in sorted(FIXTURES.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        yield path.name, text
        yield f"{path.name} (body)", body_of(text, str(path))
    yield "body.txt", (FIXTURES / "body.txt").read_text(encoding="utf-8")
    for fixture in read_fixtures("body.txt"):
        yield fixture.title, fixture.given


@cache
def bench_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def bench_bodies(tmp_path: Path, pages: int, seed: int) -> list[str]:
    made = bench_generator().generate(pages, tmp_path / f"bench-{seed}", seed)
    return [body_of(page.text, page.path) for page in made]


# --- the oracle over real text -------------------------------------------------------------


def test_trims_what_markdown_it_trims() -> None:
    assert set(_TRIM) == set(MD_TRIM_CHARS)


def test_blocks_hold_the_token_fields() -> None:
    for markdown in SPEC:
        for token in _parser().parse(markdown):
            span = None if token.map is None else (token.map[0], token.map[1])
            fields = (token.type, token.tag, token.nesting, span, token.content, token.markup)
            assert block_of_token(token) == Block(*fields)
            assert astuple(block_of_token(token)) == fields


def test_commonmark_spec_examples() -> None:
    read = sum(assert_same_or_declined(markdown) for markdown in SPEC)
    assert read > 100  # the scanner does read a good part of them


@pytest.mark.parametrize("name,text", list(fixture_pages()), ids=lambda v: str(v)[:40])
def test_fixture_pages(name: str, text: str) -> None:
    assert_same_or_declined(text)


@pytest.mark.parametrize("path", EXAMPLE_SITE, ids=lambda p: p.name)
def test_example_site_pages(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert_same_or_declined(text)
    read = assert_same_or_declined(body_of(text, str(path)))
    assert read == (path.name not in DECLINED_EXAMPLES), DECLINED_EXAMPLES.get(path.name)


def test_benchmark_pages(tmp_path: Path) -> None:
    bodies = bench_bodies(tmp_path, 300, seed=7)
    read = sum(assert_same_or_declined(body) for body in bodies)
    assert read >= 0.9 * len(bodies)


def test_parse_blocks_gives_markdown_it_blocks_either_way() -> None:
    for body in (*SPEC[:100], "# Title\n\nText.\n", "> quoted\n"):
        assert parse_blocks(body) == markdown_it_blocks(body)


# --- what the scanner reads, and what it leaves to markdown-it ------------------------------


def test_a_plain_body() -> None:
    body = (
        "## Benefits ##\n"
        "\n"
        "- **Core**: lifts\n"
        "  and holds\n"
        "- Balance\n"
        "lazily\n"
        "\n"
        "| Week | Reps |\n"
        "| ---- | ---- |\n"
        "| 1 | 3 \\| 4 |\n"
        "2. Not a table row\n"
    )
    scanned = scan_blocks(body)
    assert scanned == markdown_it_blocks(body)
    assert scanned is not None
    assert [(b.type, b.map) for b in scanned if b.nesting == 1] == [
        ("heading_open", (0, 1)),
        ("bullet_list_open", (2, 7)),  # with the blank line after it
        ("list_item_open", (2, 4)),
        ("paragraph_open", (2, 4)),
        ("list_item_open", (4, 7)),
        ("paragraph_open", (4, 6)),
        ("table_open", (7, 10)),
        ("thead_open", (7, 8)),
        ("tr_open", (7, 8)),
        ("th_open", None),
        ("th_open", None),
        ("tbody_open", (9, 10)),
        ("tr_open", (9, 10)),
        ("td_open", None),
        ("td_open", None),
        ("ordered_list_open", (10, 11)),  # a list item ends the table
        ("list_item_open", (10, 11)),
        ("paragraph_open", (10, 11)),
    ]
    assert [b.content for b in scanned if b.type == "inline"] == [
        "Benefits",
        "**Core**: lifts\nand holds",  # without the item's indentation
        "Balance\nlazily",
        "Week",
        "Reps",
        "1",
        "3 | 4",
        "Not a table row",
    ]


READ = {
    "headings": "## Title ##\n\n### Title {#anchor}\n\n#\n",
    "shortcodes are text": "{{< youtube abc >}}\n\n{{% note %}}\nKeep still.\n{{% /note %}}\n",
    "wrapped list item": "- **Core**: lifts\n  and holds\n- lazy\ncontinuation\n",
    "loose list": "1. one\n\n2. two\n\n\nAfter.\n",
    "ordered list from 1 interrupts": "Steps:\n1. Lie down\n",
    "a 2 does not interrupt": "Counted\n2. times\n",
    "an empty item does not interrupt": "Text\n* \n+\n",
    "list markers change": "- a\n+ b\n1. c\n1) d\n",
    "rules": "***\n- - -\nText\n___\n",
    "fences": "```go\nfunc main() {\n\tfmt.Println()\n}\n```\n~~~\n```\n~~~~\n",
    "unclosed fence": "Text\n````md\ncode\n```\n",
    "table": "| A | B |\n|:--|--:|\n| a \\| pipe | b |\n| too | many | cells |\n| few |\nrow\n- item\n",
    "table interrupts a paragraph": "Plan:\n| Week | Reps |\n| ---- | ---- |\n| 1 | 3 |\n",
    "CRLF": "# Title\r\n\r\nText\r\n- item\r\n",
}
DECLINED = {
    "setext heading": "Title\n=====\n",
    "dashes under text": "Title\n---\n",
    "block quote": "> quoted\n",
    "HTML block": "<div>\nx\n</div>\n",
    "link reference definition": "[ref]: /url\n",
    "indented code": "    code\n",
    "nested list": "- a\n  - b\n",
    "second paragraph in an item": "- a\n\n  more\n",
    "empty item": "-\n- b\n",
    "fence in an item": "- ```\n  code\n  ```\n",
    "tab": "-\tthe tab\n",
    "indented heading": " # Title\n",
}


@pytest.mark.parametrize("markdown", READ.values(), ids=READ.keys())
def test_reads(markdown: str) -> None:
    assert assert_same_or_declined(markdown)


@pytest.mark.parametrize("markdown", DECLINED.values(), ids=DECLINED.keys())
def test_declines(markdown: str) -> None:
    assert scan_blocks(markdown) is None
    assert parse_blocks(markdown) == markdown_it_blocks(markdown)


# --- bodies from a grammar of edge-case lines -----------------------------------------------

# Lines the scanner reads, set side by side so that they meet at the edges: under a
# paragraph (setext underlines, interruptions), after list items (continuations), around
# tables (where they end) and fences (where they close).
# fmt: off
READABLE = [
    "", "", "", "text", "Plain **bold** and `code`.", "text  ", "text\\", "{{< youtube x >}}",
    "{{% note %}}", "\u00a0nbsp", "ends\u00a0", "\x0c", "\u2028", "\ufeffbom", "a\rb", "nul\0",
    "# H", "## H ##", "### H {#id}", "#", "##  ", "# #", "## x#", "#5", "####### seven",
    "---", "***", "___", "- - -", "* * *", "-- -", "===", "=", "-", "--", "___ x", "_ _",
    "- item", "* item", "+ item", "-  two", "-    four", "1. one", "2. two", "1) one", "10. ten",
    "0. zero", "01. one", "1234567890. long", "1.x", "- [link](/x)", "- [ ] task", "- a | b",
    "```", "```python", "````", "~~~", "~~~ a ~", "``` a`b", "```  ", "~~~~", "``",
    "| a | b |", "a | b", "|---|---|", "--- | ---", "|:--|--:|", "| --- |", "-|-", ":-:", "|-",
    "| a \\| b | c |", "| a |", "| x | y | z |", "\\|", "a|b|c", "|---|---|---|", "- | -",
    "| - | - |", "| a | b\\\\| c |", "[text](/url)", "x ]: y",
    "  wrapped", "   wrapped", "    wrapped", "      wrapped", "  | a | b |", "  |---|---|",
]
# Lines that make the scanner decline, or come close to it.
ODD = [
    "> quote", ">", "<div>", "</div>", "<!-- c -->", "<br>", "[r]: /url", "[a\nb]: /u", "[r]:",
    "- ", "1.", "2)", "- - nested", "- # heading", "- > quote", "- ```", "- [r]: /u", "-\tx",
    "1.\tx", "#\tH", "|\t---|", "text\twith tab", "- <b>x</b>", "-     five",
]
# fmt: on
READABLE_LINE = st.sampled_from(READABLE)
ODD_LINE = st.builds(
    lambda indent, core: indent + core,
    st.sampled_from(["", " ", "  ", "   ", "    ", "     ", "\t", " \t"]),
    st.sampled_from(READABLE + ODD),
)
LINE = st.one_of(*[READABLE_LINE] * 7, ODD_LINE)  # one odd line in eight
BODY = st.builds(
    lambda lines, end: "\n".join(lines) + end,
    st.lists(LINE, max_size=14),
    st.sampled_from(["", "\n", "\n\n", "  ", "\n  ", "\n\t"]),
)


# Whole blocks, well formed or nearly, so that the scanner gets to read most bodies.
TEXT = st.sampled_from(
    ["text", "**Bold**: text", "a | b", "x \\| y", "[link](/x)", "{{< s >}}", "`c`"]
)
INDENTED_TEXT = st.builds(
    lambda indent, text: indent + text,
    st.sampled_from(["", "", " ", "  ", "   ", "    ", "      "]),
    TEXT | st.sampled_from(READABLE),
)
PARAGRAPH = st.builds(
    lambda first, rest: "\n".join([first, *rest]), TEXT, st.lists(INDENTED_TEXT, max_size=2)
)
ITEM = st.builds(
    lambda marker, first, rest, gap: "\n".join([marker + first, *rest]) + gap,
    st.sampled_from(["- ", "* ", "+ ", "1. ", "2. ", "1) ", "10. ", "-  ", "1.   ", "-    "]),
    TEXT,
    st.lists(INDENTED_TEXT, max_size=2),
    st.sampled_from(["", "", "\n", "\n\n"]),
)
LIST = st.lists(ITEM, min_size=1, max_size=4).map("\n".join)
ROW = st.lists(TEXT | st.just(""), min_size=1, max_size=4).map(
    lambda cells: "| " + " | ".join(cells) + " |"
)
TABLE = st.builds(
    lambda header, delimiter, rows, after: "\n".join([header, delimiter, *rows, *after]),
    ROW | st.sampled_from(["a | b", "| a |"]),
    st.sampled_from(["|---|---|", "| --- | :-: |", "|---|", "---|---", "| - |", "|---|---|---|"]),
    st.lists(ROW | INDENTED_TEXT, max_size=3),
    st.lists(st.sampled_from(READABLE), max_size=1),
)
FENCE = st.builds(
    lambda opener, code, closer: "\n".join([opener, *code, *closer]),
    st.sampled_from(["```", "````", "~~~", "```go", "~~~ a"]),
    st.lists(
        INDENTED_TEXT | st.sampled_from(["\tcode", "", "  ```", "    ```", "~~~~ x"]), max_size=3
    ),
    st.lists(st.sampled_from(["```", "````", "~~~", "``", " ```", "```  ", "   ~~~~"]), max_size=1),
)
SINGLE = st.sampled_from(["# H", "## H ##", "***", "- - -", "___", "{{% note %}}", ""])
BLOCKS_BODY = st.builds(
    lambda blocks, gaps: "".join(block + gap for block, gap in zip(blocks, gaps, strict=False)),
    st.lists(PARAGRAPH | LIST | TABLE | FENCE | SINGLE | LINE, min_size=1, max_size=6),
    st.lists(st.sampled_from(["\n", "\n\n", "\n\n", "\n\n\n"]), min_size=6, max_size=6),
)


def check_body(body: str) -> None:
    event("read" if assert_same_or_declined(body) else "declined")


@settings(max_examples=300, deadline=None)
@given(BODY)
def test_grammar_lines(body: str) -> None:
    check_body(body)


@settings(max_examples=300, deadline=None)
@given(BLOCKS_BODY)
def test_grammar_blocks(body: str) -> None:
    check_body(body)


@pytest.mark.fuzz
@settings(max_examples=20_000, deadline=None)
@given(BODY | BLOCKS_BODY)
def test_grammar_long_run(body: str) -> None:
    check_body(body)
