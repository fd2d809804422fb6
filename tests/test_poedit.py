"""The translators' real client: a catalog saved by Poedit (under Xvfb) changes no line but
``PO-Revision-Date`` and ``X-Generator`` (PO-SPEC rule 13)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.formats.catalog import Catalog, Header
from extrans.formats.languages import plural_forms
from extrans.formats.pofile import format_catalog, parse_po

from .conftest import REPO
from .test_po_plural import PLURALS

HEADER_FIELDS = (
    ("Project-Id-Version", "extrans test"),
    ("POT-Creation-Date", "2026-01-01 00:00+0000"),
    ("PO-Revision-Date", "2026-01-01 00:00+0000"),
    ("Last-Translator", "A Translator <a@example.org>"),
    ("Language-Team", "Russian"),
    ("Language", "ru"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
)

ROUNDTRIP = REPO / "tests" / "po_spec" / "poedit_roundtrip.sh"
TOOL_LINES = re.compile(r'^"(PO-Revision-Date|X-Generator): ')

pytestmark = [
    pytest.mark.poedit,
    pytest.mark.skipif(
        any(shutil.which(tool) is None for tool in ("poedit", "Xvfb", "xdotool")),
        reason="needs Poedit under Xvfb: apt-get install poedit xvfb xdotool",
    ),
]


def poedit_save(catalog: Path, tmp_path: Path, relative: str) -> list[str]:
    saved = tmp_path / "saved.po"
    done = subprocess.run(
        ["bash", str(ROUNDTRIP), str(catalog), str(saved), relative],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return saved.read_text(encoding="utf-8").split("\n")


def test_poedit_save_changes_only_its_own_header_lines(
    site: Path, tmp_path: Path, extrans: Callable[..., tuple[int, str, str]]
) -> None:
    assert extrans(site, "extract")[0] == 0
    catalog = site / "locale" / "es" / "exercise-the-hundred.po"
    # A translated entry, a fuzzy one with a previous msgid, and an obsolete one, as in real use.
    page = site / "content" / "en" / "exercises" / "the-hundred.md"
    text = catalog.read_text(encoding="utf-8")
    for msgid, msgstr in (
        ("Benefits", "Beneficios"),
        ("Tips for Success", "Consejos para lograrlo"),
        ("Common Mistakes to Avoid", "Errores comunes que debes evitar"),
    ):
        text = text.replace(f'msgid "{msgid}"\nmsgstr ""', f'msgid "{msgid}"\nmsgstr "{msgstr}"')
    catalog.write_text(text, encoding="utf-8")
    source = page.read_text(encoding="utf-8")
    source = source.replace("## Tips for Success", "## Tips for Your Success")
    page.write_text(source.replace("## Common Mistakes to Avoid\n", "## Mistakes\n"), "utf-8")
    assert extrans(site, "extract")[0] == 0
    before = catalog.read_text(encoding="utf-8").split("\n")
    assert "#, fuzzy" in before and any(line.startswith("#~ ") for line in before)
    after = poedit_save(catalog, tmp_path, "locale/es/exercise-the-hundred.po")
    assert [x for x in before if not TOOL_LINES.match(x)] == [
        x for x in after if not TOOL_LINES.match(x)
    ]


def test_extract_after_a_poedit_save_changes_nothing(
    site: Path, tmp_path: Path, extrans: Callable[..., tuple[int, str, str]]
) -> None:
    assert extrans(site, "extract")[0] == 0
    catalog = site / "locale" / "es" / "exercise-saw.po"
    saved = poedit_save(catalog, tmp_path, "locale/es/exercise-saw.po")
    catalog.write_text("\n".join(saved), encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    assert catalog.read_text(encoding="utf-8").split("\n") == saved


def test_poedit_opens_a_catalog_with_an_obsolete_note_and_drops_only_that_entry(
    site: Path, tmp_path: Path, extrans: Callable[..., tuple[int, str, str]]
) -> None:
    """A translator's note on a text that left the page stays as an obsolete entry without a
    translation. Poedit opens the catalog and saves it; like msgcat, its save drops that one
    entry (the note is in git's history of the file, and in no other entry)."""
    assert extrans(site, "extract")[0] == 0
    catalog = site / "locale" / "es" / "exercise-saw.po"
    item = 'msgid "Keep both hips heavy on the mat as you rotate"\nmsgstr ""\n'
    text = catalog.read_text(encoding="utf-8")
    assert text.count(item) == 1
    catalog.write_text(
        text.replace(
            '#. body: list item, under "Tips for Success"\n#: content/en/exercises/saw.md\n' + item,
            '# Ask Ana\n#. body: list item, under "Tips for Success"\n#: content/en/exercises/saw.md\n'
            + item,
        ),
        encoding="utf-8",
    )
    page = site / "content" / "en" / "exercises" / "saw.md"
    source = page.read_text(encoding="utf-8")
    page.write_text(
        source.replace("- Keep both hips heavy on the mat as you rotate\n", ""), "utf-8"
    )
    assert extrans(site, "extract")[0] == 0
    before = catalog.read_text(encoding="utf-8")
    note = '\n# Ask Ana\n#~ msgid "Keep both hips heavy on the mat as you rotate"\n#~ msgstr ""\n'
    assert before.endswith(note)
    after = poedit_save(catalog, tmp_path, "locale/es/exercise-saw.po")
    assert [x for x in before[: -len(note)].split("\n") if not TOOL_LINES.match(x)] == [
        x for x in after if not TOOL_LINES.match(x)
    ]


def test_poedit_keeps_the_forms_of_plural_entries(tmp_path: Path) -> None:
    """A Russian catalog with plural entries (three forms, one untranslated entry, a fuzzy
    one with its previous texts, an obsolete one), as extrans writes it: Poedit's save changes
    only its own header lines, and the forms read back as they were."""
    messages = tuple(m for m in PLURALS if m.plural)
    catalog = Catalog(Header((*HEADER_FIELDS, ("Plural-Forms", plural_forms("ru")))), messages)
    path = tmp_path / "i18n.po"
    path.write_text(format_catalog(catalog), encoding="utf-8")
    before = path.read_text(encoding="utf-8").split("\n")
    after = poedit_save(path, tmp_path, "locale/ru/i18n.po")
    assert [x for x in before if not TOOL_LINES.match(x)] == [
        x for x in after if not TOOL_LINES.match(x)
    ]
    assert parse_po("\n".join(after), "i18n.po").messages == messages
