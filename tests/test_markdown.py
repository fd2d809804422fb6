"""Body extraction, shown on golden fixtures (tests/fixtures/body.txt)."""

from __future__ import annotations

import pytest

from extrans.markdown import extract_body_segments
from extrans.model import Segment

from .fixture_file import Fixture, read_fixtures

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
