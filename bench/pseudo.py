"""Pseudo-translate PO catalogs for the benchmark, with extrans's own
transform (``extrans.formats.pseudo``, what ``extrans pseudo`` writes): every msgstr becomes
its msgid with its prose letters accented, about a third longer and bracketed, its markup
(code, link destinations and labels, shortcodes, HTML, URLs, math, placeholders...) left as it
is, so a built page keeps working links and markup. Every tool's catalogs get the same
transform.

``python bench/pseudo.py PATH ...`` rewrites each ``.po`` file given, or found under a folder
given, with extrans's own reader and writer (``extrans.pofile``): entries whose msgstr changes
are written as gettext's ``msgcat`` would, the others keep their bytes. The header entry is kept;
fuzzy flags and previous msgids are dropped, since the pseudo-translation is current. It must run
with a Python that can import extrans (``run.py`` uses the interpreter of the ``extrans``
command).
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from extrans.formats.pofile import format_catalog, parse_po
from extrans.formats.pseudo import pseudo_messages

__all__ = ["main", "pseudo_catalog", "pseudo_file"]


def pseudo_catalog(text: str, path: str) -> str:
    """A catalog's text with every live entry pseudo-translated."""
    catalog = parse_po(text, path)
    messages = pseudo_messages(catalog.messages)
    return format_catalog(dataclasses.replace(catalog, messages=messages))


def pseudo_file(path: Path) -> bool:
    """Pseudo-translate one catalog in place; ``True`` when its text changed."""
    text = path.read_text(encoding="utf-8")
    new = pseudo_catalog(text, str(path))
    if new == text:
        return False
    path.write_text(new, encoding="utf-8", newline="\n")
    return True


def _catalogs(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.po"))
        else:
            yield path


def main(argv: Sequence[str] | None = None) -> int:
    """Pseudo-translate the catalogs named on the command line; exit 2 if one cannot be read."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    changed = total = 0
    failed = False
    for path in _catalogs([Path(arg) for arg in args]):
        total += 1
        try:
            changed += pseudo_file(path)
        except Exception as err:  # report every bad catalog and go on
            print(f"{path}: {err}", file=sys.stderr)
            failed = True
    print(f"pseudo-translated {changed} of {total} catalogs")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
