"""Hostile sites that try to make extrans write, delete or read outside the site: symlinks,
FIFOs and folders where extrans keeps its own files; symlinked folders and doctored record
entries for ``--prune``; catalogs and localized pages that lead out; overlapping content
folders. Each case gets its one line (exit 2), and the file outside the site it aims at (the
victim) still exists with its bytes; where the rest of the site can be processed, it is."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.errors import ExtransError
from extrans.fsio import open_inside

from .conftest import REPO

Run = Callable[..., tuple[int, str, str]]
Setup = Callable[[Path, Path], None]

SECRET = b"https://bot:ghp_16C7e42F292c6912E7710c838347Ae178B4a\n"
"""What the victim holds: a line no message may quote whole."""
SAW_PO = "locale/es/exercise-saw.po"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site of two pages (the Saw, and the home page: the rest of the site)."""
    root = tmp_path / "site"
    (root / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copy(REPO / "content/en/exercises/saw.md", root / "content/en/saw.md")
    shutil.copy(REPO / "content/en/_index.md", root / "content/en/_index.md")
    return root


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file outside the site."""
    path = tmp_path / "victim.txt"
    path.write_bytes(SECRET)
    return path


def error_lines(err: str) -> list[str]:
    assert "Traceback" not in err and "internal error" not in err, err
    return [line for line in err.splitlines() if ": error: " in line]


def assert_untouched(victim: Path) -> None:
    """The victim is as it was, and nothing was made beside it."""
    assert victim.is_file() and not victim.is_symlink()
    assert victim.read_bytes() == SECRET
    beside = {p.name for p in victim.parent.iterdir()} - {"site", victim.name}
    assert beside <= {"elsewhere"}, beside  # (a folder a case made outside the site)


def assert_rest_processed(site: Path, command: str, out: str) -> None:
    """The home page, the rest of the site, got what ``command`` gives it."""
    if command == "extract":
        assert (site / "locale/es/home.po").is_file()
    elif command == "build":
        assert (site / "content/es/_index.md").is_file()
    elif command == "check":
        assert "in 1 catalogs checked" in out
    else:
        assert "of 2 pages" in out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- Where extrans keeps its own files ----------------------------------------------------


def _link(name: str, to: Callable[[Path, Path], Path]) -> Setup:
    def setup(site: Path, victim: Path) -> None:
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(to(site, victim))

    return setup


def _make(name: str, how: Callable[[Path], None]) -> Setup:
    def setup(site: Path, victim: Path) -> None:
        (site / ".extrans-cache").mkdir(exist_ok=True)
        how(site / name)

    return setup


def _write(path: Path) -> None:
    path.write_text("extrans's cache, as a file\n", encoding="utf-8")


def _outside_folder(site: Path, victim: Path) -> Path:
    folder = victim.parent / "elsewhere"
    folder.mkdir()
    return folder


LOCK = ".extrans-cache/lock"
NOT_A_FILE = "where extrans keeps a file of its own; remove it"
NOT_A_FOLDER = "where extrans keeps a folder of its own; remove it"
OUT = "is a symlink to a file outside the site; refusing it"

OWN_FILES: dict[str, tuple[str, Setup, str]] = {
    "lock symlinked to a file outside": (
        "extract", _link(LOCK, lambda s, v: v), f"{LOCK}: error: is a symlink, {NOT_A_FILE}",
    ),
    "lock symlinked to a file that does not exist": (
        "extract", _link(LOCK, lambda s, v: v.parent / "made.txt"),
        f"{LOCK}: error: is a symlink, {NOT_A_FILE}",
    ),
    "lock symlinked to a source page": (
        "build", _link(LOCK, lambda s, v: s / "content/en/saw.md"),
        f"{LOCK}: error: is a symlink, {NOT_A_FILE}",
    ),
    "lock a FIFO": ("extract", _make(LOCK, os.mkfifo), f"{LOCK}: error: is a FIFO, {NOT_A_FILE}"),
    "lock a folder": (
        "build", _make(LOCK, Path.mkdir), f"{LOCK}: error: is a folder, {NOT_A_FILE}",
    ),
    "cache folder symlinked outside": (
        "extract", _link(".extrans-cache", _outside_folder),
        f".extrans-cache: error: is a symlink, {NOT_A_FOLDER}",
    ),
    "cache folder symlinked inside the site": (
        "build", _link(".extrans-cache", lambda s, v: s / "content"),
        f".extrans-cache: error: is a symlink, {NOT_A_FOLDER}",
    ),
    "cache folder a file": (
        "extract", lambda s, v: _write(s / ".extrans-cache"),
        f".extrans-cache: error: is a file, {NOT_A_FOLDER}",
    ),
    "extract cache symlinked to a file outside": (
        "extract", _link(".extrans-cache/extract.json", lambda s, v: v),
        f".extrans-cache/extract.json: error: {OUT}",
    ),
    "build cache symlinked to a file outside": (
        "build", _link(".extrans-cache/build.json", lambda s, v: v),
        f".extrans-cache/build.json: error: {OUT}",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(OWN_FILES))
def test_nothing_is_written_through_extrans_own_files(
    site: Path, victim: Path, extrans: Run, case: str
) -> None:
    command, setup, expected = OWN_FILES[case]
    setup(site, victim)
    source = (site / "content/en/saw.md").read_bytes()
    code, _, err = extrans(site, command, *(["--threshold", "0"] if command == "build" else []))
    assert code == 2
    assert error_lines(err) == [expected]
    assert_untouched(victim)
    assert not any(victim.parent.glob("elsewhere/*"))
    assert (site / "content/en/saw.md").read_bytes() == source
    assert not (site / "locale").exists() and not (site / "content/es").exists()
    code, _, err = extrans(site, command, "--check")  # the CI command: the same refusal
    assert (code, error_lines(err)) == (2, [expected])
    assert_untouched(victim)


def test_a_gitignore_that_is_a_symlink_is_left_alone(
    site: Path, victim: Path, extrans: Run
) -> None:
    (site / ".extrans-cache").mkdir()
    (site / ".extrans-cache/.gitignore").symlink_to(victim.parent / "made.txt")
    code, _, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert not os.path.lexists(victim.parent / "made.txt")
    assert (site / SAW_PO).is_file()


def test_the_lock_is_opened_without_following_a_symlink(site: Path, victim: Path) -> None:
    lock = site / LOCK
    lock.parent.mkdir()
    lock.symlink_to(victim)
    flags = os.O_RDWR | os.O_CREAT
    with pytest.raises(ExtransError) as raised:
        open_inside(lock, flags, root=site)
    assert str(raised.value) == f"{LOCK}: is a symlink, {NOT_A_FILE}"
    assert_untouched(victim)


def test_a_journal_left_by_an_older_extrans_is_never_read_nor_followed(
    site: Path, victim: Path, extrans: Run
) -> None:
    """Build keeps no journal: a file named like one, even a symlink to a file outside,
    is neither read nor written nor deleted."""
    journal = site / ".extrans-cache/built-pages.1.journal"
    journal.parent.mkdir()
    journal.symlink_to(victim)
    code, _, err = extrans(site, "build", "--threshold", "0")
    assert (code, error_lines(err)) == (0, [])
    assert journal.is_symlink()
    assert_untouched(victim)


# --- Deletes ------------------------------------------------------------------------------


def _folder_out(site: Path, victim: Path) -> tuple[str, Path]:
    folder = victim.parent / "elsewhere"
    folder.mkdir()
    (folder / "old.md").write_bytes(SECRET)
    (site / "content/es/linked").symlink_to(folder)
    return "content/es/linked/old.md", folder / "old.md"


def _dot_dot(site: Path, victim: Path) -> tuple[str, Path]:
    return "content/es/../../victim.txt", victim


def _folder_to_the_sources(site: Path, victim: Path) -> tuple[str, Path]:
    (site / "content/es/shared").symlink_to(site / "content/en")
    return "content/es/shared/saw.md", site / "content/en/saw.md"


def _page_out(site: Path, victim: Path) -> tuple[str, Path]:
    (site / "content/es/gone.md").symlink_to(victim)
    return "content/es/gone.md", victim


PRUNED: dict[str, Callable[[Path, Path], tuple[str, Path]]] = {
    "a folder symlinked outside": _folder_out,
    "'..' out of the site": _dot_dot,
    "a folder symlinked to the source folder": _folder_to_the_sources,
    "a page symlinked outside": _page_out,
}


@pytest.mark.parametrize("case", sorted(PRUNED))
def test_prune_never_deletes_outside_the_content_folder(
    site: Path, victim: Path, extrans: Run, case: str
) -> None:
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    entry, target = PRUNED[case](site, victim)
    before = target.read_bytes()
    record_path = site / "locale/built-pages.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["pages"] = {entry: sha256(target), **record["pages"]}  # the first entry: line 4
    record_path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    (site / "content/es/_index.md").unlink()  # the rest of the site: built again
    code, out, err = extrans(site, "build", "--threshold", "0", "--prune")
    assert code == 2
    assert error_lines(err) == [
        f"locale/built-pages.json:4: error: {entry!r} leads outside content/es/ (through '..' "
        "or a symlink); left alone (remove the entry, or the symlink)"
    ]
    assert "pruned" not in out
    assert target.read_bytes() == before
    assert_untouched(victim)
    assert_rest_processed(site, "build", out)
    assert entry in json.loads(record_path.read_text(encoding="utf-8"))["pages"]


def test_stray_temporaries_are_not_cleared_outside_the_site(
    site: Path, tmp_path: Path, extrans: Run
) -> None:
    (site / "content/en/_index.md").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stray = elsewhere / ".saw.md.0123abcd.tmp"  # named as extrans names its temporaries
    stray.write_bytes(SECRET)
    (site / "content/es").symlink_to(elsewhere)
    assert extrans(site, "extract")[0] == 0
    code, _, err = extrans(site, "build", "--threshold", "0")  # a first run: clears strays
    assert code == 2
    assert error_lines(err) == [
        "content/es/saw.md: error: refusing to write outside the site (a symlink leads out)"
    ]
    assert [p.name for p in elsewhere.iterdir()] == [stray.name]
    assert stray.read_bytes() == SECRET


# --- Reads --------------------------------------------------------------------------------

READS = ("extract", "build", "check", "status")


def _args(command: str) -> list[str]:
    return [command, "--threshold", "0"] if command == "build" else [command]


@pytest.mark.parametrize("command", READS)
def test_a_catalog_symlinked_outside_is_refused_unread(
    site: Path, victim: Path, extrans: Run, command: str
) -> None:
    assert extrans(site, "extract")[0] == 0
    (site / SAW_PO).unlink()
    (site / SAW_PO).symlink_to(victim)
    (site / "locale/es/home.po").unlink()
    assert extrans(site, "extract")[0] == 2  # (home.po is written again)
    code, out, err = extrans(site, *_args(command))
    assert code == 2
    assert error_lines(err) == [f"{SAW_PO}: error: {OUT}"]
    assert "ghp_" not in out + err
    assert_untouched(victim)
    assert_rest_processed(site, command, out)


def test_a_template_symlinked_outside_is_refused_unread(
    site: Path, victim: Path, extrans: Run
) -> None:
    assert extrans(site, "extract")[0] == 0
    template = site / "locale/templates/exercise-saw.pot"
    template.unlink()
    template.symlink_to(victim)
    (site / "locale/es/home.po").unlink()
    code, out, err = extrans(site, "extract")
    assert code == 2
    assert error_lines(err) == [f"locale/templates/exercise-saw.pot: error: {OUT}"]
    assert "ghp_" not in out + err
    assert_untouched(victim)
    assert_rest_processed(site, "extract", out)


@pytest.mark.parametrize("command", ["extract", "build", "status"])
def test_a_catalog_in_a_folder_that_leads_outside_is_refused_unread(
    site: Path, tmp_path: Path, extrans: Run, command: str
) -> None:
    page = site / "content/en/saw.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace('"exercise-saw"', '"moves/saw"'), "utf-8"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "saw.po").write_bytes(SECRET)
    (site / "locale/es").mkdir(parents=True)
    (site / "locale/es/moves").symlink_to(elsewhere)
    code, out, err = extrans(site, *_args(command))
    assert code == 2
    assert error_lines(err) == [
        "locale/es/moves/saw.po: error: is in a folder that a symlink leads outside the site; "
        "refusing it"
    ]
    assert "ghp_" not in out + err
    assert [p.name for p in elsewhere.iterdir()] == ["saw.po"]
    assert (elsewhere / "saw.po").read_bytes() == SECRET
    assert_rest_processed(site, command, out)


def test_a_dangling_catalog_symlink_outside_is_refused(
    site: Path, tmp_path: Path, extrans: Run
) -> None:
    (site / "locale/es").mkdir(parents=True)
    (site / SAW_PO).symlink_to(tmp_path / "made.po")
    code, out, err = extrans(site, "extract")
    assert code == 2
    assert error_lines(err) == [f"{SAW_PO}: error: {OUT}"]
    assert not os.path.lexists(tmp_path / "made.po")
    assert_rest_processed(site, "extract", out)


def test_a_catalog_symlinked_inside_the_site_is_read(site: Path, extrans: Run) -> None:
    assert extrans(site, "extract")[0] == 0
    shared = site / "shared/exercise-saw.po"
    shared.parent.mkdir()
    (site / SAW_PO).rename(shared)
    (site / SAW_PO).symlink_to(shared)
    code, out, err = extrans(site, "check")
    assert (code, err) == (0, "")
    assert "in 2 catalogs checked: 0 errors" in out


@pytest.mark.parametrize("command", ["build", "status"])
def test_a_localized_page_symlinked_outside_is_refused_unread(
    site: Path, victim: Path, extrans: Run, command: str
) -> None:
    assert extrans(site, "extract")[0] == 0
    (site / "content/es").mkdir()
    (site / "content/es/saw.md").symlink_to(victim)
    for extra in ([], ["--force"]) if command == "build" else ([],):
        code, out, err = extrans(site, *_args(command), *extra)
        assert code == 2
        assert error_lines(err) == [f"content/es/saw.md: error: {OUT}"]
        assert "ghp_" not in err
        assert_untouched(victim)
        assert (site / "content/es/saw.md").is_symlink()
    assert_rest_processed(site, command, out)


# --- What a parse error quotes ------------------------------------------------------------

EXCERPTS = {
    "a token": (
        SECRET,
        "1: error: cannot parse this line: 'https://bot:ghp_16C7e42F292c6912E7710c83'…",
    ),
    "a terminal escape": (
        b'\x1b]0;owned\x07 msgid "a"\n',
        "1: error: cannot parse this line: '\\x1b]0;owned\\x07 msgid \"a\"'",
    ),
    "a long unknown keyword": (
        b"#| " + SECRET.strip() + b' "a"\nmsgid "a"\nmsgstr "b"\n',
        "1: error: cannot parse: syntax error in po file : unknown keyword "
        "'https://bot:ghp_16c7e42f292c6912e7710c83'…",  # (lowered, as polib's words were)
    ),
}


@pytest.mark.parametrize("case", sorted(EXCERPTS))
def test_a_parse_error_quotes_a_short_escaped_excerpt(site: Path, extrans: Run, case: str) -> None:
    data, expected = EXCERPTS[case]
    (site / "locale/es").mkdir(parents=True)
    (site / SAW_PO).write_bytes(data)
    for command in ("extract", "check"):
        code, out, err = extrans(site, command)
        assert code == 2
        assert error_lines(err) == [f"{SAW_PO}:{expected}"]
        assert SECRET[40:].strip().decode() not in err and "\x1b" not in err
        assert (site / SAW_PO).read_bytes() == data
        assert_rest_processed(site, command, out)


# --- Content folders ----------------------------------------------------------------------

HUGO = """defaultContentLanguage = "en"
[languages.en]
contentDir = "content/en"
[languages.es]
contentDir = "{es}"
[languages.fr]
"""

APART = "; each language needs a folder of its own"
SAME = f"'es' and 'en' have the same content folder (content/en){APART}"
ABSOLUTE = "the content folder of 'es' must be a folder inside the site, relative to it (got '{}')"
FOLDERS: dict[str, tuple[str, str, str, str]] = {
    "the source folder": ("hugo.toml", HUGO.format(es="content/en"), "5", SAME),
    "inside the source folder": (
        "hugo.toml", HUGO.format(es="content/en/es"), "5",
        "the content folder of 'es' (content/en/es) is inside the content folder of 'en' "
        f"(content/en){APART}",
    ),
    "around the source folder": (
        "hugo.toml", HUGO.format(es="content"), "5",
        f"the content folder of 'es' (content) contains the content folder of 'en' (content/en){APART}",
    ),
    "the site itself": (
        "hugo.toml", HUGO.format(es="./"), "5",
        f"the content folder of 'es' (.) contains the content folder of 'en' (content/en){APART}",
    ),
    "another target's": (
        "hugo.toml", HUGO.format(es="content/es") + 'contentDir = "content/es/fr"\n', "7",
        "the content folder of 'fr' (content/es/fr) is inside the content folder of 'es' "
        f"(content/es){APART}",
    ),
    "the source folder, in extrans.toml": (
        "extrans.toml", '[content-dirs]\nes = "content/en"\n', "2", SAME,
    ),
    "absolute, in hugo.toml": (
        "hugo.toml", HUGO.format(es="{}"), "5",
        ABSOLUTE,
    ),
    "absolute, in hugo.yaml": (
        "hugo.yaml",
        "defaultContentLanguage: en\nlanguages:\n  en:\n    weight: 1\n  es:\n"
        "    contentDir: {}\n",
        "6",
        ABSOLUTE,
    ),
    "absolute, in config/_default/languages.toml": (
        "config/_default/languages.toml",
        '[en]\ncontentDir = "content/en"\n[es]\ncontentDir = "{}"\n', "4",
        ABSOLUTE,
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(FOLDERS))
def test_content_folders_are_apart_and_inside_the_site(
    site: Path, tmp_path: Path, extrans: Run, case: str
) -> None:
    name, text, line, message = FOLDERS[case]
    outside = tmp_path / "outside"
    (site / "hugo.toml").unlink()
    (site / "extrans.toml").unlink()
    if name == "extrans.toml":
        (site / "hugo.toml").write_text(HUGO.format(es="content/es"), encoding="utf-8")
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(text.replace("{}", str(outside)), encoding="utf-8")
    sources = {p.name: p.read_bytes() for p in (site / "content/en").iterdir()}
    for command in (["extract"], ["build", "--force", "--threshold", "0"], ["status"]):
        code, _, err = extrans(site, *command)
        assert code == 2
        [error] = error_lines(err)  # (a configuration file is named from the root of the disk)
        assert error.endswith(f"{name}:{line}: error: {message.format(outside)}"), error
    assert not outside.exists()
    assert {p.name: p.read_bytes() for p in (site / "content/en").iterdir()} == sources
