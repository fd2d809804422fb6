"""Fuzzy matching through the gram index chooses exactly the old text that comparing every old
text in catalog order chooses (the reference below, the matching extrans had before the
index), on the example site's pages, on real sites' pages and on generated edits; and where the
two agree by design, msgmerge chooses the same."""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from extrans.errors import ExtransError
from extrans.formats import catalog
from extrans.formats.catalog import Catalog, MergeResult, Message, merge_messages
from extrans.formats.pofile import format_catalog, parse_po
from extrans.formats.pseudo import pseudo_translate as pseudo
from extrans.site.config import Settings
from extrans.site.pages import parse_page

from .conftest import REPO, needs_gettext

SETTINGS = Settings(
    site_root=Path("/site"), source_language="en", target_languages=("es",), content_dirs={}
)
REAL_SITES = os.environ.get("EXTRANS_REAL_SITES")
"""A folder of cloned Hugo sites (``<site>/content/en/**.md``) to test on as well."""


def reference_best(
    template: Message, candidates: Sequence[Message], threshold: float
) -> Message | None:
    """Every old text compared with the new one, in catalog order; the first best wins."""
    best: Message | None = None
    best_ratio = threshold
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(template.msgid)
    for candidate in candidates:
        if candidate.msgctxt != template.msgctxt or not candidate.msgstr:
            continue
        matcher.set_seq1(candidate.msgid)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio and (best is None or ratio > best_ratio):
            best, best_ratio = candidate, ratio
    return best


@dataclass(slots=True)
class ScanAll:
    """The reference in the place of the index, for :func:`reference_merge`."""

    candidates: Sequence[Message]
    threshold: float

    def most_similar(self, template: Message) -> Message | None:
        return reference_best(template, self.candidates, self.threshold)


def reference_merge(
    old: Sequence[Message], template: Sequence[Message], threshold: float = 0.6
) -> MergeResult:
    with mock.patch.object(catalog, "_FuzzyIndex", ScanAll):
        return merge_messages(old, template, threshold=threshold)


def assert_same_merge(
    old: Sequence[Message], template: Sequence[Message], threshold: float = 0.6
) -> MergeResult:
    merged = merge_messages(old, template, threshold=threshold)
    expected = reference_merge(old, template, threshold)
    assert merged.messages == expected.messages
    assert (merged.new, merged.changed, merged.obsoleted) == (
        expected.new,
        expected.changed,
        expected.obsoleted,
    )
    return merged


def change_words(text: str, rng: random.Random) -> str:
    """``text`` with one edit a writer makes: a word replaced, added or removed, two
    sentences swapped, or a sentence dropped."""
    words = text.split(" ")
    at = rng.randrange(len(words))
    kind = rng.randrange(5)
    if kind == 0:
        words[at] = rng.choice(["gently", "slowly", "carefully", "the", "Hugo"])
    elif kind == 1:
        words.insert(at, rng.choice(["really", "always", "then"]))
    elif kind == 2 and len(words) > 1:
        del words[at]
    sentences = " ".join(words).split(". ")
    if kind == 3 and len(sentences) > 1:
        sentences[0], sentences[-1] = sentences[-1], sentences[0]
    elif kind == 4 and len(sentences) > 1:
        del sentences[rng.randrange(len(sentences))]
    return ". ".join(sentences)


def page_texts(path: Path, root: Path) -> list[tuple[str | None, str]]:
    """The (msgctxt, msgid) pairs of a page; none if extrans refuses it."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        page = parse_page(text, path.relative_to(root).as_posix(), SETTINGS)
    except ExtransError:
        return []
    return list(dict.fromkeys((s.context, s.text) for s in page.segments))


def changed_catalog(
    texts: Sequence[tuple[str | None, str]], rng: random.Random
) -> tuple[list[Message], list[Message]]:
    """Old entries (translated) and a template where about half the texts changed."""
    old = [Message(text, pseudo(text), context) for context, text in texts]
    template = [
        Message(change_words(text, rng) if rng.random() < 0.5 else text, msgctxt=context)
        for context, text in texts
    ]
    return old, template


def example_pages() -> Iterator[Path]:
    yield from sorted((REPO / "content" / "en").rglob("*.md"))


def test_the_example_site_page_by_page_and_as_one_catalog() -> None:
    rng = random.Random(15)
    every: list[tuple[str | None, str]] = []
    changed = 0
    for path in example_pages():
        texts = page_texts(path, REPO)
        every += texts
        changed += assert_same_merge(*changed_catalog(texts, rng)).changed
    changed += assert_same_merge(*changed_catalog(every, rng)).changed
    assert changed > 50  # (the matching was exercised, not only exact matches)


def real_site_texts() -> Iterator[list[tuple[str | None, str]]]:
    """The texts of each page of the real sites (the first 150 pages of each)."""
    for site in sorted(Path(REAL_SITES or ".").iterdir()):
        for path in sorted(site.glob("content/en/**/*.md"))[:150]:
            yield page_texts(path, site)


@pytest.mark.slow
@pytest.mark.skipif(REAL_SITES is None, reason="set EXTRANS_REAL_SITES to a folder of Hugo sites")
def test_real_sites_page_by_page() -> None:
    rng = random.Random(15)
    changed = pages = 0
    for texts in real_site_texts():
        if texts:
            pages += 1
            changed += assert_same_merge(*changed_catalog(texts, rng)).changed
    assert pages > 100 and changed > 500


@pytest.mark.slow
@pytest.mark.skipif(REAL_SITES is None, reason="set EXTRANS_REAL_SITES to a folder of Hugo sites")
def test_a_real_site_as_one_catalog() -> None:
    rng = random.Random(15)
    texts: list[tuple[str | None, str]] = []
    for page in real_site_texts():
        texts += page
    texts = list(dict.fromkeys(texts))[:800]
    assert assert_same_merge(*changed_catalog(texts, rng)).changed > 200


WORDS = ["Sit", "tall", "and", "breathe", "out", "slowly", "the", "spine", "a", "b", ".", ","]


def edited(text: str, data: st.DataObject) -> str:
    """``text`` after a few generated edits: substitutions, insertions, deletions, moves."""
    for _ in range(data.draw(st.integers(0, 4))):
        if not text:
            text = data.draw(st.text(max_size=3))
            continue
        at = data.draw(st.integers(0, len(text) - 1))
        kind = data.draw(st.sampled_from(["substitute", "insert", "delete", "move"]))
        piece = data.draw(st.text(st.sampled_from("aeiou tns.,é€"), min_size=1, max_size=4))
        if kind == "substitute":
            text = text[:at] + piece + text[at + len(piece) :]
        elif kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(piece) :]
        else:
            end = data.draw(st.integers(at, len(text)))
            text = text[end:] + text[at:end] + text[:at]
        event(kind)
    return text


old_texts = st.lists(
    st.one_of(
        st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
        st.text(st.sampled_from("ab ."), max_size=12),
        st.just(""),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(old_texts, st.data(), st.sampled_from([0.6, 0.3, 0.9, 0.0, 1.0]))
def test_generated_edits(texts: list[str], data: st.DataObject, threshold: float) -> None:
    contexts = st.sampled_from([None, "title", ""])
    old = [
        Message(
            text,
            data.draw(st.sampled_from(["x", "y", "x", ""])),
            data.draw(contexts),
            translator_comments=data.draw(st.sampled_from([(), ("note",)])),
            obsolete=data.draw(st.booleans()),
        )
        for text in texts
    ]
    template = list(
        {
            (m.msgctxt, m.msgid): m
            for m in (
                Message(edited(text, data), msgctxt=data.draw(contexts))
                for text in texts + data.draw(st.lists(st.sampled_from(WORDS), max_size=3))
            )
        }.values()
    )
    merged = assert_same_merge(old, template, threshold)
    event(f"changed: {min(merged.changed, 3)}")


def test_ties_go_to_the_first_old_text() -> None:
    """Old texts as similar as each other to the new one: the first in the catalog wins,
    live or obsolete, whatever order the index weighs them in."""
    new = Message("Sit tall and breathe out slowly through the nose, then lower the arms")
    similar = [new.msgid.replace("out", word) for word in ("in", "by", "up")]
    ratios = {SequenceMatcher(None, t, new.msgid, autojunk=False).ratio() for t in similar[:2]}
    assert len(ratios) == 1
    for first, second in [similar[:2], similar[1::-1]]:
        old = [Message(first, "uno", obsolete=True), Message(second, "dos")]
        assert assert_same_merge(old, [new]).messages[0].previous_msgid == first
    twins = [Message(similar[0], "uno"), Message(similar[0], "dos", obsolete=True)]
    assert assert_same_merge(twins, [new]).messages[0].msgstr == "uno"


def test_a_long_page_whose_paragraphs_each_changed_a_word() -> None:
    """The case the index is for: most old texts are left out by the grams they lack."""
    rng = random.Random(5)
    words = [
        "spine",
        "pelvis",
        "ribs",
        "heels",
        "toes",
        "breath",
        "reach",
        "press",
        "lift",
        "lower",
        "roll",
        "float",
    ]
    texts = [
        " ".join(rng.choice(words) for _ in range(rng.randint(20, 60))) + "." for _ in range(150)
    ]
    old = [Message(text, pseudo(text)) for text in texts]
    template = [Message(change_words(text, rng)) for text in texts]
    changed = sum(m.msgid not in texts for m in template)
    assert assert_same_merge(old, template).changed == changed > 50


@needs_gettext
def test_msgmerge_chooses_the_same_old_texts(tmp_path: Path) -> None:
    """On the example site's texts, each of which changed a word, msgmerge --previous marks
    the same entries fuzzy with the same previous msgid."""
    rng = random.Random(7)
    texts = list(dict.fromkeys(t for p in example_pages() for t in page_texts(p, REPO)))
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    old = [Message(text, pseudo(text), context) for context, text in texts]
    template = [
        Message(change_words(text, rng) if len(text) > 40 else text, msgctxt=context)
        for context, text in texts
    ]
    template = list({m.key: m for m in template}.values())
    head = parse_po(header, "h.po").header
    (tmp_path / "old.po").write_text(format_catalog(Catalog(head, tuple(old))), encoding="utf-8")
    (tmp_path / "new.pot").write_text(
        format_catalog(Catalog(head, tuple(template))), encoding="utf-8"
    )
    done = subprocess.run(
        ["msgmerge", "--previous", "-q", "old.po", "new.pot", "-o", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = parse_po(done.stdout, "merged.po").live
    ours = merge_messages(old, template).messages
    fuzzy = {m.key: m.previous_msgid for m in ours if m.fuzzy and not m.obsolete}
    assert {m.key: m.previous_msgid for m in theirs if m.fuzzy} == fuzzy
    assert len(fuzzy) > 40
