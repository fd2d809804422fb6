"""The memory as a gettext compendium: a PO file of translations, one entry per text, which
``msgmerge --compendium`` fills catalogs from, and in which ``extrans memory import`` keeps
what it took from other projects; pure: ``formats.pofile`` writes and reads the text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..errors import printable
from ..model import TextKey
from .catalog import Catalog, Header, Message, msgfmt_problem, new_header
from .languages import gettext_code, plural_forms
from .memory import MEMORY_COMMENT, Memory, Unit, conflict_comments

__all__ = [
    "Exported",
    "Imported",
    "compendium_header",
    "export_compendium",
    "import_units",
]


def compendium_header(language: str, project: str, date: str) -> Header:
    """A compendium's header: complete, so that ``msgfmt -c`` says nothing of it."""
    return new_header(project, gettext_code(language), plural_forms(language), date)


@dataclass(frozen=True, slots=True)
class Exported:
    """A compendium's entries, and the texts left out of it."""

    messages: tuple[Message, ...]
    refused: tuple[tuple[Unit, str], ...] = ()
    """Each text whose translation ``msgfmt -c`` would refuse in it (a plural one with
    another number of forms than the language's), with why."""
    conflicts: int = 0
    """Texts translated several ways: the most used translation, fuzzy."""


def export_compendium(memory: Memory, nplurals: int | None) -> Exported:
    """One entry per text of ``memory``, in the order the texts were met: its translation,
    kind (``#.``) and the catalogs holding it (``#:``). A text the site translates several
    ways has its most used translation, fuzzy (msgmerge then fills a catalog's entry with it
    as fuzzy: none is taken as it is), and a comment listing the others."""
    places: dict[tuple[TextKey, tuple[str, ...]], list[str]] = {}
    for unit in memory.units:
        places.setdefault((unit.key, unit.forms), []).append(unit.place)
    messages: list[Message] = []
    refused: list[tuple[Unit, str]] = []
    conflicts = 0
    for key in dict.fromkeys(unit.key for unit in memory.units):
        recall = memory.recall(Message(key[1], msgctxt=key[0]), near=False)
        assert recall is not None  # (a text of the memory)
        first = recall.candidates[0]
        message = replace(
            first.as_message(),
            extracted_comments=(first.kind,) if first.kind else (),
            references=tuple(dict.fromkeys(places[(key, first.forms)])),
        )
        if recall.conflict:
            conflicts += 1
            head = f"{len(recall.candidates)} translations of this text; the most used is here:"
            comments = conflict_comments(recall, head)
            message = replace(message, flags=("fuzzy",), translator_comments=comments)
        problem = msgfmt_problem(message, nplurals)
        if problem is not None:
            refused.append((first, problem))
            continue
        messages.append(message)
    return Exported(tuple(messages), tuple(refused), conflicts)


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import made of the compendium of imported units."""

    catalog: Catalog
    added: int = 0
    updated: int = 0
    """Texts whose translation the import replaced."""
    unchanged: int = 0
    """Texts imported before with the same translation."""
    refused: tuple[tuple[Unit, str], ...] = ()
    """Units the compendium cannot hold, with why."""
    duplicates: int = 0
    """Units of the imported file that translate a text it had already translated: the
    first one is taken."""


def _problem(unit: Unit, nplurals: int | None) -> str | None:
    texts = (unit.msgid, *unit.forms, unit.msgctxt or "", unit.msgid_plural or "")
    if any("\x00" in text or "\x04" in text for text in texts):
        return "holds a NUL or U+0004 (gettext's context separator), which a catalog cannot"
    if not all(form.strip() for form in unit.forms):  # (" " would fill an entry with nothing)
        return "a form of its translation is empty or only whitespace"
    return msgfmt_problem(unit.as_message(), nplurals)


def import_units(
    existing: Catalog,
    units: Iterable[Unit],
    origin: str,
    nplurals: int | None,
) -> Imported:
    """``existing`` (the compendium, maybe just a header) with ``units`` merged in: a text it
    lacks is added at its end; a text it has takes the new translation (the latest import
    wins: one PO file holds one translation per text). Each entry says where it came from
    (``# memory: imported from <origin>``) and its kind (``#.``), each on one line whatever
    the file held (a line break escaped, as messages show one); its other entries keep their
    bytes."""
    messages = list(existing.messages)
    index = {message.key: at for at, message in enumerate(messages) if not message.obsolete}
    comment = f"{MEMORY_COMMENT}imported from {printable(origin)}"
    seen: set[TextKey] = set()
    added = updated = unchanged = duplicates = 0
    refused: list[tuple[Unit, str]] = []
    for unit in units:
        if unit.key in seen:
            duplicates += 1
            continue
        problem = _problem(unit, nplurals)
        if problem is not None:
            refused.append((unit, problem))
            continue
        seen.add(unit.key)
        new = replace(
            unit.as_message(),
            translator_comments=(comment,),
            extracted_comments=(printable(unit.kind),) if unit.kind else (),
        )
        at = index.get(unit.key)
        if at is None:
            index[unit.key] = len(messages)
            messages.append(new)
            added += 1
        elif _translation(messages[at]) == _translation(new):
            unchanged += 1
        else:
            messages[at] = new
            updated += 1
    catalog = replace(existing, messages=tuple(messages))
    return Imported(catalog, added, updated, unchanged, tuple(refused), duplicates)


def _translation(message: Message) -> tuple[Sequence[str], str | None, bool]:
    return (message.msgstr_plural or (message.msgstr,), message.msgid_plural, message.fuzzy)
