"""Front matter and whole pages: what is sent to translators, and page keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from extrans.errors import PageError
from extrans.formats.frontmatter import read_string_fields, split_front_matter
from extrans.site.config import Settings, parse_field_pattern
from extrans.site.pages import check_key, derive_key, parse_page

from .fixture_file import Fixture, read_fixtures

EXAMPLE_FIELDS = (
    "title", "linkTitle", "description", "summary", "params.summary", "keywords[]", "steps[]",
    "modifications[].name", "modifications[].description", "faq[].q", "faq[].a",
)  # fmt: skip
SETTINGS = Settings(
    site_root=Path("/site"),
    source_language="en",
    target_languages=("es",),
    content_dirs={},
    fields=tuple(parse_field_pattern(p) for p in EXAMPLE_FIELDS),
    contexts={"keywords[]": "keyword"},
)
PAGES = read_fixtures("frontmatter.txt")


@pytest.mark.parametrize("fixture", PAGES, ids=[f.title for f in PAGES])
def test_page_fixture(fixture: Fixture) -> None:
    page = parse_page(fixture.given, "content/en/a.md", SETTINGS)
    rendered = "".join(
        f"{s.line} {s.origin}{f' [{s.context}]' if s.context else ''} | "
        f"{s.text.replace(chr(10), '⏎')}\n"
        for s in page.segments
    )
    assert rendered == fixture.expected


@pytest.mark.parametrize("fixture", PAGES, ids=[f.title for f in PAGES])
def test_field_spans_parse_back_to_their_value(fixture: Fixture) -> None:
    """Each span is the scalar's whole source text: parsing it alone gives the value."""
    import json
    import tomllib

    import yaml

    text = fixture.given
    front = split_front_matter(text, "a.md")
    for field in read_string_fields(text, front, "a.md"):
        source = text[field.start : field.end]
        if front.format == "toml":
            assert tomllib.loads(f"v = {source}")["v"] == field.value
        elif front.format == "json":
            assert json.loads(source) == field.value
        elif source[:1] not in "|>":
            assert yaml.safe_load(source) == field.value


def test_translation_key_from_front_matter_or_path() -> None:
    page = parse_page("---\ntranslationKey: exercise-saw\n---\n", "content/en/x/saw.md", SETTINGS)
    assert page.key == "exercise-saw"
    settings = Settings(Path("/s"), "en", ("es",), {})
    assert parse_page("# Hi\n", "content/en/exercises/saw.md", settings).key == "exercises/saw"
    assert derive_key(Path("exercises/saw/index.md")) == "exercises/saw"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("../escape", "'..'"),
        ("/etc/passwd", "absolute"),
        ("a\x00b", "control character"),
        ("tab\there", "control character"),
        ("a//b", "empty"),
        ("", "empty"),
        ("C:\\x", "control character or one of"),
    ],
)
def test_unsafe_keys_are_refused(key: str, problem: str) -> None:
    assert problem in (check_key(key) or "")
    text = f"---\ntranslationKey: {key!r}\n---\n".replace("'", '"').replace("\\x00", "\\0")
    if "\t" in key:
        text = '---\ntranslationKey: "tab\\there"\n---\n'
    with pytest.raises(PageError) as caught:
        parse_page(text, "content/en/a.md", SETTINGS)
    assert str(caught.value).startswith("content/en/a.md:2: translationKey")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: [unclosed\n---\n", 3, "invalid YAML front matter"),
        ("---\ntitle: x\n", 1, "no closing '---'"),
        ("+++\ntitle = \n+++\n", 2, "invalid TOML front matter"),
        ('{\n  "title": "x",\n  oops\n}\n', 3, "invalid JSON front matter"),
        ("---\n- a list\n---\n", 2, "not a mapping"),
    ],
)
def test_broken_front_matter_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(PageError) as caught:
        parse_page(text, "content/en/a.md", SETTINGS)
    assert caught.value.line == line and message in caught.value.message


def test_yaml_tags_construct_nothing() -> None:
    text = "---\ntitle: !!python/object/apply:os.system ['true']\nsummary: Safe\n---\n"
    assert [s.text for s in parse_page(text, "content/en/a.md", SETTINGS).segments] == ["Safe"]


def test_the_survey_finds_the_keys_and_errors_a_separate_read_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys are found from the bytes the survey read for their hash (no page is read again
    for its key); they, and the reasons a page has none, are what reading each page again
    for its key finds."""
    import os
    import shutil

    from extrans.site import survey as surveying
    from extrans.site.cache import PageCache
    from extrans.site.config import load_settings
    from extrans.site.survey import resolve_keys, survey_site

    from .fixture_file import FIXTURES

    site = tmp_path / "site"
    content = site / "content" / "en"
    content.mkdir(parents=True)
    (site / "extrans.toml").write_text('target-languages = ["es"]\n', encoding="utf-8")
    for page in sorted((FIXTURES / "hostile" / "pages").iterdir()):
        shutil.copy(page, content / page.name)
    (content / "same-key.md").write_text("---\ntranslationKey: a/b\n---\n", encoding="utf-8")
    (content / "same-key-too.md").write_text("---\ntranslationKey: a/b\n---\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("---\ntitle: Out\n---\n", encoding="utf-8")
    os.symlink(tmp_path / "outside.md", content / "link-out.md")
    settings = load_settings(site)
    with monkeypatch.context() as patch:
        patch.setattr(surveying, "read_page_text", None)  # a call would fail
        survey = survey_site(
            settings, PageCache.load(site, "extract", "f", expected=lambda page, key: None), 1
        )
    again = resolve_keys(settings, survey.relatives, {}, 1, survey.digests)
    assert survey.keys.keys == again.keys
    assert {page: [str(e) for e in errors] for page, errors in survey.keys.errors.items()} == {
        page: [str(e) for e in errors] for page, errors in again.errors.items()
    }
    assert len(survey.keys.errors) >= 10  # the hostile pages, the clash and the symlink
    assert "content/en/link-out.md" in survey.keys.errors
