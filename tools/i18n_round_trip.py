"""i18n tables of a real site through extrans: on a copy of the site's Hugo configuration and
``i18n/`` folder (a theme's with ``--tables``), extract the source table's catalog, fill each
target language's catalog from the language's own hand-made table (``extrans adopt``), build
over that table with ``--force`` (is it byte-identical?), then build it anew from the catalog
alone.

usage: python tools/i18n_round_trip.py [--tables DIR] SITE LANG ...

The site itself is never written to. Prints, per language, the entries, those filled, and the
two builds' results; exit 1 when a build over a hand-made table is not byte-identical.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

from extrans.__main__ import run
from extrans.formats.i18n_table import read_i18n_table, table_format
from extrans.site.config import load_settings

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")


def extrans(site: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = run(["--site", str(site), *args])
    return code, out.getvalue()


def texts_of(path: Path) -> dict[str, dict[str, str]]:
    format = table_format(path.name)
    assert format is not None
    table = read_i18n_table(path.read_text(encoding="utf-8"), path.name, format)
    return {entry.id: {s.category: s.value for s in entry.strings} for entry in table.entries}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=Path, help="the i18n folder (default: SITE/i18n)")
    parser.add_argument("site", type=Path)
    parser.add_argument("languages", nargs="+")
    options = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as temporary:
        copy = Path(temporary) / "site"
        copy.mkdir()
        for name in (*CONFIGS, "config"):
            source = options.site / name
            if source.is_dir():
                shutil.copytree(source, copy / name)
            elif source.is_file():
                shutil.copy(source, copy / name)
        shutil.copytree(options.tables or options.site / "i18n", copy / "i18n")
        settings = load_settings(copy)  # (a source content folder, empty: no page to read)
        (copy / settings.content_dir(settings.source_language)).mkdir(parents=True)
        code, out = extrans(copy, "extract")
        print(f"extract: exit {code}; {out.strip().splitlines()[-1]}")
        for language in options.languages:
            for target in sorted((copy / "i18n").rglob(f"{language}.*")):
                if table_format(target.name) is None:
                    continue
                folder = target.parent.relative_to(copy).as_posix()
                own = texts_of(target)
                code, out = extrans(copy, "adopt", "--no-history", "--lang", language)
                adopted = next(
                    (line for line in out.splitlines() if line.startswith(f"{folder}/")), out
                )
                original = target.read_bytes()
                code, _ = extrans(copy, "build", "--lang", language, "--force")
                same = target.read_bytes() == original
                failed |= not same
                target.unlink()
                extrans(copy, "build", "--lang", language)
                anew = texts_of(target) if target.exists() else {}
                differ = [
                    i for i, t in anew.items() if own.get(i, {}).get("other") != t.get("other")
                ]
                print(
                    f"{adopted}; build --force over it: exit {code}, "
                    f"{'byte-identical' if same else 'CHANGED'}; built anew: {len(anew)} ids, "
                    f"{len(differ)} with another text {differ[:3]}"
                )
                target.write_bytes(original)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
