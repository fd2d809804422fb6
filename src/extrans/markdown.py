"""Find the translatable text of a Markdown body, with the source span of each piece.

markdown-it-py parses the body (CommonMark plus GFM tables) and says which lines hold
which blocks; the text itself is
taken from the source as written, so inline markup (``**Posterior Chain**: Strengthens
glutes``) stays where the translator can move it, and a later stage can put a translation in
exactly the place its source text held.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .errors import PageError
from .model import Segment

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["MAX_NESTING", "extract_body_segments", "has_words", "parse_blocks", "parse_inline"]

MAX_NESTING = 50
"""How deep lists and block quotes may lie one inside another. Hugo renders any depth, but
markdown-it stops reading at its nesting bound (which keeps its recursion off the end of the
stack), so a page nested deeper is refused rather than read in part."""

_ALERT = re.compile(r"\[!([A-Za-z]+)\][+-]?[ \t]*")
_HEADING_ATTRIBUTES = re.compile(r"[ \t]*\{[ \t]*[#.][^{}]*\}[ \t]*$")
_SHORTCODE_OPEN = re.compile(r"\{\{[<%]")
_SHORTCODE_CLOSE = re.compile(r"[>%]\}\}")
_IMAGE = re.compile(
    r"""!\[(?P<alt>(?:[^\[\]\\]|\\.)*)\]
        \(\s*(?:<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)
        (?:\s+(?:"(?P<t1>(?:[^"\\]|\\.)*)"|'(?P<t2>(?:[^'\\]|\\.)*)'|\((?P<t3>(?:[^()\\]|\\.)*)\)))?
        \s*\)""",
    re.VERBOSE,
)
# Text that needs no translator: code spans, autolinks, shortcodes, tags, URLs, destinations.
_NOT_WORDS = re.compile(
    r"`+[^`]*`+|<[^<>\n]*>|\{\{[<%].*?[>%]\}\}|\]\([^)]*\)|https?://\S+|&\w+;",
    re.DOTALL,
)
_NOT_WORDS_STARTS = ("`", "<", "{", "]", "&", "http")
"""What every match of ``_NOT_WORDS`` starts with (six ``in`` tests take a quarter of the time
of one search for them)."""
_LETTER = re.compile(r"[^\W\d_]")
"""Letters, and a few numerals such as ``½``: every character ``str.isalpha`` accepts."""


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only the block structure is needed: inline text is taken from the source as written.
    # A list item is two levels of markdown-it's (the list and the item): at this bound,
    # every page it would stop reading holds more than MAX_NESTING containers.
    options = {"html": True, "maxNesting": 2 * MAX_NESTING + 2}
    return MarkdownIt("commonmark", options).enable("table").disable(["inline", "text_join"])


@cache
def _inline_parser() -> MarkdownIt:
    return _inline_parser_with_every_link()


def _inline_parser_with_every_link() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True})
    # Every destination is a link, as Hugo renders it: markdown-it's own rule would read
    # ``[x](javascript:...)`` as text, and a check would not see the link it adds.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


@cache
def _inline_parser_as_written() -> MarkdownIt:
    parser = _inline_parser_with_every_link()
    parser.disable("text_join")
    return parser


def parse_inline(text: str, *, as_written: bool = False) -> list[Token]:
    """The inline tokens of one text (a paragraph's, a heading's, a cell's), as markdown-it
    reads it on its own: links, images, autolinks, code spans, emphasis. With
    ``as_written``, an escape or an entity is a token of its own (``text_special``) whose
    ``markup`` is what was written (``\\*``, ``&amp;``), not joined to the text around it."""
    parser = _inline_parser_as_written() if as_written else _inline_parser()
    return parser.parseInline(text)[0].children or []


@lru_cache(maxsize=8)
def parse_blocks(body: str) -> tuple[Token, ...]:
    """The block tokens of a body (cached: extract and build both look at a page's)."""
    return tuple(_parser().parse(body))


def has_words(text: str) -> bool:
    """Whether ``text`` has anything a translator would translate."""
    if not _has_letter(text):
        return False
    for start in _NOT_WORDS_STARTS:
        if start in text:
            return _has_letter(_NOT_WORDS.sub(" ", text))
    return True  # nothing to take out


def _has_letter(text: str) -> bool:
    """``any(char.isalpha() for char in text)``, with a pattern doing most of the looking."""
    if text[:1].isalpha():
        return True  # most texts start with a word
    found = _LETTER.search(text)
    if found is None:
        return False
    return found[0].isalpha() or any(char.isalpha() for char in text[found.start() :])


@dataclass(frozen=True, slots=True)
class _Piece:
    """One source line's share of a block's text."""

    text: str
    start: int
    """Offset of ``text`` in the page."""
    line: int
    """1-based page line."""
    hard_break: bool = False


class _Body:
    """A body's lines, with page offsets and page line numbers."""

    def __init__(self, text: str, body_start: int, first_line: int) -> None:
        self.text = text
        self.lines = text[body_start:].splitlines(keepends=True)
        self.starts: list[int] = []
        offset = body_start
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self.first_line = first_line

    def line(self, index: int) -> str:
        return self.lines[index].rstrip("\r\n") if index < len(self.lines) else ""


def extract_body_segments(
    text: str,
    body_start: int,
    first_line: int,
    code_shortcodes: Sequence[str] = ("highlight",),
    path: str = "",
) -> list[Segment]:
    """The segments of the body that starts at offset ``body_start`` (page line ``first_line``)
    of the page at ``path``."""
    body = _Body(text, body_start, first_line)
    tokens = parse_blocks(text[body_start:])
    skipped = _code_shortcode_lines(body, code_shortcodes)
    segments: list[Segment] = []
    stack: list[Token] = []
    containers = 0
    row_cursor = 0
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            stack.append(token)
            if token.type == "tr_open":
                row_cursor = 0
            elif token.type in _CONTAINER_ORIGINS:
                containers += 1
                if containers > MAX_NESTING:
                    raise _nested_too_deep(body, token, path)
            continue
        if token.nesting == -1:
            if stack.pop().type in _CONTAINER_ORIGINS:
                containers -= 1
            continue
        if token.type != "inline" or token.map is None or token.map[0] in skipped:
            continue
        parent = stack[-1].type if stack else ""
        if parent == "heading_open":
            segments.extend(_heading(body, token, stack[-1]))
        elif parent in ("th_open", "td_open"):
            found, row_cursor = _table_cell(body, token, parent, row_cursor)
            segments.extend(found)
        elif parent == "paragraph_open":
            segments.extend(_paragraph(body, token, stack, tokens, index))
    return segments


def _nested_too_deep(body: _Body, token: Token, path: str) -> PageError:
    line = body.first_line + (token.map[0] if token.map else 0)
    return PageError(
        f"lists and block quotes nested more than {MAX_NESTING} deep; extrans cannot read "
        "the text inside them",
        path,
        line,
    )


def _code_shortcode_lines(body: _Body, names: Sequence[str]) -> set[int]:
    """Body line indexes inside paired shortcodes whose content is code (``highlight``)."""
    if not names or "{{" not in body.text:
        return set()
    alternatives = "|".join(re.escape(name) for name in names)
    opener = re.compile(rf"\{{\{{[<%]\s*({alternatives})\b")
    skipped: set[int] = set()
    open_name: str | None = None
    for index, line in enumerate(body.lines):
        if open_name is None:
            match = opener.search(line)
            if match:
                open_name = match[1]
                skipped.add(index)
        else:
            skipped.add(index)
            if re.search(rf"\{{\{{[<%]\s*/\s*{re.escape(open_name)}\s*[>%]\}}\}}", line):
                open_name = None
    return skipped


def _segment(pieces: Sequence[_Piece], origin: str) -> Segment | None:
    text = ""
    for piece in pieces:
        text += piece.text + ("\n" if piece.hard_break else " ")
    text = text[:-1]
    if not has_words(text):
        return None
    last = pieces[-1]
    return Segment(text, origin, pieces[0].line, pieces[0].start, last.start + len(last.text))


def _heading(body: _Body, token: Token, opener: Token) -> Iterator[Segment]:
    assert token.map is not None
    if opener.markup.startswith("#"):
        line = body.line(token.map[0])
        content = _without_attributes(token.content)
        column = line.find(content, line.find("#") + len(opener.markup))
        if content and column >= 0:
            piece = _Piece(
                content, body.starts[token.map[0]] + column, body.first_line + token.map[0]
            )
            segment = _segment([piece], "body: heading")
            if segment:
                yield segment
        return
    pieces = list(_lines_of(body, token))
    if pieces:
        last = pieces[-1]
        trimmed = _without_attributes(last.text)
        pieces[-1] = _Piece(trimmed, last.start, last.line)
        segment = _segment(pieces, "body: heading")
        if segment:
            yield segment


def _without_attributes(heading: str) -> str:
    """A heading's text without its ``{#id .class}`` attributes."""
    return _HEADING_ATTRIBUTES.sub("", heading) if "{" in heading else heading


def _table_cell(body: _Body, token: Token, parent: str, cursor: int) -> tuple[list[Segment], int]:
    assert token.map is not None
    line = body.line(token.map[0])
    content = token.content
    if not content:
        return [], cursor
    for raw in (content.replace("|", "\\|"), content):
        column = line.find(raw, cursor)
        if column >= 0:
            origin = "body: table header" if parent == "th_open" else "body: table cell"
            piece = _Piece(raw, body.starts[token.map[0]] + column, body.first_line + token.map[0])
            segment = _segment([piece], origin)
            return ([segment] if segment else []), column + len(raw)
    return [], cursor


def _lines_of(body: _Body, token: Token) -> Iterator[_Piece]:
    """The source pieces of a paragraph-like inline token, one per line."""
    assert token.map is not None
    raw_lines = token.content.split("\n")
    for offset, raw in enumerate(raw_lines):
        index = token.map[0] + offset
        line = body.line(index)
        core = raw.strip()
        trimmed = line.rstrip(" \t")
        if not core or not trimmed.endswith(core):
            continue
        column = len(trimmed) - len(core)
        is_last = offset == len(raw_lines) - 1
        trailing_spaces = len(line) - len(trimmed)
        backslash = len(core) - len(core.rstrip("\\"))
        hard = not is_last and (trailing_spaces >= 2 or backslash % 2 == 1)
        if hard and trailing_spaces >= 2:
            core = line[column:]
        yield _Piece(core, body.starts[index] + column, body.first_line + index, hard)


def _shortcode_only(lines: Sequence[_Piece]) -> list[bool]:
    """For each line, whether it holds nothing but (parts of) shortcode calls."""
    if not any("{{" in piece.text or "}}" in piece.text for piece in lines):
        return [False] * len(lines)  # no shortcode at all: the common case, decided fast
    result: list[bool] = []
    inside = False
    for piece in lines:
        text = piece.text
        position = 0
        only = True
        touched = inside
        while position < len(text):
            if inside:
                close = _SHORTCODE_CLOSE.search(text, position)
                if close is None:
                    position = len(text)
                    break
                position = close.end()
                inside = False
                continue
            opened = _SHORTCODE_OPEN.search(text, position)
            before = text[position : opened.start() if opened else len(text)]
            if before.strip():
                only = False
            if opened is None:
                break
            touched = True
            inside = True
            position = opened.end()
        result.append(only and touched)
    return result


_CONTAINER_ORIGINS = {"list_item_open": "body: list item", "blockquote_open": "body: blockquote"}


def _paragraph(
    body: _Body, token: Token, stack: Sequence[Token], tokens: Sequence[Token], index: int
) -> Iterator[Segment]:
    container = next((t.type for t in reversed(stack[:-1]) if t.type in _CONTAINER_ORIGINS), "")
    origin = _CONTAINER_ORIGINS.get(container, "body: paragraph")
    if _plain_line(token, container):
        return _line_segment(body, token, origin)
    # (the paragraph that opens a blockquote may be a GitHub alert)
    opens = container == "blockquote_open" and tokens[index - 2].type == "blockquote_open"
    return _paragraph_pieces(body, token, origin, opens)


def _plain_line(token: Token, container: str) -> bool:
    """Whether a paragraph is one line that cannot hold an alert, a shortcode or an image:
    most list items and many paragraphs, read by :func:`_line_segment`."""
    assert token.map is not None
    content = token.content
    return (
        token.map[1] == token.map[0] + 1
        and container != "blockquote_open"
        and "{{" not in content
        and "![" not in content
    )


def _line_segment(body: _Body, token: Token, origin: str) -> Iterator[Segment]:
    """:func:`_paragraph_pieces` of a :func:`_plain_line` paragraph, in short."""
    assert token.map is not None
    first = token.map[0]
    core = token.content.strip()
    trimmed = body.line(first).rstrip(" \t")
    if core and trimmed.endswith(core) and has_words(core):
        start = body.starts[first] + len(trimmed) - len(core)
        yield Segment(core, origin, body.first_line + first, start, start + len(core))


def _paragraph_pieces(
    body: _Body, token: Token, origin: str, opens_blockquote: bool
) -> Iterator[Segment]:
    """The segments of any paragraph: its lines, split around lines of shortcodes only;
    an alert's title; a paragraph of images."""
    pieces = list(_lines_of(body, token))
    # A GitHub alert: the paragraph opening a blockquote starts with [!NOTE].
    if pieces and opens_blockquote and (alert := _ALERT.match(pieces[0].text)):
        origin = "body: alert"
        first = pieces[0]
        title = first.text[alert.end() :]
        if title.strip():
            segment = _segment(
                [_Piece(title, first.start + alert.end(), first.line)], "body: alert title"
            )
            if segment:
                yield segment
        pieces = pieces[1:]
    run: list[_Piece] = []
    for piece, only_shortcode in zip(pieces, _shortcode_only(pieces), strict=True):
        if only_shortcode:
            yield from _run(run, origin)
            run = []
        else:
            run.append(piece)
    yield from _run(run, origin)


def _run(pieces: Sequence[_Piece], origin: str) -> Iterator[Segment]:
    if not pieces:
        return
    joined = " ".join(piece.text for piece in pieces)
    if len(pieces) == 1 and _only_images(joined):
        # A paragraph made of images: its alt texts and titles, without the destinations.
        piece = pieces[0]
        for match in _IMAGE.finditer(piece.text):
            for group, kind in (("alt", "image alt"), ("t1", "image title"), ("t2", "image title"),
                                ("t3", "image title")):  # fmt: skip
                if match[group]:
                    part = _Piece(match[group], piece.start + match.start(group), piece.line)
                    segment = _segment([part], f"body: {kind}")
                    if segment:
                        yield segment
        return
    segment = _segment(pieces, origin)
    if segment:
        yield segment


def _only_images(text: str) -> bool:
    if "![" not in text:
        return False
    rest = _IMAGE.sub("", text)
    rest = re.sub(r"\[\s*\]\([^)]*\)", "", rest)  # the link around a linked image
    return bool(_IMAGE.search(text)) and not rest.strip()
