"""Hugo render parity of real sites: on a copy of each site, extract its English pages,
pseudo-translate the catalogs, build them into a Spanish content folder of the copy, and render
every page's body in both languages with the real ``hugo`` (the site's Goldmark settings, its
shortcodes as stand-ins: its theme need not be installed), with the harness of
``tests/test_render_parity.py`` (``tests/hugo_render.py``). Prints the pages, the Hugo
constructs their bodies use (counted by line patterns outside fenced code), and the pages whose
render differs, each with its first differing element.

usage: python tools/render_parity.py [--content DIR] [--show N] [--keep DIR] SITE ...

The site itself is never written to. ``--content`` names the source language's content folder
in each site (default: ``content/en``, ``content.en`` or ``content``, the first that exists).
Exit 1 when a page renders differently, 2 when a site cannot be processed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # (the harness is in tests/)

from extrans.__main__ import run
from tests.hugo_render import Difference, localize_site, rendered_differently

TARGET = "es"
CONTENT_FOLDERS = ("content/en", "content.en", "content")
SKIPPED = frozenset({".git", "node_modules", "public", "resources", ".extrans-cache"})
_ATTRIBUTES = r"\{\s*(?:[.#][\w-]+|[\w-]+=\S+)(?:\s+(?:[.#][\w-]+|[\w-]+=\S+))*\s*\}"
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CONSTRUCTS: Mapping[str, re.Pattern[str]] = {
    "definition list item": re.compile(r"^ {0,3}: \S"),
    "footnote definition": re.compile(r"^ {0,3}\[\^[^\]\s]+\]:"),
    "footnote reference": re.compile(r"\[\^[^\]\s]+\](?!:)"),
    "attribute line": re.compile(rf"^ *{_ATTRIBUTES}\s*$"),
    "heading attributes": re.compile(rf"^ {{0,3}}#{{1,6}} .*{_ATTRIBUTES}\s*$"),
    "display math": re.compile(r"\$\$"),
    "multi-line shortcode call": re.compile(r"\{\{[<%](?!.*[>%]\}\})[^{}]*$"),
    "paired shortcode": re.compile(r"\{\{[<%]\s*/\s*[\w./-]+\s*[>%]\}\}"),
    "table delimiter row": re.compile(r"^ {0,3}\|?\s*:?-+:?\s*\|(\s*:?-+:?\s*\|?)*\s*$"),
    "details HTML": re.compile(r"<details\b"),
    "figure shortcode": re.compile(r"\{\{[<%]\s*figure\b"),
}


@dataclass(frozen=True, slots=True)
class SiteReport:
    """What one site gave. (Its build output, cache and dependencies are not copied.)"""

    site: Path
    pages: int
    """Source pages (``.md``) in its content folder."""
    built: int
    """Pages extrans built into the target language."""
    constructs: Counter[str]
    """How many lines of the source bodies use each construct."""
    differences: Mapping[str, Difference]
    """Page (path in the content folder) → its first differing element."""
    compared: int
    """Pages rendered in both languages and compared."""
    exit_codes: tuple[int, int]
    """``extrans extract``'s and ``extrans build``'s."""


def count_constructs(text: str) -> Counter[str]:
    """The lines of ``text`` outside fenced code that use each construct of ``CONSTRUCTS``."""
    found: Counter[str] = Counter()
    fence: str | None = None
    for line in text.splitlines():
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        found.update(name for name, pattern in CONSTRUCTS.items() if pattern.search(line))
    return found


def goldmark_settings(site: Path) -> dict[str, object]:
    """The site's ``markup.goldmark`` settings, from the first Hugo configuration file that
    has them (its own file, then ``config/_default/``)."""
    candidates = [
        *(
            site / f"{stem}.{suffix}"
            for stem in ("hugo", "config")
            for suffix in ("toml", "yaml", "yml", "json")
        ),
        *(
            site / "config" / "_default" / f"{stem}.{suffix}"
            for stem in ("hugo", "config", "markup")
            for suffix in ("toml", "yaml", "yml", "json")
        ),
    ]
    for path in candidates:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        data: object = (
            tomllib.loads(text)
            if path.suffix == ".toml"
            else json.loads(text)
            if path.suffix == ".json"
            else yaml.safe_load(text)
        )
        if path.stem == "markup" and isinstance(data, dict):
            data = {"markup": data}
        markup = data.get("markup") if isinstance(data, dict) else None
        goldmark = markup.get("goldmark") if isinstance(markup, dict) else None
        if isinstance(goldmark, dict):
            return goldmark
    return {}


def content_folder(site: Path, given: str | None) -> str | None:
    """The source language's content folder of ``site``, relative to it."""
    for name in [given] if given else CONTENT_FOLDERS:
        if (site / name).is_dir():
            return name
    return None


def check_site(site: Path, content: str, work: Path, proposals: bool = False) -> SiteReport:
    """Localize a copy of ``site`` in ``work`` and compare the renders of its pages, whose
    source language is in ``content`` (with ``proposals``, with the ``fields`` and
    ``code-shortcodes`` that ``extrans init`` proposes for it, as a team starts)."""
    copy = work / "site"
    shutil.copytree(
        site,
        copy,
        ignore=lambda folder, names: [n for n in names if Path(folder) == site and n in SKIPPED],
        symlinks=True,
    )
    target_folder = f"parity-{TARGET}"
    proposed = ""
    if proposals:
        (copy / "extrans.toml").unlink(missing_ok=True)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            run(["--site", str(copy), "init", "--lang", TARGET])
        made = tomllib.loads((copy / "extrans.toml").read_text(encoding="utf-8"))
        proposed = "".join(
            f"{key} = {json.dumps(made[key])}\n" for key in ("fields", "code-shortcodes")
        )
    (copy / "extrans.toml").write_text(
        f'source-language = "en"\ntarget-languages = ["{TARGET}"]\n{proposed}'
        f'threshold = 0\n[content-dirs]\nen = "{content}"\n{TARGET} = "{target_folder}"\n',
        encoding="utf-8",
    )
    localized = localize_site(copy, TARGET)
    source_root, built_root = copy / content, copy / target_folder
    pairs: dict[str, tuple[str, str]] = {}
    constructs: Counter[str] = Counter()
    sources = sorted(source_root.rglob("*.md"))
    for path in sources:
        name = path.relative_to(source_root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        constructs += count_constructs(text)
        built = built_root / name
        if built.is_file():
            pairs[name] = (text, built.read_text(encoding="utf-8"))
    differences = rendered_differently(pairs, work / "render", goldmark_settings(site))
    rendered = len(list((work / "render" / "content" / "b").glob("*.md")))
    return SiteReport(
        site, len(sources), len(pairs), constructs, differences, rendered, localized.exit_codes
    )


def print_report(report: SiteReport, show: int) -> None:
    print(f"== {report.site}")
    print(
        f"pages: {report.pages}, built: {report.built}, rendered in both languages: "
        f"{report.compared}, rendered differently: {len(report.differences)} "
        f"(extract exit {report.exit_codes[0]}, build exit {report.exit_codes[1]})"
    )
    print(
        "constructs (lines): " + ", ".join(f"{n} {c}" for c, n in report.constructs.most_common())
    )
    for number, (name, difference) in enumerate(sorted(report.differences.items())):
        if number == show:
            print(f"  ... and {len(report.differences) - show} more")
            break
        print(f"  {name}: {difference}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", metavar="SITE", nargs="+", type=Path)
    parser.add_argument("--content", help="the source content folder in each site")
    parser.add_argument("--show", type=int, default=1000, help="differences shown per site")
    parser.add_argument(
        "--init",
        action="store_true",
        help="use the fields and code-shortcodes `extrans init` proposes for each site",
    )
    parser.add_argument(
        "--keep", type=Path, help="an empty folder to keep each site's copy and render in"
    )
    args = parser.parse_args(argv)
    code = 0
    for number, site in enumerate(args.sites):
        content = content_folder(site, args.content)
        if content is None:
            print(f"{site}: error: no content folder {args.content or CONTENT_FOLDERS}")
            code = 2
            continue
        if args.keep:
            work = args.keep / f"{number}-{site.resolve().name}"
            work.mkdir(parents=True)
            report = check_site(site.resolve(), content, work, args.init)
        else:
            with tempfile.TemporaryDirectory(prefix="render-parity-") as temporary:
                report = check_site(site.resolve(), content, Path(temporary), args.init)
        print_report(report, args.show)
        if report.differences and not code:
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())
