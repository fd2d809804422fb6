"""The package's layout: every module imports alone; no two modules import each other,
directly or through others (counting imports inside functions and under ``TYPE_CHECKING``);
and the layers stand in order: stages over the site over formats over plumbing."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import extrans

PACKAGE = Path(extrans.__file__).parent
MODULES = sorted(
    ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    for path in PACKAGE.rglob("*.py")
    if path.stem != "__init__"
)
LAYERS = {"errors": 0, "model": 0, "plumbing": 1, "formats": 2, "site": 3, "stages": 4}
"""How high each part of the package stands: a module imports only from its own layer or
those below. The command line (``__main__``) stands above them all."""


def _layer(module: str) -> int:
    return LAYERS.get(module.split(".")[0], len(LAYERS))


def _imported(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its text."""
    path = PACKAGE.joinpath(*module.split(".")).with_suffix(".py")
    package = module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module is None or node.module.split(".")[0] != "extrans":
                    continue
                base = node.module.split(".")[1:]
            else:
                base = package[: len(package) - node.level + 1]
                base = [*base, *(node.module.split(".") if node.module else [])]
            names.add(".".join(base))
            names.update(".".join([*base, alias.name]) for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                alias.name.removeprefix("extrans.")
                for alias in node.names
                if alias.name.startswith("extrans.")
            )
    return (names & set(MODULES)) - {module}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, as the modules along it, or ``None``."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for other in sorted(graph[module]):
            found = visit(other)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return None


def test_no_import_cycle() -> None:
    graph = {module: _imported(module) for module in MODULES}
    assert graph["site.config"] == {
        "errors",
        "formats.checks",
        "formats.frontmatter",
        "formats.languages",
        "formats.readers",
        "plumbing.fsio",
    }
    assert _cycle(graph) is None


def test_layers_import_downwards() -> None:
    upwards = [
        f"{module} imports {other}"
        for module in MODULES
        for other in sorted(_imported(module))
        if _layer(other) > _layer(module)
    ]
    assert upwards == []
    assert _layer("__main__") > _layer("stages.build") > _layer("site.pages")


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_alone(module: str) -> None:
    run = subprocess.run(
        [sys.executable, "-c", f"import extrans.{module}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
