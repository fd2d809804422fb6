"""Round trip through the splice: every page is pseudo-translated (letters accented outside
markup, :func:`extrans.formats.pseudo.pseudo_translate`) and built; the built page must differ
from the source exactly in the translated spans, read back as the transformed texts, and render
in Hugo to the same elements (``tests/hugo_render.py``).

Pages: the fixtures, the corpus, the example site, and the Markdown pages of the real Hugo
sites in ``/tmp/sites`` and in the folder ``EXTRANS_REAL_SITES`` names; sites that are absent
are skipped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from extrans.errors import ExtransError
from extrans.formats.pseudo import pseudo_translate as pseudo
from extrans.model import Segment, SourcePage
from extrans.site.config import Settings
from extrans.site.pages import parse_page
from extrans.stages.localize import localize_page

from .conftest import EXAMPLE_FIELDS, REPO, settings_with
from .fixture_file import FIXTURES, read_fixtures
from .hugo_render import rendered_differently
from .test_markdown import DIALECTS, GOLDMARK, dialect_of

SETTINGS = settings_with(*EXAMPLE_FIELDS, "linkTitle")
PAGE_FILES = sorted(
    [
        *(REPO / "content" / "en").rglob("*.md"),
        *(FIXTURES / "corpus").glob("*.md"),
        *(FIXTURES / "hostile" / "pages").glob("*.md"),
    ]
)
FIXTURE_PAGES = {
    **{path.relative_to(REPO).as_posix(): path.read_bytes() for path in PAGE_FILES},
    **{f"body.txt:{f.line}": f.given.encode() for f in read_fixtures("body.txt")},
    **{f"frontmatter.txt:{f.line}": f.given.encode() for f in read_fixtures("frontmatter.txt")},
}
SITES = [Path("/tmp/sites"), Path(os.environ.get("EXTRANS_REAL_SITES") or "/tmp/sites")]
SITE_PAGES = sorted(
    page
    for folder in dict.fromkeys(SITES)
    if folder.is_dir()
    for page in folder.rglob("*.md")
    if "content" in page.relative_to(folder).parts and "node_modules" not in page.parts
)


def translate(page: SourcePage) -> dict[tuple[str | None, str], str]:
    """Every text of ``page`` pseudo-translated."""
    return {(s.context, s.text): pseudo(s.text, s.references) for s in page.segments}


def _by_place(segments: Sequence[Segment]) -> list[Segment]:
    return sorted(segments, key=lambda s: (s.start, s.end))


def _between(text: str, segments: Sequence[Segment]) -> list[str]:
    """The text before, between and after the spans of ``segments``."""
    ends = [0, *(s.end for s in segments)]
    starts = [*(s.start for s in segments), len(text)]
    return [text[end:start] for end, start in zip(ends, starts, strict=True)]


def spliced_spans(built: str, spans: Sequence[Segment], kept: Sequence[str]) -> list[str]:
    """What stands in ``built`` in place of each span, given ``kept``, the source's text
    around them, which must come back byte for byte and in order; ``spans``, the segments
    read back from ``built``, say where each replacement starts. A replacement is its
    segment's text plus at most the blanks that ended the source's span (a YAML block
    scalar's replaced by a quoted one)."""
    replaced: list[str] = []
    position = 0
    for gap, segment, after in zip(kept, [*spans, None], [*kept[1:], None], strict=True):
        assert built.startswith(gap, position), (position, gap[:80], built[position:][:80])
        position += len(gap)
        if segment is None or after is None:
            break
        assert segment.start == position, (segment, built[position:][:80])
        end = segment.end
        while not built.startswith(after, end) and built[end : end + 1] in (" ", "\t", "\r", "\n"):
            end += 1
        replaced.append(built[position:end])
        position = end
    assert position == len(built), built[position:][:80]
    return replaced


def assert_round_trip(text: str, path: str, settings: Settings = SETTINGS) -> str | None:
    """Build ``text`` pseudo-translated and judge the splice; the built page, or ``None``
    when extrans refuses the source page (with a message, as it must)."""
    try:
        page = parse_page(text, path, settings)
    except ExtransError as err:
        assert str(err).startswith(path), err
        return None
    built = localize_page(text, page, translate(page))
    assert not built.rejected, built.rejected
    assert built.complete
    rebuilt = parse_page(built.text, path, settings)
    old, new = _by_place(page.segments), _by_place(rebuilt.segments)
    # Each span reads back as the translation of the source text that was there ...
    assert [(s.origin, s.text) for s in new] == [
        (s.origin, pseudo(s.text, s.references)) for s in old
    ]
    # ... every byte outside the spans is the source's, in the same order ...
    replaced = spliced_spans(built.text, new, _between(text, old))
    # ... and every span whose text the transform changes was rewritten, the others kept.
    for before, after, replacement in zip(old, new, replaced, strict=True):
        source = text[before.start : before.end]
        assert (replacement == source) == (after.text == before.text), (source, replacement)
    return built.text


def _variants(data: bytes) -> list[tuple[str, str]]:
    """The page as it is, with CRLF line endings, and with a byte-order mark (a page that is
    not UTF-8 only as it is: extrans refuses it)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [("as is", data.decode("latin-1"))]
    return [("lf", text), ("crlf", text.replace("\n", "\r\n")), ("bom", "\ufeff" + text)]


@pytest.mark.parametrize("name", sorted(FIXTURE_PAGES))
def test_fixture_page_round_trip(name: str) -> None:
    for _, text in _variants(FIXTURE_PAGES[name]):
        assert_round_trip(text, "content/en/page.md")


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs hugo")
def test_fixture_pages_render_alike(tmp_path: Path) -> None:
    pages = {}
    for name, data in FIXTURE_PAGES.items():
        text = _variants(data)[0][1]
        built = assert_round_trip(text, "content/en/page.md")
        if built is not None:
            pages[name] = (text, built)
    assert rendered_differently(pages, tmp_path / "hugo") == {}


GOLDMARK_CONFIGS: dict[str, dict[str, object]] = {
    "hugo": {},
    "docsy.dev": {"parser": {"attribute": {"block": True}}},
    "definitionList = false": {"extensions": {"definitionList": False}},
    "footnote = false, table = false": {"extensions": {"footnote": False, "table": False}},
    "attribute.title = false": {"parser": {"attribute": {"title": False}}},
}
"""The Hugo ``markup.goldmark`` settings of each dialect goldmark.txt names (the Hugo here,
0.111, has no passthrough: its math renders as text, and must still come back as it was)."""


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs hugo")
@pytest.mark.parametrize("name", sorted(GOLDMARK_CONFIGS))
def test_goldmark_fixtures_render_alike(tmp_path: Path, name: str) -> None:
    settings = replace(SETTINGS, dialect=DIALECTS[name])
    pages = {}
    for fixture in GOLDMARK:
        if dialect_of(fixture.title) == settings.dialect:
            built = assert_round_trip(fixture.given, "content/en/page.md", settings)
            assert built is not None and built != fixture.given
            pages[f"goldmark.txt:{fixture.line}"] = (fixture.given, built)
    assert pages
    assert rendered_differently(pages, tmp_path / "hugo", GOLDMARK_CONFIGS[name]) == {}


def test_the_judge_sees_a_lost_byte() -> None:
    text = "---\ntitle: Roll Up\n---\n\nRoll *up* slowly.\n\nLie down.\n"
    page = parse_page(text, "content/en/p.md", SETTINGS)
    built = localize_page(text, page, translate(page)).text
    assert built == "---\ntitle: ⟦Ŕöĺĺ Ûþ !⟧\n---\n\n⟦Ŕöĺĺ *ûþ* šĺöŵĺý. !!⟧\n\n⟦Ĺîé ďöŵñ. !⟧\n"
    kept = _between(text, _by_place(page.segments))
    rebuilt = parse_page(built, "content/en/p.md", SETTINGS)
    assert spliced_spans(built, _by_place(rebuilt.segments), kept) == [
        "⟦Ŕöĺĺ Ûþ !⟧",
        "⟦Ŕöĺĺ *ûþ* šĺöŵĺý. !!⟧",
        "⟦Ĺîé ďöŵñ. !⟧",
    ]
    lost = built.replace("⟧\n\n⟦Ĺ", "⟧\n⟦Ĺ")
    rebuilt = parse_page(lost, "content/en/p.md", SETTINGS)
    with pytest.raises(AssertionError):
        spliced_spans(lost, _by_place(rebuilt.segments), kept)


@cache
def _site_pages() -> dict[str, tuple[str, str]]:
    """Every real-site page extrans reads, and its build (judged on the way)."""
    refused = []
    pages = {}
    for path in SITE_PAGES:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        built = assert_round_trip(text, "content/en/page.md")
        if built is None:
            refused.append(path)
        else:
            pages[str(path)] = (text, built)
    assert len(refused) <= len(SITE_PAGES) // 100, refused
    return pages


@pytest.mark.slow
@pytest.mark.skipif(not SITE_PAGES, reason="no real Hugo site in /tmp/sites or EXTRANS_REAL_SITES")
def test_real_site_pages_round_trip() -> None:
    assert len(_site_pages()) >= len(SITE_PAGES) * 0.95


@pytest.mark.slow
@pytest.mark.skipif(not SITE_PAGES or shutil.which("hugo") is None, reason="needs hugo and sites")
def test_real_site_pages_render_alike(tmp_path: Path) -> None:
    pages = _site_pages()
    sample = {
        name: pair
        for number, (name, pair) in enumerate(sorted(pages.items()))
        if number % 8 == 0 or "hugo-book" in name
    }
    assert rendered_differently(sample, tmp_path / "hugo") == {}
