"""Generate ``src/extrans/formats/_linebreak_data.py``: libunistring 1.0's line breaking tables.

GNU gettext 0.21 (Debian 12) wraps PO strings with libunistring 1.0's ``ulc_width_linebreaks``.
To reproduce its output byte for byte, extrans needs exactly the data that library uses, which
is not quite ``LineBreak.txt``: libunistring 1.0 is built from Unicode 14.0 (the Debian
``unicode-data`` package is 15.0), resolves CJ to NS, splits OP, CP and ID into two classes
each, and adjusts a few code points. So this dev-time script reads, through ctypes:

* the per-code-point line breaking class table (``libunistring_unilbrkprop``),
* the class-pair table, probed with ``u8_possible_linebreaks_v2`` on one representative
  character per class (and checked against ``libunistring_unilbrk_table``),
* the display width of every code point (``uc_width(uc, "UTF-8")``).

``LineBreak.txt`` names the classes and serves as a cross-check; the script reports how many
code points differ from it (chars new in Unicode 15.0 and libunistring's own adjustments).

usage: python tools/gen_linebreak.py [--output PATH] [--verify N]

``--verify N`` compares ``extrans.po_wrap``'s break opportunities and display widths with
libunistring's on N random strings (after generating; run it again after editing po_wrap).
"""

from __future__ import annotations

import argparse
import ctypes
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

LINEBREAK_TXT = Path("/usr/share/unicode/LineBreak.txt")
LIBUNISTRING = "libunistring.so.2"
MAX_CODE_POINT = 0x110000
DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src/extrans/formats/_linebreak_data.py"

# libunistring 1.0's ``enum { LBP_... }`` in unilbrk/lbrktables.h: index = value.
# Values below TABLE_SIZE index the pair table; the others are resolved at run time.
CLASS_NAMES = (
    "WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1", "OP2",
    "QU", "IS", "NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL", "JV", "JT",
    "HL", "RI", "ZWJ", "EB", "EM", "BK", "CR", "LF", "CM", "ZW", "SP", "CB", "AI", "SA", "XX",
)  # fmt: skip
TABLE_SIZE = 33
# What each libunistring class is called in LineBreak.txt (besides its own name).
UCD_ALIASES = {
    "NS": {"NS", "CJ"},
    "BK": {"BK", "NL"},
    "CP1": {"CP"},
    "CP2": {"CP"},
    "OP1": {"OP"},
    "OP2": {"OP"},
    "ID1": {"ID"},
    "ID2": {"ID"},
}

# unilbrk.h
UC_BREAK_PROHIBITED = 1
UC_BREAK_POSSIBLE = 2
# lbrktables.h: D = direct break, I = indirect (only across spaces), P = prohibited.
PAIR_LETTERS = {1: "D", 2: "I", 3: "P"}


class Libunistring:
    """The few entry points of libunistring 1.0 that this script reads."""

    def __init__(self, name: str = LIBUNISTRING) -> None:
        self.lib = ctypes.CDLL(name)
        self._possible = self.lib.u8_possible_linebreaks_v2
        self._possible.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_char_p,
            ctypes.c_char_p,
        ]
        self._possible.restype = None
        self._width = self.lib.uc_width
        self._width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
        self._width.restype = ctypes.c_int

    def possible_linebreaks(self, text: str) -> list[int]:
        """``u8_possible_linebreaks_v2`` of TEXT, one value per code point."""
        data = text.encode("utf-8")
        out = ctypes.create_string_buffer(len(data))
        self._possible(data, len(data), b"UTF-8", out)
        raw = out.raw
        result = []
        offset = 0
        for char in text:
            result.append(raw[offset])
            offset += len(char.encode("utf-8"))
        return result

    def width(self, code_point: int) -> int:
        """``uc_width`` of CODE_POINT in a UTF-8 locale."""
        return int(self._width(code_point, b"UTF-8"))

    def class_lookup(self) -> Callable[[int], int]:
        """Return ``unilbrkprop_lookup`` over the library's own three-level table."""
        base = ctypes.addressof(ctypes.c_int.in_dll(self.lib, "libunistring_unilbrkprop"))
        # lbrkprop.h: header_0 = 16, header_1 = 15, header_2 = 7, header_3 = 511, header_4 = 127.
        level1: list[int] = list((ctypes.c_int * 15).from_address(base))
        if not all(v == -1 or (v >= 0 and v % 512 == 0) for v in level1):
            raise SystemExit(f"unexpected unilbrkprop layout: level1 = {level1}")
        n2 = (max(level1) // 512 + 1) * 512
        level2: list[int] = list((ctypes.c_int * n2).from_address(base + 15 * 4))
        if not all(v == -1 or (v >= 0 and v % 128 == 0) for v in level2):
            raise SystemExit("unexpected unilbrkprop layout in level2")
        n3 = (max(level2) // 128 + 1) * 128
        level3 = bytes((ctypes.c_ubyte * n3).from_address(base + 15 * 4 + n2 * 4))
        xx = CLASS_NAMES.index("XX")

        def lookup(uc: int) -> int:
            index1 = uc >> 16
            if index1 < 15 and level1[index1] >= 0:
                lookup2 = level2[level1[index1] + ((uc >> 7) & 511)]
                if lookup2 >= 0:
                    return level3[lookup2 + (uc & 127)]
            return xx

        return lookup

    def exported_pair_table(self) -> list[list[int]] | None:
        """``unilbrk_table``, when the library exports it."""
        try:
            table = (ctypes.c_ubyte * (TABLE_SIZE * TABLE_SIZE)).in_dll(
                self.lib, "libunistring_unilbrk_table"
            )
        except ValueError:
            return None
        return [list(table[a * TABLE_SIZE : (a + 1) * TABLE_SIZE]) for a in range(TABLE_SIZE)]


def read_linebreak_txt(path: Path) -> dict[int, str]:
    """Map code points to their LineBreak.txt class (unlisted ones are absent)."""
    classes: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        code_points, name = (field.strip() for field in data.split(";"))
        first, _, last = code_points.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            classes[cp] = name
    return classes


def check_class_names(classes: Sequence[int], ucd: dict[int, str]) -> int:
    """Check that CLASS_NAMES agrees with LineBreak.txt; return the count of differing code
    points."""
    votes: dict[int, Counter[str]] = {}
    differing = 0
    for cp, cls in enumerate(classes):
        if 0xD800 <= cp < 0xE000:
            continue
        ucd_name = ucd.get(cp, "XX")
        votes.setdefault(cls, Counter())[ucd_name] += 1
        name = CLASS_NAMES[cls]
        if ucd_name not in UCD_ALIASES.get(name, {name}):
            differing += 1
    for cls, counter in sorted(votes.items()):
        name = CLASS_NAMES[cls]
        majority = counter.most_common(1)[0][0]
        if majority not in UCD_ALIASES.get(name, {name}):
            raise SystemExit(f"class {cls} ({name}) is mostly {majority} in LineBreak.txt")
    return differing


def probe_pair_table(lib: Libunistring, classes: Sequence[int]) -> list[str]:
    """The pair table, probed with one representative character per class."""
    representative: dict[int, int] = {}
    for cp, cls in enumerate(classes):
        if cls < TABLE_SIZE and cls not in representative and not 0xD800 <= cp < 0xE000:
            representative[cls] = cp
    exported = lib.exported_pair_table()
    # Pairs that u8_possible_linebreaks never looks up: a ZWJ goes through the combining mark
    # path, RI RI is counted, and CP2 has no character in Unicode 14.0.
    unreachable = {CLASS_NAMES.index("ZWJ")}
    ri = CLASS_NAMES.index("RI")
    rows = []
    for a in range(TABLE_SIZE):
        row = []
        for b in range(TABLE_SIZE):
            if a in unreachable or b in unreachable or (a == b == ri):
                letter = PAIR_LETTERS[exported[a][b]] if exported else "P"
            elif a not in representative or b not in representative:
                if exported is None:
                    raise SystemExit(f"no character of class {CLASS_NAMES[a]} or {CLASS_NAMES[b]}")
                letter = PAIR_LETTERS[exported[a][b]]
            else:
                first, second = chr(representative[a]), chr(representative[b])
                if lib.possible_linebreaks(first + second)[1] == UC_BREAK_POSSIBLE:
                    letter = "D"
                elif lib.possible_linebreaks(first + " " + second)[2] == UC_BREAK_POSSIBLE:
                    letter = "I"
                else:
                    letter = "P"
                if exported is not None and PAIR_LETTERS[exported[a][b]] != letter:
                    raise SystemExit(
                        f"probe {CLASS_NAMES[a]} {CLASS_NAMES[b]} = {letter}, "
                        f"but unilbrk_table says {PAIR_LETTERS[exported[a][b]]}"
                    )
            row.append(letter)
        rows.append("".join(row))
    return rows


def ranges(values: Sequence[int]) -> tuple[list[int], list[int]]:
    """Run-length encode VALUES (indexed by code point) as range starts and values."""
    starts: list[int] = []
    kinds: list[int] = []
    for cp, value in enumerate(values):
        if not kinds or kinds[-1] != value:
            starts.append(cp)
            kinds.append(value)
    return starts, kinds


def format_tuple(name: str, annotation: str, items: Sequence[str]) -> list[str]:
    """A tuple literal with as many items a line as fit in 100 columns."""
    lines = [f"{name}: {annotation} = ("]
    line = ""
    for item in items:
        if line and len(line) + len(item) + 2 > 100:
            lines.append(line.rstrip())
            line = ""
        line += (" " if line else "    ") + item + ","
    lines += [line, ")"]
    return lines


def render(
    class_starts: Sequence[int],
    class_values: Sequence[int],
    width_starts: Sequence[int],
    width_values: Sequence[int],
    pair_table: Sequence[str],
    differing: int,
) -> str:
    """The text of _linebreak_data.py."""
    out = [
        '"""Line breaking classes, pair table and display widths of libunistring 1.0.',
        "",
        "Generated by tools/gen_linebreak.py from the libunistring 1.0 that GNU gettext 0.21",
        "uses (Unicode 14.0; "
        f"{differing} code points differ from Unicode 15.0's LineBreak.txt). Do not edit.",
        '"""',
        "",
        "# fmt: off",
        "",
        "# libunistring's LBP_* classes: index = value. Classes from TABLE_SIZE on are",
        "# resolved at run time and never index PAIR_TABLE.",
    ]
    out += format_tuple("CLASS_NAMES", "tuple[str, ...]", [f'"{n}"' for n in CLASS_NAMES])
    out += [
        f"TABLE_SIZE = {TABLE_SIZE}",
        "",
        "# PAIR_TABLE[a][b]: may a line break between a character of class a and a following",
        "# one of class b? D = yes, I = only across spaces, P = no. Rows and columns in",
        "# CLASS_NAMES order.",
    ]
    out.append("PAIR_TABLE: tuple[str, ...] = (")
    out += [f'    "{row}",  # {CLASS_NAMES[a]}' for a, row in enumerate(pair_table)]
    out.append(")")
    out += ["", "# Class of code points from CLASS_STARTS[i] up to the next start."]
    out += format_tuple("CLASS_STARTS", "tuple[int, ...]", [str(s) for s in class_starts])
    out += format_tuple("CLASS_VALUES", "tuple[int, ...]", [str(v) for v in class_values])
    out += ["", "# uc_width(): -1 for control characters, 0 for combining, 2 for East Asian wide."]
    out += format_tuple("WIDTH_STARTS", "tuple[int, ...]", [str(s) for s in width_starts])
    out += format_tuple("WIDTH_VALUES", "tuple[int, ...]", [str(v) for v in width_values])
    return "\n".join(out) + "\n"


def verify(lib: Libunistring, classes: Sequence[int], count: int) -> int:
    """Compare extrans.po_wrap with libunistring on COUNT random strings; return failures."""
    sys.path.insert(0, str(DEFAULT_OUTPUT.parent.parent))
    from extrans.formats import po_wrap

    by_class: dict[int, list[int]] = {}
    for cp, cls in enumerate(classes):
        if not 0xD800 <= cp < 0xE000:
            by_class.setdefault(cls, []).append(cp)
    kinds = sorted(by_class)
    common = [ord(c) for c in "aeiou xyz   ,.;:!?-/()'\"$%1234567890"]
    rnd = random.Random(20240601)
    failures = 0
    for _ in range(count):
        length = rnd.choice((rnd.randint(1, 12), rnd.randint(1, 60)))
        text = "".join(
            chr(rnd.choice(common))
            if rnd.random() < 0.4
            else chr(rnd.choice(by_class[rnd.choice(kinds)]))
            for _ in range(length)
        )
        breaks = lib.possible_linebreaks(text)
        expected = [i for i, v in enumerate(breaks) if v == UC_BREAK_POSSIBLE]
        got = po_wrap._possible_breaks(text)
        if expected != got:
            failures += 1
            if failures <= 10:
                print(f"breaks differ for {[hex(ord(c)) for c in text]}: {got} != {expected}")
    for cp in range(MAX_CODE_POINT):
        if 0xD800 <= cp < 0xE000:
            continue
        if po_wrap.display_width(chr(cp)) != max(lib.width(cp), 0):
            failures += 1
            if failures <= 20:
                print(f"width differs for U+{cp:04X}")
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the tables; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--linebreak-txt", type=Path, default=LINEBREAK_TXT)
    parser.add_argument("--verify", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)

    lib = Libunistring()
    lookup = lib.class_lookup()
    classes = [lookup(cp) for cp in range(MAX_CODE_POINT)]
    differing = check_class_names(classes, read_linebreak_txt(args.linebreak_txt))
    pair_table = probe_pair_table(lib, classes)
    widths = [lib.width(cp) for cp in range(MAX_CODE_POINT)]
    class_starts, class_values = ranges(classes)
    width_starts, width_values = ranges(widths)
    text = render(class_starts, class_values, width_starts, width_values, pair_table, differing)
    args.output.write_text(text, encoding="utf-8")
    print(
        f"wrote {args.output}: {len(class_starts)} class ranges, {len(width_starts)} width "
        f"ranges, {len(text)} bytes; {differing} code points differ from LineBreak.txt"
    )
    if args.verify:
        failures = verify(lib, classes, args.verify)
        print(f"verify: {failures} failures")
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
