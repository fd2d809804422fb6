"""The site's translation memory at extract: a new page takes the translations its texts have
on other pages of the example site, judged by gettext (``msgfmt -c``, ``msgcat``)."""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.formats.catalog import Message
from extrans.formats.memory import Memory, Unit, fill_from_memory
from extrans.formats.pofile import parse_po
from extrans.site.config import load_settings
from extrans.stages.fill import fill_site

from .conftest import REPO, needs_gettext, tree

Run = Callable[..., tuple[int, str, str]]
NEW_PAGE = "content/en/exercises/roll-down.md"
NEW_CATALOG = "locale/es/exercise-roll-down.po"


@pytest.fixture
def translated(site: Path) -> Path:
    """The example site with its Spanish catalogs, and a new page that shares most of its
    texts with the Roll Up (a heading and a paragraph changed a little)."""
    shutil.copytree(REPO / "locale", site / "locale")
    for name in ("i18n", "data"):
        shutil.copytree(REPO / name, site / name)
    text = (REPO / "content/en/exercises/roll-up.md").read_text(encoding="utf-8")
    text = text.replace(
        'translationKey = "exercise-roll-up"', 'translationKey = "exercise-roll-down"'
    )
    text = text.replace('title = "Roll Up"', 'title = "Roll Down"')
    text = text.replace(
        "Anyone can sit up quickly. The value of the Roll Up lies",
        "Anyone can sit up quickly. The value of the Roll Down lies",
    )
    (site / NEW_PAGE).write_text(text, encoding="utf-8")
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def entry(catalog: str, msgid: str, msgctxt: str | None = None) -> Message:
    found = [m for m in parse_po(catalog, "x.po").messages if m.key == (msgctxt, msgid)]
    assert len(found) == 1, msgid
    return found[0]


def translation_in(site: Path, catalog: str, msgid: str, msgctxt: str | None = None) -> str:
    return entry((site / catalog).read_text(encoding="utf-8"), msgid, msgctxt).msgstr


def configure(site: Path, line: str) -> None:
    config = site / "extrans.toml"
    config.write_text(line + "\n" + config.read_text(encoding="utf-8"), encoding="utf-8")


@needs_gettext
def test_a_new_page_takes_the_translations_its_texts_have_elsewhere(
    translated: Path, extrans: Run
) -> None:
    code, out, err = extrans(translated, "extract")
    assert (code, err) == (0, "")
    catalog = (translated / NEW_CATALOG).read_text(encoding="utf-8")
    roll_up = "locale/es/exercise-roll-up.po"

    same = entry(catalog, "Benefits")
    assert same.msgstr == "Beneficios" and same.fuzzy and same.previous_msgid is None
    assert same.translator_comments[-1].startswith("memory: translated so in locale/es/")
    keyword = entry(catalog, "spinal articulation", "keyword")
    assert keyword.fuzzy
    assert keyword.msgstr == translation_in(translated, roll_up, "spinal articulation", "keyword")

    changed = "Anyone can sit up quickly. The value of the Roll Down lies"
    near = next(m for m in parse_po(catalog, "x.po").messages if m.msgid.startswith(changed))
    assert near.fuzzy and near.previous_msgid is not None
    assert near.previous_msgid.startswith("Anyone can sit up quickly. The value of the Roll Up")
    assert near.msgstr == translation_in(translated, roll_up, near.previous_msgid)
    assert near.translator_comments == (f"memory: the translation of a similar text in {roll_up}",)

    title = entry(catalog, "Roll Down")  # (no text like it: "Roll Up" is too short a match)
    assert title.msgstr == "" or title.fuzzy
    assert "es: 9 pages" in out and "memory filled " in out

    # gettext takes it as it is: msgfmt -c accepts it, msgcat writes it byte for byte.
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", translated / NEW_CATALOG], check=True)
    again = subprocess.run(
        ["msgcat", "--width=79", translated / NEW_CATALOG], capture_output=True, check=True
    )
    assert again.stdout.decode("utf-8") == catalog


def test_translated_policy_takes_the_same_text_as_translated(
    translated: Path, extrans: Run
) -> None:
    configure(translated, 'memory = "translated"')
    assert extrans(translated, "extract")[0] == 0
    catalog = (translated / NEW_CATALOG).read_text(encoding="utf-8")
    same = entry(catalog, "Benefits")
    assert (same.msgstr, same.flags, same.translator_comments) == ("Beneficios", (), ())
    changed = "Anyone can sit up quickly. The value of the Roll Down lies"
    near = next(m for m in parse_po(catalog, "x.po").messages if m.msgid.startswith(changed))
    assert near.fuzzy  # (a similar text's translation is always for a person to confirm)


def test_off_fills_nothing(translated: Path, extrans: Run) -> None:
    configure(translated, 'memory = { es = "off" }')
    code, out, _ = extrans(translated, "extract")
    assert code == 0 and "memory" not in out
    catalog = parse_po((translated / NEW_CATALOG).read_text(encoding="utf-8"), "x.po")
    assert not any(m.has_translation for m in catalog.messages if m.msgid)


def test_several_translations_of_a_text_fill_nothing_and_are_named(
    translated: Path, extrans: Run
) -> None:
    other = translated / "locale/es/exercise-swan-dive.po"
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace('msgstr "Beneficios"', 'msgstr "Ventajas"'), encoding="utf-8")
    code, out, _ = extrans(translated, "extract")
    assert code == 0 and "1 left: translated in several ways" in out
    left = entry((translated / NEW_CATALOG).read_text(encoding="utf-8"), "Benefits")
    assert left.msgstr == "" and not left.fuzzy
    assert left.translator_comments[0] == (
        "memory: 2 translations of this text in the memory, none taken:"
    )
    assert left.translator_comments[1].startswith('memory: "Beneficios" (locale/es/')
    assert left.translator_comments[1].endswith(", 3 more)")
    assert left.translator_comments[2] == 'memory: "Ventajas" (locale/es/exercise-swan-dive.po)'


def test_a_changed_text_takes_the_same_text_translated_elsewhere(
    translated: Path, extrans: Run
) -> None:
    """A heading of the Roll Up rewritten into one another page translates: the memory's
    translation of the same text wins over the page's own similar old one."""
    (translated / NEW_PAGE).unlink()
    configure(translated, 'memory = "translated"')
    page = translated / "content/en/exercises/roll-up.md"
    catalog = translated / "locale/es/exercise-roll-up.po"
    edit(page, "## Control Over Momentum\n", "## Strengthen Your Spines\n")
    assert extrans(translated, "extract")[0] == 0
    first = entry(catalog.read_text(encoding="utf-8"), "Strengthen Your Spines")
    assert first.fuzzy and first.previous_msgid == "Strengthen Your Spine"  # (the memory's)
    edit(page, "## Strengthen Your Spines\n", "## Strengthen Your Spine\n")
    code, out, _ = extrans(translated, "extract")
    assert code == 0 and "memory filled 1 (1 same text, 0 similar)" in out
    assert "0 new, 0 changed" in out
    second = entry(catalog.read_text(encoding="utf-8"), "Strengthen Your Spine")
    elsewhere = [
        m.msgstr
        for path in (translated / "locale/es").glob("exercise-*.po")
        if path != catalog
        for m in parse_po(path.read_text(encoding="utf-8"), "x.po").messages
        if m.msgid == "Strengthen Your Spine"
    ]
    assert (second.msgstr, second.fuzzy, second.previous_msgid) == (elsewhere[0], False, None)


def test_the_result_is_the_same_with_workers_and_without_the_cache(
    translated: Path, extrans: Run, tmp_path: Path
) -> None:
    pages = translated / "content/en/exercises"
    source = (REPO / "content/en/exercises/roll-up.md").read_text(encoding="utf-8")
    for number in range(70):  # (enough for workers)
        text = source.replace("exercise-roll-up", f"exercise-copy-{number}")
        text = text.replace("It asks the abdominals", f"Copy {number} asks the abdominals")
        (pages / f"copy-{number}.md").write_text(text, encoding="utf-8")
    other = tmp_path / "other"
    shutil.copytree(translated, other)
    assert extrans(translated, "extract", "--jobs", "1", "--no-cache")[0] == 0
    code, out, _ = extrans(other, "extract", "--jobs", "2")
    assert code == 0 and "memory filled" in out
    assert tree(translated / "locale") == tree(other / "locale")
    copy = (other / "locale/es/exercise-copy-3.po").read_text(encoding="utf-8")
    assert entry(copy, "Benefits").msgstr == "Beneficios"
    assert gc.get_freeze_count() == 0  # (what the run kept from collections, given back)


def test_a_run_with_nothing_new_does_not_read_the_memory(translated: Path, extrans: Run) -> None:
    assert extrans(translated, "extract")[0] == 0
    cached = translated / ".extrans-cache/memory.jsonl"
    assert cached.exists()
    cached.unlink()
    catalogs = tree(translated / "locale")
    assert extrans(translated, "extract")[0] == 0
    assert not cached.exists() and tree(translated / "locale") == catalogs


def test_an_earlier_versions_cache_is_deleted_but_not_through_a_symlink(
    translated: Path, extrans: Run, tmp_path: Path
) -> None:
    """The cache of the versions before ``memory.jsonl`` (one JSON document, 80 MB at 10,000
    pages) is deleted when the new one is written; a symlink by its name is not extrans's
    file: it is left, and so is what it leads to."""
    earlier = translated / ".extrans-cache/memory.json"
    earlier.parent.mkdir(exist_ok=True)
    earlier.write_text('{"format": 1, "catalogs": {}}', encoding="utf-8")
    assert extrans(translated, "extract")[0] == 0
    assert not earlier.exists() and (translated / ".extrans-cache/memory.jsonl").is_file()

    outside = tmp_path / "elsewhere.json"
    outside.write_text("someone's", encoding="utf-8")
    earlier.symlink_to(outside)
    (translated / NEW_CATALOG).unlink()  # (the memory is made, and its cache saved, again)
    (translated / ".extrans-cache/memory.jsonl").unlink()
    code, out, _ = extrans(translated, "extract")
    assert code == 0 and "memory filled" in out
    assert (translated / ".extrans-cache/memory.jsonl").is_file()
    assert earlier.is_symlink() and outside.read_text(encoding="utf-8") == "someone's"


def test_the_cache_holds_a_line_per_catalog_and_a_damaged_one_is_read_again(
    translated: Path, extrans: Run, tmp_path: Path
) -> None:
    """The memory's cache: under a line naming its format, one line per catalog of the
    language (in path order) beginning with the catalog's path and digest; a later run copies
    the lines of catalogs it did not read; a line damaged (or from another version) costs its
    catalog a reading, never a fill: the new page's catalog is as a run without a cache
    makes it."""
    assert extrans(translated, "extract")[0] == 0
    cached = translated / ".extrans-cache/memory.jsonl"
    header, *lines = cached.read_bytes().split(b"\n")
    assert json.loads(header)["extrans-memory"] == 2
    places = [json.loads(line.partition(b"\t")[0]) for line in lines]
    catalogs = sorted(
        p.relative_to(translated).as_posix() for p in translated.rglob("locale/es/**/*.po")
    )
    assert places == [place for place in catalogs if place != NEW_CATALOG]  # (made after)
    assert all(re.fullmatch(rb'"[^"]+"\t[0-9a-f]{32}\t\[.*\]', line) for line in lines)

    text = (translated / NEW_PAGE).read_text(encoding="utf-8")
    (translated / NEW_PAGE).write_text(
        text.replace("exercise-roll-down", "exercise-roll-aside"), encoding="utf-8"
    )
    (translated / NEW_CATALOG).unlink()
    other = tmp_path / "other"
    shutil.copytree(translated, other)
    # Every other line cut short (as by a full disk), and the first's digest changed.
    damaged = [line[: len(line) // 2] if n % 2 else line for n, line in enumerate(lines)]
    damaged[0] = re.sub(rb"\t[0-9a-f]{32}\t", b"\t" + b"0" * 32 + b"\t", damaged[0])
    cached.write_bytes(b"\n".join([header, *damaged]))
    code, out, _ = extrans(translated, "extract")
    assert code == 0 and "memory filled" in out
    assert extrans(other, "extract", "--no-cache")[0] == 0
    assert tree(translated / "locale") == tree(other / "locale")
    assert cached.read_bytes().split(b"\n")[1:] == lines  # (mended: the catalogs are as they were)


def test_a_broken_catalog_is_named_once_and_left_out(translated: Path, extrans: Run) -> None:
    """A page's broken catalog is that page's error; a broken catalog of no page is left out
    of the memory, for ``check`` to name (as it names any such catalog)."""
    (translated / "locale/es/old-page.po").write_text('msgid "a"\nmsgstr "b"\nmsgid "a"\n')
    broken = translated / "locale/es/exercise-saw.po"
    broken.write_text(broken.read_text(encoding="utf-8") + 'msgid "x"\n', encoding="utf-8")
    code, _, err = extrans(translated, "extract")
    assert code == 2
    assert [line.split(":")[0] for line in err.splitlines()] == ["locale/es/exercise-saw.po"]
    assert entry((translated / NEW_CATALOG).read_text(encoding="utf-8"), "Benefits").msgstr
    code, out, _ = extrans(translated, "check")
    assert code == 2 and "locale/es/old-page.po:" in out + _


def test_a_bad_policy_is_an_error_at_its_line(site: Path, extrans: Run) -> None:
    configure(site, 'memory = "sometimes"')
    code, _, err = extrans(site, "extract")
    assert code == 2
    assert err.startswith("extrans.toml:1: error: 'memory' must be")
    configure(site, 'memory = { fr = "off" }')
    (site / "extrans.toml").write_text(
        (site / "extrans.toml").read_text(encoding="utf-8").replace('memory = "sometimes"\n', "")
    )
    code, _, err = extrans(site, "extract")
    assert code == 2 and "'memory.fr': not a target language" in err


# --- the memory itself ---------------------------------------------------------------------

UNITS = (
    Unit("Benefits", ("Beneficios",), place="locale/es/a.po"),
    Unit("saw", ("sierra",), "keyword", place="locale/es/a.po"),
    Unit("Keep the spine long and the shoulders soft", ("Mantén la columna larga",), place="b"),
    Unit("%d step", ("%d paso", "%d pasos"), msgid_plural="%d steps", place="locale/es/c.po"),
    Unit("Tips", ("Trucos",), place="imported.tmx", imported=True),
)


def fill(*messages: Message, policy: str = "fuzzy") -> tuple[Message, ...]:
    memory = Memory(UNITS)
    keys = {message.key for message in messages}
    return fill_from_memory(messages, keys, memory, policy, 2).messages  # type: ignore[arg-type]


def test_contexts_are_kept_apart() -> None:
    plain, keyword = fill(Message("saw"), Message("Benefits", msgctxt="keyword"))
    assert not plain.has_translation and not keyword.has_translation


def test_a_near_text_fills_fuzzy_with_the_text_it_was_made_for() -> None:
    (near,) = fill(Message("Keep the spine long and the shoulders soft."), policy="translated")
    assert near.fuzzy and near.msgstr == "Mantén la columna larga"
    assert near.previous_msgid == "Keep the spine long and the shoulders soft"


def test_a_search_weighs_the_rare_words_a_text_shares_not_the_common_ones() -> None:
    """A word that 1,024 texts of the memory hold tells none of them apart: a text made only
    of such words finds no similar one; a rare word still finds its text, after them."""
    units = tuple(
        Unit(f"Press the button number {n}", (f"Pulsa el botón número {n}",), place=f"{n}.po")
        for n in range(1100)
    )
    memory = Memory(units)
    assert memory.recall(Message("Press the button number")) is None
    found = memory.recall(Message("Press the round button number 1075"))
    assert found is not None and found.source.msgid == "Press the button number 1075"
    assert not found.exact


def test_imported_units_always_fill_fuzzy() -> None:
    (tips,) = fill(Message("Tips"), policy="translated")
    assert tips.fuzzy and tips.translator_comments == ("memory: imported from imported.tmx",)


def test_plural_entries_take_every_form() -> None:
    (steps,) = fill(
        Message("%d step", msgid_plural="%d steps", msgstr_plural=("", "")), policy="translated"
    )
    assert steps.msgstr_plural == ("%d paso", "%d pasos") and not steps.fuzzy


def test_a_similar_text_translated_two_ways_is_named_with_its_candidates() -> None:
    """The comments of an entry left untranslated say which text the candidates translate:
    a similar one, not the entry's own; a control character in a text or a translation is
    written escaped, so that no editor sees a line end in a comment."""
    text = "Keep the spine long and the shoulders soft"
    units = (
        Unit(text, ("Mantén la columna larga\r",), place="locale/es/a.po"),
        Unit(text, ("Alarga la columna",), place="locale/es/b.po"),
    )
    messages = (Message(text + "."),)
    filled = fill_from_memory(messages, {(None, text + ".")}, Memory(units), "fuzzy", 2)
    (left,) = filled.messages
    assert not left.has_translation and filled.conflicts == 1
    assert left.translator_comments == (
        f'memory: 2 translations of a similar text in the memory, none taken: "{text}"',
        'memory: "Mantén la columna larga\\r" (locale/es/a.po)',
        'memory: "Alarga la columna" (locale/es/b.po)',
    )


def test_only_the_entries_asked_for_are_filled() -> None:
    memory = Memory(UNITS)
    messages = (Message("Benefits"), Message("Tips"))
    filled = fill_from_memory(messages, {(None, "Tips")}, memory, "fuzzy", 2)
    assert filled.messages[0] == messages[0] and filled.messages[1].fuzzy
    assert (filled.exact, filled.near, filled.conflicts) == (1, 0, 0)


# --- a fill of what is not translated yet (extrans memory fill) ----------------------------


@needs_gettext
def test_a_fill_completes_what_a_translator_left_and_writes_nothing_twice(
    translated: Path, extrans: Run
) -> None:
    (translated / NEW_PAGE).unlink()
    roll_up = translated / "locale/es/exercise-roll-up.po"
    edit(roll_up, 'msgid "Benefits"\nmsgstr "Beneficios"', 'msgid "Benefits"\nmsgstr ""')
    settings = load_settings(translated)
    checked = fill_site(settings, ["es"], check=True)
    assert checked.languages[0].written == ["locale/es/exercise-roll-up.po"]
    assert 'msgid "Benefits"\nmsgstr ""' in roll_up.read_text(encoding="utf-8")  # (--check)
    result = fill_site(settings, ["es"])
    (es,) = result.languages
    assert (es.exact, es.near, es.conflicts, result.errors) == (1, 0, 0, ())
    benefits = entry(roll_up.read_text(encoding="utf-8"), "Benefits")
    assert benefits.msgstr == "Beneficios" and benefits.fuzzy
    before = tree(translated / "locale")
    again = fill_site(settings, ["es"])
    assert again.languages[0].written == [] and tree(translated / "locale") == before
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", roll_up], check=True)


def test_memory_fill_on_the_command_line(translated: Path, extrans: Run) -> None:
    (translated / NEW_PAGE).unlink()
    roll_up = translated / "locale/es/exercise-roll-up.po"
    edit(roll_up, 'msgid "Benefits"\nmsgstr "Beneficios"', 'msgid "Benefits"\nmsgstr ""')
    code, out, err = extrans(translated, "memory", "fill", "--check")
    assert code == 1 and "es: 1 filled (1 same text, 0 similar); 1 of " in out
    assert err == "locale/es/exercise-roll-up.po: would be filled; run `extrans memory fill`\n"
    code, out, err = extrans(translated, "memory", "fill")
    assert (code, err) == (0, "") and "catalogs written" in out
    assert entry(roll_up.read_text(encoding="utf-8"), "Benefits").fuzzy
    # A catalog whose untranslated text the memory translates in several ways takes none:
    # it is named as one whose comments would list them, not as one that would be filled.
    edit(roll_up, 'msgstr "Beneficios"', 'msgstr ""')
    other = translated / "locale/es/exercise-swan-dive.po"
    edit(other, 'msgstr "Beneficios"', 'msgstr "Ventajas"')
    code, out, err = extrans(translated, "memory", "fill", "--check")
    assert code == 1 and "es: 0 filled (0 same text, 0 similar), 1 translated in" in out
    assert err == (
        "locale/es/exercise-roll-up.po: would list texts translated several ways; "
        "run `extrans memory fill`\n"
    )
    configure(translated, 'memory = "off"')
    assert extrans(translated, "memory", "fill")[1] == 'es: memory = "off": nothing filled\n'
