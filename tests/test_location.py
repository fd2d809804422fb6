"""Where a body text sits, in its catalog comment: the column of a table cell and the two
nearest headings above it (golden fixtures in tests/fixtures/location.txt), stable when
other text moves."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.formats.catalog import Message, build_template
from extrans.formats.checks import check_message
from extrans.formats.markdown import extract_body_segments
from extrans.model import Segment, SourcePage

from .conftest import REPO, needs_gettext
from .fixture_file import Fixture, read_fixtures

Run = Callable[..., tuple[int, str, str]]
LOCATION = read_fixtures("location.txt")
SPINE = "content/en/exercises/spine-stretch-forward.md"


def render(segments: list[Segment]) -> str:
    return "".join(
        f"{s.line} {s.origin}{', ' + s.location if s.location else ''} | {s.text}\n"
        for s in segments
    )


@pytest.mark.parametrize("fixture", LOCATION, ids=[f.title for f in LOCATION])
def test_location_fixture(fixture: Fixture) -> None:
    segments = extract_body_segments(fixture.given, 0, 1, prose_arguments=("figure.caption",))
    assert render(segments) == fixture.expected


def _comments(text: str) -> dict[str, tuple[str, ...]]:
    """Each msgid of a page's template → its ``#.`` lines."""
    body = text.index("\n---\n", 3) + 5  # (after the front matter)
    segments = extract_body_segments(text, body, text.count("\n", 0, body) + 1)
    page = SourcePage(SPINE, "spine", "none", tuple(segments))
    return {m.msgid: m.extracted_comments for m in build_template(page, line_numbers=False)}


def test_an_edit_above_a_table_changes_no_comment() -> None:
    text = (REPO / SPINE).read_text(encoding="utf-8")
    before = _comments(text)
    added = "A new paragraph, with\na second line.\n\n"
    for anchor in ("## Weekly Practice Plan", "| Week |", "## Set Up Well"):
        assert anchor in text
        after = _comments(text.replace(anchor, added + anchor, 1))
        assert after.pop("A new paragraph, with a second line.")
        assert after == before
    assert before["Nodding the chin before rolling forward"] == (
        'body: table cell, column "Focus", under "Weekly Practice Plan"',
    )


def test_a_text_in_two_places_has_both_and_each_once() -> None:
    text = "---\n---\n## Benefits\n\n| Level |\n| - |\n| Easy |\n| Easy |\n\n## Modifications\n\nEasy\n"
    assert _comments(text)["Easy"] == (
        'body: table cell, column "Level", under "Benefits"',
        'body: paragraph, under "Modifications"',
    )


@needs_gettext
def test_the_example_site_catalog_says_where_each_text_sits(site: Path, extrans: Run) -> None:
    assert extrans(site, "extract")[0] == 0
    template = site / "locale" / "templates" / "exercise-spine-stretch-forward.pot"
    text = template.read_text(encoding="utf-8")
    assert (
        '#. body: table cell, column "Focus", under "Weekly Practice Plan"\n'
        f"#: {SPINE}\n"
        'msgid "Nodding the chin before rolling forward"\n'
    ) in text
    assert f'#. body: heading\n#: {SPINE}\nmsgid "Weekly Practice Plan"\n' in text
    assert "#. front matter: title\n" in text  # (front matter keeps its comments)
    checked = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(template)], capture_output=True, text=True
    )
    assert (checked.returncode, checked.stderr) == (0, "")


def test_a_check_names_the_kind_without_the_place() -> None:
    message = Message(
        msgid="Nodding the chin before rolling forward",
        msgstr="Asentir con la barbilla\nantes de rodar | hacia delante",
        extracted_comments=('body: table cell, column "Focus", under "Weekly Practice Plan"',),
    )
    found = {f.check: f.message for f in check_message(message, "locale/es/spine.po")}
    assert found["single-line"] == "a table cell must stay on one line"
    assert "table-pipe" in found
