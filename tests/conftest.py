"""Shared fixtures: a copy of the example site, and the real gettext tools."""

from __future__ import annotations

import ast
import contextlib
import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.__main__ import run
from extrans.site.config import Settings, parse_field_pattern

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


def invoke_cli(*args: str) -> tuple[int, str, str]:
    """Run the command line in-process: its exit code, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args))
    return code, out.getvalue(), err.getvalue()


def imported_by(script: str, *packages: str) -> list[str]:
    """The modules of ``packages`` that ``script`` imports, run in a fresh interpreter
    (this one has imported everything already). The list goes to stderr: the script may
    print."""
    probe = (
        f"{script}\nimport sys\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r}), "
        "file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    found: list[str] = ast.literal_eval(done.stderr.strip().splitlines()[-1])
    return found


@pytest.fixture
def extrans(monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """Run the command line in-process: ``extrans(site, "extract", "--check")``."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")

    def invoke(site: Path, *args: str) -> tuple[int, str, str]:
        return invoke_cli("--site", str(site), *args)

    return invoke


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def settings_with(*fields: str) -> Settings:
    """Settings for pure tests: a site at ``/site``, English into Spanish, these fields."""
    return Settings(
        site_root=Path("/site"),
        source_language="en",
        target_languages=("es",),
        content_dirs={},
        fields=tuple(parse_field_pattern(p) for p in fields),
    )


EXAMPLE_FIELDS = (
    "title",
    "description",
    "summary",
    "params.summary",
    "keywords[]",
    "steps[]",
    "modifications[].name",
    "modifications[].description",
    "faq[].q",
    "faq[].a",
)
"""The translatable fields of the example site's pages."""


def two_page_site(root: Path) -> Path:
    """A site of two pages, the Saw and the home page (the rest of the site), configured as
    the example site is."""
    (root / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copy(REPO / "content/en/exercises/saw.md", root / "content/en/saw.md")
    shutil.copy(REPO / "content/en/_index.md", root / "content/en/_index.md")
    return root
