"""Shared fixtures: a copy of the example site, and the real gettext tools."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extrans.__main__ import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ("content", "hugo.toml", "extrans.toml")

needs_gettext = pytest.mark.skipif(
    shutil.which("msgcat") is None or shutil.which("msgmerge") is None,
    reason="GNU gettext (msgcat, msgfmt, msgmerge) is not installed: apt-get install gettext",
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh copy of the example site's sources (no catalogs yet)."""
    root = tmp_path / "site"
    root.mkdir()
    for name in EXAMPLE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source / "en", root / name / "en")
        else:
            shutil.copy(source, root / name)
    return root


@pytest.fixture
def extrans(monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """Run the command line in-process: ``extrans(site, "extract", "--check")``."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")

    def invoke(site: Path, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, ["--site", str(site), *args])
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return invoke


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
