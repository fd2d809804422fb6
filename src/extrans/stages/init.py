"""``extrans init``: a starting configuration for an existing Hugo site."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExtransError
from ..formats.frontmatter import (
    PathPart,
    read_document_strings,
    read_string_fields,
    split_front_matter,
)
from ..formats.languages import validate_code
from ..formats.shortcodes import find_calls, find_pairs, hidden_calls, holds_data
from ..model import SiteFile
from ..site.config import DEFAULT_FIELDS, NEVER_EXTRACTED, Settings, parse_field_pattern
from ..site.datafiles import data_format, data_relatives, read_data_text
from ..site.pages import read_page_text, source_relatives
from ..site.strings import list_site_files, read_site_file

__all__ = [
    "DataFieldSurvey",
    "FieldSurvey",
    "ShortcodeSurvey",
    "SiteFileSurvey",
    "SiteSurvey",
    "render_config",
    "survey_data",
    "survey_fields",
]

# Names, media, identifiers and notes to the site's editors: text, but not text a translator
# translates (a key starting with "_" is private by convention too).
_NOT_TRANSLATED_KEYS = frozenset(
    {"author", "authors", "image", "images", "video", "video_id", "id", "todo",
     "developer_note", "developer_notes", "comment", "comments", "notes_to_editors",
     "parent", "identifier"}
)  # fmt: skip
_DEFAULT_LOWER = frozenset(field.lower() for field in DEFAULT_FIELDS)
_MENU_TEXT = frozenset({"name", "title", "pre", "post"})
_IDENTIFIER = re.compile(r"[a-z0-9_-]+|[A-Za-z0-9_]+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CODE = re.compile(r"\w\(|[{};]|:=|->|=>|::|\)\s*\w+\s*[{)]")
"""What code has and sentences do not: a call, braces, semicolons, operators."""
_PATH = re.compile(r"\S*/\S*|[\w.-]+\.[A-Za-z0-9]{1,5}")
"""A path or a file name (no space in it)."""
_VERSION = re.compile(r"v?\d+(?:\.\d+)+\S*")
_TAG = re.compile(r"<[^<>]*>")
_CLASSES = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+(?:\s+[a-z0-9]+(?:-[a-z0-9]+)*)*")
"""CSS classes (``btn-lg btn-primary``)."""
_FENCED = re.compile(r"\s*(`{3,}|~{3,})[^\n]*\n.*\n[ \t]*\1[`~]*\s*", re.DOTALL)
"""Content that is one fenced code block."""
_NOT_PROSE = re.compile(r"(?:https?:|mailto:|/|#|\.{0,2}/)\S*|\S+\.(?:jpe?g|png|gif|svg|webp|pdf)")


@dataclass(frozen=True, slots=True)
class FieldSurvey:
    """A front-matter field as found across the source pages."""

    pattern: str
    """The path with list indexes generalised: ``faq[].q``."""
    pages: int
    """How many pages have it."""
    example: str
    translatable: bool
    """Whether its values look like text a reader sees."""


@dataclass(frozen=True, slots=True)
class ShortcodeSurvey:
    """A paired shortcode as used across the source pages."""

    name: str
    uses: int
    """How many times it is used with a closing call."""
    code_uses: int
    """Of those, how many hold data (TOML, YAML, JSON) or code (one fenced code block)."""
    example: str
    """The content of one use that holds data or code, else of the first use."""

    @property
    def code(self) -> bool:
        """Whether to propose it as a code shortcode: its content is data or code in most
        uses (the others then most likely hold code or data that does not parse)."""
        return self.code_uses * 2 > self.uses


@dataclass(frozen=True, slots=True)
class DataFieldSurvey:
    """A field of a data file, its list indexes generalised (``members[].bio``)."""

    file: str
    """The data file, from the site root."""
    pattern: str
    values: int
    """How many strings of the file it names."""
    example: str
    translatable: bool
    """Whether its values look like text a reader sees."""

    @property
    def entry(self) -> str:
        """The ``data-files`` entry that names it."""
        return f"{self.file}:{self.pattern}"


@dataclass(frozen=True, slots=True)
class SiteSurvey:
    """The front-matter fields and paired shortcodes of a site's source pages."""

    fields: tuple[FieldSurvey, ...]
    """The string fields, most common first."""
    errors: tuple[ExtransError, ...]
    """The pages and folders that could not be read."""
    pages: int
    """How many source pages there are."""
    shortcodes: tuple[ShortcodeSurvey, ...] = ()
    """The paired shortcodes, most used first."""
    site_files: tuple[SiteFileSurvey, ...] = ()
    """The site files whose strings readers see (i18n tables...), as the kinds list them."""
    data: tuple[DataFieldSurvey, ...] = ()
    """The string fields of the data files, file by file, in the order each first comes."""


@dataclass(frozen=True, slots=True)
class SiteFileSurvey:
    """A site file (``site/strings.py``) and how many strings it offers."""

    file: SiteFile
    strings: int


def _pattern(path: tuple[PathPart, ...]) -> str:
    """The path with list indexes generalised (``faq[].q``), and a page's menu entry's
    prose with its menu's name (``menu.*.name``: the entry in every menu)."""
    if _menu_text(path):
        return f"{path[0]}.*.{path[2]}"
    out = ""
    for part in path:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _menu_text(path: tuple[PathPart, ...]) -> bool:
    """Whether a front-matter path is the prose of a page's menu entry
    (``menu: {main: {name: ...}}``): the name readers see in the menu, whatever its words."""
    return (
        len(path) == 3
        and str(path[0]).lower() in ("menu", "menus")
        and isinstance(path[1], str)
        and str(path[2]).lower() in _MENU_TEXT
    )


def _looks_like_prose(value: str, in_list: bool = False) -> bool:
    """Whether a value reads as text for readers: words and spaces; not a URL, path, file
    name, version, CSS classes or code, and in a list not a single token (a list of tokens is
    tags or identifiers)."""
    value = value.strip()
    words = _WORD.findall(_TAG.sub(" ", value))  # (an icon's tag alone says nothing)
    if not words or any(
        pattern.fullmatch(value) for pattern in (_NOT_PROSE, _PATH, _VERSION, _CLASSES)
    ):
        return False
    if _CODE.search(value):
        return False
    if " " not in value:
        return not in_list and not _IDENTIFIER.fullmatch(value)
    return len(words) >= 2


def _proposed(pattern: str, mostly_prose: bool) -> bool:
    """Whether to propose a field for translation: one a pattern can name (not a key such as
    ``cSpell:ignore``, which extract would then refuse), not a key extrans never extracts nor
    a name or a medium, and a default field or mostly prose."""
    try:
        keys = [part for part in parse_field_pattern(pattern).parts if isinstance(part, str)]
    except ValueError:
        return False
    if keys[0] in NEVER_EXTRACTED or keys[-1].lower() in _NOT_TRANSLATED_KEYS:
        return False
    if any(key.startswith("_") for key in keys):
        return False
    return pattern.lower() in _DEFAULT_LOWER or mostly_prose


def survey_fields(settings: Settings) -> SiteSurvey:
    """Every string field of the source pages, how many pages have it, and whether to propose
    it."""
    pages: Counter[str] = Counter()
    prose: Counter[str] = Counter()
    values: Counter[str] = Counter()
    examples: dict[str, str] = {}
    """A value of each field: its first that reads as prose, else its first."""
    spelled: dict[str, str] = {}
    """Each field's pattern as first written, by its pattern in lower case."""
    shortcodes: dict[str, ShortcodeSurvey] = {}
    listing = source_relatives(settings)
    errors: list[ExtransError] = list(listing.errors)
    for relative in listing.pages:
        try:
            text = read_page_text(settings.site_root / relative, relative)
            front = split_front_matter(text, relative)
            fields = read_string_fields(text, front, relative)
        except ExtransError as err:
            errors.append(err)
            continue
        _survey_shortcodes(text[front.body_start :], shortcodes)
        # (keys in any case are one field, as Hugo reads them: shown as first written)
        patterns = [spelled.setdefault(_pattern(f.path).lower(), _pattern(f.path)) for f in fields]
        pages.update(set(patterns))
        for pattern, field in zip(patterns, fields, strict=True):
            values[pattern] += 1
            if _menu_text(field.path):  # (pre and post: HTML, an icon alone no prose)
                reads = bool(_WORD.search(_TAG.sub(" ", field.value)))
            else:
                reads = _looks_like_prose(field.value, in_list=pattern.endswith("[]"))
            prose[pattern] += reads
            if pattern not in examples or (reads and prose[pattern] == 1):
                examples[pattern] = field.value
    surveys = []
    for pattern, count in sorted(pages.items(), key=lambda item: (-item[1], item[0])):
        proposed = _proposed(pattern, mostly_prose=prose[pattern] * 2 > values[pattern])
        surveys.append(FieldSurvey(pattern, count, examples[pattern], proposed))
    ranked = sorted(shortcodes.values(), key=lambda found: (-found.uses, found.name))
    site_files = list_site_files(settings)
    errors += site_files.errors
    strings: list[SiteFileSurvey] = []
    for file in site_files.files:
        try:
            read = read_site_file(settings, file)
        except ExtransError as err:
            errors.append(err)
            continue
        strings.append(SiteFileSurvey(file, len(read.page.segments)))
    data, data_errors = survey_data(settings)
    errors += data_errors
    return SiteSurvey(
        tuple(surveys), tuple(errors), len(listing.pages), tuple(ranked), tuple(strings), data
    )


def survey_data(settings: Settings) -> tuple[tuple[DataFieldSurvey, ...], list[ExtransError]]:
    """Every string field of the site's data files, and whether to propose it: by the test
    front matter has, on the field's last key and its values read as a list's items (a
    single word in a data file is a name, a type or a default far more often than prose).
    A field found in several files of a folder is one entry for them all (``data/team/*.yaml``)."""
    listing = data_relatives(settings)
    errors: list[ExtransError] = list(listing.errors)
    found: list[DataFieldSurvey] = []
    languages = {settings.source_language, *settings.target_languages}
    for relative in listing.pages:
        format = data_format(relative)
        assert format is not None  # (data_relatives lists only files it has a format for)
        try:
            fields = read_document_strings(read_data_text(settings, relative), format, relative)
        except ExtransError as err:
            errors.append(err)
            continue
        values: Counter[str] = Counter()
        prose: Counter[str] = Counter()
        examples: dict[str, str] = {}
        for field in fields:
            pattern = _pattern(field.path)
            values[pattern] += 1
            reads = _looks_like_prose(field.value, in_list=True)
            prose[pattern] += reads
            if pattern not in examples or (reads and prose[pattern] == 1):
                examples[pattern] = field.value
        for pattern, count in values.items():
            proposed = _proposed_in_data(pattern, mostly_prose=prose[pattern] * 2 > count)
            if proposed and _per_language(pattern, values, languages):
                proposed = False
            found.append(DataFieldSurvey(relative, pattern, count, examples[pattern], proposed))
    return _by_folder(found), errors


def _per_language(pattern: str, patterns: Collection[str], languages: Collection[str]) -> bool:
    """Whether ``pattern`` names the text of one language among others (``name.en`` beside
    ``name.de``): the file is translated in place already, by the site's own means."""
    prefix, dot, key = pattern.rpartition(".")
    if not dot:
        return False
    if key in languages:
        return True
    siblings = [p.rpartition(".")[2] for p in patterns if p.startswith(prefix + ".")]
    return _language_code(key) and sum(map(_language_code, siblings)) > 1


def _language_code(key: str) -> bool:
    if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?", key):
        return False
    try:
        validate_code(key)
    except ValueError:
        return False
    return True


def _by_folder(found: Sequence[DataFieldSurvey]) -> tuple[DataFieldSurvey, ...]:
    """The fields, those of several files of one folder (with one extension) made one with a
    ``*`` for the file name, where they are all proposed or all not."""
    groups: dict[tuple[str, str, str, bool], list[DataFieldSurvey]] = {}
    for one in found:
        folder, _, name = one.file.rpartition("/")
        suffix = name[name.rfind(".") :]
        groups.setdefault((folder, suffix, one.pattern, one.translatable), []).append(one)
    out: list[DataFieldSurvey] = []
    for (folder, suffix, pattern, proposed), members in groups.items():
        if len(members) == 1:
            out.append(members[0])
            continue
        values = sum(one.values for one in members)
        example = next((one.example for one in members if one.translatable), members[0].example)
        out.append(DataFieldSurvey(f"{folder}/*{suffix}", pattern, values, example, proposed))
    return tuple(out)


def _proposed_in_data(pattern: str, mostly_prose: bool) -> bool:
    """Whether to propose a field of a data file: as :func:`_proposed` a front-matter field,
    by its last key (a data file's root holds anything), and only what a pattern can name."""
    try:
        keys = [part for part in parse_field_pattern(pattern).parts if isinstance(part, str)]
    except ValueError:
        return False
    if not keys:
        return mostly_prose  # (a list of strings at the root)
    last = keys[-1]
    if last in NEVER_EXTRACTED or last.lower() in _NOT_TRANSLATED_KEYS:
        return False
    if any(key.startswith("_") for key in keys):
        return False
    return last.lower() in _DEFAULT_LOWER or mostly_prose


def _survey_shortcodes(body: str, found: dict[str, ShortcodeSurvey]) -> None:
    """Count the paired shortcodes of ``body`` into ``found``."""
    calls = find_calls(body)
    if not calls:
        return
    hidden = hidden_calls(body, calls)
    for pair in find_pairs(calls):
        content = hidden[slice(*pair.inner)]
        code = holds_data(content) or _FENCED.fullmatch(content) is not None
        name = pair.opening.name
        seen = found.get(name) or ShortcodeSurvey(name, 0, 0, "")
        example = seen.example if seen.code_uses or (seen.uses and not code) else content
        found[name] = ShortcodeSurvey(name, seen.uses + 1, seen.code_uses + code, example)


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string, every character TOML refuses there escaped (the
    control characters, DEL among them): in a comment, as init writes some, TOML refuses
    them too."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    quoted = (c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return '"' + "".join(quoted) + '"'


def _shortened(example: str) -> str:
    return example if len(example) <= 40 else example[:37] + "..."


def render_config(
    settings: Settings, survey: SiteSurvey, hugo: Path | None, added: Sequence[str] = ()
) -> str:
    """The text of a starting ``extrans.toml``; ``added``: target languages the Hugo
    configuration does not have (``init --lang``), each given a content folder of its own."""
    lines = [
        "# extrans configuration, written by `extrans init`.",
        "# Review it, then run `extrans extract`.",
        '# Reference: the README\'s "Configuration" section.',
        "",
    ]
    if hugo is not None:
        lines.append(f"# Languages and content folders as found in {hugo.name}.")
    lines.append(f"source-language = {_toml_string(settings.source_language)}")
    targets = ", ".join(_toml_string(code) for code in settings.target_languages)
    lines.append(f"target-languages = [{targets}]")
    if added:
        folders = ", ".join(f'{code} = "content/{code}"' for code in added)
        lines.append(f"content-dirs = {{ {folders} }}  # (languages added by init --lang)")
    if hugo is None:
        lines.append('# content-dirs = { en = "content/en" }  # default: content/<language>')
    lines += ["", "# Front-matter fields sent to translators; `[]` means every item of a list."]
    chosen = [field for field in survey.fields if field.translatable]
    skipped = [field for field in survey.fields if not field.translatable]
    width = max((len(_toml_string(field.pattern)) for field in survey.fields), default=0) + 2
    lines.append("fields = [")
    for field in chosen:
        item = f"    {_toml_string(field.pattern)},"
        lines.append(
            f"{item:<{width + 6}}# {field.pages} of {survey.pages} pages, "
            f"e.g. {_shortened(field.example)!r}"
        )
    lines.append("]")
    if skipped:
        lines += [
            "",
            "# Found, but not text a reader sees (or never translated); add any you need:",
        ]
        for field in skipped:
            lines.append(
                f"#   {_toml_string(field.pattern):<{width}}"
                f"{field.pages} of {survey.pages} pages, e.g. {_shortened(field.example)!r}"
            )
    lines += _site_strings_lines(settings, survey)
    lines += _data_lines(survey)
    lines += _code_shortcode_lines(settings, survey)
    return "\n".join(lines) + "\n"


def _values(count: int) -> str:
    return f"{count} value" if count == 1 else f"{count} values"


def _data_lines(survey: SiteSurvey) -> list[str]:
    """The ``data-files`` setting: the fields of data files that read as prose, each with an
    example; the others as comments. Nothing for a site without data files."""
    if not survey.data:
        return []
    lines = [
        "",
        "# Fields of data files sent to translators, 'file:field' ('[]' every item of a list,",
        "# '*' any key); a file's translation goes to data/<language>/... (README, \"Site",
        "# strings\"): make the layout read the language's file.",
        "data-files = [",
    ]
    chosen = [found for found in survey.data if found.translatable]
    skipped = [found for found in survey.data if not found.translatable]
    width = max(len(_toml_string(found.entry)) for found in survey.data) + 2
    for found in chosen:
        item = f"    {_toml_string(found.entry)},"
        lines.append(
            f"{item:<{width + 6}}# {_values(found.values)}, e.g. {_shortened(found.example)!r}"
        )
    lines.append("]")
    if skipped:
        lines.append("# Found in data files, but not text a reader sees; add any you need:")
        lines += [
            f"#   {_toml_string(found.entry):<{width}}{_values(found.values)}, "
            f"e.g. {_shortened(found.example)!r}"
            for found in skipped
        ]
    return lines


def _site_strings_lines(settings: Settings, survey: SiteSurvey) -> list[str]:
    """Each kind of site file's setting, with the files found (README: "Site strings")."""

    def found(kind: str, what: str) -> str:
        files = [found for found in survey.site_files if found.file.kind == kind]
        return ", ".join(f"{file.file.path} ({file.strings} {what})" for file in files)

    tables = found("i18n", "strings") or f"none yet (i18n/{settings.source_language}.toml)"
    return [
        "",
        "# Site strings: files besides the pages whose strings readers see, one catalog each.",
        f"# Hugo's i18n string tables: {tables}; false",
        "# leaves them alone.",
        "i18n = true",
        f"# The menus of the Hugo configuration: {found('menus', 'texts') or 'none'}; false",
        "# leaves them alone.",
        "menus = true",
        "# The taxonomy terms the pages list, built into term pages:",
        f"# {found('taxonomies', 'terms') or 'none'}; false leaves them alone.",
        "taxonomies = true",
    ]


def _code_shortcode_lines(settings: Settings, survey: SiteSurvey) -> list[str]:
    """The ``code-shortcodes`` setting: the configured ones, and the paired shortcodes whose
    content is data in most uses, each with an example."""
    lines = [
        "",
        "# Paired shortcodes whose content is code or data, never sent to translators (data",
        "# is found and kept out wherever it stands; listed here, a shortcode's content is",
        "# kept out even where it does not parse). Add the ones that hold code.",
        "code-shortcodes = [",
    ]
    lines += [f"    {_toml_string(name)}," for name in settings.code_shortcodes]
    for found in survey.shortcodes:
        if found.code and found.name not in settings.code_shortcodes:
            example = " ".join(found.example.split())
            example = example if len(example) <= 40 else example[:37] + "..."
            lines.append(
                f"    {_toml_string(found.name)},  # data or code in {found.code_uses} of "
                f"{found.uses} uses, e.g. {example!r}"
            )
    lines.append("]")
    return lines
