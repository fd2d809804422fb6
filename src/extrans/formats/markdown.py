"""Find the translatable text of a Markdown body, with the source span of each piece.

markdown-it-py parses the body as the site's Hugo does (Goldmark's dialect: CommonMark plus the
extensions the site's configuration turns on, see :class:`MarkdownDialect`), each shortcode call
hidden as Hugo hides it from Goldmark (:mod:`.shortcodes`), and says which lines hold which
blocks; the text itself is taken from the source as written, so inline markup
(``**Posterior Chain**: Strengthens glutes``) stays where the translator can move it, and a
later stage can put a translation in exactly the place its source text held.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..errors import PageError
from ..model import Segment
from .dialect import ATTRIBUTE_LIST, DEFAULT_DIALECT, MarkdownDialect
from .shortcodes import Call, find_calls, find_pairs, hidden_calls, holds_data

__all__ = [
    "MAX_NESTING",
    "extract_body_segments",
    "has_words",
    "parse_blocks",
    "parse_inline",
    "shortcut_references",
]

MAX_NESTING = 50
"""How deep lists and block quotes may lie one inside another. Hugo renders any depth, but
markdown-it stops reading at its nesting bound (which keeps its recursion off the end of the
stack), so a page nested deeper is refused rather than read in part."""

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
"""A line and its end, as Markdown counts lines: a form feed or U+2028 ends none."""
_ALERT = re.compile(r"\[!([A-Za-z]+)\][+-]?[ \t]*")
_ATTRIBUTES = re.compile(rf"{ATTRIBUTE_LIST}[ \t]*", re.VERBOSE)
"""A line of block attributes (from its indentation on)."""
_HEADING_ATTRIBUTES = re.compile(rf"[ \t]*{ATTRIBUTE_LIST}[ \t]*$", re.VERBOSE)
_IMAGE = re.compile(
    r"""!\[(?P<alt>(?:[^\[\]\\]|\\.)*)\]
        \(\s*(?:<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)
        (?:\s+(?:"(?P<t1>(?:[^"\\]|\\.)*)"|'(?P<t2>(?:[^'\\]|\\.)*)'|\((?P<t3>(?:[^()\\]|\\.)*)\)))?
        \s*\)""",
    re.VERBOSE,
)
# Text that needs no translator: code spans, tags, autolinks, shortcodes, destinations, URLs,
# entities. Every alternative starts with one literal character (so "``*", not "`+"): the regex
# engine then skips from one such character to the next instead of trying each at every place.
_NOT_WORDS = re.compile(
    r"``*[^`]*`+|<[^<>\n]*>|\{\{[<%].*?[>%]\}\}|\]\([^)]*\)|https?://\S+|&\w+;",
    re.DOTALL,
)


@cache
def _block_parser(dialect: MarkdownDialect) -> MarkdownIt:
    # Only the block structure is needed: inline text is taken from the source as written.
    # A list item is two levels of markdown-it's (the list and the item), and so is a
    # definition: at this bound, every page it would stop reading holds more than
    # MAX_NESTING containers.
    options = {"html": True, "maxNesting": 2 * MAX_NESTING + 2}
    parser = MarkdownIt("commonmark", options).disable(["inline", "text_join"])
    rules = parser.block.ruler
    if dialect.table:
        parser.enable("table")
        rules.at(
            "table", _goldmark_table(_rule(parser, "table")), {"alt": ["paragraph", "reference"]}
        )
    if dialect.definition_list:
        parser.use(deflist_plugin)
        # A line followed by a definition is a term: it ends the paragraph above it.
        rules.before("deflist", "definition_term", _definition_term, {"alt": ["paragraph"]})
    if dialect.footnote:
        # Definitions stay where they are written (the walk reads them in place); only the
        # block rule is needed, references are inline.
        parser.use(footnote_plugin, inline=False).disable("footnote_tail")
    # Goldmark's own block rules: they end a paragraph, a quote's or an item's lazy lines.
    ends: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}
    if dialect.block_attributes:
        rules.before("table", "attribute_line", _attribute_line, ends)
    if dialect.math_blocks:
        rules.before("table", "math_block", _math_block(dialect.math_blocks), ends)
    return parser


Rule = Callable[[StateBlock, int, int, bool], bool]
"""A block rule of markdown-it's: state, first line, end line, whether only asked → matched."""


def _rule(parser: MarkdownIt, name: str) -> Rule:
    """The function of the block rule ``name`` (the ruler has no public way to give it)."""
    rules = parser.block.ruler.__rules__
    return rules[parser.block.ruler.__find__(name)].fn


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _attribute_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line of block attributes: never text, and never part of the paragraph above it."""
    if state.sCount[start] - state.blkIndent >= 4 or not _ATTRIBUTES.fullmatch(
        _line_text(state, start)
    ):
        return False
    if not silent:
        token = state.push("attributes", "", 0)
        token.map = [start, start + 1]
        token.content = _line_text(state, start)
        state.line = start + 1
    return True


def _definition_marker(state: StateBlock, line: int) -> bool:
    """Whether ``line`` opens a definition (``: text``), as Goldmark reads one."""
    if line >= state.lineMax or state.sCount[line] < state.blkIndent:
        return False
    text = _line_text(state, line)
    return text[:1] == ":" and text[1:2] in (" ", "\t") and bool(text[2:].strip())


def _definition_term(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A term ends the paragraph above it: Goldmark makes each line of a paragraph before a
    definition a term of its own. Only asked whether a line ends a paragraph: the term
    itself is the definition list's."""
    if not silent or state.sCount[start] - state.blkIndent >= 4:
        return False
    after = start + 1
    if after < end and state.isEmpty(after):
        after += 1
    return after < end and _definition_marker(state, after)


_DELIMITER_ROW = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*")


def _goldmark_table(table: Rule) -> Rule:
    """markdown-it's table rule, also taking a table whose delimiter row has more cells
    than its header row, as Goldmark does (it adds empty header cells)."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if table(state, start, end, silent):
            return True
        row = start + 1
        if row >= end:
            return False
        first = state.bMarks[row] + state.tShift[row]  # (most lines end here: no delimiter row)
        if state.src[first : first + 1] not in "|-:" or state.sCount[row] < state.blkIndent:
            return False
        delimiters = _line_text(state, row)
        if not _DELIMITER_ROW.fullmatch(delimiters):
            return False
        header = _line_text(state, start).strip()
        cells = escapedSplit(header)
        count = len(cells) - (cells[:1] == [""]) - (len(cells) > 1 and cells[-1] == "")
        wanted = len(re.findall("-+", delimiters))
        if "|" not in header or not 0 < count < wanted:
            return False
        padding = ("" if header.endswith("|") else " |") + " |" * (wanted - count)
        return _with_padded_line(state, start, padding, lambda: table(state, start, end, silent))

    return rule


def _with_padded_line(
    state: StateBlock, line: int, padding: str, parse: Callable[[], bool]
) -> bool:
    """What ``parse`` says of ``state`` with ``padding`` at the end of ``line`` (lines keep
    their numbers, so the tokens' maps hold for the text as written)."""
    at, size = state.eMarks[line], len(padding)
    source = state.src
    state.src = source[:at] + padding + source[at:]
    state.eMarks[line] += size
    for after in range(line + 1, len(state.bMarks)):
        state.bMarks[after] += size
        state.eMarks[after] += size
    try:
        return parse()
    finally:
        state.src = source
        state.eMarks[line] -= size
        for after in range(line + 1, len(state.bMarks)):
            state.bMarks[after] -= size
            state.eMarks[after] -= size


def _math_block(delimiters: tuple[tuple[str, str], ...]) -> Rule:
    """Text between a passthrough's block delimiters, from a line that starts with the
    opening one to the line that ends with the closing one: never prose."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:
            return False
        text = _line_text(state, start)
        for opening, closing in delimiters:
            if not text.startswith(opening):
                continue
            rest, line = text[len(opening) :], start
            while not rest.rstrip().endswith(closing):
                line += 1
                if line >= end or state.isEmpty(line) or state.sCount[line] < state.blkIndent:
                    break
                rest = _line_text(state, line)
            else:
                if not silent:
                    token = state.push("math_block", "", 0)
                    token.map = [start, line + 1]
                    token.content = state.getLines(start, line + 1, state.blkIndent, False)
                    state.line = line + 1
                return True
        return False

    return rule


@cache
def _inline_parser(as_written: bool, references: bool = False) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True})
    # Every destination is a link, as Hugo renders it: markdown-it's own rule would read
    # ``[x](javascript:...)`` as text, and a check would not see the link it adds.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    if references:
        rules = parser.inline.ruler
        rules.at("link", _marking_references(link, 0))
        rules.at("image", _marking_references(image, 1))
    return parser.disable("text_join") if as_written else parser


InlineRule = Callable[[StateInline, bool], bool]
"""An inline rule of markdown-it's: state, whether only asked → matched."""


def _marking_references(rule: InlineRule, bang: int) -> InlineRule:
    """markdown-it's link (or image, whose ``[`` comes after ``bang`` characters) rule, the
    token of a link that a reference definition resolves marked in its ``meta``: ``label``,
    the label as written (whitespace collapsed), and ``shortcut``, whether its text is its
    label (``[the guide]``, ``[the guide][]``: a translation of the text loses the link)."""

    def marking(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if silent or count >= len(state.tokens):
            return True
        end = state.pos
        label_end = state.md.helpers.parseLinkLabel(state, start + bang, not bang)
        after = state.src[label_end + 1 : end]
        if after[:1] == "(" and after.endswith(")"):
            return True  # an inline link
        shortcut = after in ("", "[]")
        label = state.src[start + bang + 1 : label_end] if shortcut else after[1:-1]
        # (the text before the link, pending until now, may be pushed first)
        opening = next(t for t in state.tokens[count:] if t.type in ("link_open", "image"))
        opening.meta.update(label=" ".join(label.split()), shortcut=shortcut)
        return True

    return marking


def parse_inline(
    text: str, *, as_written: bool = False, references: frozenset[str] | tuple[str, ...] = ()
) -> list[Token]:
    """The inline tokens of one text (a paragraph's, a heading's, a cell's), as markdown-it
    reads it on its own: links, images, autolinks, code spans, emphasis. With
    ``as_written``, an escape or an entity is a token of its own (``text_special``) whose
    ``markup`` is what was written (``\\*``, ``&amp;``), not joined to the text around it.
    With ``references``, the labels of the page's link reference definitions, a link or an
    image they resolve is one, its ``meta`` saying how (``label``, ``shortcut``)."""
    if not references:
        return _inline_parser(as_written).parseInline(text)[0].children or []
    env = {"references": _definitions(references)}
    tokens = _inline_parser(as_written, True).parseInline(text, env)[0].children
    return tokens or []


@lru_cache(maxsize=64)
def _definitions(labels: frozenset[str] | tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Link reference definitions of ``labels``, as markdown-it keeps them (a page's texts
    are read with the same ones; markdown-it's inline rules only read them)."""
    empty = {"href": "", "title": ""}
    return {normalizeReference(label): empty for label in labels}


def shortcut_references(text: str, references: frozenset[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The labels, as written, of the shortcut and collapsed references of ``text`` (``See
    [the guide]``, ``[the guide][]``) that the page's definitions ``references`` resolve:
    links whose text is their label. (A shortcode call is never one.)"""
    if "]" not in text or not references:
        return ()
    hidden = hidden_calls(text, find_calls(text))
    tokens = parse_inline(hidden, as_written=True, references=references)
    return tuple(t.meta["label"] for t in tokens if t.meta.get("shortcut"))


@lru_cache(maxsize=8)
def _with_calls_hidden(body: str) -> tuple[tuple[Call, ...], str]:
    """A body's shortcode calls, and the body as the block parser sees it (cached: the block
    parse and the walk over its blocks both need them)."""
    calls = find_calls(body)
    return calls, hidden_calls(body, calls)


@lru_cache(maxsize=8)
def _parsed_blocks(body: str, dialect: MarkdownDialect) -> tuple[tuple[Token, ...], frozenset[str]]:
    """The block tokens of a body, and the labels of its link reference definitions."""
    env: dict[str, dict[str, object]] = {}
    tokens = _block_parser(dialect).parse(_with_calls_hidden(body)[1], env)
    return tuple(tokens), frozenset(env.get("references", ()))


def parse_blocks(body: str, dialect: MarkdownDialect = DEFAULT_DIALECT) -> tuple[Token, ...]:
    """The block tokens of a body as Hugo reads it with ``dialect``, each shortcode call a
    placeholder as Hugo hands it to Goldmark (cached: extract and build both look at a
    page's). A line of block attributes is an ``attributes`` token, a passthrough block a
    ``math_block`` token; a footnote's definition stays where it is written."""
    return _parsed_blocks(body, dialect)[0]


def has_words(text: str) -> bool:
    """Whether ``text`` has anything a translator would translate: a letter (``str.isalpha``)
    outside code spans, tags, shortcodes, link destinations, URLs and entities."""
    return any(map(str.isalpha, _NOT_WORDS.sub(" ", text)))


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
    """A body's lines as the block parser sees them (shortcode calls hidden), with page
    offsets and page line numbers; its shortcode calls, at page offsets."""

    def __init__(
        self, text: str, body_start: int, first_line: int, prose_arguments: Collection[str] = ()
    ) -> None:
        self.page = text
        self.text = text[body_start:]
        found, self.hidden = _with_calls_hidden(self.text)
        self.lines: list[str] = _LINE.findall(self.hidden)
        self.starts = list(accumulate(map(len, self.lines), initial=body_start))
        self.first_line = first_line
        self.calls = [_shifted(call, body_start) for call in found]
        self.prose_arguments = prose_arguments
        """The shortcode arguments that hold prose (``figure.caption``)."""
        self.skipped: set[int] = set()
        """Body line indexes of code and data shortcodes (and their calls), never sent."""

    def line(self, index: int) -> str:
        return self.lines[index].rstrip("\r\n") if index < len(self.lines) else ""

    def line_of(self, offset: int) -> int:
        """The body line index of a page offset."""
        return bisect_right(self.starts, offset) - 1

    def piece(self, index: int, column: int, text: str, hard_break: bool = False) -> _Piece:
        """The source text at ``column`` of body line ``index`` that ``text`` (as the block
        parser sees it) stands for."""
        start = self.starts[index] + column
        source = self.page[start : start + len(text)]
        return _Piece(source, start, self.first_line + index, hard_break)


_CONTAINER_ORIGINS = {
    "list_item_open": "body: list item",
    "blockquote_open": "body: blockquote",
    "dd_open": "body: definition",
    "footnote_reference_open": "body: footnote",
}


def extract_body_segments(
    text: str,
    body_start: int,
    first_line: int,
    code_shortcodes: Sequence[str] = ("highlight",),
    path: str = "",
    dialect: MarkdownDialect = DEFAULT_DIALECT,
    prose_arguments: Collection[str] = (),
    *,
    html_blocks: bool = False,
) -> list[Segment]:
    """The segments of the body that starts at offset ``body_start`` (page line ``first_line``)
    of the page at ``path``, read in ``dialect``; ``prose_arguments``: the shortcode arguments
    whose values are texts of their own where their call stands alone (``figure.caption``,
    ``notice.0``); ``html_blocks``: whether the text of simple HTML blocks is sent too."""
    body = _Body(text, body_start, first_line, prose_arguments)
    tokens, references = _parsed_blocks(body.text, dialect)
    skipped = body.skipped = _code_shortcode_lines(body, code_shortcodes)
    segments: list[Segment] = []
    stack: list[Token] = []
    containers = 0
    row_cursor = 0
    headings = _Headings()
    columns: list[str] = []  # the titles of the header cells of the table being read
    column = 0
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            if token.type == "heading_open" and not stack:
                headings.opened = token
            stack.append(token)
            if token.type == "tr_open":
                row_cursor = column = 0
            elif token.type == "thead_open":
                columns = []
            elif token.type in ("th_open", "td_open"):
                column += 1
            elif token.type in _CONTAINER_ORIGINS:
                containers += 1
                if containers > MAX_NESTING:
                    raise _nested_too_deep(body, token, path)
            continue
        if token.nesting == -1:
            if stack.pop().type in _CONTAINER_ORIGINS:
                containers -= 1
            continue
        if token.type == "html_block" and html_blocks and token.map is not None:
            if token.map[0] not in skipped and _simple_html(token.content):
                segments.extend(_segments(list(_lines_of(body, token)), "body: html block"))
            continue
        if token.type != "inline" or token.map is None or token.map[0] in skipped:
            continue
        parent = stack[-1].type if stack else ""
        if parent == "heading_open":
            pieces = _heading(body, token, stack[-1], dialect.heading_attributes)
            segments.extend(_segments(pieces, "body: heading"))
            if stack[-1] is headings.opened:
                headings.add(body, stack[-1], pieces)
        elif parent in ("th_open", "td_open"):
            pieces, row_cursor = _table_cell(body, token, row_cursor)
            if parent == "th_open":
                columns.append(_title(pieces))
                segments.extend(_segments(pieces, "body: table header"))
            else:
                title = columns[column - 1] if column <= len(columns) else ""
                location = f'column "{title}"' if title else ""
                segments.extend(_segments(pieces, "body: table cell", location))
        elif parent == "paragraph_open":
            opens_quote = index >= 2 and tokens[index - 2].type == "blockquote_open"
            segments.extend(_paragraph(body, token, _origin(stack), opens_quote))
        elif parent == "dt_open":
            segments.extend(_paragraph(body, token, "body: definition term", False))
    if prose_arguments and body.calls:
        found = list(_argument_segments(body, sorted(segments, key=lambda s: s.start)))
        segments = sorted([*segments, *found], key=lambda segment: segment.start)
    if references:
        segments = [_with_references(segment, references) for segment in segments]
    return headings.placed(segments) if headings.paths else segments


def _with_references(segment: Segment, references: frozenset[str]) -> Segment:
    """``segment`` with the labels of its shortcut and collapsed references, which a
    translation must keep (its text alone cannot tell a link ``[the guide]`` from prose
    in brackets)."""
    if segment.origin.startswith("shortcode:"):
        return segment  # (an argument's text is no Markdown of the page's)
    labels = shortcut_references(segment.text, references)
    return replace(segment, references=labels) if labels else segment


def _nested_too_deep(body: _Body, token: Token, path: str) -> PageError:
    line = body.first_line + (token.map[0] if token.map else 0)
    return PageError(
        f"lists and block quotes nested more than {MAX_NESTING} deep; extrans cannot read "
        "the text inside them",
        path,
        line,
    )


def _code_shortcode_lines(body: _Body, names: Sequence[str]) -> set[int]:
    """Body line indexes of paired shortcodes whose content is code (``highlight``, an
    inline shortcode's template) or data (:func:`holds_data`), from the opening call's line
    to the closing call's."""
    if not body.calls:
        return set()
    skipped: set[int] = set()
    offset = body.starts[0]
    for pair in find_pairs(tuple(body.calls)):
        start, end = pair.inner
        name = pair.opening.name
        if (
            name in names
            or name.endswith(".inline")
            or holds_data(body.hidden[start - offset : end - offset])
        ):
            first, last = body.line_of(pair.opening.start), body.line_of(pair.closing.end - 1)
            skipped.update(range(first, last + 1))
    return skipped


def _shifted(call: Call, offset: int) -> Call:
    """``call`` found in a body that starts at page offset ``offset``, at page offsets."""
    arguments = tuple(
        replace(argument, start=argument.start + offset, end=argument.end + offset)
        for argument in call.arguments
    )
    return replace(call, start=call.start + offset, end=call.end + offset, arguments=arguments)


def _argument_segments(body: _Body, texts: Sequence[Segment]) -> Iterator[Segment]:
    """The segments of the prose arguments (``figure.caption``) of the calls that stand
    outside ``texts`` (the body's other segments, in page order) and outside code and data
    shortcodes. (A call inside a text stays whole in it.)"""
    ends = [segment.end for segment in texts]
    for call in body.calls:
        if call.escaped or not call.arguments or body.line_of(call.start) in body.skipped:
            continue
        index = bisect_right(ends, call.start)
        if index < len(texts) and texts[index].start <= call.start:
            continue
        for argument in call.arguments:
            key = argument.name if argument.name is not None else str(argument.position)
            if f"{call.name}.{key}" in body.prose_arguments and has_words(argument.value):
                line = body.first_line + body.line_of(argument.start)
                origin = f"shortcode: {call.name} {key}"
                yield Segment(argument.value, origin, line, argument.start, argument.end)


def _segments(pieces: Sequence[_Piece], origin: str, location: str = "") -> Iterator[Segment]:
    """The segment of ``pieces`` joined (a soft line break as a space), if it has words."""
    if not pieces:
        return
    text = "".join(piece.text + ("\n" if piece.hard_break else " ") for piece in pieces)[:-1]
    if has_words(text):
        last = pieces[-1]
        end = last.start + len(last.text)
        yield Segment(text, origin, pieces[0].line, pieces[0].start, end, location=location)


def _heading(body: _Body, token: Token, opener: Token, attributes: bool) -> list[_Piece]:
    """The source text of a heading, without its attributes where the dialect reads them."""
    assert token.map is not None
    if not opener.markup.startswith("#"):  # a setext heading: lines like a paragraph's
        pieces = list(_lines_of(body, token))
        if pieces and attributes:
            pieces[-1] = replace(pieces[-1], text=_without_attributes(pieces[-1].text))
            if not pieces[-1].text:  # (a line of attributes alone)
                pieces.pop()
        return pieces
    line = body.line(token.map[0])
    content = _without_attributes(token.content) if attributes else token.content
    column = line.find(content, line.find("#") + len(opener.markup))
    if content and column >= 0:
        return [body.piece(token.map[0], column, content)]
    return []


def _without_attributes(heading: str) -> str:
    """A heading's text without its ``{#id .class}`` attributes."""
    return _HEADING_ATTRIBUTES.sub("", heading)


def _table_cell(body: _Body, token: Token, cursor: int) -> tuple[list[_Piece], int]:
    """The source text of a cell, and where on its row the next cell's search starts."""
    assert token.map is not None
    line = body.line(token.map[0])
    content = token.content
    if not content:
        return [], cursor
    for raw in (content.replace("|", "\\|"), content):
        column = line.find(raw, cursor)
        if column >= 0:
            return [body.piece(token.map[0], column, raw)], column + len(raw)
    return [], cursor


_INLINE_MARKUP = re.compile(r"[*_`\[\]<>&\\!{}~$]")
"""A character that may be inline markup: a title without one is its own plain text."""
_TITLE_LENGTH = 40
"""The most characters of a heading or a column header a location quotes."""


def _title(pieces: Sequence[_Piece]) -> str:
    """The words of a heading or a header cell as a reader sees them (no markup, no link
    destinations), cut at a word before :data:`_TITLE_LENGTH` characters."""
    text = " ".join(piece.text for piece in pieces)
    if _INLINE_MARKUP.search(text):
        text = "".join(t.content for t in parse_inline(text) if t.type in ("text", "code_inline"))
    title = " ".join(text.split())
    if len(title) <= _TITLE_LENGTH:
        return title
    cut = title[: _TITLE_LENGTH - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


class _Headings:
    """The headings of a body's top level, as the sections they open: each with the path of
    the two nearest headings above the text in it."""

    def __init__(self) -> None:
        self.opened: Token | None = None
        """The top-level heading being read."""
        self.levels: list[tuple[int, str]] = []
        """The heading path at the current point: level and title of each heading."""
        self.starts: list[int] = []
        """Page offsets where each section's heading starts."""
        self.texts: list[int] = []
        """Page offsets where each section's text starts (after its heading's lines)."""
        self.paths: list[tuple[str, str]] = []
        """The location of each section's heading (its parents), and of a text in it."""

    def add(self, body: _Body, opener: Token, pieces: Sequence[_Piece]) -> None:
        assert opener.map is not None
        level = int(opener.tag[1:])
        while self.levels and self.levels[-1][0] >= level:
            self.levels.pop()
        parents = self._path()
        title = _title(pieces)
        if title:
            self.levels.append((level, title))
        last = len(body.starts) - 1
        self.starts.append(body.starts[min(opener.map[0], last)])
        self.texts.append(body.starts[min(opener.map[1], last)])
        self.paths.append((parents, self._path()))

    def _path(self) -> str:
        nearest = " > ".join(f'"{title}"' for _, title in self.levels[-2:])
        return f"under {nearest}" if nearest else ""

    def placed(self, segments: Sequence[Segment]) -> list[Segment]:
        """``segments`` (in page order), each with the heading path of its section."""
        placed = []
        for segment in segments:
            index = bisect_right(self.starts, segment.start) - 1
            if index >= 0:
                path = self.paths[index][segment.start >= self.texts[index]]
                if path:
                    location = f"{segment.location}, {path}" if segment.location else path
                    segment = replace(segment, location=location)
            placed.append(segment)
        return placed


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
        yield body.piece(index, column, core, hard)


_SIMPLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "br", "cite", "code", "del", "details", "dfn", "em", "figcaption", "i",
        "ins", "kbd", "mark", "p", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
        "sup", "time", "u",
    }
)  # fmt: skip
"""The tags of an HTML block whose text extrans sends (``html-blocks``): text and inline
markup a translator can keep around it; not code, tables, forms or scripts."""
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w-]*)|<!--")


def _simple_html(html: str) -> bool:
    """Whether an HTML block holds only :data:`_SIMPLE_TAGS` (no comment: a shortcode pair's
    call is hidden as one)."""
    names = _TAG_NAME.findall(html)
    return "<!--" not in html and all(name.lower() in _SIMPLE_TAGS for _, name in names)


def _origin(stack: Sequence[Token]) -> str:
    """The origin of a paragraph in the innermost container of ``stack``."""
    container = next((t.type for t in reversed(stack) if t.type in _CONTAINER_ORIGINS), "")
    return _CONTAINER_ORIGINS.get(container, "body: paragraph")


def _paragraph(body: _Body, token: Token, origin: str, opens_quote: bool) -> Iterator[Segment]:
    """The segments of a paragraph (or a definition term): its lines, split around lines of
    shortcodes only; the title of the alert it opens (``> [!NOTE]``); the texts of a
    paragraph of images."""
    pieces = list(_lines_of(body, token))
    if pieces and opens_quote and (alert := _ALERT.match(pieces[0].text)):
        origin = "body: alert"
        first = pieces[0]
        title = first.text[alert.end() :]
        if title.strip():
            title_piece = _Piece(title, first.start + alert.end(), first.line)
            yield from _segments([title_piece], "body: alert title")
        pieces = pieces[1:]
    run: list[_Piece] = []
    for piece, only_shortcode in zip(pieces, _shortcode_only(pieces, body.calls), strict=True):
        # (lines of code or data shortcodes, or of calls only, split a paragraph)
        if only_shortcode or piece.line - body.first_line in body.skipped:
            yield from _run(run, origin)
            run = []
        else:
            run.append(piece)
    yield from _run(run, origin)


def _shortcode_only(lines: Sequence[_Piece], calls: Sequence[Call]) -> list[bool]:
    """For each line (none is blank), whether it holds nothing but shortcode calls (escaped
    ones too: Hugo shows those as text, but it is code to a reader), none of which goes on
    into a line that holds text: a call is never cut between two texts."""
    if not calls or not lines:
        return [False] * len(lines)
    low = bisect_right(calls, lines[0].start, key=lambda call: call.end)
    high = bisect_left(calls, lines[-1].start + len(lines[-1].text), key=lambda call: call.start)
    spans = [(call.start, call.end) for call in calls[low:high]]
    starts = [piece.start for piece in lines]
    only = [True] * len(lines)
    reach: list[tuple[int, int]] = []  # the first and last line of each call on these lines
    for start, end in spans:
        first, last = bisect_right(starts, start) - 1, bisect_right(starts, end - 1) - 1
        if last < 0 or first >= len(lines):
            continue
        reach.append((max(first, 0), last))
    for index, piece in enumerate(lines):
        text = piece.text
        for start, end in spans:
            if start < piece.start + len(text) and end > piece.start:
                left, right = max(start - piece.start, 0), end - piece.start
                text = text[:left] + " " * (min(right, len(text)) - left) + text[right:]
        only[index] = not text.strip()
    changed = True
    while changed:  # (a call reaching into a line of text takes every line it covers along)
        changed = False
        for first, last in reach:
            if first != last and not all(only[first : last + 1]) and any(only[first : last + 1]):
                only[first : last + 1] = [False] * (last - first + 1)
                changed = True
    return only


def _run(pieces: Sequence[_Piece], origin: str) -> Iterator[Segment]:
    """The segment of consecutive lines of a paragraph; of a line of images, their alt texts
    and titles, without the destinations."""
    if len(pieces) != 1 or not _only_images(pieces[0].text):
        yield from _segments(pieces, origin)
        return
    piece = pieces[0]
    for match in _IMAGE.finditer(piece.text):
        for group in ("alt", "t1", "t2", "t3"):
            if match[group]:
                part = _Piece(match[group], piece.start + match.start(group), piece.line)
                kind = "image alt" if group == "alt" else "image title"
                yield from _segments([part], f"body: {kind}")


def _only_images(text: str) -> bool:
    if "![" not in text:
        return False
    rest = _IMAGE.sub("", text)
    rest = re.sub(r"\[\s*\]\([^)]*\)", "", rest)  # the link around a linked image
    return bool(_IMAGE.search(text)) and not rest.strip()
