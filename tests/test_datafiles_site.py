"""A site's data files: which extrans lists, what ``init`` proposes of them (on excerpts of
public sites' data folders), and the example site's data translated into Spanish, rendered by
the real Hugo."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from extrans.formats.catalog import Catalog
from extrans.formats.pofile import parse_po
from extrans.site.config import load_settings
from extrans.site.datafiles import (
    data_relatives,
    data_sources,
    parse_data_file,
    read_data_text,
    write_data_file,
)
from extrans.stages.extract import update_catalogs
from extrans.stages.init import render_config, survey_fields
from extrans.stages.localize import usable_translations

from .conftest import EXAMPLE_FILES, REPO

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
    return config[config.index("\n# Fields of data files") :]


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


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo")
def test_hugo_renders_the_spanish_home_page_with_the_translated_data(tmp_path: Path) -> None:
    """The example site's instructors (data/en/instructors.yaml), through a catalog (extract's
    own merge), translated, written to data/es/, and read by the home page's layout."""
    site = tmp_path / "site"
    for name in (*EXAMPLE_FILES, "layouts", "data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        else:
            shutil.copy(source, site / name)
    settings = load_settings(site)
    relative = "data/en/instructors.yaml"
    assert [p.text for p in settings.data_fields(relative)] == [
        "instructors[].role",
        "instructors[].bio",
    ]
    text = read_data_text(settings, relative)
    page = parse_data_file(text, relative, settings)
    po_path = settings.catalog_path("es", page.key)
    assert po_path == "locale/es/data/en/instructors.po"
    updates = update_catalogs(page, settings, ["es"], {}, "2026-01-01 00:00+0000")
    catalog = parse_po(next(u.text for u in updates if u.path == po_path), po_path)
    assert sorted(m.msgid for m in catalog.messages) == sorted(SPANISH)
    assert "#. data: instructors[0].bio" in next(u.text for u in updates if u.path == po_path)
    filled = Catalog(
        catalog.header,
        tuple(replace(m, msgstr=SPANISH[m.msgid]) for m in catalog.messages),
        catalog.width,
    )
    usable = usable_translations(filled, po_path)
    target = settings.data_target_path(relative, "es")
    assert target == "data/es/instructors.yaml"
    built = write_data_file(text, page, None, target, usable.translations)
    (site / target).parent.mkdir(parents=True)
    (site / target).write_text(built, encoding="utf-8")
    assert write_data_file(text, page, built, target, usable.translations) == built

    subprocess.run(["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "out")], check=True)
    spanish = (tmp_path / "out/es/index.html").read_text(encoding="utf-8")
    english = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    for english_text, spanish_text in SPANISH.items():
        assert spanish_text in spanish
        assert english_text not in spanish
        assert english_text in english
    assert "<h2>Marta Ruiz</h2>" in spanish  # (a name is not translated)
