"""Hostile sites that try to make extrans write, delete or read outside the site: symlinks,
FIFOs and folders where extrans keeps its own files; symlinked folders and doctored record
entries for ``--prune``; catalogs and localized pages that lead out; overlapping content
folders. Each case gets its one line (exit 2), and the file outside the site it aims at (the
victim) still exists with its bytes; where the rest of the site can be processed, it is."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.errors import ExtransError
from extrans.plumbing.fsio import open_inside

from .conftest import tree, two_page_site
from .test_hostile_files import run_unprivileged

Run = Callable[..., tuple[int, str, str]]
Setup = Callable[[Path, Path], None]

SECRET = b"https://bot:ghp_16C7e42F292c6912E7710c838347Ae178B4a\n"
"""What the victim holds: a line no message may quote whole."""
SAW_PO = "locale/es/exercise-saw.po"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site of two pages (the Saw, and the home page: the rest of the site)."""
    return two_page_site(tmp_path / "site")


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
        assert "in 3 catalogs checked" in out  # (with the menus' and the Saw's tag's)
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


def _hard_link(name: str) -> Setup:
    """``name``, a second name of the victim: writing it would write the victim."""

    def setup(site: Path, victim: Path) -> None:
        (site / ".extrans-cache").mkdir(exist_ok=True)
        os.link(victim, site / name)

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
SYMLINKED_FOLDER = (
    "is a symlink to a folder, which extrans does not follow; its pages are left out "
    "(move them into a real folder here, or remove the symlink)"
)
FOLDER_OUT = (
    "is a symlink to a folder outside the site; refusing it (make it a folder inside the site)"
)

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
    "extract cache a FIFO": (
        "extract", _make(".extrans-cache/extract.json", os.mkfifo),
        f".extrans-cache/extract.json: error: is a FIFO, {NOT_A_FILE}",
    ),
    "build cache a FIFO": (
        "build", _make(".extrans-cache/build.json", os.mkfifo),
        f".extrans-cache/build.json: error: is a FIFO, {NOT_A_FILE}",
    ),
    "lock hard-linked to a file outside": (
        "extract", _hard_link(LOCK), f"{LOCK}: error: is a file with 2 hard links, {NOT_A_FILE}",
    ),
    "extract cache hard-linked to a file outside": (
        "extract", _hard_link(".extrans-cache/extract.json"),
        f".extrans-cache/extract.json: error: is a file with 2 hard links, {NOT_A_FILE}",
    ),
}  # fmt: skip


STATUS_CACHE = ".extrans-cache/status.json"
STATUS_FILES: dict[str, tuple[Setup, str]] = {
    "symlinked to a file outside": (_link(STATUS_CACHE, lambda s, v: v), f"{STATUS_CACHE}: error: {OUT}"),
    "a FIFO": (_make(STATUS_CACHE, os.mkfifo), f"{STATUS_CACHE}: error: is a FIFO, {NOT_A_FILE}"),
    "hard-linked to a file outside": (
        _hard_link(STATUS_CACHE), f"{STATUS_CACHE}: error: is a file with 2 hard links, {NOT_A_FILE}",
    ),
    "in a cache folder symlinked outside": (
        _link(".extrans-cache", _outside_folder), f".extrans-cache: error: is a symlink, {NOT_A_FOLDER}",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(STATUS_FILES))
def test_status_reads_and_writes_nothing_through_its_cache(
    site: Path, victim: Path, extrans: Run, case: str
) -> None:
    """status keeps its cache only in a real cache folder, and refuses one of its files that
    is not a plain file of its own, as extract and build do theirs (with no report)."""
    setup, expected = STATUS_FILES[case]
    setup(site, victim)
    outside = sorted(victim.parent.rglob("*"))
    code, out, err = extrans(site, "status")
    assert (code, error_lines(err), out) == (2, [expected], "")
    assert_untouched(victim)
    assert sorted(victim.parent.rglob("*")) == outside


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


@pytest.mark.parametrize("folder", [".extrans-cache", "locale"])
def test_a_gitignore_that_is_a_symlink_is_left_alone(
    site: Path, victim: Path, extrans: Run, folder: str
) -> None:
    """extrans ignores its cache folder in git, and Poedit's compiled catalogs (``*.mo``) in
    the locale folder, only where no ``.gitignore`` is there already."""
    (site / folder).mkdir()
    (site / folder / ".gitignore").symlink_to(victim.parent / "made.txt")
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


def test_a_journal_is_not_written_through_a_hard_link(site: Path, victim: Path) -> None:
    journal = site / ".extrans-cache" / f"built-pages.{os.getpid()}.journal"
    journal.parent.mkdir()
    os.link(victim, journal)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    with pytest.raises(ExtransError) as raised:
        open_inside(journal, flags, root=site)
    expected = f"{journal.relative_to(site)}: is a file with 2 hard links, {NOT_A_FILE}"
    assert str(raised.value) == expected
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
    stray = elsewhere / ".saw.md.extrans-0123abcd.tmp"  # named as extrans names its temporaries
    stray.write_bytes(SECRET)
    (site / "content/es").symlink_to(elsewhere)
    for command in ("extract", "build"):  # a first run: clears strays
        code, _, err = extrans(site, command)
        assert code == 2
        assert error_lines(err) == [f"content/es: error: {FOLDER_OUT}"]
    assert [p.name for p in elsewhere.iterdir()] == [stray.name]
    assert stray.read_bytes() == SECRET


USERS_TEMPORARIES = (
    "content/es/.notes.20240101.tmp",
    "content/es/.saw.md.0123abcd.tmp",
    "locale/es/.exercise-saw.po.swp.tmp",
    "locale/.backup.extrans.tmp",
)
"""Hidden files a user (or an editor) made, named much as a temporary file is."""


def test_a_users_file_named_like_a_temporary_is_never_deleted(site: Path, extrans: Run) -> None:
    for name in USERS_TEMPORARIES:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(SECRET)
    strays = [
        "content/es/.saw.md.extrans-0123abcd.tmp",
        "locale/es/.home.po.extrans-89abcdef.tmp",
        ".extrans-cache/..gitignore.extrans-3c632a1c.tmp",
        ".extrans-cache/.extract.json.extrans-00ff00ff.tmp",
    ]
    (site / LOCK).parent.mkdir()
    for name in strays:  # what a killed run leaves
        (site / name).write_bytes(b"half a file")
    (site / LOCK).write_text("pid 1\n", encoding="utf-8")  # as a killed run leaves it
    for command in ("extract", "build"):
        code, _, err = extrans(site, *_args(command))
        assert (code, err) == (0, ""), command
    for name in USERS_TEMPORARIES:
        assert (site / name).read_bytes() == SECRET, name
    assert not [name for name in strays if os.path.lexists(site / name)]


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


CONFIGURATIONS = {
    "hugo.toml": ("hugo.toml", f"hugo.toml: error: {OUT}"),
    "extrans.toml": ("extrans.toml", f"extrans.toml: error: {OUT}"),
    "config/_default a symlinked folder": (
        "config/_default",
        "config/_default/languages.toml: error: is in a folder that a symlink leads outside "
        "the site; refusing it",
    ),
}


@pytest.mark.parametrize("case", sorted(CONFIGURATIONS))
@pytest.mark.parametrize("command", ["extract", "status"])
def test_a_configuration_file_symlinked_outside_is_refused_unread(
    site: Path, tmp_path: Path, extrans: Run, case: str, command: str
) -> None:
    """A configuration outside the site was read and used: its title went into every
    catalog's header, and a message named its keys."""
    name, expected = CONFIGURATIONS[case]
    outside = tmp_path / "outside"
    outside.mkdir()
    if name == "config/_default":
        (outside / "languages.toml").write_text(
            '[en]\n[es]\ntitle = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"\n', "utf-8"
        )
        (site / "config").mkdir()
        (site / name).symlink_to(outside)
    else:
        (outside / name).write_text(
            (site / name).read_text(encoding="utf-8") + '\nghp_token = "ghp_16C7e42F"\n', "utf-8"
        )
        (site / name).unlink()
        (site / name).symlink_to(outside / name)
    code, out, err = extrans(site, *_args(command))
    assert (code, error_lines(err)) == (2, [expected])
    assert "ghp_" not in out + err
    assert not (site / "locale").exists()


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
    assert "in 4 catalogs checked: 0 errors" in out  # (with the menus' and the Saw's tag's)


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
        "1: error: cannot parse this line: '#| https://bot:ghp_16C7e42F292c6912E7710'…",
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
ABSOLUTE = "the content folder of 'es' must be a folder inside the site, relative to it (got '{}'…)"
TOP_ABSOLUTE = "'contentDir' must be a folder inside the site, relative to it (got '{}'…)"
"""(A message quotes 40 characters of a file at most: the path is longer.)"""
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
    "absolute, top-level, in hugo.toml": (
        "hugo.toml", 'title = "x"\ncontentDir = "{}"\n' + HUGO.format(es="content/es"), "2",
        TOP_ABSOLUTE,
    ),
    "absolute, top-level, in hugo.yaml": (
        "hugo.yaml", "title: x\ncontentDir: {}\nlanguages:\n  en:\n    weight: 1\n  es:\n    weight: 2\n", "2",
        TOP_ABSOLUTE,
    ),
    "absolute, top-level, in config/_default/hugo.json": (
        "config/_default/hugo.json",
        '{\n  "title": "x",\n  "contentDir": "{}",\n  "languages": {"en": {"weight": 1}, "es": {"weight": 2}}\n}\n',
        "3", TOP_ABSOLUTE,
    ),
    "'..', top-level, in hugo.toml": (
        "hugo.toml", 'contentDir = "../content"\n[languages.en]\n[languages.es]\n', "1",
        "'contentDir' must be a folder inside the site, relative to it (got '../content')",
    ),
    "'..' inside the path, in hugo.yaml": (
        "hugo.yaml", "languages:\n  en:\n    weight: 1\n  es:\n    contentDir: content/es/../../..\n", "5",
        "the content folder of 'es' must be a folder inside the site, relative to it "
        "(got 'content/es/../../..')",
    ),
    "not a string, in hugo.toml": (
        "hugo.toml", HUGO.replace('"{es}"', '["content/es"]'), "5",
        "the content folder of 'es' must be a folder name, not ['content/es']",
    ),
    "not a string, and long, in hugo.toml": (
        "hugo.toml", HUGO.replace('"{es}"', f'["content/es/{"x" * 60}"]'), "5",
        f"the content folder of 'es' must be a folder name, not ['content/es/{'x' * 27}…",
    ),
    "absolute, in extrans.toml": (
        "extrans.toml", '[content-dirs]\nes = "{}"\n', "2", ABSOLUTE,
    ),
    "'..', in extrans.toml": (
        "extrans.toml", '[content-dirs]\nes = "content/../../es"\n', "2",
        "the content folder of 'es' must be a folder inside the site, relative to it "
        "(got 'content/../../es')",
    ),
    "locale-dir absolute, in extrans.toml": (
        "extrans.toml", 'locale-dir = "{}"\n', "1",
        "'locale-dir' must be a folder inside the site, relative to it (got '{}'…)",
    ),
    "the source folder through the top-level contentDir": (
        "hugo.toml", 'contentDir = "content/en"\n[languages.en]\n[languages.es]\n', "1", SAME,
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
        assert error_lines(err) == [f"{name}:{line}: error: {message.format(str(outside)[:40])}"]
    assert not outside.exists()
    assert {p.name: p.read_bytes() for p in (site / "content/en").iterdir()} == sources


APART_FROM_CONTENT = "each needs a folder of its own"
LOCALE_FOLDERS = {
    "the source folder": (
        "content/en",
        f"is the locale folder and the content folder of 'en' (content/en); {APART_FROM_CONTENT}",
    ),
    "inside the source folder": (
        "content/en/locale",
        "is the locale folder, inside the content folder of 'en' (content/en); "
        f"{APART_FROM_CONTENT}",
    ),
    "around the content folders": (
        "content",
        "is the locale folder, holding the content folder of 'en' (content/en); "
        f"{APART_FROM_CONTENT}",
    ),
    "the target folder": (
        "content/es",
        f"is the locale folder and the content folder of 'es' (content/es); {APART_FROM_CONTENT}",
    ),
    "extrans's cache": (
        ".extrans-cache",
        f"is the locale folder and extrans's cache folder (.extrans-cache); {APART_FROM_CONTENT}",
    ),
}


@pytest.mark.parametrize("case", sorted(LOCALE_FOLDERS))
def test_catalogs_never_go_into_a_content_folder(site: Path, extrans: Run, case: str) -> None:
    """``locale-dir`` in a content folder: extract wrote catalogs among the source pages (and
    in ``.extrans-cache``, which git ignores, translations nobody would commit)."""
    folder, problem = LOCALE_FOLDERS[case]
    config = site / "extrans.toml"
    config.write_text(f'locale-dir = "{folder}"\n' + config.read_text("utf-8"), "utf-8")
    sources = sorted(p.name for p in (site / "content/en").rglob("*"))
    for command in ("extract", "status"):
        code, _, err = extrans(site, command)
        assert (code, error_lines(err)) == (2, [f"{folder}: error: {problem}"])
    assert sorted(p.name for p in (site / "content/en").rglob("*")) == sources


def test_a_template_folder_symlinked_onto_the_sources_is_refused(site: Path, extrans: Run) -> None:
    (site / "locale").mkdir()
    (site / "locale/templates").symlink_to("../content/en")
    sources = sorted(p.name for p in (site / "content/en").iterdir())
    code, _, err = extrans(site, "extract")
    assert (code, error_lines(err)) == (
        2,
        [
            "locale/templates: error: is, through a symlink, the content folder of 'en' "
            f"(content/en); {APART_FROM_CONTENT}"
        ],
    )
    assert sorted(p.name for p in (site / "content/en").iterdir()) == sources


# --- Content folders that symlinks lead elsewhere -----------------------------------------


def _translated(site: Path) -> None:
    """Every entry of the Saw's Spanish catalog translated (as "ES: " and its source)."""
    path = site / SAW_PO
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if (
            line == 'msgstr ""'
            and lines[index - 1].startswith('msgid "')
            and lines[index - 1] != 'msgid ""'
        ):
            lines[index] = 'msgstr "ES: ' + lines[index - 1][len('msgid "') :]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_prune_through_a_target_folder_symlinked_outside_deletes_nothing(
    site: Path, tmp_path: Path, extrans: Run
) -> None:
    """The reviewer's case: ``content/es`` itself a symlink out, a record entry for a file
    there whose source page is gone."""
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    elsewhere = tmp_path / "elsewhere"
    (site / "content/es").rename(elsewhere)
    (site / "content/es").symlink_to(elsewhere)
    (site / "content/en/saw.md").unlink()
    before = tree(elsewhere)
    for arguments in (["build", "--prune"], ["build", "--prune", "--check"], ["status"]):
        code, out, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, [f"content/es: error: {FOLDER_OUT}"])
        assert "pruned" not in out
    assert tree(elsewhere) == before


def _linked_to(name: str, to: str) -> Callable[[Path], None]:
    def setup(site: Path) -> None:
        (site / to).mkdir(parents=True, exist_ok=True)
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).symlink_to(os.path.relpath(site / to, (site / name).parent))

    return setup


def _sources_moved(to: str, es: str) -> Callable[[Path], None]:
    """The source pages moved to ``to``; ``content/en`` and ``content/es`` symlinks there."""

    def setup(site: Path) -> None:
        (site / to).parent.mkdir(parents=True, exist_ok=True)
        (site / "content/en").rename(site / to)
        _linked_to("content/en", to)(site)
        _linked_to("content/es", es)(site)

    return setup


def _sources_into_the_target_folder(site: Path) -> None:
    (site / "content/es").mkdir()
    (site / "content/en").rename(site / "content/es/en")
    _linked_to("content/en", "content/es/en")(site)


APART_REAL = "; each language needs a folder of its own"
LINKED: dict[str, tuple[Callable[[Path], None], str]] = {
    "content/es a symlink to content/en": (
        _linked_to("content/es", "content/en"),
        f"content/es: error: is, through a symlink, the content folder of 'en' (content/en){APART_REAL}",
    ),
    "content/es a symlink to a folder inside content/en": (
        _linked_to("content/es", "content/en/guide"),
        "content/es: error: leads, through a symlink, into the content folder of 'en' "
        f"(content/en){APART_REAL}",
    ),
    "content/es a symlink to content": (
        _linked_to("content/es", "content"),
        f"content/es: error: holds, through a symlink, the content folder of 'en' (content/en){APART_REAL}",
    ),
    "content/es a symlink to the site": (
        _linked_to("content/es", "."),
        f"content/es: error: holds, through a symlink, the content folder of 'en' (content/en){APART_REAL}",
    ),
    "content/en a symlink to a folder inside content/es": (
        _sources_into_the_target_folder,
        "content/en: error: leads, through a symlink, into the content folder of 'es' "
        f"(content/es){APART_REAL}",
    ),
    "both symlinks to one folder": (
        _sources_moved("pages", "pages"),
        f"content/es: error: is, through a symlink, the content folder of 'en' (content/en){APART_REAL}",
    ),
    "both symlinks, one folder inside the other": (
        _sources_moved("pages", "pages/es"),
        "content/es: error: leads, through a symlink, into the content folder of 'en' "
        f"(content/en){APART_REAL}",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(LINKED))
def test_content_folders_are_apart_on_their_real_paths(site: Path, extrans: Run, case: str) -> None:
    """A target folder that a symlink makes the source folder (or one inside the other):
    build would write Spanish over the English pages, extract read translations as sources."""
    setup, expected = LINKED[case]
    assert extrans(site, "extract")[0] == 0
    _translated(site)
    setup(site)
    sources = tree(site / "content")
    for arguments in (
        ["extract"], ["build", "--force", "--threshold", "0"], ["build", "--prune"], ["status"],
        ["check"],
    ):  # fmt: skip
        code, _, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, [expected])
    assert tree(site / "content") == sources


def test_symlinks_that_stay_apart_inside_the_site_are_followed(site: Path, extrans: Run) -> None:
    """Content folders that are symlinks to folders of their own inside the site."""
    _sources_moved("pages/en", "pages/es")(site)
    assert extrans(site, "extract")[0] == 0
    _translated(site)
    code, out, err = extrans(site, "build", "--threshold", "0")
    assert (code, err) == (0, "")
    assert "es: 2 written" in out
    assert (site / "pages/es/saw.md").read_text(encoding="utf-8").count("ES: ") > 3


def _sources_moved_out(site: Path, out: Path) -> None:
    shutil.rmtree(site / "content/en")
    (site / "content/en").symlink_to(out)


def _content_moved_out(site: Path, out: Path) -> None:
    (site / "content").rename(out / "content")
    (site / "content").symlink_to(out / "content")


SOURCES_OUT: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "content/en a symlink outside": (
        _sources_moved_out,
        f"content/en: error: {FOLDER_OUT}",
    ),
    "content a symlink outside": (
        _content_moved_out,
        "content/en: error: is in a folder that a symlink leads outside the site; refusing it "
        "(make it a folder inside the site)",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(SOURCES_OUT))
@pytest.mark.parametrize("command", READS)
def test_a_source_folder_that_leads_outside_is_refused_unread(
    site: Path, tmp_path: Path, extrans: Run, case: str, command: str
) -> None:
    setup, expected = SOURCES_OUT[case]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_bytes(b"---\ntitle: " + SECRET)
    setup(site, outside)
    code, out, err = extrans(site, *_args(command))
    assert (code, error_lines(err)) == (2, [expected])
    assert "ghp_" not in out + err
    assert not (site / "locale").exists() and not (site / ".extrans-cache").exists()


def test_a_symlinked_folder_inside_the_source_folder_is_reported_not_followed(
    site: Path, tmp_path: Path, extrans: Run
) -> None:
    """Inside the site or out, a symlinked folder in ``content/en`` is not followed: its
    pages are left out, and it is named, so nobody takes them for translated."""
    shared = site / "shared"
    shared.mkdir()
    shutil.copy(site / "content/en/saw.md", shared / "also.md")
    (site / "content/en/shared").symlink_to("../../shared")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.md").write_bytes(b"---\ntitle: " + SECRET)
    (site / "content/en/deep").mkdir()
    (site / "content/en/deep/out").symlink_to(elsewhere)
    expected = [  # (in the order of the walk: each folder before those inside it)
        f"content/en/shared: error: {SYMLINKED_FOLDER}",
        f"content/en/deep/out: error: {SYMLINKED_FOLDER}",
    ]
    for command in ("extract", "build", "status"):
        code, out, err = extrans(site, *_args(command))
        assert (code, error_lines(err)) == (2, expected)
        assert "ghp_" not in out + err
        assert_rest_processed(site, command, out)
    assert sorted(p.name for p in (site / "locale/es").iterdir()) == [
        "exercise-saw.po",
        "home.po",
        "menus.po",  # (the example's menus)
        "taxonomies.po",  # (the Saw's tag)
    ]
    assert not (site / "content/es/shared").exists()


# --- Source folders read in part ----------------------------------------------------------


def _built_with_a_guide(site: Path, extrans: Run) -> dict[str, bytes]:
    """The site with a page in ``content/en/guide/``, extracted and built: the built pages."""
    (site / "content/en/guide").mkdir()
    page = (site / "content/en/saw.md").read_text(encoding="utf-8")
    (site / "content/en/guide/intro.md").write_text(
        page.replace('"exercise-saw"', '"guide-intro"'), encoding="utf-8"
    )
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    return tree(site / "content/es")


NOT_PRUNED = "its source page may be in a folder that could not be read: not pruned"
MISSING = (
    "content/en: error: the content folder of 'en' does not exist; create it, or set its contentDir"
)


@pytest.mark.parametrize("how", ["removed", "a file in its place"])
def test_a_missing_source_folder_is_an_error_and_prunes_nothing(
    site: Path, extrans: Run, how: str
) -> None:
    built = _built_with_a_guide(site, extrans)
    shutil.rmtree(site / "content/en")
    expected = MISSING
    if how == "a file in its place":
        (site / "content/en").write_bytes(b"not a folder\n")
        expected = (
            "content/en: error: cannot read the folder: a part of its path is a file where a "
            "folder should be; move that file out of the way"
        )
    for arguments in (["extract"], ["build", "--prune"], ["status"]):
        code, out, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, [expected])
        assert not re.search(r"\d pruned", out)
    _, out, _ = extrans(site, "build", "--prune")
    assert f"  content/es/guide/intro.md: left alone: {NOT_PRUNED}" in out.splitlines()
    assert tree(site / "content/es") == built


@pytest.mark.parametrize("folder", ["content/en", "content/en/guide"])
def test_an_unreadable_source_folder_is_an_error_and_prunes_nothing(
    site: Path, extrans: Run, folder: str
) -> None:
    """Without permission to list it, a folder read as empty: every page built from it was
    pruned. Run with the permissions applying (root's override dropped)."""
    built = _built_with_a_guide(site, extrans)
    (site / folder).chmod(0o311)  # (a folder that can be gone through, not listed)
    try:
        rest = {
            "extract": "es: 2 pages",
            "build": "es: 0 written, 2 unchanged",
            "status": "of 2 pages",
        }
        for command in ("extract", "build", "status"):
            arguments = (
                ["build", "--prune", "--threshold", "0"] if command == "build" else [command]
            )
            code, out, err = run_unprivileged(site, *arguments)
            assert (code, error_lines(err)) == (
                2, [f"{folder}: error: cannot read the folder: permission denied; check its permissions"]
            )  # fmt: skip
            assert not re.search(r"\d pruned", out)
            if folder == "content/en/guide":  # (the rest of the site is processed)
                assert rest[command] in out
    finally:
        (site / folder).chmod(0o755)
    assert tree(site / "content/es") == built


# --- The Hugo configuration, read as Hugo reads it ----------------------------------------


def test_yaml_language_codes_are_read_with_yaml_1_2_booleans(site: Path, extrans: Run) -> None:
    """google/docsy-example's ``no:`` (Norwegian): YAML 1.1 reads it as false, Hugo (YAML
    1.2) as the code; a key of the language's options that YAML reads as a number is no
    crash."""
    (site / "hugo.toml").unlink()
    (site / "extrans.toml").unlink()
    (site / "hugo.yaml").write_text(
        "defaultContentLanguage: en\nenableGitInfo: yes\nlanguages:\n  en:\n    weight: 1\n"
        "  no:\n    contentDir: content/no\n    1: one\n",
        encoding="utf-8",
    )
    code, out, err = extrans(site, "extract")
    assert (code, err) == (0, "")
    assert "no: 2 pages and 1 site file, 16 new" in out  # (the Saw's tag)
    assert sorted(p.name for p in (site / "locale").iterdir()) == [".gitignore", "no", "templates"]


@pytest.mark.parametrize(
    ("text", "line", "code"),
    [
        ("languages:\n  en:\n    weight: 1\n  3:\n    weight: 2\n", 4, "3"),
        ("languages:\n  en:\n    weight: 1\n  off:\n    weight: 2\n", 4, "off"),
        ("languages:\n  en:\n    weight: 1\n  2026-01-01:\n    weight: 2\n", 4, "2026-01-01"),
        ("defaultContentLanguage: 1.5\nlanguages:\n  es:\n    weight: 2\n", 1, "1.5"),
    ],
)
def test_a_language_key_that_is_no_code_is_refused_at_its_line(
    site: Path, extrans: Run, text: str, line: int, code: str
) -> None:
    (site / "hugo.toml").unlink()
    (site / "extrans.toml").unlink()
    (site / "hugo.yaml").write_text(text, encoding="utf-8")
    key = "source-language" if line == 1 else "target-languages"
    for command in ("extract", "status"):
        assert extrans(site, command)[::2] == (
            2,
            f"hugo.yaml:{line}: error: unknown language code {code!r} in the Hugo configuration "
            f"(use a code like 'es' or 'pt-br', or set '{key}' in extrans.toml)\n",
        )
    assert not (site / "locale").exists()


@pytest.mark.parametrize("to", ["content/en/moves", "content/fr/moves", "shared"])
def test_build_never_writes_through_a_symlinked_folder_inside_the_target_folder(
    site: Path, extrans: Run, to: str
) -> None:
    """``content/es/moves`` a symlink to the source pages' folder (or anywhere else in the
    site): build would write Spanish over the English page through it."""
    (site / "content/en/moves").mkdir()
    (site / "content/en/saw.md").rename(site / "content/en/moves/saw.md")
    assert extrans(site, "extract")[0] == 0
    _translated(site)
    (site / to).mkdir(parents=True, exist_ok=True)
    (site / "content/es").mkdir()
    (site / "content/es/moves").symlink_to(os.path.relpath(site / to, site / "content/es"))
    before = tree(site / to)
    for extra in ([], ["--force"]):
        code, out, err = extrans(site, "build", "--threshold", "0", *extra)
        assert (code, error_lines(err)) == (
            2,
            [
                "content/es/moves/saw.md: error: refusing to write outside content/es/ (a symlink "
                "leads out of it); make the folders in it real ones"
            ],
        )
        assert_rest_processed(site, "build", out)
    assert tree(site / to) == before


def _catalogs_of_fr(site: Path) -> None:
    """A third language, French, extracted."""
    with (site / "hugo.toml").open("a", encoding="utf-8") as hugo:
        hugo.write('\n[languages.fr]\ncontentDir = "content/fr"\n')


CATALOG_FOLDERS: dict[str, tuple[str, str, str]] = {
    "locale/es a symlink to locale/fr": (
        "locale/es", "fr",
        f"locale/es: error: is, through a symlink, the catalog folder of 'fr' (locale/fr){APART_REAL}",
    ),
    "locale/fr a symlink to a folder in locale/es": (
        "locale/fr", "es/fr",
        "locale/fr: error: leads, through a symlink, into the catalog folder of 'es' "
        f"(locale/es){APART_REAL}",
    ),
    "locale/es a symlink to locale/templates": (
        "locale/es", "templates",
        "locale/es: error: is, through a symlink, the template folder (locale/templates)"
        f"{APART_REAL}",
    ),
    "locale/templates a symlink to locale/es": (
        "locale/templates", "es",
        "locale/templates: error: is, through a symlink, the catalog folder of 'es' (locale/es)"
        f"{APART_REAL}",
    ),
    "locale/es a symlink outside": ("locale/es", "", f"locale/es: error: {FOLDER_OUT}"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CATALOG_FOLDERS))
def test_catalog_folders_are_apart_on_their_real_paths(
    site: Path, tmp_path: Path, extrans: Run, case: str
) -> None:
    """French catalogs that a symlinked ``locale/es`` makes the Spanish ones: build would
    write French into the Spanish pages, extract merge one language into the other."""
    name, to, expected = CATALOG_FOLDERS[case]
    _catalogs_of_fr(site)
    assert extrans(site, "extract")[0] == 0
    _translated(site)
    target = site / "locale" / to if to else tmp_path / "elsewhere"
    target.mkdir(exist_ok=True)
    shutil.rmtree(site / name)
    (site / name).symlink_to(os.path.relpath(target, (site / name).parent))
    catalogs = tree(site / "locale")
    for arguments in (["extract"], ["build", "--threshold", "0"], ["status"], ["check"]):
        code, _, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, [expected])
    assert tree(site / "locale") == catalogs
    assert not (site / "content/es").exists()


MERGED: dict[str, tuple[str, str, str]] = {
    "config/_default/languages.toml, beside hugo.toml's languages": (
        "config/_default/languages.toml", '[es]\ncontentDir = "{}"\n', f"2: error: {ABSOLUTE}",
    ),
    "config/_default/hugo.toml, top-level, beside hugo.toml": (
        "config/_default/hugo.toml", 'title = "x"\ncontentDir = "{}"\n', f"2: error: {TOP_ABSOLUTE}",
    ),
    "config/_default/hugo.yaml, under languages, beside hugo.toml": (
        "config/_default/hugo.yaml", "languages:\n  es:\n    contentDir: {}\n",
        f"3: error: {ABSOLUTE}",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(MERGED))
def test_every_hugo_configuration_file_is_checked(
    site: Path, tmp_path: Path, extrans: Run, case: str
) -> None:
    """Hugo merges ``config/_default/`` into the site's own file: a folder set there counts
    (and was once not read at all when the site had a ``hugo.toml``)."""
    name, text, expected = MERGED[case]
    outside = tmp_path / "outside"
    (site / name).parent.mkdir(parents=True)
    (site / name).write_text(text.replace("{}", str(outside)), encoding="utf-8")
    for command in (["extract"], ["build", "--force", "--threshold", "0"], ["status"]):
        code, _, err = extrans(site, *command)
        assert (code, error_lines(err)) == (2, [f"{name}:{expected.format(str(outside)[:40])}"])
    assert not outside.exists() and not (site / "locale").exists()


@pytest.mark.parametrize("to", ["locale/fr/moves", "locale/templates/moves", "content/en"])
def test_catalogs_are_never_read_or_written_through_a_symlinked_folder_in_their_own(
    site: Path, extrans: Run, to: str
) -> None:
    """``locale/es/moves`` a symlink to the French catalogs' folder (or anywhere else in the
    site): extract would merge Spanish into the French catalog, build put French in the
    Spanish page."""
    _catalogs_of_fr(site)
    page = site / "content/en/saw.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace('"exercise-saw"', '"moves/saw"'), "utf-8"
    )
    assert extrans(site, "extract")[0] == 0
    shutil.rmtree(site / "locale/es/moves")
    (site / to).mkdir(parents=True, exist_ok=True)
    (site / "locale/es/moves").symlink_to(os.path.relpath(site / to, site / "locale/es"))
    before = tree(site / to)
    leads_out = "outside locale/es/ (a symlink leads out of it); make the folders in it real ones"
    for command, verb in (("extract", "write"), ("build", "read")):
        code, out, err = extrans(site, *_args(command))
        assert (code, error_lines(err)) == (
            2, [f"locale/es/moves/saw.po: error: refusing to {verb} {leads_out}"]
        )  # fmt: skip
        assert_rest_processed(site, command, out)
    assert tree(site / to) == before
    assert not (site / "content/es/saw.md").exists()
    assert (site / "content/fr/saw.md").is_file()
