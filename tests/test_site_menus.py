"""Menus and taxonomy terms as site strings, judged by the real ``hugo`` on the example site:
the Spanish pages show the translated menu (its tree whole) and term names, and none of the
English ones; what build writes where, and what it leaves alone."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.site.menus import places_in

from .conftest import REPO

Run = Callable[..., tuple[int, str, str]]
needs_hugo = pytest.mark.skipif(
    shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo"
)
EXAMPLE = ("hugo.toml", "extrans.toml", "content", "layouts", "i18n", "data", "locale")
MENU = {
    "Home": "Inicio",
    "Exercises": "Ejercicios",
    "The Saw": "El Saw",
    "The Hundred": "El Hundred",
}
HUNDRED_TITLE = ("Breathing and core warm-up", "Respiración y calentamiento del centro")
TERMS = {"Core": "Núcleo", "Spine mobility": "Movilidad de la columna", "Breathing": "Respiración"}
MENUS = """
# The main menu (translated through locale/<lang>/menus.po into config/_default/menus.<lang>.toml).
[menus]
[[menus.main]]
name = "Home"
pageRef = "/"
weight = 1

[[menus.main]]
name = "Exercises"
pageRef = "/exercises"
weight = 2

[[menus.main]]
identifier = "saw"
name = "The Saw"
parent = "Exercises"
pageRef = "/exercises/saw"
weight = 1

[[menus.main]]
identifier = "hundred"
name = "The Hundred"
title = "Breathing and core warm-up"
parent = "Exercises"
pageRef = "/exercises/the-hundred"
weight = 2
"""
# Where each page lists its tags: its front matter's opening, and the opening with them.
TAGS = {
    "the-hundred.md": ("---\n", "---\ntags: [Core, Breathing]\n"),
    "roll-up.md": ("+++\n", '+++\ntags = ["Core", "Spine mobility"]\n'),
    "saw.md": ("{\n", '{\n  "tags": ["Spine mobility"],\n'),
}
NAV = (
    '  <nav class="menu">{{ range .Site.Menus.main }}<a class="entry" href="{{ .URL }}" '
    'title="{{ .Title }}">{{ .Name }}</a>{{ with .Children }}<ul class="children">'
    '{{ range . }}<li><a class="entry" href="{{ .URL }}" title="{{ .Title }}">{{ .Name }}</a>'
    "</li>{{ end }}</ul>{{ end }}{{ end }}</nav>\n"
)
TERM_LIST = (
    '  {{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a class="tag" '
    'href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}\n'
)


# What build writes of the menus and terms in Spanish, as committed in the example.
BUILT = (
    "config/_default/menus.es.toml",
    "content/es/tags/breathing/_index.md",
    "content/es/tags/core/_index.md",
    "content/es/tags/spine-mobility/_index.md",
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_example(root: Path, extrans: Run) -> Path:
    """The example site, which has a main menu in its ``hugo.toml`` (a parent with two
    children, one with a title) and tags on three pages, shown by its layouts: without its
    menus' and terms' catalogs and Spanish files, extracted, translated into Spanish in the
    catalogs and built (into the files committed in the example)."""
    site = root / "site"
    site.mkdir()
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy(source, site / name)
    assert (site / "hugo.toml").read_text(encoding="utf-8").endswith(MENUS)
    for name, (_, new) in TAGS.items():
        assert (site / "content/en/exercises" / name).read_text(encoding="utf-8").startswith(new)
    assert NAV + "  <main>" in (site / "layouts/_default/baseof.html").read_text("utf-8")
    assert TERM_LIST in (site / "layouts/_default/single.html").read_text(encoding="utf-8")
    for catalog in ("es/menus.po", "es/taxonomies.po", "templates/menus.pot"):
        (site / "locale" / catalog).unlink()
    (site / "locale/templates/taxonomies.pot").unlink()
    shutil.rmtree(site / "content/es/tags")
    assert not (site / "config").exists()
    assert extrans(site, "extract")[0] == 0
    for catalog, texts in (
        ("menus", {**MENU, HUNDRED_TITLE[0]: HUNDRED_TITLE[1]}),
        ("taxonomies", TERMS),
    ):
        for text, translation in texts.items():
            _edit(
                site / f"locale/es/{catalog}.po",
                f'msgid "{text}"\nmsgstr ""',
                f'msgid "{text}"\nmsgstr "{translation}"',
            )
    assert extrans(site, "build")[0] == 0
    for name in BUILT:
        assert (site / name).read_bytes() == (REPO / name).read_bytes(), name
    for name in ("es/menus.po", "es/taxonomies.po", "templates/menus.pot", "built-pages.json"):
        assert (site / "locale" / name).read_bytes() == (REPO / "locale" / name).read_bytes()
    return site


def render(site: Path, out: Path) -> None:
    done = subprocess.run(
        ["hugo", "--quiet", "-s", str(site), "-d", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _nav(html: str) -> str:
    found = re.search(r'<nav class="menu">(.*?)</nav>', html, re.S)
    assert found is not None
    return found[1]


def _tags(html: str) -> list[str]:
    return re.findall(r'<a class="tag" href="[^"]*">([^<]*)</a>', html)


@needs_hugo
def test_the_spanish_site_shows_translated_menus_and_terms(tmp_path: Path, extrans: Run) -> None:
    site = copy_example(tmp_path, extrans)
    assert extrans(site, "build", "--check")[0] == 0  # (built: nothing left to write)
    render(site, tmp_path / "public")
    english = (tmp_path / "public/exercises/roll-up/index.html").read_text(encoding="utf-8")
    spanish = (tmp_path / "public/es/exercises/roll-up/index.html").read_text(encoding="utf-8")
    for source, translation in MENU.items():
        assert f">{source}</a>" in _nav(english)
        assert f">{translation}</a>" in _nav(spanish)
        assert f">{source}</a>" not in _nav(spanish)
    # The tree is whole: the children sit under "Ejercicios", with their own links and titles.
    assert re.search(
        r'href="/es/exercises/"[^>]*>Ejercicios</a><ul class="children">'
        r'<li><a class="entry" href="/es/exercises/saw/"[^>]*>El Saw</a></li>'
        r'<li><a class="entry" href="/es/exercises/the-hundred/" '
        r'title="Respiración y calentamiento del centro">El Hundred</a>',
        _nav(spanish),
    )
    assert _tags(english) == ["Core", "Spine mobility"]
    assert _tags(spanish) == ["Núcleo", "Movilidad de la columna"]
    hundred = (tmp_path / "public/es/exercises/the-hundred/index.html").read_text(encoding="utf-8")
    assert _tags(hundred) == ["Núcleo", "Respiración"]
    for source, translation in TERMS.items():
        slug = source.lower().replace(" ", "-")
        term = (tmp_path / f"public/es/tags/{slug}/index.html").read_text(encoding="utf-8")
        assert f"<title>{translation} | " in term


def test_an_untouched_build_rewrites_nothing_and_a_hand_made_term_page_stays(
    tmp_path: Path, extrans: Run
) -> None:
    site = copy_example(tmp_path, extrans)
    before = (site / "config/_default/menus.es.toml").read_bytes()
    code, out, _ = extrans(site, "build")
    assert code == 0 and "0 written" in out
    assert (site / "config/_default/menus.es.toml").read_bytes() == before
    hand = site / "content/es/tags/core/_index.md"
    hand.write_text("---\ntitle: Centro\n---\nMi texto.\n", encoding="utf-8")
    _, out, _ = extrans(site, "build")
    assert "content/es/tags/core/_index.md: left alone: edited by hand" in out
    assert hand.read_text(encoding="utf-8") == "---\ntitle: Centro\n---\nMi texto.\n"
    assert extrans(site, "build", "--force")[0] == 0
    assert hand.read_text(encoding="utf-8") == "---\ntitle: Núcleo\n---\nMi texto.\n"


def test_menus_of_the_language_in_the_site_file_are_edited_there_only_with_force(
    tmp_path: Path, extrans: Run
) -> None:
    site = copy_example(tmp_path, extrans)
    shutil.rmtree(site / "config")  # (the menus.es.toml build wrote: none of its own)
    config = site / "hugo.toml"
    hand = '\n[[languages.es.menus.main]]\nname = "Home"  # hecho a mano\npageRef = "/"\n'
    config.write_text(config.read_text(encoding="utf-8") + hand, encoding="utf-8")
    written = config.read_text(encoding="utf-8")
    _, out, _ = extrans(site, "build")
    assert "hugo.toml: left alone: not written by extrans (use --force to replace it)" in out
    assert config.read_text(encoding="utf-8") == written
    assert extrans(site, "build", "--force")[0] == 0  # (the source's other entries added)
    built = config.read_text(encoding="utf-8")
    assert built.startswith(
        written.replace(
            'name = "Home"  # hecho a mano\n',
            'name = "Inicio"  # hecho a mano\nidentifier = "Home"\n',
        )
        + '\n[[languages.es.menus.main]]\nname = "Ejercicios"\nidentifier = "Exercises"\n'
    )
    menus = tomllib.loads(built)["languages"]["es"]["menus"]["main"]
    assert [entry["name"] for entry in menus] == ["Inicio", *list(MENU.values())[1:]]
    assert not (site / "config").exists()


def test_status_and_check_list_the_menus_and_the_terms(tmp_path: Path, extrans: Run) -> None:
    site = copy_example(tmp_path, extrans)
    code, out, _ = extrans(site, "status")
    assert code == 0
    rows = out[out.index("site strings:") :]
    assert re.search(r"hugo\.toml\s+100%", rows)
    assert re.search(r"content/en\s+100%", rows)
    assert "orphan" not in out  # (the term pages build wrote belong to taxonomies.po)
    _, out, _ = extrans(site, "check")
    assert "locale/es/menus.po" in out and "locale/es/taxonomies.po" in out


def test_an_entry_added_to_the_source_is_added_to_the_built_menus(
    tmp_path: Path, extrans: Run
) -> None:
    site = copy_example(tmp_path, extrans)
    config = site / "hugo.toml"
    added = '\n[[menus.main]]\nname = "Swan Dive"\nparent = "Exercises"\npageRef = "/exercises/swan-dive"\n'
    config.write_text(config.read_text(encoding="utf-8") + added, encoding="utf-8")
    before = (site / "config/_default/menus.es.toml").read_text(encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build")[0] == 0
    after = (site / "config/_default/menus.es.toml").read_text(encoding="utf-8")
    assert after == before + (
        '\n[[main]]\nname = "Swan Dive"\nparent = "Exercises"\npageRef = "/exercises/swan-dive"\n'
    )
    assert extrans(site, "build", "--check")[0] == 0


def test_a_language_named_no_holds_its_menus_as_hugo_reads_them() -> None:
    text = "languages:\n  en:\n    menus:\n      main: [{name: Home}]\n  no:\n    menus: {}\n"
    assert [(p.table, p.language) for p in places_in("hugo.yaml", text)] == [
        (("languages", "en", "menus"), "en"),
        (("languages", "no", "menus"), "no"),
    ]
