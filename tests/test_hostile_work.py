"""Hostile cases where a translator's work could be lost: saves that land while extract or
build works on the same file, catalogs as git's union merge leaves them, translator comments
on texts that changed, and a build record that a merge broke or someone deleted. Each case
asserts its exact message or the exact bytes it must leave, with gettext (msgfmt -c,
msgmerge, msguniq, msgcat) as the judge of what a catalog may be."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from unittest.mock import ANY

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from extrans.errors import CatalogError
from extrans.formats import catalog as catalog_stage
from extrans.formats.catalog import Catalog, Message, merge_messages
from extrans.formats.pofile import format_catalog, parse_po
from extrans.formats.pseudo import pseudo_translate as pseudo
from extrans.plumbing.fsio import FileState
from extrans.site.config import Settings
from extrans.site.pages import parse_page
from extrans.stages import build as build_stage
from extrans.stages import build_record
from extrans.stages import extract as extract_stage
from extrans.stages.extract import update_catalogs

from .conftest import REPO, needs_gettext, tree
from .test_build import fill_catalogs

Run = Callable[..., tuple[int, str, str]]
HOSTILE = REPO / "tests/fixtures/hostile/catalogs"
SAW = "content/en/saw.md"
SAW_ES = "content/es/saw.md"
MENUS_ES = "config/_default/menus.es.toml"  # (the example's menus, built with the pages)
TERM_ES = "content/es/tags/spine-mobility/_index.md"  # (the Saw's tag)
SAW_PO = "locale/es/exercise-saw.po"
SAW_POT = "locale/templates/exercise-saw.pot"
RECORD = "locale/built-pages.json"
KEEP_ONE = "keep one of the two (msguniq --use-first keeps the first of each)"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}
"""For extrans run as a command: the date the in-process runs have (conftest's ``extrans``)."""
RECORD_ADVICE = (
    "delete the file: the next build takes back as its own every page that is as it would write it"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site of two pages: the Saw, and the home page (the rest of the site)."""
    root = tmp_path / "site"
    (root / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copy(REPO / "content/en/exercises/saw.md", root / SAW)
    shutil.copy(REPO / "content/en/_index.md", root / "content/en/_index.md")
    return root


def error_lines(err: str) -> list[str]:
    assert "Traceback" not in err and "internal error" not in err, err
    return [line for line in err.splitlines() if ": error: " in line]


def locale_of(site: Path) -> dict[str, bytes]:
    return {name: data for name, data in tree(site).items() if name.startswith("locale/")}


def copy_of(site: Path, name: str) -> Path:
    """A copy of the site's files beside it, without extrans's working files."""
    copy = site.parent / name
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".extrans-cache"))
    return copy


def with_paragraph(site: Path, paragraph: str) -> None:
    """The source page gets one more paragraph at its end."""
    page = site / SAW
    page.write_text(page.read_text(encoding="utf-8") + f"\n{paragraph}\n", encoding="utf-8")


def translated(text: str, msgid: str, msgstr: str) -> str:
    """A catalog's text with ``msgid`` translated, as a translator's save makes it."""
    entry = f'msgid "{msgid}"\nmsgstr ""\n'
    assert text.count(entry) == 1
    return text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n')


def save(path: Path, text: str) -> None:
    """Save a file as Poedit does: a new file renamed over the old one."""
    temporary = path.with_name(path.name + "~")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True
    )


# --- Saves that land while a run works on the file --------------------------------------------


def saving_after_reads(
    monkeypatch: pytest.MonkeyPatch,
    module: ModuleType,
    target: Path,
    change: Callable[[Path], object],
    times: int = 1,
) -> list[int]:
    """Make ``change`` happen to ``target`` right after ``module`` reads it for an update (up
    to ``times`` times): a save that lands while the run works on the file. The list counts
    the saves made."""
    real = module.read_with_state
    made: list[int] = []

    def reading(path: str | Path, *args: object, **kwargs: object) -> tuple[object, FileState]:
        data, state = real(path, *args, **kwargs)
        if Path(path) == target and len(made) < times:
            change(target)
            made.append(1)
        return data, state

    monkeypatch.setattr(module, "read_with_state", reading)
    return made


def extracted_with_a_new_paragraph(site: Path, extrans: Run) -> None:
    """Catalogs as extract wrote them; then the page changes, so the next extract merges."""
    assert extrans(site, "extract")[0] == 0
    with_paragraph(site, "Keep your shoulders relaxed throughout.")


SAVES_DURING_EXTRACT: dict[str, tuple[str, Callable[[Path], object]]] = {  # file, save
    "a translation saved in the catalog": (
        SAW_PO,
        lambda p: save(p, translated(p.read_text(encoding="utf-8"), "Saw", "Sierra")),
    ),
    "the template edited": (
        SAW_POT,
        lambda p: save(p, p.read_text(encoding="utf-8").replace("Saw", "Saw (old)")),
    ),
    "the catalog deleted": (SAW_PO, lambda p: p.unlink()),
    "the catalog saved where there was none": (
        "locale/es/home.po",
        lambda p: shutil.copy(REPO / "locale/es/home.po", p),
    ),
}


@pytest.mark.parametrize("case", sorted(SAVES_DURING_EXTRACT))
def test_a_file_saved_while_extract_merges_it_is_merged_again_from_what_was_saved(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """The result is, byte for byte, what extract makes when the save came before it."""
    relative, change = SAVES_DURING_EXTRACT[case]
    extracted_with_a_new_paragraph(site, extrans)
    if relative == "locale/es/home.po":
        (site / relative).unlink()
    reference = copy_of(site, "reference")
    change(reference / relative)
    assert extrans(reference, "extract")[0] == 0
    made = saving_after_reads(monkeypatch, extract_stage, site / relative, change)
    code, out, err = extrans(site, "extract", "--jobs", "1")
    assert (code, err, made) == (0, "", [1])
    assert locale_of(site) == locale_of(reference)
    assert "catalogs written" in out


def test_a_catalog_saved_each_time_extract_merges_it_is_left_as_saved_and_reported(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = site / "extrans.toml"  # (the memory's first pass would read it once more)
    config.write_text('memory = "off"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    extracted_with_a_new_paragraph(site, extrans)
    catalog = site / SAW_PO
    saves = iter(["Sierra", "Serrucho", "La sierra"])

    def save_next(path: Path) -> None:
        text = parse_po(path.read_text(encoding="utf-8"), SAW_PO)
        messages = tuple(
            dataclasses.replace(m, msgstr=next(saves), raw=None) if m.msgid == "Saw" else m
            for m in text.messages
        )
        save(path, format_catalog(dataclasses.replace(text, messages=messages)))

    made = saving_after_reads(monkeypatch, extract_stage, catalog, save_next, times=3)
    code, _, err = extrans(site, "extract", "--jobs", "1")
    assert (code, len(made)) == (2, 3)
    assert error_lines(err) == [
        f"{SAW_PO}: error: was saved again each time extract merged it (3 times); "
        "left as it is: run extract again"
    ]
    assert 'msgid "Saw"\nmsgstr "La sierra"\n' in catalog.read_text(encoding="utf-8")
    assert "Keep your shoulders relaxed" not in catalog.read_text(encoding="utf-8")
    assert "Keep your shoulders relaxed" in (site / SAW_POT).read_text(encoding="utf-8")
    assert (site / "locale/es/home.po").is_file()  # the rest of the site is processed


def built(site: Path, extrans: Run) -> None:
    """Every page extracted, translated and built; then the Saw's title is translated anew,
    so that the next build writes its page again."""
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    assert extrans(site, "build")[0] == 0
    catalog = site / SAW_PO
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(
        text.replace(f'msgstr "{pseudo("Saw")}"', 'msgstr "Sierra"'), encoding="utf-8"
    )


def make_by_hand(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("By hand.\n", encoding="utf-8")


def edit_by_hand(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\nA note by hand.\n", encoding="utf-8")


def test_a_page_edited_while_build_builds_it_is_left_alone_as_a_hand_edit(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    built(site, extrans)
    page = site / SAW_ES
    made = saving_after_reads(monkeypatch, build_stage, page, edit_by_hand)
    code, out, err = extrans(site, "build", "--jobs", "1")
    assert (code, err, made) == (0, "", [1])
    assert (
        f"  {SAW_ES}: left alone: edited by hand since extrans wrote it "
        "(use --force to replace it)" in out.splitlines()
    )
    assert page.read_text(encoding="utf-8").endswith("A note by hand.\n")
    assert f'"title": "{pseudo("Saw")}"' in page.read_text(encoding="utf-8")


def test_a_page_made_by_hand_while_build_builds_it_is_left_alone(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    page = site / SAW_ES
    made = saving_after_reads(monkeypatch, build_stage, page, make_by_hand)
    code, out, err = extrans(site, "build", "--jobs", "1")
    assert (code, err, made) == (0, "", [1])
    assert (
        f"  {SAW_ES}: left alone: not written by extrans (use --force to replace it)"
        in out.splitlines()
    )
    assert page.read_text(encoding="utf-8") == "By hand.\n"
    assert SAW_ES not in json.loads((site / RECORD).read_text(encoding="utf-8"))["pages"]


def test_a_page_written_each_time_build_writes_it_is_left_as_it_is_and_reported(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --force a hand edit is replaced, but not one that lands after build read the
    page: the third time, build gives up on that page, and says so."""
    built(site, extrans)
    page = site / SAW_ES
    made = saving_after_reads(monkeypatch, build_stage, page, edit_by_hand, times=3)
    code, _, err = extrans(site, "build", "--jobs", "1", "--force")
    assert (code, len(made)) == (2, 3)
    assert error_lines(err) == [
        f"{SAW_ES}: error: was written by someone else each time build wrote it (3 times); "
        "left as it is: run build again"
    ]
    assert page.read_text(encoding="utf-8").count("A note by hand.") == 3
    assert (site / "content/es/_index.md").is_file()  # the rest of the site is built


def test_the_record_saved_while_build_runs_keeps_both_sides_entries(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git checkout brings the record of a page built on another branch while build runs:
    build's own entries are made to what was saved, neither side's are lost."""
    built(site, extrans)
    record = site / RECORD
    theirs = {"content/es/other.md": "0" * 64}

    def checkout(path: Path) -> None:
        body = json.loads(path.read_text(encoding="utf-8"))
        body["pages"] |= theirs
        save(path, json.dumps(body, indent=1) + "\n")

    made = saving_after_reads(monkeypatch, build_record, record, checkout)
    code, _, err = extrans(site, "build", "--jobs", "1")
    assert (code, err, made) == (0, "", [1])
    pages = json.loads(record.read_text(encoding="utf-8"))["pages"]
    assert pages == {
        "content/es/_index.md": sha256(site / "content/es/_index.md"),
        "content/es/other.md": "0" * 64,
        SAW_ES: sha256(site / SAW_ES),
        MENUS_ES: sha256(site / MENUS_ES),
        TERM_ES: sha256(site / TERM_ES),
    }
    assert '"title": "Sierra"' in (site / SAW_ES).read_text(encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- The same saves, for real: a run paused right after it read the file -----------------------


def access_times_move(folder: Path) -> bool:
    """Whether the file system records when a file is read (not mounted ``noatime``)."""
    probe = folder / "probe"
    probe.write_bytes(b"x")
    os.utime(probe, ns=(0, probe.stat().st_mtime_ns))
    probe.read_bytes()
    return probe.stat().st_atime_ns != 0


def paused_after_reading(site: Path, watched: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``extrans ARGS`` on the site, and pause it (SIGSTOP) as soon as it has read
    ``watched``: its access time is set back first, and the kernel moves it on a read."""
    os.utime(watched, ns=(0, watched.stat().st_mtime_ns))
    process = subprocess.Popen(
        [sys.executable, "-m", "extrans", "--site", str(site), *args],
        env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while watched.stat().st_atime_ns == 0:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
    process.send_signal(signal.SIGSTOP)
    return process


def resumed(process: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGCONT)
    out, err = process.communicate(timeout=300)
    return process.returncode, out.decode(), err.decode()


def long_page(site: Path, paragraphs: int) -> None:
    """The Saw with many more paragraphs: a page that takes extract and build a while."""
    with_paragraph(
        site,
        "\n\n".join(f"Breathe in for {i} counts, then out for {i + 1}." for i in range(paragraphs)),
    )


def race(
    tmp_path: Path, prepare: Callable[[Path], Path], *args: str
) -> tuple[Path, subprocess.Popen[bytes]]:
    """A site made by ``prepare`` (which says which file to watch) and a run paused right
    after reading that file, before writing it: the page grows until the pause lands there."""
    if not access_times_move(tmp_path):
        pytest.skip("the file system does not record access times (mounted noatime)")
    for attempt, paragraphs in enumerate((1000, 4000, 16000)):
        site = tmp_path / f"site{attempt}"
        (site / "content/en").mkdir(parents=True)
        for name in ("hugo.toml", "extrans.toml"):
            shutil.copy(REPO / name, site / name)
        shutil.copy(REPO / "content/en/exercises/saw.md", site / SAW)
        long_page(site, paragraphs)
        watched = prepare(site)
        before = watched.read_bytes(), watched.stat().st_ino
        process = paused_after_reading(site, watched, *args)
        if (watched.read_bytes(), watched.stat().st_ino) == before:
            return site, process
        resumed(process)  # it was faster than the pause: again, with a longer page
    raise AssertionError("no run could be paused between reading the file and writing it")


def run(site: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "extrans", "--site", str(site), *args],
        env=ENV, capture_output=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_real_save_during_a_long_extract_is_merged_again(tmp_path: Path) -> None:
    def prepare(site: Path) -> Path:
        run(site, "extract")
        with_paragraph(site, "Keep your shoulders relaxed throughout.")
        return site / SAW_PO

    site, process = race(tmp_path, prepare, "extract", "--no-cache", "--jobs", "1")
    catalog = site / SAW_PO
    save(catalog, translated(catalog.read_text(encoding="utf-8"), "Saw", "Sierra"))
    reference = copy_of(site, "reference")
    code, _, err = resumed(process)
    assert (code, err) == (0, "")
    run(reference, "extract", "--no-cache")
    assert locale_of(site) == locale_of(reference)
    text = catalog.read_text(encoding="utf-8")
    assert 'msgid "Saw"\nmsgstr "Sierra"\n' in text  # the translator's save
    assert 'msgid "Keep your shoulders relaxed throughout."\n' in text  # the new source text


@pytest.mark.slow
def test_a_real_hand_edit_during_a_long_build_is_left_alone(tmp_path: Path) -> None:
    def prepare(site: Path) -> Path:
        run(site, "extract")
        fill_catalogs(site, pseudo)
        run(site, "build")
        catalog = site / SAW_PO
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(
            text.replace(f'msgstr "{pseudo("Saw")}"', 'msgstr "Sierra"'), encoding="utf-8"
        )
        return site / SAW_ES

    site, process = race(tmp_path, prepare, "build", "--no-cache", "--jobs", "1")
    edit_by_hand(site / SAW_ES)
    edited = (site / SAW_ES).read_bytes()
    code, out, err = resumed(process)
    assert (code, err) == (0, "")
    assert (
        f"  {SAW_ES}: left alone: edited by hand since extrans wrote it "
        "(use --force to replace it)" in out.splitlines()
    )
    assert (site / SAW_ES).read_bytes() == edited


@pytest.mark.slow
def test_a_real_checkout_of_the_record_during_a_build_keeps_both_sides(tmp_path: Path) -> None:
    def prepare(site: Path) -> Path:
        run(site, "extract")
        fill_catalogs(site, pseudo)
        (site / RECORD).write_text('{"version": 1, "pages": {}}\n', encoding="utf-8")
        return site / RECORD

    site, process = race(tmp_path, prepare, "build", "--no-cache", "--jobs", "1")
    save(site / RECORD, json.dumps({"version": 1, "pages": {"content/es/b.md": "0" * 64}}))
    code, _, err = resumed(process)
    assert (code, err) == (0, "")
    pages = json.loads((site / RECORD).read_text(encoding="utf-8"))["pages"]
    assert pages == {
        "content/es/b.md": "0" * 64,
        SAW_ES: sha256(site / SAW_ES),
        MENUS_ES: sha256(site / MENUS_ES),
        TERM_ES: sha256(site / TERM_ES),
    }


# --- Duplicate definitions, as git's union merge leaves them ------------------------------------

DUPLICATES = {  # fixture: where gettext and extrans find the second definition, and the first
    "union-merge-live-and-obsolete.po": (13, 9),
    "union-merge-with-context.po": (14, 9),
    "union-merge-obsolete-twice.po": (12, 9),
    "obsolete-header.po": (13, 1),
    "two-headers.po": (9, 1),
}


@needs_gettext
@pytest.mark.parametrize("name", sorted(DUPLICATES))
def test_duplicate_definitions_are_errors_as_gettext_reads_them(
    site: Path, extrans: Run, name: str
) -> None:
    fixture = HOSTILE / name
    second, first = DUPLICATES[name]
    checked = msgfmt_check(fixture)
    assert checked.returncode == 1
    assert f"{fixture}:" in checked.stderr and ": duplicate message definition..." in checked.stderr
    catalog = site / SAW_PO
    catalog.parent.mkdir(parents=True)
    shutil.copy(fixture, catalog)
    expected = (
        f"{SAW_PO}:{second}: error: duplicate message definition (first defined at line "
        f"{first}); {KEEP_ONE}"
    )
    for command in (["extract"], ["build", "--threshold", "0"], ["check"], ["status"]):
        code, _, err = extrans(site, *command)
        assert (code, error_lines(err)) == (2, [expected]), command
        assert catalog.read_bytes() == fixture.read_bytes()
    assert (site / "locale/es/home.po").is_file()  # the rest of the site is processed
    assert (site / "content/es/_index.md").is_file()


@needs_gettext
def test_the_same_text_in_another_context_is_no_duplicate(site: Path, extrans: Run) -> None:
    """msgctxt tells two definitions of one text apart, for gettext and extrans alike."""
    catalog = site / SAW_PO
    catalog.parent.mkdir(parents=True)
    text = (HOSTILE / "union-merge-live-and-obsolete.po").read_text(encoding="utf-8")
    catalog.write_text(
        text.replace('#~ msgid "Saw"', '#~ msgctxt "keyword"\n#~ msgid "Saw"'), encoding="utf-8"
    )
    assert msgfmt_check(catalog).returncode == 0
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert msgfmt_check(catalog).returncode == 0
    written = catalog.read_text(encoding="utf-8")
    assert 'msgid "Saw"\nmsgstr "Sierra"\n' in written
    # (the keyword's old translation is taken up by the page's keyword "saw", as fuzzy)
    assert (
        '#, fuzzy\n#| msgctxt "keyword"\n#| msgid "Saw"\nmsgctxt "keyword"\nmsgid "saw"\n'
        in written
    )


@needs_gettext
def test_a_union_merge_is_reported_by_every_run_until_resolved(site: Path, extrans: Run) -> None:
    """Git's merge=union joins two branches' catalogs: one still has the title, one made it
    obsolete. Extract used to take that, write two identical obsolete entries once the title
    changed, and then `extract --check` said 0, its cache vouching for its own output."""
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    assert extrans(site, "extract")[0] == 0  # the cache has seen the catalog
    catalog = site / SAW_PO
    ours = catalog.read_text(encoding="utf-8")
    union = ours + '\n#~ msgid "Saw"\n#~ msgstr "Fnj"\n'
    catalog.write_text(union, encoding="utf-8")
    page = site / SAW
    page.write_text(page.read_text(encoding="utf-8").replace('"Saw"', '"The Saw"', 1), "utf-8")
    lines = union.split("\n")
    second = lines.index('#~ msgid "Saw"') + 1
    first = lines.index('msgid "Saw"') - 1  # the entry starts with its "#." line
    assert lines[first - 1].startswith("#. front matter: title")
    expected = (
        f"{SAW_PO}:{second}: error: duplicate message definition (first defined at line "
        f"{first}); {KEEP_ONE}"
    )
    for command in (["extract"], ["extract", "--check"], ["build"]):
        code, _, err = extrans(site, *command)
        assert (code, error_lines(err)) == (2, [expected]), command
    assert catalog.read_text(encoding="utf-8") == union
    # The advice in the message resolves it: msguniq keeps the first (live) definition.
    subprocess.run(["msguniq", "--use-first", "-o", str(catalog), str(catalog)], check=True)
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert msgfmt_check(catalog).returncode == 0
    assert extrans(site, "extract", "--check")[0] == 0
    assert extrans(site, "build")[0] == 0


@needs_gettext
def test_the_previous_msgid_of_an_obsolete_entry_stays_with_it(site: Path, extrans: Run) -> None:
    """A ``#~|`` line before an obsolete entry (as msgmerge writes them) was taken for the end
    of the entry before it; a new entry written after that one made a catalog that msgfmt
    cannot read."""
    assert extrans(site, "extract")[0] == 0
    catalog = site / SAW_PO
    before = catalog.read_text(encoding="utf-8")
    obsolete = '#~| msgid "Old text"\n#~ msgid "Older text"\n#~ msgstr "Texto viejo"\n'
    catalog.write_text(f"{before}\n{obsolete}", encoding="utf-8")
    assert msgfmt_check(catalog).returncode == 0
    with_paragraph(site, "Keep your shoulders relaxed throughout.")
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    new = (
        '#. body: paragraph, under "Tips for Success"\n#: content/en/saw.md\n'
        'msgid "Keep your shoulders relaxed throughout."\nmsgstr ""\n'
    )
    assert catalog.read_text(encoding="utf-8") == f"{before}\n{new}\n{obsolete}"
    assert msgfmt_check(catalog).returncode == 0


# What extract writes from catalogs that gettext and extrans both accept is accepted by both.

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Language: es\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
)


SETTINGS = Settings(
    site_root=Path("/site"), source_language="en", target_languages=("es",), content_dirs={}
)
TEXTS = [
    "Saw", "Sit tall", "Sit tall and breathe", "Breathe out slowly", "Breathe out fully",
    "Reach past your little toe", "Twist Only", "Twist only, then return",
]  # fmt: skip


@st.composite
def catalog_entries(draw: st.DrawFn) -> list[Message]:
    """One side's entries: translated, fuzzy or untranslated, with or without a note; some
    obsolete, some of those with the previous msgid (``#~|``) that msgmerge leaves."""
    entries = []
    for msgid in draw(st.lists(st.sampled_from(TEXTS), unique=True, max_size=5)):
        translation = draw(st.sampled_from(["", "Traducido", "Otro\ntexto"]))
        obsolete = bool(translation) and draw(st.booleans())
        fuzzy = bool(translation) and draw(st.booleans())
        entries.append(
            Message(
                msgid,
                translation,
                msgctxt=draw(st.sampled_from([None, None, "keyword"])),
                flags=("fuzzy",) if fuzzy and not obsolete else (),
                translator_comments=draw(st.sampled_from([(), ("a note",), ("one", "two")])),
                previous_msgid=draw(st.sampled_from(TEXTS)) if fuzzy else None,
                obsolete=obsolete,
            )
        )
    return entries


def catalog_text(messages: list[Message]) -> str:
    return format_catalog(Catalog(parse_po(HEADER, "h.po").header, tuple(messages)))


@needs_gettext
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalog_entries(),
    catalog_entries(),
    st.lists(st.sampled_from(TEXTS), min_size=1, max_size=5, unique=True),
)
def test_extract_writes_only_catalogs_that_gettext_and_extrans_read(
    tmp_path_factory: pytest.TempPathFactory,
    ours: list[Message],
    theirs: list[Message],
    texts: list[str],
) -> None:
    """An old catalog that is one side's, or the union merge of two sides' (git's
    merge=union keeps the lines of both: live and obsolete definitions of one text, say),
    merged with a page's new texts. extrans refuses exactly the old catalogs msgfmt -c
    refuses, and what it writes from the others, msgfmt -c and extrans both read."""
    folder = tmp_path_factory.mktemp("merge")
    mine = catalog_text(ours)
    other = catalog_text(theirs)[len(HEADER) + 1 :].split("\n\n")
    old_text = mine + "".join(f"\n{entry}\n" for entry in other if entry and entry not in mine)
    old = folder / "old.po"
    old.write_text(old_text, encoding="utf-8")
    gettext_reads = msgfmt_check(old).returncode == 0
    try:
        parse_po(old_text, "old.po")
    except CatalogError as err:
        assert not gettext_reads, err
        event(f"refused by both: {err.message.split(' (')[0]}")
        return
    assert gettext_reads
    body = "\n\n".join(texts)
    page = parse_page(f"---\ntitle: {texts[0]}\n---\n\n{body}\n", "content/en/p.md", SETTINGS)
    catalog_path = SETTINGS.catalog_path("es", page.key)
    updates = update_catalogs(
        page, SETTINGS, ["es"], {catalog_path: old_text}, "2025-01-01 00:00+0000"
    )
    for update in updates:
        written = folder / Path(update.path).name
        written.write_text(update.text, encoding="utf-8")
        assert msgfmt_check(written).returncode == 0, (old_text, update.text)
        parse_po(update.text, update.path)


# What extract writes passes msgfmt -c, whatever the old catalog held: a translation whose
# leading or trailing newline does not match its text (its own, or a fuzzy match's), format
# flags a translation does not fit, notes on every kind of entry.

ENDS = ["", "\n"]
TRANSLATIONS = ["", "Traducido", "\nTraducido", "Traducido\n", "\nOtro\ntexto\n", "\n"]
FLAGS = ["c-format", "possible-python-format", "no-c-format", "range: 1..3", "no-wrap"]


@st.composite
def texts_with_newlines(draw: st.DrawFn) -> str:
    start, end = draw(st.sampled_from(ENDS)), draw(st.sampled_from(ENDS))
    return start + draw(st.sampled_from(TEXTS)) + " %d" * draw(st.booleans()) + end


@st.composite
def any_entries(draw: st.DrawFn) -> list[Message]:
    """Old entries of every kind, with or without newlines at the ends of text and
    translation, format flags and notes."""
    entries = []
    for msgid in draw(st.lists(texts_with_newlines(), unique=True, max_size=6)):
        translation = draw(st.sampled_from(TRANSLATIONS))
        obsolete = draw(st.booleans()) and (bool(translation) or draw(st.booleans()))
        fuzzy = bool(translation) and draw(st.booleans())
        flags = tuple(draw(st.lists(st.sampled_from(FLAGS), unique=True, max_size=2)))
        entries.append(
            Message(
                msgid,
                translation,
                flags=("fuzzy", *flags) if fuzzy else flags,
                translator_comments=draw(st.sampled_from([(), ("a note",), ("one", "two")])),
                previous_msgid=draw(texts_with_newlines()) if fuzzy else None,
                obsolete=obsolete,
            )
        )
    return entries


@needs_gettext
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_entries(), st.lists(texts_with_newlines(), min_size=1, max_size=4, unique=True))
def test_extract_writes_catalogs_that_msgfmt_accepts_whatever_the_old_one_held(
    tmp_path_factory: pytest.TempPathFactory, old: list[Message], texts: list[str]
) -> None:
    """The old catalog may be one msgfmt -c refuses (a translator's own mismatch); what
    extract writes from it msgfmt -c accepts, extrans reads back, and it loses no
    translation and no note."""
    folder = tmp_path_factory.mktemp("ends")
    old_text = catalog_text(old)
    fields = dict(zip(("title", "description", "summary", "linkTitle"), texts, strict=False))
    page = parse_page(
        json.dumps(fields, indent=2) + "\n\nBody text.\n", "content/en/p.md", SETTINGS
    )
    catalog_path = SETTINGS.catalog_path("es", page.key)
    updates = update_catalogs(
        page, SETTINGS, ["es"], {catalog_path: old_text}, "2025-01-01 00:00+0000"
    )
    written = folder / "es.po"
    written.write_text(updates[1].text, encoding="utf-8")
    checked = msgfmt_check(written)
    assert checked.returncode == 0, (old_text, updates[1].text, checked.stderr)
    messages = parse_po(updates[1].text, catalog_path).messages
    kept = {m.msgstr.strip("\n") for m in messages}
    assert {m.msgstr.strip("\n") for m in old if m.msgstr} <= kept
    notes = {c for m in messages for c in m.translator_comments}
    assert {c for m in old for c in m.translator_comments} <= notes
    event(f"old catalog accepted by msgfmt -c: {msgfmt_accepts(old_text, folder)}")


def msgfmt_accepts(text: str, folder: Path) -> bool:
    old = folder / "old.po"
    old.write_text(text, encoding="utf-8")
    return msgfmt_check(old).returncode == 0


BREATH = "content/en/breath.md"
BREATH_PO = "locale/es/breath.po"
BREATH_PAGE = (
    '---\ntitle: Breath\ntranslationKey: "breath"\ndescription: |\n  Breathe in.\n'
    "  Breathe out.\n---\n\nHold for 100% of the count.\n"
)
BLOCK = 'msgid ""\n"Breathe in.\\n"\n"Breathe out.\\n"\n'
HOLD = 'msgid "Hold for 100% of the count."\n'
ORIGINS = {
    BLOCK: "#. front matter: description\n#: content/en/breath.md\n",
    HOLD: "#. body: paragraph\n#: content/en/breath.md\n",
}


def breath_site(site: Path, extrans: Run, translations: dict[str, str]) -> Path:
    """The site with a page whose description ends with a newline (a YAML block), extracted,
    then translated by hand: ``translations`` maps an entry's msgid lines to the lines that
    replace them and its empty msgstr."""
    (site / BREATH).write_text(BREATH_PAGE, encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    catalog = site / BREATH_PO
    text = catalog.read_text(encoding="utf-8")
    for msgid, entry in translations.items():
        assert text.count(ORIGINS[msgid] + msgid + 'msgstr ""\n') == 1
        text = text.replace(ORIGINS[msgid] + msgid + 'msgstr ""\n', ORIGINS[msgid] + entry)
    catalog.write_text(text, encoding="utf-8")
    return catalog


@needs_gettext
def test_a_translation_whose_newlines_do_not_match_becomes_fuzzy(site: Path, extrans: Run) -> None:
    """A translator's own translation that ends without the newline its text ends with (msgfmt
    -c refuses the catalog) was written back as it was: msgmerge does the same. It is kept,
    marked fuzzy, which msgfmt -c accepts and build does not use, and Poedit shows again."""
    mine = "Inhala.\\nExhala."
    catalog = breath_site(site, extrans, {BLOCK: f'{BLOCK}msgstr ""\n"{mine}"\n'})
    refused = msgfmt_check(catalog)
    assert refused.returncode == 1
    assert "entries do not both end with '\\n'" in refused.stderr
    before = catalog.read_text(encoding="utf-8")
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    after = catalog.read_text(encoding="utf-8")
    assert after == before.replace(
        f'{BLOCK}msgstr ""\n"{mine}"\n',
        f'#, fuzzy\n{BLOCK}msgstr ""\n"Inhala.\\n"\n"Exhala."\n',  # (as msgcat writes it)
    )
    assert msgfmt_check(catalog).returncode == 0
    assert extrans(site, "extract", "--check")[0] == 0


@needs_gettext
def test_a_fuzzy_match_takes_the_newlines_of_its_new_text(site: Path, extrans: Run) -> None:
    """The description's YAML block became a plain value: its text no longer ends with a
    newline. The fuzzy match's translation came along with its own, and once the translator
    cleared the flag, msgfmt -c refused the catalog. It takes the new text's ends."""
    catalog = breath_site(site, extrans, {BLOCK: f'{BLOCK}msgstr ""\n"Inhala.\\n"\n"Exhala.\\n"\n'})
    assert msgfmt_check(catalog).returncode == 0
    page = site / BREATH
    page.write_text(
        BREATH_PAGE.replace("|\n  Breathe in.\n  Breathe out.\n", "Breathe in. Breathe out.\n"),
        encoding="utf-8",
    )
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert "es: 3 pages and 2 site files, 0 new, 1 changed, 0 obsolete" in out
    text = catalog.read_text(encoding="utf-8")
    assert (
        '#, fuzzy\n#| msgid ""\n#| "Breathe in.\\n"\n#| "Breathe out.\\n"\n'
        'msgid "Breathe in. Breathe out."\nmsgstr ""\n"Inhala.\\n"\n"Exhala."\n'
    ) in text
    cleared = text.replace("#, fuzzy\n#| msgid", "#| msgid")  # the translator accepts it
    catalog.write_text(cleared, encoding="utf-8")
    assert msgfmt_check(catalog).returncode == 0


@needs_gettext
def test_format_flags_come_from_the_template(site: Path, extrans: Run) -> None:
    """A translator's tool flagged a text c-format, which its translation does not fit
    (msgfmt -c refuses the catalog). As msgmerge does, a text's format flags come from the
    template, which has none: extrans texts are no format strings."""
    entry = f'#, c-format\n{HOLD}msgstr "Mantén el 100 %% de la cuenta."\n'
    catalog = breath_site(site, extrans, {HOLD: entry})
    refused = msgfmt_check(catalog)
    assert refused.returncode == 1, refused.stderr
    before = catalog.read_text(encoding="utf-8")
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert catalog.read_text(encoding="utf-8") == before.replace("#, c-format\n", "")
    assert msgfmt_check(catalog).returncode == 0


def test_extract_never_writes_a_catalog_msgfmt_would_refuse(
    site: Path, extrans: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last look before a merged catalog is written: were the merge to keep a translation
    msgfmt -c refuses as it is (a bug), the catalog is left as it is and the run says so."""
    mine = "Inhala.\\nExhala."
    catalog = breath_site(site, extrans, {BLOCK: f'{BLOCK}msgstr ""\n"{mine}"\n'})
    before = catalog.read_bytes()
    (site / BREATH).write_text(BREATH_PAGE + "\nA new paragraph.\n", encoding="utf-8")
    monkeypatch.setattr(catalog_stage, "_checked", lambda message, nplurals: message)
    code, _, err = extrans(site, "extract")
    assert (code, error_lines(err)) == (
        2,
        [
            f"{BREATH_PO}: error: left as it is: msgfmt -c would refuse its merge (line 20: "
            "'msgid' and 'msgstr' entries do not both end with '\\n'); please report this"
        ],
    )
    assert catalog.read_bytes() == before
    assert (site / "locale/es/home.po").is_file()  # the rest of the site is processed


TOO_DEEP_PLURAL = "plural expression nested more than 50 deep, which extrans does not read"


@needs_gettext
@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("nplurals=2; plural=n != ;", "invalid plural expression"),
        ("nplurals=INTEGER; plural=EXPRESSION;", "invalid nplurals value"),
        ("nplurals=1; plural=n != 1;", "nplurals = 1 but plural expression can produce values "
         "as large as 1"),
        ("nplurals=2; plural=1 / n;", "plural expression can produce division by zero"),
        (f"nplurals=2; plural={'+'.join(['n'] * 20_000)};", "nplurals = 2 but plural "
         "expression can produce values as large as 20000"),
        (f"nplurals={'9' * 5000}; plural={'9' * 5000};", "plural expression can produce "
         "negative values"),
        (f"nplurals=2; plural={'(' * 5000}n{')' * 5000};", TOO_DEEP_PLURAL),
        (f"nplurals=2; plural={'!' * 20_000}n;", TOO_DEEP_PLURAL),
        (f"nplurals=2; plural={'n ? 1 : ' * 5000}0;", TOO_DEEP_PLURAL),
    ],
)  # fmt: skip
def test_a_plural_forms_msgfmt_refuses_is_left_to_the_translator(
    site: Path, extrans: Run, rule: str, problem: str
) -> None:
    """A hand-edited Plural-Forms that msgfmt -c refuses was kept by every merge, so every
    catalog extract wrote from it was one gettext refuses. The catalog is left as it is, with
    the line, what gettext says and the rule it uses for the language."""
    assert extrans(site, "extract")[0] == 0
    catalog = site / SAW_PO
    good = catalog.read_text(encoding="utf-8")
    fine = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'
    assert good.count(fine) == 1
    catalog.write_text(good.replace(fine, f'"Plural-Forms: {rule}\\n"'), encoding="utf-8")
    before = catalog.read_bytes()
    assert msgfmt_check(catalog).returncode == 1
    with_paragraph(site, "Keep your shoulders relaxed throughout.")
    code, _, err = extrans(site, "extract")
    assert (code, error_lines(err)) == (
        2,
        [
            f"{SAW_PO}:13: error: msgfmt -c refuses its Plural-Forms ({problem}); left as it "
            "is: correct it (gettext's for es: 'nplurals=2; plural=(n != 1);')"
        ],
    )
    assert catalog.read_bytes() == before
    catalog.write_bytes(before.replace(rule.encode(), b"nplurals=2; plural=(n != 1);"))
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert msgfmt_check(catalog).returncode == 0


SEPARATOR = (
    "a string holds the control character U+0004, gettext's context separator, which it "
    "refuses; remove it"
)


@needs_gettext
@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ('msgid "Saw"\nmsgstr "Sie\x04rra"\n', 10),
        ('#, fuzzy\n#| msgid "S\x04"\nmsgid "Saw"\nmsgstr "Sierra"\n', 10),
        ('#~ msgid "Saw"\n#~ msgstr "Sie\x04rra"\n', 10),
        ('msgctxt "\x04"\nmsgid "Saw"\nmsgstr "Sierra"\n', 9),
        ('# a note may hold \x04\nmsgid "Saw"\nmsgstr "Sierra"\n', None),
    ],
    ids=["msgstr", "previous-msgid", "obsolete", "msgctxt", "comment"],
)
def test_the_context_separator_is_refused_where_gettext_refuses_it(
    tmp_path: Path, entry: str, line: int | None
) -> None:
    """U+0004 in a string: msgfmt -c refuses the catalog, and extrans read it, and wrote it
    back. It is refused at its line, exactly where gettext refuses it."""
    text = f"{HEADER}\n{entry}"
    catalog = tmp_path / "es.po"
    catalog.write_text(text, encoding="utf-8")
    refused = msgfmt_check(catalog)
    if line is None:
        assert refused.returncode == 0, refused.stderr
        assert parse_po(text, "es.po").messages[0].translator_comments == ("a note may hold \x04",)
        return
    assert f"es.po:{line}: context separator <EOT> within string" in refused.stderr
    with pytest.raises(CatalogError) as raised:
        parse_po(text, "es.po")
    assert str(raised.value) == f"es.po:{line}: {SEPARATOR}"


@needs_gettext
def test_a_text_with_a_bell_keeps_its_translation(site: Path, extrans: Run) -> None:
    """A BEL in a page is written ``\\a``, as msgcat writes it, but was read back as a
    backslash and an "a": each extract took the translated entry for a changed text, made
    it fuzzy and put a backslash in its translation. gettext reads it as extrans now does."""
    (site / BREATH).write_text("---\ntitle: Bell\n---\n\nA bell \a here.\n", encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    catalog = site / BREATH_PO
    entry = 'msgid "A bell \\a here."\nmsgstr ""\n'
    text = catalog.read_text(encoding="utf-8")
    assert text.count(entry) == 1
    catalog.write_text(
        text.replace(entry, 'msgid "A bell \\a here."\nmsgstr "Una campana \\a aquí."\n'),
        encoding="utf-8",
    )
    translated = catalog.read_bytes()
    compiled = subprocess.run(
        ["msgfmt", "-c", "-o", "-", str(catalog)], capture_output=True, check=True
    ).stdout
    assert "Una campana \a aquí.".encode() in compiled  # (gettext's reading: a BEL)
    code, out, err = extrans(site, "extract", "--no-cache")
    assert (code, err) == (0, "")
    assert "es: 3 pages and 2 site files, 0 new, 0 changed, 0 obsolete; 0 catalogs written" in out
    assert catalog.read_bytes() == translated


# --- A page whose every text changed -------------------------------------------------------------


@needs_gettext
def test_a_long_page_whose_every_paragraph_changed_keeps_each_translation_as_fuzzy(
    site: Path, extrans: Run
) -> None:
    """A page of 600 paragraphs, translated, then one word changed in each: every paragraph
    keeps its own old translation, marked fuzzy, with ``#|`` naming its own old text, as
    msgmerge --previous makes of the same catalog. (bench/fuzzy.py measures the time this
    takes against msgmerge's.)"""
    rng = random.Random(600)
    words = ["spine", "pelvis", "ribs", "heels", "toes", "breath", "reach", "press", "lift"]
    body = [
        " ".join(rng.choice(words) for _ in range(rng.randint(12, 40))) + f" ({n})."
        for n in range(600)
    ]
    page = site / SAW
    front = page.read_text(encoding="utf-8").split("\n---\n")[0] + "\n---\n\n"
    page.write_text(front + "\n\n".join(body) + "\n", encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    catalog = site / SAW_PO
    old = parse_po(catalog.read_text(encoding="utf-8"), SAW_PO)
    filled = tuple(dataclasses.replace(m, msgstr=pseudo(m.msgid), raw=None) for m in old.messages)
    catalog.write_text(format_catalog(dataclasses.replace(old, messages=filled)), encoding="utf-8")
    shutil.copy(catalog, site.parent / "old.po")
    changed = [text.replace(" ", " gently ", 1) for text in body]
    page.write_text(front + "\n\n".join(changed) + "\n", encoding="utf-8")
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert "es: 2 pages and 2 site files, 0 new, 600 changed, 0 obsolete" in out
    merged = parse_po(catalog.read_text(encoding="utf-8"), SAW_PO)
    fuzzy = {m.msgid: m.previous_msgid for m in merged.messages if m.fuzzy}
    assert fuzzy == dict(zip(changed, body, strict=True))
    assert msgfmt_check(catalog).returncode == 0
    theirs = subprocess.run(
        ["msgmerge", "--previous", "-q", "-o", "-", str(site.parent / "old.po"), str(site / SAW_POT)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert {m.msgid: m.previous_msgid for m in parse_po(theirs, "-").messages if m.fuzzy} == fuzzy


# --- Translator comments on texts that changed ------------------------------------------------


@needs_gettext
def test_a_note_on_an_untranslated_text_that_changed_goes_with_the_new_text(
    site: Path, extrans: Run
) -> None:
    """msgmerge drops the note: the entry had no translation, so it is no fuzzy match, and an
    untranslated entry does not become obsolete. extrans keeps it on the most similar new
    text (by the fuzzy match's measure), where the translator sees it beside the text it was
    about; an obsolete entry without a translation would not last (msgcat, which Poedit runs
    on every save, drops it). The catalog still is what msgmerge --previous makes of itself."""
    assert extrans(site, "extract")[0] == 0
    catalog = site / SAW_PO
    item = 'msgid "Keep both hips heavy on the mat as you rotate"\nmsgstr ""\n'
    origin = '#. body: list item, under "Tips for Success"\n#: content/en/saw.md\n'
    noted = catalog.read_text(encoding="utf-8").replace(
        origin + item, "# Ask Ana: hips or sit bones?\n" + origin + item
    )
    catalog.write_text(noted, encoding="utf-8")
    old = site.parent / "old.po"
    shutil.copy(catalog, old)
    page = site / SAW
    page.write_text(
        page.read_text(encoding="utf-8").replace("on the mat as you", "on the mat while you"),
        encoding="utf-8",
    )
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert "es: 2 pages and 2 site files, 1 new, 0 changed, 0 obsolete" in out
    assert catalog.read_text(encoding="utf-8") == noted.replace(
        item, item.replace("as you", "while you")
    )
    pot = site / SAW_POT
    merged = subprocess.run(
        ["msgmerge", "--previous", "-q", "-o", "-", str(old), str(pot)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Ask Ana" not in merged
    again = subprocess.run(
        ["msgmerge", "--previous", "--no-fuzzy-matching", "-q", "-o", "-", str(catalog), str(pot)],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert again == catalog.read_bytes()


def test_a_note_joins_the_comments_of_the_fuzzy_match() -> None:
    old = [
        Message("Keep both hips heavy on the mat", "Mantén la cadera pesada", translator_comments=("reviewed",)),
        Message("Keep both hips heavy on the floor as you turn", translator_comments=("Ask Ana",)),
    ]  # fmt: skip
    merged = merge_messages(old, [Message("Keep both hips heavy on the floor as you rotate")])
    assert merged.messages == (
        Message(
            "Keep both hips heavy on the floor as you rotate",
            "Mantén la cadera pesada",
            flags=("fuzzy",),
            translator_comments=("reviewed", "Ask Ana"),
            previous_msgid="Keep both hips heavy on the mat",
        ),
    )


NOTED = "# Ask Ana: hips or sit bones?\n"
HIPS = "Keep both hips heavy on the mat as you rotate"


def noted_catalog(site: Path) -> str:
    """The Saw's catalog, with the translator's note on an untranslated text."""
    catalog = site / SAW_PO
    item = f'#. body: list item, under "Tips for Success"\n#: content/en/saw.md\nmsgid "{HIPS}"\nmsgstr ""\n'
    text = catalog.read_text(encoding="utf-8")
    assert text.count(item) == 1
    catalog.write_text(text.replace(item, NOTED + item), encoding="utf-8")
    return catalog.read_text(encoding="utf-8")


def edit_page(site: Path, old: str, new: str) -> None:
    page = site / SAW
    text = page.read_text(encoding="utf-8")
    assert text.count(old) == 1
    page.write_text(text.replace(old, new), encoding="utf-8")


@needs_gettext
@pytest.mark.parametrize(
    "rewrite",
    [f"- {HIPS}\n", f"{HIPS}\n"],
    ids=["removed", "rewritten-beyond-the-fuzzy-threshold"],
)
def test_a_note_on_an_untranslated_text_that_left_stays_as_an_obsolete_entry(
    site: Path, extrans: Run, rewrite: str
) -> None:
    """With nothing similar left to put it on, a translator's note on an untranslated text
    was dropped (as msgmerge drops it). It stays as an obsolete entry without a translation,
    which msgfmt -c accepts, the next extract keeps, and which comes back, note and all, when
    the text does."""
    assert extrans(site, "extract")[0] == 0
    noted = noted_catalog(site)
    source = (site / SAW).read_text(encoding="utf-8")
    replacement = "" if rewrite.startswith("- ") else "Rotate now, and feel every vertebra\n"
    edit_page(site, rewrite, replacement)
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert "es: 2 pages and 2 site files, " in out and " 1 obsolete;" in out
    catalog = site / SAW_PO
    text = catalog.read_text(encoding="utf-8")
    assert text.endswith(f'\n\n{NOTED}#~ msgid "{HIPS}"\n#~ msgstr ""\n')
    assert msgfmt_check(catalog).returncode == 0
    assert extrans(site, "extract") == (
        0, "templates: 2 pages and 2 site files, 0 written\nes: 2 pages and 2 site files, 0 new, 0 changed, 0 obsolete; "
        "0 catalogs written\n", "",
    )  # fmt: skip
    assert catalog.read_text(encoding="utf-8") == text
    (site / SAW).write_text(source, encoding="utf-8")
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert catalog.read_text(encoding="utf-8") == noted


def test_an_obsolete_note_goes_with_a_new_text_like_it() -> None:
    """An obsolete entry that holds only a note is a note like any other: it goes to the most
    similar new text, and leaves no obsolete entry behind."""
    old = [Message("Twist only", translator_comments=("Ask Ana",), obsolete=True)]
    merged = merge_messages(old, [Message("Twist only, then return")])
    assert merged.messages == (
        Message("Twist only, then return", translator_comments=("Ask Ana",)),
    )
    assert (merged.new, merged.changed, merged.obsoleted) == (1, 0, 0)


@needs_gettext
def test_notes_on_fuzzy_and_obsolete_entries_are_kept(tmp_path: Path) -> None:
    """A fuzzy entry whose text left (or changed beyond the threshold) becomes obsolete, its
    note, flag and previous text with it; obsolete entries keep their notes, and bring them
    back with their translation; msgfmt -c accepts every step."""
    old = [
        Message(
            "Breathe out fully", "Exhala del todo", flags=("fuzzy",),
            translator_comments=("check the rhythm",), previous_msgid="Breathe out",
        ),
        Message("Sit tall", "Siéntate", translator_comments=("short",), obsolete=True),
        Message("Saw", translator_comments=("the exercise, not the tool",), obsolete=True),
    ]  # fmt: skip
    first = merge_messages(old, [Message("Reach past your little toe")])
    assert first.messages == (
        Message("Reach past your little toe"),
        dataclasses.replace(old[0], obsolete=True),
        old[1],
        old[2],
    )
    again = merge_messages(first.messages, [Message("Reach past your little toe")])
    assert again.messages == first.messages
    back = merge_messages(again.messages, [Message("Sit tall"), Message("Saw")])
    assert back.messages == (
        Message("Sit tall", "Siéntate", translator_comments=("short",)),
        Message("Saw", translator_comments=("the exercise, not the tool",)),
        dataclasses.replace(old[0], obsolete=True),
    )
    for step, merged in enumerate((first, again, back)):
        written = tmp_path / f"{step}.po"
        text = catalog_text(list(merged.messages))
        written.write_text(text, encoding="utf-8")
        assert msgfmt_check(written).returncode == 0, text
        assert format_catalog(parse_po(text, "x.po")) == text  # (read back, as it is)


# --- The build record ------------------------------------------------------------------------

BROKEN_RECORDS = {
    "conflict": (
        b'{\n "version": 1,\n<<<<<<< HEAD\n "pages": {"content/es/saw.md": "1"}\n=======\n'
        b' "pages": {"content/es/saw.md": "2"}\n>>>>>>> theirs\n}\n',
        f"{RECORD}:3: error: unresolved merge conflict marker; resolve the conflict, or "
        + RECORD_ADVICE,
    ),
    "bad JSON": (
        b'{\n "version": 1,\n "pages": {"content/es/saw.md": "1",}\n}\n',
        f"{RECORD}:3: error: cannot read the build record (Expecting property name enclosed "
        f"in double quotes); mend it, or {RECORD_ADVICE}",
    ),
    "not a record": (
        b'{"version": 2, "pages": []}\n',
        f'{RECORD}: error: is not a build record ({{"version": 1, "pages": {{...}}}}); '
        + RECORD_ADVICE,
    ),
    "not UTF-8": (
        b'{"version": 1,\n "pages": {"content/es/sier\xe7a.md": "1"}}\n',
        f"{RECORD}:2: error: not UTF-8; mend it, or {RECORD_ADVICE}",
    ),
    "nested too deep": (
        b'{"version": 1,\n "pages": {"content/es/saw.md":\n' + b"[" * 100_000 + b"\n",
        f"{RECORD}:3: error: cannot read the build record (nested deeper than 64 levels); "
        f"mend it, or {RECORD_ADVICE}",
    ),
    "an integer over Python's limit": (
        b'{"version": 1,\n "pages": {\n  "content/es/saw.md": ' + b"9" * 5000 + b"}}\n",
        f"{RECORD}:3: error: cannot read the build record (a number of 5000 digits, longer "
        f"than any Hugo reads); mend it, or {RECORD_ADVICE}",
    ),
    "half a surrogate pair": (
        b'{"version": 1,\n "pages": {\n  "content/es/\\ud800.md": "1"}}\n',
        f"{RECORD}:3: error: cannot read the build record ('\\ud800' is half of a surrogate "
        f"pair, not a character; write the character itself); mend it, or {RECORD_ADVICE}",
    ),
    "an entry that is no hash": (
        b'{"version": 1,\n "pages": {\n  "content/es/_index.md": "1",\n'
        b'  "content/es/saw.md" : 5}}\n',
        f"{RECORD}:4: error: the entry 'content/es/saw.md' holds 5, not the hash of a page; "
        f"mend it, or {RECORD_ADVICE}",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_RECORDS))
def test_a_broken_record_names_its_line_and_what_to_do(site: Path, extrans: Run, case: str) -> None:
    data, expected = BROKEN_RECORDS[case]
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    record = site / RECORD
    record.write_bytes(data)
    for command in (["build"], ["build", "--check"], ["build", "--force"]):
        code, _, err = extrans(site, *command)
        assert (code, error_lines(err)) == (2, [expected]), command
        assert record.read_bytes() == data
    assert not (site / SAW_ES).exists()  # nothing is built without knowing what is whose


def test_a_record_that_is_a_fifo_stops_the_build(site: Path, extrans: Run) -> None:
    """Read as a file, a FIFO would block the build until someone wrote to it."""
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    os.mkfifo(site / RECORD)
    expected = f"{RECORD}: error: is a FIFO where a file should be; move it out of the way"
    for command in (["build"], ["build", "--check"], ["build", "--force"]):
        code, _, err = extrans(site, *command)
        assert (code, error_lines(err)) == (2, [expected]), command
        assert stat.S_ISFIFO(os.lstat(site / RECORD).st_mode)
    assert not (site / SAW_ES).exists()


def test_a_deleted_record_heals_on_the_next_build(site: Path, extrans: Run) -> None:
    """Build never wrote a page that is already as it would write it, and so never took it
    into the record: deleting the record made every page "not written by extrans" forever."""
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    assert extrans(site, "build")[0] == 0
    record = site / RECORD
    kept = record.read_bytes()
    record.unlink()
    code, out, _ = extrans(site, "build", "--check")
    assert code == 0 and not record.exists()  # --check writes nothing, the record included
    code, out, err = extrans(site, "build")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "es: 0 written, 2 unchanged, 0 below threshold, 0 left alone"
    assert record.read_bytes() == kept
    # The record is build's own again: a hand edit is seen as one, a translation is built.
    edit_by_hand(site / "content/es/_index.md")
    catalog = site / SAW_PO
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(
        text.replace(f'msgstr "{pseudo("Saw")}"', 'msgstr "Sierra"'), encoding="utf-8"
    )
    code, out, err = extrans(site, "build")
    assert (code, err) == (0, "")
    assert (
        out.splitlines()
        == [
            "es: 1 written, 0 unchanged, 0 below threshold, 1 left alone",
            "  content/es/_index.md: left alone: edited by hand since extrans wrote it "
            "(use --force to replace it)",
            "  site strings: 2 unchanged (extrans -v lists them)",  # (the example's menus, the Saw's tag)
        ]
    )
    assert '"title": "Sierra"' in (site / SAW_ES).read_text(encoding="utf-8")


# --- Files in .extrans-cache that someone else wrote --------------------------------------

HAND_MADE = b"---\ntitle: Sierra, a mano\n---\n\nHecha a mano.\n"


def _forge_journal(site: Path, target: str) -> None:
    """A journal as a build killed in mid-run left it, naming a page extrans never wrote
    (committed in the repository, or left by anyone)."""
    journal = site / ".extrans-cache/built-pages.4242.journal"
    journal.parent.mkdir(exist_ok=True)
    sha256 = hashlib.sha256((site / target).read_bytes()).hexdigest()
    journal.write_text(f"{sha256} {target}\n", encoding="utf-8")


def test_a_forged_journal_does_not_make_a_hand_made_page_extrans_s_own(
    site: Path, extrans: Run
) -> None:
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    (site / "content/es").mkdir(parents=True)
    (site / SAW_ES).write_bytes(HAND_MADE)
    _forge_journal(site, SAW_ES)
    code, out, err = extrans(site, "build")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "es: 1 written, 0 unchanged, 0 below threshold, 1 left alone",
        "  content/es/saw.md: left alone: not written by extrans (use --force to replace it)",
        "  site strings: config/_default/menus.es.toml: written",
        "  site strings: content/es/tags/spine-mobility/_index.md: written",
    ]
    assert (site / SAW_ES).read_bytes() == HAND_MADE
    assert SAW_ES not in json.loads((site / RECORD).read_text(encoding="utf-8"))["pages"]


def test_a_forged_journal_does_not_let_prune_delete_a_hand_made_page(
    site: Path, extrans: Run
) -> None:
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    assert extrans(site, "build")[0] == 0
    (site / "content/es/gone.md").write_bytes(HAND_MADE)
    _forge_journal(site, "content/es/gone.md")
    code, out, err = extrans(site, "build", "--prune")
    assert (code, err) == (0, "")
    assert (
        out.splitlines()
        == [
            "es: 0 written, 2 unchanged, 0 below threshold, 0 left alone",
            "  site strings: 2 unchanged (extrans -v lists them)",  # (the example's menus, the Saw's tag)
        ]
    )
    assert (site / "content/es/gone.md").read_bytes() == HAND_MADE


GIT_ENV = {**ENV, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e"}  # fmt: skip
STALE_SAW = (
    1,
    [
        "templates: 2 pages and 2 site files, 0 out of date",
        "es: 2 pages and 2 site files, 1 new, 0 changed, 0 obsolete; 1 catalogs out of date",
    ],
    [f"{SAW_PO}: out of date; run `extrans extract`"],
)
"""What ``extract --check`` says of a site whose Saw catalog lost its entry "Saw"."""


def _copy_in_place(site: Path, how: str) -> None:
    """Put a copy of the site, its cache included, where the site was (as a new clone at the
    same path, or a restored backup, has it): ``cp -a`` or ``git clone`` of a repository in
    which the cache was committed."""
    original = site.with_name("original")
    site.rename(original)
    if how == "cp -a":
        subprocess.run(["cp", "-a", str(original), str(site)], check=True)
        return
    git = ["git", "-C", str(original)]
    subprocess.run([*git, "init", "-q"], check=True, env=GIT_ENV)
    subprocess.run([*git, "add", "-A"], check=True, env=GIT_ENV)
    subprocess.run([*git, "add", "-f", ".extrans-cache"], check=True, env=GIT_ENV)
    subprocess.run([*git, "commit", "-qm", "site"], check=True, env=GIT_ENV)
    subprocess.run(["git", "clone", "-q", str(original), str(site)], check=True, env=GIT_ENV)


def _stamp_as_now(site: Path, cache: Path, names: dict[str, str]) -> None:
    """Give ``cache`` a stamp for each file of ``names`` (path → SHA-256) that matches the
    file's inode as it is now: what a doctored cache, or a copy whose inodes happened to
    match, holds."""
    body = json.loads(cache.read_text(encoding="utf-8"))
    for name, sha256 in names.items():
        info = os.stat(site / name)
        body["files"][name] = (
            f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino} {info.st_dev} "
            + sha256
        )
    cache.write_text(json.dumps(body), encoding="utf-8")


def _lose_saw_entry(site: Path) -> None:
    """Make the Saw's catalog stale (its entry "Saw" renamed, as extract never leaves it) with
    the size and modification time it had."""
    catalog = site / SAW_PO
    before = catalog.stat()
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(text.replace('\nmsgid "Saw"\n', '\nmsgid "Saq"\n'), encoding="utf-8")
    assert catalog.stat().st_size == before.st_size
    os.utime(catalog, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("how", ["cp -a", "git clone"])
def test_a_cache_copied_with_the_site_is_never_trusted(site: Path, extrans: Run, how: str) -> None:
    """Even where every stamp of the copied cache matches the copy's files (as after an
    inode number was reused, or a hand edit of the cache), a catalog made stale in the copy
    is found stale: the cache belongs to the checkout that made it."""
    assert extrans(site, "extract")[0] == 0
    _copy_in_place(site, how)
    cache = site / ".extrans-cache/extract.json"
    recorded = json.loads(cache.read_text(encoding="utf-8"))["pages"]
    files = [name for page, (_, _, outputs) in recorded.items() for name in (page, *outputs)]
    hashes = {name: hashlib.sha256((site / name).read_bytes()).hexdigest() for name in files}
    _lose_saw_entry(site)
    _stamp_as_now(site, cache, hashes)
    code, out, err = extrans(site, "extract", "--check")
    assert (code, out.splitlines(), err.splitlines()) == STALE_SAW


def _doctor_entry(site: Path, name: str, page: str, change: Callable[[list[object]], None]) -> None:
    """Change one page's entry of a cache this checkout made (its fingerprint kept)."""
    cache = site / f".extrans-cache/{name}.json"
    body = json.loads(cache.read_text(encoding="utf-8"))
    change(body["pages"][page])
    cache.write_text(json.dumps(body), encoding="utf-8")


def _leave_out(path: str) -> Callable[[list[object]], None]:
    def change(entry: list[object]) -> None:
        outputs = entry[2]
        assert isinstance(outputs, dict)
        del outputs[path]

    return change


def _rename_key(entry: list[object]) -> None:
    entry[1] = "../../elsewhere"
    entry[2] = {"locale/templates/../../elsewhere.pot": "-", "locale/es/../../elsewhere.po": "-"}


DOCTORED_EXTRACT_CACHES = {  # how the Saw's entry lies, with its catalog made stale
    "the catalog left out": _leave_out(SAW_PO),
    "a key no page can have, with outputs outside the site": _rename_key,
}


@pytest.mark.parametrize("case", sorted(DOCTORED_EXTRACT_CACHES))
def test_a_doctored_extract_cache_costs_time_never_a_wrong_answer(
    site: Path, extrans: Run, case: str
) -> None:
    assert extrans(site, "extract")[0] == 0
    _lose_saw_entry(site)
    _doctor_entry(site, "extract", SAW, DOCTORED_EXTRACT_CACHES[case])
    code, out, err = extrans(site, "extract", "--check")
    assert (code, out.splitlines(), err.splitlines()) == STALE_SAW


def test_a_doctored_cache_never_has_a_file_outside_the_site_read(site: Path) -> None:
    """An entry that records a FIFO outside the site among its outputs: reading it would
    block the run (and a file outside the site is never read)."""
    fifo = site.parent / "fifo"
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "extrans", "--site", str(site), "extract"]
    assert subprocess.run(command, env=ENV, capture_output=True, check=False).returncode == 0

    def add_fifo(entry: list[object]) -> None:
        outputs = entry[2]
        assert isinstance(outputs, dict)
        outputs["../fifo"] = "-"

    _doctor_entry(site, "extract", SAW, add_fifo)
    done = subprocess.run(
        [*command, "--check"], env=ENV, capture_output=True, check=False, timeout=120
    )
    assert (done.returncode, done.stderr) == (0, b"")


UNREADABLE_CACHES = {
    "nested past Python's stack": "[" * 100_000,
    "an integer over Python's limit": '{"fingerprint": ' + "9" * 5000 + "}",
    "half a surrogate pair": '{"fingerprint": "\\ud800", "pages": {"\\udc80": 1}}',
}


@pytest.mark.parametrize("case", sorted(UNREADABLE_CACHES))
def test_a_cache_python_cannot_read_costs_time_never_exit_70(
    site: Path, extrans: Run, case: str
) -> None:
    assert extrans(site, "extract")[0] == 0
    fill_catalogs(site, pseudo)
    assert extrans(site, "build")[0] == 0
    expected = tree(site)
    for name in ("extract", "build"):
        (site / f".extrans-cache/{name}.json").write_text(UNREADABLE_CACHES[case])
    for command in (["extract", "--check"], ["build", "--check"], ["extract"], ["build"]):
        assert extrans(site, *command) == (0, ANY, ""), command
    assert {k: v for k, v in tree(site).items() if not k.startswith(".extrans-cache")} == {
        k: v for k, v in expected.items() if not k.startswith(".extrans-cache")
    }


def test_a_doctored_build_cache_costs_time_never_a_wrong_answer(site: Path, extrans: Run) -> None:
    """A build entry that leaves out the catalog: a translation made since must be built."""
    built(site, extrans)  # (the Saw's title translated anew since the build)
    _doctor_entry(site, "build", SAW, _leave_out(SAW_PO))
    code, out, err = extrans(site, "build", "--check")
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == "es: 1 would write, 1 unchanged, 0 below threshold, 0 left alone"
