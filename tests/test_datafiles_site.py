"""A site's data files: which extrans lists, what ``init`` proposes of them (on excerpts of
public sites' data folders), and the example site's data translated into Spanish, rendered by
the real Hugo."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from extrans.formats.pofile import format_catalog, parse_po
from extrans.site.config import load_settings
from extrans.site.datafiles import (
    data_relatives,
    data_sources,
    parse_data_file,
)
from extrans.stages.init import render_config, survey_fields

from .conftest import REPO, needs_gettext

Run = Callable[..., tuple[int, str, str]]

# vitessio/website, data/nav.yaml (Apache-2.0; tests/fixtures/SOURCES).
VITESS_NAV = """\
- text: Docs
  link: /docs
- text: Blog
  link: /blog
- text: Community
  link: /community
"""
# thegeeklab/hugo-geekdoc, exampleSite/data/properties/shortcode-hints.yaml and
# exampleSite/data/menu/more.yaml (MIT; tests/fixtures/SOURCES).
GEEKDOC_HINTS = """\
---
properties:
  - name: type
    type: string
    description: Type of the hint. Supported values are `note|tip|important|caution|warning`.
    required: false
    defaultValue: note
  - name: icon
    type: string
    description: Icon to use. The value need to be an icon from an [SVG sprite](/features/icon-sets/).
    required: false
  - name: title
    type: string
    description: Title text of the hint.
    required: false
"""
GEEKDOC_MORE = """\
---
more:
  - name: News
    ref: "/posts"
    icon: "gdoc_notification"
  - name: Releases
    ref: "https://github.com/thegeeklab/hugo-geekdoc/releases"
    external: true
    icon: "gdoc_download"
  - name: View Source
    ref: "https://github.com/thegeeklab/hugo-geekdoc"
    external: true
    icon: "gdoc_github"
"""
GEEKDOC_MENU = """\
---
main:
  - name:
      en: Level 1 (EN)
      de: Level 1 (DE)
    ref: "/toc-tree/level-1"
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def data_section(config: str) -> str:
    start = config.index("\n# Fields of data files")
    return config[start : config.index("\n\n# Paired shortcodes", start) + 1]


def test_the_data_files_listed_leave_out_translations_and_other_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "hugo.toml": "defaultContentLanguage = 'en'\n[languages.en]\n[languages.es]\n",
            "data/en/team.yaml": "a: b\n",
            "data/es/team.yaml": "a: b\n",
            "data/features.toml": "a = 'b'\n",
            "data/features.es.toml": "a = 'b'\n",
            "data/sub/list.json": "[]",
            "data/notes.csv": "a,b\n",
            "data/.hidden.yaml": "a: b\n",
        },
    )
    listing = data_relatives(load_settings(tmp_path))
    assert listing.pages == ["data/en/team.yaml", "data/features.toml", "data/sub/list.json"]
    assert listing.errors == ()


def test_the_configured_data_files_and_an_entry_that_names_none(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "extrans.toml": 'target-languages = ["es"]\ndata-files = ["data/*/team.yaml:m[].bio",'
            ' "data/en/teams.yaml:m[].bio", "data/**/*.json:*.text"]\n',
            "data/en/team.yaml": "m: []\n",
            "data/es/team.yaml": "m: []\n",
            "data/en/other.yaml": "m: []\n",
            "data/a/b/c.json": "{}",
        },
    )
    listing = data_sources(load_settings(tmp_path))
    assert listing.pages == ["data/a/b/c.json", "data/en/team.yaml"]
    assert [str(error) for error in listing.errors] == [
        "extrans.toml: the 'data-files' entry 'data/en/teams.yaml:m[].bio' names no data file"
    ]


def test_init_proposes_the_prose_fields_of_real_data_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "hugo.toml": "defaultContentLanguage = 'en'\n[languages.en]\n[languages.zh]\n",
            "content/en/_index.md": "---\ntitle: Home\n---\n",
            "data/nav.yaml": VITESS_NAV,
            "data/properties/shortcode-hints.yaml": GEEKDOC_HINTS,
            "data/properties/shortcode-more.yaml": GEEKDOC_HINTS.replace("hint", "note"),
            "data/menu/more.yaml": GEEKDOC_MORE,
            "data/menu/main.yaml": GEEKDOC_MENU,
        },
    )
    settings = load_settings(tmp_path)
    survey = survey_fields(settings)
    assert survey.errors == ()
    config = render_config(settings, survey, None)
    assert data_section(config) == (
        "\n# Fields of data files sent to translators, 'file:field' ('[]' every item of a list,\n"
        "# '*' any key); a file's translation goes to data/<language>/... (README, \"Site\n"
        "# strings\"): make the layout read the language's file.\n"
        "data-files = [\n"
        '    "data/properties/*.yaml:properties[].description",    '
        "# 6 values, e.g. 'Type of the hint. Supported values ar...'\n"
        "]\n"
        "# Found in data files, but not text a reader sees; add any you need:\n"
        "#   \"data/menu/main.yaml:main[].name.en\"                1 value, e.g. 'Level 1 (EN)'\n"
        "#   \"data/menu/main.yaml:main[].name.de\"                1 value, e.g. 'Level 1 (DE)'\n"
        "#   \"data/menu/main.yaml:main[].ref\"                    1 value, e.g. '/toc-tree/level-1'\n"
        "#   \"data/menu/more.yaml:more[].name\"                   3 values, e.g. 'View Source'\n"
        "#   \"data/menu/more.yaml:more[].ref\"                    3 values, e.g. '/posts'\n"
        "#   \"data/menu/more.yaml:more[].icon\"                   3 values, e.g. 'gdoc_notification'\n"
        "#   \"data/nav.yaml:[].text\"                             3 values, e.g. 'Docs'\n"
        "#   \"data/nav.yaml:[].link\"                             3 values, e.g. '/docs'\n"
        "#   \"data/properties/*.yaml:properties[].name\"          6 values, e.g. 'type'\n"
        "#   \"data/properties/*.yaml:properties[].type\"          6 values, e.g. 'string'\n"
        "#   \"data/properties/*.yaml:properties[].defaultValue\"  2 values, e.g. 'note'\n"
    )
    # What init proposes, extract reads: the configuration it writes loads.
    (tmp_path / "extrans.toml").write_text(config, encoding="utf-8")
    settings = load_settings(tmp_path)
    page = parse_data_file(GEEKDOC_HINTS, "data/properties/shortcode-hints.yaml", settings)
    assert page.key == "data/properties/shortcode-hints"
    assert [s.text for s in page.segments] == [
        "Type of the hint. Supported values are `note|tip|important|caution|warning`.",
        "Icon to use. The value need to be an icon from an [SVG sprite](/features/icon-sets/).",
        "Title text of the hint.",
    ]


def test_a_site_without_data_files_gets_no_data_setting(tmp_path: Path) -> None:
    write(tmp_path, {"content/en/_index.md": "---\ntitle: Home\n---\n"})
    settings = load_settings(tmp_path)
    assert "data-files" not in render_config(settings, survey_fields(settings), None)


SPANISH = {
    "Lead instructor": "Instructora principal",
    "Rehabilitation specialist": "Especialista en rehabilitación",
    "Marta has taught mat Pilates for twelve years and loves helping beginners find their "
    "breath.": "Marta enseña Pilates en colchoneta desde hace doce años y le encanta ayudar a "
    "quienes empiezan a encontrar su respiración.",
    "Lena adapts every exercise to your body, especially after an injury.": (
        "Lena adapta cada ejercicio a tu cuerpo, sobre todo después de una lesión."
    ),
}
CATALOG = "locale/es/data/en/instructors.po"
TARGET = "data/es/instructors.yaml"


@pytest.fixture
def with_data(site: Path) -> Path:
    """The example site's sources with its data file and layouts (no catalogs yet)."""
    shutil.copytree(REPO / "data/en", site / "data/en")
    shutil.copytree(REPO / "layouts", site / "layouts")
    return site


def translate(site: Path, translations: dict[str, str]) -> None:
    """Fill the data file's catalog as a translator's tool would (each msgid found by its
    text, whatever lines it spans; the fuzzy flag cleared)."""
    po = site / CATALOG
    catalog = parse_po(po.read_text(encoding="utf-8"), CATALOG)
    filled = tuple(
        replace(m, msgstr=translations[m.msgid], flags=(), previous_msgid=None, raw=None)
        if m.msgid in translations
        else m
        for m in catalog.messages
    )
    po.write_text(format_catalog(replace(catalog, messages=filled)), encoding="utf-8")


@needs_gettext
def test_extract_build_and_the_trust_policy_for_a_data_file(with_data: Path, extrans: Run) -> None:
    code, out, err = extrans(with_data, "extract")
    assert (code, err) == (0, "")
    assert "es: 8 pages and 3 site files" in out  # (with the menus and the terms)
    po = (with_data / CATALOG).read_text(encoding="utf-8")
    assert '#. data: instructors[1].role\n#: data/en/instructors.yaml\nmsgid "Rehabilitation' in po
    for name in (CATALOG, "locale/templates/data/en/instructors.pot"):
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(with_data / name)])
        assert done.returncode == 0, name
    # Nothing translated: no file (the layout falls back to the source language's).
    assert extrans(with_data, "build")[0] == 0
    assert not (with_data / TARGET).exists()
    translate(with_data, {"Lead instructor": SPANISH["Lead instructor"]})
    code, out, err = extrans(with_data, "build")
    assert (code, err) == (0, "")
    source = (with_data / "data/en/instructors.yaml").read_text(encoding="utf-8")
    assert (with_data / TARGET).read_text(encoding="utf-8") == source.replace(
        "role: Lead instructor", "role: Instructora principal"
    )
    assert extrans(with_data, "build", "--check")[0] == 0
    status = extrans(with_data, "status")[1]
    assert re.search(  # (after the menus of the example's hugo.toml)
        r"\n  site strings:\n  hugo\.toml .*\n  data/en/instructors.yaml +25.0% +", status
    )

    # An instructor added to the source: the file build wrote is written anew.
    added = source.replace(
        "instructors:\n",
        "instructors:\n  - name: Sofía Gil\n    role: Lead instructor\n    bio: New here.\n",
    )
    (with_data / "data/en/instructors.yaml").write_text(added, encoding="utf-8")
    assert extrans(with_data, "extract")[0] == 0
    code, out, err = extrans(with_data, "build")
    assert (code, err) == (0, "")
    assert (with_data / TARGET).read_text(encoding="utf-8") == added.replace(
        "role: Lead instructor", "role: Instructora principal"
    )

    # A file edited by hand is someone's work: left alone until --force, which edits it in
    # place (its own entries and comments kept).
    mine = (with_data / TARGET).read_text(encoding="utf-8") + "# mía\nmotto: Respira.\n"
    (with_data / TARGET).write_text(mine, encoding="utf-8")
    translate(with_data, {"New here.": "Nueva aquí."})
    code, out, _ = extrans(with_data, "build")
    assert code == 0
    assert f"{TARGET}: left alone: edited by hand since extrans wrote it" in out
    assert extrans(with_data, "build", "--force")[0] == 0
    assert (with_data / TARGET).read_text(encoding="utf-8") == mine.replace(
        "bio: New here.", "bio: Nueva aquí."
    )

    # A hand-made file whose lists no longer match the source: an error naming the place,
    # the file left as it is, and the pages built.
    mine = (with_data / TARGET).read_text(encoding="utf-8") + "# (edited again)\n"
    (with_data / TARGET).write_text(mine, encoding="utf-8")
    (with_data / "data/en/instructors.yaml").write_text(source, encoding="utf-8")
    assert extrans(with_data, "extract")[0] == 0
    code, out, err = extrans(with_data, "build")
    assert code == 2
    assert err == (
        f"{TARGET}: error: has no place for instructors[0].role and 3 more of "
        "data/en/instructors.yaml (its lists differ from the source's); left as it is: make it "
        "match the source, or delete it and build writes it anew\n"
    )
    assert (with_data / TARGET).read_text(encoding="utf-8") == mine
    assert "es: 0 written" in out
    code, out, err = extrans(with_data, "build", "--force")
    assert (code, err) == (0, "")  # (--force: made anew, as a page would be)
    assert (with_data / TARGET).read_text(encoding="utf-8") == source.replace(
        "role: Lead instructor", "role: Instructora principal"
    )


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_hugo_renders_the_spanish_home_page_with_the_translated_data(
    with_data: Path, extrans: Run, tmp_path: Path
) -> None:
    """The example site's instructors (data/en/instructors.yaml) translated through their
    catalog, built into data/es/, and read by the home page's layout: no English left."""
    assert extrans(with_data, "extract")[0] == 0
    translate(with_data, SPANISH)
    assert extrans(with_data, "build")[0] == 0
    assert extrans(with_data, "build", "--check")[0] == 0  # (built again: the same bytes)
    out = tmp_path / "out"
    subprocess.run(["hugo", "--quiet", "-s", str(with_data), "-d", str(out)], check=True)
    spanish = (out / "es/index.html").read_text(encoding="utf-8")
    english = (out / "index.html").read_text(encoding="utf-8")
    for english_text, spanish_text in SPANISH.items():
        assert spanish_text in spanish
        assert english_text not in spanish
        assert english_text in english
    assert "<h2>Marta Ruiz</h2>" in spanish  # (a name is not translated)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("instructors:\n  - bio: [unclosed\n", "data/en/instructors.yaml:3: error: invalid YAML"),
        ("instructors: 1\ninstructors: 2\n", "data/en/instructors.yaml:2: error: duplicate key"),
        ("- !!python/object:os.system bio\n", None),  # (composed, never constructed: no string)
        ("'a scalar at the root'\n", "data/en/instructors.yaml:1: error: the YAML file is not"),
    ],
)
def test_a_broken_data_file_is_an_error_and_the_pages_go_on(
    with_data: Path, extrans: Run, text: str, message: str | None
) -> None:
    (with_data / "data/en/instructors.yaml").write_text(text, encoding="utf-8")
    code, _, err = extrans(with_data, "extract")
    if message is None:
        assert (code, err) == (0, "")
    else:
        assert code == 2 and err.startswith(message), err
        assert not (with_data / CATALOG).exists()
    assert (with_data / "locale/es/home.po").is_file()  # (the pages are processed)


def test_a_data_file_that_is_not_utf8_is_an_error(with_data: Path, extrans: Run) -> None:
    (with_data / "data/en/instructors.yaml").write_bytes(b"instructors:\n  - bio: caf\xe9\n")
    code, _, err = extrans(with_data, "extract")
    assert code == 2
    assert err.startswith("data/en/instructors.yaml:2: error: not UTF-8 (byte 0xe9)"), err
