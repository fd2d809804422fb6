"""The command line itself: help, version, usage errors and option values, before any work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extrans import __version__

from .conftest import REPO, imported_by, invoke_cli


def test_help_lists_every_command_with_an_example() -> None:
    code, out, err = invoke_cli("--help")
    assert code == 0 and err == ""
    for command in ("extract", "build", "pseudo", "status", "check", "init", "adopt", "memory"):
        assert f"\n  {command} " in out
    assert "Example: extrans extract   (then translate" in out  # (kept as written)


@pytest.mark.parametrize(
    "command", ["extract", "build", "pseudo", "status", "check", "init", "adopt"]
)
def test_each_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = invoke_cli(command, "--help")
    assert code == 0
    assert out.startswith(f"Usage: extrans {command} ")
    assert f"Example: extrans {command}" in out


def test_version() -> None:
    assert invoke_cli("--version")[:2] == (0, f"extrans {__version__}\n")


def test_no_arguments_shows_the_help_and_exits_2() -> None:
    code, out, err = invoke_cli()
    assert code == 2 and out == ""
    assert err.startswith("Usage: extrans ") and "extract" in err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--site", "."],
            "a command is needed (extract, build, pseudo, status, check, init, adopt or memory); see `extrans --help`",
        ),
        (["translate"], "no such command 'translate'; see `extrans --help`"),
        (
            ["build", "--threshold", "150"],
            "invalid value for '--threshold': 150.0 is not in the range 0<=x<=100; see `extrans build --help`",
        ),
        (
            ["build", "--threshold", "most"],
            "invalid value for '--threshold': 'most' is not a valid float range; see `extrans build --help`",
        ),
        (
            ["status", "--fail-under", "-1"],
            "invalid value for '--fail-under': -1.0 is not in the range 0<=x<=100; see `extrans status --help`",
        ),
        (
            ["status", "--format", "yaml"],
            "invalid value for '-f' / '--format': 'yaml' is not one of 'table', 'json', 'markdown', 'csv', 'github', 'html'; see `extrans status --help`",
        ),
        (
            ["status", "--by", "pages"],
            "invalid value for '--by': 'pages' is not one of 'entries', 'words'; see `extrans status --help`",
        ),
        (
            ["check", "--format", "csv"],
            "invalid value for '-f' / '--format': 'csv' is not one of 'text', 'github', 'json'; see `extrans check --help`",
        ),
        (
            ["extract", "--jobs", "0"],
            "invalid value for '-j' / '--jobs': 0 is not in the range x>=1; see `extrans extract --help`",
        ),
        (
            ["extract", "--jobs", "two"],
            "invalid value for '-j' / '--jobs': 'two' is not a valid int range; see `extrans extract --help`",
        ),
        (
            ["build", "--thresh", "50"],
            "no such option: --thresh (Possible options: --threshold); see `extrans build --help`",
        ),  # no abbreviations
    ],
)
def test_a_usage_error_says_what_is_wrong_in_one_line_and_exits_2(
    arguments: list[str], message: str, tmp_path: Path
) -> None:
    code, out, err = invoke_cli("--site", str(tmp_path), *arguments)
    assert (code, out, err) == (2, "", f"extrans: error: {message}\n")
    assert list(tmp_path.iterdir()) == []  # nothing was done


def test_options_reach_the_command(site: Path) -> None:
    """Repeated --lang, --no-cache and --jobs are taken as given."""
    code, out, err = invoke_cli(
        "-C", str(site), "extract", "-l", "es", "--lang", "es", "--no-cache", "-j", "1"
    )
    assert (code, err) == (0, "")
    assert out.startswith("templates: ") and "\nes: " in out
    code, out, _ = invoke_cli("-C", str(site), "status", "--format", "csv", "--by", "words")
    assert code == 0 and out.startswith("language,")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["status", "--help"],
        ["--site", "/", "check", "--format", "json", "--lang", "es"],
    ],
)
def test_the_command_line_imports_typer_and_nothing_heavier(arguments: list[str]) -> None:
    """Parsing imports typer and none of what would slow every run: rich (its help), pydantic
    (typer 0.29 coerces every option through it) or the core's own libraries (README,
    performance)."""
    script = f"from extrans.__main__ import run\nrun({arguments!r})"
    heavy = imported_by(script, "rich", "pydantic", "yaml", "babel", "markdown_it", "tomlkit")
    assert heavy == [] and imported_by(script, "typer")


def test_shell_completion_offers_commands_and_option_choices() -> None:
    """What bash's completion script (``extrans --install-completion``) asks the command."""

    def completed(*words: str) -> list[str]:
        environment = dict(
            os.environ,
            _EXTRANS_COMPLETE="complete_bash",
            COMP_WORDS=" ".join(["extrans", *words]),
            COMP_CWORD=str(len(words)),
        )
        script = "import sys\nfrom extrans.__main__ import main\nsys.argv[0] = 'extrans'\nmain()"
        done = subprocess.run(
            [sys.executable, "-c", script], env=environment, capture_output=True, text=True
        )
        assert (done.returncode, done.stderr) == (0, "")
        return done.stdout.split()

    assert completed("") == [
        "extract", "build", "pseudo", "status", "check", "init", "adopt", "memory"
    ]  # fmt: skip
    assert completed("memory", "") == ["export", "import", "stats", "fill"]
    assert completed("memory", "export", "--format", "") == ["tmx", "po"]
    assert completed("st") == ["status"]
    assert completed("status", "--format", "") == [
        "table",
        "json",
        "markdown",
        "csv",
        "github",
        "html",
    ]
    assert completed("check", "--format", "") == ["text", "github", "json"]
    assert "--install-completion" in invoke_cli("--help")[1]


NO_SITE = (
    "error: no Hugo site in this folder or any folder above it (no hugo.toml, config.toml, "
    "config/_default/ or extrans.toml); run extrans in the site's folder, or pass it with --site\n"
)
COMMANDS = [
    ["extract"],
    ["build"],
    ["status"],
    ["check"],
    ["init"],
    ["extract", "--check"],
    ["adopt"],
    ["pseudo"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_outside_a_site_every_command_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert invoke_cli(*command) == (2, "", NO_SITE)
    missing = tmp_path / "missing"
    assert invoke_cli("--site", str(missing), *command) == (
        2, "", f"{missing}: error: no such folder; pass the Hugo site's folder with --site\n",
    )  # fmt: skip
    assert invoke_cli("--site", str(empty), *command) == (
        2,
        "",
        f"{empty}: error: is not a Hugo site (no hugo.toml, config.toml, config/_default/ or "
        "extrans.toml in it); pass the site's folder with --site\n",
    )
    assert list(tmp_path.iterdir()) == [empty] and list(empty.iterdir()) == []


@pytest.mark.parametrize("folder", ["content/en/exercises", "locale/es", "config/_default"])
def test_in_a_folder_of_the_site_commands_work_on_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    """The site is found as git finds its repository: here or in the nearest folder above
    (one with Hugo's configuration in ``config/_default/`` counts too)."""
    site = tmp_path / "site"
    for name in ("content", "locale", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    if folder.startswith("config"):
        (site / folder).mkdir(parents=True)
        (site / "hugo.toml").rename(site / folder / "hugo.toml")
        for catalog in ("locale/es/menus.po", "locale/templates/menus.pot"):
            # (its menu entries' references name the configuration file where it now is)
            text = (site / catalog).read_text(encoding="utf-8")
            text = text.replace("#: hugo.toml\n", f"#: {folder}/hugo.toml\n")
            (site / catalog).write_text(text, encoding="utf-8")
    from_root = invoke_cli("--site", str(site), "check")
    assert from_root[0] == 0 and "276 translations in 12 catalogs checked" in from_root[1]
    monkeypatch.chdir(site / folder)
    assert invoke_cli("check") == from_root
    assert invoke_cli("extract", "--check")[0] == 0
    assert (
        sorted(path.name for path in (site / folder).iterdir() if path.name.startswith(".")) == []
    )


def test_what_the_settings_guess_is_said(tmp_path: Path) -> None:
    """No Hugo configuration, no target language, catalogs without extrans.toml: each run
    says what it assumed, and goes on."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content/en", site / "content/en")
    (site / "extrans.toml").write_text("", encoding="utf-8")
    code, _, err = invoke_cli("--site", str(site), "extract")
    assert code == 0 and err.splitlines() == [
        "warning: no Hugo configuration (hugo.toml, config.toml or config/_default/): "
        "languages and folders are extrans's defaults",
        "warning: no target language (the Hugo configuration names only 'en'): only templates "
        "are written; add languages to the Hugo configuration, or set target-languages in "
        "extrans.toml",
    ]
    (site / "extrans.toml").unlink()
    shutil.copy(REPO / "hugo.toml", site / "hugo.toml")
    code, _, err = invoke_cli("--site", str(site), "status")
    assert code == 0 and err.splitlines() == [
        "locale: warning: there are catalogs but no extrans.toml: the default fields are "
        "extracted (title, linkTitle, description, summary, keywords[]); run `extrans init` to "
        "choose them"
    ]
