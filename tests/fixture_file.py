"""Fixture files in markdown-it's dotted format: title, ``.``, input, ``.``, expected, ``.``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True, slots=True)
class Fixture:
    title: str
    line: int
    given: str
    expected: str


def read_fixtures(name: str) -> list[Fixture]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    fixtures: list[Fixture] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, start = lines[i], i + 1
        assert lines[i + 1] == ".", f"{name}:{i + 2}: expected '.'"
        parts: list[list[str]] = [[], []]
        i += 2
        for part in parts:
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
            i += 1
        given = "\n".join(parts[0]) + "\n"
        expected = "\n".join(parts[1]) + ("\n" if parts[1] else "")
        fixtures.append(Fixture(title, start, given, expected))
    return fixtures
