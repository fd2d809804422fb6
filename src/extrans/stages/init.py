"""``extrans init``: a starting configuration for an existing Hugo site."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExtransError
from ..formats.frontmatter import PathPart, read_string_fields, split_front_matter
from ..site.config import DEFAULT_FIELDS, NEVER_EXTRACTED, Settings, parse_field_pattern
from ..site.pages import read_page_text, source_relatives

__all__ = ["FieldSurvey", "render_config", "survey_fields"]

# Names, media and identifiers: text, but not text a translator translates.
_NOT_TRANSLATED_KEYS = frozenset(
    {"author", "authors", "image", "images", "video", "video_id", "id"}
)
_IDENTIFIER = re.compile(r"[a-z0-9_-]+|[A-Za-z0-9_]+")
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


def _pattern(path: tuple[PathPart, ...]) -> str:
    out = ""
    for part in path:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _looks_like_prose(value: str) -> bool:
    value = value.strip()
    if not any(char.isalpha() for char in value) or _NOT_PROSE.fullmatch(value):
        return False
    return " " in value or not _IDENTIFIER.fullmatch(value)


def _proposed(pattern: str, mostly_prose: bool) -> bool:
    """Whether to propose a field for translation: one a pattern can name (not a key such as
    ``cSpell:ignore``, which extract would then refuse), not a key extrans never extracts nor
    a name or a medium, and a default field or mostly prose."""
    try:
        keys = [part for part in parse_field_pattern(pattern).parts if isinstance(part, str)]
    except ValueError:
        return False
    if keys[0] in NEVER_EXTRACTED or keys[-1] in _NOT_TRANSLATED_KEYS:
        return False
    return pattern in DEFAULT_FIELDS or mostly_prose


def survey_fields(settings: Settings) -> tuple[list[FieldSurvey], list[ExtransError], int]:
    """Every string field of the source pages, how many pages have it, and whether to propose
    it; the pages that could not be read; how many pages there are."""
    pages: Counter[str] = Counter()
    prose: Counter[str] = Counter()
    values: Counter[str] = Counter()
    examples: dict[str, str] = {}
    listing = source_relatives(settings)
    errors: list[ExtransError] = list(listing.errors)
    for relative in listing.pages:
        try:
            text = read_page_text(settings.site_root / relative, relative)
            fields = read_string_fields(text, split_front_matter(text, relative), relative)
        except ExtransError as err:
            errors.append(err)
            continue
        patterns = [_pattern(field.path) for field in fields]
        pages.update(set(patterns))
        for pattern, field in zip(patterns, fields, strict=True):
            values[pattern] += 1
            prose[pattern] += _looks_like_prose(field.value)
            examples.setdefault(pattern, field.value)
    surveys = []
    for pattern, count in sorted(pages.items(), key=lambda item: (-item[1], item[0])):
        proposed = _proposed(pattern, mostly_prose=prose[pattern] * 2 > values[pattern])
        surveys.append(FieldSurvey(pattern, count, examples[pattern], proposed))
    return surveys, errors, len(listing.pages)


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string, every character TOML refuses there escaped (the
    control characters, DEL among them): in a comment, as init writes some, TOML refuses
    them too."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    quoted = (c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return '"' + "".join(quoted) + '"'


def render_config(
    settings: Settings, surveys: list[FieldSurvey], total: int, hugo: Path | None
) -> str:
    """The text of a starting ``extrans.toml``."""
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
    if hugo is None:
        lines.append('# content-dirs = { en = "content/en" }  # default: content/<language>')
    lines += ["", "# Front-matter fields sent to translators; `[]` means every item of a list."]
    chosen = [s for s in surveys if s.translatable]
    skipped = [s for s in surveys if not s.translatable]
    width = max((len(_toml_string(s.pattern)) for s in surveys), default=0) + 2
    lines.append("fields = [")
    for survey in chosen:
        item = f"    {_toml_string(survey.pattern)},"
        lines.append(f"{item:<{width + 6}}# {survey.pages} of {total} pages")
    lines.append("]")
    if skipped:
        lines += [
            "",
            "# Found, but not text a reader sees (or never translated); add any you need:",
        ]
        for survey in skipped:
            example = survey.example if len(survey.example) <= 40 else survey.example[:37] + "..."
            lines.append(
                f"#   {_toml_string(survey.pattern):<{width}}"
                f"{survey.pages} of {total} pages, e.g. {example!r}"
            )
    return "\n".join(lines) + "\n"
