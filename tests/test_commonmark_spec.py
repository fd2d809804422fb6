"""Every CommonMark spec example: extraction never crashes, and never sends code or HTML."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt

from extrans.formats.markdown import extract_body_segments

from .fixture_file import FIXTURES

SPEC = json.loads((FIXTURES / "commonmark-spec.json").read_text(encoding="utf-8"))["examples"]
PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


@pytest.mark.parametrize("example", SPEC, ids=[f"{e['example']}-{e['section']}" for e in SPEC])
def test_spec_example(example: dict[str, object]) -> None:
    markdown = str(example["markdown"])
    segments = extract_body_segments(markdown, 0, 1)
    starts = _line_starts(markdown)
    forbidden = [
        (starts[token.map[0]], starts[min(token.map[1], len(starts) - 1)])
        for token in PARSER.parse(markdown)
        if token.type in ("code_block", "fence", "html_block") and token.map
    ]
    for segment in segments:
        assert 0 <= segment.start < segment.end <= len(markdown)
        assert segment.text.strip() == segment.text and segment.text
        for low, high in forbidden:
            assert segment.end <= low or segment.start >= high, (segment, markdown)
