"""Pseudo-translate PO catalogs for the benchmark: every msgstr becomes its msgid with ASCII
letters rotated (ROT13), except inside inline code, link destinations and reference labels
(and the text of a collapsed reference), footnote references, the box of a task list item,
Hugo shortcodes and template calls (``{{...}}``), HTML tags, backslash escapes, character
references and bare URLs, so a built page keeps working links and markup. The tests translate
with the same function: it is reversible, and every text it changes keeps its structure.

``python bench/pseudo.py PATH ...`` rewrites each ``.po`` file given, or found under a folder
given, with extrans's own reader and writer (``extrans.pofile``): entries whose msgstr changes
are written as gettext's ``msgcat`` would, the others keep their bytes. The header entry is kept;
fuzzy flags and previous msgids are dropped, since the pseudo-translation is current. It must run
with a Python that can import extrans (``run.py`` uses the interpreter of the ``extrans``
command).
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from extrans.formats.pofile import format_catalog, parse_po

__all__ = ["main", "pseudo", "pseudo_catalog", "pseudo_file"]

_KEEP = re.compile(
    r"`+[^`]*`+"  # inline code
    r"|\]\([^)]*\)"  # a link or image destination
    r"|\]\[[^\]]*\]"  # a reference label
    r"|\[\^[^\]\s]+\]"  # a footnote reference
    r"|\[[^\[\]]*\]\[\]"  # a collapsed reference, whose text is its label
    r"|\A\[[ xX]\](?= )"  # a task list item's box
    r"|\{\{.*?\}\}"  # a shortcode or template call
    r"|<[^<>]*>"  # an HTML tag or an autolink
    r"|</?[A-Za-z][\w-]*"  # the name of a tag that ends on another line
    r"|\\."  # a backslash escape
    r"|&\w+;"  # a character reference
    r"|https?://\S+",  # a bare URL, which Hugo links
    re.DOTALL,
)


def pseudo(text: str) -> str:
    """``text`` with ASCII letters rotated by 13, except inside the parts that must stay."""
    out: list[str] = []
    position = 0
    for match in _KEEP.finditer(text):
        out += [codecs.encode(text[position : match.start()], "rot13"), match[0]]
        position = match.end()
    out.append(codecs.encode(text[position:], "rot13"))
    return "".join(out)


def pseudo_catalog(text: str, path: str) -> str:
    """A catalog's text with every live entry pseudo-translated."""
    catalog = parse_po(text, path)
    messages = []
    for message in catalog.messages:
        if message.obsolete or not message.msgid:
            messages.append(message)
            continue
        translation = pseudo(message.msgid)
        flags = tuple(flag for flag in message.flags if flag != "fuzzy")
        if (
            translation == message.msgstr
            and flags == message.flags
            and message.previous_msgid is None
        ):
            messages.append(message)
            continue
        messages.append(
            dataclasses.replace(
                message,
                msgstr=translation,
                flags=flags,
                previous_msgid=None,
                previous_msgctxt=None,
                raw=None,
            )
        )
    return format_catalog(dataclasses.replace(catalog, messages=tuple(messages)))


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
