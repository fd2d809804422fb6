"""A localized page's ``aliases`` point into its own language: what build writes, and the
redirects the real Hugo makes of it."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.formats.urls import UrlRules
from extrans.site.pages import parse_page
from extrans.stages.localize import PagePlace, localize_page, localized_front_matter

from .conftest import settings_with

Cli = Callable[..., tuple[int, str, str]]

SPANISH = PagePlace("/es", frozenset({"/en", "/fr"}), "docs/new.md")


def localized(text: str, place: PagePlace = SPANISH) -> str:
    """The front matter build writes for ``text``, the source page, untranslated."""
    page = parse_page(text, "content/en/docs/new.md", settings_with("title"))
    draft = localize_page(text, page, {})
    return localized_front_matter(draft, text, page, None, "content/es/docs/new.md", place).text


@pytest.mark.parametrize(
    ("source", "built"),
    [
        (  # YAML flow list: under /es, relative and /es/ kept; /en/ and the own path dropped
            '---\naliases: ["/old/", old-relative, "/es/old-es/", "/docs/new/", "/en/x/"]\n---\n',
            '---\naliases: ["/es/old/", old-relative, "/es/old-es/"]\n---\n',
        ),
        (  # YAML block list: a dropped item takes its line
            "---\naliases:\n  - /docs/New/\n  - /old/  # moved\n  - /fr/vieux/\n---\nBody\n",
            "---\naliases:\n  - /es/old/  # moved\n---\nBody\n",
        ),
        (  # TOML, one item a line
            '+++\naliases = [\n  "/en/x/",\n  "/old/",\n]\n+++\n',
            '+++\naliases = [\n  "/es/old/",\n]\n+++\n',
        ),
        (  # JSON: never a trailing comma
            '{\n  "aliases": ["/old/", "/en/y/"]\n}\n',
            '{\n  "aliases": ["/es/old/"]\n}\n',
        ),
        (  # a slug or url is the page's own path
            "---\nslug: renamed\naliases: [/docs/renamed/, /old/]\n---\n",
            "---\nslug: renamed\naliases: [/es/old/]\n---\n",
        ),
        (  # a lone string is rewritten (a page without aliases is left as it is)
            "---\naliases: /old/\ntitle: T\n---\n",
            "---\naliases: /es/old/\ntitle: T\n---\n",
        ),
    ],
)
def test_aliases_point_into_the_pages_language(source: str, built: str) -> None:
    assert localized(source) == built


def test_a_permalink_is_the_pages_own_path() -> None:
    """Under ``permalinks``, the page's own path is its pattern's (from its title and date),
    not its file's: an alias there would replace the page with a redirect."""
    text = (
        "---\ntitle: New Post\ndate: 2024-01-15\naliases: [/2024/01/new-post/, /docs/new/]\n---\n"
    )
    rules = UrlRules(permalinks={"docs": "/:year/:month/:title/"})
    place = PagePlace("/es", frozenset({"/en"}), "docs/new.md", rules)
    built = "---\ntitle: New Post\ndate: 2024-01-15\naliases: [/es/docs/new/]\n---\n"
    assert localized(text, place) == built


def test_aliases_of_a_language_at_the_root_are_left_to_hugo() -> None:
    """On a site whose languages have hosts of their own, Hugo puts every alias under its
    language itself."""
    text = '---\naliases: ["/old/", "/en/x/"]\n---\n'
    assert localized(text, PagePlace("", frozenset({"/en"}), "docs/new.md")) == text


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Aliases"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = {subdir}
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[languages.en]
contentDir = "content/en"
weight = 1
[languages.es]
contentDir = "content/es"
weight = 2
"""
PAGE = """\
---
title: New
aliases: ["/old/", "old-relative", "/docs/new/", "/es/old-es/", "/en/old-en/"]
---
Body of the page.
"""
_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)"')


def _published(public: Path) -> dict[str, str]:
    """Each HTML file Hugo wrote: the URL it redirects to, or ``page``."""
    found = {}
    for path in sorted(public.rglob("*.html")):
        redirect = _REFRESH.search(path.read_text(encoding="utf-8"))
        found[path.relative_to(public).as_posix()] = redirect[1] if redirect else "page"
    return found


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
@pytest.mark.parametrize("subdir", [False, True])
def test_hugo_redirects_each_languages_aliases_to_its_own_page(
    tmp_path: Path, extrans: Cli, subdir: bool
) -> None:
    site = tmp_path / "site"
    (site / "content/en/docs").mkdir(parents=True)
    (site / "layouts/_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG.format(subdir=str(subdir).lower()))
    (site / "layouts/_default/single.html").write_text("{{ .Content }}")
    (site / "layouts/_default/list.html").write_text("{{ .Title }}")
    (site / "content/en/docs/new.md").write_text(PAGE)
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    subprocess.run(
        ["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "public")],
        check=True,
        capture_output=True,
    )
    published = _published(tmp_path / "public")
    english = "https://example.org/en/docs/new/" if subdir else "https://example.org/docs/new/"
    spanish = "https://example.org/es/docs/new/"
    english_page = "en/docs/new/index.html" if subdir else "docs/new/index.html"
    assert published[english_page] == "page"
    assert published["es/docs/new/index.html"] == "page"
    # The English page's aliases are English's, as Hugo resolves them ...
    assert published["old/index.html"] == english
    assert published["en/old-en/index.html"] == english
    # ... and the Spanish page's are Spanish: none of them takes an English URL.
    assert published["es/old/index.html"] == spanish
    assert published["es/docs/old-relative/index.html"] == spanish
    assert published["es/old-es/index.html"] == spanish  # (the English page's too: Spanish wins)
    redirects_to_spanish = {path for path, target in published.items() if target == spanish}
    assert redirects_to_spanish == {
        "es/old/index.html",
        "es/old-es/index.html",
        "es/docs/old-relative/index.html",
    }
    built = (site / "content/es/docs/new.md").read_text(encoding="utf-8")
    assert 'aliases: ["/es/old/", "old-relative", "/es/old-es/"]' in built
