"""What the repository ships for a site's CI: the GitHub workflow the README shows, and
pre-commit hooks that run on every file that can change their answer."""

from __future__ import annotations

import re
import tomllib

import yaml

from extrans import __version__

from .conftest import REPO


def test_the_readme_shows_the_workflow_the_repository_runs() -> None:
    workflow = (REPO / ".github/workflows/translations.yml").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{workflow}```\n" in readme
    steps = yaml.safe_load(workflow)["jobs"]["translations"]["steps"]
    reports = [step for step in steps if "status" in step.get("run", "") or "uses" in step]
    assert all(step.get("if") == "always()" for step in reports[2:])  # (after checkout, python)
    assert yaml.safe_load(workflow)[True] == {"pull_request": None, "push": {"branches": ["main"]}}


def test_the_hooks_run_on_every_file_that_changes_their_answer() -> None:
    hooks = {hook["id"]: re.compile(hook["files"]) for hook in yaml.safe_load(
        (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    )}  # fmt: skip
    settings = ["extrans.toml", "pyproject.toml"]
    hugo = [
        "hugo.toml", "hugo.yaml", "config.yml", "config.json", "config/_default/hugo.toml",
        "config/_default/languages.es.toml", "config/production/params.yaml",
    ]  # fmt: skip
    inputs = ["content/en/saw.md", "docs/content/en/a.markdown", "locale/templates/saw.pot"]
    for name in [*settings, "locale/es/saw.po"]:
        assert hooks["extrans-check"].search(name), name
    for name in [*settings, *hugo, *inputs, "locale/es/saw.po"]:
        assert hooks["extrans-extract-check"].search(name), name
    for name in ["layouts/_default/single.html", "static/hugo.toml.txt", "data/config.toml"]:
        assert not any(hook.search(name) for hook in hooks.values()), name


def test_the_package_says_the_version_pyproject_gives() -> None:
    """A release is tagged ``v`` + this version, which pre-commit's ``rev:`` names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
