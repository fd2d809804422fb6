"""``link-prefix`` follows where Hugo serves pages: a page's ``url`` and ``slug``, the site's
``permalinks``, and the localized page's own ``url``, ``slug`` and title; judged by the real
``hugo``, which must have rendered a page at every link build rewrote."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import polib
import pytest

from extrans.formats.urls import PageAddress, UrlRules, read_page_address, served_link
from extrans.site.config import load_settings

Run = Callable[..., tuple[int, str, str]]

POSTS = UrlRules(permalinks={"posts": "/:year/:month/:slug/", "": "/:filename/"})


@pytest.mark.parametrize(
    ("relative", "address", "rules", "prefix", "expected"),
    [
        ("_index.md", PageAddress(url="/ignored/"), UrlRules(), "/es", "/es/"),
        ("docs/_index.md", PageAddress(slug="ignored"), UrlRules(), "", "/docs/"),
        ("Docs/Deep/_index.md", PageAddress(), UrlRules(), "/es", "/es/docs/deep/"),
        ("docs/guide.md", PageAddress(slug="Hand Book"), UrlRules(), "", "/docs/hand-book/"),
        ("docs/guide/index.md", PageAddress(), UrlRules(), "/es", "/es/docs/guide/"),
        ("docs/guide.md", PageAddress(), UrlRules(ugly_urls=True), "", "/docs/guide.html"),
        ("docs/Guide.md", PageAddress(), UrlRules(lower_case=False), "", "/docs/Guide/"),
        ("about.md", PageAddress(url="/About-Us"), UrlRules(), "/es", "/About-Us/"),
        ("about.md", PageAddress(url="contact-us/"), UrlRules(), "/es", "/es/contact-us/"),
        ("about.md", PageAddress(url="/page.html"), UrlRules(), "", "/page.html"),
        ("posts/a.md", PageAddress(title="Cómo empezar!", date=date(2024, 2, 3)), POSTS, "/es", "/es/2024/02/c%C3%B3mo-empezar/"),
        ("posts/a.md", PageAddress(slug="one", date=date(2024, 2, 3)), POSTS, "", "/2024/02/one/"),
        ("posts/b/index.md", PageAddress(title="B  side"), POSTS, "", "/1/01/b-side/"),
        ("notes.md", PageAddress(title="Notes"), POSTS, "", "/notes/"),
        ("news/a/b/c.md", PageAddress(), UrlRules(permalinks={"news": "/:sections[1:]/:section/:filename/"}), "", "/a/b/news/c/"),
        ("news/a/b/c.md", PageAddress(), UrlRules(permalinks={"news": "/:sections[last]/:filename/"}), "", "/b/c/"),
        ("news/c.md", PageAddress(date=date(2024, 3, 5)), UrlRules(permalinks={"news": "/:2006/:Jan/:_2/:yearday/:monthname/:weekdayname/"}), "", "/2024/mar/-5/65/march/tuesday/"),
        ("news/c.md", PageAddress(), UrlRules(permalinks={"news": "/:nothing/"}), "", None),
        ("news/Café.md", PageAddress(), UrlRules(permalinks={"news": "/:filename/"}, remove_accents=True), "", "/cafe/"),
        ("docs/triage.zh.md", PageAddress(), UrlRules(languages=("zh",)), "/zh", "/zh/docs/triage/"),
        ("docs/v1.2.md", PageAddress(), UrlRules(languages=("zh",)), "", "/docs/v1.2/"),
        ("docs/guide.md", PageAddress(), UrlRules(base_path="/book"), "/es", "/book/es/docs/guide/"),
        ("about.md", PageAddress(url="/about/"), UrlRules(base_path="/book"), "/es", "/book/about/"),
    ],
)  # fmt: skip
def test_a_page_is_served_where_hugo_serves_it(
    relative: str, address: PageAddress, rules: UrlRules, prefix: str, expected: str | None
) -> None:
    sections = {"news/a/b", "Docs/Deep"}
    assert served_link(relative, address, sections, rules, prefix) == expected


def test_a_pages_address_is_read_from_its_front_matter_in_any_format() -> None:
    yaml_page = "---\nTitle: The Saw\nslug: saw\ndate: 2024-01-15T10:00:00+09:00\n---\nBody\n"
    assert read_page_address(yaml_page, "a.md") == PageAddress(
        "", "saw", "The Saw", date(2024, 1, 15)
    )
    toml_page = '+++\nurl = "/x/"\npublishDate = 2023-05-06\n+++\n'
    assert read_page_address(toml_page, "a.md") == PageAddress("/x/", "", "", date(2023, 5, 6))
    json_page = '{"title": "J", "lastmod": "2022-07-08"}\n'
    assert read_page_address(json_page, "a.md") == PageAddress("", "", "J", date(2022, 7, 8))


HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Links"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]

[permalinks]
posts = "/:year/:month/:slug/"

[languages.en]
contentDir = "content/en"
weight = 1

[languages.es]
contentDir = "content/es"
weight = 2
"""

LINKS = """\
---
title: Links
---
See [the first post](/2024/01/the-first-post/), [the second](/2023/12/second-one/#more), \
[how to start](</2024/02/how-to-start/>), the [handbook](/docs/handbook/), \
[deep](/docs/deep/page), [docs](/docs/), [setup](/docs/setup/), [about us](/about-us/), \
[contact](/contact-us/), [legal](/legal/) and [home](/).

Also a [logo](/images/logo.png), [the top](#top), [Hugo](https://gohugo.io/), \
[a reference]({{< relref "docs/guide.md" >}}) and `[code](/docs/handbook/)`.
"""

PAGES = {
    "_index.md": "---\ntitle: Home\n---\n",
    "links.md": LINKS,
    "posts/_index.md": "---\ntitle: Posts\n---\n",
    "posts/first.md": "---\ntitle: The First Post\ndate: 2024-01-15\n---\nFirst.\n",
    "posts/second.md": "---\ntitle: Second\nslug: second-one\ndate: 2023-12-01\n---\nTwo.\n",
    "posts/third/index.md": "---\ntitle: How to Start\ndate: 2024-02-03\n---\nThree.\n",
    "docs/_index.md": "---\ntitle: Docs\n---\n",
    "docs/guide.md": "---\ntitle: Guide\nslug: handbook\n---\nGuide.\n",
    "docs/deep/_index.md": "---\ntitle: Deep\n---\n",
    "docs/deep/page.md": "---\ntitle: Deep Page\n---\nDeep.\n",
    "docs/setup.md": "---\ntitle: Setup\n---\nSetup.\n",
    "about.md": "---\ntitle: About\nurl: /about-us/\n---\nAbout.\n",
    "contact.md": "---\ntitle: Contact\nurl: contact-us\n---\nContact.\n",
    "legal.md": "---\ntitle: Legal\n---\nThe legal text.\n",
}
HAND_MADE = {  # the Spanish pages a translator wrote, with their own slug and url
    "docs/setup.md": "---\ntitle: Instalación\nslug: instalacion\n---\nInstalación.\n",
    "about.md": "---\ntitle: Acerca\nurl: /es/acerca/\n---\nAcerca.\n",
}
SPANISH = {
    "The First Post": "La primera entrada",
    "How to Start": "Cómo empezar",
    "Second": "Segunda",
}
EXPECTED = [  # the Spanish links page's links, in order, as hugo renders them
    "/es/2024/01/la-primera-entrada/",
    "/es/2023/12/second-one/#more",
    "/es/2024/02/c%C3%B3mo-empezar/",
    "/es/docs/handbook/",
    "/es/docs/deep/page",
    "/es/docs/",
    "/es/docs/instalacion/",
    "/es/acerca/",
    "/es/contact-us/",
    "/legal/",  # (no Spanish page: the English one)
    "/es/",
    "/images/logo.png",
    "#top",
    "https://gohugo.io/",
    "/es/docs/handbook/",  # (hugo's own relref)
]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _translate(catalogs: Path) -> None:
    """Every entry translated (the titles above into Spanish, the rest as they are), except
    the legal page's, which stays untranslated and is not built."""
    for path in catalogs.rglob("*.po"):
        catalog = polib.pofile(str(path))
        for entry in catalog:
            if path.stem != "legal":
                entry.msgstr = SPANISH.get(entry.msgid, entry.msgid)
        catalog.save()


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_link_prefix_sends_links_where_hugo_serves_the_spanish_pages(
    tmp_path: Path, extrans: Run
) -> None:
    site = tmp_path / "site"
    _write(site, {"hugo.toml": HUGO_CONFIG, "extrans.toml": 'link-prefix = ["es"]\n'})
    _write(site / "layouts/_default", {
        name: "<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n"
        for name in ("single.html", "list.html")
    })  # fmt: skip
    _write(site / "content/en", PAGES)
    _write(site / "content/es", HAND_MADE)
    assert extrans(site, "extract")[0] == 0
    _translate(site / "locale/es")
    code, out, err = extrans(site, "build")
    assert code == 0, out + err
    assert "es: 11 written" in out  # (the links page too, with the places of pages just built)
    built = (site / "content/es/links.md").read_text(encoding="utf-8")
    assert '{{< relref "docs/guide.md" >}}' in built and "`[code](/docs/handbook/)`" in built
    assert not (site / "content/es/legal.md").exists()
    assert (site / "content/es/docs/setup.md").read_text(encoding="utf-8") == HAND_MADE[
        "docs/setup.md"
    ]

    done = subprocess.run(
        ["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    public = site / "public"
    page = (public / "es/links/index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]*)"', page)
    assert hrefs == EXPECTED
    assert "<code>[code](/docs/handbook/)</code>" in page
    for href in hrefs:
        path = unquote(href.split("#")[0])
        if path.startswith("/") and not path.endswith(".png"):
            assert (public / path.strip("/") / "index.html").is_file(), href
    # (the English pages still link as written, to the English pages)
    english = (public / "links/index.html").read_text(encoding="utf-8")
    assert 'href="/2024/01/the-first-post/"' in english
    assert (public / "2024/01/the-first-post/index.html").is_file()

    # A translated title moves its page under ``:slug``: the links to it follow on the next build.
    catalog = polib.pofile(str(site / "locale/es/posts/first.po"))
    catalog.find("The First Post").msgstr = "La entrada primera"
    catalog.save()
    assert extrans(site, "build")[0] == 0
    built = (site / "content/es/links.md").read_text(encoding="utf-8")
    assert "[the first post](/es/2024/01/la-entrada-primera/)" in built
    assert "es: 0 written" in extrans(site, "build")[1]


def test_the_rules_are_read_from_hugos_configuration_as_hugo_merges_it(tmp_path: Path) -> None:
    _write(tmp_path, {
        "hugo.toml": 'baseURL = "https://example.org/book/"\nuglyURLs = true\n'
        'disablePathToLower = true\n[permalinks]\nposts = "/:year/:slug/"\n'
        '[permalinks.page]\nnews = "/:filename/"\n[languages.en]\nweight = 1\n[languages.zh]\n'
        'weight = 2\n',
        "config/_default/permalinks.yaml": "/: /:title/\nposts: /p/:slug/\n",
    })  # fmt: skip
    rules = load_settings(tmp_path).urls
    assert rules == UrlRules(
        permalinks={"posts": "/p/:slug/", "news": "/:filename/", "": "/:title/"},
        ugly_urls=True,
        lower_case=False,
        base_path="/book",
        languages=("en", "zh"),
    )
