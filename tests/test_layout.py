"""The package's layout: every module imports alone; no two modules import each other,
directly or through others (counting imports inside functions and under ``TYPE_CHECKING``);
the layers stand in order: stages over the site over formats over plumbing; and what one
module takes from another is in that one's ``__all__``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import extrans

PACKAGE = Path(extrans.__file__).parent
REPO = PACKAGE.parent.parent
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
        "formats.dialect",
        "formats.frontmatter",
        "formats.languages",
        "formats.memory",
        "formats.readers",
        "formats.urls",
        "model",
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


def _module_files() -> dict[str, Path]:
    """Every module of the package by dotted name from it, packages (``formats``, and ``""``
    for the package itself) included."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _public_names(path: Path) -> set[str] | None:
    """A module's ``__all__``, or ``None`` if it has none."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            assert isinstance(node, ast.Assign)
            names: list[str] = ast.literal_eval(node.value)
            return set(names)
    return None


def _names_taken(path: Path, package: list[str] | None) -> list[tuple[str, str, int]]:
    """``(module, name, line)`` of each ``from ... import name`` of the package in a file,
    anywhere in it; ``package`` resolves relative imports (``None``: a file outside it)."""
    taken = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            if package is None:
                continue
            base = package[: len(package) - node.level + 1]
        elif node.module and node.module.split(".")[0] == "extrans":
            base = []
        else:
            continue
        module = ".".join([*base, *(node.module or "").split(".")]).removeprefix("extrans")
        module = module.strip(".")
        taken += [(module, alias.name, node.lineno) for alias in node.names]
    return taken


def test_what_a_module_takes_from_another_is_in_its_all() -> None:
    """``__all__`` says what a module offers the others; tests, bench/ and tools/ may also
    reach for a ``_private`` name, to test it."""
    files = _module_files()
    users: list[tuple[Path, list[str] | None]] = []
    for name, path in files.items():  # (a package's relative imports start from itself)
        users.append((path, name.split(".")[: None if path.stem == "__init__" else -1]))
    for folder in ("tests", "bench", "tools"):
        users += [(path, None) for path in (REPO / folder).rglob("*.py")]
    assert len(users) > len(files) > 30
    missing = []
    for path, package in users:
        for module, name, line in _names_taken(path, package):
            if f"{module}.{name}".strip(".") in files:  # (a module, not a name in one)
                continue
            if package is None and name.startswith("_") and not name.startswith("__"):
                continue
            offered = _public_names(files[module])
            if offered is None or name not in offered:
                where = path.relative_to(REPO).as_posix()
                missing.append(f"{where}:{line}: {name} is not in the __all__ of {module}")
    assert missing == []
