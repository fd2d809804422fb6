"""Data files: their configured strings read with their spans, and a translation written back
losslessly (a new file from the source, or an existing one edited in place), judged by the
YAML, TOML and JSON parsers themselves."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extrans.errors import PageError
from extrans.formats.checks import check_translation
from extrans.formats.datafile import data_page, hand_translations, localize_data
from extrans.formats.frontmatter import PathPart, read_document_strings
from extrans.formats.pseudo import pseudo_translate
from extrans.model import FrontMatterFormat, SourcePage
from extrans.site.config import parse_data_rule

TEAM_YAML = """\
# The team page's cards, in page order.
members:
  - name: Ada Lovelace
    role: "Lead engineer"
    bio: >
      Ada writes the analytical engine's programs
      and its notes.
    photo: ada.jpg
  - name: Charles Babbage
    role: 'Designer'
    bio: Charles designs the engines; he also likes long walks.  # (a comment)
    photo: charles.jpg
"""
TEAM_TOML = """\
# The team page's cards.
[[members]]
name = "Ada Lovelace"
role = "Lead engineer"
bio = \"\"\"Ada writes the analytical engine's programs \\
and its notes.\"\"\"

[[members]]
name = 'Charles Babbage'
role = 'Designer'
bio = "Charles designs the engines; he also likes long walks."  # a comment
"""
TEAM_JSON = """\
{
  "members": [
    {"name": "Ada Lovelace", "role": "Lead engineer",
     "bio": "Ada writes the analytical engine\\u2019s programs and its notes."},
    {"name": "Charles Babbage", "role": "Designer",
     "bio": "Charles designs the engines; he also likes long walks."}
  ]
}
"""
SOURCES: dict[FrontMatterFormat, str] = {"yaml": TEAM_YAML, "toml": TEAM_TOML, "json": TEAM_JSON}
RULE = parse_data_rule("data/en/team.*:members[].bio,members[].role")


def load(format: FrontMatterFormat, text: str) -> Any:
    """The file as the format's own parser reads it (Hugo reads it so too)."""
    if format == "yaml":
        return yaml.safe_load(text)
    if format == "toml":
        return tomllib.loads(text)
    return json.loads(text)


def selects(path: tuple[PathPart, ...]) -> bool:
    return any(pattern.matches(path) for pattern in RULE.fields)


def page_of(format: FrontMatterFormat, text: str | None = None) -> SourcePage:
    text = SOURCES[format] if text is None else text
    return data_page(text, format, f"data/en/team.{format}", "data/en/team", selects)


def translate_all(page: SourcePage, how: Callable[[str], str]) -> dict[tuple[str | None, str], str]:
    return {(s.context, s.text): how(s.text) for s in page.segments}


def with_values(
    data: Any, values: dict[tuple[PathPart, ...], str], at: tuple[PathPart, ...] = ()
) -> Any:
    """``data`` with the strings at ``values``' paths replaced."""
    if isinstance(data, dict):
        return {key: with_values(value, values, (*at, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [with_values(value, values, (*at, i)) for i, value in enumerate(data)]
    return values.get(at, data)


@pytest.mark.parametrize("format", ["yaml", "toml", "json"])
def test_the_configured_fields_are_read_in_document_order(format: FrontMatterFormat) -> None:
    page = page_of(format)
    assert [s.origin for s in page.segments] == [
        "data: members[0].role",
        "data: members[0].bio",
        "data: members[1].role",
        "data: members[1].bio",
    ]
    assert page.segments[1].text.startswith("Ada writes the analytical engine")
    assert page.segments[3].text == "Charles designs the engines; he also likes long walks."
    assert page.key == "data/en/team"


@pytest.mark.parametrize("format", ["yaml", "toml", "json"])
def test_untouched_and_identity_builds_are_byte_identical(format: FrontMatterFormat) -> None:
    page = page_of(format)
    assert localize_data(SOURCES[format], page, {}).text == SOURCES[format]
    same = translate_all(page, lambda text: text)
    built = localize_data(SOURCES[format], page, same)
    assert built.text == SOURCES[format]
    assert built.complete


@pytest.mark.parametrize("format", ["yaml", "toml", "json"])
def test_a_pseudo_translation_keeps_structure_keys_comments_and_quoting(
    format: FrontMatterFormat,
) -> None:
    source = SOURCES[format]
    page = page_of(format)
    built = localize_data(source, page, translate_all(page, pseudo_translate))
    fields = read_document_strings(source, format, "team")
    expected = {
        f.path: pseudo_translate(f.value)
        for f in fields
        if selects(f.path) and f.path[-1] != "name"
    }
    assert load(format, built.text) == with_values(load(format, source), expected)
    assert built.translated == built.entries == 4
    # Lines without a translated string are as they were (comments, names, photos).
    translated = ("bio", "role", "Ada writes", "and its notes")
    kept = [line for line in source.splitlines() if not any(t in line for t in translated)]
    assert [line for line in built.text.splitlines() if line in kept] == kept


HOSTILE = [
    "x\nevil: injected",
    'x"\nevil = "injected',
    '", "evil": "injected',
    "x # not a comment",
    "- item\n- item",
    "\x00\x1b\x7f\u2028\ufeff",
    "'''\"\"\"\\",
    "key: value: other",
    "{{ .Count }} ] } [[members]]",
    " leading and trailing ",
]


@pytest.mark.parametrize("format", ["yaml", "toml", "json"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_translations_add_no_key_and_break_nothing(
    format: FrontMatterFormat, hostile: str
) -> None:
    source = SOURCES[format]
    page = page_of(format)
    built = localize_data(source, page, translate_all(page, lambda _: hostile))
    fields = read_document_strings(source, format, "team")
    expected = {f.path: hostile for f in fields if selects(f.path) and f.path[-1] != "name"}
    assert load(format, built.text) == with_values(load(format, source), expected)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["yaml", "toml", "json"]), st.text(min_size=1))
def test_any_translation_reads_back_as_itself(format: FrontMatterFormat, translation: str) -> None:
    source = SOURCES[format]
    page = page_of(format)
    built = localize_data(source, page, translate_all(page, lambda _: translation))
    fields = read_document_strings(source, format, "team")
    expected = {f.path: translation for f in fields if selects(f.path) and f.path[-1] != "name"}
    assert load(format, built.text) == with_values(load(format, source), expected)
    assert [f.path for f in read_document_strings(built.text, format, "team")] == [
        f.path for f in fields
    ]


HAND_MADE = """\
# Traducido a mano.
members:
  - name: Ada Lovelace
    role: Ingeniera jefa   # a hand translation the catalog does not have
    bio: "Ada escribe los programas."
    photo: ada.jpg
  - name: Charles Babbage
    role: 'Designer'
    bio: Charles designs the engines; he also likes long walks.
    photo: charles.jpg
extra:
  motto: Solo en español.
"""


def test_an_existing_file_is_edited_in_place_keeping_its_own_entries() -> None:
    page = page_of("yaml")
    translations: dict[tuple[str | None, str], str] = {
        (None, "Designer"): "Diseñador",
        (None, "Charles designs the engines; he also likes long walks."): (
            "Charles diseña las máquinas: le gustan los paseos largos."
        ),
    }
    built = localize_data(TEAM_YAML, page, translations, HAND_MADE, "data/es/team.yaml")
    assert built.text == HAND_MADE.replace("'Designer'", "'Diseñador'").replace(
        "Charles designs the engines; he also likes long walks.",
        '"Charles diseña las máquinas: le gustan los paseos largos."',
    )
    assert (built.translated, built.entries, built.unplaced) == (2, 4, ())


def test_an_item_added_to_the_source_is_not_written_over_another_one() -> None:
    source = TEAM_YAML.replace(
        "members:\n",
        "members:\n  - name: Grace Hopper\n    role: Admiral\n    bio: Grace found the bug.\n",
    )
    page = page_of("yaml", source)
    translations: dict[tuple[str | None, str], str] = {
        (None, "Grace found the bug."): "Grace encontró el fallo.",
        (None, "Designer"): "Diseñador",
    }
    built = localize_data(source, page, translations, TEAM_YAML, "data/es/team.yaml")
    assert built.text == TEAM_YAML
    assert built.unplaced == (
        "members[0].role",
        "members[0].bio",
        "members[1].role",
        "members[1].bio",
        "members[2].role",
        "members[2].bio",
    )
    assert built.translated == 0


def test_a_data_file_may_be_a_list_and_its_errors_name_it() -> None:
    nav = "- text: Docs\n  link: /docs\n- text: Get started\n  link: /start\n"
    fields = read_document_strings(nav, "yaml", "data/nav.yaml")
    assert [(f.path, f.value) for f in fields][::2] == [
        ((0, "text"), "Docs"),
        ((1, "text"), "Get started"),
    ]
    assert parse_data_rule("data/nav.yaml:[].text").fields[0].matches((1, "text"))
    with pytest.raises(PageError) as raised:
        read_document_strings("a: 1\nb: [\n", "yaml", "data/x.yaml")
    assert str(raised.value).startswith("data/x.yaml:3: invalid YAML ")
    with pytest.raises(PageError, match=r"^data/x.toml:2: duplicate key 'a'"):
        read_document_strings('a = "b"\na = "c"\n', "toml", "data/x.toml")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["yaml", "toml", "json"]), st.text(min_size=1), st.text(min_size=1))
def test_an_existing_file_edited_again_reads_back_as_the_new_translation(
    format: FrontMatterFormat, first: str, second: str
) -> None:
    """A file built once is edited in place: every translated string takes the new text, and
    nothing else of the file changes structure."""
    source = SOURCES[format]
    page = page_of(format)
    existing = localize_data(source, page, translate_all(page, lambda _: first)).text
    built = localize_data(source, page, translate_all(page, lambda _: second), existing, "t")
    assert built.unplaced == ()
    fields = read_document_strings(source, format, "team")
    expected = {f.path: second for f in fields if selects(f.path) and f.path[-1] != "name"}
    assert load(format, built.text) == with_values(load(format, source), expected)


def test_a_data_string_may_hold_blank_lines_and_block_syntax() -> None:
    """A data string is written back quoted, like a front-matter value: a Markdown
    description's paragraphs and list items are safe there (hugo-geekdoc's properties)."""
    source = "A `bool` property:\n\n- List item 1\n- List item 2\n\nMore text.\n"
    translation = "Una propiedad `bool`:\n\n- Elemento 1\n- Elemento 2\n\n# Más texto.\n"
    assert check_translation(source, translation, ("data: properties[2].description",)) == []
    in_a_body = check_translation(source, translation, ("body: paragraph",), errors_only=True)
    assert [finding.check for finding in in_a_body] == ["blank-line", "block-syntax"]


def test_a_hand_made_file_gives_its_translations_by_path() -> None:
    """What adopt takes from a hand-made file: the text at each source string's path; not a
    copy of the source's, and nothing from a list whose items differ in number."""
    page = page_of("yaml")
    assert hand_translations(TEAM_YAML, page, HAND_MADE, "data/es/team.yaml") == {
        (None, "Lead engineer"): "Ingeniera jefa",
        (None, "Ada writes the analytical engine's programs and its notes.\n"): (
            "Ada escribe los programas."
        ),
    }
    shorter = HAND_MADE[: HAND_MADE.index("  - name: Charles")]
    assert hand_translations(TEAM_YAML, page, shorter, "data/es/team.yaml") == {}
