"""Catalog merges as before/after golden files, with msgmerge as a second judge."""

from __future__ import annotations

import subprocess

import pytest

from extrans.formats.catalog import Catalog, Message, merge_messages
from extrans.formats.pofile import format_catalog, format_message, parse_po

from .conftest import needs_gettext
from .fixture_file import FIXTURES

MERGE = FIXTURES / "merge"


def merge_files(old_text: str, template_text: str) -> str:
    old = parse_po(old_text, "old.po")
    template = parse_po(template_text, "new.pot")
    merged = merge_messages(old.messages, template.messages)
    date = template.header.get("POT-Creation-Date") or ""
    return format_catalog(
        Catalog(old.header.with_field("POT-Creation-Date", date), merged.messages, old.width)
    )


def test_merge_keeps_moves_fuzzies_revives_and_obsoletes() -> None:
    """old.po + new.pot → expected.po: kept, moved, changed (fuzzy, with the translator's
    comment and ``#|``), re-added (an obsolete entry comes back), new, removed (``#~``), and
    a removed untranslated entry is dropped."""
    old = (MERGE / "old.po").read_text(encoding="utf-8")
    template = (MERGE / "new.pot").read_text(encoding="utf-8")
    assert merge_files(old, template) == (MERGE / "expected.po").read_text(encoding="utf-8")


@needs_gettext
def test_msgmerge_agrees_with_the_golden_file() -> None:
    merged = subprocess.run(
        ["msgmerge", "--previous", "-q", str(MERGE / "old.po"), str(MERGE / "new.pot"), "-o", "-"],
        capture_output=True,
        check=True,
    )
    assert merged.stdout == (MERGE / "expected.po").read_bytes()


def test_merge_counts() -> None:
    old = parse_po((MERGE / "old.po").read_text(encoding="utf-8"), "old.po")
    template = parse_po((MERGE / "new.pot").read_text(encoding="utf-8"), "new.pot")
    result = merge_messages(old.messages, template.messages)
    assert (result.new, result.changed, result.obsoleted) == (1, 1, 2)


def test_fuzzy_matching_needs_similar_text_and_the_same_context() -> None:
    old = [Message("Lift your hips toward the ceiling", "Eleva la cadera hacia el techo")]
    similar = merge_messages(old, [Message("Lift your hips toward the sky")])
    assert similar.messages[0].fuzzy and similar.messages[0].previous_msgid == old[0].msgid
    different = merge_messages(old, [Message("Breathe out slowly")])
    assert different.messages[0].msgstr == "" and different.obsoleted == 1
    other_context = merge_messages(
        old, [Message("Lift your hips toward the sky", msgctxt="keyword")]
    )
    assert other_context.messages[0].msgstr == ""


def test_unchanged_entries_keep_their_bytes_changed_ones_are_rewritten() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#. body: paragraph\nmsgid ""\n"A short one written "\n"oddly"\nmsgstr "Una corta"\n'
    )
    catalog = parse_po(text, "a.po")
    assert format_catalog(catalog) == text
    [message] = catalog.messages
    assert format_message(message, 79) == (
        '#. body: paragraph\nmsgid "A short one written oddly"\nmsgstr "Una corta"'
    )


def test_broken_catalogs_name_the_line() -> None:

    from extrans.errors import CatalogError

    cases = {
        'msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n': (3, "duplicate message definition"),
        'msgid "a"\nmsgstr "b"\n\nmsgid "c\nmsgstr ""\n': (4, "cannot parse"),
        '\ufeffmsgid "a"\nmsgstr "b"\n': (1, "byte-order mark"),
        'msgid "a"\n=======\nmsgstr "b"\n': (2, "merge conflict"),
    }
    for text, (line, message) in cases.items():
        with pytest.raises(CatalogError) as caught:
            parse_po(text, "locale/es/a.po")
        assert (caught.value.line, caught.value.path) == (line, "locale/es/a.po"), text
        assert message in caught.value.message
