"""Every reader against the extremes Python's own readers fail on with errors of their own:
an integer over 4,300 digits (``ValueError``), nesting past the stack (``RecursionError``),
an escape of half a surrogate pair (a string no UTF-8 file can hold), NULs, invalid UTF-8,
byte-order marks, very long lines. Each reader (front matter in YAML, TOML and JSON, in a
source and a localized page; a Markdown body; a catalog and its ``Plural-Forms``; the build
record; the cache; ``extrans.toml`` and ``hugo.*``) gets each extreme where a value goes.
Whatever a command makes of it, it is never exit 70: a file refused is one line and exit 2.

The default run puts every page-level reader's file in one site per extreme, and runs the
commands in-process; ``pytest -m fuzz`` draws mixtures of extremes with hypothesis and runs
the commands as the command line, one process each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .conftest import two_page_site

Run = Callable[..., tuple[int, str, str]]

EXTREMES: dict[str, bytes] = {
    "an integer over Python's limit": b"9" * 5000,
    "a negative one": b"-" + b"7" * 5000,
    "an integer with underscores": b"1_" * 4400 + b"1",
    "a float over Python's limit": b"9" * 5000 + b".5e99999",
    "half a surrogate pair": b'"x \\ud800 y"',
    "the other half": b'"x \\udfff y"',
    "an escaped NUL": b'"x \\u0000 y"',
    "a NUL": b'"x \x00 y"',
    "invalid UTF-8": b'"x \xff\xfe y"',
    "a byte-order mark": b'"\xef\xbb\xbfx"',
    "lists nested past the stack": b"[" * 5000 + b"]" * 5000,
    "an unclosed nest": b"[" * 100_000,
    "a nest just past the stack": b"[" * 1200,
    "mappings nested past the stack": b'{"a": ' * 3000 + b"1" + b"}" * 3000,
    "a very long line": b'"' + b"x" * 300_000 + b'"',
    "a very long word": b"x" * 300_000,
}
"""What goes where a value goes, as the bytes of a file."""

V = b"@VALUE@"
PAGE_READERS: dict[str, bytes] = {
    "content/en/yaml.md": b"---\ntitle: A title\ntranslationKey: y\nweight: @VALUE@\n---\nBody.\n",
    "content/en/toml.md": b'+++\ntitle = "A title"\ntranslationKey = "t"\nweight = @VALUE@\n+++\n',
    "content/en/json.md": b'{"title": "A title", "translationKey": "j", "weight": @VALUE@}\nBody.\n',
    "content/en/json-title.md": b'{"title": @VALUE@, "translationKey": "jt"}\nBody.\n',
    "content/en/toml-title.md": b'+++\ntitle = @VALUE@\ntranslationKey = "tt"\n+++\nBody.\n',
    "content/en/key.md": b"---\ntitle: A title\ntranslationKey: @VALUE@\n---\nBody.\n",
    "content/en/body.md": b"---\ntitle: A title\n---\n\n@VALUE@\n\n> @VALUE@\n\n- @VALUE@\n",
    "content/es/saw.md": b'+++\ntitle = "A title"\nweight = @VALUE@\n+++\nBody.\n',
    "content/es/_index.md": b'{"title": "A title", "weight": @VALUE@}\nBody.\n',
    "locale/built-pages.json": b'{"version": 1, "pages": {"content/es/x.md": @VALUE@}}\n',
    ".extrans-cache/extract.json": b'{"fingerprint": @VALUE@, "pages": {}, "files": {}}',
    ".extrans-cache/build.json": b"@VALUE@",
}
"""Files read by page, catalog or record: one bad file is one line, the rest is processed."""

CATALOG_READERS: dict[str, tuple[str, bytes]] = {
    "plural": ("exercise-saw", b'"Plural-Forms: nplurals=2; plural=@VALUE@;\\n"\n'),
    "nplurals": ("exercise-saw", b'"Plural-Forms: nplurals=@VALUE@; plural=n;\\n"\n'),
    "msgstr": ("home", b'\nmsgid "Body."\nmsgstr @VALUE@\n'),
    "reference": ("home", b'\n#: content/en/_index.md:@VALUE@\nmsgid "Gone."\nmsgstr "Ido."\n'),
}
"""A catalog's header line or entry (by the page whose catalog it goes in): every command
reads the catalog, extract checks its Plural-Forms and writes its references back."""

CONFIG_READERS: dict[str, bytes] = {
    "extrans.toml": b"wrap-width = @VALUE@\n",
    "hugo.toml": b"timeout = @VALUE@\n",
    "hugo.yaml": b"languages:\n  en: {weight: 1}\n  es: {weight: 2}\ntimeout: @VALUE@\n",
    "hugo.json": b'{"languages": {"en": {"weight": 1}, "es": {"weight": 2}}, "timeout": @VALUE@}',
}
"""A configuration file ends the run when it cannot be read: one line, exit 2."""

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("extract",),
    ("extract", "--check"),
    ("build", "--threshold", "0"),
    ("build", "--check", "--threshold", "0"),
    ("status",),
    ("check",),
)


def put(site: Path, name: str, template: bytes, value: bytes) -> None:
    path = site / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.startswith("hugo.") and name != "hugo.toml":
        (site / "hugo.toml").unlink(missing_ok=True)
    if name in ("extrans.toml", "hugo.toml") and path.exists():
        template = path.read_bytes() + b"\n" + template
    path.write_bytes(template.replace(V, value))


def catalog_with(site: Path, kind: str, value: bytes) -> None:
    """A catalog as extract wrote it, with a header line added or an entry appended."""
    key, template = CATALOG_READERS[kind]
    path = site / f"locale/es/{key}.po"
    text = path.read_bytes()
    added = template.replace(V, value)
    if added.startswith(b'"'):  # a header line, after the header's last
        header_end = text.index(b"\n\n")
        path.write_bytes(text[: header_end + 1] + added + text[header_end + 1 :])
    else:
        path.write_bytes(text + added)


def assert_no_internal_error(code: int, err: str, what: object) -> None:
    assert code in (0, 1, 2), (what, code, err[-2000:])
    assert "internal error" not in err and "Traceback" not in err, (what, err[-2000:])


@pytest.fixture
def built_site(tmp_path: Path, extrans: Run) -> Path:
    site = two_page_site(tmp_path / "site")
    assert extrans(site, "extract")[0] == 0
    assert extrans(site, "build", "--threshold", "0")[0] == 0
    return site


@pytest.mark.parametrize("extreme", sorted(EXTREMES))
def test_no_page_catalog_or_record_reaches_exit_70(
    built_site: Path, extrans: Run, extreme: str
) -> None:
    value = EXTREMES[extreme]
    for name, template in PAGE_READERS.items():
        put(built_site, name, template, value)
    catalog_with(built_site, "plural", value)
    catalog_with(built_site, "reference", value)
    for command in COMMANDS:
        code, _, err = extrans(built_site, *command)
        assert_no_internal_error(code, err, command)


@pytest.mark.parametrize("name", sorted(CONFIG_READERS))
@pytest.mark.parametrize(
    "extreme",
    [
        "an integer over Python's limit",
        "half a surrogate pair",
        "a nest just past the stack",
        "a NUL",
    ],
)
def test_no_configuration_reaches_exit_70(
    built_site: Path, extrans: Run, name: str, extreme: str
) -> None:
    put(built_site, name, CONFIG_READERS[name], EXTREMES[extreme])
    code, _, err = extrans(built_site, "status")
    assert_no_internal_error(code, err, name)
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith(f"{name}:"), err


# --- Fuzzing, as the command line (pytest -m fuzz) ------------------------------------------

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}
PREPARE: tuple[tuple[str, ...], ...] = (("extract",), ("build", "--threshold", "0"))


@st.composite
def hostile_values(draw: st.DrawFn) -> bytes:
    """An extreme, or a few pieces of them (cut, joined, wrapped in a string)."""
    pieces = draw(st.lists(st.sampled_from(sorted(EXTREMES)), min_size=1, max_size=3))
    value = b"".join(EXTREMES[piece][: draw(st.integers(1, 200_000))] for piece in pieces)
    if draw(st.booleans()):
        value = b'"' + value.replace(b'"', b"") + b'"'
    return value


@pytest.mark.fuzz
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    readers=st.dictionaries(
        st.sampled_from(sorted({**PAGE_READERS, **CONFIG_READERS, **CATALOG_READERS})),
        hostile_values(),
        min_size=1,
        max_size=4,
    )
)
def test_fuzzed_readers_never_reach_exit_70(
    tmp_path_factory: pytest.TempPathFactory, readers: Mapping[str, bytes]
) -> None:
    site = two_page_site(tmp_path_factory.mktemp("fuzz") / "site")
    for command in PREPARE:
        run_command(site, command)
    for name, value in readers.items():
        if name in CATALOG_READERS:
            catalog_with(site, name, value)
        else:
            put(site, name, {**PAGE_READERS, **CONFIG_READERS}[name], value)
    for command in COMMANDS:
        code, err = run_command(site, command)
        event(f"{command[0]}: exit {code}")
        assert_no_internal_error(code, err, (command, sorted(readers)))


def run_command(site: Path, command: tuple[str, ...]) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "extrans", "--site", str(site), *command],
        env=ENV,
        capture_output=True,
        check=False,
        timeout=300,
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "command", [("status",), ("status", "--format", "json"), ("check", "--format", "json")]
)
def test_a_locale_that_cannot_spell_a_name_is_no_internal_error(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """With an ASCII locale, a page named in Spanish is written with escapes in text, and in
    UTF-8 in JSON (which is UTF-8 by definition): never exit 70."""
    site = two_page_site(tmp_path / "site")
    (site / "content/en/página").mkdir()
    shutil.copy(site / "content/en/saw.md", site / "content/en/página/ñ.md")
    (site / "content/en/saw.md").unlink()
    ascii_locale = {**ENV, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    for args in (("extract",), command):
        done = subprocess.run(
            [sys.executable, "-m", "extrans", "--site", str(site), *args],
            env=ascii_locale, capture_output=True, check=False,
        )  # fmt: skip
        assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    if "json" in command:
        json.loads(done.stdout.decode("utf-8"))
    else:
        assert "p\\xe1gina" in done.stdout.decode("ascii")
