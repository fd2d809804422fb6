"""TMX 1.4b, the translation memory exchange format CAT tools read (Poedit, OmegaT, Weblate,
Translate Toolkit); pure: the memory's units in, the document's text out, and back.

One ``<tu>`` per text and translation (a text translated two ways is two ``<tu>``), with
Translate Toolkit's ``<prop type="x-context">`` for the msgctxt. A plural entry is one ``<tu>``
whose segments are its singular text and first form (what any tool can use), with its plural
text in ``<prop type="x-msgid-plural">`` and its other forms in the target ``<tuv>``'s
``<prop type="x-plural-form-N">``. Reading uses the standard library's expat (no DTD, no
external entity is ever loaded; a document declaring entities is refused), for the line of
each element a message names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.parsers import expat

from ..errors import CatalogError
from ..model import TextKey
from .memory import Unit

__all__ = [
    "TmxFile",
    "TmxUnit",
    "TmxWritten",
    "format_tmx",
    "match_language",
    "parse_tmx",
    "tmx_language",
    "tmx_units",
    "xml_problem",
]

CONTEXT = "x-context"
"""Translate Toolkit's property for a unit's context: gettext's msgctxt."""
MSGID_PLURAL = "x-msgid-plural"
PLURAL_FORM = "x-plural-form-"
"""A plural translation's form N (from 1: form 0 is the segment), on the target's ``<tuv>``."""
KIND = "x-extrans-kind"
PLACE = "x-extrans-place"


@dataclass(frozen=True, slots=True)
class TmxUnit:
    """One ``<tu>``: a text and one translation of it into one language."""

    language: str
    """The translation's language: a site's code when written, the ``xml:lang`` when read."""
    msgid: str
    forms: tuple[str, ...]
    msgctxt: str | None = None
    msgid_plural: str | None = None
    kind: str = ""
    places: tuple[str, ...] = ()
    """The catalogs that hold this translation."""
    uses: int = 1
    """How many units of the memory hold it (``usagecount``)."""
    line: int = 0
    """Where its ``<tu>`` starts, when read."""


@dataclass(frozen=True, slots=True)
class TmxFile:
    """What a TMX document holds for its source language."""

    source_language: str
    """The header's ``srclang``, as written."""
    units: tuple[TmxUnit, ...]
    skipped: int = 0
    """``<tu>`` with no text in the source language, or no translation."""


@dataclass(frozen=True, slots=True)
class TmxWritten:
    """A TMX document, and the units it could not hold."""

    text: str
    refused: tuple[tuple[TmxUnit, str], ...] = ()
    """Each unit left out, with why (a character XML 1.0 cannot hold)."""


def tmx_units(language: str, units: Iterable[Unit]) -> list[TmxUnit]:
    """The ``<tu>`` of one language's memory units: one per text and translation, in the order
    the texts were met, the most used translation of a text first."""
    grouped: dict[TextKey, dict[tuple[tuple[str, ...], str | None], list[Unit]]]
    grouped = {}
    for unit in units:
        grouped.setdefault(unit.key, {}).setdefault((unit.forms, unit.msgid_plural), []).append(
            unit
        )
    result: list[TmxUnit] = []
    for translations in grouped.values():
        for same in sorted(translations.values(), key=lambda same: -len(same)):
            first = same[0]
            result.append(
                TmxUnit(
                    language,
                    first.msgid,
                    first.forms,
                    first.msgctxt,
                    first.msgid_plural,
                    first.kind,
                    tuple(dict.fromkeys(unit.place for unit in same)),
                    len(same),
                )
            )
    return result


# XML 1.0's characters (the Char production), which no escape can add to.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_problem(text: str) -> str | None:
    """Why ``text`` cannot be in an XML 1.0 document, or ``None``."""
    found = _NOT_XML.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} is a character XML 1.0 cannot hold"


def _text(text: str) -> str:
    """Element content; a carriage return as a reference, which parsers keep (they turn a
    written one into a line feed)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(text: str) -> str:
    """An attribute's value, whitespace as references (parsers turn a written one to a space)."""
    for char, reference in (("\t", "&#9;"), ("\n", "&#10;"), ('"', "&quot;")):
        text = text.replace(char, reference)
    return _text(text)


def tmx_language(code: str) -> str:
    """A site's language code as a TMX ``xml:lang`` writes it (BCP 47's case): ``pt-br`` →
    ``pt-BR``, ``zh-hans`` → ``zh-Hans``."""
    parts = code.replace("_", "-").split("-")
    shown = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            shown.append(part.title())
        elif len(part) == 2 or (len(part) == 3 and part.isdigit()):
            shown.append(part.upper())
        else:
            shown.append(part.lower())
    return "-".join(shown)


def match_language(code: str, languages: Sequence[str]) -> str | None:
    """The one of ``languages`` (a site's codes) that a TMX's or catalog's ``code`` names: the
    same code in any case, ``_`` or ``-`` (``pt_BR``, ``pt-BR``: ``pt-br``); else the one
    whose language alone is ``code``'s (``es-ES``: ``es``), or is ``code`` (``es``: ``es-mx``),
    when it is the only such one."""
    wanted = code.replace("_", "-").split("@")[0].lower()
    if not wanted:
        return None
    for language in languages:
        if language.replace("_", "-").lower() == wanted:
            return language
    base = wanted.split("-")[0]
    same = [language for language in languages if language.replace("_", "-").lower() == base]
    if len(same) == 1:
        return same[0]
    related = [
        language
        for language in languages
        if language.replace("_", "-").lower().split("-")[0] == base
    ]
    return related[0] if len(related) == 1 else None


def _prop(kind: str, value: str, indent: str) -> str:
    return f'{indent}<prop type="{_attribute(kind)}">{_text(value)}</prop>\n'


def _tu(unit: TmxUnit, source: str) -> str:
    lines = [f'    <tu usagecount="{unit.uses}">\n']
    if unit.msgctxt is not None:
        lines.append(_prop(CONTEXT, unit.msgctxt, "      "))
    if unit.msgid_plural is not None:
        lines.append(_prop(MSGID_PLURAL, unit.msgid_plural, "      "))
    if unit.kind:
        lines.append(_prop(KIND, unit.kind, "      "))
    lines.extend(_prop(PLACE, place, "      ") for place in unit.places if place)
    lines.append(
        f'      <tuv xml:lang="{_attribute(source)}"><seg>{_text(unit.msgid)}</seg></tuv>\n'
    )
    target = _attribute(tmx_language(unit.language))
    if len(unit.forms) == 1:
        lines.append(f'      <tuv xml:lang="{target}"><seg>{_text(unit.forms[0])}</seg></tuv>\n')
    else:
        lines.append(f'      <tuv xml:lang="{target}">\n')
        lines.extend(
            _prop(f"{PLURAL_FORM}{index}", form, "        ")
            for index, form in enumerate(unit.forms[1:], 1)
        )
        lines.append(f"        <seg>{_text(unit.forms[0])}</seg>\n      </tuv>\n")
    lines.append("    </tu>\n")
    return "".join(lines)


def _unit_problem(unit: TmxUnit) -> str | None:
    for text in (unit.msgid, *unit.forms, unit.msgctxt or "", unit.msgid_plural or ""):
        problem = xml_problem(text)
        if problem is not None:
            return problem
    return None


def format_tmx(units: Sequence[TmxUnit], source_language: str, *, version: str) -> TmxWritten:
    """A TMX 1.4b document of ``units`` (from :func:`tmx_units`), whose texts are in
    ``source_language``; a unit holding a character XML 1.0 cannot hold is left out, and said
    in :attr:`TmxWritten.refused` (TMX has no escape for one)."""
    source = tmx_language(source_language)
    header = (
        f'  <header creationtool="extrans" creationtoolversion="{_attribute(version)}" '
        f'segtype="paragraph" o-tmf="PO" adminlang="en" srclang="{_attribute(source)}" '
        'datatype="plaintext"/>\n'
    )
    body: list[str] = []
    refused: list[tuple[TmxUnit, str]] = []
    for unit in units:
        problem = _unit_problem(unit)
        if problem is None:
            body.append(_tu(unit, source))
        else:
            refused.append((unit, problem))
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        '<tmx version="1.4">\n'
        f"{header}  <body>\n{''.join(body)}  </body>\n</tmx>\n"
    )
    return TmxWritten(text, tuple(refused))


@dataclass(slots=True)
class _Element:
    """An element being read: its name, attributes, line, children, and its text with the
    text of the elements inside it."""

    name: str
    attributes: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def child(self, name: str) -> _Element | None:
        return next((child for child in self.children if child.name == name), None)

    def props(self) -> dict[str, str]:
        """Its ``<prop>`` children's text by type (the first of a type)."""
        found: dict[str, str] = {}
        for child in self.children:
            if child.name == "prop":
                found.setdefault(child.attributes.get("type", ""), "".join(child.text))
        return found


_HOLDERS = frozenset({"seg", "prop", "note"})
"""The elements whose text is read: with the text of the elements inside them."""


class _Tree:
    """expat's events made into elements; each element's text holds its descendants' (the
    native codes of ``<bpt>``, ``<ph>``... and the text of ``<hi>`` and ``<sub>``)."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.open: list[_Element] = []
        self.root: _Element | None = None

    def start(self, name: str, attributes: dict[str, str]) -> None:
        element = _Element(name, attributes, self.parser.CurrentLineNumber)
        if self.open:
            self.open[-1].children.append(element)
        else:
            self.root = element
        self.open.append(element)

    def end(self, name: str) -> None:
        self.open.pop()

    def characters(self, text: str) -> None:
        holders = [i for i, element in enumerate(self.open) if element.name in _HOLDERS]
        for element in self.open[holders[-1] if holders else -1 :]:
            element.text.append(text)


def _entity_declared(*args: object) -> None:
    raise _RefusedError("declares an XML entity; a TMX file needs none")


def _entity_skipped(name: str, parameter: bool) -> None:
    raise _RefusedError(f"refers to an entity it does not define (&{name};)")


class _RefusedError(Exception):
    """What is wrong with the document, at the parser's current line."""


def _read_tree(data: bytes, path: str) -> _Element:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    tree = _Tree(parser)
    parser.StartElementHandler = tree.start
    parser.EndElementHandler = tree.end
    parser.CharacterDataHandler = tree.characters
    parser.EntityDeclHandler = _entity_declared
    parser.SkippedEntityHandler = _entity_skipped
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        message = expat.ErrorString(err.code) if err.code is not None else str(err)
        raise CatalogError(
            f"not a TMX file: not well-formed XML ({message})", path, err.lineno
        ) from None
    except _RefusedError as err:
        raise CatalogError(str(err), path, parser.CurrentLineNumber) from None
    except ValueError as err:  # (an encoding expat does not know)
        raise CatalogError(f"not a TMX file: {err}", path, 1) from None
    assert tree.root is not None  # (expat refuses a document without an element)
    return tree.root


def _language(element: _Element, path: str) -> str:
    language = element.attributes.get("xml:lang") or element.attributes.get("lang")
    if not language:
        raise CatalogError(f"<{element.name}> has no xml:lang", path, element.line)
    return language


def _units_of_tu(tu: _Element, source: str, path: str) -> list[TmxUnit]:
    """The translations one ``<tu>`` holds; none without a text in ``source``."""
    variants: list[tuple[str, str, _Element]] = []
    for tuv in tu.children:
        if tuv.name != "tuv":
            continue
        seg = tuv.child("seg")
        if seg is None:
            raise CatalogError("<tuv> without <seg>", path, tuv.line)
        variants.append((_language(tuv, path), "".join(seg.text), tuv))
    language = tu.attributes.get("srclang", source)
    if language == "*all*":
        language = source
    codes = [code.replace("_", "-").lower() for code, _, _ in variants]
    wanted = language.replace("_", "-").lower()
    at = next((i for i, code in enumerate(codes) if code == wanted), None)
    if at is None:  # (en-US where the header says en, or the other way round)
        base = wanted.split("-")[0]
        at = next((i for i, code in enumerate(codes) if code.split("-")[0] == base), None)
    if at is None or not variants[at][1]:
        return []
    source_text = variants[at][1]
    props = tu.props()
    msgctxt = props.get(CONTEXT) or None
    plural = props.get(MSGID_PLURAL) or None
    places = tuple(
        "".join(child.text)
        for child in tu.children
        if child.name == "prop" and child.attributes.get("type") == PLACE
    )
    units = []
    for index, (code, text, tuv) in enumerate(variants):
        if index == at or not text:
            continue
        forms = [text]
        extra = tuv.props() if plural is not None else {}
        while extra.get(f"{PLURAL_FORM}{len(forms)}"):
            forms.append(extra[f"{PLURAL_FORM}{len(forms)}"])
        uses = tu.attributes.get("usagecount", "1")
        units.append(
            TmxUnit(
                code,
                source_text,
                tuple(forms),
                msgctxt,
                plural,
                props.get(KIND, ""),
                places,
                int(uses) if uses.isdigit() else 1,
                tu.line,
            )
        )
    return units


def parse_tmx(data: bytes, path: str, *, any_source: str | None = None) -> TmxFile:
    """The translations of a TMX document (1.1 to 1.4); a document that is not one, or whose
    header has no ``srclang``, or a ``<tuv>`` without ``<seg>`` or language, is an error naming
    its line. A segment's inline markup (``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<hi>``)
    is read as the text it stands for: the native codes it holds, and its text. Where the
    document says any language may be the source (``srclang="*all*"``, as OmegaT writes), the
    texts in ``any_source`` are (the site's source language)."""
    root = _read_tree(data, path)
    if root.name != "tmx":
        raise CatalogError(f"not a TMX file: its root element is <{root.name}>", path, root.line)
    header = root.child("header")
    if header is None:
        raise CatalogError("not a TMX file: <tmx> has no <header>", path, root.line)
    source = header.attributes.get("srclang")
    if not source:
        raise CatalogError("<header> has no srclang (TMX requires one)", path, header.line)
    body = root.child("body")
    if body is None:
        raise CatalogError("not a TMX file: <tmx> has no <body>", path, root.line)
    units: list[TmxUnit] = []
    skipped = 0
    sources = any_source if source == "*all*" and any_source else source
    for tu in body.children:
        if tu.name != "tu":
            raise CatalogError(f"<{tu.name}> in <body>, where only <tu> can be", path, tu.line)
        found = _units_of_tu(tu, sources, path)
        units.extend(found)
        skipped += not found
    return TmxFile(source, tuple(units), skipped)
