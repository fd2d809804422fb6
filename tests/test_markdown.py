"""Body extraction, shown on golden fixtures (tests/fixtures/body.txt; goldmark.txt for what
Hugo's Goldmark reads that CommonMark does not, each in the dialect its title names)."""

from __future__ import annotations

import pytest

from extrans.formats.dialect import DEFAULT_DIALECT, MarkdownDialect
from extrans.formats.markdown import extract_body_segments, has_words
from extrans.model import Segment

from .fixture_file import Fixture, read_fixtures

BODY = read_fixtures("body.txt")
GOLDMARK = read_fixtures("goldmark.txt")
DIALECTS = {
    "hugo": DEFAULT_DIALECT,
    "docsy.dev": MarkdownDialect(  # (google/docsy, docsy.dev/config/_default/hugo.yaml)
        block_attributes=True,
        math_blocks=(("\\[", "\\]"), ("$$", "$$")),
        math_inline=(("\\(", "\\)"),),
        unsafe=True,
    ),
    "definitionList = false": MarkdownDialect(definition_list=False),
    "footnote = false, table = false": MarkdownDialect(footnote=False, table=False),
    "attribute.title = false": MarkdownDialect(heading_attributes=False),
}
"""The dialects the fixtures of goldmark.txt name at the end of their titles."""


def dialect_of(title: str) -> MarkdownDialect:
    return DIALECTS[title[title.rindex("[") + 1 : -1]]


def render(segments: list[Segment]) -> str:
    """One line per segment: its line, origin and text, then the labels of its shortcut
    references (``→ [the guide]``)."""
    return "".join(
        f"{s.line} {s.origin} | {s.text.replace(chr(10), '⏎')}"
        + "".join(f" → [{label}]" for label in s.references)
        + "\n"
        for s in segments
    )


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


@pytest.mark.parametrize("fixture", GOLDMARK, ids=[f.title for f in GOLDMARK])
def test_goldmark_fixture(fixture: Fixture) -> None:
    segments = extract_body_segments(fixture.given, 0, 1, dialect=dialect_of(fixture.title))
    assert render(segments) == fixture.expected
    for segment in segments:  # each span runs from its text's first word to its last
        source, words = fixture.given[segment.start : segment.end], segment.text.split()
        assert source.startswith(words[0]) and source.endswith(words[-1])


def test_body_after_front_matter_counts_page_lines() -> None:
    page = "---\ntitle: x\n---\n\nHello there.\n"
    [segment] = extract_body_segments(page, page.index("\n\nHello") + 1, 4)
    assert (segment.line, page[segment.start : segment.end]) == (5, "Hello there.")


# --- has_words: what a translator would translate -------------------------------------------

NOT_WORDS = ["`code`", "<b>", "{{< x >}}", "{{% note %}}", "](/a/b)", "https://x.y/z", "&amp;"]


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
    assert has_words(text) is expected


@pytest.mark.parametrize("not_words", NOT_WORDS)
def test_has_words_looks_past_what_needs_no_translator(not_words: str) -> None:
    assert (has_words(not_words), has_words(f"{not_words} Roll down")) == (False, True)


# --- lines: only CR and LF end one, as in Markdown ----------------------------------------


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_other_line_separators_are_text_within_a_line(char: str) -> None:
    body = f"Hold{char}the curl.\n\n## After {char} it\n\nRoll down.\r\n\r\nAnd up.\rDone.\n"
    segments = extract_body_segments(body, 0, 1)
    assert render(segments) == (
        f"1 body: paragraph | Hold{char}the curl.\n"
        f"3 body: heading | After {char} it\n"
        "5 body: paragraph | Roll down.\n"
        "7 body: paragraph | And up. Done.\n"
    )
    assert [body[s.start : s.end] for s in segments[:3]] == [s.text for s in segments[:3]]


def test_simple_html_blocks_are_sent_when_the_site_asks() -> None:
    """``html-blocks``: the text of HTML blocks of inline tags (a ``<details>`` summary, a
    ``<p>``), tags and all; never a table, a script or a shortcode pair hidden as a comment,
    and nothing by default. (The render-parity site turns it on: Hugo renders the built
    blocks as their sources.)"""
    body = (
        "<details>\n<summary>Show the full list of options</summary>\n\nThe options.\n\n"
        '</details>\n\n<p align="center">A centered <em>note</em>.</p>\n\n'
        "<table><tr><td>Cell</td></tr></table>\n\n<script>alert('x')</script>\n\n"
        "{{< tab >}}\nIn a tab.\n{{< /tab >}}\n"
    )
    found = [(s.origin, s.text) for s in extract_body_segments(body, 0, 1, html_blocks=True)]
    assert found == [
        ("body: html block", "<details> <summary>Show the full list of options</summary>"),
        ("body: paragraph", "The options."),
        ("body: html block", '<p align="center">A centered <em>note</em>.</p>'),
        ("body: paragraph", "In a tab."),
    ]
    assert [s.origin for s in extract_body_segments(body, 0, 1)] == ["body: paragraph"] * 2
