"""The package's layout: every module imports alone, and no two modules import each other,
directly or through others, counting imports inside functions and under ``TYPE_CHECKING``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import extrans

PACKAGE = Path(extrans.__file__).parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def _imported(module: str) -> set[str]:
    """The package's modules that ``module`` imports anywhere in its text."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module is not None:
                if node.module == "extrans":
                    names.update(alias.name for alias in node.names)
                elif node.module.startswith("extrans."):
                    names.add(node.module.split(".")[1])
            elif node.level == 1:
                if node.module is None:
                    names.update(alias.name for alias in node.names)
                else:
                    names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("extrans.")
            )
    return (names & set(MODULES)) - {module, "__init__"}


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
    assert graph["config"] == {"checks", "errors", "frontmatter", "fsio", "languages", "readers"}
    assert _cycle(graph) is None


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
