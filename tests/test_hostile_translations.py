"""Hostile translations, table-driven: what a page or a translation can hold that would break
the built page without a word. Each case says the exact message it must produce, or the
exact page it must build; Hugo renders the built pages where it is the judge."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from .conftest import REPO
from .pseudo import pseudo
from .test_build import fill_catalogs

Run = Callable[..., tuple[int, str, str]]
needs_hugo = pytest.mark.skipif(
    shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo"
)

# Every parameter of the page, by Hugo's (lower-cased) name: what an alias ends up showing.
PARAMS_LAYOUT = (
    '{{ range $key, $value := .Params }}<p id="{{ $key }}">{{ $value }}</p>\n{{ end }}'
    "{{ .Content }}\n"
)
FIELDS = ["title", "linkTitle", "description", "summary", "keywords[]", "tagline", "note", "block"]


def make_site(root: Path, pages: Mapping[str, str]) -> Path:
    """A small site: the example's Hugo configuration, a layout that shows every parameter,
    and ``pages`` (by name in content/en)."""
    site = root / "site"
    (site / "content/en").mkdir(parents=True)
    (site / "layouts/_default").mkdir(parents=True)
    shutil.copy(REPO / "hugo.toml", site / "hugo.toml")
    (site / "extrans.toml").write_text(f"fields = {FIELDS!r}\n", encoding="utf-8")
    (site / "layouts/_default/single.html").write_text(PARAMS_LAYOUT, encoding="utf-8")
    (site / "layouts/_default/list.html").write_text("{{ .Content }}\n", encoding="utf-8")
    for name, text in pages.items():
        (site / "content/en" / name).write_text(text, encoding="utf-8")
    return site


def render_with_hugo(site: Path, out: Path) -> None:
    """Hugo builds the site into ``out`` (failing the test with its own message if it cannot)."""
    done = subprocess.run(
        ["hugo", "--quiet", "-s", str(site), "-d", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


# --- YAML anchors, aliases and tags stay with the translated value --------------------------

# front matter, the translations, the built page's front matter, what Hugo shows per parameter
ANCHORS: dict[str, tuple[str, dict[str, str], str, dict[str, str]]] = {
    "anchor on a plain value": (
        "title: &t Hello there\nlinkTitle: *t\n",
        {"Hello there": "Hola"},
        "title: &t Hola\nlinkTitle: *t\n",
        {"title": "Hola", "linktitle": "Hola"},
    ),
    "anchor on a plain value, translation quoted": (
        "title: &t Hello there\nlinkTitle: *t\n",
        {"Hello there": "Hola: amigos"},
        'title: &t "Hola: amigos"\nlinkTitle: *t\n',
        {"title": "Hola: amigos", "linktitle": "Hola: amigos"},
    ),
    "anchor on a quoted value": (
        'title: Quoted\nsummary: &s "Peel the spine off the mat."\nteaser: *s\n',
        {"Peel the spine off the mat.": "Despega la columna de la colchoneta."},
        'title: Quoted\nsummary: &s "Despega la columna de la colchoneta."\nteaser: *s\n',
        {"summary": "Despega la columna de la colchoneta.", "teaser": "Despega la columna de la colchoneta."},
    ),
    "anchor on a single-quoted value": (
        "title: Single\nsummary: &s 'Roll down slowly'\nteaser: *s\n",
        {"Roll down slowly": "Baja despacio"},
        "title: Single\nsummary: &s 'Baja despacio'\nteaser: *s\n",
        {"teaser": "Baja despacio"},
    ),
    "anchor on a list item": (
        "title: Keywords\nkeywords:\n  - &k spine\n  - *k\n  - core\n",
        {"spine": "columna", "core": "centro"},
        "title: Keywords\nkeywords:\n  - &k columna\n  - *k\n  - centro\n",
        {"keywords": "[columna columna centro]"},
    ),
    "!!str tag": (
        "title: Tagged\ndescription: !!str Some plain words\n",
        {"Some plain words": "Unas palabras"},
        "title: Tagged\ndescription: !!str Unas palabras\n",
        {"description": "Unas palabras"},
    ),
    "tag and anchor together": (
        "title: Both\ntagline: !!str &g Good morning\nmotto: *g\n",
        {"Good morning": "Buenos días"},
        "title: Both\ntagline: !!str &g Buenos días\nmotto: *g\n",
        {"tagline": "Buenos días", "motto": "Buenos días"},
    ),
    "anchor alone on its line": (
        "title: Alone\nnote: &n\n  Written on its own line\naside: *n\n",
        {"Written on its own line": "Escrita en su propia línea"},
        "title: Alone\nnote: &n\n  Escrita en su propia línea\naside: *n\n",
        {"note": "Escrita en su propia línea", "aside": "Escrita en su propia línea"},
    ),
    "anchor on a block scalar": (
        "title: Block\nblock: &b |\n  A block of text\nquote: *b\n",
        {"A block of text\n": "Un bloque de texto\n"},
        'title: Block\nblock: &b "Un bloque de texto\\n"\nquote: *b\n',
        {"block": "Un bloque de texto\n", "quote": "Un bloque de texto\n"},
    ),
}  # fmt: skip


@needs_hugo
@pytest.mark.parametrize("case", sorted(ANCHORS))
def test_anchors_and_tags_stay_with_the_translated_value(
    tmp_path: Path, extrans: Run, case: str
) -> None:
    front, translations, expected, shown = ANCHORS[case]
    site = make_site(tmp_path, {"page.md": f"---\n{front}---\n\nBody.\n"})
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, lambda text: translations.get(text, text))
    code, _, err = extrans(site, "build", "--threshold", "0")
    assert (code, err) == (0, "")
    built = (site / "content/es/page.md").read_text(encoding="utf-8")
    assert built == f"---\n{expected}---\n\nBody.\n"
    render_with_hugo(site, tmp_path / "public")
    html = (tmp_path / "public/es/page/index.html").read_text(encoding="utf-8")
    for key, value in shown.items():
        assert f'<p id="{key}">{value}</p>' in html, html


# --- Deep nesting: extracted up to the bound, the page refused beyond it --------------------


def nested_list(depth: int) -> str:
    return "".join("  " * i + f"- Level {i + 1} of the list\n" for i in range(depth))


def nested_quote(depth: int) -> str:
    return "".join(">" * (i + 1) + f" Level {i + 1} of the quote\n" for i in range(depth))


@needs_hugo
@pytest.mark.parametrize(
    ("name", "body", "deepest"),
    [
        ("list-10.md", nested_list(10), "Level 10 of the list"),
        ("list-50.md", nested_list(50), "Level 50 of the list"),
        ("quote-20.md", nested_quote(20), "Level 20 of the quote"),
        ("quote-50.md", nested_quote(50), "Level 50 of the quote"),
    ],
)
def test_deep_nesting_up_to_the_bound_is_extracted_and_built(
    tmp_path: Path, extrans: Run, name: str, body: str, deepest: str
) -> None:
    page = f"---\ntitle: Deep\n---\n\nBefore.\n\n{body}\nAfter the nesting.\n"
    site = make_site(tmp_path, {name: page})
    assert extrans(site, "extract")[0] == 0
    catalog = (site / "locale/es" / name.replace(".md", ".po")).read_text(encoding="utf-8")
    assert f'msgid "{deepest}"' in catalog and 'msgid "After the nesting."' in catalog
    code, out, _ = extrans(site, "status")
    assert code == 0 and "0% of entries" in out  # nothing is counted as done before it is
    fill_catalogs(site, pseudo)
    assert extrans(site, "build")[:3:2] == (0, "")
    render_with_hugo(site, tmp_path / "public")
    html = (tmp_path / "public/es" / name.replace(".md", "") / "index.html").read_text("utf-8")
    assert pseudo(deepest) in html and pseudo("After the nesting.") in html
