"""Site strings (#20): Hugo's i18n string tables read and written in every form Hugo reads,
real themes' tables built back unchanged, and the framework through the command line (extract,
build's trust policy, --check, status and check, key clashes, errors), judged by gettext and
by the real ``hugo`` on the example site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from extrans.errors import PageError
from extrans.formats.i18n_table import (
    TableFormat,
    read_i18n_table,
    table_format,
    write_i18n_table,
)
from extrans.formats.pseudo import pseudo_translate
from extrans.model import SiteFile, SiteWrite
from extrans.site.i18n_tables import i18n_translations, read_i18n_page, write_i18n

from .conftest import REPO, needs_gettext, settings_with, tree
from .test_site_menus import HUNDRED_TITLE, MENU, TERMS

Run = Callable[..., tuple[int, str, str]]
FIXTURES = REPO / "tests/fixtures/i18n"
REAL_TABLES = sorted(path for path in FIXTURES.rglob("*") if table_format(path.name))
needs_hugo = pytest.mark.skipif(
    shutil.which("hugo") is None, reason="needs Hugo: apt-get install hugo"
)


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML with YAML 1.2's booleans (``true``, ``false``), as recent Hugo reads a table:
    docsy's ``feedback_positive: Yes`` is the text ``Yes``."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(text: str, format: TableFormat) -> Any:
    """The table as Hugo's parsers see it (the judges: not extrans's own reader)."""
    if format == "toml":
        return tomllib.loads(text)
    if format == "json":
        return json.loads(text)
    return yaml.load(text, Loader=Yaml12Loader)


def texts_of(text: str, path: str, format: TableFormat) -> dict[str, dict[str, str]]:
    return {
        entry.id: {s.category: s.value for s in entry.strings}
        for entry in read_i18n_table(text, path, format).entries
    }


# --- the forms Hugo reads -------------------------------------------------------------------

FORMS = [
    (
        "toml",
        '# buttons\nreadMore = "Read more"\n\n[minutes]\none = "{{ .Count }} minute"\n'
        'other = "{{ .Count }} minutes"\ndescription = "reading time"\n\n[nav.home]\n'
        "other = 'Home'\n",
    ),
    (
        "yaml",
        "---\nreadMore: Read more\nminutes:\n  one: '{{ .Count }} minute'\n"
        '  other: "{{ .Count }} minutes"\nnav:\n  home:\n    other: Home\n',
    ),
    (
        "yaml",
        "- id: readMore\n  translation: Read more\n- id: minutes\n  translation:\n"
        '    one: "{{ .Count }} minute"\n    other: "{{ .Count }} minutes"\n'
        "- id: nav.home\n  translation: Home\n",
    ),
    (
        "json",
        '{\n  "readMore": "Read more",\n  "minutes": {"one": "{{ .Count }} minute", '
        '"other": "{{ .Count }} minutes"},\n  "nav": {"home": {"other": "Home"}}\n}\n',
    ),
    (
        "json",
        '[{"id": "readMore", "translation": "Read more"},\n {"id": "minutes", "translation": '
        '{"one": "{{ .Count }} minute", "other": "{{ .Count }} minutes"}},\n'
        ' {"id": "nav.home", "translation": "Home"}]\n',
    ),
]


@pytest.mark.parametrize(("format", "text"), FORMS)
def test_every_form_reads_as_the_same_entries(format: TableFormat, text: str) -> None:
    assert texts_of(text, "i18n/en", format) == {
        "readMore": {"other": "Read more"},
        "minutes": {"one": "{{ .Count }} minute", "other": "{{ .Count }} minutes"},
        "nav.home": {"other": "Home"},
    }


SPANISH = {
    "readMore": {"other": "Leer más"},
    "minutes": {"one": "{{ .Count }} minuto", "many": "{{ .Count }} minutos", "other": "{{ .Count }} minutos"},
    "nav.home": {"other": "Inicio"},
}  # fmt: skip


@pytest.mark.parametrize(("format", "text"), FORMS)
def test_a_new_table_is_the_source_with_the_translations(format: TableFormat, text: str) -> None:
    built = write_i18n_table(text, None, "i18n/es", format, SPANISH)
    assert texts_of(built, "i18n/es", format) == SPANISH
    load(built, format)  # (Hugo's parser reads it)
    if format == "toml":
        assert built == (
            '# buttons\nreadMore = "Leer más"\n\n[minutes]\none = "{{ .Count }} minuto"\n'
            'many = "{{ .Count }} minutos"\nother = "{{ .Count }} minutos"\n'
            "description = \"reading time\"\n\n[nav.home]\nother = 'Inicio'\n"
        )


@pytest.mark.parametrize(("format", "text"), FORMS)
def test_untranslated_ids_are_left_out_of_a_new_table(format: TableFormat, text: str) -> None:
    """Hugo falls back to the default language for an id the table lacks."""
    some = {"minutes": SPANISH["minutes"]}
    built = write_i18n_table(text, None, "i18n/es", format, some)
    assert texts_of(built, "i18n/es", format) == some
    assert "Read more" not in built and "Home" not in built
    load(built, format)


def test_a_hand_made_table_keeps_its_order_comments_quoting_and_ids() -> None:
    source = FORMS[0][1]
    mine = (
        "# Spanish, by hand\nreadMore = \"Leer\"\n\n[nav.home]\nother = 'Portada'  # short\n\n"
        '[extra]\nother = "Solo aquí"\n'
    )
    built = write_i18n_table(source, mine, "i18n/es.toml", "toml", SPANISH)
    assert built == (
        "# Spanish, by hand\nreadMore = \"Leer más\"\n\n[nav.home]\nother = 'Inicio'  # short\n"
        '\n[extra]\nother = "Solo aquí"\n\n[minutes]\none = "{{ .Count }} minuto"\n'
        'many = "{{ .Count }} minutos"\nother = "{{ .Count }} minutos"\n'
    )


@pytest.mark.parametrize(
    ("language", "forms", "expected"),
    [
        ("es", ("{{ .Count }} paso", "{{ .Count }} pasos"), {"one": 0, "many": 1, "other": 1}),
        ("ja", ("{{ .Count }} ステップ",), {"one": 0, "other": 0}),
        ("ru", ("{{ .Count }} шаг", "{{ .Count }} шага", "{{ .Count }} шагов"),
         {"one": 0, "few": 1, "many": 2, "other": 2}),
    ],
)  # fmt: skip
def test_plural_forms_become_the_languages_cldr_categories(
    language: str, forms: tuple[str, ...], expected: dict[str, int]
) -> None:
    """msgstr[N] goes to each CLDR category whose counts the language's Plural-Forms gives
    form N; a new table leaves none of the source's categories in English (Japanese has only
    ``other``: its ``one`` says the same)."""
    source = "[steps]\none = '{{ .Count }} step'\nother = '{{ .Count }} steps'\n"
    file = SiteFile("i18n", "i18n/en.toml", "i18n")
    page = read_i18n_page(settings_with(), file, source)
    assert [(s.context, s.text, s.plural) for s in page.segments] == [
        ("steps", "{{ .Count }} step", "{{ .Count }} steps")
    ]
    job = SiteWrite(
        file, page, source, None, f"i18n/{language}.toml", language,
        {("steps", "{{ .Count }} step"): forms},
    )  # fmt: skip
    built = write_i18n(job)
    assert built is not None
    assert tomllib.loads(built) == {
        "steps": {category: forms[index] for category, index in expected.items()}
    }


def test_a_bare_string_becomes_a_plural_table_where_it_stands() -> None:
    mine = 'minutes = "{{ .Count }} min"  # flat\nreadMore = "Leer"\n'
    built = write_i18n_table(FORMS[0][1], mine, "i18n/es.toml", "toml", SPANISH)
    assert built.startswith(
        'minutes = { one = "{{ .Count }} minuto", many = "{{ .Count }} minutos", '
        'other = "{{ .Count }} minutos" }  # flat\nreadMore = "Leer más"\n'
    )
    assert texts_of(built, "i18n/es.toml", "toml") == SPANISH


def test_yaml_words_that_yaml_1_1_reads_as_booleans_are_strings() -> None:
    """``Yes``/``No`` (docsy's feedback buttons) are text to recent Hugo (YAML 1.2; Hugo 0.111
    refuses the table); a translation that YAML 1.1 would read otherwise is quoted."""
    source = "feedback_positive: Yes\nfeedback_negative: No\nok: true\n"
    assert texts_of(source, "en.yaml", "yaml") == {
        "feedback_positive": {"other": "Yes"},
        "feedback_negative": {"other": "No"},
    }
    texts = {"feedback_positive": {"other": "Ja"}, "feedback_negative": {"other": "Off"}}
    built = write_i18n_table(source, None, "no.yaml", "yaml", texts)
    assert built == 'feedback_positive: Ja\nfeedback_negative: "Off"\nok: true\n'
    assert yaml.safe_load(built)["feedback_negative"] == "Off"


def test_a_duplicate_id_is_an_error_at_its_line() -> None:
    with pytest.raises(PageError, match="the id 'a' has its 'other' text twice") as caught:
        read_i18n_table("- id: a\n  translation: x\n- id: a\n  translation: y\n", "en.yaml", "yaml")
    assert caught.value.line == 4


# --- real themes' tables ----------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_TABLES, ids=lambda p: p.relative_to(FIXTURES).as_posix())
def test_real_tables_build_back_byte_identical_and_through_a_pseudo_translation(path: Path) -> None:
    """An untouched table (its catalog translates it as it is) builds back byte-identical; a
    pseudo-translated one reads back with the same ids and categories, and translated back
    into its own texts reads as it did (a value the pseudo-translation had to quote, a
    ``{{ }}`` in plain YAML, a folded block, stays quoted)."""
    format = table_format(path.name)
    assert format is not None
    text = path.read_text(encoding="utf-8")
    source = (path.parent / f"en{path.suffix}").read_text(encoding="utf-8")
    own = texts_of(text, path.name, format)
    assert own, path
    assert write_i18n_table(source, text, path.name, format, own) == text
    pseudo = {i: {c: pseudo_translate(v) for c, v in cats.items()} for i, cats in own.items()}
    once = write_i18n_table(source, text, path.name, format, pseudo)
    assert texts_of(once, path.name, format) == pseudo
    assert _shape(load(once, format)) == _shape(load(text, format))
    back = write_i18n_table(source, once, path.name, format, own)
    assert texts_of(back, path.name, format) == own
    assert load(back, format) == load(text, format)


def _shape(data: Any) -> Any:
    """Keys and list lengths, every string the same."""
    if isinstance(data, dict):
        return {key: _shape(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_shape(value) for value in data]
    return "s" if isinstance(data, str) else data


# --- hostile translations -------------------------------------------------------------------

HOSTILE = [
    'say "hi"',
    "it's",
    "back\\slash \\n \\u0041",
    "two\nlines\n",
    '"""',
    "'''",
    "- item",
    "key: value",
    "# not a comment",
    "&anchor *alias !tag",
    "| block",
    "> folded",
    "[table]\nx = 1",
    "{{ .Count }} {{",
    "}}\n[other]",
    "\u2028 line separator",
    "tab\there",
    "",
]


@pytest.mark.parametrize(("format", "text"), FORMS)
@pytest.mark.parametrize("hostile", [h for h in HOSTILE if h])
def test_hostile_translations_cannot_add_keys_or_break_the_table(
    format: TableFormat, text: str, hostile: str
) -> None:
    wanted = {
        "readMore": {"other": hostile},
        "minutes": {"one": hostile + "1", "other": hostile},
        "nav.home": {"other": hostile},
    }
    for existing in (None, write_i18n_table(text, None, "es", format, SPANISH)):
        built = write_i18n_table(text, existing, "es", format, wanted)
        assert texts_of(built, "es", format) == {
            **wanted,
            "minutes": {**(SPANISH["minutes"] if existing else {}), **wanted["minutes"]},
        }
        assert _shape(load(built, format)) == _shape(load(existing or text, format))


# --- the framework, through the command line -------------------------------------------------


@pytest.fixture
def with_table(site: Path) -> Path:
    """The example site's sources with its i18n table (no catalogs yet)."""
    shutil.copytree(REPO / "i18n", site / "i18n", ignore=shutil.ignore_patterns("es.*"))
    return site


def translate_table(site: Path, translations: dict[str, str]) -> None:
    po = site / "locale/es/i18n.po"
    text = po.read_text(encoding="utf-8")
    for msgid, msgstr in translations.items():
        old = f'msgid "{msgid}"\nmsgstr ""'
        assert old in text, msgid
        text = text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    po.write_text(text, encoding="utf-8")


@needs_gettext
def test_extract_makes_a_catalog_per_table_keyed_by_id(with_table: Path, extrans: Run) -> None:
    code, out, err = extrans(with_table, "extract")
    assert (code, err) == (0, "")
    assert "es: 8 pages and 3 site files, 272 new" in out
    po = (with_table / "locale/es/i18n.po").read_text(encoding="utf-8")
    assert (
        '#. i18n: steps\n#: i18n/en.toml\nmsgctxt "steps"\nmsgid "{{ .Count }} step"\n'
        'msgid_plural "{{ .Count }} steps"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    ) in po
    assert 'msgctxt "madeBy"\nmsgid "Made by {{ .Name }} with Hugo"' in po
    for name in ("locale/es/i18n.po", "locale/templates/i18n.pot"):
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(with_table / name)])
        assert done.returncode == 0
    assert extrans(with_table, "extract", "--check")[0] == 0
    table = with_table / "i18n/en.toml"
    table.write_text(table.read_text("utf-8").replace("Read more", "Read on"), "utf-8")
    code, out, _ = extrans(with_table, "extract", "--check")
    assert code == 1 and "locale/es/i18n.po: out of date" in out + _


def test_build_writes_the_table_and_keeps_to_the_trust_policy(
    with_table: Path, extrans: Run
) -> None:
    assert extrans(with_table, "extract")[0] == 0
    translate_table(with_table, {"Read more": "Leer más"})
    code, out, err = extrans(with_table, "build")
    assert (code, err) == (0, "")
    assert (with_table / "i18n/es.toml").read_text(encoding="utf-8") == 'readMore = "Leer más"\n'
    assert extrans(with_table, "build", "--check")[0] == 0
    translate_table(with_table, {"Back to all exercises": "Volver"})
    code, out, _ = extrans(with_table, "build", "--check")
    assert code == 1 and "  site strings: i18n/es.toml: would write\n" in out
    # A table edited by hand is someone's work: left alone, named, until --force.
    spanish = with_table / "i18n/es.toml"
    spanish.write_text('# mine\nreadMore = "Seguir leyendo"\nhandOnly = "Sólo mío"\n', "utf-8")
    code, out, _ = extrans(with_table, "build")
    assert (
        code == 0
        and (
            "i18n/es.toml: left alone: edited by hand since extrans wrote it (use --force to "
            "replace it)"
        )
        in out
    )
    assert extrans(with_table, "build", "--force")[0] == 0
    assert spanish.read_text(encoding="utf-8") == (
        '# mine\nreadMore = "Leer más"\nhandOnly = "Sólo mío"\nbackHome = "Volver"\n'
    )
    quiet = extrans(with_table, "build")[1]
    assert re.search(
        r"\n  site strings: (\d+ not written, )?1 unchanged \(extrans -v lists them\)\n", quiet
    )
    assert "  site strings: i18n/es.toml: unchanged\n" in extrans(with_table, "-v", "build")[1]


def test_a_table_nobody_made_with_extrans_is_left_alone(with_table: Path, extrans: Run) -> None:
    assert extrans(with_table, "extract")[0] == 0
    translate_table(with_table, {"Read more": "Leer más"})
    (with_table / "i18n/es.toml").write_text('readMore = "Más"\n', encoding="utf-8")
    code, out, _ = extrans(with_table, "build")
    assert code == 0
    assert "i18n/es.toml: left alone: not written by extrans (use --force to replace it)" in out
    assert (with_table / "i18n/es.toml").read_text(encoding="utf-8") == 'readMore = "Más"\n'


def test_a_table_in_another_format_is_the_one_written(with_table: Path, extrans: Run) -> None:
    """Hugo reads i18n/es.yaml beside an English i18n/en.toml: build writes that one (once
    --force lets it), never an es.toml beside it."""
    assert extrans(with_table, "extract")[0] == 0
    translate_table(with_table, {"Read more": "Leer más"})
    spanish = with_table / "i18n/es.yaml"
    spanish.write_text("# by hand\nreadMore: Más\nhandOnly: Sólo mío\n", encoding="utf-8")
    assert "i18n/es.yaml: left alone: not written by extrans" in extrans(with_table, "build")[1]
    assert extrans(with_table, "build", "--force")[0] == 0
    assert spanish.read_text(encoding="utf-8") == (
        "# by hand\nreadMore: Leer más\nhandOnly: Sólo mío\n"
    )
    assert not (with_table / "i18n/es.toml").exists()


def test_a_broken_table_is_an_error_and_the_pages_go_on(with_table: Path, extrans: Run) -> None:
    (with_table / "i18n/en.toml").write_text('readMore = "Read more"\n[steps\n', "utf-8")
    code, out, err = extrans(with_table, "extract")
    assert code == 2
    assert err.startswith("i18n/en.toml:2: error: invalid TOML file")
    assert "es: 8 pages and 3 site files" in out and (with_table / "locale/es/home.po").exists()
    assert not (with_table / "locale/es/i18n.po").exists()


def test_a_page_keyed_like_a_site_catalog_is_a_clash(with_table: Path, extrans: Run) -> None:
    saw = with_table / "content/en/exercises/saw.md"
    saw.write_text(saw.read_text("utf-8").replace('"exercise-saw"', '"i18n"'), "utf-8")
    code, _, err = extrans(with_table, "extract")
    assert code == 2
    assert (
        "content/en/exercises/saw.md: error: translation key 'i18n' is also used by i18n/en.toml"
    ) in err
    assert (with_table / "locale/es/i18n.po").exists()
    assert "msgctxt" in (with_table / "locale/es/i18n.po").read_text(encoding="utf-8")


def test_status_and_check_have_a_site_strings_section(with_table: Path, extrans: Run) -> None:
    assert extrans(with_table, "extract")[0] == 0
    translate_table(
        with_table, {"Read more": "Leer más", "Made by {{ .Name }} with Hugo": "Hecho con Hugo"}
    )
    code, out, _ = extrans(with_table, "status")
    assert code == 0
    assert re.search(r"\n  site strings:\n  i18n/en.toml +20.0% +", out)
    document = json.loads(extrans(with_table, "status", "--format", "json")[1])
    assert [
        (row["page"], row["section"], row["translated"]) for row in document["site_strings"]
    ] == [
        ("i18n/en.toml", "site strings", 1),
        ("hugo.toml", "site strings", 0),  # (the example's menus)
        ("content/en", "site strings", 0),  # (the example's terms)
    ]
    assert document["orphan_catalogs"] == []
    assert (
        "i18n/en.toml,site strings,locale/es/i18n.po"
        in extrans(with_table, "status", "--format", "csv")[1]
    )
    assert "### Site strings" in extrans(with_table, "status", "--format", "markdown")[1]
    assert "<td>site strings</td>" in extrans(with_table, "status", "--format", "html")[1]
    github = extrans(with_table, "status", "--format", "github")[1]
    assert "::notice file=locale/es/i18n.po,line=1,title=20.0%25 translated::" in github
    code, out, _ = extrans(with_table, "check")
    assert code == 1
    assert "locale/es/i18n.po:" in out and "error[placeholder]: template placeholders" in out
    assert out.endswith(  # (with the example's menus and terms)
        "site strings: locale/es/i18n.po, locale/es/menus.po, locale/es/taxonomies.po\n"
    )
    assert json.loads(extrans(with_table, "check", "--format", "json")[1])["site_strings"] == [
        "locale/es/i18n.po",
        "locale/es/menus.po",
        "locale/es/taxonomies.po",
    ]
    # build does not use the translation that loses its placeholder
    code, out, err = extrans(with_table, "build")
    assert "(not used: the source text was)" in err
    assert "Hecho" not in (with_table / "i18n/es.toml").read_text(encoding="utf-8")


def test_the_setting_i18n_false_leaves_the_tables_alone(with_table: Path, extrans: Run) -> None:
    config = with_table / "extrans.toml"
    config.write_text("i18n = false\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = extrans(with_table, "extract")
    assert code == 0 and "8 pages and 2 site files" in out  # (the menus and the terms)
    assert not (with_table / "locale/es/i18n.po").exists()


# --- the example site, rendered by Hugo ----------------------------------------------------


@needs_hugo
def test_hugo_renders_the_spanish_site_with_its_translated_strings(tmp_path: Path) -> None:
    """The committed example: build is up to date, and the Spanish pages show the table's
    translations (a plural count for 1 and for 5, a {{ .Name }} placeholder), the menu's
    entries and the tags' names, no English."""
    from .conftest import invoke_cli

    site = tmp_path / "site"
    for name in ("content", "locale", "layouts", "config", "i18n", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    code, out, err = invoke_cli("--site", str(site), "build", "--check")
    assert code == 0, out + err
    public = tmp_path / "public"
    subprocess.run(["hugo", "--quiet", "-s", str(site), "-d", str(public)], check=True)
    saw = (public / "es/exercises/saw/index.html").read_text(encoding="utf-8")
    assert '<p class="reading-time">Lectura de 1 minuto</p>' in saw
    assert '<p class="step-count">5 pasos</p>' in saw
    hundred = (public / "es/exercises/the-hundred/index.html").read_text(encoding="utf-8")
    assert '<p class="reading-time">Lectura de 2 minutos</p>' in hundred
    assert '<p class="step-count">6 pasos</p>' in hundred
    assert '<p class="made-by">Hecho por GirlPilates con Hugo</p>' in saw
    assert '<a class="home" href="/es/exercises/">Volver a todos los ejercicios</a>' in saw
    listing = (public / "es/exercises/index.html").read_text(encoding="utf-8")
    assert listing.count(">Leer más</a>") == 6
    for name, data in tree(public).items():
        if name.startswith("es/") and name.endswith(".html"):
            html = data.decode("utf-8")
            for string in (">Read more<", ">Back to all", "Made by", " steps<", "minute read<"):
                assert string not in html, (name, string)
    english = (public / "exercises/saw/index.html").read_text(encoding="utf-8")
    assert '<p class="step-count">5 steps</p>' in english
    # The main menu and the tags: translated on every Spanish page, English on the English.
    spanish_pages = 0
    for name, data in tree(public).items():
        if b'http-equiv="refresh"' in data:
            continue  # (Hugo's redirect to the default language's home page)
        if name.endswith(".html") and not name.startswith("es/"):
            html = data.decode("utf-8")
            for entry in MENU:
                assert f">{entry}</a>" in html, (name, entry)
            assert f'title="{HUNDRED_TITLE[0]}">The Hundred</a>' in html, name
        if name.startswith("es/") and name.endswith(".html"):
            spanish_pages += 1
            html = data.decode("utf-8")
            menu = re.search(r'<nav class="menu">(.*?)</nav>', html, re.S)
            assert menu is not None, name
            for entry, translation in MENU.items():
                assert f">{translation}</a>" in menu[1], (name, translation)
                assert f">{entry}</a>" not in html, (name, entry)
            assert f'title="{HUNDRED_TITLE[1]}">El Hundred</a>' in menu[1], name
            assert HUNDRED_TITLE[0] not in html, name
            for term in TERMS:
                assert f">{term}</a>" not in html and f"<title>{term} " not in html, name
    assert spanish_pages >= 8
    tags = r'<a class="tag" href="([^"]*)">([^<]*)</a>'
    assert re.findall(tags, saw) == [("/es/tags/spine-mobility/", "Movilidad de la columna")]
    assert re.findall(tags, hundred) == [
        ("/es/tags/core/", "Núcleo"),
        ("/es/tags/breathing/", "Respiración"),
    ]
    roll_up = (public / "es/exercises/roll-up/index.html").read_text(encoding="utf-8")
    assert [name for _, name in re.findall(tags, roll_up)] == [
        TERMS["Core"],
        TERMS["Spine mobility"],
    ]
    for term, translation in TERMS.items():
        slug = term.lower().replace(" ", "-")
        term = (public / f"es/tags/{slug}/index.html").read_text(encoding="utf-8")
        assert f"<title>{translation} | " in term
    assert re.findall(tags, english) == [("/tags/spine-mobility/", "Spine mobility")]


@needs_hugo
def test_a_pseudo_translated_table_has_the_same_ids_and_categories(tmp_path: Path) -> None:
    """``extrans pseudo`` then build: the language's table reads with the source's ids and
    categories, every text changed, and Hugo renders it."""
    from .conftest import invoke_cli

    site = tmp_path / "site"
    for name in ("content", "layouts", "i18n", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    (site / "i18n/es.toml").unlink()
    with (site / "hugo.toml").open("a", encoding="utf-8") as config:
        config.write('\n[languages.qps]\ncontentDir = "content/qps"\nweight = 3\n')
    assert invoke_cli("--site", str(site), "pseudo")[0] == 0
    assert invoke_cli("--site", str(site), "build", "--lang", "qps")[0] == 0
    english = tomllib.loads((site / "i18n/en.toml").read_text(encoding="utf-8"))
    pseudo = tomllib.loads((site / "i18n/qps.toml").read_text(encoding="utf-8"))
    assert _shape(pseudo) == _shape(english)
    assert all(
        pseudo[key] != value if isinstance(value, str) else pseudo[key]["other"] != value["other"]
        for key, value in english.items()
    )
    subprocess.run(["hugo", "--quiet", "-s", str(site), "-d", str(tmp_path / "public")], check=True)
    saw = (tmp_path / "public/qps/exercises/saw/index.html").read_text(encoding="utf-8")
    assert '<p class="step-count">5 ⟦šţéþš !⟧</p>' in saw


def test_init_proposes_the_tables_it_found(with_table: Path, extrans: Run) -> None:
    (with_table / "extrans.toml").unlink()
    code, out, _ = extrans(with_table, "init")
    assert code == 0 and "  site strings: i18n/en.toml (5 strings)\n" in out
    config = (with_table / "extrans.toml").read_text(encoding="utf-8")
    assert (
        "# Hugo's i18n string tables: i18n/en.toml (5 strings); false\n"
        "# leaves them alone.\ni18n = true\n"
    ) in config
    assert "3 site files" in extrans(with_table, "extract")[1]


def test_a_language_table_that_does_not_read_is_named_and_kept(
    with_table: Path, extrans: Run
) -> None:
    """A broken i18n/es.toml is an error at its line, left as it is; --force makes it anew."""
    assert extrans(with_table, "extract")[0] == 0
    translate_table(with_table, {"Read more": "Leer más"})
    spanish = with_table / "i18n/es.toml"
    spanish.write_text('readMore = "Más"\n[steps\n', encoding="utf-8")
    code, out, err = extrans(with_table, "build")
    assert code == 2 and err.startswith("i18n/es.toml:2: error: invalid TOML file")
    assert "8 below threshold" in out
    assert spanish.read_text(encoding="utf-8") == 'readMore = "Más"\n[steps\n'
    assert extrans(with_table, "build", "--force")[0] == 0
    assert spanish.read_text(encoding="utf-8") == 'readMore = "Leer más"\n'


@needs_gettext
def test_adopt_fills_the_catalog_from_a_hand_made_table(with_table: Path, extrans: Run) -> None:
    """A site's own Spanish table (plural counts too) becomes its catalog's translations;
    build then writes the table back as it was."""
    hand = (REPO / "i18n/es.toml").read_bytes()
    (with_table / "i18n/es.toml").write_bytes(hand)
    code, out, err = extrans(with_table, "adopt", "--no-history")
    assert (code, err) == (0, "")
    assert out.startswith("i18n/es.toml: 5 adopted, 0 fuzzy, 0 not aligned; 100% translated\n")
    assert (
        "\nes: 0 pages (0 as build writes them) and 1 site file, 5 adopted, 0 fuzzy, 0 not aligned"
        in out
    )
    po = with_table / "locale/es/i18n.po"
    assert (
        'msgid "{{ .Count }} step"\nmsgid_plural "{{ .Count }} steps"\n'
        'msgstr[0] "{{ .Count }} paso"\nmsgstr[1] "{{ .Count }} pasos"\n'
    ) in po.read_text(encoding="utf-8")
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)])
    assert done.returncode == 0
    assert extrans(with_table, "build", "--force")[0] == 0
    assert (with_table / "i18n/es.toml").read_bytes() == hand
    # A translation the catalog holds already is kept, and the difference named.
    (with_table / "i18n/es.toml").write_bytes(hand.replace("Leer más".encode(), b"Seguir"))
    _, out, _ = extrans(with_table, "adopt", "--no-history")
    assert (
        "locale/es/i18n.po:" in out
        and "kept its translation, which differs from i18n/es.toml" in out
    )


@pytest.mark.parametrize(
    ("language", "table", "forms"),
    [
        ("ru", "[steps]\none = 'шаг'\nfew = 'шага'\nmany = 'шагов'\nother = 'шага'\n",
         ("шаг", "шага", "шагов")),
        ("ja", "[steps]\nother = 'ステップ'\n", ("ステップ",)),
        ("es", "[steps]\none = 'paso'\n", None),
    ],
)  # fmt: skip
def test_adopt_reads_a_tables_categories_as_the_languages_forms(
    language: str, table: str, forms: tuple[str, ...] | None
) -> None:
    """msgstr[N] takes the text of the first CLDR category the language's Plural-Forms gives
    form N; a table lacking a form gives none."""
    source = "[steps]\none = 'step'\nother = 'steps'\n"
    file = SiteFile("i18n", "i18n/en.toml", "i18n")
    page = read_i18n_page(settings_with(), file, source)
    job = SiteWrite(file, page, source, table, f"i18n/{language}.toml", language, {})
    found = i18n_translations(job)
    assert found == ({} if forms is None else {("steps", "step"): forms})
