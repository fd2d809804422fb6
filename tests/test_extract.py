"""extract on a copy of the example site, with gettext's own tools as the judges."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.formats.po_wrap import detect_width

from .conftest import REPO, needs_gettext, tree

Run = Callable[..., tuple[int, str, str]]
PAGE = "content/en/exercises/leg-pull-back-prep.md"
CATALOG = "locale/es/exercise-leg-pull-back-prep.po"
TEMPLATE = "locale/templates/exercise-leg-pull-back-prep.pot"
CHECK_PO = REPO / "tests" / "po_spec" / "check_po.py"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_translation(path: Path, msgid: str, msgstr: str) -> None:
    edit(path, f'msgid "{msgid}"\nmsgstr ""\n', f'msgid "{msgid}"\nmsgstr "{msgstr}"\n')


def test_extract_writes_a_template_and_a_catalog_per_page(site: Path, extrans: Run) -> None:
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert "templates: 8 pages and 2 site files, 10 written" in out  # (menus, terms)
    assert "es: 8 pages and 2 site files, " in out
    files = tree(site / "locale")
    assert {name.split("/")[0] for name in files} == {"templates", "es", ".gitignore"}
    assert files[".gitignore"].endswith(b"\n*.mo\n")  # (Poedit's compiled catalogs)
    for key in ("exercise-leg-pull-back-prep", "exercise-roll-up", "exercise-saw", "exercises",
                "home"):  # fmt: skip
        assert f"templates/{key}.pot" in files and f"es/{key}.po" in files
    catalog = files["es/exercise-leg-pull-back-prep.po"].decode()
    assert (
        '#. body: list item, under "Benefits"\n#: content/en/exercises/leg-pull-back-prep.md\n'
        'msgid "**Posterior Chain**: Strengthens glutes, hamstrings, back"\nmsgstr ""\n'
    ) in catalog
    assert "#. front matter: faq[2].a\n" in catalog
    assert 'msgctxt "keyword"\nmsgid "reverse plank"\n' in catalog
    assert "GirlPilates Team" not in catalog and "dQw4w9WgXcQ" not in catalog


@needs_gettext
def test_catalogs_follow_the_po_spec(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    catalogs = sorted(str(p) for p in (site / "locale" / "es").glob("*.po"))
    checked = subprocess.run(
        [sys.executable, str(CHECK_PO), "--lang", "es", *catalogs], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout
    for template in (site / "locale" / "templates").glob("*.pot"):
        data = template.read_bytes()
        assert (
            subprocess.run(["msgcat", "--width=79", str(template)], capture_output=True).stdout
            == data
        )
        msgfmt = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(template)],
            capture_output=True, text=True,
        )  # fmt: skip
        assert (msgfmt.returncode, msgfmt.stderr) == (0, "")


def test_a_second_run_changes_no_byte(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    extrans(site, "extract")
    before = tree(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a later day changes nothing either
    code, out, _ = extrans(site, "extract")
    assert code == 0 and "0 written" in out
    assert tree(site) == before


@needs_gettext
@pytest.mark.parametrize("rewrap", [["--width=100"], ["--no-wrap"], ["--width=60"]])
def test_entries_rewrapped_by_a_translators_tool_keep_their_bytes(
    site: Path, extrans: Run, rewrap: list[str]
) -> None:
    extrans(site, "extract")
    for catalog in (site / "locale").rglob("*.po*"):
        out = subprocess.run(["msgcat", *rewrap, str(catalog)], capture_output=True, check=True)
        catalog.write_bytes(out.stdout)
    before = tree(site / "locale")
    assert extrans(site, "extract")[0] == 0
    assert tree(site / "locale") == before
    # A new long entry is wrapped as Poedit would wrap that file; old entries stay as they were.
    edit(site / PAGE, "- Look straight ahead or slightly up\n",
         "- Look straight ahead or slightly up\n- " + "Keep breathing " * 9 + "\n")  # fmt: skip
    extrans(site, "extract")
    catalog = site / CATALOG
    width = detect_width(catalog.read_text(encoding="utf-8"))
    option = ["--no-wrap"] if width is None else [f"--width={width}"]
    assert (
        subprocess.run(["msgcat", *option, str(catalog)], capture_output=True).stdout
        == catalog.read_bytes()
    )
    after = catalog.read_text(encoding="utf-8")
    unchanged = before["es/exercise-leg-pull-back-prep.po"].decode().split("\n\n")[1:]
    assert all(block in after for block in unchanged)


@needs_gettext
def test_source_changes_merge_like_msgmerge_previous(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    catalog = site / CATALOG
    set_translation(catalog, "Push the floor away with your hands", "Empuja el suelo con las manos")
    set_translation(
        catalog, "Look straight ahead or slightly up", "Mira al frente o un poco arriba"
    )
    edit(site / PAGE, "Push the floor away with your hands", "Push the floor away with both hands")
    edit(site / PAGE, "- Look straight ahead or slightly up\n", "")
    code, out, _ = extrans(site, "extract")
    assert code == 0
    assert "0 new, 1 changed, 1 obsolete" in out
    text = catalog.read_text(encoding="utf-8")
    assert (
        '#, fuzzy\n#| msgid "Push the floor away with your hands"\n'
        'msgid "Push the floor away with both hands"\nmsgstr "Empuja el suelo con las manos"\n'
    ) in text
    assert text.endswith(
        '#~ msgid "Look straight ahead or slightly up"\n'
        '#~ msgstr "Mira al frente o un poco arriba"\n'
    )
    # msgmerge itself finds nothing to change in what extract wrote (PO-SPEC rule 12).
    merged = subprocess.run(
        ["msgmerge", "--previous", "--no-fuzzy-matching", "-q", str(catalog), str(site / TEMPLATE),
         "-o", "-"], capture_output=True, check=True,
    )  # fmt: skip
    assert merged.stdout == catalog.read_bytes()
    # The text comes back: the obsolete translation comes back with it, not fuzzy.
    edit(
        site / PAGE,
        "- Squeeze your glutes",
        "- Look straight ahead or slightly up\n- Squeeze your glutes",
    )
    extrans(site, "extract")
    text = catalog.read_text(encoding="utf-8")
    assert (
        'msgid "Look straight ahead or slightly up"\nmsgstr "Mira al frente o un poco arriba"'
        in text
    )
    assert "#~" not in text


def test_translators_header_fields_are_never_touched(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    extrans(site, "extract")
    catalog = site / CATALOG
    edit(
        catalog,
        '"PO-Revision-Date: 2025-01-01 00:00+0000\\n"',
        '"PO-Revision-Date: 2025-03-02 11:12+0100\\n"',
    )
    edit(catalog, '"Last-Translator: \\n"', '"Last-Translator: Lucía <lucia@example.org>\\n"')
    edit(catalog, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
         '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
         '"X-Generator: Poedit 3.2.2\\n"')  # fmt: skip
    before = catalog.read_text(encoding="utf-8").split("\n")
    template_before = (site / TEMPLATE).read_text(encoding="utf-8")
    extrans(site, "extract")
    assert catalog.read_text(encoding="utf-8").split("\n") == before  # nothing changed: no date
    edit(site / PAGE, "Look straight ahead", "Look straight forward")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    extrans(site, "extract")
    after = catalog.read_text(encoding="utf-8").split("\n")
    changed_header = [(a, b) for a, b in zip(before[:16], after[:16], strict=True) if a != b]
    assert changed_header == [
        (
            '"POT-Creation-Date: 2025-01-01 00:00+0000\\n"',
            '"POT-Creation-Date: 2027-01-15 08:00+0000\\n"',
        )
    ]
    assert "POT-Creation-Date: 2027-01-15 08:00+0000" in (site / TEMPLATE).read_text(
        encoding="utf-8"
    )
    assert template_before != (site / TEMPLATE).read_text(encoding="utf-8")


def test_check_writes_nothing_and_fails_when_out_of_date(site: Path, extrans: Run) -> None:
    code, _, err = extrans(site, "extract", "--check")
    assert code == 1 and not (site / "locale").exists()
    assert f"{TEMPLATE}: out of date; run `extrans extract`" in err
    extrans(site, "extract")
    assert extrans(site, "extract", "--check")[0] == 0
    edit(site / PAGE, "Look straight ahead", "Look straight forward")
    before = tree(site / "locale")
    code, _, err = extrans(site, "extract", "--check")
    assert code == 1 and tree(site / "locale") == before
    assert f"{CATALOG}: out of date" in err


def test_a_new_language_gets_a_complete_catalog(site: Path, extrans: Run) -> None:
    extrans(site, "extract")
    edit(
        site / "extrans.toml",
        "# extrans configuration",
        'target-languages = ["es", "pt-br"]\n# extrans configuration',
    )
    code, out, _ = extrans(site, "extract", "--lang", "pt-br")
    assert code == 0 and "pt-br: 8 pages" in out
    text = (site / "locale" / "pt-br" / "exercise-saw.po").read_text(encoding="utf-8")
    assert (
        '"Language: pt_BR\\n"' in text and '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text
    )


def test_unknown_language_option_is_a_usage_error(site: Path, extrans: Run) -> None:
    code, _, err = extrans(site, "extract", "--lang", "fr")
    assert code == 2 and "--lang fr: not a target language of this site (they are: es)" in err


def test_line_numbers_setting(site: Path, extrans: Run) -> None:
    edit(
        site / "extrans.toml",
        "# extrans configuration",
        "line-numbers = true\n# extrans configuration",
    )
    extrans(site, "extract")
    text = (site / CATALOG).read_text(encoding="utf-8")
    assert '#: content/en/exercises/leg-pull-back-prep.md:55\nmsgid "**Posterior Chain**' in text
    assert '#: content/en/exercises/leg-pull-back-prep.md:2\nmsgid "Leg Pull Back Prep"' in text


def test_same_text_twice_is_one_entry_with_both_origins(site: Path, extrans: Run) -> None:
    edit(site / PAGE, "## Benefits\n", "## Benefits\n\nLeg Pull Back Prep\n\n")
    extrans(site, "extract")
    text = (site / CATALOG).read_text(encoding="utf-8")
    assert text.count('msgid "Leg Pull Back Prep"') == 1
    assert (
        '#. front matter: title\n#. body: paragraph, under "Benefits"\n'
        '#: content/en/exercises/leg-pull-back-prep.md\nmsgid "Leg Pull Back Prep"' in text
    )


def test_duplicate_keys_name_both_files_and_skip_them(site: Path, extrans: Run) -> None:
    copy = site / "content/en/exercises/copy.md"
    copy.write_text((site / PAGE).read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = extrans(site, "extract")
    assert code == 2
    assert (
        "content/en/exercises/leg-pull-back-prep.md: error: translation key "
        "'exercise-leg-pull-back-prep' is also used by content/en/exercises/copy.md"
    ) in err
    assert not (site / TEMPLATE).exists()
    assert (site / "locale/es/exercise-saw.po").exists()  # the rest of the site is processed


def test_pages_without_translation_key_use_their_path(site: Path, extrans: Run) -> None:
    (site / "content/en/exercises/teaser").mkdir()
    (site / "content/en/exercises/teaser/index.md").write_text("# Teaser\n", encoding="utf-8")
    extrans(site, "extract")
    assert (site / "locale/es/exercises/teaser.po").exists()


def test_broken_page_and_broken_catalog_are_reported_and_left_alone(
    site: Path, extrans: Run
) -> None:
    extrans(site, "extract")
    broken = site / "locale/es/exercise-saw.po"
    text = broken.read_text(encoding="utf-8").replace(
        'msgstr ""\n\n#. front', '<<<<<<< HEAD\nmsgstr ""\n\n#. front', 1
    )
    broken.write_text(text, encoding="utf-8")
    (site / "content/en/exercises/bad.md").write_text("---\ntitle: [oops\n---\n", encoding="utf-8")
    edit(site / PAGE, "Look straight ahead", "Look straight forward")
    code, _, err = extrans(site, "extract")
    assert code == 2
    line = text.split("\n").index("<<<<<<< HEAD") + 1
    assert f"locale/es/exercise-saw.po:{line}: error: unresolved merge conflict marker" in err
    assert "content/en/exercises/bad.md:3: error: invalid YAML front matter" in err
    assert broken.read_text(encoding="utf-8") == text
    assert "Look straight forward" in (site / CATALOG).read_text(encoding="utf-8")
    assert "Traceback" not in err


def test_init_writes_a_starting_configuration(site: Path, extrans: Run) -> None:
    (site / "extrans.toml").unlink()
    code, out, _ = extrans(site, "init")
    assert code == 0 and "wrote" in out
    config = (site / "extrans.toml").read_text(encoding="utf-8")
    for wanted in ('"faq[].q",', '"steps[]",', '"modifications[].description",', '"title",',
                   'target-languages = ["es"]'):  # fmt: skip
        assert wanted in config
    assert (
        '#   "equipment[]"' in config
        and '"translationKey"' in config.split("fields = [")[1].split("]\n")[1]
    )
    assert extrans(site, "init")[0] == 2  # never overwritten without --force
    assert extrans(site, "extract")[0] == 0


def test_init_adds_the_target_languages_it_is_given(site: Path, extrans: Run) -> None:
    """A site whose Hugo configuration names no other language gets its targets from
    ``--lang``; the configuration written loads and extracts."""
    (site / "extrans.toml").unlink()
    (site / "hugo.toml").write_text('title = "Pilates"\n', encoding="utf-8")
    code, out, _ = extrans(site, "init")
    assert code == 0 and "no target language in the Hugo configuration: add one with --lang" in out
    code, out, _ = extrans(site, "init", "--force", "--lang", "es", "-l", "pt-br", "-l", "es")
    assert code == 0 and "  target languages: es, pt-br\n" in out
    config = (site / "extrans.toml").read_text(encoding="utf-8")
    assert 'target-languages = ["es", "pt-br"]\n' in config
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "") and "pt-br: 8 pages and 1 site file, " in out  # (the terms)
    assert extrans(site, "init", "--force", "--lang", "xx-yy") == (
        2, "", "error: --lang xx-yy: unknown language code 'xx-yy' (use a code like 'es' or "
        "'pt-br')\n",
    )  # fmt: skip
    assert extrans(site, "init", "--force", "--lang", "en")[2] == (
        "error: --lang en: that is the source language\n"
    )
    # A Hugo configuration whose top-level contentDir every language without its own takes
    # (docsy-example's): an added language gets a folder of its own.
    (site / "hugo.toml").write_text(
        'contentDir = "content/en"\n[languages.en]\ntitle = "Pilates"\n', encoding="utf-8"
    )
    (site / "extrans.toml").unlink()
    assert extrans(site, "init", "--lang", "es")[0] == 0
    config = (site / "extrans.toml").read_text(encoding="utf-8")
    assert 'content-dirs = { es = "content/es" }' in config
    assert extrans(site, "extract")[0] == 0


def test_init_proposes_the_fields_that_read_as_prose(site: Path, extrans: Run) -> None:
    """Fields no translator should see, as real sites have them (Go signatures, file names,
    CSS classes, URLs, versions, notes to editors, a menu's parent, icons, tags): not
    proposed; every proposed field shows an example that reads as prose."""
    (site / "extrans.toml").unlink()
    page = site / "content/en/exercises/fields.md"
    page.write_text(
        "---\ntitle: Fields\nsubtitle: The long way round\n"
        "signatures: ['func (c *Client) Get(key string) (string, error)']\n"
        "data_file: data/exercises/saw.yaml\nbtn-class: btn-lg btn-primary\n"
        "redirects: [{to: 'https://example.org/old/'}]\nversion: v0.111.3\n"
        "todo: Write the second half of this page\n_comment: Kept in sync with the API page\n"
        "menu: {docs: {parent: Getting started, name: All the fields}}\n"
        'badge: <i class="fa-solid fa-star"></i>\nflags: [beta]\n---\n\nText.\n',
        encoding="utf-8",
    )
    assert extrans(site, "init")[0] == 0
    config = (site / "extrans.toml").read_text(encoding="utf-8")
    chosen = config.split("fields = [\n")[1].split("\n]")[0]
    for field in ("subtitle", "menu.*.name"):
        assert f'"{field}",' in chosen
    assert "e.g. 'The long way round'" in chosen and "e.g. 'All the fields'" in chosen
    for field in ("signatures[]", "data_file", "btn-class", "redirects[].to", "version", "todo",
                  "_comment", "menu.docs.parent", "badge", "flags[]"):  # fmt: skip
        assert f'"{field}"' not in chosen and f'#   "{field}"' in config, field
    assert extrans(site, "extract")[0] == 0


def test_init_never_proposes_a_key_no_pattern_can_name(site: Path, extrans: Run) -> None:
    """docsy-example's pages set ``cSpell:ignore`` (prose-like words for a spelling checker):
    init proposed it, and extract then refused the configuration init wrote."""
    (site / "extrans.toml").unlink()
    page = site / "content/en/_index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("---\n", "---\ncSpell:ignore: imgproc Pexels\n", 1), "utf-8")
    code, out, _ = extrans(site, "init")
    assert code == 0 and "    no  cSpell:ignore (1/" in out
    config = (site / "extrans.toml").read_text(encoding="utf-8")
    assert '#   "cSpell:ignore"' in config
    assert extrans(site, "extract")[0] == 0


def test_front_matter_keys_match_in_any_case_as_hugo_reads_them(site: Path, extrans: Run) -> None:
    """Hugo reads ``Title``, ``TranslationKey`` and ``LastMod`` as ``title``,
    ``translationKey`` and ``lastmod``: so does extrans."""
    page = site / "content/en/exercises/capitals.md"
    page.write_text(
        "---\nTitle: The Teaser\nTranslationKey: teaser\nLastMod: 2025-02-03\n"
        "Description: A balance on the sit bones.\nSlug: teaser\n---\n\nRoll up to a V.\n",
        encoding="utf-8",
    )
    assert extrans(site, "extract")[0] == 0
    catalog = (site / "locale/es/teaser.po").read_text(encoding="utf-8")
    assert (
        '#. front matter: Title\n#: content/en/exercises/capitals.md\nmsgid "The Teaser"' in catalog
    )
    assert 'msgid "A balance on the sit bones."' in catalog and '"teaser"' not in catalog
    spanish = site / "content/es/exercises/capitals.md"
    spanish.parent.mkdir(parents=True)
    spanish.write_text("---\nTitle: El Teaser\nLastMod: 2025-01-01\n---\n", encoding="utf-8")
    out = extrans(site, "status", "exercises/capitals.md")[1]
    assert "stale: source 2025-02-03 (front matter), translation 2025-01-01, 33 days behind" in out


def test_init_proposes_shortcodes_that_hold_data(site: Path, extrans: Run) -> None:
    (site / "extrans.toml").unlink()
    page = site / "content/en/exercises/config.md"
    toggle = '{{{{< code-toggle file="hugo" >}}}}\n{}\n{{{{< /code-toggle >}}}}\n'
    data = ['[params]\ntitle = "Pilates"', "title: Pilates\nweight: 2", "[unclosed"]
    page.write_text("---\ntitle: Config\n---\n\n" + "\n".join(map(toggle.format, data)), "utf-8")
    assert extrans(site, "init")[0] == 0
    config = (site / "extrans.toml").read_text(encoding="utf-8")
    proposed = config.split("code-shortcodes = [\n")[1].split("\n]")[0] + "\n"
    assert proposed == (
        '    "highlight",\n'
        '    "code-toggle",  # data or code in 2 of 3 uses, e.g. \'[params] title = "Pilates"\'\n'
    )
    assert extrans(site, "extract")[0] == 0
    template = (site / "locale/templates/exercises/config.pot").read_text(encoding="utf-8")
    assert 'msgid "Config"' in template and "unclosed" not in template
