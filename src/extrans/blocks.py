"""The block tokens of a Markdown body, and a fast scanner for the plain pages most sites have.

markdown-it-py (CommonMark plus GFM tables, block rules only) is the reference parser, but in
pure Python it is the costliest step of reading a page. Most Hugo pages are made of a few plain
constructs (ATX headings, paragraphs, simple lists, fenced code, tables, rules), so
:func:`scan_blocks` reads such a body line by line and gives exactly the tokens markdown-it
would. It declines (returns None) as soon as it meets anything it does not model fully:
indented blocks, tabs outside fenced code, block quotes, HTML blocks, setext headings,
possible link reference definitions, nested lists, blocks inside list items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["Block", "block_of_token", "scan_blocks"]


@dataclass(frozen=True, slots=True)
class Block:
    """One block token: the fields of markdown-it's ``Token`` that extrans reads."""

    type: str
    """``paragraph_open``, ``inline``, ``heading_close``, ``fence``, ``td_open``..."""
    tag: str
    """The HTML tag: ``p``, ``h2``, ``li``, ``code``; empty for ``inline``."""
    nesting: Literal[-1, 0, 1]
    """1 opens a block, -1 closes one, 0 stands alone."""
    map: tuple[int, int] | None
    """Body lines ``[first, end)`` of the block, 0-based; None on closing tokens and cells."""
    content: str = ""
    """The text of ``inline`` tokens (container indentation removed) and ``fence`` tokens."""
    markup: str = ""
    """The marker: ``##``, a list's ``-`` or ``.``, the fence's backticks, the rule's dashes."""


def block_of_token(token: Token) -> Block:
    """The :class:`Block` of one markdown-it token."""
    span = token.map
    return Block(
        token.type,
        token.tag,
        token.nesting,
        None if span is None else (span[0], span[1]),
        token.content,
        token.markup,
    )


class _DeclinedError(Exception):
    """The body holds something the scanner does not model: markdown-it must read it."""


# The characters markdown-it's ``mdTrim`` strips (JavaScript's ``trim`` without U+FEFF).
_TRIM = (
    "\t\n\v\f\r \xa0\u1680"
    + "".join(chr(code) for code in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_DIGITS = "0123456789"
# First characters of a line that may end a paragraph or underline it (tables aside).
_INTERRUPTERS = frozenset("#`~<>*-_+=" + _DIGITS)
_LIST_FIRST = frozenset("*-+" + _DIGITS)

# All patterns apply to a line after its leading spaces.
_HEADING = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"[-*+](?=[ \t]|$)")
_ORDERED = re.compile(r"([0-9]{1,9})[.)](?=[ \t]|$)")
_UNDERLINE = re.compile(r"(?:-+|=+)[ \t]*$")
# A line that opens some block other than a paragraph (tables and link definitions aside):
# a fence, a block quote or HTML, a rule, a list item, an ATX heading.
_NOT_PLAIN = re.compile(
    r"`{3,}(?!.*`)|~{3,}|[<>]|([-*_])(?:[ \t]*\1){2,}[ \t]*$"
    r"|[-*+](?=[ \t]|$)|[0-9]{1,9}[.)](?=[ \t]|$)|#{1,6}(?=[ \t]|$)"
)
_ALIGNMENT = re.compile(r":?-+:?")
_CELL_PIPE = re.compile(r"\|(?<!\\\|)")  # (the literal first: see checks._CODE)
_NEWLINE = re.compile(r"\r\n?")
_MAX_AUTOCOMPLETED_CELLS = 0x10000

_PLACEHOLDER = Block("", "", 0, None)
_PARAGRAPH_CLOSE = Block("paragraph_close", "p", -1, None)
_HEADING_TAGS = ("", "h1", "h2", "h3", "h4", "h5", "h6")
_HEADING_CLOSE = tuple(
    Block("heading_close", tag, -1, None, "", "#" * level)
    for level, tag in enumerate(_HEADING_TAGS)
)
_ITEM_CLOSE = {char: Block("list_item_close", "li", -1, None, "", char) for char in "-*+.)"}
_LIST_CLOSE = {
    char: Block(
        "ordered_list_close" if char in ".)" else "bullet_list_close",
        "ol" if char in ".)" else "ul",
        -1,
        None,
        "",
        char,
    )
    for char in "-*+.)"
}
_TH_OPEN = Block("th_open", "th", 1, None)
_TH_CLOSE = Block("th_close", "th", -1, None)
_TD_OPEN = Block("td_open", "td", 1, None)
_TD_CLOSE = Block("td_close", "td", -1, None)
_TR_CLOSE = Block("tr_close", "tr", -1, None)
_THEAD_CLOSE = Block("thead_close", "thead", -1, None)
_TBODY_CLOSE = Block("tbody_close", "tbody", -1, None)
_TABLE_CLOSE = Block("table_close", "table", -1, None)


def scan_blocks(body: str) -> tuple[Block, ...] | None:
    """markdown-it's block tokens for ``body``, or None if the body is not plain enough."""
    if "\r" in body:
        body = _NEWLINE.sub("\n", body)
    if "\0" in body:
        body = body.replace("\0", "\ufffd")
    lines = body.split("\n")
    # markdown-it drops a last line that has no newline and nothing but spaces.
    final_newline = not lines[-1].strip(" \t")
    if final_newline:
        lines.pop()
    out: list[Block] = []
    try:
        _scan(lines, final_newline, out)
    except _DeclinedError:
        return None
    return tuple(out)


def _scan(lines: list[str], final_newline: bool, out: list[Block]) -> None:
    """The top-level blocks, each starting at column 0."""
    count = len(lines)
    i = 0
    while i < count:
        line = lines[i]
        if not line:
            i += 1
            continue
        first = line[0]
        if first == " " or first == "\t":
            if line.strip(" \t"):
                raise _DeclinedError  # an indented block
            i += 1
            continue
        if "\t" in line:
            raise _DeclinedError
        if "|" in line and i + 1 < count:
            end = _table(lines, i, out)
            if end:
                i = end
                continue
        if first in "`~" and (fence := _fence_opening(line)):
            i = _fence(lines, i, fence, final_newline, out)
        elif first == "<" or first == ">":
            raise _DeclinedError
        elif first in "*-_" and _RULE.match(line):
            out.append(Block("hr", "hr", 0, (i, i + 1), "", first * (line.count(first) + 1)))
            i += 1
        elif first in _LIST_FIRST and (
            _ORDERED.match(line) if first in _DIGITS else _BULLET.match(line)
        ):
            i = _list(lines, i, out)
        elif first == "#" and (heading := _HEADING.match(line)):
            _heading(line, i, heading.end(), out)
            i += 1
        else:
            i = _paragraph(lines, i, out)


def _fence_opening(text: str) -> str | None:
    """The fence characters if ``text`` opens a fenced code block."""
    found = _FENCE.match(text)
    if found is None or (found[1][0] == "`" and "`" in found[2]):
        return None
    return found[1]


def _fence(lines: list[str], i: int, markup: str, final_newline: bool, out: list[Block]) -> int:
    marker = markup[0]
    count = len(lines)
    j = i + 1
    while j < count:
        line = lines[j]
        text = line.lstrip(" ")
        # Tabs are fine here: a tab in the indentation makes a line code, never a closing fence.
        if (
            text.startswith(markup)
            and len(line) - len(text) < 4
            and not text.rstrip(" \t").lstrip(marker)
        ):
            break
        j += 1
    closed = j < count
    content = "\n".join(lines[i + 1 : j])
    if j > i + 1 and (closed or final_newline):
        content += "\n"
    end = j + 1 if closed else count
    out.append(Block("fence", "code", 0, (i, end), content, markup))
    return end


def _heading(line: str, i: int, level: int, out: list[Block]) -> None:
    text = line[level:].rstrip(" \t")
    # A closing run of #s goes too, if a space comes before it.
    bare = text.rstrip("#")
    if bare and bare[-1] in " \t":
        text = bare
    span = (i, i + 1)
    markup = "#" * level
    out += (
        Block("heading_open", _HEADING_TAGS[level], 1, span, "", markup),
        Block("inline", "", 0, span, text.strip(_TRIM)),
        _HEADING_CLOSE[level],
    )


def _next_text(line: str) -> str:
    """A following line without its leading spaces; empty when it is blank. Tabs in a line
    that is not blank are outside the subset."""
    text = line.lstrip(" ")
    if "\t" in text:
        if not text.strip(" \t"):
            return ""
        raise _DeclinedError
    return text


def _paragraph(lines: list[str], i: int, out: list[Block]) -> int:
    count = len(lines)
    j = i + 1
    while j < count:
        line = lines[j]
        text = _next_text(line)
        if not text:
            break
        indent = len(line) - len(text)
        # Lines indented 4 or more continue a paragraph whatever they hold.
        if (
            indent < 4
            and (text[0] in _INTERRUPTERS or "|" in text)
            and _interrupts(lines, j, text, indent, 0, -1, tables=True)
        ):
            break
        j += 1
    content = "\n".join(lines[i:j]).strip(_TRIM)
    if lines[i][0] == "[" and "]:" in content:
        raise _DeclinedError  # perhaps a link reference definition
    span = (i, j)
    out += (
        Block("paragraph_open", "p", 1, span),
        Block("inline", "", 0, span, content),
        _PARAGRAPH_CLOSE,
    )
    return j


def _interrupts(
    lines: list[str],
    j: int,
    text: str,
    indent: int,
    block_indent: int,
    list_indent: int,
    *,
    tables: bool,
) -> bool:
    """Whether line ``j`` (``text`` after ``indent`` spaces, fewer than 4 more than
    ``block_indent``) ends the paragraph above it, as markdown-it's terminator rules say.

    Declines where the line would underline the paragraph (a setext heading), where it may
    open a block quote or an HTML block, and where it opens a table unless ``tables``.
    """
    first = text[0]
    if first in "-=" and indent >= block_indent and _UNDERLINE.match(text):
        raise _DeclinedError
    if "|" in text and _table_cells(lines, j, text, block_indent) is not None:
        if tables:
            return True
        raise _DeclinedError
    if first in "`~":
        return _fence_opening(text) is not None
    if first == "<" or first == ">":
        raise _DeclinedError
    if first in "*-_" and _RULE.match(text):
        return True
    if first in _LIST_FIRST:
        if list_indent >= 0 and indent - list_indent >= 4 and indent < block_indent:
            return False
        marker = _ORDERED.match(text) if first in _DIGITS else _BULLET.match(text)
        if marker is None:
            return False
        if indent < block_indent:
            return True  # a lazy line: any list item ends the paragraph
        # Interrupting a paragraph, an item must have text, and an ordered list start at 1.
        if not text[marker.end() :].strip(" \t"):
            return False
        return first not in _DIGITS or int(marker[1]) == 1
    if first == "#":
        return _HEADING.match(text) is not None
    return False


def _ends_table(text: str) -> bool:
    """Whether a line (``text`` after fewer than 4 spaces) ends a top-level table."""
    first = text[0]
    if first in "`~":
        return _fence_opening(text) is not None
    if first == "<" or first == ">":
        raise _DeclinedError
    if first in "*-_" and _RULE.match(text):
        return True
    if first in _DIGITS:
        return _ORDERED.match(text) is not None
    if first in "*-+":
        return _BULLET.match(text) is not None
    if first == "#":
        return _HEADING.match(text) is not None
    return False


def _split_cells(row: str) -> list[str]:
    """A row's cells as markdown-it splits them: on pipes without a backslash before them."""
    cells = _CELL_PIPE.split(row)
    if "\\|" in row:
        cells = [cell.replace("\\|", "|") for cell in cells]
    if cells[0] == "":
        del cells[0]
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _table_cells(lines: list[str], i: int, text: str, block_indent: int) -> list[str] | None:
    """The header cells if line ``i`` (``text`` after fewer than 4 spaces more than
    ``block_indent``) and the line after it open a table."""
    if i + 1 >= len(lines):
        return None
    below = lines[i + 1]
    row = below.lstrip(" \t")
    if not row or row[0] not in "|-:":
        return None
    if "\t" in below:
        raise _DeclinedError
    indent = len(below) - len(row)
    if indent < block_indent or indent - block_indent >= 4 or len(row) < 2:
        return None
    second = row[1]
    if second not in "|-: " or (row[0] == "-" and second == " ") or row.strip("|-: "):
        return None
    parts = row.split("|")
    last = len(parts) - 1
    columns = 0
    for index, part in enumerate(parts):
        alignment = part.strip(" ")
        if not alignment:
            if index == 0 or index == last:
                continue
            return None
        if not _ALIGNMENT.fullmatch(alignment):
            return None
        columns += 1
    header = text.strip(_TRIM)
    if "|" not in header:
        return None
    cells = _split_cells(header)
    return cells if cells and len(cells) == columns else None


def _table(lines: list[str], i: int, out: list[Block]) -> int:
    """The table at line ``i``, if there is one: its tokens go to ``out``; returns the line
    after it, or 0 if there is no table."""
    header = _table_cells(lines, i, lines[i], 0)
    if header is None:
        return 0
    columns = len(header)
    head = (i, i + 1)
    table_at = len(out)
    out += (_PLACEHOLDER, Block("thead_open", "thead", 1, head), Block("tr_open", "tr", 1, head))
    for cell in header:
        out += (_TH_OPEN, Block("inline", "", 0, head, cell.strip(_TRIM)), _TH_CLOSE)
    out += (_TR_CLOSE, _THEAD_CLOSE)
    body_at = len(out)
    count = len(lines)
    missing = 0
    j = i + 2
    while j < count:
        line = lines[j]
        text = line.lstrip(" ")
        if not text.strip(" \t"):
            break
        if "\t" in text:
            raise _DeclinedError
        indent = len(line) - len(text)
        if indent < 4 and text[0] in _INTERRUPTERS and _ends_table(text):
            break
        row = text.strip(_TRIM)
        if not row or indent >= 4:
            break
        cells = _split_cells(row)
        missing += columns - len(cells)
        if missing > _MAX_AUTOCOMPLETED_CELLS:
            break
        if j == i + 2:
            out.append(_PLACEHOLDER)
        span = (j, j + 1)
        out.append(Block("tr_open", "tr", 1, span))
        for index in range(columns):
            cell = cells[index].strip(_TRIM) if index < len(cells) else ""
            out += (_TD_OPEN, Block("inline", "", 0, span, cell), _TD_CLOSE)
        out.append(_TR_CLOSE)
        j += 1
    if j > i + 2:
        out[body_at] = Block("tbody_open", "tbody", 1, (i + 2, j))
        out.append(_TBODY_CLOSE)
    out[table_at] = Block("table_open", "table", 1, (i, j))
    out.append(_TABLE_CLOSE)
    return j


def _list(lines: list[str], i: int, out: list[Block]) -> int:
    """A top-level list whose items each hold one paragraph (wrapped or lazy lines allowed)."""
    count = len(lines)
    line = lines[i]
    pattern = _ORDERED if line[0] in _DIGITS else _BULLET
    marker = pattern.match(line)
    assert marker is not None
    char = line[marker.end() - 1]
    item_close = _ITEM_CLOSE[char]
    list_at = len(out)
    out.append(_PLACEHOLDER)
    start = i
    while True:
        after = marker.end()
        rest = line[after:]
        content = rest.lstrip(" ")
        spaces = len(rest) - len(content)
        if not content or "\t" in content or spaces > 4:
            raise _DeclinedError  # an empty item, a tab, or indented code in the item
        indent = after + spaces
        first = content[0]
        # The item's first line must open a plain paragraph.
        if (first in _INTERRUPTERS and _NOT_PLAIN.match(content)) or (
            "|" in content and _table_cells(lines, start, content, indent) is not None
        ):
            raise _DeclinedError
        j = start + 1
        while j < count:
            below = lines[j]
            text = _next_text(below)
            if not text:
                break
            depth = len(below) - len(text)
            if depth - indent <= 3 and (text[0] in _INTERRUPTERS or "|" in text):
                if depth >= indent or depth >= 4:
                    if _interrupts(lines, j, text, depth, indent, 0, tables=False):
                        if depth >= indent:
                            raise _DeclinedError  # a block of its own inside the item
                        break
                else:
                    # A lazy line: any block opening ends the paragraph (and the item).
                    if "|" in text and _table_cells(lines, j, text, indent) is not None:
                        raise _DeclinedError
                    if text[0] in "<>":
                        raise _DeclinedError
                    if _NOT_PLAIN.match(text):
                        break
            j += 1
        if j == start + 1:
            text = content.strip(_TRIM)
        else:
            # Continuation lines lose up to the item's indentation.
            parts = [content]
            for below in lines[start + 1 : j]:
                text = below.lstrip(" ")
                parts.append(text if len(below) - len(text) <= indent else below[indent:])
            text = "\n".join(parts).strip(_TRIM)
        if first == "[" and "]:" in text:
            raise _DeclinedError  # perhaps a link reference definition
        end = j
        if j < count and not lines[j].strip(" \t"):
            end = j + 1
            while end < count and not lines[end].strip(" \t"):
                end += 1
        span = (start, j)
        out += (
            Block("list_item_open", "li", 1, (start, end), "", char),
            Block("paragraph_open", "p", 1, span),
            Block("inline", "", 0, span, text),
            _PARAGRAPH_CLOSE,
            item_close,
        )
        if end >= count:
            break
        line = lines[end]
        if line[0] in " \t" or "\t" in line:
            raise _DeclinedError  # more of the item, or an indented block after it
        first = line[0]
        if first in "`~" and _fence_opening(line):
            break
        if first in "<>":
            raise _DeclinedError
        if first in "*-_" and _RULE.match(line):
            break
        marker = pattern.match(line)
        if marker is None or line[marker.end() - 1] != char:
            break
        start = end
    out[list_at] = Block(
        "ordered_list_open" if char in ".)" else "bullet_list_open",
        "ol" if char in ".)" else "ul",
        1,
        (i, end),
        "",
        char,
    )
    out.append(_LIST_CLOSE[char])
    return end
