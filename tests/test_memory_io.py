"""``extrans memory``: TMX and compendium exports judged by real readers (the TMX 1.4b DTD,
Translate Toolkit, msgmerge, msgfmt), imports of what other tools wrote, and the stats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage.tmx import tmxfile

from extrans import __version__
from extrans.formats.catalog import Catalog, Message
from extrans.formats.compendium import compendium_header
from extrans.formats.memory import Unit
from extrans.formats.pofile import format_catalog
from extrans.formats.tmx import format_tmx, match_language, parse_tmx, tmx_units

from .conftest import REPO, invoke_cli, needs_gettext

Cli = Callable[..., tuple[int, str, str]]
DTD = etree.DTD(str(Path(__file__).parent / "fixtures/tmx/tmx14.dtd"))

HOSTILE = [
    'Say "hello" & <b>bye</b>',
    "ends ]]> here",
    "two\nlines\n",
    "a\ttab and a carriage\r\nreturn",
    "math 𝛑 and 😀 (non-BMP)",
    "  leading and trailing spaces  ",
    "&amp; written out",
]


def _toolkit(data: bytes) -> tmxfile:
    """The document as Translate Toolkit reads it."""
    store: tmxfile = tmxfile.parsestring(data)  # type: ignore[no-untyped-call]
    return store


def _valid(text: str) -> bool:
    document = etree.fromstring(text.encode("utf-8"))
    return bool(DTD.validate(document)) or pytest.fail(str(DTD.error_log.filter_from_errors()))


def _example(tmp_path: Path) -> Path:
    """A copy of the example site with its Spanish catalogs."""
    root = tmp_path / "example"
    root.mkdir()
    for name in ("content", "locale", "data", "i18n", "config"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    return root


def _po_units(path: Path) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """The translated, non-fuzzy entries of a PO file as polib reads them."""
    found: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in polib.pofile(str(path)):
        if entry.translated() and not entry.obsolete:
            forms = (
                tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
                if entry.msgid_plural
                else (entry.msgstr,)
            )
            found[(entry.msgctxt, entry.msgid)] = forms
    return found


def _site_units(
    root: Path, language: str = "es"
) -> dict[tuple[str | None, str], set[tuple[str, ...]]]:
    found: dict[tuple[str | None, str], set[tuple[str, ...]]] = {}
    for path in sorted((root / "locale" / language).rglob("*.po")):
        for key, forms in _po_units(path).items():
            found.setdefault(key, set()).add(forms)
    return found


# TMX: the DTD and Translate Toolkit


def test_tmx_of_hostile_texts_is_valid_and_translate_toolkit_reads_it_back() -> None:
    units = [
        Unit(text, (f"«{text}»",), None, None, "locale/es/a.po", "body: paragraph")
        for text in HOSTILE
    ]
    units.append(
        Unit("Saw", ("Sierra",), "keyword", None, "locale/es/saw.po", "front matter: keywords[0]")
    )
    units.append(Unit("Saw", ("La sierra",), None, None, "locale/es/saw.po", "front matter: title"))
    written = format_tmx(tmx_units("es", units), "en", version=__version__)
    assert written.refused == ()
    assert _valid(written.text)
    store = _toolkit(written.text.encode("utf-8"))
    read = [(unit.source, unit.gettarget("es"), unit.getcontext()) for unit in store.units]
    assert read == [(u.msgid, u.forms[0], u.msgctxt or "") for u in units]
    ours = parse_tmx(written.text.encode("utf-8"), "a.tmx")
    assert [(u.msgid, u.forms, u.msgctxt, u.kind, u.places) for u in ours.units] == [
        (u.msgid, u.forms, u.msgctxt, u.kind, (u.place,)) for u in units
    ]


def test_a_plural_entry_is_one_unit_of_its_singular_texts_and_its_forms_come_back() -> None:
    unit = Unit("%d file", ("%d fichier", "%d fichiers"), None, "%d files", "locale/fr/a.po")
    written = format_tmx(tmx_units("fr", [unit]), "en", version=__version__)
    assert _valid(written.text)
    (read,) = _toolkit(written.text.encode("utf-8")).units
    assert (read.source, read.gettarget("fr")) == ("%d file", "%d fichier")
    (ours,) = parse_tmx(written.text.encode("utf-8"), "a.tmx").units
    assert (ours.msgid_plural, ours.forms) == ("%d files", ("%d fichier", "%d fichiers"))


def test_a_text_translated_two_ways_is_two_units_the_most_used_first() -> None:
    units = [
        Unit("Benefits", ("Ventajas",), place="locale/es/a.po"),
        Unit("Benefits", ("Beneficios",), place="locale/es/b.po"),
        Unit("Benefits", ("Beneficios",), place="locale/es/c.po"),
    ]
    written = format_tmx(tmx_units("es", units), "en", version=__version__)
    assert _valid(written.text)
    read = parse_tmx(written.text.encode("utf-8"), "a.tmx").units
    assert [(u.forms, u.places, u.uses) for u in read] == [
        (("Beneficios",), ("locale/es/b.po", "locale/es/c.po"), 2),
        (("Ventajas",), ("locale/es/a.po",), 1),
    ]
    assert 'usagecount="2"' in written.text


def test_a_control_character_xml_cannot_hold_is_refused_not_written() -> None:
    units = [Unit("bell\x07", ("campana",), place="locale/es/a.po"), Unit("ok", ("vale",))]
    written = format_tmx(tmx_units("es", units), "en", version=__version__)
    assert _valid(written.text)
    assert [(unit.msgid, why) for unit, why in written.refused] == [
        ("bell\x07", "U+0007 is a character XML 1.0 cannot hold")
    ]
    assert [u.msgid for u in parse_tmx(written.text.encode("utf-8"), "a.tmx").units] == ["ok"]


_XML_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00\ufffe\uffff")).filter(
    lambda text: not any(ord(c) < 32 and c not in "\t\n\r" for c in text)
)


@settings(max_examples=150, deadline=None)
@given(
    msgid=_XML_TEXT.filter(bool),
    translation=_XML_TEXT.filter(bool),
    context=st.none() | _XML_TEXT,
)
def test_any_text_comes_back_from_tmx_as_it_was(
    msgid: str, translation: str, context: str | None
) -> None:
    unit = Unit(msgid, (translation,), context, None, "locale/pt-br/a.po")
    text = format_tmx(tmx_units("pt-br", [unit]), "en", version=__version__).text
    (read,) = parse_tmx(text.encode("utf-8"), "a.tmx").units
    assert (read.language, read.msgid, read.forms) == ("pt-BR", msgid, (translation,))
    assert read.msgctxt == (
        context or None
    )  # (an empty context is none, as Translate Toolkit reads it)
    (theirs,) = _toolkit(text.encode("utf-8")).units
    assert (theirs.source, theirs.gettarget("pt-BR")) == (msgid, translation)


@pytest.mark.parametrize(
    ("code", "languages", "found"),
    [
        ("es", ["es", "fr"], "es"),
        ("es-ES", ["es", "fr"], "es"),
        ("ES_es", ["es-es", "es"], "es-es"),
        ("pt-BR", ["pt-br", "pt"], "pt-br"),
        ("pt_BR", ["pt-br"], "pt-br"),
        ("pt", ["pt-br"], "pt-br"),
        ("pt", ["pt-br", "pt-pt"], None),
        ("zh-Hans", ["zh-hans", "zh-hant"], "zh-hans"),
        ("de", ["es"], None),
    ],
)
def test_a_tmx_language_code_matches_a_site_code(
    code: str, languages: list[str], found: str | None
) -> None:
    assert match_language(code, languages) == found


# Hostile and foreign TMX files


def _tmx(body: str, header: str = 'srclang="en"') -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        f'<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" '
        f'adminlang="en" datatype="plaintext" {header}/>\n<body>\n{body}\n</body>\n</tmx>\n'
    ).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"msgid nothing", "a.tmx:1: error: not a TMX file: not well-formed XML (syntax error)"),
        (
            b"<?xml version='1.0'?><xliff/>",
            "a.tmx:1: error: not a TMX file: its root element is <xliff>",
        ),
        (b"<tmx><header", "a.tmx:1: error: not a TMX file: not well-formed XML (unclosed token)"),
        (_tmx("", header=""), "a.tmx:3: error: <header> has no srclang (TMX requires one)"),
        (
            _tmx('<tu>\n<tuv xml:lang="en"><seg>Saw</seg></tuv>\n<tuv xml:lang="es"></tuv></tu>'),
            "a.tmx:7: error: <tuv> without <seg>",
        ),
        (_tmx("<tu><tuv><seg>Saw</seg></tuv></tu>"), "a.tmx:5: error: <tuv> has no xml:lang"),
        (_tmx("<tuv/>"), "a.tmx:5: error: <tuv> in <body>, where only <tu> can be"),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<tmx><header srclang='en'/><body/></tmx>",
            "a.tmx:1: error: declares an XML entity; a TMX file needs none",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "http://example.invalid/tmx.dtd"><tmx><body>&ext;</body></tmx>',
            "a.tmx:1: error: refers to an entity it does not define (&ext;)",
        ),
        (
            _tmx("", header='srclang="de"'),
            "a.tmx: error: its source language is 'de', not the site's (en): its texts would fill nothing",
        ),
        (
            b"<tmx>\n\xff</tmx>",
            "a.tmx:2: error: not a TMX file: not well-formed XML (not well-formed (invalid token))",
        ),
    ],
)
def test_a_file_that_is_no_tmx_is_one_line_and_nothing_is_written(
    site: Path, extrans: Cli, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "a.tmx"
    path.write_bytes(data)
    code, out, err = extrans(site, "memory", "import", str(path))
    assert code == 2 and out == ""
    assert err == message.replace("a.tmx", str(path)) + "\n"
    assert not (site / "locale/memory").exists()


def test_inline_markup_in_a_segment_is_read_as_the_text_it_stands_for(
    site: Path, extrans: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "inline.tmx"
    path.write_bytes(
        _tmx(
            '<tu><prop type="x-context">keyword</prop><prop type="x-extrans-kind">body:\nheading</prop>'
            '<tuv xml:lang="en-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>Stop<ept i="1">&lt;/b&gt;</ept> '
            'now<ph>{{&lt; br &gt;}}</ph><hi type="x">!</hi></seg></tuv>'
            '<tuv xml:lang="es-ES"><seg>Pulsa <bpt i="1">&lt;b&gt;</bpt>Parar<ept i="1">&lt;/b&gt;</ept> '
            "ya<ph>{{&lt; br &gt;}}</ph>!</seg></tuv></tu>\n"
            '<tu><tuv xml:lang="de"><seg>Nur Deutsch</seg></tuv><tuv xml:lang="es"><seg>Solo</seg></tuv></tu>\n'
            '<tu><tuv xml:lang="en"><seg>Untranslated</seg></tuv><tuv xml:lang="es"><seg></seg></tuv></tu>\n'
            '<tu><tuv xml:lang="en"><seg>Bonjour</seg></tuv><tuv xml:lang="fr"><seg>Bonjour</seg></tuv></tu>'
        )
    )
    code, out, err = extrans(site, "memory", "import", str(path))
    assert (code, err) == (0, "")
    assert out == (
        "es: 1 added, 0 updated, 0 already there; locale/memory/es.po written\n"
        "fr: 1 units ignored: no target language of this site\n"
        "2 skipped: no source text, or no translation (empty or fuzzy)\n"
    )
    assert _po_units(site / "locale/memory/es.po") == {
        ("keyword", "Press <b>Stop</b> now{{< br >}}!"): ("Pulsa <b>Parar</b> ya{{< br >}}!",)
    }
    code, out, _ = extrans(site, "memory", "import", "--lang", "es", str(path))
    assert out.splitlines()[1] == "fr: 1 units ignored: not --lang es"
    assert "\n#. body:\\nheading\n" in (site / "locale/memory/es.po").read_text(encoding="utf-8")


# Import: Translate Toolkit's TMX, PO compendiums, idempotence


def test_a_tmx_translate_toolkit_wrote_is_imported(tmp_path: Path, extrans: Cli) -> None:
    root = _example(tmp_path)
    catalog = root / "locale/es/exercise-saw.po"
    expected = _po_units(catalog)
    done = subprocess.run(
        [sys.executable, "-m", "translate.convert.po2tmx", "-l", "es", str(catalog), str(tmp_path / "saw.tmx")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shutil.rmtree(root / "locale/es")
    code, out, err = extrans(root, "memory", "import", str(tmp_path / "saw.tmx"))
    assert (code, err) == (0, "")
    assert out.startswith(f"es: {len(expected)} added, 0 updated, 0 already there;")
    assert _po_units(root / "locale/memory/es.po") == expected


def test_the_example_exported_and_imported_into_a_copy_has_the_same_units(
    tmp_path: Path, extrans: Cli
) -> None:
    root = _example(tmp_path)
    units = _site_units(root)
    assert all(len(forms) == 1 for forms in units.values())  # (no conflict in the example)
    code, out, err = extrans(root, "memory", "export", "-o", str(tmp_path / "es.tmx"))
    assert (code, err) == (0, "")
    assert out == f"wrote {tmp_path / 'es.tmx'}: {len(units)} translation units (es)\n"
    assert _valid((tmp_path / "es.tmx").read_text(encoding="utf-8"))
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(root / name, copy / name)
    (copy / "content/en").mkdir(parents=True)
    code, out, _ = extrans(copy, "memory", "import", str(tmp_path / "es.tmx"))
    assert code == 0 and out.startswith(f"es: {len(units)} added")
    compendium = copy / "locale/memory/es.po"
    assert _po_units(compendium) == {key: next(iter(forms)) for key, forms in units.items()}
    first = compendium.read_bytes()
    code, out, _ = extrans(copy, "memory", "import", str(tmp_path / "es.tmx"))
    assert code == 0
    assert (
        out
        == f"es: 0 added, 0 updated, {len(units)} already there; locale/memory/es.po unchanged\n"
    )
    assert compendium.read_bytes() == first
    stats = json.loads(extrans(copy, "memory", "stats", "--format", "json")[1])
    assert stats["languages"][0]["imported"] == len(units)


def test_a_later_import_replaces_a_text_s_translation(
    site: Path, extrans: Cli, tmp_path: Path
) -> None:
    for name, translation in (("one.tmx", "Ventajas"), ("two.tmx", "Beneficios")):
        (tmp_path / name).write_bytes(
            _tmx(
                f'<tu><tuv xml:lang="en"><seg>Benefits</seg></tuv><tuv xml:lang="es"><seg>{translation}</seg></tuv></tu>'
            )
        )
    assert extrans(site, "memory", "import", str(tmp_path / "one.tmx"))[0] == 0
    code, out, _ = extrans(site, "memory", "import", str(tmp_path / "two.tmx"))
    assert (code, out) == (
        0,
        "es: 0 added, 1 updated, 0 already there; locale/memory/es.po written\n",
    )
    text = (site / "locale/memory/es.po").read_text(encoding="utf-8")
    assert '# memory: imported from two.tmx\nmsgid "Benefits"\nmsgstr "Beneficios"\n' in text


@pytest.mark.parametrize("form", ["tmx", "po"])
def test_a_blank_translation_is_refused_at_its_line_and_the_rest_imported(
    site: Path, extrans: Cli, tmp_path: Path, form: str
) -> None:
    """A translation of only spaces would fill an entry with nothing: it is named where the
    file holds it (exit 2), and the file's other texts are imported."""
    imported = tmp_path / f"blank.{form}"
    if form == "tmx":
        tus = [
            f'<tu><tuv xml:lang="en"><seg>{text}</seg></tuv>'
            f'<tuv xml:lang="es"><seg>{translation}</seg></tuv></tu>'
            for text, translation in (("Tips", "Trucos"), ("Benefits", " \t "))
        ]
        imported.write_bytes(_tmx("\n".join(tus)))
    else:
        header = compendium_header("es", "blank", "2025-01-01 00:00+0000")
        messages = (Message("Tips", "Trucos"), Message("Benefits", "  "))
        imported.write_text(format_catalog(Catalog(header, messages)), encoding="utf-8")
    written = imported.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(written, 1) if "Benefits" in text)
    code, out, err = extrans(site, "memory", "import", str(imported))
    assert (code, out) == (
        2,
        "es: 1 added, 0 updated, 0 already there; locale/memory/es.po written\n",
    )
    assert err == (
        f"{imported}:{line}: error: 'Benefits' not imported into es: "
        "a form of its translation is empty or only whitespace\n"
    )
    assert _po_units(site / "locale/memory/es.po") == {(None, "Tips"): ("Trucos",)}


def test_a_po_compendium_is_imported_by_its_language_header_or_lang(
    site: Path, extrans: Cli, tmp_path: Path
) -> None:
    body = '\n#, fuzzy\nmsgid "Draft"\nmsgstr "Borrador"\n\nmsgctxt "keyword"\nmsgid "Saw"\nmsgstr "Sierra"\n'
    (tmp_path / "c.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: es_ES\\n"\n' + body, encoding="utf-8"
    )
    code, out, err = extrans(site, "memory", "import", str(tmp_path / "c.po"))
    assert (code, err) == (0, "")
    assert (
        out
        == "es: 1 added, 0 updated, 0 already there; locale/memory/es.po written\n1 skipped: no source text, or no translation (empty or fuzzy)\n"
    )
    (tmp_path / "bare.po").write_text('msgid "Mat"\nmsgstr "Colchoneta"\n', encoding="utf-8")
    code, out, err = extrans(site, "memory", "import", str(tmp_path / "bare.po"))
    assert (code, out) == (2, "")
    assert (
        err
        == f"{tmp_path / 'bare.po'}: error: has no Language header; name its language with --lang\n"
    )
    code, out, _ = extrans(site, "memory", "import", "--lang", "es", str(tmp_path / "bare.po"))
    assert code == 0 and out.startswith("es: 1 added")
    assert _po_units(site / "locale/memory/es.po") == {
        ("keyword", "Saw"): ("Sierra",),
        (None, "Mat"): ("Colchoneta",),
    }


# The compendium: msgfmt and msgmerge


def _merged_from(compendium: Path, template: Path) -> Path:
    """``msgmerge --compendium``: a catalog with the compendium's header alone, merged with
    ``template`` (written beside the compendium)."""
    empty = compendium.with_name("empty.po")
    header = compendium.read_text(encoding="utf-8").split("\n\n")[0]
    empty.write_text(header + "\n", encoding="utf-8")
    merged = compendium.with_name("merged.po")
    command = ["msgmerge", "--quiet", "--compendium", str(compendium), "-o", str(merged)]
    subprocess.run([*command, str(empty), str(template)], check=True)
    return merged


@needs_gettext
def test_the_compendium_fills_a_catalog_through_msgmerge(tmp_path: Path, extrans: Cli) -> None:
    root = _example(tmp_path)
    code, text, err = extrans(root, "memory", "export", "--format", "po")
    assert (code, err) == (0, "")
    compendium = tmp_path / "es.po"
    compendium.write_text(text, encoding="utf-8")
    checked = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(compendium)], capture_output=True, text=True
    )
    assert (checked.returncode, checked.stderr) == (0, "")
    assert (
        subprocess.run(
            ["msgcat", "--width=79", str(compendium)], capture_output=True, text=True
        ).stdout
        == text
    )
    merged = _merged_from(compendium, root / "locale/templates/exercise-saw.pot")
    assert _po_units(merged) == _po_units(root / "locale/es/exercise-saw.po")


@needs_gettext
def test_a_text_translated_two_ways_is_fuzzy_in_the_compendium_and_listed_by_stats(
    tmp_path: Path, extrans: Cli
) -> None:
    root = _example(tmp_path)
    catalogs = [polib.pofile(str(p)) for p in sorted((root / "locale/es").rglob("*.po"))]
    repeated = [
        (catalog, entry) for catalog in catalogs for entry in catalog
        if entry.translated() and sum(1 for c in catalogs if c.find(entry.msgid, msgctxt=entry.msgctxt)) > 1
    ]  # fmt: skip
    catalog, entry = repeated[0]
    was = entry.msgstr
    entry.msgstr = "Otra traducción"
    catalog.save()
    code, out, err = extrans(root, "--verbose", "memory", "stats")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].endswith(", 1 translated several ways, 0 imported")
    shown = json.dumps(entry.msgid, ensure_ascii=False)
    at = next(
        i for i, line in enumerate(lines) if line.startswith(f"  several translations of {shown}")
    )
    place = Path(catalog.fpath).relative_to(root).as_posix()
    listed = sorted(lines[at + 1 : at + 3])
    assert listed[0] == f'    "Otra traducción": {place}'
    assert listed[1].startswith(f"    {json.dumps(was, ensure_ascii=False)}: locale/es/")
    code, text, _ = extrans(root, "memory", "export", "--format", "po")
    compendium = tmp_path / "es.po"
    compendium.write_text(text, encoding="utf-8")
    (found,) = [
        e
        for e in polib.pofile(str(compendium))
        if e.msgid == entry.msgid and e.msgctxt == entry.msgctxt
    ]
    assert found.fuzzy and found.msgstr in (was, "Otra traducción")  # (one use each: the first met)
    assert "memory: 2 translations of this text; the most used is here:" in found.tcomment
    pot = tmp_path / "one.pot"
    pot.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid {json.dumps(entry.msgid)}\nmsgstr ""\n',
        encoding="utf-8",
    )
    merged = _merged_from(compendium, pot)
    (filled,) = [e for e in polib.pofile(str(merged)) if e.msgid == entry.msgid]
    assert filled.fuzzy and filled.msgstr == found.msgstr  # (not taken as it is)


# Stats and the command line


def test_stats_count_what_a_fill_would_complete(site: Path, extrans: Cli, tmp_path: Path) -> None:
    assert extrans(site, "extract")[0] == 0
    tmx = tmp_path / "example.tmx"
    assert extrans(_example(tmp_path), "memory", "export", "-o", str(tmx))[0] == 0
    moved = "<seg>Leg Pull Back Prep</seg>"  # (a title, translated now as a similar text)
    assert tmx.read_text(encoding="utf-8").count(moved) == 1
    tmx.write_text(
        tmx.read_text(encoding="utf-8").replace(moved, "<seg>Leg Pull Back Preparation</seg>"),
        encoding="utf-8",
    )
    assert extrans(site, "memory", "import", str(tmx))[0] == 0
    entries = [
        entry
        for path in (site / "locale/es").rglob("*.po")
        for entry in polib.pofile(str(path))
        if not entry.obsolete and not entry.msgstr
    ]
    similar = sum(
        1 for entry in entries if (entry.msgctxt, entry.msgid) == (None, "Leg Pull Back Prep")
    )
    assert similar >= 1
    code, out, err = extrans(site, "memory", "stats", "--format", "json")
    assert (code, err) == (0, "")
    (es,) = json.loads(out)["languages"]
    assert es["fill"]["untranslated"] == len(entries)
    assert (
        es["fill"]["exact"] == len(entries) - similar
    )  # (the same pages, translated in the example)
    assert es["fill"]["near"] == similar and es["conflicts"] == []
    catalogs = es["fill"]["catalogs"]
    filled = [c["exact"] + c["near"] for c in catalogs]
    assert filled == sorted(filled, reverse=True)
    assert es["policy"] == "fuzzy"
    code, out, _ = extrans(site, "memory", "stats")
    counts = (
        f"a fill would give {len(entries) - similar} of {len(entries)} untranslated entries the "
        f"same text's translation and {similar} a similar text's, in {len(catalogs)} of "
        f"{len(catalogs)} catalogs"
    )
    assert out.splitlines()[1] == f"  {counts}"
    # With the memory off, nothing is filled: the counts say what would be, with it on.
    config = site / "extrans.toml"
    config.write_text('memory = "off"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = extrans(site, "memory", "stats")
    assert out.splitlines()[1] == f'  memory = "off": nothing is filled; with it on, {counts}'
    assert (
        json.loads(extrans(site, "memory", "stats", "-f", "json")[1])["languages"][0]["policy"]
        == "off"
    )


def test_po_export_of_several_languages_is_a_usage_error(site: Path, extrans: Cli) -> None:
    config = site / "extrans.toml"
    config.write_text(
        'target-languages = ["es", "fr"]\n' + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, out, err = extrans(site, "memory", "export", "--format", "po")
    assert (code, out) == (2, "")
    assert err == (
        "extrans: error: --format po writes one language: name it with --lang (this site has "
        "es, fr); see `extrans memory export --help`\n"
    )
    code, out, err = extrans(site, "memory", "export", "--format", "po", "--lang", "fr")
    assert (code, err) == (0, "")
    assert '"Language: fr\\n"' in out
    code, out, _ = extrans(site, "memory", "export")
    assert code == 0 and _valid(out)


def test_a_control_character_in_a_translation_is_named_and_the_rest_exported(
    tmp_path: Path, extrans: Cli
) -> None:
    root = _example(tmp_path)
    path = root / "locale/es/exercise-saw.po"
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if e.translated())
    entry.msgstr += "\x07"
    catalog.save()
    code, out, err = extrans(root, "memory", "export")
    assert code == 2 and _valid(out)
    assert err.startswith("locale/es/exercise-saw.po: error: ")
    assert err.endswith("left out of the TMX: U+0007 is a character XML 1.0 cannot hold\n")
    assert f"<seg>{entry.msgid}</seg>" not in out


def test_memory_commands_have_help_with_an_example() -> None:
    for command in ("export", "import", "stats"):
        code, out, _ = invoke_cli("memory", command, "--help")
        assert code == 0 and out.startswith(f"Usage: extrans memory {command} ")
        assert (
            f"Example: extrans memory {command}" in out
            or f"Example: extrans --verbose memory {command}" in out
        )


def _hostile_catalog(root: Path) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """A Spanish catalog of hostile texts in the site at ``root``; its units."""
    messages = [Message(text, f"es: {text}") for text in HOSTILE]
    messages.append(Message("Saw", "Sierra", "keyword\nwith ]]> & <ctx>"))
    messages.append(
        Message("%d file", msgid_plural="%d files", msgstr_plural=("%d archivo", "%d archivos"))
    )
    header = compendium_header("es", "hostile", "2025-01-01 00:00+0000")
    path = root / "locale/es/hostile.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_catalog(Catalog(header, tuple(messages))), encoding="utf-8")
    return _po_units(path)


@needs_gettext
@pytest.mark.parametrize("form", ["tmx", "po"])
def test_hostile_texts_come_back_through_an_export_and_an_import(
    site: Path, extrans: Cli, tmp_path: Path, form: str
) -> None:
    units = _hostile_catalog(site)
    assert len(units) == len(HOSTILE) + 2
    exported = tmp_path / f"hostile.{form}"
    code, _, err = extrans(site, "memory", "export", "--format", form, "-o", str(exported))
    assert (code, err) == (0, "")
    if form == "po":
        checked = subprocess.run(
            ["msgfmt", "-c", "-o", "/dev/null", str(exported)], capture_output=True, text=True
        )
        assert (checked.returncode, checked.stderr) == (0, "")
    else:
        assert _valid(exported.read_text(encoding="utf-8"))
    copy = tmp_path / "copy"
    (copy / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(site / name, copy / name)
    code, _, err = extrans(copy, "memory", "import", str(exported))
    assert (code, err) == (0, "")
    assert _po_units(copy / "locale/memory/es.po") == units


def test_a_broken_compendium_is_named_and_left_as_it_is(
    site: Path, extrans: Cli, tmp_path: Path
) -> None:
    config = site / "extrans.toml"
    config.write_text(
        'target-languages = ["es", "fr"]\n' + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    broken = site / "locale/memory/es.po"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b'msgid "a"\nmsgstr "b"\n<<<<<<< HEAD\n')
    (tmp_path / "one.tmx").write_bytes(
        _tmx(
            '<tu><tuv xml:lang="en"><seg>Benefits</seg></tuv><tuv xml:lang="es"><seg>Ventajas</seg></tuv>'
            '<tuv xml:lang="fr"><seg>Avantages</seg></tuv></tu>'
        )
    )
    code, out, err = extrans(site, "memory", "import", str(tmp_path / "one.tmx"))
    assert code == 2
    assert out == "fr: 1 added, 0 updated, 0 already there; locale/memory/fr.po written\n"
    assert (
        err
        == "locale/memory/es.po:3: error: unresolved merge conflict marker; resolve the conflict first\n"
    )
    assert broken.read_bytes() == b'msgid "a"\nmsgstr "b"\n<<<<<<< HEAD\n'
    assert _po_units(site / "locale/memory/fr.po") == {(None, "Benefits"): ("Avantages",)}


def test_a_utf16_tmx_of_tmx_1_1_language_attributes_is_imported(
    site: Path, extrans: Cli, tmp_path: Path
) -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<tmx version="1.1"><header srclang="EN-US" '
        'creationtool="x"/>\n<body><tu><tuv lang="EN-US"><seg>Benefits</seg></tuv>'
        '<tuv lang="ES-ES"><seg>Beneficios</seg></tuv></tu></body></tmx>\n'
    )
    (tmp_path / "memory").write_bytes(text.encode("utf-16"))  # (no suffix: read as what it holds)
    code, out, err = extrans(site, "memory", "import", str(tmp_path / "memory"))
    assert (code, err) == (0, "")
    assert out.startswith("es: 1 added")
    assert _po_units(site / "locale/memory/es.po") == {(None, "Benefits"): ("Beneficios",)}


def test_a_tmx_whose_source_may_be_any_language_is_read_from_the_site_s(
    site: Path, extrans: Cli, tmp_path: Path
) -> None:
    """OmegaT writes ``srclang="*all*"`` in its project memories' header (any language may
    be the source): the texts in the site's source language are the source."""
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.1"><header srclang="*all*" '
        'creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" '
        'segtype="sentence"/>\n<body>\n'
        '<tu><tuv lang="EN-US"><seg>Benefits</seg></tuv><tuv lang="ES"><seg>Beneficios</seg>'
        "</tuv></tu>\n"
        '<tu><tuv lang="ES"><seg>Solo destino</seg></tuv></tu>\n</body></tmx>\n'
    )
    (tmp_path / "project_save.tmx").write_text(text, encoding="utf-8")
    code, out, err = extrans(site, "memory", "import", str(tmp_path / "project_save.tmx"))
    assert (code, err) == (0, "")
    assert out.startswith("es: 1 added")
    assert _po_units(site / "locale/memory/es.po") == {(None, "Benefits"): ("Beneficios",)}
