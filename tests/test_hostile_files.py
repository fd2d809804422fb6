"""Hostile files, table-driven: a catalog or page that is a folder, a FIFO or a socket, a
symlink loop, a file that cannot be read or written, a name the file system or UTF-8 refuses
or that holds control characters, a hand-made localized page that is not one, a full disk
(under extrans's own files too), a read-only checkout that CI checks. Each gets one
``path: error:`` line naming it from the site root, exit 2, and the rest of the site is still
processed (never exit 70, never a whole run lost, never a run that waits forever)."""

from __future__ import annotations

import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from .conftest import REPO
from .fixture_file import FIXTURES

Run = Callable[..., tuple[int, str, str]]
HOSTILE = FIXTURES / "hostile"
COMMANDS = {
    "extract": ("extract",),
    "build": ("build", "--threshold", "0"),
    "status": ("status",),
    "check": ("check",),
}
FOLDER = "is a folder where a file should be; move the folder out of the way"
IN_THE_WAY = "a part of its path is a file where a folder should be; move that file out of the way"
FIFO = "is a FIFO where a file should be; move it out of the way"
LOOP = "is a symlink loop (or too many symlinks in a row); fix or remove the symlink"
DENIED = "permission denied; check the permissions of the file and of its folder"
SAFE_KEY = "it must be a safe relative file name (letters, digits, '-', '_', '/')"
LONG_NUMBER = "a number of 5000 digits, longer than any Hugo reads; shorten it or quote it"
SURROGATE = "'\\ud800' is half of a surrogate pair, not a character; write the character itself"
LONG_KEY = "k" * 252
LONG_NAME = "a" * 252


@dataclass(frozen=True, slots=True)
class Case:
    """A bad file made in a fresh site, and the one error line each command must give
    (``None``: the command does not read it, and succeeds)."""

    make: Callable[[Path], None]
    errors: dict[str, str | None] = field(default_factory=dict)


def _folder(relative: str) -> Callable[[Path], None]:
    return lambda site: (site / relative).mkdir(parents=True)


def _file(relative: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(b"")

    return make


def _loop(relative: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).symlink_to(Path(relative).name)

    return make


def _fifo(relative: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).unlink(missing_ok=True)
        os.mkfifo(site / relative)

    return make


def _socket(relative: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        with socket.socket(socket.AF_UNIX) as bound:
            bound.bind(os.fspath(site / relative))

    return make


def _copy(fixture: str, relative: str) -> Callable[[Path], None]:
    def make(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(HOSTILE / "pages" / fixture, site / relative)

    return make


def _intro_key(key: str) -> Callable[[Path], None]:
    return lambda site: _write_intro(site, f"translationKey: {key}\n")


def _long_page_name(site: Path) -> None:
    (site / f"content/en/{LONG_NAME}.md").write_text("---\ntitle: Long\n---\n", encoding="utf-8")


def _non_utf8_page_name(site: Path) -> None:
    name = os.fsencode(site / "content/en") + b"/caf\xe9.md"
    try:
        with open(name, "wb") as page:
            page.write(b"---\ntitle: Cafe\n---\n")
    except OSError as err:  # (a file system that keeps names in Unicode: APFS, NTFS)
        pytest.skip(f"this file system refuses a name that is not UTF-8: {err}")


def _both(message: str) -> dict[str, str | None]:
    """What extract and build say about a catalog both read, and what status and check say
    on reading it."""
    path, _, problem = message.partition(": error: ")
    return {
        "extract": message,
        "build": message,
        "status": f"{path}: error: cannot read: {problem}",
        "check": f"{path}: error: cannot read: {problem}",
    }


def _orphan(message: str) -> dict[str, str | None]:
    """What status and check, which look at every catalog of a language, say about one that
    no page has (extract and build never look at it)."""
    return {"status": message, "check": message}


def _built(message: str) -> dict[str, str | None]:
    """What build says about a localized page, and what status says on reading it."""
    path, _, problem = message.partition(": error: ")
    return {
        "extract": None,
        "build": message,
        "status": f"{path}: error: cannot read: {problem}",
        "check": None,
    }


def _every(message: str) -> dict[str, str | None]:
    return {"extract": message, "build": message, "status": message, "check": None}


CASES = {
    "catalog-is-a-folder": Case(
        _folder("locale/es/exercise-saw.po"), _both(f"locale/es/exercise-saw.po: error: {FOLDER}")
    ),
    "catalog-is-a-fifo": Case(
        _fifo("locale/es/exercise-saw.po"), _both(f"locale/es/exercise-saw.po: error: {FIFO}")
    ),
    "orphan-catalog-is-a-folder": Case(
        _folder("locale/es/gone.po"), _orphan(f"locale/es/gone.po: error: cannot read: {FOLDER}")
    ),
    "orphan-catalog-is-a-fifo": Case(
        _fifo("locale/es/gone.po"), _orphan(f"locale/es/gone.po: error: cannot read: {FIFO}")
    ),
    "orphan-catalog-symlink-loop": Case(
        _loop("locale/es/gone.po"), _orphan(f"locale/es/gone.po: error: cannot read: {LOOP}")
    ),
    "page-is-a-fifo": Case(
        _fifo("content/en/pipe.md"), _every(f"content/en/pipe.md: error: cannot read: {FIFO}")
    ),
    "template-is-a-fifo": Case(
        _fifo("locale/templates/exercise-saw.pot"),
        {"extract": f"locale/templates/exercise-saw.pot: error: {FIFO}"},
    ),
    "localized-page-is-a-fifo": Case(
        _fifo("content/es/saw.md"), _built(f"content/es/saw.md: error: {FIFO}")
    ),
    "template-is-a-folder": Case(
        _folder("locale/templates/exercise-saw.pot"),
        {"extract": f"locale/templates/exercise-saw.pot: error: {FOLDER}"},
    ),
    "localized-page-is-a-folder": Case(
        _folder("content/es/saw.md"), _built(f"content/es/saw.md: error: {FOLDER}")
    ),
    "catalog-folder-is-a-file": Case(
        _file("locale/es/guide"),
        {
            "extract": f"locale/es/guide/intro.po: error: {IN_THE_WAY}",
            "build": f"locale/es/guide/intro.po: error: {IN_THE_WAY}",
        },
    ),
    "localized-folder-is-a-file": Case(
        _file("content/es/guide"), {"build": f"content/es/guide/intro.md: error: {IN_THE_WAY}"}
    ),
    "page-symlink-loop": Case(
        _loop("content/en/loop.md"), _every(f"content/en/loop.md: error: cannot read: {LOOP}")
    ),
    "catalog-symlink-loop": Case(
        _loop("locale/es/exercise-saw.po"), _both(f"locale/es/exercise-saw.po: error: {LOOP}")
    ),
    "localized-page-symlink-loop": Case(
        _loop("content/es/saw.md"), _built(f"content/es/saw.md: error: {LOOP}")
    ),
    "page-is-a-socket": Case(
        _socket("content/en/socket.md"),
        _every(
            "content/en/socket.md: error: cannot read: is a socket where a file should be; "
            "move it out of the way"
        ),
    ),
    "catalog-is-a-socket": Case(
        _socket("locale/es/exercise-saw.po"),
        _both(
            "locale/es/exercise-saw.po: error: is a socket where a file should be; move it out "
            "of the way"
        ),
    ),
    "page-name-not-utf8": Case(
        _non_utf8_page_name,
        _every("content/en/caf\\xe9.md: error: the file name is not UTF-8; rename the page"),
    ),
    "translation-key-too-long": Case(
        _intro_key(LONG_KEY),
        _every(
            f"content/en/guide/intro.md:3: error: translationKey '{LONG_KEY[:40]}'… makes a file name "
            f"longer than 255 bytes, which file systems refuse; {SAFE_KEY}"
        ),
    ),
    "derived-key-too-long": Case(
        _long_page_name,
        _every(
            f"content/en/{LONG_NAME}.md: error: the key derived from the page's path "
            f"'{LONG_NAME[:40]}'… makes a file name longer than 255 bytes, which file systems "
            "refuse; rename the page, or set its translationKey"
        ),
    ),
    "key-in-a-folder-named-like-a-catalog": Case(
        _intro_key("exercise-saw.po/intro"),
        _every(
            "content/en/guide/intro.md: error: translation key 'exercise-saw.po/intro' puts its "
            "catalogs in a folder named like the catalog of content/en/saw.md (key "
            "'exercise-saw'); give one of them another translationKey"
        ),
    ),
    "key-in-a-folder-named-like-a-template": Case(
        _intro_key("exercise-saw.pot/intro"),
        _every(
            "content/en/guide/intro.md: error: translation key 'exercise-saw.pot/intro' puts its "
            "catalogs in a folder named like the catalog of content/en/saw.md (key "
            "'exercise-saw'); give one of them another translationKey"
        ),
    ),
    "localized-page-not-utf8": Case(
        _copy("latin1.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:2: error: not UTF-8 (byte 0xe9); save the page as UTF-8 "
            "(or use --force to replace it)",
            "status": "content/es/saw.md:2: error: not UTF-8 (byte 0xe9); save the page as UTF-8",
        },
    ),
    "localized-page-yaml-unclosed-flow": Case(
        _copy("yaml-unclosed-flow.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:3: error: invalid YAML front matter: did not find "
            "expected ',' or ']' (or use --force to replace it)",
            "status": "content/es/saw.md:3: error: invalid YAML front matter: did not find "
            "expected ',' or ']'",
        },
    ),
    "localized-page-yaml-duplicate-key": Case(
        _copy("yaml-duplicate-key.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:3: error: duplicate key 'title' in the front matter "
            "(or use --force to replace it)",
            "status": "content/es/saw.md:3: error: duplicate key 'title' in the front matter",
        },
    ),
    "localized-page-yaml-not-mapping": Case(
        _copy("yaml-not-mapping.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:2: error: the YAML front matter is not a mapping "
            "(or use --force to replace it)",
            "status": "content/es/saw.md:2: error: the YAML front matter is not a mapping",
        },
    ),
    "localized-page-yaml-no-closing": Case(
        _copy("yaml-no-closing.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:1: error: the front matter opened here has no closing "
            "'---' line (or use --force to replace it)",
            "status": "content/es/saw.md:1: error: the front matter opened here has no closing "
            "'---' line",
        },
    ),
    "localized-page-json-missing-comma": Case(
        _copy("json-missing-comma.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:2: error: invalid JSON front matter: expected ',' or '}' "
            "(or use --force to replace it)",
            "status": "content/es/saw.md:2: error: invalid JSON front matter: expected ',' or '}'",
        },
    ),
    "localized-page-toml-long-integer": Case(
        _copy("toml-long-integer.md", "content/es/saw.md"),
        {
            "build": f"content/es/saw.md:3: error: invalid TOML front matter: {LONG_NUMBER} "
            "(or use --force to replace it)",
            "status": f"content/es/saw.md:3: error: invalid TOML front matter: {LONG_NUMBER}",
        },
    ),
    "localized-page-json-lone-surrogate": Case(
        _copy("json-lone-surrogate.md", "content/es/saw.md"),
        {
            "build": f"content/es/saw.md:2: error: invalid JSON front matter: {SURROGATE} "
            "(or use --force to replace it)",
            "status": f"content/es/saw.md:2: error: invalid JSON front matter: {SURROGATE}",
        },
    ),
    "localized-page-nul-byte": Case(
        _copy("nul-byte.md", "content/es/saw.md"),
        {
            "build": "content/es/saw.md:5: error: contains a NUL character; a text page has none "
            "(or use --force to replace it)",
            "status": "content/es/saw.md:5: error: contains a NUL character; a text page has none",
        },
    ),
}


def _write_intro(site: Path, extra: str = "") -> None:
    page = site / "content/en/guide/intro.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"---\ntitle: Intro\n{extra}---\n\nA short guide.\n", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Three good pages: the Saw (key exercise-saw), the home page (home) and a guide page in
    a folder (guide/intro)."""
    root = tmp_path / "site"
    (root / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copy(REPO / "content/en/exercises/saw.md", root / "content/en/saw.md")
    shutil.copy(REPO / "content/en/_index.md", root / "content/en/_index.md")
    _write_intro(root)
    return root


def error_lines(err: str) -> list[str]:
    assert "Traceback" not in err and "internal error" not in err, err
    return [line for line in err.splitlines() if ": error: " in line]


def assert_rest_processed(site: Path, command: str) -> None:
    """The home page, which no case touches, got what the command makes."""
    if command == "extract":
        assert (site / "locale/es/home.po").is_file()
        assert (site / "locale/templates/home.pot").is_file()
    elif command == "build":
        assert (site / "content/es/_index.md").is_file()


def run_commands(site: Path, run: Run, errors: dict[str, str | None]) -> None:
    for command, arguments in COMMANDS.items():
        code, _, err = run(site, *arguments)
        expected = errors.get(command)
        if expected is None:
            assert (code, error_lines(err)) == (0, []), command
        else:
            assert (code, error_lines(err)) == (2, [expected]), command
        assert_rest_processed(site, command)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_bad_file_is_one_line_and_the_rest_is_processed(
    site: Path, extrans: Run, name: str
) -> None:
    case = CASES[name]
    case.make(site)
    run_commands(site, extrans, case.errors)
    assert not list(site.rglob(".*.tmp"))


@pytest.mark.parametrize("name", ["extrans.toml", "hugo.toml"])
def test_a_configuration_file_that_is_a_fifo_stops_every_command(
    site: Path, extrans: Run, name: str
) -> None:
    """Read as a file, a FIFO would block the run; taken for no file, a site's settings would
    be silently replaced by the defaults."""
    (site / name).unlink()
    os.mkfifo(site / name)
    for arguments in COMMANDS.values():
        code, _, err = extrans(site, *arguments)
        assert code == 2
        assert error_lines(err) == [f"{name}: error: cannot read: {FIFO}"], arguments


def test_a_broken_yaml_configuration_is_one_line_quoting_none_of_it(
    site: Path, extrans: Run
) -> None:
    """PyYAML's own text of an error quotes lines of the file around it."""
    (site / "hugo.toml").unlink()
    (site / "hugo.yaml").write_text(
        "defaultContentLanguage: en\nlanguages:\n  en: {weight: 1\n"
        "  es: {weight: 2}  # token ghp_16C7e42F292c6912E7710c838347Ae178B4a\n",
        encoding="utf-8",
    )
    for arguments in COMMANDS.values():
        code, _, err = extrans(site, *arguments)
        assert code == 2
        assert err == "hugo.yaml:4: error: invalid YAML: expected ',' or '}', but got ':'\n"


LANGUAGES_YAML = "languages:\n  en: {weight: 1}\n  es: {weight: 2}\n"
BROKEN_CONFIGURATIONS = {
    "a TOML integer over Python's limit": (
        "extrans.toml",
        f"wrap-width = {'7' * 5000}\n",
        "extrans.toml:1: error: invalid TOML: a number of 5000 digits, longer than any Hugo reads",
    ),
    "TOML nested past Python's stack": (
        "extrans.toml",
        "fields = " + "[" * 100_000 + "\n",
        "extrans.toml: error: invalid TOML: nested too deep to read",
    ),
    "a YAML integer over Python's limit": (
        "hugo.yaml",
        f"{LANGUAGES_YAML}timeout: {'7' * 5000}\n",
        "hugo.yaml:4: error: invalid YAML: a number of 5000 digits, longer than any Hugo reads",
    ),
    "YAML nested past Python's stack": (
        "hugo.yaml",
        f"{LANGUAGES_YAML}params: {'[' * 1_200}\n",
        "hugo.yaml: error: invalid YAML: nested too deep to read",
    ),
    "half a surrogate pair in YAML": (
        "hugo.yaml",
        f'{LANGUAGES_YAML}title: "Half \\ud800 a pair"\n',
        "hugo.yaml:4: error: invalid YAML: '\\ud800' is half of a surrogate pair, not a "
        "character; write the character itself",
    ),
    "a JSON integer over Python's limit": (
        "hugo.json",
        '{"languages": {"en": {"weight": 1}, "es": {"weight": 2}},\n "timeout": '
        + "7" * 5000
        + "}\n",
        "hugo.json:2: error: invalid JSON: a number of 5000 digits, longer than any Hugo reads",
    ),
    "JSON nested past Python's stack": (
        "hugo.json",
        '{"languages": {"en": {"weight": 1}, "es": {"weight": 2}},\n "params": ' + "[" * 100_000,
        "hugo.json:2: error: invalid JSON: nested deeper than 64 levels",
    ),
    "half a surrogate pair in JSON": (
        "hugo.json",
        '{"languages": {"en": {"weight": 1},\n "es": {"weight": 2, "contentDir": "content/\\udc80"}}}\n',
        "hugo.json:2: error: invalid JSON: '\\udc80' is half of a surrogate pair, not a "
        "character; write the character itself",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CONFIGURATIONS))
def test_a_configuration_python_cannot_read_is_one_line(
    site: Path, extrans: Run, case: str
) -> None:
    """Python's readers fail on these with errors of their own (a ValueError, a
    RecursionError) or read a string no UTF-8 file can hold: never exit 70."""
    name, text, expected = BROKEN_CONFIGURATIONS[case]
    if name.startswith("hugo."):
        (site / "hugo.toml").unlink()
    (site / name).write_text(text, encoding="utf-8")
    for arguments in COMMANDS.values():
        code, _, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, [expected]), arguments


LONG = "k" * 100
LONG_KEYS = {
    "an unknown setting": (
        f'"{LONG}" = 1\n',
        f"extrans.toml:1: error: unknown setting '{LONG[:40]}'…",
    ),
    "an unknown check": (
        f'[checks]\n"{LONG}" = "off"\n',
        f"extrans.toml:2: error: unknown check 'checks.{LONG[:33]}'…",
    ),
    "a content folder's language": (
        f'[content-dirs]\n"{LONG}" = "/abs"\n',
        f"extrans.toml:2: error: the content folder of '{LONG[:40]}'… must be a folder inside "
        "the site, relative to it (got '/abs')",
    ),
    "a context's pattern": (
        f'[contexts]\n"{LONG}" = ""\n',
        f"extrans.toml:2: error: the context of '{LONG[:40]}'… must be a non-empty string",
    ),
    "a threshold's language": (
        f'[thresholds]\n"{LONG}" = 5\n',
        f"extrans.toml:2: error: 'thresholds.{LONG[:29]}'…: not a target language",
    ),
    "a Hugo language's content folder": (
        f'[languages.en]\n[languages.{LONG}]\ncontentDir = "/abs"\n',
        f"hugo.toml:3: error: the content folder of '{LONG[:40]}'… must be a folder inside the "
        "site, relative to it (got '/abs')",
    ),
}


@pytest.mark.parametrize("case", sorted(LONG_KEYS))
def test_a_long_key_of_a_configuration_is_quoted_in_part(
    site: Path, extrans: Run, case: str
) -> None:
    """A key of extrans.toml or of Hugo's configuration that a message names is quoted as any
    piece of a file is: 40 characters at most."""
    text, expected = LONG_KEYS[case]
    name = expected.split(":")[0]
    (site / name).write_text(text, encoding="utf-8")
    code, _, err = extrans(site, "status")
    assert (code, error_lines(err)) == (2, [expected])


@pytest.mark.parametrize("tool", ["tool = 1\n", "tool = [1]\n", '[tool]\nblack = "x"\n'])
def test_a_pyproject_whose_tool_table_is_not_one_holds_no_settings(
    site: Path, extrans: Run, tool: str
) -> None:
    """PEP 518's ``tool`` is a table: a ``pyproject.toml`` where it is not one, or which has
    no ``tool.extrans``, holds no extrans settings, as one without them (never exit 70)."""
    (site / "extrans.toml").unlink()
    (site / "pyproject.toml").write_text('[project]\nname = "pilates"\n', encoding="utf-8")
    without = {name: extrans(site, *arguments) for name, arguments in COMMANDS.items()}
    shutil.rmtree(site / "locale")
    shutil.rmtree(site / "content/es")
    (site / "pyproject.toml").write_text(f'{tool}[project]\nname = "pilates"\n', encoding="utf-8")
    for name, arguments in COMMANDS.items():
        assert extrans(site, *arguments) == without[name], name
    assert without["status"][0] == 0 and without["extract"] == (0, without["extract"][1], "")


TOOL_EXTRANS = (
    "[tool.extrans] must be a table, not {}; put extrans's settings under a [tool.extrans] line"
)
TOOL_EXTRANS_NOT_TABLES = {
    "a number in the tool table": ("[tool]\nextrans = 3\n", 2, "3"),
    "a string as a dotted key": ('tool.extrans = "yes"\n', 1, "'yes'"),
    "a list in an inline tool table": ("tool = { black = 1, extrans = [1, 2] }\n", 1, "[1, 2]"),
    "an array of tables": ('[[tool.extrans]]\nfields = ["title"]\n', 1, "[{'fields': ['title']}]"),
    "after another tool's table": (
        '[tool.black]\nline-length = 99\n\n[tool]\n# extrans:\nextrans = "on"\n',
        6,
        "'on'",
    ),
}


@pytest.mark.parametrize("case", sorted(TOOL_EXTRANS_NOT_TABLES))
def test_a_pyproject_whose_tool_extrans_is_not_a_table_is_one_line(
    site: Path, extrans: Run, case: str
) -> None:
    """Settings that are not a table are not silently taken for none: one line naming the
    line of ``extrans``, exit 2, for every command."""
    text, line, value = TOOL_EXTRANS_NOT_TABLES[case]
    (site / "extrans.toml").unlink()
    (site / "pyproject.toml").write_text(f'{text}[project]\nname = "pilates"\n', "utf-8")
    expected = f"pyproject.toml:{line}: error: {TOOL_EXTRANS.format(value)}"
    for arguments in COMMANDS.values():
        code, _, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, [expected]), arguments


@pytest.mark.parametrize(
    "name", ["latin1.md", "yaml-unclosed-flow.md", "json-missing-comma.md", "nul-byte.md"]
)
def test_force_replaces_a_page_edited_into_one_that_is_not_a_page(
    site: Path, extrans: Run, name: str
) -> None:
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    page = site / "content/es/saw.md"
    built = page.read_bytes()
    _copy(name, "content/es/saw.md")(site)  # edited by hand since extrans wrote it
    assert extrans(site, "build", "--threshold", "0")[0] == 2
    assert page.read_bytes() == (HOSTILE / "pages" / name).read_bytes()  # left as it is
    code, out, err = extrans(site, "build", "--threshold", "0", "--force")
    assert (code, err) == (0, "")
    assert out.startswith("es: 1 written, 2 unchanged, 0 below threshold, 0 left alone\n")
    assert page.read_bytes() == built
    assert extrans(site, "build", "--threshold", "0") == (
        0, "es: 0 written, 3 unchanged, 0 below threshold, 0 left alone\n"
        # (the example's menus and the Saw's tag: no catalog entry of theirs translated)
        "  site strings: 2 not written (extrans -v lists them)\n", ""
    )  # fmt: skip


def test_a_name_near_the_limit_is_written(site: Path, extrans: Run) -> None:
    """The file system allows the page's name (245 bytes) and its catalogs' names: so does
    extrans, temporary files included."""
    name = "b" * 245
    (site / f"content/en/{name}.md").write_text("---\ntitle: Long\n---\n", encoding="utf-8")
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    assert (site / f"locale/templates/{name}.pot").is_file()
    assert (site / f"locale/es/{name}.po").is_file()
    assert (site / f"content/es/{name}.md").is_file()


def test_a_cache_that_is_a_folder(site: Path, extrans: Run) -> None:
    (site / ".extrans-cache/extract.json").mkdir(parents=True)
    code, out, err = extrans(site, "extract")
    assert (code, error_lines(err)) == (2, [f".extrans-cache/extract.json: error: {FOLDER}"])
    assert "es: 3 pages and 2 site files, 36 new, 0 changed, 0 obsolete; 5 catalogs written" in out
    assert_rest_processed(site, "extract")
    assert (site / "locale/es/exercise-saw.po").is_file()


# --- file permissions and space: the command runs in a process of its own ----------------


def _command(site: Path, *arguments: str) -> list[str]:
    return [sys.executable, "-m", "extrans", "--site", str(site), *arguments]


def _environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "PYTHONDONTWRITEBYTECODE": "1"}


@cache
def _without_override() -> list[str] | None:
    """A prefix that runs a command with file permissions applying to it: none for a user,
    for root ``setpriv`` without the capabilities that override them; ``None`` if there is
    no way (then the test is skipped)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder, "probe")
        probe.write_bytes(b"")
        probe.chmod(0)
        done = subprocess.run([*prefix, "test", "-r", str(probe)], capture_output=True)
    return prefix if done.returncode == 1 else None


def run_unprivileged(site: Path, *arguments: str) -> tuple[int, str, str]:
    prefix = _without_override()
    if prefix is None:
        pytest.skip("running as root, and setpriv cannot drop the override of permissions")
    done = subprocess.run(
        [*prefix, *_command(site, *arguments)],
        capture_output=True,
        text=True,
        env=_environment(),
    )
    return done.returncode, done.stdout, done.stderr


@dataclass(frozen=True, slots=True)
class Denied:
    """A file or folder whose permissions are taken away once the site is extracted."""

    path: str
    mode: int
    errors: dict[str, str | None]
    first: Callable[[Path], None] = field(default=lambda site: None)


PERMISSION_CASES = {
    "page-unreadable": Denied(
        "content/en/saw.md", 0o000, _every(f"content/en/saw.md: error: cannot read: {DENIED}")
    ),
    "catalog-unreadable": Denied(
        "locale/es/exercise-saw.po",
        0o000,
        {
            "extract": f"locale/es/exercise-saw.po: error: {DENIED}",
            "build": f"locale/es/exercise-saw.po: error: {DENIED}",
            "status": f"locale/es/exercise-saw.po: error: cannot read: {DENIED}",
            "check": f"locale/es/exercise-saw.po: error: cannot read: {DENIED}",
        },
    ),
    "catalog-folder-read-only": Denied(
        "locale/es/guide",
        0o555,
        {"extract": f"locale/es/guide/intro.po: error: {DENIED}"},
        first=lambda site: (site / "locale/es/guide/intro.po").unlink(),
    ),
    "content-folder-read-only": Denied(
        "content/es/guide",
        0o555,
        {"build": f"content/es/guide/intro.md: error: {DENIED}"},
        first=lambda site: (site / "content/es/guide").mkdir(parents=True),
    ),
    "localized-page-unreadable": Denied(
        "content/es/saw.md",
        0o000,
        {
            "build": f"content/es/saw.md: error: {DENIED}",
            "status": f"content/es/saw.md: error: cannot read: {DENIED}",
        },
        first=lambda site: _copy("crlf.md", "content/es/saw.md")(site),
    ),
}


@pytest.mark.parametrize("name", sorted(PERMISSION_CASES))
def test_a_file_without_permissions(site: Path, extrans: Run, name: str) -> None:
    case = PERMISSION_CASES[name]
    assert extrans(site, "extract")[0] == 0
    case.first(site)
    target = site / case.path
    mode = target.stat().st_mode
    target.chmod(case.mode)
    try:
        run_commands(site, run_unprivileged, case.errors)
    finally:
        target.chmod(mode)
    assert not list(site.rglob(".*.tmp"))


def _snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file and folder under ``root`` (hidden ones too): its mode, modification time
    and bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        found[path.relative_to(root).as_posix()] = (info.st_mode, info.st_mtime_ns, data)
    return found


def _extracted_then_edited(site: Path) -> None:
    """Catalogs and pages built, then a source page changed; a killed run's lock and
    temporary file left behind."""
    for command in ("extract", "build"):
        assert (
            subprocess.run(_command(site, *COMMANDS[command]), env=_environment()).returncode == 0
        )
    _write_intro(site, "description: Now with a description\n")
    (site / ".extrans-cache/lock").write_text("pid 1\n", encoding="utf-8")
    (site / "content/es/.saw.md.extrans-0123abcd.tmp").write_bytes(b"half a page")


CHECKS = {
    "extract": ("extract", "--check"),
    "build": ("build", "--check", "--threshold", "0"),
    "status": ("status",),
    "check": ("check",),
}


@pytest.mark.parametrize("state", ["never-extracted", "extracted-then-edited"])
def test_a_check_writes_nothing_and_says_the_same_on_a_read_only_site(
    tmp_path: Path, site: Path, state: str
) -> None:
    """CI runs the checks on a read-only checkout: they give the answer they give on a
    writable one, and neither site changes by a byte, but for status's own cache, which it
    keeps only in a cache folder that extract or build made (a fresh checkout has none)."""
    if state == "extracted-then-edited":
        _extracted_then_edited(site)
    read_only = tmp_path / "read-only"
    shutil.copytree(site, read_only, symlinks=True)
    subprocess.run(["chmod", "-R", "a-w", str(read_only)], check=True)
    try:
        locked = _snapshot(read_only)
        for command, arguments in CHECKS.items():
            before = _snapshot(site)
            writable = run_unprivileged(site, *arguments)
            assert run_unprivileged(read_only, *arguments) == writable, command
            assert writable[0] in (0, 1) and "error" not in writable[2], (command, writable)
            after = _snapshot(site)
            changed = {
                name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
            }
            own_cache = {
                ".extrans-cache",
                ".extrans-cache/status.json",
                # (what the memory could fill, and the memory's cache, where extract left none)
                ".extrans-cache/status-memory.json",
                ".extrans-cache/memory.jsonl",
            }
            if command == "status" and state == "extracted-then-edited":
                assert changed == own_cache, command
            else:
                assert changed == set(), command
            assert _snapshot(read_only) == locked, command
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(read_only)], check=True)


def _big_intro(site: Path) -> None:
    """The guide page, with 3,000 paragraphs: its catalogs and built page are over 100 KB."""
    paragraphs = "".join(f"Paragraph {n} of a long guide.\n\n" for n in range(3000))
    (site / "content/en/guide/intro.md").write_text(
        f"---\ntitle: Intro\n---\n\n{paragraphs}", encoding="utf-8"
    )


def _file_size_limit(limit: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_file_size_limit(site: Path) -> None:
    """``ulimit -f``: writing the big page's files fails with EFBIG (Python ignores SIGXFSZ)."""
    _big_intro(site)
    limit = _file_size_limit(64 * 1024)
    expected = {
        "extract": "locale/templates/guide/intro.pot: error: too large for the file system or "
        "for the file size limit (ulimit -f); raise the limit, then run again",
        "build": "content/es/guide/intro.md: error: too large for the file system or for the "
        "file size limit (ulimit -f); raise the limit, then run again",
    }
    for command in ("extract", "build"):
        if command == "build":  # the catalogs it reads, written without the limit
            subprocess.run(_command(site, "extract"), env=_environment(), check=True)
        done = subprocess.run(
            _command(site, *COMMANDS[command]),
            capture_output=True,
            text=True,
            env=_environment(),
            preexec_fn=limit,
        )
        assert (done.returncode, error_lines(done.stderr)) == (2, [expected[command]])
        assert_rest_processed(site, command)
    assert (site / "locale/es/exercise-saw.po").is_file()
    assert (site / "content/es/saw.md").is_file()
    assert not list(site.rglob(".*.tmp"))


@cache
def _private_mounts() -> list[str] | None:
    """A prefix that runs a command in a mount namespace of its own (so that a small file
    system can be mounted for it alone), or ``None`` if there is none to be had."""
    prefix = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-rm"]
    if shutil.which("unshare") is None:
        return None
    probe = subprocess.run(
        [*prefix, "mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", "/tmp"], capture_output=True
    )
    return prefix if probe.returncode == 0 else None


@pytest.mark.parametrize(
    ("command", "full", "expected"),
    [
        ("extract", "locale/templates/guide", "locale/templates/guide/intro.pot"),
        ("build", "content/es/guide", "content/es/guide/intro.md"),
    ],
)
def test_a_full_disk(site: Path, extrans: Run, command: str, full: str, expected: str) -> None:
    """The big page's folder is a 64 KB file system of its own: writing its files there fails
    with ENOSPC; the other pages' files are elsewhere."""
    prefix = _private_mounts()
    if prefix is None:
        pytest.skip("no mount namespace to mount a small file system in (unshare)")
    _big_intro(site)
    if command == "build":
        assert extrans(site, "extract")[0] == 0
    (site / full).mkdir(parents=True, exist_ok=True)
    mount_and_run = 'mount -t tmpfs -o size=64k tmpfs "$0" && exec "$@"'
    done = subprocess.run(
        [*prefix, "sh", "-c", mount_and_run, site / full, *_command(site, *COMMANDS[command])],
        capture_output=True,
        text=True,
        env=_environment(),
    )
    message = f"{expected}: error: no space left on the device; free some space, then run again"
    assert (done.returncode, error_lines(done.stderr)) == (2, [message])
    assert_rest_processed(site, command)
    assert (
        site / ("locale/es/exercise-saw.po" if command == "extract" else "content/es/saw.md")
    ).is_file()


FULL_CACHE = {
    "lock": ("extract", "", ".extrans-cache/lock"),
    "build cache": ("build", "pid 1\\n", r".extrans-cache/build\.json"),
}


@pytest.mark.parametrize("name", sorted(FULL_CACHE))
def test_a_full_disk_under_extrans_own_files(site: Path, extrans: Run, name: str) -> None:
    """``.extrans-cache`` is a full 64 KB file system of its own: the lock or the build cache cannot
    be written, and the message names it from the site root (a failed write names no file)."""
    prefix = _private_mounts()
    if prefix is None:
        pytest.skip("no mount namespace to mount a small file system in (unshare)")
    command, lock, expected = FULL_CACHE[name]
    if command == "build":
        assert extrans(site, "extract")[0] == 0
    cache = site / ".extrans-cache"
    cache.mkdir(exist_ok=True)
    fill = (
        'mount -t tmpfs -o size=64k tmpfs "$0" && printf "*\\n" > "$0/.gitignore" && '
        'printf "$1" > "$0/lock" && { cat /dev/zero > "$0/filler"; shift; exec "$@"; }'
    )
    done = subprocess.run(
        [*prefix, "sh", "-c", fill, cache, lock, *_command(site, *COMMANDS[command])],
        capture_output=True,
        text=True,
        env=_environment(),
    )
    message = "error: no space left on the device; free some space, then run again"
    lines = error_lines(done.stderr)
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert re.fullmatch(f"{expected}: {message}", lines[0]), lines


CONTROL_NAMES = {
    "content/en/\x1b[2J\x1b[31mred.md": "red",
    "content/en/line\nfake.md: error: forged.md": "forged",
    "content/en/bidi\u202egnp.md": "bidi",
}
"""Pages whose names would clear a terminal, forge a line of output or reverse what follows;
each with a translationKey, so that every command works on it."""


def _raw_controls(text: str) -> list[str]:
    return [
        c for c in text if c != "\n" and (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e")
    ]


def test_a_file_name_with_control_characters_is_escaped_in_every_output(
    site: Path, extrans: Run
) -> None:
    for name, key in CONTROL_NAMES.items():
        (site / name).write_text(
            f"---\ntitle: Odd\ntranslationKey: {key}\n---\n\nAn odd name.\n", encoding="utf-8"
        )
    (site / "content/en/tab\there.md").write_text("---\ntitle: Tab\n---\n", encoding="utf-8")
    tab = (
        "content/en/tab\\there.md: error: the key derived from the page's path 'tab\\there' "
        'contains a control character or one of \\ : * ? " < > |; rename the page, or set '
        "its translationKey"
    )
    told = [_escaped_run(site, extrans, "extract", tab)]
    told.append(_escaped_run(site, extrans, "build", tab, "--threshold", "0"))
    for name in CONTROL_NAMES:  # edited by hand: "left alone" names them
        (site / name.replace("/en/", "/es/")).write_text("---\ntitle: Mine\n---\n", "utf-8")
    told.append(_escaped_run(site, extrans, "build", tab, "--threshold", "0"))
    (site / "content/en/\x1b[2J\x1b[31mred.md").unlink()  # "left alone": its source is gone
    runs = [
        ("build", "--threshold", "0", "--check"),
        ("status",),
        ("status", "--format", "markdown"),
        ("status", "--fail-under", "100"),
        ("check",),
        ("extract", "--check"),
    ]
    told += [_escaped_run(site, extrans, *arguments[:1], tab, *arguments[1:]) for arguments in runs]
    assert "  content/es/line\\nfake.md: error: forged.md: left alone: edited by hand" in told[2]
    assert "  content/es/\\x1b[2J\\x1b[31mred.md: left alone: its source page is gone" in told[3]
    assert "\n  content/en/bidi\\u202egnp.md " in told[4]
    assert "| `content/en/line\\nfake.md: error: forged.md` |" in told[5]


def _escaped_run(site: Path, extrans: Run, command: str, tab: str, *arguments: str) -> str:
    """Run a command: no control character in what it says, and the one error line of the
    page whose key is refused (``check`` reads catalogs only); its output."""
    code, out, err = extrans(site, command, *arguments)
    assert _raw_controls(out + err) == [], (command, arguments)
    if command != "check":
        assert (code, error_lines(err)) == (2, [tab]), (command, arguments)
    return out


def test_a_language_folder_without_permissions(site: Path, extrans: Run) -> None:
    """``locale/es`` that no one may list or enter: every command that reads a catalog says
    so, once per catalog it needed (check, which lists the folder, once for the folder), and
    exits 2; status and check passed over it in silence and exited 0."""
    assert extrans(site, "extract")[0] == 0
    folder = site / "locale/es"
    folder.chmod(0)
    catalogs = ["locale/es/exercise-saw.po", "locale/es/home.po", "locale/es/guide/intro.po"]
    catalogs += ["locale/es/menus.po", "locale/es/taxonomies.po"]  # (the menus, the Saw's tag)
    try:
        results = {
            command: run_unprivileged(site, *arguments) for command, arguments in COMMANDS.items()
        }
    finally:
        folder.chmod(0o755)
    expected = {
        "extract": [f"{path}: error: {DENIED}" for path in catalogs],
        "build": [f"{path}: error: {DENIED}" for path in catalogs],
        "status": [f"{path}: error: cannot read: {DENIED}" for path in catalogs],
        "check": [f"locale/es: error: cannot read: {DENIED}"],
    }
    for command, (code, _, err) in results.items():
        assert (code, sorted(error_lines(err))) == (2, sorted(expected[command])), command


def test_a_fifo_where_a_cached_run_left_a_file(site: Path, extrans: Run) -> None:
    """A FIFO put where the last run left a catalog and a built page: the cache's look at them
    (by content hash) waited forever for a writer, as every read did. (Build stops at the
    catalog, the page's first error; status reads both.)"""
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    _fifo("locale/es/exercise-saw.po")(site)
    _fifo("content/es/saw.md")(site)
    catalog = f"locale/es/exercise-saw.po: error: {FIFO}"
    expected = {
        "extract": [catalog],
        "build": [catalog],
        "status": [f"locale/es/exercise-saw.po: error: cannot read: {FIFO}",
                   f"content/es/saw.md: error: cannot read: {FIFO}"],
        "check": [f"locale/es/exercise-saw.po: error: cannot read: {FIFO}"],
    }  # fmt: skip
    for command, arguments in COMMANDS.items():
        code, _, err = extrans(site, *arguments)
        assert (code, error_lines(err)) == (2, expected[command]), command
        assert_rest_processed(site, command)


def test_a_language_folder_that_is_a_fifo(site: Path, extrans: Run) -> None:
    """``locale/es`` a FIFO: extract and build say so of each catalog they would read or write
    in it; status and check, which list the folder, say it once (check passed over it)."""
    _fifo("locale/es")(site)
    catalogs = ["locale/es/exercise-saw.po", "locale/es/home.po", "locale/es/guide/intro.po"]
    catalogs += ["locale/es/menus.po", "locale/es/taxonomies.po"]  # (the menus, the Saw's tag)
    expected = {
        "extract": [f"{path}: error: {IN_THE_WAY}" for path in catalogs],
        "build": [f"{path}: error: {IN_THE_WAY}" for path in catalogs],
        "status": [f"locale/es: error: cannot read: {IN_THE_WAY}"],
        "check": [f"locale/es: error: cannot read: {IN_THE_WAY}"],
    }
    for command, arguments in COMMANDS.items():
        code, _, err = extrans(site, *arguments)
        assert (code, sorted(error_lines(err))) == (2, sorted(expected[command])), command
