"""The Markdown a site's Hugo reads: what its configuration says of Goldmark, the renderer.

A record of its own, apart from the parser (:mod:`.markdown`) that follows it: the settings
hold one, and a command that only reads them should not pay for markdown-it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ATTRIBUTE_LIST", "DEFAULT_DIALECT", "MarkdownDialect"]


@dataclass(frozen=True, slots=True)
class MarkdownDialect:
    """The Markdown a site's Hugo reads: Goldmark's settings under ``markup.goldmark``, with
    Hugo 0.111's defaults."""

    definition_list: bool = True
    """``extensions.definitionList``: a term line, then ``: definition`` lines."""
    footnote: bool = True
    """``extensions.footnote``: ``[^label]`` references and ``[^label]: text`` definitions."""
    table: bool = True
    """``extensions.table``: pipe tables, as Goldmark accepts them."""
    strikethrough: bool = True
    """``extensions.strikethrough``: ``~~text~~``."""
    typographer: bool = True
    """``extensions.typographer``: quotes and dashes made typographic when rendered."""
    block_attributes: bool = False
    """``parser.attribute.block``: a line ``{.class #id key=value}`` sets the attributes of
    the block above it."""
    heading_attributes: bool = True
    """``parser.attribute.title``: ``## Heading {#id .class}``."""
    math_blocks: tuple[tuple[str, str], ...] = ()
    """The block delimiters of ``extensions.passthrough`` (``$$``...``$$``), where it is
    enabled: text Hugo passes through untouched."""
    math_inline: tuple[tuple[str, str], ...] = ()
    """Its inline delimiters (``\\(``...``\\)``)."""
    unsafe: bool = False
    """``renderer.unsafe``: whether raw HTML is rendered (otherwise Hugo leaves it out)."""


DEFAULT_DIALECT = MarkdownDialect()
"""Hugo's Markdown when its configuration says nothing of Goldmark."""

ATTRIBUTE_LIST = r"""\{[ \t]*
    (?: (?:[#.][^\s{}]+ | [A-Za-z_:][\w.:-]*[ \t]*=[ \t]*(?:"[^"]*"|'[^']*'|[^\s"'{},]+)) [ \t,]* )+
    \}"""
"""An attribute list, as Goldmark reads one: ``{#id .class key="value" anchor=false}`` (a
verbose pattern)."""
