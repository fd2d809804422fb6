"""Data files of a real site through extrans: on a copy of the site's Hugo configuration and
``data/`` folder (no pages), ``init`` proposes the data fields (or ``--field`` entries are
used) and extract makes their catalogs. Where the site has the language's files by hand
(``data/fr/…``), each catalog is filled from them (the text at the same path), and build runs
over them with ``--force``: are they byte-identical? Then each catalog is filled with
pseudo-translations, build writes the language's files anew, and each is judged by the
format's own parser: the same keys and structure as its source, every extracted string
pseudo-translated and nothing else changed. A second fill (other translations) is then built
in place over those files.

usage: python tools/data_round_trip.py [--field FILE:FIELDS ...] SITE LANG

The site itself is never written to. Prints the entries and files, and each check's result;
exit 1 when a built file is not its source with exactly its strings translated.
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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from extrans.__main__ import run
from extrans.formats.datafile import hand_translations
from extrans.formats.frontmatter import PathPart, read_document_strings
from extrans.formats.pofile import format_catalog, parse_po
from extrans.formats.pseudo import pseudo_translate
from extrans.site.config import load_settings
from extrans.site.datafiles import data_format, data_sources, parse_data_file

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")


def extrans(site: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = run(["--site", str(site), *args])
    return code, out.getvalue()


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    format = data_format(path.name)
    if format == "toml":
        return tomllib.loads(text)
    if format == "json":
        return json.loads(text)
    return yaml.safe_load(text)


def with_values(
    data: Any, values: dict[tuple[PathPart, ...], str], at: tuple[PathPart, ...] = ()
) -> Any:
    if isinstance(data, dict):
        return {key: with_values(value, values, (*at, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [with_values(value, values, (*at, i)) for i, value in enumerate(data)]
    return values.get(at, data)


def fill(site: Path, language: str, how: Callable[[str], str]) -> int:
    """Translate every entry of the language's data catalogs with ``how``; how many."""
    count = 0
    for po in sorted((site / "locale" / language / "data").rglob("*.po")):
        catalog = parse_po(po.read_text(encoding="utf-8"), str(po))
        messages = tuple(
            replace(m, msgstr=how(m.msgid), flags=(), previous_msgid=None, raw=None)
            for m in catalog.messages
        )
        count += len(messages)
        po.write_text(format_catalog(replace(catalog, messages=messages)), encoding="utf-8")
    return count


def fill_from_hand_made(site: Path, language: str) -> tuple[int, int, list[str]]:
    """Fill the catalogs from the language's hand-made data files: (entries, filled, the
    hand-made files)."""
    settings = load_settings(site)
    total = filled = 0
    targets = []
    for relative in data_sources(settings).pages:
        target = site / settings.data_target_path(relative, language)
        format = data_format(relative)
        if not target.exists() or format is None:
            continue
        targets.append(target.relative_to(site).as_posix())
        text = (site / relative).read_text(encoding="utf-8")
        page = parse_data_file(text, relative, settings)
        existing = target.read_text(encoding="utf-8")
        by_text = {
            msgid: translation
            for (_, msgid), translation in hand_translations(
                text, page, existing, str(target)
            ).items()
        }
        po = site / settings.catalog_path(language, page.key)
        catalog = parse_po(po.read_text(encoding="utf-8"), str(po))
        messages = tuple(
            replace(m, msgstr=by_text[m.msgid], flags=(), previous_msgid=None, raw=None)
            if m.msgid in by_text
            else m
            for m in catalog.messages
        )
        total += len(messages)
        filled += sum(1 for m in catalog.messages if m.msgid in by_text)
        po.write_text(format_catalog(replace(catalog, messages=messages)), encoding="utf-8")
    return total, filled, targets


def judge(site: Path, language: str, how: Callable[[str], str]) -> tuple[int, int]:
    """Each data file's translation against its source read by the format's parser: (files
    as expected, files not)."""
    settings = load_settings(site)
    good = bad = 0
    for relative in data_sources(settings).pages:
        source = site / relative
        text = source.read_text(encoding="utf-8")
        page = parse_data_file(text, relative, settings)
        format = data_format(relative)
        assert format is not None
        spans = {(s.start, s.end) for s in page.segments}
        expected = {
            f.path: how(f.value)
            for f in read_document_strings(text, format, relative)
            if (f.start, f.end) in spans
        }
        target = site / settings.data_target_path(relative, language)
        if target.exists() and load(target) == with_values(load(source), expected):
            good += 1
        else:
            bad += 1
            print(f"  NOT AS EXPECTED: {target.relative_to(site)}")
    return good, bad


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--field", action="append", default=[], help="a data-files entry")
    parser.add_argument("site", type=Path)
    parser.add_argument("language")
    options = parser.parse_args(argv)
    language = options.language
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / "site"
        copy.mkdir()
        for name in (*CONFIGS, "config"):
            source = options.site / name
            if source.is_dir():
                shutil.copytree(source, copy / name)
            elif source.is_file():
                shutil.copy(source, copy / name)
        shutil.copytree(options.site / "data", copy / "data")
        settings = load_settings(copy)
        (copy / settings.content_dir(settings.source_language)).mkdir(parents=True)
        code, out = extrans(copy, "init", "--lang", language)
        print(f"init: exit {code}")
        config = (copy / "extrans.toml").read_text(encoding="utf-8")
        if options.field:
            named = ", ".join(json.dumps(entry) for entry in options.field)
            config = re.sub(r"(?ms)^data-files = \[.*?^\]", "", config)
            config += f"\ndata-files = [{named}]\n"
            (copy / "extrans.toml").write_text(config, encoding="utf-8")
        proposed = re.search(r"(?ms)^data-files = \[(.*?)^\]", config)
        chosen = options.field or re.findall(
            r'^    ("[^\n]*?"),', proposed[1] if proposed else "", re.M
        )
        print(f"data-files: {len(chosen)} entries{' (given)' if options.field else ''}")
        code, out = extrans(copy, "extract")
        print(f"extract: exit {code}; {out.strip().splitlines()[-1]}")
        files = len(data_sources(load_settings(copy)).pages)
        total, filled, hand_made = fill_from_hand_made(copy, language)
        identical = 0
        if hand_made:
            before = {name: (copy / name).read_bytes() for name in hand_made}
            code, out = extrans(copy, "build", "--force")
            identical = sum((copy / name).read_bytes() == data for name, data in before.items())
            print(
                f"hand-made {language} files: {len(hand_made)}; {filled} of {total} entries "
                f"filled from them; build --force over them: exit {code}, {identical} "
                "byte-identical"
            )
            for name in hand_made:
                (copy / name).unlink()
        entries = fill(copy, language, pseudo_translate)
        code, out = extrans(copy, "build")
        print(f"build (pseudo): exit {code}; {files} files, {entries} entries; {out.strip()}")
        good, bad = judge(copy, language, pseudo_translate)
        print(f"  {good} files are their source with exactly their strings pseudo-translated")

        def other(text: str) -> str:
            return pseudo_translate(pseudo_translate(text))

        fill(copy, language, other)
        code, out = extrans(copy, "build")
        print(f"build in place (other translations): exit {code}; {out.strip()}")
        good2, bad2 = judge(copy, language, other)
        print(f"  {good2} files are their source with exactly their strings translated again")
        code, out = extrans(copy, "build", "--check")
        print(f"build --check: exit {code}")
    return 1 if bad or bad2 or code or identical < len(hand_made) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
