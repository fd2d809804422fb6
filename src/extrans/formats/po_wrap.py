"""Write PO strings and ``#:`` lines byte for byte as GNU gettext 0.21's ``msgcat`` does.

A catalog that is exactly what ``msgcat --width=W`` writes survives a Poedit save (which runs
that command) unchanged. gettext's ``wrap()`` (write-po.c) cuts a string after each ``\\n``,
escapes each piece, and fills lines greedily at the break opportunities that libunistring 1.0
finds (UAX #14, with that version's quirks, e.g. a break between ``.`` and a letter); columns
are display columns. The tables come from ``_linebreak_data``, generated from that very
library by ``tools/gen_linebreak.py``.

Not modelled: entries with a ``*-format`` flag, where gettext also refuses to break inside
format directives such as ``%s``; the ``--indent`` and ``--escape`` output styles.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import accumulate, pairwise

from . import _linebreak_data as _data
from .readers import unsigned_long

__all__ = [
    "DEFAULT_WIDTH",
    "detect_width",
    "display_width",
    "escape",
    "format_references",
    "format_string",
]

DEFAULT_WIDTH = 79
"""gettext's default page width (also what it wraps ``#:`` lines at with ``--no-wrap``)."""

_NO_WRAP = 2**31 - 1  # gettext uses INT_MAX as the width when it does not wrap.
_MIN_WIDTH = 20  # msgcat raises smaller --width values to this
_MAX_CODE_POINT = 0x110000


def _class_id(name: str) -> int:
    return _data.CLASS_NAMES.index(name)


_AL, _ID1, _HL, _RI, _HY, _BA = map(_class_id, ("AL", "ID1", "HL", "RI", "HY", "BA"))
_BK, _CM, _ZW, _SP = map(_class_id, ("BK", "CM", "ZW", "SP"))
_TABLE_SIZE = _data.TABLE_SIZE
_HY_BA = (_HY, _BA)
# ZWJ has a pair table index but is handled like a combining mark: give it an id past the
# table so that "class < _TABLE_SIZE" alone picks the characters that the table decides.
_ZWJ = len(_data.CLASS_NAMES)
_CM_ZWJ = (_CM, _ZWJ)

# libunistring resolves these at run time, for a UTF-8 (not CJK) locale.
_RESOLVED = {
    _class_id("AI"): _AL,
    _class_id("SA"): _AL,
    _class_id("XX"): _AL,
    _class_id("CB"): _ID1,
    _class_id("ZWJ"): _ZWJ,
}


def _property_map(limit: int = _MAX_CODE_POINT) -> str:
    """A str.translate table: code point -> chr(line breaking class + 64 * display width),
    for the code points below ``limit``."""
    width_starts = _data.WIDTH_STARTS
    class_starts = _data.CLASS_STARTS
    starts = sorted({*width_starts, *class_starts, _MAX_CODE_POINT})
    parts = []
    for start, end in pairwise(starts):
        if start >= limit:
            break
        cls = _data.CLASS_VALUES[bisect_right(class_starts, start) - 1]
        width = _data.WIDTH_VALUES[bisect_right(width_starts, start) - 1]
        parts.append(chr(_RESOLVED.get(cls, cls) + 64 * max(width, 0)) * (min(end, limit) - start))
    return "".join(parts)


# Only text beyond Latin-1 needs the whole table, which is slow to build (bench/README.md).
_LATIN1_PROPERTIES = _property_map(256).encode("latin-1")
_full_property_map = cache(_property_map)
_CLASS_OF = bytes(p & 63 for p in range(256))  # bytes.translate tables for properties
_WIDTH_OF = bytes(p >> 6 for p in range(256))

# Rows of the pair table, indexed by the class of the last non-space character, as bytes
# indexed by the class of the next one: 1 = a break is possible there, 2 = regional
# indicator pair (depends on how many precede). One set for adjacent characters, one for
# characters separated by spaces. Row BK (start of text) never breaks, row ZW always does.
_NO_BREAK = bytes(_TABLE_SIZE)
_BREAK = bytes([1] * _TABLE_SIZE)


def _pair_rows(breaking: str) -> list[bytes]:
    rows = [_NO_BREAK] * (_ZWJ + 1)
    for last, row in enumerate(_data.PAIR_TABLE):
        rows[last] = bytes(1 if letter in breaking else 0 for letter in row)
    rows[_ZW] = _BREAK
    return rows


_ROWS_ADJACENT = _pair_rows("D")
_ROWS_SPACED = _pair_rows("DI")
_ROWS_ADJACENT[_RI] = bytes(2 if b == _RI else v for b, v in enumerate(_ROWS_ADJACENT[_RI]))

_ESCAPED = '\\"\n\t\r\a\b\f\v'
_ESCAPES = str.maketrans({c: f"\\{e}" for c, e in zip(_ESCAPED, '\\"ntrabfv', strict=True)})
_NEEDS_ESCAPE = re.compile(f"[{re.escape(_ESCAPED)}]")
_ESCAPE_SEQUENCE = re.compile(r"\\.", re.DOTALL)


def escape(text: str) -> str:
    """Escape TEXT as gettext writes it between double quotes (C escapes; others verbatim)."""
    return text if _NEEDS_ESCAPE.search(text) is None else text.translate(_ESCAPES)


def _properties(text: str) -> bytes:
    """Line breaking class + 64 * display width of each character of TEXT."""
    try:
        return text.encode("latin-1").translate(_LATIN1_PROPERTIES)
    except UnicodeEncodeError:
        return text.translate(_full_property_map()).encode("latin-1")


def _column_widths(properties: bytes) -> bytes | None:
    """The display widths in PROPERTIES; None when they are all 1."""
    widths = properties.translate(_WIDTH_OF)
    return None if widths.count(1) == len(widths) else widths


def display_width(text: str) -> int:
    """Columns TEXT takes in a terminal, as libunistring's ``uc_width`` counts them.

    East Asian wide and fullwidth characters take 2, combining marks and control characters
    0, everything else 1.
    """
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_properties(text).translate(_WIDTH_OF))


def _break_opportunities(classes: bytes) -> tuple[list[int], list[int]]:
    """libunistring's u8_possible_linebreaks: indices i where a line may break before
    character i, and indices of mandatory breaks (line separators).

    The state is the class of the last character that is not a space and ``row``, the
    classes that may follow it: from _ROWS_ADJACENT or _ROWS_SPACED (whether spaces came
    since), or none right after a zero width joiner (LB8a) or a Hebrew letter and a
    hyphen (LB21a).
    """
    possible: list[int] = []
    mandatory: list[int] = []
    hebrew = _HL in classes
    last = _BK
    row = _NO_BREAK
    for i, prop in enumerate(classes):
        if prop < _TABLE_SIZE:
            allowed = row[prop]
            if allowed and (allowed == 1 or _even_regional_indicators(classes, i)):
                possible.append(i)
            last = prop
            row = _ROWS_ADJACENT[prop]
            if hebrew and prop in _HY_BA and i and classes[i - 1] == _HL:
                row = _NO_BREAK
        elif prop == _SP:
            row = _ROWS_SPACED[last]
        elif prop in _CM_ZWJ:
            if last == _BK:
                last = _AL  # (LB10) a mark at the start is a letter
            elif last == _ZW or (i and classes[i - 1] == _SP):
                possible.append(i)  # (LB8, LB18) break after a zero width space or spaces
                last = _AL
            # else (LB9): X CM is X.
            row = _NO_BREAK if prop == _ZWJ else _ROWS_ADJACENT[last]
        elif prop == _ZW:
            last = _ZW
            row = _BREAK
        else:  # BK, CR, LF
            mandatory.append(i)
            last = _BK
            row = _NO_BREAK
    return possible, mandatory


def _even_regional_indicators(classes: bytes, i: int) -> bool:
    """(LB30a) Two regional indicators pair up: is the count of them right before I even?"""
    start = i
    while start > 0 and classes[start - 1] == _RI:
        start -= 1
    return (i - start) % 2 == 0


def _possible_breaks(text: str) -> list[int]:
    """Where libunistring allows a line break before a character of TEXT (for
    ``tools/gen_linebreak.py``, which checks them against that library)."""
    return _break_opportunities(_properties(text).translate(_CLASS_OF))[0]


def _fill(
    possible: list[int],
    mandatory: list[int],
    length: int,
    columns: list[int] | None,
    width: int,
    start_column: int,
) -> list[int]:
    """libunistring's u8_width_linebreaks: where to break a text of LENGTH characters, with
    break opportunities POSSIBLE and line separators at MANDATORY, so that its lines fit in
    WIDTH columns, the first one starting at START_COLUMN. COLUMNS[i] is the display width of
    the first i characters (None: i).

    A piece (from one break opportunity to the next, trailing spaces included) goes on the
    current line if it fits, or if it is the first one there. After a line separator columns
    count from 0 again, but no line break is written (gettext only writes the breaks it
    inserts).
    """

    def column(position: int) -> int:
        return position if columns is None else columns[position]

    events = sorted([(i, False) for i in possible] + [(i, True) for i in mandatory])
    breaks: list[int] = []
    last_break = -1  # start of the current piece, if a line may break there
    piece_column = start_column  # where that piece starts
    position = 0  # first character not yet measured
    for i, is_mandatory in events:
        piece_end = piece_column + column(i) - column(position)
        if last_break >= 0 and piece_end > width:
            breaks.append(last_break)
            piece_end -= piece_column
        if is_mandatory:  # the separator itself takes no room
            last_break, piece_column, position = -1, 0, i + 1
        else:
            last_break, piece_column, position = i, piece_end, i
    if last_break >= 0 and piece_column + column(length) - column(position) > width:
        breaks.append(last_break)
    return breaks


def _page_width(width: int) -> int:
    """The page width msgcat uses for ``--width=WIDTH``."""
    if width < 0:
        raise ValueError(f"negative page width: {width}")
    if width == 0:
        return _NO_WRAP
    return max(width, _MIN_WIDTH)


def _pieces(value: str) -> list[str]:
    """VALUE cut after each newline, as gettext writes it one piece per line at least."""
    parts = value.split("\n")
    pieces = [part + "\n" for part in parts[:-1]]
    if parts[-1] or not pieces:
        pieces.append(parts[-1])
    return pieces


def _without_escape_breaks(portion: str, breaks: list[int], ends_with_newline: bool) -> list[int]:
    """Drop BREAKS that would split an escape sequence or come just before a final ``\\n``."""
    if ends_with_newline and breaks and breaks[-1] == len(portion) - 2:
        breaks = breaks[:-1]
    if "\\" in portion:
        inside = {match.start() + 1 for match in _ESCAPE_SEQUENCE.finditer(portion)}
        breaks = [b for b in breaks if b not in inside]
    return breaks


def format_string(
    keyword: str, value: str, *, prefix: str = "", width: int | None = DEFAULT_WIDTH
) -> list[str]:
    """The lines (without newlines) msgcat writes for ``KEYWORD "VALUE"``.

    KEYWORD is ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` or ``msgstr[N]``. PREFIX
    starts every line: ``""``, ``"#~ "`` (obsolete entry), ``"#| "`` (previous msgid) or
    ``"#~| "`` (previous msgid of an obsolete entry). WIDTH is msgcat's ``--width`` (0 and
    values below 20 behave as they do there); None means ``--no-wrap`` (or a ``no-wrap``
    flag), which still starts a line after each ``\\n``.
    """
    head = f'{prefix}{keyword} "'
    pieces = _pieces(value)
    if width is None:
        if len(pieces) == 1:
            return [f'{head}{escape(value)}"']
        return [f'{head[:-1]}""', *(f'{prefix}"{escape(p)}"' for p in pieces)]
    # wrap(): the room for the text between the quotes of a continuation line; the first
    # line's text starts after the keyword, relative to that.
    room = _page_width(width) - len(prefix) - 2

    lines: list[str] = []
    first_line = True
    for index, piece in enumerate(pieces):
        portion = escape(piece)
        start = len(keyword) + 1 if first_line else 0
        properties = _properties(portion)
        widths = _column_widths(properties)
        columns = None if widths is None else [0, *accumulate(widths)]
        total = len(portion) if columns is None else columns[-1]
        possible: list[int] = []
        mandatory: list[int] = []
        if start + total > room:
            possible, mandatory = _break_opportunities(properties.translate(_CLASS_OF))
            possible = _without_escape_breaks(portion, possible, piece.endswith("\n"))
        if first_line and portion:
            # gettext starts with an empty 'msgid ""' line when the first line would wrap.
            if index + 1 < len(pieces) or start > room:
                wraps = True
            elif mandatory:
                wraps = bool(_fill(possible, mandatory, len(portion), columns, room, start))
            else:  # it wraps when it does not fit and can break
                wraps = start + total > room and bool(possible)
            if wraps:
                lines.append(f'{head[:-1]}""')
                first_line = False
                start = 0
        breaks = []
        if possible and start + total > room:
            breaks = _fill(possible, mandatory, len(portion), columns, room, start)
        edges = [0, *breaks, len(portion)]
        line_start = head if first_line else f'{prefix}"'
        first_line = False
        lines.append(f'{line_start}{portion[edges[0] : edges[1]]}"')
        lines.extend(f'{prefix}"{portion[a:b]}"' for a, b in pairwise(edges[1:]))
    return lines


def _parse_references(text: str) -> list[tuple[str, int | None]]:
    """The file positions that gettext's PO reader finds in a ``#:`` comment TEXT."""
    spaces = " \t\n"
    n = len(text)

    def number_at(p: int) -> tuple[int, int] | None:
        # A line number after optional spaces at P, ending at a space or the end.
        while p < n and text[p] in spaces:
            p += 1
        q = p
        while q < n and "0" <= text[q] <= "9":
            q += 1
        if q > p and (q == n or text[q] in spaces):
            return unsigned_long(text[p:q]), q
        return None

    found: list[tuple[str, int | None]] = []
    s = 0
    while s < n:
        while s < n and text[s] in spaces:
            s += 1
        if s >= n:
            break
        start = s
        while s < n and text[s] not in spaces:
            s += 1
        p = s  # "FILE : LINE"
        while p < n and text[p] in spaces:
            p += 1
        if p < n and text[p] == ":" and (parsed := number_at(p + 1)) is not None:
            found.append((text[start:s], parsed[0]))
            s = parsed[1]
            continue
        if text[s - 1] == ":" and (parsed := number_at(s)) is not None:  # "FILE: LINE"
            found.append((text[start : s - 1], parsed[0]))
            s = parsed[1]
            continue
        p = s  # "FILE:LINE"
        while p > start and "0" <= text[p - 1] <= "9":
            p -= 1
        if start + 1 < p < s and text[p - 1] == ":":
            found.append((text[start : p - 1], unsigned_long(text[p:s])))
        else:
            found.append((text[start:s], None))
    return found


def format_references(references: Sequence[str], width: int | None = DEFAULT_WIDTH) -> list[str]:
    """The ``#:`` lines msgcat writes for ``references`` (see :func:`_format_references`)."""
    return list(_format_references(tuple(references), width))


@lru_cache(maxsize=1024)
def _format_references(references: tuple[str, ...], width: int | None) -> tuple[str, ...]:
    """The ``#:`` lines msgcat writes for REFERENCES (``path`` or ``path:line``).

    Like msgcat, this reads the references as a ``#:`` comment (so whitespace separates
    them and ``path:007`` is line 7), drops duplicates and a leading ``./``, and fills lines up
    to WIDTH bytes. msgcat wraps ``#:`` lines at its page width even with ``--no-wrap``, so a
    WIDTH of None means the default width.
    """
    page_width = DEFAULT_WIDTH if width is None else _page_width(width)
    seen: set[tuple[str, int | None]] = set()
    lines: list[str] = []
    line = "#:"
    for name, number in _parse_references(" ".join(references)):
        while name.startswith("./"):
            name = name[2:]
        # gettext keeps line numbers in a size_t and prints them as a long.
        if number is not None:
            number %= 2**64
            if number == 2**64 - 1:
                number = None
            elif number >= 2**63:
                number -= 2**64
        if (name, number) in seen:
            continue
        seen.add((name, number))
        item = name if number is None else f"{name}:{number}"
        if len(line) > 2 and len(line.encode()) + len(item.encode()) + 1 > page_width:
            lines.append(line)
            line = "#:"
        line += " " + item
    if len(line) > 2:
        lines.append(line)
    return tuple(lines)


def detect_width(po_text: str) -> int | None:
    """The ``--width`` Poedit would pass to msgcat when saving PO_TEXT; None for ``--no-wrap``.

    A port of Poedit's POCatalogParser::ReadTextLine and GetWrappingWidth (catalog_po.cpp,
    unchanged since Poedit 1.7): the file counts as wrapped when a ``"..."`` continuation
    line follows a line that was not hard-wrapped (ending in ``\\n"`` or being ``msgid ""``
    or ``msgstr ""``); the width is then the longest line, in code points, that is not a
    ``# ``/``#. `` comment, not hard-wrapped, and has a space after its third character.
    """
    wrapped = False
    width = 0
    last_hard = True
    previous: str | None = None
    text = po_text.replace("\r\n", "\n").replace("\r", "\n")
    for line in text.split("\n"):
        if not line:
            continue
        previous_hard, last_hard = last_hard, False
        if not line.startswith(("#. ", "# ")):
            if line.endswith('\\n"') or line in ('msgid ""', 'msgstr ""'):
                last_hard = True
            elif line.rfind(" ") > 2:
                width = max(width, len(line))
        stripped = line.strip()
        if (
            stripped.startswith('"')
            and stripped.endswith('"')
            and previous is not None
            and not previous.lstrip().startswith("#")
            and not previous_hard
        ):
            wrapped = True
        previous = line
    return width if wrapped else None
