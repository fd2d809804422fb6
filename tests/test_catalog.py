"""Catalog merges as before/after golden files, with msgmerge as a second judge."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from extrans.formats.catalog import (
    Catalog,
    Header,
    Message,
    build_template,
    merge_messages,
    reference_labels,
)
from extrans.formats.pofile import format_catalog, format_message, parse_po
from extrans.site.pages import parse_page

from .conftest import needs_gettext, settings_with
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


PAGE_WITH_REFERENCES = """\
---
title: Shortcut references
---

See [the guide] for the details, or [Smith, J.\\]] and the [collapsed
one][].

- See [the guide] for the details, or [Smith, J.\\]] and the [collapsed one][].

[the guide]: https://example.org/guide/
[Smith, J.\\]]: https://example.org/smith/
[collapsed one]: https://example.org/collapsed/
"""


@needs_gettext
def test_reference_labels_travel_in_one_comment_that_gettext_keeps(tmp_path: Path) -> None:
    """One comment line per entry names its labels, a ``,`` or an escaped ``]`` in a label
    too; the same text in two places names them once; msgfmt accepts it, msgcat keeps it."""
    page = parse_page(PAGE_WITH_REFERENCES, "content/en/p.md", settings_with("title"))
    messages = build_template(page, line_numbers=False)
    entry = messages[1]
    assert entry.extracted_comments == (
        "body: paragraph",
        "body: list item",
        "reference labels: [the guide], [Smith, J.\\]], [collapsed one]",
    )
    assert reference_labels(entry.extracted_comments) == (
        "the guide",
        "Smith, J.\\]",
        "collapsed one",
    )
    path = tmp_path / "p.pot"
    header = Header(
        (
            ("Project-Id-Version", "p"),
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
        )
    )
    path.write_text(format_catalog(Catalog(header, messages)), encoding="utf-8")
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)]).returncode == 0
    copied = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True)
    assert "#. reference labels: [the guide], [Smith, J.\\]], [collapsed one]\n" in copied.stdout
