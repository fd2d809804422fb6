"""The records the pipeline stages hand to each other.

source page → :class:`Segment` (``frontmatter``, ``markdown``) → :class:`SourcePage`
(``pages``) → catalog messages (``catalog``) → PO files (``pofile``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

__all__ = ["FrontMatterFormat", "Segment", "SourcePage", "fast_init"]

FrontMatterFormat = Literal["yaml", "toml", "json", "none"]

_Record = TypeVar("_Record")


def fast_init(cls: type[_Record]) -> type[_Record]:
    """Give a frozen slotted dataclass an ``__init__`` twice as fast, for the records a run
    makes by the hundred thousand (segments, messages, blocks, front-matter values).

    The ``__init__`` a frozen dataclass gets sets each field through ``object.__setattr__``,
    which looks the name up again; this one calls each slot's own setter. Same signature,
    same defaults, same result. Apply it above ``@dataclass``.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    for item in fields:
        if item.default_factory is not dataclasses.MISSING or not item.init or item.kw_only:
            raise TypeError(f"fast_init: {cls.__name__}.{item.name} needs the dataclass __init__")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"fast_init: {cls.__name__} has a __post_init__")
    namespace: dict[str, object] = {}
    parameters, lines = [], []
    for item in fields:
        namespace[f"_set_{item.name}"] = cls.__dict__[item.name].__set__
        if item.default is dataclasses.MISSING:
            parameters.append(item.name)
        else:
            namespace[f"_default_{item.name}"] = item.default
            parameters.append(f"{item.name}=_default_{item.name}")
        lines.append(f"    _set_{item.name}(self, {item.name})\n")
    exec(f"def __init__(self, {', '.join(parameters)}):\n{''.join(lines)}", namespace)
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@fast_init
@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of translatable text, as it stands in a page."""

    text: str
    """The text a translator sees (the msgid): inline Markdown kept as written, soft line
    breaks joined with a space, hard line breaks kept with their marker."""
    origin: str
    """Where it comes from, for the ``#.`` comment: ``front matter: faq[2].a``,
    ``body: list item``."""
    line: int
    """1-based line in the page file where the text starts."""
    start: int
    """Offset in the page text of the first character this segment replaces."""
    end: int
    """Offset just past the last character it replaces."""
    context: str | None = None
    """msgctxt, set only where the configuration asks for one (see ``Settings.contexts``)."""


@dataclass(frozen=True, slots=True)
class SourcePage:
    """A source-language page and what it offers to translate."""

    path: str
    """Path relative to the site root, with ``/`` separators (``content/en/a/b.md``)."""
    key: str
    """The catalog key: ``translationKey``, or one derived from the path."""
    format: FrontMatterFormat
    """The front matter's syntax."""
    segments: tuple[Segment, ...]
    """Front-matter segments first, then body segments, each in document order."""
