"""The command line itself: help, version, usage errors and option values, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from extrans import __version__

from .conftest import imported_by, invoke_cli


def test_help_lists_every_command_with_an_example() -> None:
    code, out, err = invoke_cli("--help")
    assert code == 0 and err == ""
    for command in ("extract", "build", "status", "check", "init"):
        assert f"\n    {command} " in out
    assert "Example: extrans extract   (then translate" in out  # (kept as written)


@pytest.mark.parametrize("command", ["extract", "build", "status", "check", "init"])
def test_each_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = invoke_cli(command, "--help")
    assert code == 0
    assert out.startswith(f"usage: extrans {command} ")
    assert f"Example: extrans {command}" in out


def test_version() -> None:
    assert invoke_cli("--version")[:2] == (0, f"extrans {__version__}\n")


def test_no_arguments_shows_the_help_and_exits_2() -> None:
    code, out, err = invoke_cli()
    assert code == 2 and out == ""
    assert err.startswith("usage: extrans ") and "extract" in err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--site", "."], "extrans: error: a command is needed"),
        (["translate"], "argument COMMAND: invalid choice: 'translate'"),
        (["build", "--threshold", "150"], "argument --threshold: 150 is not between 0 and 100"),
        (["build", "--threshold", "most"], "argument --threshold: 'most' is not a number"),
        (["status", "--fail-under", "-1"], "argument --fail-under: -1 is not between 0 and 100"),
        (["extract", "--jobs", "0"], "argument -j/--jobs: 0 is below 1"),
        (["extract", "--jobs", "two"], "argument -j/--jobs: 'two' is not a whole number"),
        (["build", "--thresh", "50"], "unrecognized arguments: --thresh 50"),  # no abbreviations
    ],
)
def test_a_usage_error_says_what_is_wrong_and_exits_2(
    arguments: list[str], message: str, tmp_path: Path
) -> None:
    code, out, err = invoke_cli("--site", str(tmp_path), *arguments)
    assert code == 2 and out == ""
    assert err.startswith("usage: extrans")
    assert message in err
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


def test_the_installed_command_starts_without_a_command_line_framework() -> None:
    """``extrans --help`` imports nothing but the standard library and extrans itself (the
    start-up cost of every run: README, performance)."""
    script = "from extrans.__main__ import run\nrun(['--help'])"
    assert imported_by(script, "typer", "click", "rich", "yaml", "babel") == []
