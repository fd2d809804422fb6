"""Front matter read with every string's exact span.

TOML is validated by tomllib, and its spans found by a scanner: tomllib is the oracle, each
span replaced by a marker must read back as that marker at its path. YAML's walk over the
composed nodes and JSON's scanner are judged the same way, by PyYAML's full safe loader and
``json``. All are checked on every page of the repository, on a generated benchmark site, and
(TOML) on documents hypothesis writes with hostile strings.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from extrans.errors import ExtransError, PageError
from extrans.formats import frontmatter as fm
from extrans.formats.frontmatter import (
    FieldValue,
    FrontMatter,
    PathPart,
    read_string_fields,
    read_top_level_values,
    split_front_matter,
)

from .conftest import REPO
from .fixture_file import FIXTURES, read_fixtures

# --- The oracles ------------------------------------------------------------------------


class _OracleLoader(yaml.CSafeLoader):
    """PyYAML's full safe loader, where a tag it does not know makes, instead of an error, a
    value that is not a string from a scalar (``!custom x``: extrans leaves it alone) and a
    plain list or mapping from a collection (whose strings extrans reads)."""


def _construct_unknown(loader: _OracleLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return Tagged(suffix)


_OracleLoader.add_multi_constructor("", _construct_unknown)


@dataclass(frozen=True, slots=True)
class Tagged:
    """A value under a tag the safe loader does not know."""

    tag: str


def load(front: FrontMatter, source: str) -> Any:
    """The front matter's data as the format's real loader reads it."""
    if front.format == "yaml":
        return yaml.load(source, Loader=_OracleLoader)
    if front.format == "toml":
        return tomllib.loads(source)
    return json.loads(source) if source else {}


def string_leaves(data: Any, seen: set[int] | None = None) -> Iterator[str]:
    """Every string value of ``data`` (not its keys); a list or mapping that aliases make
    appear in several places is walked once (a billion laughs stays small)."""
    seen = set() if seen is None else seen
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict | list) and id(data) not in seen:
        seen.add(id(data))
        for value in data.values() if isinstance(data, dict) else data:
            yield from string_leaves(value, seen)


def at_path(data: Any, path: tuple[PathPart, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def marked(text: str, front: FrontMatter, fields: dict[int, FieldValue]) -> Any:
    """The front matter as its loader reads it with each of ``fields`` replaced by a quoted
    marker ``@i@`` (a block scalar keeps its final line break)."""
    out, at = [], front.start
    for i, field in sorted(fields.items(), key=lambda item: item[1].start):
        assert at <= field.start <= field.end <= front.end, field
        newline = "\n" if text[field.start : field.end].endswith("\n") else ""
        space = " " if front.format == "yaml" else ""  # (after a tag: "!!str" + "")
        out += [text[at : field.start], f'{space}"@{i}@"{newline}']
        at = field.end
    return load(front, "".join(out) + text[at : front.end])


def assert_fields_are_what_the_loader_reads(text: str, fields: list[FieldValue]) -> None:
    """``fields`` are exactly the string values the real loader (PyYAML's ``safe_load``,
    ``tomllib``, ``json``) reads, each at a span whose source text reads as that value: with
    every span replaced by a marker, each string the loader reads is a marker; with one span
    replaced (all of them, or that one alone where its path goes through a marked key), its
    marker is at the field's path, where the unchanged page holds its value."""
    front = split_front_matter(text, "a.md")
    data = load(front, text[front.start : front.end])
    everywhere = marked(text, front, dict(enumerate(fields)))
    assert all(re.fullmatch(r"@\d+@", leaf) for leaf in string_leaves(everywhere)), everywhere
    for i, field in enumerate(fields):
        assert at_path(data, field.path) == field.value, field
        try:
            found = at_path(everywhere, field.path)
        except KeyError:  # the path goes through a key that is an alias's anchor, marked too
            found = at_path(marked(text, front, {i: field}), field.path)
        assert found == f"@{i}@", field


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader made of a page: its fields and top-level spans, or the error it gave."""

    fields: list[FieldValue] | None
    top_level: dict[str, tuple[int, int]] | None
    error: str | None


def read_now(text: str) -> Reading:
    """The reading extrans gives today."""
    try:
        front = split_front_matter(text, "a.md")
        fields = read_string_fields(text, front, "a.md")
        return Reading(fields, read_top_level_values(text, front, "a.md"), None)
    except ExtransError as err:
        return Reading(None, None, str(err))


# --- Every page we have -----------------------------------------------------------------


def repository_pages() -> Iterator[tuple[str, str]]:
    for folder in (REPO / "content" / "en", FIXTURES):
        for page in sorted(folder.rglob("*.md")):
            yield str(page.relative_to(REPO)), page.read_bytes().decode("utf-8", "replace")
    for fixture in read_fixtures("frontmatter.txt"):
        yield f"frontmatter.txt:{fixture.line}", fixture.given


REPOSITORY_PAGES = list(repository_pages())


@pytest.fixture(scope="module")
def generated_pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """A benchmark site: 400 pages, about one in eight with TOML front matter."""
    out = tmp_path_factory.mktemp("bench")
    script = REPO / "bench" / "generate.py"
    command = [sys.executable, str(script), "--pages", "400", "--out", str(out), "--seed", "11"]
    subprocess.run(command, check=True, capture_output=True)
    return [
        (str(page.relative_to(out)), page.read_text(encoding="utf-8"))
        for page in sorted((out / "content").rglob("*.md"))
    ]


def check_page(text: str) -> None:
    """A page reads as its format's real loader reads it; a page the loader refuses is
    refused, and so is one with a duplicate key, nested too deep or that is not a mapping
    (which the loaders let through)."""
    reading = read_now(text)
    if reading.error is None:
        assert reading.fields is not None and reading.top_level is not None
        assert_fields_are_what_the_loader_reads(text, reading.fields)
        if split_front_matter(text, "a.md").format == "toml":
            assert_top_level_is_right(text, reading.top_level)
    elif loader_accepts(text):
        assert re.search(r"duplicate key|nested deeper than 64|not a mapping", reading.error), (
            reading.error
        )


@pytest.mark.parametrize(("name", "text"), REPOSITORY_PAGES, ids=[n for n, _ in REPOSITORY_PAGES])
def test_every_repository_page_reads_right(name: str, text: str) -> None:
    check_page(text)


def test_every_generated_page_reads_right(generated_pages: list[tuple[str, str]]) -> None:
    formats = {"toml": 0, "yaml": 0}
    for name, text in generated_pages:
        formats[split_front_matter(text, name).format] += 1
        check_page(text)
    assert formats["toml"] > 20 and formats["yaml"] > 300


# --- YAML: the cases the walk must keep -------------------------------------------------

YAML_CASES = {
    "an alias is extracted once, at its anchor": (
        "---\ntitle: &t Hello\nsteps: [*t, Two, *t]\nfaq:\n  - &q {q: Why, a: Because}\n  - *q\n---\n",
        ["title", "steps[1]", "faq[0].q", "faq[0].a"],
    ),
    "an anchor in a mapping key is still found in text order": (
        "---\n&k first: one\nmid: two\nlast: *k\n---\n",
        ["last", "first", "mid"],
    ),
    "non-string tags are skipped; explicit !!str is a string": (
        "---\na: 1\nb: yes\nc: 2024-01-01\nd: !!str 3\ne: ~\nf: !custom x\ng: '1'\n---\n",
        ["d", "g"],
    ),
    "keys that are not scalars are skipped": (
        "---\n? [a, b]\n: lost\nkept: yes indeed\n---\n",
        ["kept"],
    ),
}


@pytest.mark.parametrize(("text", "paths"), YAML_CASES.values(), ids=list(YAML_CASES))
def test_yaml_walk_keeps_every_behaviour(text: str, paths: list[str]) -> None:
    reading = read_now(text)
    assert reading.fields is not None
    assert [fm.format_path(field.path) for field in reading.fields] == paths
    if loader_accepts(text):  # (a list as a key is one the safe loader cannot hash)
        assert_fields_are_what_the_loader_reads(text, reading.fields)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("---\na: 1\nb:\n  c: 2\n  c: 3\n---\n", "a.md:5: duplicate key 'c' in the front matter"),
        ("---\nx: [a, {b: 1, b: 2}]\n---\n", "a.md:2: duplicate key 'b' in the front matter"),
        (
            "---\nx: " + "[" * 65 + "deep" + "]" * 65 + "\n---\n",
            "a.md:2: the front matter is nested deeper than 64 levels",
        ),
        (
            "---\nok: " + "[" * 64 + "fine" + "]" * 64 + "\ndup: 1\ndup: 2\n---\n",
            "a.md:4: duplicate key 'dup' in the front matter",
        ),
    ],
)
def test_yaml_errors_say_where(text: str, error: str) -> None:
    assert read_now(text).error == error


# --- TOML: documents written by hypothesis ----------------------------------------------

HOSTILE = (
    "\"'\\#=[]{}.,:+-_ \t\n\r\x00\x01\x08\x0b\x1b\x7f\u0085\u00a0\u2028\ufeff"
    "aZ09é日本\U0001f600\u0301"
)
TEXT = st.text(st.sampled_from(HOSTILE) | st.characters(codec="utf-8"), max_size=8)
KEY_TEXT = st.text(st.sampled_from(HOSTILE + "abc"), max_size=6) | st.from_regex(
    r"[A-Za-z0-9_-]{1,6}", fullmatch=True
)
ATOMS = st.sampled_from(
    [
        "1", "-17", "+3", "1_000", "0xDEAD_beef", "0o755", "0b1101", "0", "3.14", "-0.0",
        "6.02e+23", "1e-3", "1_2.3_4", "inf", "-inf", "+nan", "true", "false", "1979-05-27",
        "1979-05-27T07:32:00Z", "1979-05-27 07:32:00.999999-07:00", "1979-05-27T00:32:00",
        "07:32:00", "00:32:00.5",
    ]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Atom:
    """A number, date or boolean, written as its TOML source."""

    source: str


Value = str | Atom | list["Value"] | dict[str, "Value"]

VALUES: st.SearchStrategy[Value] = st.recursive(
    TEXT | st.builds(Atom, ATOMS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEY_TEXT, inner, max_size=3),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(KEY_TEXT, VALUES, max_size=6)


_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def escape(char: str, rnd: random.Random, *, multiline: bool) -> str:
    if char in '"\\':
        return "\\" + char
    control = ord(char) < 0x20 or ord(char) == 0x7F
    if (multiline and char == "\n") or (char == "\t" and rnd.random() < 0.5):
        return char
    if control or rnd.random() < 0.1:
        if char in _SHORT_ESCAPES and rnd.random() < 0.5:
            return _SHORT_ESCAPES[char]
        return (
            f"\\u{ord(char):04x}"
            if ord(char) < 0x10000 and rnd.random() < 0.5
            else f"\\U{ord(char):08X}"
        )
    return char


def write_string(value: str, rnd: random.Random, *, key: bool = False) -> str:
    """``value`` in one of TOML's four string styles (a key: one of the first two)."""
    no_control = not re.search("[\x00-\x08\x0a-\x1f\x7f]", value)
    styles = ["basic"]
    if no_control and "'" not in value:
        styles.append("literal")
    if not key:
        styles.append("multiline basic")
        if not re.search("[\x00-\x08\x0b-\x1f\x7f]", value) and "'''" not in value:
            styles.append("multiline literal")
    style = rnd.choice(styles)
    if style == "basic":
        return '"' + "".join(escape(c, rnd, multiline=False) for c in value) + '"'
    if style == "literal":
        return f"'{value}'"
    first = "\n" if rnd.random() < 0.5 or value.startswith("\n") else ""
    if style == "multiline literal":
        if value.endswith("'") and value[-3:] != "'''":  # up to two quotes before the closing ones
            return f"'''{first}{value}'''"
        return f"'''{first}{value}'''" if not value.endswith("'") else f"'''{first}{value}\n'''"
    body = ""
    for i, char in enumerate(value):
        body += escape(char, rnd, multiline=True)
        following = value[i + 1 : i + 2]
        if following and following not in " \t\n" and rnd.random() < 0.15:
            body += "\\" + rnd.choice(["", " ", "\t "]) + "\n" + rnd.choice(["", "  ", "\n\t"])
    if value.endswith('"') and not value.endswith('\\"') and rnd.random() < 0.5:
        body = body[:-2] + '"'  # an unescaped quote just before the closing ones
    return f'"""{first}{body}"""'


def write_key(key: str, rnd: random.Random) -> str:
    if _BARE.fullmatch(key) and rnd.random() < 0.8:
        return key
    return write_string(key, rnd, key=True)


def space(rnd: random.Random) -> str:
    return rnd.choice(["", " ", " ", "  ", "\t"])


def comment(rnd: random.Random) -> str:
    return rnd.choice(["", "", "", " # a \"comment\" = ] 'x'", "#", "\t# 日本 \\"])


def write_value(value: Value, rnd: random.Random) -> str:
    if isinstance(value, str):
        return write_string(value, rnd)
    if isinstance(value, Atom):
        return value.source
    if isinstance(value, list):
        if not value:
            return "[" + space(rnd) + "]"
        if rnd.random() < 0.5:
            items = [write_value(item, rnd) for item in value]
            return "[" + space(rnd) + ("," + space(rnd)).join(items) + space(rnd) + "]"
        lines = ["["]
        for item in value:
            lines.append(f"  {write_value(item, rnd)},{comment(rnd)}")
            if rnd.random() < 0.2:
                lines.append("  # between items")
        return "\n".join(lines) + "\n]"
    items = [
        f"{write_key(key, rnd)}{space(rnd)}={space(rnd)}{write_value(item, rnd)}"
        for key, item in value.items()
    ]
    return "{" + space(rnd) + ("," + space(rnd)).join(items) + space(rnd) + "}"


def write_table(
    table: dict[str, Value], path: list[str], rnd: random.Random, lines: list[str]
) -> None:
    """The key/value lines of ``table``, then its sub-tables and arrays of tables."""
    later: list[tuple[str, Value]] = []
    for key, value in table.items():
        is_table = isinstance(value, dict)
        is_tables = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        if (is_table or is_tables) and rnd.random() < 0.6:
            later.append((key, value))
        elif isinstance(value, dict) and value and rnd.random() < 0.5:
            write_dotted([key], value, rnd, lines)
        else:
            line = f"{space(rnd)}{write_key(key, rnd)}{space(rnd)}={space(rnd)}"
            lines.append(line + write_value(value, rnd) + comment(rnd))
        if rnd.random() < 0.15:
            lines.append(rnd.choice(["", "# a comment line", "   ", "\t# [not] a = 'header'"]))
    for key, value in later:
        header = ".".join(write_key(part, rnd) for part in [*path, key])
        if isinstance(value, dict):
            lines.append(f"{space(rnd)}[{space(rnd)}{header}{space(rnd)}]{comment(rnd)}")
            write_table(value, [*path, key], rnd, lines)
        else:
            assert isinstance(value, list)
            for element in value:
                assert isinstance(element, dict)
                lines.append(f"[[{space(rnd)}{header}{space(rnd)}]]{comment(rnd)}")
                write_table(element, [*path, key], rnd, lines)


def write_dotted(
    keys: list[str], table: dict[str, Value], rnd: random.Random, lines: list[str]
) -> None:
    for key, value in table.items():
        if isinstance(value, dict) and value and rnd.random() < 0.5:
            write_dotted([*keys, key], value, rnd, lines)
        else:
            dotted = (space(rnd) + "." + space(rnd)).join(
                write_key(part, rnd) for part in [*keys, key]
            )
            lines.append(f"{dotted}{space(rnd)}={space(rnd)}{write_value(value, rnd)}")


@st.composite
def toml_pages(draw: st.DrawFn) -> str:
    """A page whose TOML front matter holds hostile strings in every style and structure."""
    data = draw(DOCUMENTS)
    rnd = draw(st.randoms(use_true_random=False))
    lines: list[str] = []
    write_table(data, [], rnd, lines)
    source = "\n".join(lines) + "\n"
    assume(not re.search(r"^\+\+\+[ \t]*\r?$", source, re.M))  # would close the front matter
    page = "+++\n" + source + "+++\n\nBody.\n"
    if draw(st.booleans()):
        page = page.replace("\n", "\r\n")
    event("CRLF" if "\r\n" in page else "LF")
    return page


def check_toml_page(page: str) -> None:
    """Every string and top-level value of a page tomllib accepts is found, at its source."""
    now = read_now(page)
    assert now.fields is not None and now.top_level is not None, now.error
    assert_fields_are_what_the_loader_reads(page, now.fields)
    assert_top_level_is_right(page, now.top_level)


def assert_top_level_is_right(page: str, spans: dict[str, tuple[int, int]]) -> None:
    """Each span holds its key's value, and every top-level value but a table has one (by
    key in lower case, as Hugo reads keys: of keys that differ only in case, one of them)."""
    front = split_front_matter(page, "a.md")
    data = tomllib.loads(page[front.start : front.end])
    for key, (start, end) in spans.items():
        values = [repr(value) for name, value in data.items() if name.lower() == key]
        assert repr(tomllib.loads(f"_ = {page[start:end]}")["_"]) in values
    for key, value in data.items():
        tables = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        assert isinstance(value, dict) or tables or key.lower() in spans


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(toml_pages())
def test_generated_toml_reads_right(page: str) -> None:
    check_toml_page(page)


# Three plausible pages a reader that searches for a value's text gets wrong.


def test_a_value_repeated_in_a_comment_is_found_at_the_value() -> None:
    page = '+++\n# title = "Saw"\ntitle = "Saw"\n+++\n'
    (field,) = read_now(page).fields or []
    assert page[field.start :].startswith('"Saw"\n+++')


def test_a_key_line_inside_a_multiline_string_hides_no_top_level_value() -> None:
    page = '+++\nsummary = """\nlastmod = 2020-01-01 was then\n"""\nlastmod = 2024-05-01\n+++\n'
    start, end = read_now(page).top_level["lastmod"]  # type: ignore[index]
    assert page[start:end] == "2024-05-01"


def test_a_multiline_string_of_a_crlf_page_reads_as_tomllib_reads_it() -> None:
    page = '+++\r\nsummary = """\r\nOne\r\nTwo"""\r\n+++\r\n'
    assert [f.value for f in read_now(page).fields or []] == ["One\nTwo"]


# --- TOML: errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("[table", "a.md:2: invalid TOML front matter: Expected ']' at the end of a table declaration (column 7)"),
        ('a = "x" "y"', "a.md:2: invalid TOML front matter: Expected newline or end of document after a statement (column 9)"),
        ('ok = 1\nesc = "\\e"', "a.md:3: invalid TOML front matter: Unescaped '\\' in a string (column 10)"),
        ("ok = 1\nt = {a = 1,}", "a.md:3: invalid TOML front matter: Invalid initial character for a key part (column 12)"),
        ("d = 1979-05-27T07:32", "a.md:2: invalid TOML front matter: Expected newline or end of document after a statement (column 15)"),
        ('s = """never closed', "a.md:3: invalid TOML front matter: Unterminated string"),
        # a key defined twice: the line of its second definition, as for YAML and JSON
        ('title = "a"\ntitle = "b"', "a.md:3: duplicate key 'title' in the front matter"),
        ("[a]\nx = 1\n[a]\ny = 2", "a.md:4: duplicate key 'a' in the front matter"),
        ("a = 1\n[a]", "a.md:3: duplicate key 'a' in the front matter"),
        ("[[a]]\n[a]", "a.md:3: duplicate key 'a' in the front matter"),
        ("a.b = 1\na . b = 2", "a.md:3: duplicate key 'a.b' in the front matter"),
        ("t = {x = 1}\nt.y = 2", "a.md:3: duplicate key 't.y' in the front matter"),
        ("t = {a = 1, a = 2}", "a.md:2: duplicate key 'a' in the front matter"),
        ("x = {a = {b = 1, b = 2}, c = 3}", "a.md:2: duplicate key 'b' in the front matter"),
        ("x = {a = 1}\nx = 2", "a.md:3: duplicate key 'x' in the front matter"),
        ('x = """\nq\n"""\nx = """\nr\n"""', "a.md:5: duplicate key 'x' in the front matter"),
        ("'x y' = 1\n\"x y\" = 2", "a.md:3: duplicate key 'x y' in the front matter"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_toml_errors_say_where(source: str, error: str, newline: str) -> None:
    page = ("+++\n" + source + "\n+++\n").replace("\n", newline)
    front = split_front_matter(page, "a.md")
    for read in (read_string_fields, read_top_level_values):
        with pytest.raises(PageError) as raised:
            read(page, front, "a.md")
        assert str(raised.value) == error


@pytest.mark.parametrize(
    "source",
    [
        "x = " + "[" * 63 + '"fine"' + "]" * 63,
        "x = " + "[" * 64 + '"deep"' + "]" * 64,
        "x = " + "[" * 70 + "1" + "]" * 70,
        "[" + ".".join(["k"] * 63) + ']\nv = "fine"',
        "[" + ".".join(["k"] * 64) + ']\nv = "deep"',
        "\n".join(f"[[{'.'.join(['a'] * n)}]]" for n in range(1, 32)) + '\nv = "fine"',
        "\n".join(f"[[{'.'.join(['a'] * n)}]]" for n in range(1, 33)) + '\nv = "deep"',
    ],
)
def test_toml_depth_limit_is_where_it_was(source: str) -> None:
    page = "+++\n" + source + "\n+++\n"
    now = read_now(page)
    fine = "fine" in source
    assert now.error == (
        None if fine else "a.md:2: the front matter is nested deeper than 64 levels"
    )


# --- TOML: the toml-test suite ---------------------------------------------------------
#
# Every TOML 1.0 case of toml-lang/toml-test (commit d168c2a, MIT licence beside the file)
# that is UTF-8, as the front matter of a page.

TOML_TEST = json.loads((FIXTURES / "toml-test" / "toml-1.0.0.json").read_text(encoding="utf-8"))


def as_page(source: str) -> str:
    """A page whose front matter is ``source`` (a byte-order mark goes before the page)."""
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    source = source.removeprefix(bom)
    return bom + "+++\n" + source + ("" if source.endswith("\n") else "\n") + "+++\n\nBody.\n"


@pytest.mark.parametrize("name", sorted(n for n in TOML_TEST if n.startswith("valid/")))
def test_toml_test_valid_documents_read_right(name: str) -> None:
    page = as_page(TOML_TEST[name])
    assert tomllib_accepts(page)
    check_toml_page(page)


@pytest.mark.parametrize("name", sorted(n for n in TOML_TEST if n.startswith("invalid/")))
def test_toml_test_invalid_documents_are_refused(name: str) -> None:
    page = as_page(TOML_TEST[name])
    error = read_now(page).error
    if tomllib_accepts(page):  # (tomllib's few lapses: read as it reads them)
        check_toml_page(page)
    else:
        assert error is not None and re.fullmatch(
            r"a\.md:\d+: (invalid TOML front matter: .+|duplicate key .+ in the front matter"
            r"|the front matter is nested deeper than 64 levels)",
            error,
        ), error


# --- Fuzzing ----------------------------------------------------------------------------

MUTATIONS = "\"'\\#=[]{}.,\n\r\t +-_:0aé\x00\x7f\u2028"


@st.composite
def mangled_toml_pages(draw: st.DrawFn) -> str:
    """A generated page with a few characters inserted, deleted or replaced."""
    page = list(draw(toml_pages()))
    rnd = draw(st.randoms(use_true_random=False))
    for _ in range(draw(st.integers(1, 4))):
        at = rnd.randrange(len(page))
        change = rnd.choice(["insert", "delete", "replace"])
        if change == "delete":
            del page[at]
        elif change == "insert":
            page.insert(at, rnd.choice(MUTATIONS))
        else:
            page[at] = rnd.choice(MUTATIONS)
    return "".join(page)


def check_mangled_page(page: str) -> None:
    """Nothing but an extrans error escapes; a page tomllib accepts is read right."""
    now = read_now(page)  # raises anything but ExtransError
    if now.error is None and split_front_matter(page, "a.md").format != "toml":
        event("not TOML")
    elif tomllib_accepts(page):
        event("read")
        check_toml_page(page)
    else:
        event("refused")
        assert now.error is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_toml_pages())
def test_mangled_toml_gives_extrans_errors_only(page: str) -> None:
    check_mangled_page(page)


@pytest.mark.fuzz
@settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(toml_pages() | mangled_toml_pages())
def test_toml_long_run(page: str) -> None:
    if read_now(page).error is None and tomllib_accepts(page):
        check_toml_page(page)
    else:
        check_mangled_page(page)


def tomllib_accepts(page: str) -> bool:
    return loader_accepts(page) and split_front_matter(page, "a.md").format == "toml"


def loader_accepts(page: str) -> bool:
    """Whether the front matter's real loader reads it (``False`` when it cannot be found)."""
    try:
        front = split_front_matter(page, "a.md")
        load(front, page[front.start : front.end])
    except (ExtransError, ValueError, RecursionError, yaml.YAMLError):
        return False  # (a TOMLDecodeError and a JSONDecodeError are ValueErrors)
    return True


# --- YAML: which scalars are strings ----------------------------------------------------

TYPING_CASES = (
    "a: \"123\"\nb: '1.5'\nc: ! 123\nd: !!str 5\ne: 123\nf: yes\ng: \"yes\"\nh: ~\ni: ''\nj:\n"
    "k: ! yes\nl: !!int '7'\nm: [1, '2', ! 3, \"x\"]\nn: {p: 'q', r: 5}\no: |\n  block\n"
    "p: >-\n  folded\n? complex\n: key\n"
)


def test_only_the_scalars_yaml_types_as_strings_are_fields() -> None:
    page = f"---\n{TYPING_CASES}---\n"
    fields = read_string_fields(page, split_front_matter(page, "a.md"), "a.md")
    assert [(fm.format_path(field.path), field.value) for field in fields] == [
        ("a", "123"), ("b", "1.5"), ("d", "5"), ("g", "yes"), ("i", ""), ("m[1]", "2"),
        ("m[3]", "x"), ("n.p", "q"), ("o", "block\n"), ("p", "folded"), ("complex", "key"),
    ]  # fmt: skip
    assert_fields_are_what_the_loader_reads(page, fields)


# --- Where the front matter ends ---------------------------------------------------------

_CLOSERS = {"yaml": ("---", "..."), "toml": ("+++",)}


def documented_split(text: str) -> FrontMatter | str:
    """The rule, line by line: the front matter ends at the first line after the opening one
    that is a closer of its format (``---`` or ``...``, ``+++``) with nothing after it but
    spaces or tabs; a line ends with LF, CR LF or the end of the text (a lone CR ends none)."""
    fmt = "toml" if text.startswith("+++") else "yaml"
    start = text.index("\n") + 1
    at = start
    for line in text[start:].split("\n"):
        ends_a_line = at + len(line) < len(text)
        content = line.removesuffix("\r") if ends_a_line else line
        if content.rstrip(" \t") in _CLOSERS[fmt]:
            return FrontMatter(fmt, start, at, min(at + len(line) + 1, len(text)))  # type: ignore[arg-type]
        at += len(line) + 1
    return "no closing line"


_LINES = ["---", "...", "+++", "--- ", "---\t", "----", ".. .", " ---", "a: b", "", "x ---"]


@given(
    st.sampled_from(["---", "+++", "--- "]),
    st.lists(st.sampled_from(_LINES), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_the_closing_line_is_the_first_line_the_rule_allows(
    opener: str, lines: list[str], newline: str, final_newline: bool
) -> None:
    text = opener + "\n" + newline.join(lines) + (newline if final_newline else "")
    try:
        now: FrontMatter | str = split_front_matter(text, "a.md")
    except PageError as err:
        assert (
            str(err) == f"a.md:1: the front matter opened here has no closing '{opener[:3]}' line"
        )
        now = "no closing line"
    event("closed" if isinstance(now, FrontMatter) else "not closed")
    assert now == documented_split(text)


@pytest.mark.parametrize(
    ("text", "start", "end", "body_start"),
    [
        ("---\n---\nbody", 4, 4, 8),  # empty front matter: the closer is the next line
        ("---\ntitle: x\n...\nbody", 4, 13, 17),
        ("---\ntitle: x\n---", 4, 13, 16),  # the closer ends the file
        ("---\r\ntitle: x\r\n---\r\nbody", 5, 15, 20),
        ("+++\ntitle = 'x'\n+++\n", 4, 16, 20),
        ("---\ntitle: x\n----\n---\n", 4, 18, 22),  # "----" is not a closer
    ],
)
def test_the_front_matter_ends_at_its_closing_line(
    text: str, start: int, end: int, body_start: int
) -> None:
    front = split_front_matter(text, "a.md")
    assert (front.start, front.end, front.body_start) == (start, end, body_start)


def test_what_is_escaped_in_double_quotes_is_never_printable() -> None:
    # (_double_quoted skips the escaping for a printable value)
    escaped = [chr(code) for code in range(0x110000) if fm._NON_PRINTABLE.match(chr(code))]
    assert len(escaped) > 2000
    assert not any(char.isprintable() for char in escaped)
    assert fm._double_quoted("a\u2028b\x85") == '"a\\u2028b\\u0085"'


BLANKS_BEFORE = {
    "a": "\n---\ntitle: After a blank line\n---\nBody a.\n",
    "b": "\t---\ntitle: After a tab\n---\nBody b.\n",
    "c": '  \n\n+++\ntitle = "After spaces and blank lines"\n+++\nBody c.\n',
    "d": ' {"title": "JSON after a space"}\nBody d.\n',
    "e": "\ufeff\n---\ntitle: After a byte-order mark and a blank line\n---\nBody e.\n",
}
"""Pages whose front matter comes after blanks (two Vitess pages start with a tab)."""


@pytest.mark.skipif(shutil.which("hugo") is None, reason="needs hugo")
def test_front_matter_after_blanks_is_read_as_hugo_reads_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "layouts/_default").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "hugo.toml").write_text('disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts/_default/single.html").write_text("{{ .Title }}")
    (site / "layouts/_default/list.html").write_text("")
    for name, page in BLANKS_BEFORE.items():
        (site / f"content/{name}.md").write_text(page, encoding="utf-8")
    done = subprocess.run(["hugo", "--quiet", "-s", str(site)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name, page in BLANKS_BEFORE.items():
        shown = (site / f"public/{name}/index.html").read_text(encoding="utf-8")
        [title] = [
            f.value for f in read_string_fields(page, split_front_matter(page, "p.md"), "p.md")
        ]
        assert title == shown, name
        assert page[split_front_matter(page, "p.md").body_start :].lstrip("\n") == f"Body {name}.\n"
