"""``extrans adopt``: hand-made localized pages aligned with their sources, into catalogs."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from extrans.formats.pofile import parse_po
from extrans.site.pages import parse_page
from extrans.stages.adopt import align_pages
from extrans.stages.localize import hand_made_because

from .conftest import invoke_cli, needs_gettext, settings_with

SETTINGS = settings_with("title", "description")
SPANISH = replace(SETTINGS, source_language="es")


def _aligned(source: str, localized: str) -> list[tuple[str, str, str]]:
    """(outcome, source text, translation) of each source text."""
    page = parse_page(source, "content/en/guide.md", SETTINGS)
    other = parse_page(localized, "content/es/guide.md", SPANISH)
    alignment = align_pages(page, other, SETTINGS, "es")
    return [(u.outcome, u.source.text, u.translation) for u in alignment.units]


SOURCE = """\
---
title: Installing the tool
description: How to install it on every system.
weight: 10
---

# Installing

Download the archive from [the releases page](https://example.org/releases) and unpack it
anywhere on your disk.

Run `tool --version` to check that it works.
"""


def test_front_matter_by_key_path_and_a_paragraph_wrapped_otherwise() -> None:
    localized = """\
---
title: Instalar la herramienta
translator: Ana
description: Cómo instalarla en cualquier sistema.
weight: 10
slug: instalar
---

# Instalación

Descargue el archivo desde [la página de versiones](https://example.org/releases) y
descomprímalo en cualquier lugar de su disco.

Ejecute `tool --version` para comprobar que funciona.
"""
    assert _aligned(SOURCE, localized) == [
        ("adopted", "Installing the tool", "Instalar la herramienta"),
        ("adopted", "How to install it on every system.", "Cómo instalarla en cualquier sistema."),
        ("adopted", "Installing", "Instalación"),
        (
            "adopted",
            "Download the archive from [the releases page](https://example.org/releases) and "
            "unpack it anywhere on your disk.",
            "Descargue el archivo desde [la página de versiones](https://example.org/releases) "
            "y descomprímalo en cualquier lugar de su disco.",
        ),
        (
            "adopted",
            "Run `tool --version` to check that it works.",
            "Ejecute `tool --version` para comprobar que funciona.",
        ),
    ]


def test_a_paragraph_the_translator_split_is_joined_again() -> None:
    source = """\
# Setup

The server reads `config.yaml` at start. Every key in it has a default, so an empty file is
enough to begin with.

See `tool help` for more.
"""
    localized = """\
# Configuración

El servidor lee `config.yaml` al arrancar.

Cada clave tiene un valor por defecto, así que basta con un archivo vacío para empezar.

Consulte `tool help` para saber más.
"""
    assert _aligned(source, localized) == [
        ("adopted", "Setup", "Configuración"),
        (
            "adopted",
            "The server reads `config.yaml` at start. Every key in it has a default, so an "
            "empty file is enough to begin with.",
            "El servidor lee `config.yaml` al arrancar. Cada clave tiene un valor por defecto, "
            "así que basta con un archivo vacío para empezar.",
        ),
        ("adopted", "See `tool help` for more.", "Consulte `tool help` para saber más."),
    ]


def test_paragraphs_the_translator_merged_are_cut_at_a_sentence_end_and_fuzzy() -> None:
    source = """\
# Logs

Logs go to `/var/log/tool` by default.

Set `log_dir` to write them elsewhere; the folder must exist.

Old logs are never deleted by `tool` itself.
"""
    localized = """\
# Registros

Los registros van a `/var/log/tool` por defecto. Defina `log_dir` para escribirlos en otro \
lugar; la carpeta debe existir.

`tool` nunca borra los registros antiguos.
"""
    assert _aligned(source, localized) == [
        ("adopted", "Logs", "Registros"),
        ("fuzzy", "Logs go to `/var/log/tool` by default.",
         "Los registros van a `/var/log/tool` por defecto."),
        ("fuzzy", "Set `log_dir` to write them elsewhere; the folder must exist.",
         "Defina `log_dir` para escribirlos en otro lugar; la carpeta debe existir."),
        ("adopted", "Old logs are never deleted by `tool` itself.",
         "`tool` nunca borra los registros antiguos."),
    ]  # fmt: skip


def test_a_merged_paragraph_whose_sentences_do_not_add_up_is_not_cut_but_matched_one_for_one() -> (
    None
):
    """Two source paragraphs, one translation with fewer sentences than both (the second
    source paragraph, a command, went into a code block): it is not cut in two, but aligned
    with the paragraph whose sentences it has (jx-docs' vault page). (The list item after
    the command, without anchors and beside no other match, is not taken.)"""
    source = """# Creating a Vault

A vault is created by [jx boot](/boot/) unless you chose not to. In this case, you can create
one with the `jx create` command:

jx create vault

1. The program asks for the name of your vault.
"""
    localized = """# Crear un Vault

Un Vault se crea con [jx boot](/boot/) salvo que elija no crearlo. En este caso, puede crear uno con el comando `jx create`:

```
$ jx create vault
```

1. El programa le pide el nombre de su Vault.
"""
    assert [(outcome, text[:20]) for outcome, text, _ in _aligned(source, localized)] == [
        ("adopted", "Creating a Vault"),
        ("adopted", "A vault is created b"),
        ("not-aligned", "jx create vault"),
        ("not-aligned", "The program asks for"),
    ]


def test_a_translators_note_is_left_out_and_a_dropped_paragraph_is_not_aligned() -> None:
    source = """\
## Upgrading

Stop the service with `tool stop` before you upgrade.

Versions before 2.0 stored their data in a different format, which 3.0 no longer reads.

Then install the new version and run `tool migrate`.
"""
    localized = """\
## Actualización

> Nota del traductor: esta página sigue la versión inglesa de marzo.

Detenga el servicio con `tool stop` antes de actualizar.

Después instale la nueva versión y ejecute `tool migrate`.
"""
    page = parse_page(source, "content/en/guide.md", SETTINGS)
    other = parse_page(localized, "content/es/guide.md", SPANISH)
    alignment = align_pages(page, other, SETTINGS, "es")
    assert [(u.outcome, u.translation, u.line) for u in alignment.units] == [
        ("adopted", "Actualización", 1),
        ("adopted", "Detenga el servicio con `tool stop` antes de actualizar.", 5),
        ("not-aligned", "", 5),
        ("adopted", "Después instale la nueva versión y ejecute `tool migrate`.", 7),
    ]
    assert alignment.units[2].source.line == 5  # (the source's own line, beside the page's)
    assert [(s.line, s.origin) for s in alignment.extra] == [(3, "body: blockquote")]


def test_an_item_moved_in_a_list_is_found_and_fuzzy() -> None:
    source = """\
Options:

- `--force` replaces existing files without asking first.
- `--quiet` prints nothing but errors.
- `--jobs N` runs N processes at once.
"""
    localized = """\
Opciones:

- `--quiet` no muestra nada salvo los errores.
- `--force` reemplaza los archivos existentes sin preguntar antes.
- `--jobs N` ejecuta N procesos a la vez.
"""
    assert _aligned(source, localized) == [
        ("adopted", "Options:", "Opciones:"),
        ("adopted", "`--force` replaces existing files without asking first.",
         "`--force` reemplaza los archivos existentes sin preguntar antes."),
        ("fuzzy", "`--quiet` prints nothing but errors.",
         "`--quiet` no muestra nada salvo los errores."),
        ("adopted", "`--jobs N` runs N processes at once.",
         "`--jobs N` ejecuta N procesos a la vez."),
    ]  # fmt: skip


def test_a_dropped_sentence_and_broken_markup_are_fuzzy() -> None:
    """A link under the language's own path (``/es/...``, as hand translations write it) is
    kept markup (#18); an emphasis left open is broken markup."""
    source = """\
Press **Save** to keep your changes. The file is written at once, and a copy of the previous
version is kept next to it. You can restore that copy from the history menu at any time.

Read the [guide](/docs/guide/) first.

Keep **both** hips on the mat.
"""
    localized = """\
Pulse **Guardar** para conservar los cambios. Puede recuperar la copia anterior desde el
menú del historial en cualquier momento.

Lea primero la [guía](/es/docs/guide/).

Mantén **ambas caderas sobre la colchoneta.
"""
    assert _aligned(source, localized) == [
        ("fuzzy", source.split("\n\n")[0].replace("\n", " "),
         "Pulse **Guardar** para conservar los cambios. Puede recuperar la copia anterior "
         "desde el menú del historial en cualquier momento."),
        ("adopted", "Read the [guide](/docs/guide/) first.",
         "Lea primero la [guía](/es/docs/guide/)."),
        ("fuzzy", "Keep **both** hips on the mat.", "Mantén **ambas caderas sobre la colchoneta."),
    ]  # fmt: skip


def test_links_under_each_language_s_own_path_match() -> None:
    """A source whose links carry its language (``/en/docs/``, as volcano.sh writes them)
    matches a translation whose links carry its own (``/es/docs/``): a text aligned on its
    link alone, between texts left out, is taken (it would not be on length alone)."""
    source = """## [Unified scheduling](/en/docs/unified_scheduling/)

* Runs Kubernetes workloads natively
"""
    localized = """## [Planificación unificada](/es/docs/unified_scheduling/)

Una nota de la traductora que no tiene nada que ver con el texto original.
"""
    assert _aligned(source, localized)[0] == (
        "fuzzy",
        "[Unified scheduling](/en/docs/unified_scheduling/)",
        "[Planificación unificada](/es/docs/unified_scheduling/)",
    )


def test_a_name_in_the_plural_is_found_in_the_singular() -> None:
    """Chinese keeps ``ConfigMaps`` as ``ConfigMap``: the name still anchors the match."""
    source = """Use ConfigMaps for settings and Secrets for the credentials of the cluster.
"""
    localized = """使用 ConfigMap 保存设置，使用 Secret 保存集群的凭证。
"""
    page = parse_page(source, "content/en/guide.md", SETTINGS)
    other = parse_page(localized, "content/zh/guide.md", replace(SETTINGS, source_language="zh"))
    (unit,) = align_pages(page, other, SETTINGS, "zh").units
    assert (unit.outcome, unit.translation) == ("fuzzy", localized.strip())  # (alone: loose)


def test_a_hand_translation_that_loses_a_shortcut_reference_is_fuzzy() -> None:
    """``[the guide]`` is a link whose text is its label: a hand translation that translates
    it renders plain text, one that names the label keeps the link."""
    source = """\
Read [the guide] first, then install the tool.

Read [the guide] first, then configure the tool.

[the guide]: /docs/guide/
"""
    localized = """\
Lea primero [la guía] y luego instale la herramienta.

Lea primero [la guía][the guide] y luego configure la herramienta.

[the guide]: /es/docs/guide/
"""
    assert [outcome for outcome, _, _ in _aligned(source, localized)] == ["fuzzy", "adopted"]


def test_headings_of_another_version_of_the_page_are_not_taken() -> None:
    """Texts without anchors between texts left out: a match of kind and length alone."""
    source = """\
## Configure the registry

You set the host in the `registry` property of `settings.yaml` and run `tool apply`.

## Ensure authentication parameters

Check `env/parameters.yaml` in your checkout.
"""
    localized = """\
## Utilizar otro registro

Si usa la nube pública, puede aprovechar el registro de su proveedor en lugar del propio.

## Si usa un servidor estático

Puede indicar el puerto en la consola del servidor.
"""
    assert [outcome for outcome, _, _ in _aligned(source, localized)] == ["not-aligned"] * 4


def _site(root: Path) -> Path:
    (root / "content" / "en").mkdir(parents=True)
    (root / "content" / "es" / "guias").mkdir(parents=True)
    (root / "hugo.toml").write_text(
        'title = "Tool"\ndefaultContentLanguage = "en"\n'
        '[languages.en]\ncontentDir = "content/en"\n[languages.es]\ncontentDir = "content/es"\n',
        encoding="utf-8",
    )
    (root / "content" / "en" / "install.md").write_text(SOURCE, encoding="utf-8")
    # Keyed like its source, under a Spanish file name: it pairs by translationKey.
    (root / "content" / "en" / "use.md").write_text(
        "---\ntitle: Using it\ntranslationKey: use\n---\n\nRun `tool` in a folder.\n",
        encoding="utf-8",
    )
    (root / "content" / "es" / "guias" / "uso.md").write_text(
        "---\ntitle: Cómo usarla\ntranslationKey: use\n---\n\nEjecute `tool` en una carpeta.\n",
        encoding="utf-8",
    )
    (root / "content" / "es" / "install.md").write_text(
        SOURCE.replace("Installing the tool", "Instalar la herramienta")
        .replace("# Installing", "# Instalación")
        .replace("Run `tool --version` to check that it works.", "Ejecute `tool --version`."),
        encoding="utf-8",
    )
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".extrans-cache" not in path.parts and path.name != ".lock"
    }


@needs_gettext
def test_adopt_fills_catalogs_once_never_overwrites_and_dry_run_writes_nothing(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path / "site")
    before = _files(root)
    code, out, err = invoke_cli("--site", str(root), "adopt", "--dry-run")
    assert (code, err) == (0, "")
    assert _files(root) == before
    assert out.splitlines()[-1] == (
        "es: 2 pages (2 as build writes them), 5 adopted, 0 fuzzy, 2 not aligned, 0 conflicts; "
        "2 catalogs would be written"
    )

    code, out, err = invoke_cli("--site", str(root), "adopt")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "content/es/install.md: 3 adopted, 0 fuzzy, 2 not aligned; 60% translated",
        "  content/en/install.md:3: not aligned (near content/es/install.md:3): "
        "front matter: description",
        "  content/en/install.md:9: not aligned (near content/es/install.md:9): body: paragraph",
        "  content/es/install.md: build writes it as it is: is now extrans's own",
        "content/es/guias/uso.md: 2 adopted, 0 fuzzy, 0 not aligned; 100% translated",
        "  content/es/guias/uso.md: build writes it as it is: is now extrans's own",
        "es: 2 pages (2 as build writes them), 5 adopted, 0 fuzzy, 2 not aligned, 0 conflicts; "
        "2 catalogs written",
    ]
    catalog = (root / "locale" / "es" / "use.po").read_text(encoding="utf-8")
    assert 'msgid "Using it"\nmsgstr "Cómo usarla"' in catalog
    assert 'msgid "Run `tool` in a folder."\nmsgstr "Ejecute `tool` en una carpeta."' in catalog
    install = parse_po((root / "locale/es/install.po").read_text(encoding="utf-8"), "install.po")
    assert [(m.msgstr, m.fuzzy) for m in install.messages] == [
        ("Instalar la herramienta", False),
        ("", False),  # (left in English: nothing to adopt)
        ("Instalación", False),
        ("", False),
        ("Ejecute `tool --version`.", False),
    ]
    for po in (root / "locale" / "es").glob("*.po"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], check=True)

    after = _files(root)
    code, out, _ = invoke_cli("--site", str(root), "adopt")
    assert code == 0 and _files(root) == after  # a second run changes nothing
    assert out.splitlines()[-1] == (
        "es: 2 pages (2 as build writes them), 0 adopted, 0 fuzzy, 2 not aligned, 0 conflicts; "
        "0 catalogs written"
    )

    # A translator's translation in the catalog is kept, and the difference said.
    po = root / "locale" / "es" / "use.po"
    po.write_text(catalog.replace('msgstr "Cómo usarla"', 'msgstr "Uso"'), encoding="utf-8")
    kept = po.read_bytes()
    code, out, _ = invoke_cli("--site", str(root), "adopt", "--lang", "es", "use.md")
    assert code == 0 and po.read_bytes() == kept
    assert out.splitlines() == [
        "content/es/guias/uso.md: 0 adopted, 0 fuzzy, 0 not aligned; 100% translated",
        "  locale/es/use.po:15: kept its translation, which differs from content/es/guias/uso.md:2",
        "  content/es/guias/uso.md: stays hand-made: a front-matter value differs: "
        "content/es/guias/uso.md:2 'title: Cómo usarla'; build writes at line 2 'title: Uso'",
        "es: 1 pages (0 as build writes them), 0 adopted, 0 fuzzy, 0 not aligned, 1 conflicts; "
        "0 catalogs written",
    ]


@needs_gettext
def test_adopted_catalogs_build_the_hand_made_page_where_they_agree(tmp_path: Path) -> None:
    """A hand-made page that carries its source's translationKey under another file name is
    the page build writes (no second one beside it); built from the adopted catalog, a page
    translated block for block is the hand-made page byte for byte, and so build's own."""
    root = _site(tmp_path / "site")
    assert invoke_cli("--site", str(root), "adopt")[0] == 0
    code, out, _ = invoke_cli("--site", str(root), "build", "--lang", "es")
    assert code == 0
    assert out.splitlines() == [
        "es: 0 written, 1 unchanged, 1 below threshold (extrans -v lists them), 0 left alone"
    ]
    assert not (root / "content/es/use.md").exists()
    record = json.loads((root / "locale/built-pages.json").read_text("utf-8"))
    assert list(record["pages"]) == ["content/es/guias/uso.md", "content/es/install.md"]
    hand_made = (root / "content/es/guias/uso.md").read_text(encoding="utf-8")
    shutil.rmtree(root / "content" / "es")
    code, out, _ = invoke_cli("--site", str(root), "build", "--lang", "es")
    assert code == 0, out
    built = (root / "content/es/use.md").read_text(encoding="utf-8")
    assert built == hand_made


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_page_that_cannot_be_read_is_one_line_and_the_rest_is_adopted(
    tmp_path: Path, dry_run: bool
) -> None:
    root = _site(tmp_path / "site")
    (root / "content" / "es" / "install.md").write_bytes(b"---\ntitle: \xff\n---\n")
    code, out, err = invoke_cli("--site", str(root), "adopt", *(["--dry-run"] * dry_run))
    assert code == 2
    assert err == (
        "content/es/install.md:2: error: not UTF-8 (byte 0xff); save the page as UTF-8\n"
    )
    assert out.startswith("content/es/guias/uso.md: 2 adopted")


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


@needs_gettext
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_page_translated_before_its_source_changed_comes_in_fuzzy_where_it_moved(
    tmp_path: Path,
) -> None:
    root = _site(tmp_path / "site")
    (root / "content" / "es" / "install.md").write_text(
        SOURCE.replace("Installing the tool", "Instalar la herramienta")
        .replace("How to install it on every system.", "Cómo instalarla en cualquier sistema.")
        .replace("# Installing", "# Instalación")
        .replace("Download the archive from [the releases page]", "Descargue el archivo desde [la página de versiones]")
        .replace("and unpack it\nanywhere on your disk.", "y descomprímalo\nen cualquier lugar de su disco.")
        .replace("Run `tool --version` to check that it works.", "Ejecute `tool --version` para comprobar que funciona."),
        encoding="utf-8",
    )  # fmt: skip
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "source and its translation")
    changed = SOURCE.replace(
        "to check that it works.", "to check that it works and which version it is."
    )
    changed += "\nRemove the archive once it is unpacked.\n"
    (root / "content" / "en" / "install.md").write_text(changed, encoding="utf-8")
    _git(root, "commit", "-qam", "the source moves on")

    code, out, err = invoke_cli("--site", str(root), "adopt", "install.md")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith(
        "content/es/install.md: 4 adopted, 1 fuzzy, 0 not aligned; 67% translated "
        "(from content/en/install.md as of "
    )
    text = (root / "locale/es/install.po").read_text(encoding="utf-8")
    assert text.endswith(
        '#. body: paragraph, under "Installing"\n#: content/en/install.md\n#, fuzzy\n'
        '#| msgid "Run `tool --version` to check that it works."\n'
        'msgid "Run `tool --version` to check that it works and which version it is."\n'
        'msgstr "Ejecute `tool --version` para comprobar que funciona."\n\n'
        '#. body: paragraph, under "Installing"\n#: content/en/install.md\n'
        'msgid "Remove the archive once it is unpacked."\nmsgstr ""\n'
    )
    assert '"Descargue el archivo desde [la página de versiones]' in text
    subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(root / "locale/es/install.po")], check=True
    )

    # Without history, the current source is aligned: the changed text comes in as it stands.
    (root / "locale/es/install.po").unlink()
    code, out, _ = invoke_cli("--site", str(root), "adopt", "--no-history", "install.md")
    assert out.splitlines()[0] == (
        "content/es/install.md: 5 adopted, 0 fuzzy, 1 not aligned; 83% translated"
    )


def test_status_calls_a_page_keyed_like_its_source_no_orphan(tmp_path: Path) -> None:
    root = _site(tmp_path / "site")
    (root / "content" / "es" / "viejo.md").write_text("# Una página sin fuente\n", "utf-8")
    code, out, _ = invoke_cli("--site", str(root), "status", "--format", "json")
    assert code == 0
    assert json.loads(out)["orphan_pages"] == ["content/es/viejo.md"]


@needs_gettext
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("field", ["default_lang_commit", "translated_from"])
def test_a_page_that_records_its_source_commit_is_aligned_with_that_version(
    tmp_path: Path, field: str
) -> None:
    """The commit the page records (``default_lang_commit``, or the field the setting
    ``source-commit-field`` names) wins over the commit that last wrote the localized page."""
    root = _site(tmp_path / "site")
    if field != "default_lang_commit":
        (root / "extrans.toml").write_text(f'source-commit-field = "{field}"\n', "utf-8")
    (root / "content" / "es" / "install.md").unlink()
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "the source")
    first = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    source = root / "content" / "en" / "use.md"
    source.write_text(source.read_text("utf-8").replace("in a folder", "in any folder"), "utf-8")
    _git(root, "commit", "-qam", "the source moves on")
    page = root / "content" / "es" / "guias" / "uso.md"
    text = page.read_text("utf-8").replace("translationKey: use\n", "translationKey: use\n"
                                            f"{field}: {first}\n")  # fmt: skip
    page.write_text(text, "utf-8")
    _git(root, "commit", "-qam", "a translation of the first version, committed later")

    code, out, _ = invoke_cli("--site", str(root), "adopt", "use.md")
    assert code == 0
    assert out.splitlines()[0] == (
        f"content/es/guias/uso.md: 1 adopted, 1 fuzzy, 0 not aligned; 50% translated "
        f"(from content/en/use.md as of {first[:12]})"
    )
    catalog = (root / "locale/es/use.po").read_text(encoding="utf-8")
    assert catalog.endswith(
        '#, fuzzy\n#| msgid "Run `tool` in a folder."\nmsgid "Run `tool` in any folder."\n'
        'msgstr "Ejecute `tool` en una carpeta."\n'
    )


def _keyed_site(root: Path) -> Path:
    """A source page and its translation under a Spanish file name, keyed alike: the
    translator wrapped a paragraph otherwise and added a note of their own."""
    root = _site(root)
    source = SOURCE.replace("weight: 10\n", "weight: 10\ntranslationKey: install\n")
    (root / "content" / "en" / "install.md").write_text(source, encoding="utf-8")
    (root / "content" / "es" / "install.md").unlink()
    (root / "content" / "es" / "instalar.md").write_text(
        """\
---
title: Instalar la herramienta
description: Cómo instalarla en cualquier sistema.
weight: 10
translationKey: install
---

# Instalación

Descargue el archivo desde [la página de versiones](https://example.org/releases)
y descomprímalo en cualquier lugar de su disco.

Ejecute `tool --version` para comprobar que funciona.

Nota del traductor: la versión en español se actualiza cada mes.
""",
        encoding="utf-8",
    )
    return root


@needs_gettext
def test_a_page_build_would_write_otherwise_stays_hand_made_until_forced_after_its_diff(
    tmp_path: Path,
) -> None:
    """Adopt says why build would not write the page as it is; `build --check PATH` shows
    the diff; `build --force PATH` then makes it build's own, with every translation the
    hand-made page gave in it and nothing of it lost but the block aligned with nothing."""
    root = _keyed_site(tmp_path / "site")
    page = root / "content" / "es" / "instalar.md"
    hand_made = page.read_text(encoding="utf-8")
    code, out, _ = invoke_cli("--site", str(root), "adopt", "install.md")
    assert code == 0
    assert out.splitlines() == [
        "content/es/instalar.md: 5 adopted, 0 fuzzy, 0 not aligned; 100% translated",
        "  content/es/instalar.md:15: no source text: body: paragraph",
        "  content/es/instalar.md: stays hand-made: a paragraph wrapped differently: "
        "content/es/instalar.md:10 'Descargue el archivo desde [la página de versiones]"
        "(https://example.org/releases)'; build writes at line 10 'Descargue el archivo desde "
        "[la página de versiones](https://example.org/releases) y descomprímalo en'…",
        "es: 1 pages (0 as build writes them), 5 adopted, 0 fuzzy, 0 not aligned, 0 conflicts; "
        "1 catalogs written",
    ]
    catalog = root / "locale" / "es" / "install.po"
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog)], check=True)

    code, out, _ = invoke_cli("--site", str(root), "build", "--lang", "es", "--check", "install.md")
    assert code == 0 and page.read_text(encoding="utf-8") == hand_made  # (left alone: no change)
    assert out.splitlines()[:2] == [
        "es: 0 would write, 0 unchanged, 0 below threshold, 1 left alone",
        "  content/es/instalar.md: left alone: not written by extrans (use --force to replace it)",
    ]
    diff = out.splitlines()[2:]
    assert diff[:2] == [
        "--- content/es/instalar.md (as it is)",
        "+++ content/es/instalar.md (as build would write it)",
    ]
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        "-Descargue el archivo desde [la página de versiones](https://example.org/releases)",
        "-y descomprímalo en cualquier lugar de su disco.",
        "+Descargue el archivo desde [la página de versiones](https://example.org/releases) y "
        "descomprímalo en cualquier lugar de su disco.",
        "-",
        "-Nota del traductor: la versión en español se actualiza cada mes.",
    ]

    # The localized page's path names it too.
    code, out, _ = invoke_cli(
        "--site", str(root), "build", "--lang", "es", "--force", "content/es/instalar.md"
    )
    assert (code, out) == (0, "es: 1 written, 0 unchanged, 0 below threshold, 0 left alone\n")
    assert not (root / "content" / "es" / "install.md").exists()
    built = page.read_text(encoding="utf-8")
    record = json.loads((root / "locale/built-pages.json").read_text("utf-8"))["pages"]
    assert list(record) == ["content/es/instalar.md"]
    translations = [m.msgstr for m in parse_po(catalog.read_text("utf-8"), "x.po").messages]
    assert translations and all(text in built for text in translations)
    texts = {s.text for s in parse_page(built, "content/es/instalar.md", SPANISH).segments}
    before = parse_page(hand_made, "content/es/instalar.md", SPANISH).segments
    assert [s.text for s in before if s.text not in texts] == [
        "Nota del traductor: la versión en español se actualiza cada mes."
    ]
    code, out, _ = invoke_cli("--site", str(root), "build", "--lang", "es", "--prune")
    assert (code, out) == (
        0,
        "es: 0 written, 1 unchanged, 1 below threshold (extrans -v lists them), 0 left alone\n",
    )


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (("weight: 10\n", "weight: 10\ntranslator: Ana\n"),
         "a front-matter key build would not write (translator): content/es/x.md:5 "
         "'translator: Ana'; build writes no such line"),
        (("# Instalación\n", "# Instalación\n\nLea esto antes.\n"),
         "a block the translator added: content/es/x.md:9 'Lea esto antes.'; build writes no "
         "such line"),
        (("[the releases page](https://example.org/releases) and unpack it",
          "[la página de versiones](https://example.org/releases) y descomprímalo"),
         "a text without a translation build uses (untranslated or fuzzy: build writes the "
         "source's): content/es/x.md:9 'Download the archive from [la página de versiones]"
         "(https://example.org/releases) y descomprímalo'; build writes at line 9 'Download "
         "the archive from [the releases page](https://example.org/releases) and unpack it'"),
        (("Ejecute `tool --version` para comprobar que funciona.", "Ejecute `tool --version`."),
         "a text translated otherwise: content/es/x.md:12 'Ejecute `tool --version`.'; build "
         "writes at line 12 'Ejecute `tool --version` para comprobar que funciona.'"),
    ],
)  # fmt: skip
def test_why_a_page_stays_hand_made_is_said_in_a_translators_words(
    change: tuple[str, str], kind: str
) -> None:
    built = (
        SOURCE.replace("Installing the tool", "Instalar la herramienta")
        .replace("How to install it on every system.", "Cómo instalarla en cualquier sistema.")
        .replace("# Installing", "# Instalación")
        .replace("Run `tool --version` to check that it works.",
                 "Ejecute `tool --version` para comprobar que funciona.")
    )  # fmt: skip
    assert hand_made_because(built, built, "content/es/x.md", SOURCE) is None
    existing = built.replace(*change)
    assert hand_made_because(existing, built, "content/es/x.md", SOURCE) == kind


def test_status_reads_a_page_kept_under_another_file_name_for_its_freshness(
    tmp_path: Path,
) -> None:
    """Its row names it, and its ``lastmod`` says how far behind its source it is; a second
    run (from the cache) says the same, and so does one after the page is brought up to date."""
    root = _site(tmp_path / "site")
    source = root / "content" / "en" / "use.md"
    source.write_text(
        source.read_text("utf-8").replace("title:", "lastmod: 2026-03-20\ntitle:"), "utf-8"
    )
    page = root / "content" / "es" / "guias" / "uso.md"
    page.write_text(
        page.read_text("utf-8").replace("title:", "lastmod: 2026-03-01\ntitle:"), "utf-8"
    )
    for _ in range(2):
        code, out, _ = invoke_cli("--site", str(root), "status", "use.md", "--format", "json")
        assert code == 0
        (row,) = json.loads(out)["pages"]
        assert (row["localized"], row["localized_lastmod"], row["stale_days"]) == (
            "content/es/guias/uso.md",
            "2026-03-01T00:00:00+00:00",
            19,
        )
    page.write_text(page.read_text("utf-8").replace("2026-03-01", "2026-03-21"), "utf-8")
    (row,) = json.loads(invoke_cli("--site", str(root), "status", "use.md", "-f", "json")[1])[
        "pages"
    ]
    assert (row["localized_lastmod"], row["stale"]) == ("2026-03-21T00:00:00+00:00", False)


@needs_gettext
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_translation_copied_into_a_release_folder_is_aligned_with_the_source_it_was_made_from(
    tmp_path: Path,
) -> None:
    """A site that copies its docs into a folder per release: the copied translation's text
    was last changed, under its old path, when the source said something else; adopt follows
    the copy back and aligns it with that version, then merges forward."""
    root = _site(tmp_path / "site")
    localized = (root / "content/es/install.md").read_text("utf-8")
    (root / "content/es/install.md").write_text(
        localized.replace(
            "Run `tool --version` to check that it works.",
            "Ejecute `tool --version` para comprobar que funciona.",
        ).replace(
            "Ejecute `tool --version`.", "Ejecute `tool --version` para comprobar que funciona."
        ),
        "utf-8",
    )
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "the source and its translation")
    first = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()
    source = root / "content/en/install.md"
    source.write_text(
        source.read_text("utf-8").replace(
            "# Installing", "# Installing\n\nYou need a recent system.\n\n## Steps"
        ),
        "utf-8",
    )
    _git(root, "commit", "-qam", "the source moves on")
    for language in ("en", "es"):
        (root / "content" / language / "v2").mkdir()
        shutil.copy(root / "content" / language / "install.md", root / "content" / language / "v2")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "docs for release 2")

    code, out, _ = invoke_cli("--site", str(root), "adopt", "v2/install.md")
    assert code == 0
    assert out.splitlines()[0] == (
        "content/es/v2/install.md: 3 adopted, 0 fuzzy, 2 not aligned; 43% translated "
        f"(from content/en/install.md as of {first[:12]})"
    )
    catalog = root / "locale/es/v2/install.po"
    text = catalog.read_text("utf-8")
    assert 'msgid "Installing"\nmsgstr "Instalación"' in text
    assert 'msgid "You need a recent system."\nmsgstr ""' in text
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog)], check=True)


@needs_gettext
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_translation_of_a_text_the_source_dropped_since_is_kept_obsolete(
    tmp_path: Path,
) -> None:
    """The page was translated when its source had a paragraph it no longer has: that
    translation is in no entry, so it is kept as an obsolete one (``#~``), and replacing
    the page with build's version loses no translated text."""
    root = _site(tmp_path / "site")
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "the source and its translation")
    source = root / "content/en/install.md"
    source.write_text(
        source.read_text("utf-8").replace("Run `tool --version` to check that it works.\n", ""),
        "utf-8",
    )
    _git(root, "commit", "-qam", "the source drops a paragraph")
    code, out, _ = invoke_cli("--site", str(root), "adopt", "install.md")
    assert code == 0
    assert out.splitlines()[0].startswith(
        "content/es/install.md: 2 adopted, 0 fuzzy, 2 not aligned, 1 of dropped texts kept "
        "obsolete; 50% translated (from content/en/install.md as of "
    )
    catalog = root / "locale/es/install.po"
    assert catalog.read_text("utf-8").endswith(
        '\n#~ msgid "Run `tool --version` to check that it works."\n'
        '#~ msgstr "Ejecute `tool --version`."\n'
    )
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog)], check=True)
    after = _files(root)
    assert invoke_cli("--site", str(root), "adopt", "install.md")[0] == 0
    assert _files(root) == after
