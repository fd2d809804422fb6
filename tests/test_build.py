"""build: translations go exactly where their source text was; every other byte is kept."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from extrans.formats.dialect import DEFAULT_DIALECT, MarkdownDialect
from extrans.formats.frontmatter import split_front_matter
from extrans.formats.markdown import extract_body_segments
from extrans.formats.pseudo import pseudo_translate as pseudo
from extrans.model import SourcePage
from extrans.site.pages import parse_page
from extrans.stages import localize
from extrans.stages.localize import (
    LocalizedPage,
    block_structure,
    keeps_block_structure,
    left_alone_because,
    localize_page,
)

from .conftest import EXAMPLE_FIELDS, REPO, settings_with, tree
from .fixture_file import FIXTURES

Run = Callable[..., tuple[int, str, str]]
SETTINGS = settings_with(*EXAMPLE_FIELDS)
EXAMPLE_PAGES = sorted((REPO / "content" / "en").rglob("*.md"))
CORPUS = sorted((FIXTURES / "corpus").glob("*.md"))
PAGES = EXAMPLE_PAGES + CORPUS
SPEC = json.loads((FIXTURES / "commonmark-spec.json").read_text(encoding="utf-8"))["examples"]


def variants(path: Path) -> list[tuple[str, str]]:
    """The page as it is, with CRLF line endings, and with a byte-order mark."""
    text = path.read_text(encoding="utf-8")
    return [("lf", text), ("crlf", text.replace("\n", "\r\n")), ("bom", "\ufeff" + text)]


def front_matter_data(text: str, page: SourcePage) -> object:
    front = split_front_matter(text, page.path)
    source = text[front.start : front.end]
    if page.format == "yaml":
        return yaml.safe_load(source)
    if page.format == "toml":
        return tomllib.loads(source)
    if page.format == "json":
        return json.loads(text[front.start : front.end])
    return None


def shape(data: object) -> object:
    """Keys and types, values left out."""
    if isinstance(data, dict):
        return {key: shape(value) for key, value in data.items()}
    if isinstance(data, list):
        return [shape(item) for item in data]
    return type(data).__name__


def translate_all(
    page: SourcePage, translate: Callable[[str], str]
) -> dict[tuple[str | None, str], str]:
    return {(s.context, s.text): translate(s.text) for s in page.segments}


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_identity_catalog_gives_back_the_source_bytes(path: Path) -> None:
    for _, text in variants(path):
        page = parse_page(text, f"content/en/{path.name}", SETTINGS)
        built = localize_page(text, page, translate_all(page, lambda t: t))
        assert built.text == text and built.complete


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_pseudo_translation_keeps_structure(path: Path) -> None:
    for variant, text in variants(path):
        page = parse_page(text, f"content/en/{path.name}", SETTINGS)
        built = localize_page(text, page, translate_all(page, pseudo))
        assert not built.rejected, built.rejected
        assert built.text.startswith("\ufeff") == (variant == "bom")
        assert ("\r\n" in built.text) == (variant == "crlf")
        if variant == "crlf":
            assert "\n" not in built.text.replace("\r\n", "")
        before = split_front_matter(text, page.path)
        after = split_front_matter(built.text, page.path)
        assert block_structure(built.text[after.body_start :]) == block_structure(
            text[before.body_start :]
        )
        old, new = front_matter_data(text, page), front_matter_data(built.text, page)
        assert shape(new) == shape(old)
        rebuilt = parse_page(built.text, page.path, SETTINGS)
        assert [s.text for s in rebuilt.segments] == [pseudo(s.text) for s in page.segments]


@pytest.mark.parametrize("example", SPEC, ids=[str(e["example"]) for e in SPEC])
def test_commonmark_examples_identity_and_pseudo(example: dict[str, object]) -> None:
    text = str(example["markdown"])  # a body: Hugo would take a leading "---" as front matter
    page = SourcePage(
        "content/en/spec.md", "spec", "none", tuple(extract_body_segments(text, 0, 1))
    )
    assert localize_page(text, page, translate_all(page, lambda t: t)).text == text
    built = localize_page(text, page, translate_all(page, pseudo))
    # Joining a wrapped paragraph that opens with an HTML tag can make an HTML block of it;
    # build refuses such a page (its structure check), so only that case may differ here.
    if not built.rejected and not text.startswith("<"):
        assert block_structure(built.text) == block_structure(text)


HOSTILE = st.text(
    alphabet=st.sampled_from(list("ab :#-+'\"\\\n\t{}[],&*!|>%@`?=.~$\u2028\u00e9\u4e2d\x7f")),
    min_size=1,
    max_size=40,
)


# Bodies where a text on one line decides what the next lines are: tables, alerts, images,
# lazy lines, wrapped paragraphs, reference definitions, HTML and setext headings; and
# Goldmark's: definition lists, footnotes, attribute lines, passthrough blocks.
CONTEXTS = [
    "| A | B |\n|---|---|\n| one | two |\n| three | four |\n",
    "A | B\n--|--\none | two\n",
    "> [!NOTE] Title here\n> Body of the alert\n> goes on\n",
    '[![Alt text](/a.png "Title")](/b)\n\n![Alt](/c.png)\n',
    "- item one\nlazy line\n  - nested item\n    more text\n",
    "> quote\nlazy\n> > inner\n> lazy again\n",
    "Wrapped paragraph\nsecond line\nthird line\n---\n\nSetext\n===\n",
    '[label]: /url "t" extra\n\nText [label] here\n',
    '<span class="x"\ntitle="Hello">text</span>\nmore\n',
    "1. First\n2. Second\n\n   Indented paragraph\n\n    code\n",
    "Text before\n{{< x >}}\nbar]: /url\n",
    "Header text\n---\n\nRow text\n:--\n",
    "Para before\nTerm one\n: Definition one\ngoes on\n: Definition two\n\nLoose\n\n: def\n",
    "Text with a note[^1].\n\n[^1]: The note\n[^2]: Another note\n    continued\n",
    "A paragraph\n{.lead}\nnext line\n\n> Quote\n{#q}\n",
    "Before math\n$$\nx = y\n$$\nafter\n\n\\[ a \\]\ntext\n",
    "| A |\n|---|---|\n| one | two |\n",
]
GOLDMARK = MarkdownDialect(
    block_attributes=True, math_blocks=(("$$", "$$"), ("\\[", "\\]")), math_inline=(("$", "$"),)
)
"""A dialect with every construct on: block attributes and passthrough too."""
BODIES = [
    body
    for body in [str(example["markdown"]) for example in SPEC] + CONTEXTS
    if extract_body_segments(body, 0, 1)
]
PLAIN = st.builds(
    str.__add__,
    st.sampled_from(
        ["a", "Texto", "*a", "__b", "é", "中", "--flag", "-q", "- ", "+x", "`c` ", "``x", "```",
         "[a](/b)", "[a]: /b", "[a]", "[a", "(x", "/p", "¿", "!", "1. ", "2020", "<b>", "\u00a0",
         ": ", "[^1]: ", "[^1] ", "{.x}", "{#a .b}", "{{< x >}}", "$$", "\\[", "x $$", "x \\]"]
    ),
    st.text(alphabet=st.sampled_from(list("ab :#-+'\"\\\t{}[],&*!>%@`?=.~$<_/()1\u2028")), max_size=20),
)  # fmt: skip
"""Translations that may pass for one line starting no block: the shortcut's edge."""


@settings(max_examples=1000, deadline=None)
@example(
    body="[foo]: /url\nbar\n===\n[foo]\n", translations=["'"], dialect=DEFAULT_DIALECT
)  # a title on the next line
@example(body="[foo]: /url\nbar\n", translations=['"Bar"'], dialect=DEFAULT_DIALECT)
@example(body="[foo]: /url\nbar\n", translations=["(bar)"], dialect=DEFAULT_DIALECT)
@given(
    body=st.sampled_from(BODIES),
    translations=st.lists(st.one_of(PLAIN, HOSTILE), min_size=1, max_size=4),
    dialect=st.sampled_from([DEFAULT_DIALECT, GOLDMARK]),
)
def test_the_structure_check_skips_a_parse_only_where_blocks_stay(
    body: str, translations: list[str], dialect: MarkdownDialect
) -> None:
    """Differential: ``keeps_block_structure`` answers what comparing the parses answers,
    for any translations spliced in, checked or not, in Hugo's default dialect and one with
    every construct."""
    segments = extract_body_segments(body, 0, 1, dialect=dialect)
    replacements = tuple(
        (s.start, s.end, translations[i % len(translations)]) for i, s in enumerate(segments)
    )
    out, position = [], 0
    for start, end, new in replacements:
        out += [body[position:start], new]
        position = end
    built_text = "".join(out) + body[position:]
    built = LocalizedPage(built_text, len(segments), len(segments), (), replacements)
    same = block_structure(built_text, dialect) == block_structure(body, dialect)
    with mock.patch.object(localize, "block_structure", wraps=block_structure) as parse:
        assert keeps_block_structure(body, 0, built, 0, dialect) == same
    event(f"same blocks: {same}, parsed: {parse.called}")


def test_the_structure_check_parses_nothing_for_plain_translations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shortcut is taken: one-line translations starting with a letter or emphasis."""
    text = (FIXTURES / "corpus" / "tables-and-code.md").read_text(encoding="utf-8")
    page = parse_page(text, "content/en/p.md", SETTINGS)
    built = localize_page(text, page, translate_all(page, lambda t: "Texto **traducido**"))
    assert built.replacements and not built.rejected
    monkeypatch.setattr(localize, "block_structure", None)  # any parse would fail
    body_start = split_front_matter(text, page.path).body_start
    built_body_start = split_front_matter(built.text, page.path).body_start
    assert keeps_block_structure(text, body_start, built, built_body_start)


@settings(max_examples=300, deadline=None)
@given(translation=HOSTILE, which=st.integers(0, 2))
def test_hostile_translations_cannot_break_front_matter(translation: str, which: int) -> None:
    path = [FIXTURES / "corpus" / "headings.md", FIXTURES / "corpus" / "tables-and-code.md",
            FIXTURES / "corpus" / "shortcodes.md"][which]  # fmt: skip
    text = path.read_text(encoding="utf-8")
    page = parse_page(text, "content/en/p.md", SETTINGS)
    fields = {
        (s.context, s.text): translation for s in page.segments if s.origin.startswith("front")
    }
    built = localize_page(text, page, fields)
    old, new = front_matter_data(text, page), front_matter_data(built.text, page)
    assert shape(new) == shape(old)
    assert isinstance(new, dict) and new["title"] == translation
    assert (
        built.text[split_front_matter(built.text, page.path).body_start :]
        == text[split_front_matter(text, page.path).body_start :]
    )


def test_unsafe_body_translations_are_rejected_and_the_source_kept() -> None:
    text = "## Benefits\n\n| A |\n|---|\n| cell |\n\nA paragraph.\n"
    page = parse_page(text, "content/en/p.md", SETTINGS)
    built = localize_page(
        text,
        page,
        {
            (None, "Benefits"): "Beneficios\ny más",
            (None, "cell"): "celda | rota",
            (None, "A paragraph."): "# Ahora un título",
        },
    )
    assert built.text == text
    assert [(f.check, f.message) for f in built.rejected] == [
        ("single-line", "a heading must stay on one line"),
        ("table-pipe", "an unescaped '|' splits the table cell; write '\\|'"),
        ("block-syntax", "a line starting with '#' would change the page's structure"),
    ]
    assert built.translated == 0


def test_hard_breaks_in_containers_get_their_prefix() -> None:
    text = "> - Inhale for five,\\\n>   exhale for five.\n"
    page = parse_page(text, "content/en/p.md", SETTINGS)
    built = localize_page(
        text, page, {(None, page.segments[0].text): "Inhala cinco,\\\nexhala cinco."}
    )
    assert built.text == "> - Inhala cinco,\\\n>   exhala cinco.\n"


def test_a_byte_order_mark_is_not_part_of_the_first_lines_prefix() -> None:
    text = "\ufeff- Inhale for five,\\\n  exhale for five.\n"
    page = parse_page(text, "content/en/p.md", SETTINGS)
    built = localize_page(
        text, page, {(None, page.segments[0].text): "Inhala cinco,\\\nexhala cinco."}
    )
    assert built.text == "\ufeff- Inhala cinco,\\\n  exhala cinco.\n"


NOT_BUILDS = "not written by extrans (use --force to replace it)"
EDITED = "edited by hand since extrans wrote it (use --force to replace it)"


@pytest.mark.parametrize(
    ("existing", "recorded", "owned", "force", "reason"),
    [
        (None, False, False, False, None),  # no page: build writes one
        ("Sierra\n", False, False, False, None),  # already what build writes
        ("Saw\n", True, True, False, None),  # build's own, as it wrote it
        ("Saw\n", False, False, False, NOT_BUILDS),
        ("Saw\n", True, False, False, EDITED),
        ("Saw\n", False, False, True, None),
        ("Saw\n", True, False, True, None),
    ],
)
def test_build_replaces_only_its_own_unedited_pages_without_force(
    existing: str | None, recorded: bool, owned: bool, force: bool, reason: str | None
) -> None:
    found = left_alone_because(existing, "Sierra\n", recorded=recorded, owned=owned, force=force)
    assert found == reason


# --- the site ------------------------------------------------------------------------------


def fill_catalogs(
    site: Path, translate: Callable[[str], str], *, only: int | None = None, leave: int = 0
) -> None:
    """Translate every entry (or the first ``only``, or all but the last ``leave``); the
    translator's tool clears the fuzzy flag."""
    import dataclasses

    from extrans.formats.pofile import format_catalog, parse_po

    for path in (site / "locale" / "es").glob("*.po"):
        catalog = parse_po(path.read_text(encoding="utf-8"), str(path))
        count = len(catalog.messages)
        messages = tuple(
            dataclasses.replace(
                m, msgstr=translate(m.msgid), flags=(), previous_msgid=None, raw=None
            )
            if (only is None or i < only) and i < count - leave
            else m
            for i, m in enumerate(catalog.messages)
        )
        path.write_text(format_catalog(dataclasses.replace(catalog, messages=messages)), "utf-8")


def test_site_identity_catalogs_build_the_source_pages(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    fill_catalogs(site, lambda t: t)
    code, out, err = extrans(site, "build")
    assert (code, err) == (0, "")
    assert "es: 8 written, 0 unchanged, 0 below threshold, 0 left alone" in out
    for source in (site / "content" / "en").rglob("*.md"):
        target = site / "content" / "es" / source.relative_to(site / "content" / "en")
        assert target.read_bytes() == source.read_bytes()
    assert extrans(site, "build")[1].startswith("es: 0 written, 8 unchanged")
    assert extrans(site, "build", "--check")[0] == 0


def test_threshold_lastmod_and_hand_made_pages(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    saw_es = site / "content/es/exercises/saw.md"
    saw_es.parent.mkdir(parents=True)
    saw_es.write_text("---\ntitle: Sierra (a mano)\n---\n", encoding="utf-8")
    fill_catalogs(site, pseudo, only=1)  # one entry per page: far below 80%
    code, out, _ = extrans(site, "build")
    assert code == 0 and "0 written" in out and "8 below threshold (extrans -v lists them)" in out
    assert ": below threshold: " not in out
    code, out, _ = extrans(site, "--verbose", "build")
    assert code == 0 and "8 below threshold, 0 left alone" in out
    assert "content/es/exercises/roll-up.md: below threshold: 2% translated, below 80%" in out
    assert not (site / "content/es/exercises/roll-up.md").exists()

    # Everything translated but each page's last entry: lastmod tells what is current.
    fill_catalogs(site, pseudo, leave=1)
    code, out, _ = extrans(site, "build", "--threshold", "50")
    assert code == 0
    assert "content/es/exercises/saw.md: left alone: not written by extrans" in out
    assert saw_es.read_text(encoding="utf-8") == "---\ntitle: Sierra (a mano)\n---\n"
    built = (site / "content/es/exercises/leg-pull-back-prep.md").read_text(encoding="utf-8")
    assert "lastmod: 2024-01-15\n" in built  # incomplete new page: the source's date
    fill_catalogs(site, pseudo)
    extrans(site, "build")
    built = (site / "content/es/exercises/leg-pull-back-prep.md").read_text(encoding="utf-8")
    assert "lastmod: 2024-12-17\n" in built  # complete: the source's lastmod

    # Edited by hand after build: left alone, until --force.
    page = site / "content/es/exercises/roll-up.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA note by hand.\n", encoding="utf-8")
    source = site / "content/en/exercises/roll-up.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Roll Up", "Roll-Up"), "utf-8")
    extrans(site, "extract")
    fill_catalogs(site, pseudo)
    code, out, _ = extrans(site, "build")
    assert (
        "content/es/exercises/roll-up.md: left alone: edited by hand since extrans wrote it" in out
    )
    assert page.read_text(encoding="utf-8").endswith("A note by hand.\n")
    code, out, _ = extrans(site, "build", "--check")
    assert code == 0, out  # nothing it may write differs
    code, out, _ = extrans(site, "build", "--force")
    assert "A note by hand." not in page.read_text(encoding="utf-8")
    assert code == 0, out
    assert ": left alone: " not in out and "0 left alone" in out


def test_gone_source_pages_keep_their_translation_unless_pruned(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    fill_catalogs(site, pseudo)
    extrans(site, "build")
    (site / "content/en/exercises/saw.md").unlink()
    code, out, _ = extrans(site, "build")
    assert code == 0 and "content/es/exercises/saw.md: left alone: its source page is gone" in out
    assert (site / "content/es/exercises/saw.md").exists()
    code, out, _ = extrans(site, "build", "--prune")
    assert code == 0 and "1 pruned" in out
    assert not (site / "content/es/exercises/saw.md").exists()


def test_check_writes_nothing(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    fill_catalogs(site, pseudo)
    before = tree(site)
    code, out, _ = extrans(site, "build", "--check")
    assert code == 1 and "8 would write" in out
    assert tree(site) == before


def test_broken_catalog_is_reported_and_other_pages_built(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    fill_catalogs(site, pseudo)
    broken = site / "locale/es/exercise-saw.po"
    broken.write_text(broken.read_text(encoding="utf-8") + 'msgid "x\n', encoding="utf-8")
    code, out, err = extrans(site, "build")
    assert code == 2 and "locale/es/exercise-saw.po:" in err and "cannot parse" in err
    assert "7 written" in out
    assert not (site / "content/es/exercises/saw.md").exists()


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_real_hugo_links_the_spanish_page_to_the_english_one(tmp_path: Path) -> None:
    """The committed example site: extrans build is up to date, and Hugo renders it."""
    site = tmp_path / "site"
    for name in ("content", "locale", "layouts", "config", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    from .conftest import invoke_cli

    code, out, err = invoke_cli("--site", str(site), "build", "--check")
    assert code == 0, out + err
    subprocess.run(["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "public")], check=True)
    html = (tmp_path / "public/es/exercises/leg-pull-back-prep/index.html").read_text("utf-8")
    assert "<h1>Preparación del Leg Pull Back</h1>" in html
    assert (
        '<a class="translation" href="/exercises/leg-pull-back-prep/" hreflang="en">English</a>'
        in html
    )
    english = (tmp_path / "public/exercises/leg-pull-back-prep/index.html").read_text("utf-8")
    assert 'href="/es/exercises/leg-pull-back-prep/" hreflang="es">Español</a>' in english


# --- translations the catalog's own checks vouch for ---------------------------------------

VETTING_PAGE = "## Benefits\n\n| A |\n|---|\n| cell |\n\nA paragraph.\n\nAnother one.\n"
VETTING_CATALOG = """\
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

#. body: heading
msgid "Benefits"
msgstr "Beneficios\\ny más"

#. body: table cell
msgid "cell"
msgstr "celda | rota"

# extrans-ignore: block-syntax
#. body: paragraph
msgid "A paragraph."
msgstr "# Ahora un título"

#. front matter: title
msgid "Another one."
msgstr "- Otro"
"""


@pytest.mark.parametrize(
    "severities",
    [
        {},
        {name: "off" for name in ("single-line", "table-pipe", "block-syntax")},
        {"whitespace": "warning"},
    ],
    ids=["default", "structural-off", "whitespace-warning"],
)
def test_structural_checks_apply_whatever_the_configuration(severities: dict[str, str]) -> None:
    """Translations that would change the page's structure are never placed: configured off,
    ignored by a comment, or checked under another origin in the catalog (the last entry says
    front matter, the page has a paragraph), they are checked where they stand."""
    from extrans.formats.pofile import parse_po
    from extrans.stages.localize import STRUCTURAL_CHECKS, usable_translations

    page = parse_page(VETTING_PAGE, "content/en/p.md", SETTINGS)
    usable = usable_translations(parse_po(VETTING_CATALOG, "es.po"), "es.po", severities)
    built = localize_page(VETTING_PAGE, page, usable.translations)
    assert built.text == VETTING_PAGE
    assert {f.check for f in built.rejected} <= STRUCTURAL_CHECKS
    assert len(built.rejected) + len(usable.errors) >= 4


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        ("Ver [la sierra](/exercises/saw/).", "Ver [la sierra](/es/exercises/saw/)."),
        ("Ver [la sierra](/Exercises/Saw#steps \"t\").", "Ver [la sierra](/es/Exercises/Saw#steps \"t\")."),
        ("Ver [la sierra](</exercises/saw/>).", "Ver [la sierra](</es/exercises/saw/>)."),
        ("Ya [está](/es/exercises/saw/).", "Ya [está](/es/exercises/saw/)."),
        ("Una [foto](/images/saw.png) y ![foto](/images/saw.png).", None),
        ("Un [enlace]({{< relref \"saw.md\" >}}) y `[código](/exercises/saw/)`.", None),
        ("Una [página](https://example.org/exercises/saw/) de fuera.", None),
        ("La [portada](/).", "La [portada](/es/)."),
        ("La [entrada](/posts/2024/01/the-saw/#steps).", "La [entrada](/es/posts/2024/01/la-sierra/#steps)."),
        ("[Quiénes](/About) somos.", "[Quiénes](/acerca/) somos."),
        ("Una [página](/exercises/plank/) sin traducir.", None),
    ],
)  # fmt: skip
def test_link_prefix_puts_links_to_the_sites_pages_under_the_language(
    translation: str, expected: str | None
) -> None:
    links = {
        "/": "/es/",
        "/exercises/": "/es/exercises/",
        "/exercises/saw/": "/es/exercises/saw/",
        "/posts/2024/01/the-saw/": "/es/posts/2024/01/la-sierra/",
        "/about/": "/acerca/",
    }
    assert localize.with_language_links(translation, "/es", links) == (expected or translation)


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_link_prefix_builds_links_hugo_serves_in_the_language(tmp_path: Path, extrans: Run) -> None:
    """``link-prefix``: the example site's Spanish Swan Dive links to the Spanish Hundred,
    which Hugo renders at that address."""
    site = tmp_path / "site"
    for name in ("content", "locale", "layouts", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    config = site / "extrans.toml"
    config.write_text('link-prefix = ["es"]\n' + config.read_text(encoding="utf-8"), "utf-8")
    assert extrans(site, "build", "--force")[0] == 0
    built = (site / "content/es/exercises/swan-dive.md").read_text(encoding="utf-8")
    assert '[Hundred](/es/exercises/the-hundred/ "El Hundred")' in built
    done = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    page = (site / "public/es/exercises/swan-dive/index.html").read_text(encoding="utf-8")
    assert 'href="/es/exercises/the-hundred/"' in page
    assert (site / "public/es/exercises/the-hundred/index.html").is_file()
