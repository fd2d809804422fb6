"""Body extraction, shown on golden fixtures (tests/fixtures/body.txt)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it.token import Token

from extrans.markdown import (
    _NOT_WORDS,
    _Body,
    _line_segment,
    _paragraph_pieces,
    _plain_line,
    extract_body_segments,
    has_words,
    parse_blocks,
)
from extrans.model import Segment

from .fixture_file import FIXTURES, Fixture, read_fixtures

BODY = read_fixtures("body.txt")


def render(segments: list[Segment]) -> str:
    return "".join(f"{s.line} {s.origin} | {s.text.replace(chr(10), '⏎')}\n" for s in segments)


@pytest.mark.parametrize("fixture", BODY, ids=[f.title for f in BODY])
def test_body_fixture(fixture: Fixture) -> None:
    given = fixture.given.replace("\n", "\r\n") if "CRLF" in fixture.title else fixture.given
    assert render(extract_body_segments(given, 0, 1)) == fixture.expected


@pytest.mark.parametrize("fixture", BODY, ids=[f.title for f in BODY])
def test_spans_hold_the_source_text(fixture: Fixture) -> None:
    """Each segment's span is exactly its text in the source (lines joined where wrapped)."""
    for segment in extract_body_segments(fixture.given, 0, 1):
        source = fixture.given[segment.start : segment.end]
        if "\n" not in source:
            assert source == segment.text
        else:  # a wrapped block: the span runs from its first word to its last
            words = segment.text.split()
            assert source.startswith(words[0]) and source.endswith(words[-1])


def test_body_after_front_matter_counts_page_lines() -> None:
    page = "---\ntitle: x\n---\n\nHello there.\n"
    [segment] = extract_body_segments(page, page.index("\n\nHello") + 1, 4)
    assert (segment.line, page[segment.start : segment.end]) == (5, "Hello there.")


# --- has_words: what a translator would translate -------------------------------------------

NOT_WORDS = ["`code`", "<b>", "{{< x >}}", "{{% note %}}", "](/a/b)", "https://x.y/z", "&amp;"]


def has_words_by_definition(text: str) -> bool:
    """Letters left once code, tags, shortcodes, destinations, URLs and entities are out."""
    return any(char.isalpha() for char in _NOT_WORDS.sub(" ", text))


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Bicycle **2**", True),
        ("`npm install` <br> {{< youtube x >}} https://example.com/a &nbsp;", False),
        ("Paso 2 de 5", True),
        ("2024 - 10 / 5", False),
        ("² ½", False),  # numerals that patterns call word characters, and isalpha does not
        ("[](/only/a/destination)", False),
        ("", False),
    ],
)
def test_has_words(text: str, expected: bool) -> None:
    assert has_words(text) is expected is has_words_by_definition(text)


@given(st.lists(st.sampled_from(NOT_WORDS) | st.text(max_size=6), max_size=6).map("".join))
def test_has_words_agrees_with_its_definition(text: str) -> None:
    assert has_words(text) == has_words_by_definition(text)


def one_line_paragraphs(body: str) -> Iterator[tuple[_Body, Token]]:
    """The one-line paragraphs of a body that the short path reads, with the body."""
    lines = _Body(body, 0, 1)
    tokens = parse_blocks(body)
    for before, token in pairwise(tokens):
        if before.type == "paragraph_open" and _plain_line(token, ""):
            yield lines, token


SPEC = [
    str(example["markdown"])
    for example in json.loads((FIXTURES / "commonmark-spec.json").read_text())["examples"]
]
LINE_TEXT = st.lists(
    st.sampled_from([*"ab *_`\\\t{}[]()<>|#-!\u00a0\u2028\x0c\r", "  ", "\\\\", "é", "½"]),
    max_size=12,
).map("".join)


def assert_short_path_agrees(body: str) -> int:
    count = 0
    for lines, token in one_line_paragraphs(body):
        short = list(_line_segment(lines, token, "body: list item"))
        assert short == list(_paragraph_pieces(lines, token, "body: list item", False)), body
        count += 1
    return count


def test_one_line_paragraphs_read_as_any_paragraph() -> None:
    """The short path for one-line paragraphs gives what the general path gives, on every
    CommonMark example and fixture body (with CRLF too)."""
    bodies = [*SPEC, *(fixture.given for fixture in BODY)]
    read = sum(assert_short_path_agrees(b) + assert_short_path_agrees(b.replace("\n", "\r\n"))
               for b in bodies)  # fmt: skip
    assert read > 300


@given(st.lists(LINE_TEXT, max_size=4), st.sampled_from(["", "- ", "1. ", "  ", "    - "]))
def test_one_line_paragraphs_read_as_any_paragraph_on_odd_text(
    texts: list[str], marker: str
) -> None:
    assert_short_path_agrees("\n\n".join(marker + text for text in texts) + "\n")
