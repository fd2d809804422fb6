"""Build's pure core: a source page and its catalog's translations → the localized page's
text, every other byte kept; and the trust policy, which existing localized page build may
replace."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from ..errors import PageError, line_of
from ..formats.catalog import Catalog
from ..formats.checks import (
    DEFAULT_RULES,
    Finding,
    SiteRules,
    check_message,
    check_translation,
    destination_spans,
)
from ..formats.dialect import DEFAULT_DIALECT, MarkdownDialect
from ..formats.frontmatter import (
    FieldValue,
    format_scalar,
    read_string_fields,
    read_top_level_values,
    splice,
    split_front_matter,
)
from ..formats.markdown import parse_blocks
from ..formats.shortcodes import written_argument
from ..formats.urls import UrlRules, link_key, read_page_address, served_link
from ..model import Segment, SourcePage, TextKey
from ..site.pages import decode_page

__all__ = [
    "STRUCTURAL_CHECKS",
    "LocalizedPage",
    "PagePlace",
    "UsableTranslations",
    "block_structure",
    "existing_page_text",
    "hand_made_because",
    "keeps_block_structure",
    "left_alone_because",
    "localize_page",
    "localized_front_matter",
    "usable_translations",
    "with_language_links",
]

_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t])")
_NO_BLOCK_SYNTAX = re.compile(
    r"""(?: [-+*_]*[^\W\d_]          # a letter, maybe after emphasis markers or a flag's dashes
          | `{1,2}(?!`)              # a code span, not a fence
          | \[[^][\\\n\r|]*\](?=[^:]) # a link's text, not a reference or footnote label
          | \{\{                     # a shortcode call, not an attribute list
          | [^\s\w#>+*=`~<[|:\\"'({-] # no block syntax, nor a reference definition's title
        )[^\n\r|]*(?<!\\)""",
    re.VERBOSE,
)
"""One line that starts no block (nor a definition, a footnote, a line of attributes), with
no table pipe, and no backslash at its end that could escape one after it."""


@dataclass(frozen=True, slots=True)
class LocalizedPage:
    """A localized page's text and how much of it is translated."""

    text: str
    entries: int
    """Distinct texts of the source page (catalog entries)."""
    translated: int
    """Of those, how many have a usable translation."""
    rejected: tuple[Finding, ...] = ()
    """Translations that would break the page; the source text stays."""
    replacements: tuple[tuple[int, int, str], ...] = field(default=(), repr=False, compare=False)
    """What went where in the source text: (start, end, new text), in page order."""

    @property
    def share(self) -> float:
        return 100.0 if self.entries == 0 else 100.0 * self.translated / self.entries

    @property
    def complete(self) -> bool:
        return self.translated == self.entries


STRUCTURAL_CHECKS = frozenset(
    ("single-line", "blank-line", "table-pipe", "block-syntax", "whitespace")
)
"""Checks build applies to every translation whatever the configuration says: a translation
failing one of them would change the page's structure."""


@dataclass(frozen=True, slots=True)
class UsableTranslations:
    """What of a catalog build may use."""

    translations: Mapping[TextKey, str]
    """Not fuzzy, not empty, no error from ``extrans check``."""
    errors: tuple[Finding, ...]
    """The errors that kept the others out."""


def usable_translations(
    catalog: Catalog,
    path: str,
    severities: Mapping[str, str] | None = None,
    *,
    site: SiteRules = DEFAULT_RULES,
    fuzzy: bool = False,
) -> UsableTranslations:
    """The translations build may use, and the errors that kept others out (``site``: what
    the checks read of the site; ``fuzzy``: fuzzy translations too, ``use-fuzzy``). Plural
    entries are left out: no page text is plural."""
    translations: dict[TextKey, str] = {}
    errors: list[Finding] = []
    for message in catalog.messages:
        if message.obsolete or message.plural:
            continue
        if not (message.translated or (fuzzy and message.msgstr)):
            continue
        found = check_message(
            message,
            path,
            severities,
            errors_only=True,
            site=site,
        )
        if found:
            errors.extend(found)
            continue
        translations[message.key] = message.msgstr
    return UsableTranslations(translations, tuple(errors))


def _continuation_prefix(text: str, start: int) -> str:
    """What each further line of a block's text starts with: the first line's container
    prefix, list markers turned into spaces (``> - item`` → ``>   ``). A byte-order mark
    before the first line is not part of it."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 and text.startswith("\ufeff"):
        line_start = 1
    prefix = text[line_start:start]
    return _LIST_MARKER.sub(lambda m: " " * len(m[0]), prefix)


def _body_replacement(text: str, segment: Segment, translation: str) -> str:
    """What goes in place of a segment of the body: the translation, its further lines
    indented as the first line's container requires."""
    lines = translation.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) == 1:
        return translation
    line_end = text.find("\n", segment.start)
    newline = "\r\n" if line_end > 0 and text[line_end - 1] == "\r" else "\n"
    return (newline + _continuation_prefix(text, segment.start)).join(lines)


def localize_page(
    text: str, page: SourcePage, translations: Mapping[TextKey, str]
) -> LocalizedPage:
    """Put each translation in place of its source text in ``text``, the source page, unless
    it fails a structural check there (under the origin it has there)."""
    keys = {(s.context, s.text) for s in page.segments}
    replacements: list[tuple[int, int, str]] = []
    rejected: list[Finding] = []
    bad_keys: set[TextKey] = set()
    for segment in page.segments:
        key = (segment.context, segment.text)
        translation = translations.get(key)
        if translation is None or translation == segment.text:
            continue
        front_matter = segment.origin.startswith("front matter")
        if not front_matter:
            found = check_translation(
                segment.text,
                translation,
                (segment.origin,),
                errors_only=True,
                only=STRUCTURAL_CHECKS,
            )
            if found:
                rejected.append(found[0])
                bad_keys.add(key)
                continue
        if front_matter:  # (quoted as the value was: any text is safe there)
            new = format_scalar(page.format, text[segment.start : segment.end], translation)
        elif segment.origin.startswith("shortcode:"):
            written = written_argument(text[segment.start : segment.end], translation)
            if written is None:
                problem = "Hugo cannot read this text back as a shortcode argument"
                rejected.append(Finding("shortcode", "error", problem, msgid=segment.text))
                bad_keys.add(key)
                continue
            new = written
        else:
            new = _body_replacement(text, segment, translation)
        replacements.append((segment.start, segment.end, new))
    translated = sum(1 for key in keys if key in translations and key not in bad_keys)
    replacements.sort()
    spliced = splice(text, replacements, page.path)
    return LocalizedPage(spliced, len(keys), translated, tuple(rejected), tuple(replacements))


@dataclass(frozen=True, slots=True)
class PagePlace:
    """Where Hugo publishes a localized page, which its ``aliases`` are resolved against."""

    prefix: str
    """The path of the page's language (``/es``); empty where its pages are at the root of
    the site or of a host of their own, where Hugo puts every alias itself."""
    others: frozenset[str]
    """The paths of the site's other languages (``/en``, ``/fr``): an alias under one of them
    belongs to that language's page."""
    source: str
    """The source page's path in its content folder (``docs/new.md``)."""
    urls: UrlRules = field(default_factory=UrlRules)
    """What of the Hugo configuration decides where the page is served (``permalinks``)."""


def localized_front_matter(
    localized: LocalizedPage,
    text: str,
    page: SourcePage,
    existing: str | None,
    target: str,
    place: PagePlace,
) -> LocalizedPage:
    """``localized`` (of ``text``, the source page) with what its front matter holds besides
    translations: the ``lastmod`` that says which version of the source it is current with,
    and ``aliases`` that point into its own language (``place``)."""
    extra = [
        *_lastmod(localized, text, page, existing, target),
        *_aliases(text, page, place, localized.text),
    ]
    if not extra:
        return localized
    taken = {(start, end) for start, end, _ in localized.replacements}
    extra = [one for one in extra if one[:2] not in taken]  # (a field configured to translate)
    replacements = tuple(sorted((*localized.replacements, *extra)))
    return replace(localized, text=splice(text, replacements, page.path), replacements=replacements)


def _lastmod(
    localized: LocalizedPage, text: str, page: SourcePage, existing: str | None, target: str
) -> list[tuple[int, int, str]]:
    """The localized page's ``lastmod``: the source's when every entry is translated;
    otherwise the one it had, ``existing`` at ``target`` (a new page takes the source's
    ``date``)."""
    if localized.complete:
        return []  # the source's own value (if it has one), untouched
    values = read_top_level_values(text, split_front_matter(text, page.path), page.path)
    span, lastmod = values.get("lastmod"), None
    if span is None:
        return []
    if existing is not None:
        old_front = split_front_matter(existing, target)
        old = read_top_level_values(existing, old_front, target).get("lastmod")
        lastmod = None if old is None else existing[old[0] : old[1]]
    if lastmod is None and "date" in values:
        lastmod = text[values["date"][0] : values["date"][1]]
    if not lastmod:
        return []
    return [(span[0], span[1], lastmod)]


_YAML_ITEM = re.compile(r"[ \t]*-[ \t]+")
_LINE_REST = re.compile(r"[ \t]*(?:#[^\n]*)?\r?")
_COMMA_AFTER = re.compile(r"\s*,[ \t]*")
_COMMA_LINE_REST = re.compile(r"[ \t]*,[ \t]*(?:#[^\n]*)?\r?")


def _aliases(
    text: str, page: SourcePage, place: PagePlace, localized: str
) -> list[tuple[int, int, str]]:
    """The ``aliases`` of the localized page, as Hugo resolves them in its language: an
    absolute alias (``/old/``) goes under the language's path (``/es/old/``), one already
    there stays, one under another language's path is that language's and goes, and so does
    one that would be the page's own path (Hugo would put a redirect in place of a page).
    A relative alias is resolved from the page's own folder, in its language already.
    (``localized``: the page's text with its translations, whose title a permalink may use.)"""
    if not place.prefix or "aliases" not in text:
        return []
    front = split_front_matter(text, page.path)
    if "aliases" not in text[front.start : front.end]:
        return []
    fields = read_string_fields(text, front, page.path)
    address = read_page_address(localized, page.path)
    own = served_link(place.source, address, (), replace(place.urls, base_path=""), place.prefix)
    out: list[tuple[int, int, str]] = []
    for value in fields:
        if value.path[0] != "aliases" or len(value.path) > 2:
            continue
        alias = _alias_in_language(value.value, place)
        if alias is not None and _same_path(alias, own):
            alias = None
        if alias == value.value:
            continue
        if alias is not None:
            original = text[value.start : value.end]
            out.append((value.start, value.end, format_scalar(page.format, original, alias)))
        elif len(value.path) == 2:  # (an item of a list; a lone string is rewritten only)
            start, end = _item_span(text, value)
            if out and out[-1][2] == "" and out[-1][1] >= start:  # (two items, one comma)
                start = out.pop()[0]
                before = len(text[:start].rstrip())
                if text[end:].lstrip()[:1] == "]" and text[before - 1] == ",":
                    start = before - 1  # (the list's last items: the comma before them too)
            out.append((start, end, ""))
    return out


def _alias_in_language(alias: str, place: PagePlace) -> str | None:
    """What ``alias`` becomes on a page of ``place``'s language; ``None``: it is another
    language's."""
    if not alias.startswith("/") or alias.startswith("//"):
        return alias
    first = "/" + alias[1:].split("/", 1)[0].lower()
    if first == place.prefix:
        return alias
    if first in place.others:
        return None
    return place.prefix + alias


def _same_path(one: str, other: str | None) -> bool:
    def normal(path: str) -> str:
        return unquote(path).lower().removesuffix("index.html").strip("/")

    return other is not None and normal(one) == normal(other)


def _item_span(text: str, value: FieldValue) -> tuple[int, int]:
    """What to remove with a list item: its line, in a YAML block list or where it stands
    alone with its comma, else the item and the comma after it (or, for the last one, the
    comma before it)."""
    line_start = text.rfind("\n", 0, value.start) + 1
    line_end = text.find("\n", value.end)
    line_end = len(text) if line_end < 0 else line_end
    before, after = text[line_start : value.start], text[value.end : line_end]
    if (_YAML_ITEM.fullmatch(before) and _LINE_REST.fullmatch(after)) or (
        not before.strip() and _COMMA_LINE_REST.fullmatch(after)
    ):
        return line_start, min(line_end + 1, len(text))
    comma = _COMMA_AFTER.match(text, value.end)
    if comma is not None:
        return value.start, comma.end()
    kept = len(text[: value.start].rstrip())
    if kept and text[kept - 1] == ",":
        return kept - 1, value.end
    return value.start, value.end


def block_structure(
    markdown: str, dialect: MarkdownDialect = DEFAULT_DIALECT
) -> list[tuple[str, str, int]]:
    """The block tokens of a Markdown body read in ``dialect`` (type, tag, nesting), to
    compare two pages."""
    tokens = parse_blocks(markdown, dialect)
    return [(t.type, t.tag, t.nesting) for t in tokens if t.type != "inline"]


def keeps_block_structure(
    text: str,
    body_start: int,
    built: LocalizedPage,
    built_body_start: int,
    dialect: MarkdownDialect = DEFAULT_DIALECT,
) -> bool:
    """Whether the body of ``built`` (from ``built_body_start``) has the block structure of
    the body of ``text``, its source page (from ``body_start``), both read in ``dialect``.

    Parsing the built body again is a large share of a cold build (bench/README.md), so it
    is skipped where no replacement can change a block: the front matter ends where its
    replacements say, and in the body each replacement is one line that starts no block,
    adds no table cell and holds no passthrough delimiter of a block, in place of a text that
    escapes nothing after it.
    """
    shift = 0
    delimiters = {delimiter for pair in dialect.math_blocks for delimiter in pair}
    for start, end, new in built.replacements:
        if end <= body_start:
            shift += len(new) - (end - start)
        elif (
            start < body_start
            or text[end - 1] == "\\"
            or not _NO_BLOCK_SYNTAX.fullmatch(new)
            or any(delimiter in new for delimiter in delimiters)
        ):
            break
    else:
        if built_body_start == body_start + shift:
            return True
    built_body, body = built.text[built_body_start:], text[body_start:]
    return block_structure(built_body, dialect) == block_structure(body, dialect)


def existing_page_text(data: bytes | None, target: str, owned: bool, force: bool) -> str | None:
    """The text of the localized page at ``target`` (``data``: its bytes), or ``None`` for no
    page. One that extrans did not write as it is (``owned``) must read as a page, or build
    leaves it as it is and says why; ``force`` replaces it instead, like any page made by
    hand."""
    if data is None:
        return None
    try:
        text = decode_page(data, target)
        if not owned:
            read_top_level_values(text, split_front_matter(text, target), target)
    except PageError as err:
        if force:
            return None
        raise PageError(f"{err.message} (or use --force to replace it)", target, err.line) from err
    return text


def left_alone_because(
    existing: str | None, built: str, *, recorded: bool, owned: bool, force: bool
) -> str | None:
    """Why build may not replace ``existing``, the localized page as it is, with ``built``, or
    ``None``: without ``force``, only a page the record says build wrote (``recorded``) as it
    is now (``owned``)."""
    if existing is None or existing == built or force or owned:
        return None
    if not recorded:
        return "not written by extrans (use --force to replace it)"
    return "edited by hand since extrans wrote it (use --force to replace it)"


def with_language_links(text: str, prefix: str, links: Mapping[str, str]) -> str:
    """``text`` (a translation) with each root-relative link to one of the site's pages sent
    where Hugo serves the page in the language (``link-prefix``): ``links`` maps the source
    page's path (as :func:`link_key` compares it) to the localized page's (see
    ``pages.localized_links``). Where that is the source's path under the language's
    ``prefix``, the prefix is put before the link as written (its case, its trailing slash);
    otherwise the path is replaced (``/posts/2024/hello/`` → ``/es/posts/2024/hola/``) and
    the fragment or query kept. A link already under the prefix, a ``relref`` call, a file,
    a page the language does not have and anything in code stay as they are."""
    out: list[str] = []
    last = 0
    for start, end in destination_spans(text):
        written = text[start:end]
        bracketed = written.startswith("<")
        link = written[1:-1] if bracketed else written
        path = re.split(r"[#?]", link, maxsplit=1)[0]
        if not path.startswith("/") or path.startswith("//") or link.startswith(f"{prefix}/"):
            continue
        served = links.get(link_key(path))
        if served is None:
            continue
        if link_key(served) == link_key(prefix + path):
            moved = prefix + link
        else:
            moved = served + link[len(path) :]
        out += [text[last:start], f"<{moved}>" if bracketed else moved]
        last = end
    return "".join(out) + text[last:] if out else text


def hand_made_because(existing: str, built: str, target: str, source: str) -> str | None:
    """Why ``existing``, the hand-made page at ``target``, is not what build would write
    (``built``, from ``source``, the source page's text), in a translator's words: the kind
    of the first difference and its first line on each side; ``None`` when they are alike."""
    if existing == built:
        return None
    mine, theirs = existing.splitlines(), built.splitlines()
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    first = next((op for op in matcher.get_opcodes() if op[0] != "equal"), None)
    if first is None:
        return "its line endings differ from what build writes"
    _, i1, i2, j1, j2 = first
    ours, built_lines = mine[i1:i2], theirs[j1:j2]
    kind = _difference_kind(existing, built, i1, j1, ours, built_lines, source, target)
    here = f"{target}:{i1 + 1}"
    if not ours:
        where = f"before {here}"
    else:
        where = f"{here} {_quoted(next((line for line in ours if line.strip()), ours[0]))}"
    if not built_lines:
        return f"{kind}: {where}; build writes no such line"
    shown = next((line for line in built_lines if line.strip()), built_lines[0])
    return f"{kind}: {where}; build writes at line {j1 + 1} {_quoted(shown)}"


_UNTRANSLATED = (
    "a text without a translation build uses (untranslated or fuzzy: build writes the source's)"
)


def _quoted(line: str) -> str:
    """A line as a reader compares it with another: long enough to show where it ends."""
    return repr(line) if len(line) <= _SHOWN else f"{line[:_SHOWN]!r}…"


_SHOWN = 100


def _difference_kind(
    existing: str,
    built: str,
    line: int,
    built_line: int,
    ours: Sequence[str],
    theirs: Sequence[str],
    source: str,
    target: str,
) -> str:
    """What kind of difference the first differing lines (``ours``, from ``line`` of the
    page, and ``theirs``, from ``built_line`` of the built page) are."""
    try:
        front = split_front_matter(existing, target)
        built_front = split_front_matter(built, target)
    except PageError:
        return "its front matter cannot be read"
    source_lines = set(source.splitlines())
    written = [text for text in theirs if text.strip()]
    untranslated = bool(written) and all(text in source_lines for text in written)
    respaced = " ".join(" ".join(ours).split()) == " ".join(" ".join(theirs).split())
    in_front = front.end > 0 and line < line_of(existing, front.end)
    if in_front or (built_front.end > 0 and built_line < line_of(built, built_front.end)):
        if respaced:
            return "spacing in the front matter differs"
        keys = _keys_at(existing[: front.end].splitlines())
        built_keys = _keys_at(built[: built_front.end].splitlines())
        added = [key for key in _keys_at(ours) if key not in built_keys]
        lacking = [key for key in _keys_at(theirs) if key not in keys]
        if added:
            return f"a front-matter key build would not write ({', '.join(added)})"
        if lacking:
            return f"a front-matter key the page lacks ({', '.join(lacking)})"
        return _UNTRANSLATED if untranslated else "a front-matter value differs"
    if respaced:
        return "a paragraph wrapped differently"
    if not written:
        added_text = any(text.strip() for text in ours)
        return "a block the translator added" if added_text else "blank lines"
    if untranslated:
        return _UNTRANSLATED
    if not any(text.strip() for text in ours):
        return "a block the page lacks"
    return "a text translated otherwise"


_TOP_LEVEL_KEY = re.compile(r"""(?:["']?)([A-Za-z_][\w.-]*)["']?[ \t]*[:=]""")
"""A line of YAML or TOML front matter that starts a top-level key (no indent)."""


def _keys_at(lines: Sequence[str]) -> list[str]:
    """The top-level front-matter keys that ``lines`` start, in order, lower case."""
    found = (_TOP_LEVEL_KEY.match(text) for text in lines)
    return list(dict.fromkeys(m.group(1).lower() for m in found if m is not None))
