"""Menus in the Hugo configuration: entries read with their prose, translations spliced back
losslessly (an untouched file builds back byte-identical), the tree kept, hostile
translations unable to add a key or break the file; term paths and term pages."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extrans.errors import ConfigError
from extrans.formats.frontmatter import split_front_matter
from extrans.formats.menus import (
    ConfigFormat,
    add_menu_entries,
    menu_entries,
    menus_document,
    parse_config,
    translate_menus,
)
from extrans.formats.taxonomies import page_terms, term_page, term_path

from .test_properties import HOSTILE_CHARS

TOML = """\
baseURL = "https://example.org/"

[menu]
# The home page's menu.
[[menu.home]]
  name = 'Documentation'   # shown first
  pageRef = '/docs/'
  weight = 2

[[menu.home]]
  name = "Getting started"
  parent = 'Documentation'
  pageRef = '/docs/start/'
  weight = 3

[[menu.after]]
  identifier = "gh"
  name = 'GitHub'
  pre = '<i class="fa fa-github"></i>'
  post = '<span class="new">new</span>'
  url = 'https://github.com/'
  [menu.after.params]
    rel = "external"
"""

YAML = """\
menus:
  main:
    - name: Home   # the root
      pageRef: /
      weight: 1
    - {name: About us, pageRef: /about/, weight: 2}
    - identifier: blog
      name: 'Blog: "news"'
      title: >-
        What we write
      parent: About us
"""

JSON = """\
{
  "menus": {
    "main": [
      {"name": "Home", "pageRef": "/"},
      {
        "name": "Child",
        "parent": "Home",
        "url": "/child/"
      }
    ]
  }
}
"""

CASES: dict[str, tuple[str, ConfigFormat, tuple[str, ...]]] = {
    "toml": (TOML, "toml", ("menu",)),
    "yaml": (YAML, "yaml", ("menus",)),
    "json": (JSON, "json", ("menus",)),
}


def _read(text: str, fmt: ConfigFormat) -> Any:
    """The file's data, by the standard readers (not extrans's)."""
    if fmt == "toml":
        return tomllib.loads(text)
    if fmt == "yaml":
        return yaml.safe_load(text)
    return json.loads(text)


def _tree(menu: list[dict[str, Any]]) -> dict[str, str | None]:
    """Each entry's key (Hugo's ``KeyName``: identifier, else name) → its parent's key,
    checked to be an entry of the menu."""
    keys = {str(item.get("identifier") or item.get("name")): item.get("parent") for item in menu}
    for parent in keys.values():
        assert parent is None or parent in keys, parent
    return keys


def test_entries_and_their_prose_with_hugo_keys_as_context() -> None:
    found = [
        (entry.context, [(text.field, text.value, text.line) for text in entry.texts])
        for entry in menu_entries(TOML, "toml", ("menu",), "hugo.toml")
    ]
    assert found == [
        ("home: Documentation", [("name", "Documentation", 6)]),
        ("home: Getting started", [("name", "Getting started", 11)]),
        ("after: gh", [("name", "GitHub", 18), ("post", '<span class="new">new</span>', 20)]),
    ]  # (pre holds an icon and no words: not sent)
    yaml_found = [
        (entry.context, [text.value for text in entry.texts])
        for entry in menu_entries(YAML, "yaml", ("menus",), "hugo.yaml")
    ]
    assert yaml_found == [
        ("main: Home", ["Home"]),
        ("main: About us", ["About us"]),
        ("main: blog", ['Blog: "news"', "What we write"]),
    ]


@pytest.mark.parametrize("case", CASES)
def test_untouched_and_identity_translations_build_back_byte_identical(case: str) -> None:
    text, fmt, table = CASES[case]
    assert translate_menus(text, fmt, table, "f", {}) == text
    same = {
        (entry.context, piece.field): piece.value
        for entry in menu_entries(text, fmt, table, "f")
        for piece in entry.texts
    }
    assert translate_menus(text, fmt, table, "f", same) == text


@pytest.mark.parametrize("case", CASES)
def test_translated_names_keep_the_tree_through_identifiers(case: str) -> None:
    text, fmt, table = CASES[case]
    entries = menu_entries(text, fmt, table, "f")
    wanted = {
        (entry.context, piece.field): f"«{piece.value}»"
        for entry in entries
        for piece in entry.texts
    }
    built = translate_menus(text, fmt, table, "f", wanted)
    source, data = _read(text, fmt), _read(built, fmt)
    for menu, items in data[table[0]].items():
        assert _tree(items) == _tree(source[table[0]][menu])  # (same keys, same parents)
        for item, before in zip(items, source[table[0]][menu], strict=True):
            assert item["name"] == f"«{before['name']}»"
            assert set(item) == set(before) | {"identifier"}
    # Only the values changed and identifiers were added: every other line is the source's.
    kept = [line for line in built.splitlines() if "«" not in line and "identifier" not in line]
    assert all(line in text.splitlines() for line in kept)


def test_a_block_entry_gets_its_identifier_on_a_line_of_its_own() -> None:
    built = translate_menus(TOML, "toml", ("menu",), "f", {("home: Documentation", "name"): "Docs"})
    assert "  name = 'Docs'   # shown first\n  identifier = \"Documentation\"\n" in built
    built = translate_menus(YAML, "yaml", ("menus",), "f", {("main: About us", "name"): "Nosotros"})
    assert '- {name: Nosotros, identifier: "About us", pageRef: /about/, weight: 2}' in built


hostile = st.lists(st.sampled_from(HOSTILE_CHARS), min_size=1, max_size=20).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(sorted(CASES)), translations=st.lists(hostile, min_size=8, max_size=8))
def test_hostile_translations_change_values_and_nothing_else(
    case: str, translations: list[str]
) -> None:
    text, fmt, table = CASES[case]
    entries = menu_entries(text, fmt, table, "f")
    pieces = [(entry, piece) for entry in entries for piece in entry.texts]
    wanted = {
        (entry.context, piece.field): translations[index]
        for index, (entry, piece) in enumerate(pieces)
    }
    built = translate_menus(text, fmt, table, "f", wanted)
    expected = _read(text, fmt)
    for entry, piece in pieces:
        menu_item = expected[table[0]][entry.menu][entry.path[-1]]
        key = next(k for k in menu_item if k.lower() == piece.field)
        renamed = piece.field == "name" and menu_item[key] != wanted[(entry.context, "name")]
        menu_item[key] = wanted[(entry.context, piece.field)]
        if renamed and not entry.has_identifier:
            menu_item["identifier"] = entry.key
    assert _read(built, fmt) == expected


def test_a_file_that_would_not_read_back_is_refused() -> None:
    # The name on a line below its key: the identifier has no line of its own to go on.
    text = "menus:\n  main:\n    - name:\n        A\n      url: /a/\n"
    with pytest.raises(ConfigError, match="would not read back"):
        translate_menus(text, "yaml", ("menus",), "hugo.yaml", {("main: A", "name"): "B"})


def test_a_new_menus_file_in_each_syntax_reads_back_as_its_menus() -> None:
    menus = {
        "main": [{"identifier": "Home", "name": "Inicio: «a»", "weight": 1, "params": {"a": "b"}}]
    }
    formats: tuple[ConfigFormat, ...] = ("toml", "yaml", "json")
    for fmt in formats:
        text = menus_document(fmt, menus, f"menus.es.{fmt}")
        assert _read(text, fmt) == menus


@settings(max_examples=100, deadline=None)
@given(names=st.lists(hostile, min_size=1, max_size=3))
def test_entries_appended_to_a_toml_table_are_read_back_as_appended(names: list[str]) -> None:
    entries = [("home", {"name": name, "weight": index}) for index, name in enumerate(names)]
    added = add_menu_entries(TOML, ("menu",), "hugo.toml", entries)
    assert added.startswith(TOML)
    home = tomllib.loads(added)["menu"]["home"]
    assert home[2:] == [entry for _, entry in entries]
    assert tomllib.loads(added)["menu"]["after"] == tomllib.loads(TOML)["menu"]["after"]


def test_a_menu_that_is_not_a_list_is_an_error_with_its_line() -> None:
    with pytest.raises(ConfigError, match="the menu 'main' must be a list of entries"):
        menu_entries('[menus.main]\nname = "A"\n', "toml", ("menus",), "hugo.toml")
    assert parse_config("{}", "json", "f") == {}


@pytest.mark.parametrize(
    ("term", "path"),
    [
        ("Pilates Basics", "pilates-basics"),
        ("C++", "c++"),
        ("core  --  strength", "core--strength"),
        ("Été!", "été"),
        ("  trailing  ", "trailing"),
    ],
)
def test_term_paths_as_hugo_makes_them(term: str, path: str) -> None:
    assert term_path(term) == path


def test_terms_of_a_page_and_term_pages() -> None:
    page = '---\ntitle: Saw\ntags: [Core, "Spine twist"]\nCategories: Mat\nweight: 3\n---\nBody\n'
    found = [(t.taxonomy, t.term, t.line) for t in page_terms(page, "p.md", ["tags", "categories"])]
    assert found == [("tags", "Core", 3), ("tags", "Spine twist", 3), ("categories", "Mat", 4)]
    assert term_page(None, "x", 'Básico: "uno"') == '---\ntitle: "Básico: \\"uno\\""\n---\n'
    made = "---\ntitle: Old # kept comment\nweight: 1\n---\nA hand-written intro.\n"
    assert term_page(made, "x", "Núcleo") == made.replace("Old", "Núcleo")
    assert term_page("+++\nweight = 1\n+++\n", "x", "Núcleo") == (
        '+++\ntitle = "Núcleo"\nweight = 1\n+++\n'
    )


@settings(max_examples=100, deadline=None)
@given(title=hostile, existing=st.sampled_from([None, "---\ntitle: Old\nweight: 1\n---\nMine.\n",
       "+++\ntitle = 'Old'\nweight = 1\n+++\n", '{"weight": 1}\n']))  # fmt: skip
def test_a_hostile_term_title_is_the_page_title_and_nothing_else(
    title: str, existing: str | None
) -> None:
    page = term_page(existing, "content/es/tags/core/_index.md", title)
    front = split_front_matter(page, "p")
    data = _read(page[front.start : front.end], front.format)  # type: ignore[arg-type]
    assert data == {"title": title} | ({"weight": 1} if existing else {})
    assert page.endswith("Mine.\n") == (existing is not None and existing.endswith("Mine.\n"))
