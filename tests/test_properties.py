"""Property tests: random pages (YAML, TOML, JSON front matter; Markdown bodies) and random
hostile translations. extract → translate → build raises nothing but ExtransError, the front
matter always parses with the same keys and types, and the identity gives back the source."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import tomllib
from collections.abc import Callable
from typing import Any, cast

import pytest
import tomlkit
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from extrans.errors import ExtransError
from extrans.formats.catalog import Catalog, build_template, merge_messages, msgfmt_problem
from extrans.formats.frontmatter import split_front_matter
from extrans.formats.i18n_table import TableFormat, write_i18n_table
from extrans.formats.pofile import format_catalog, parse_po
from extrans.site.pages import parse_page
from extrans.stages.extract import _new_header
from extrans.stages.localize import block_structure, localize_page

from .conftest import settings_with
from .test_round_trip import assert_round_trip

SETTINGS = settings_with("title", "description", "keywords[]", "faq[].q", "faq[].a", "params.*")
HOSTILE_CHARS = [
    *list("abcdeé中 :#-+'\"\\\n\t{}[],&*!|>%@`?=.~$<>_/()"),
    "\u2028",
    "---",
    "+++",
    "**",
    "\r\n",
]
text = st.lists(st.sampled_from(HOSTILE_CHARS), min_size=1, max_size=25).map("".join)
words = st.lists(
    st.sampled_from(
        [
            "Breathe",
            "in",
            "slowly",
            "core",
            "**hips**",
            "`mat`",
            "[link](/x/)",
            "día",
            "中文",
            "6-8",
        ]
    ),
    min_size=1,
    max_size=8,
).map(" ".join)

front_matter = st.fixed_dictionaries(
    {"title": text, "weight": st.integers(0, 100), "draft": st.booleans()},
    optional={
        "description": text,
        "keywords": st.lists(text, max_size=4),
        "faq": st.lists(st.fixed_dictionaries({"q": text, "a": text}), max_size=3),
        "params": st.fixed_dictionaries({"summary": text, "count": st.integers(0, 9)}),
    },
)
block = st.one_of(
    words.map(lambda w: f"## {w}"),
    words,
    st.lists(words, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(words, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))
    ),
    words.map(lambda w: f"> {w}\n> {w}"),
    words.map(lambda w: f"```\n{w}\n```"),
    st.tuples(words, words).map(lambda c: f"| {c[0]} | x |\n|---|---|\n| {c[1]} | 2 |"),
    words.map(lambda w: f"{{{{% note %}}}}\n{w}\n{{{{% /note %}}}}"),
    st.just("{{< youtube abc >}}"),
    words.map(lambda w: f"{w}\\\n{w}"),
)
body = st.lists(block, max_size=6).map("\n\n".join)


def render(data: dict[str, Any], style: str) -> str:
    if style == "yaml":
        return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"
    if style == "toml":
        return "+++\n" + tomlkit.dumps(data) + "+++\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse_front(page_text: str, style: str) -> Any:
    front = split_front_matter(page_text, "p.md")
    source = page_text[front.start : front.end]
    if style == "yaml":
        return yaml.safe_load(source)
    if style == "toml":
        return tomllib.loads(source)
    return json.loads(source)


def shape(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: shape(v) for k, v in data.items()}
    if isinstance(data, list):
        return [shape(v) for v in data]
    return type(data).__name__


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=front_matter, markdown=body, style=st.sampled_from(["yaml", "toml", "json"]),
       translations=st.lists(text, min_size=1, max_size=40), crlf=st.booleans())  # fmt: skip
def test_extract_translate_build(
    data: dict[str, Any], markdown: str, style: str, translations: list[str], crlf: bool
) -> None:
    try:
        page_text = render(data, style)
    except (ValueError, TypeError):  # a value the serializer cannot write
        assume(False)
    page_text += "\n" + markdown + "\n"
    if crlf:
        page_text = page_text.replace("\n", "\r\n")
    try:
        page = parse_page(page_text, "content/en/p.md", SETTINGS)
    except ExtransError as err:
        event(f"page refused: {err.message.split(':')[0]}")
        assume(False)
    # Identity: the source text comes back byte for byte.
    identity = {(s.context, s.text): s.text for s in page.segments}
    assert localize_page(page_text, page, identity).text == page_text
    # A reversible translation changes the page exactly in the translated spans.
    assert assert_round_trip(page_text, "content/en/p.md", SETTINGS) is not None
    # Hostile translations, through a real catalog written and read back.
    template = build_template(page, line_numbers=False)
    catalog = Catalog(_new_header(SETTINGS, "es", "2025-01-01 00:00+0000"), template)
    catalog_text = format_catalog(catalog)
    read = parse_po(catalog_text, "p.po")
    translated = tuple(
        dataclasses.replace(m, msgstr=translations[i % len(translations)], raw=None)
        for i, m in enumerate(read.messages)
    )
    again = parse_po(format_catalog(Catalog(read.header, translated)), "p.po")
    assert [(m.msgid, m.msgstr) for m in again.messages] == [
        (m.msgid, m.msgstr) for m in translated
    ]
    # Merged with its own template, a catalog keeps every translation; one that msgfmt -c
    # refuses (its newlines do not match its text's) is marked fuzzy, once.
    refused = [msgfmt_problem(m) is not None for m in again.messages]
    event(f"translations msgfmt -c refuses: {any(refused)}")
    merged = merge_messages(again.messages, template).messages
    assert merged == tuple(
        dataclasses.replace(m, flags=("fuzzy", *m.flags)) if bad else m
        for m, bad in zip(again.messages, refused, strict=True)
    )
    assert merge_messages(merged, template).messages == merged
    built = localize_page(page_text, page, {m.key: m.msgstr for m in again.messages})
    new_data = parse_front(built.text, style)
    assert shape(new_data) == shape(parse_front(page_text, style))
    if style != "json":
        before = split_front_matter(page_text, "p.md")
        after = split_front_matter(built.text, "p.md")
        if not built.rejected:
            assert block_structure(built.text[after.body_start :]) == block_structure(
                page_text[before.body_start :]
            )


@pytest.mark.fuzz
@settings(max_examples=20000, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_po_reader(data: bytes) -> None:
    """Random bytes and mutations of a catalog: the reader raises nothing but ExtransError."""
    seed = (
        b'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n#. body: paragraph\nmsgid "Hi"\nmsgstr "Hola"\n'
    )
    for candidate in (data, seed[: len(data) % len(seed)] + data, data + seed):
        with contextlib.suppress(ExtransError):
            parse_po(candidate.decode("utf-8", errors="replace"), "f.po")


@pytest.mark.fuzz
@settings(max_examples=20000, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["---\n", "+++\n", "{", ""]))
def test_fuzz_front_matter_reader(content: str, opening: str) -> None:
    """Random text after each opening: the page reader raises nothing but ExtransError."""
    closing = {"---\n": "\n---\n", "+++\n": "\n+++\n", "{": "}\n", "": ""}[opening]
    for page_text in (opening + content, opening + content + closing):
        with contextlib.suppress(ExtransError):
            parse_page(page_text, "content/en/p.md", SETTINGS)


# --- i18n string tables (site strings) -----------------------------------------------------

I18N_SOURCES = {
    "toml": '# buttons\nreadMore = "Read more"\n\n[minutes]\none = "{{ .Count }} minute"\n'
    "other = '{{ .Count }} minutes'\n",
    "yaml": "readMore: Read more\nminutes:\n  one: '{{ .Count }} minute'\n  other: |\n"
    "    {{ .Count }} minutes\n",
    "yaml-list": "- id: readMore\n  translation: Read more\n- id: minutes\n  translation:\n"
    '    one: "{{ .Count }} minute"\n    other: "{{ .Count }} minutes"\n',
    "json": '{"readMore": "Read more", "minutes": {"one": "{{ .Count }} minute", '
    '"other": "{{ .Count }} minutes"}}\n',
}
_I18N_LOADERS: dict[str, Callable[[str], Any]] = {
    "toml": tomllib.loads,
    "yaml": yaml.safe_load,
    "json": json.loads,
}


@settings(max_examples=300, deadline=None)
@given(
    form=st.sampled_from(sorted(I18N_SOURCES)),
    more=text,
    one=text,
    other=text,
    existing=st.booleans(),
)
def test_i18n_tables_take_any_translation(
    form: str, more: str, one: str, other: str, existing: bool
) -> None:
    """Whatever a translation holds, the table Hugo's parsers read back has the same ids and
    categories and exactly the translated texts; or the writer refuses (never a broken
    table)."""
    format = cast(TableFormat, form.split("-")[0])
    source = I18N_SOURCES[form]
    texts = {"readMore": {"other": more}, "minutes": {"one": one, "other": other}}
    target = write_i18n_table(source, None, "es", format, texts) if existing else None
    try:
        built = write_i18n_table(source, target, "es", format, texts)
    except ExtransError:
        event("refused")
        return
    loaded = _I18N_LOADERS[format](built)
    if form == "yaml-list":
        loaded = {item["id"]: item["translation"] for item in loaded}
    assert loaded == {"readMore": more, "minutes": {"one": one, "other": other}}
