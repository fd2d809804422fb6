"""Checks of a translation against its source text: what would break the built page or site.

Each check has a name, a default severity, and a function of the source text, the
translation and the entry's origins (``body: heading``...) that returns a message or ``None``.
A translator switches checks off for one entry with a comment line
``extrans-ignore: link-target, emphasis`` (or ``all``); the configuration's ``[checks]`` table
sets a check to ``"error"``, ``"warning"`` or ``"off"`` for the whole site.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Literal

from ..errors import excerpt, excerpts, message_line
from .catalog import Message, reference_labels
from .dialect import ATTRIBUTE_LIST
from .linkify import MAYBE_BARE_URL, bare_urls
from .memory import Memory, Unit, units_of
from .shortcodes import Call, broken_calls, find_calls, hidden_calls, written_argument

__all__ = [
    "CHECKS",
    "CHECK_NAMES",
    "DEFAULT_RULES",
    "SITE_CHECKS",
    "Check",
    "Finding",
    "PlacedUnit",
    "Severity",
    "SiteCheck",
    "SiteRules",
    "check_consistency",
    "check_message",
    "check_translation",
    "destination_spans",
    "ignored_checks",
    "msgstr_line",
    "placed_units",
]

Severity = Literal["error", "warning"]
Test = Callable[[str, str, Sequence[str]], str | None]
"""A check's test: source text, translation, origins → what is wrong, or ``None``."""

# A lookbehind comes after the first character, never before it: a pattern that starts with
# a literal lets the regex engine skip to the next candidate, one that starts with a
# lookbehind is tried at every position of the text. A code span opens with a run of backticks
# after neither a backtick nor a backslash (an escaped backtick is a literal one).
_CODE = re.compile(r"(`(?<![`\\]`)`*)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_DESTINATION = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
_REFERENCE = re.compile(r"\]\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{\{(?![<%])[^{}]*\}\}")
"""A template action (``{{ .Count }}``, ``{{ T "x" }}``, ``{{- .Name -}}``), not a shortcode
call: i18n strings and front matter Hugo runs as templates hold them."""
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_DANGEROUS_TAG = re.compile(r"<\s*/?\s*(?:script|iframe|object|embed|style)\b|\son\w+\s*=", re.I)
_BLOCK_START = re.compile(
    r"""^[ \t]*(?:
        \#{1,6}(?:[ \t]|$)                           # ATX heading
      | [-+*](?:[ \t]|$) | \d{1,9}[.)](?:[ \t]|$)     # list item
      | > | ``` | ~~~ | < | \{\{[<%]                  # quote, fence, HTML, shortcode
      | =+[ \t]*$ | -+[ \t]*$                        # setext underline
      | (?:[*_-][ \t]*){3,}$                         # thematic break
      | \|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$   # table delimiter row
      | \[[^\]]+\]:                                  # link reference or footnote definition
      | :[ \t] | \{(?!\{) | \$\$                       # definition, attributes, math block
    )""",
    re.MULTILINE | re.VERBOSE,
)
_BLOCK_START_CHARS = frozenset("#-+*0123456789>`~<{=_|:[$")
"""Every character a match of ``_BLOCK_START`` can start with (after spaces and tabs)."""
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")
_ATTRIBUTE_LIST = re.compile(rf"(?<!\{{){ATTRIBUTE_LIST}(?!\}})", re.VERBOSE)
"""An attribute list, not a shortcode's or a template's braces."""
_MATH = re.compile(
    r"""\$\$.+?\$\$ | \\\[.+?\\\] | \\\(.+?\\\)
      | \$(?<!\\\$)(?=[^\s$]).*?[^\s\\]\$(?!\d)   # $x$, as Pandoc reads it: not "$5 and $10"
    """,
    re.DOTALL | re.VERBOSE,
)
_STRONG = re.compile(r"\*\*(?<!\\\*\*)|__(?<![\\\w]__)|__(?!\w)")
_SINGLE_STAR = re.compile(r"\*(?<![\\*]\*)(?!\*)")
_STRIKE = re.compile(r"~~(?<!\\~~)")
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|$)")
_UNESCAPED_PIPE = re.compile(r"\|(?<!\\\|)")
_HARD_BREAK = re.compile(r"(?:\\|  +)\n")
_WORD = re.compile(r"[^\W\d_]+")
_LIST_FIELD = re.compile(r"^front matter: (?:.*\.)?(?:keywords|tags|categories|aliases)$")
_SINGLE_LINE = (
    "body: heading",
    "body: table",
    "body: image",
    "body: alert title",
    "body: definition term",
    "shortcode:",
)
_IGNORE_COMMENT = re.compile(r"^\s*extrans-ignore:\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Check:
    """A named check."""

    name: str
    severity: Severity
    """Its default severity."""
    summary: str
    """One line for the documentation."""
    test: Test
    triggers: str = ""
    """Characters without which in the source or the translation the check cannot fail
    (empty: it always runs)."""


@dataclass(frozen=True, slots=True)
class SiteRules:
    """What the checks read of the site besides the entry itself."""

    linkify: bool = True
    """Whether Hugo links bare URLs (``Settings.linkify``)."""
    prose_arguments: tuple[str, ...] = ()
    """The shortcode arguments a translation may change (``Settings.shortcode_args``)."""
    link_prefix: str = ""
    """The path Hugo publishes the translation's language at (``Settings.url_prefix``), under
    which a root-relative link may come back."""


DEFAULT_RULES = SiteRules()
"""Hugo's defaults, no prose argument, no language path."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in one translation."""

    check: str
    severity: Severity
    message: str
    path: str = ""
    """The catalog."""
    line: int = 0
    """The msgstr's line in it (1-based)."""
    msgid: str = ""

    def __str__(self) -> str:
        return message_line(self.path, self.line, self.message, f"{self.severity}[{self.check}]")


CHECKS: dict[str, Check] = {}
"""Every check by name, in the order they run."""


def _check(
    name: str, severity: Severity, summary: str, triggers: str = ""
) -> Callable[[Test], Test]:
    def register(test: Test) -> Test:
        CHECKS[name] = Check(name, severity, summary, test, triggers)
        return test

    return register


def _changed_items(
    kind: str, find: Callable[[str], Sequence[str]], source: str, translation: str
) -> str | None:
    """What ``find`` finds in the translation and not in the source, or the reverse."""
    return _changed(kind, find(source), find(translation))


def _changed(kind: str, wanted: Sequence[str], found: Sequence[str]) -> str | None:
    """The items ``found`` (in the translation) lacks of those ``wanted`` (in the source),
    and the ones it adds."""
    if wanted == found or sorted(wanted) == sorted(found):
        return None  # the same items (usually in the same order): decided without counting
    want, have = Counter(wanted), Counter(found)
    missing = sorted((want - have).elements())
    added = sorted((have - want).elements())
    parts = []
    if missing:
        parts.append(f"missing {excerpts(missing)}")
    if added:
        parts.append(f"added {excerpts(added)}")
    return f"{kind} must come back unchanged: {'; '.join(parts)}"


@_check("code-span", "error", "inline code spans come back unchanged", "`")
def _code_spans(source: str, translation: str, _: Sequence[str]) -> str | None:
    def spans(text: str) -> list[str]:
        return [m[0] for m in _CODE.finditer(text)]

    return _changed_items("inline code", spans, source, translation)


def _link_targets_with(
    linkify: bool, prefix: str, source: str, translation: str, origins: Sequence[str]
) -> str | None:
    """The link-target check for a site whose Hugo links bare URLs or not (``linkify``), and
    whose target language publishes its pages under ``prefix`` (``/es``): a root-relative
    link of the source may come back under it, to the page in the translation's language.
    The shortcut references the origins name (``reference labels: [the guide]``) must come
    back as references with those labels, shortcut or not (``[la guía][the guide]``)."""
    labels = reference_labels(origins)
    wanted = _links_of(source, linkify=linkify, labels=labels)
    found: Sequence[str] = _links_of(translation, linkify=linkify, labels=labels)
    if prefix and found != wanted:
        found = _unprefixed(wanted, found, prefix)
    changed = _changed("link and image destinations", wanted, found)
    lost = [label for label in labels if f"[{label}]" not in found]
    if changed and lost:
        return (
            f"{changed} (a shortcut reference's text is its label: keep [{lost[0]}] as it "
            f"is, or write [your text][{lost[0]}])"
        )
    return changed


def _unprefixed(wanted: Sequence[str], found: Sequence[str], prefix: str) -> list[str]:
    """``found``, each link to ``prefix/path`` that the source does not have read as its
    link to ``/path`` where the source has one."""
    left = Counter(wanted)
    links: list[str] = []
    for link in found:
        if left[link] <= 0 and link.startswith(f"[]({prefix}/"):
            bare = "[](" + link[len(f"[]({prefix}") :]
            link = bare if left[bare] > 0 else link
        left[link] -= 1
        links.append(link)
    return links


@_check(
    "link-target",
    "error",
    "links, images, autolinks and bare URLs come back as such, to the same destinations; "
    "reference labels too, shortcut references' (`[the guide]`) as extract names them",
    "]<:@w",
)
def _link_targets(source: str, translation: str, origins: Sequence[str]) -> str | None:
    return _link_targets_with(True, "", source, translation, origins)


@lru_cache(maxsize=1024)
def _links_of(text: str, *, linkify: bool = True, labels: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The links, images and autolinks of ``text`` as Markdown shows them (``[](/a)``,
    ``![](/b.png)``, ``<https://c>``), found by markdown-it reading it as Hugo does (a
    shortcode is a placeholder: a destination may be one); the bare URLs Hugo links (with
    ``linkify``, as Hugo's Goldmark does unless told not to), shown as the autolinks they
    render as (``<https://c>``, ``<www.d.org>``, ``<e@f.org>``); then its reference labels
    (``[label]``), which a text alone cannot resolve: those of full references as written,
    and those of its shortcut and collapsed references that the page's definitions
    ``labels`` resolve (``[the guide]``), shown as ``labels`` writes them."""
    bare = linkify and MAYBE_BARE_URL.search(text) is not None
    if "]" not in text and "<" not in text and not bare:
        return ()
    calls = find_calls(text)
    shortcodes = [text[call.start : call.end] for call in calls]
    placeholder = "HUGOSHORTCODE"
    while placeholder in text:  # (a text cannot make its own placeholder stand for a call)
        placeholder += "X"
    hidden, position = "", 0
    for number, call in enumerate(calls):
        hidden += f"{text[position : call.start]}{placeholder}{number}END"
        position = call.end
    hidden += text[position:]

    def shown(target: str) -> str:
        for number, call in enumerate(shortcodes):
            target = target.replace(f"{placeholder}{number}END", call)
        return target

    # (imported here, not at the top: the settings import this module for the checks' names,
    # and a command that fails on them should not pay for markdown-it)
    from markdown_it.common.utils import normalizeReference

    from .markdown import parse_inline

    found: list[str] = []
    tokens = parse_inline(hidden, as_written=True, references=labels)
    written = {normalizeReference(label): label for label in labels}
    for index, token in enumerate(tokens):
        if token.meta.get("shortcut"):
            found.append(f"[{written[normalizeReference(token.meta['label'])]}]")
        elif "label" in token.meta:
            continue  # (a full reference: its label is the text's, below)
        elif token.type == "image":
            found.append(f"![]({shown(str(token.attrs['src']))})")
        elif token.type == "link_open" and token.info == "auto":
            found.append(f"<{shown(tokens[index + 1].content)}>")
        elif token.type == "link_open":
            found.append(f"[]({shown(str(token.attrs['href']))})")
    if bare:
        found += [f"<{shown(url)}>" for url in bare_urls(tokens)]
    without_code = _CODE.sub("", text)
    found += [f"[{m[1]}]" for m in _REFERENCE.finditer(without_code) if m[1]]
    return tuple(found)


@_check(
    "shortcode",
    "error",
    "Hugo shortcode calls unchanged but for their prose arguments (`shortcode-args`); a prose "
    "argument Hugo can read back",
    "{`",
)
def _shortcodes(source: str, translation: str, origins: Sequence[str]) -> str | None:
    return _shortcodes_with(frozenset(), source, translation, origins)


def _shortcodes_with(
    prose: frozenset[str], source: str, translation: str, origins: Sequence[str]
) -> str | None:
    """The shortcode check for a site whose shortcode arguments ``prose`` hold prose."""

    def calls(text: str) -> list[str]:
        return [_call_shown(text, call, prose) for call in find_calls(text)]

    if "{{" in source or "{{" in translation:
        changed = _changed_items("shortcode calls", calls, source, translation)
        if changed:
            return changed
        broken = broken_calls(translation)
        if len(broken) > len(broken_calls(source)):
            return f"{excerpt(broken[0])} starts no shortcode call Hugo can read"
    argument = any(origin.startswith("shortcode:") for origin in origins)
    if argument and written_argument('"', translation) is None:
        return "a shortcode argument cannot hold both a '`' and a '\\' before a quote or at its end"
    return None


def _call_shown(text: str, call: Call, prose: frozenset[str]) -> str:
    """A call as written, the values of its prose arguments shown as ``"…"``."""
    shown, position = [], call.start
    for argument in call.arguments:
        key = argument.name if argument.name is not None else str(argument.position)
        if f"{call.name}.{key}" in prose:
            shown += [text[position : argument.start], '"…"']
            position = argument.end
    return "".join([*shown, text[position : call.end]])


@_check(
    "footnote-ref", "error", "footnote references ([^label]) come back, any order, same labels", "^"
)
def _footnote_references(source: str, translation: str, _: Sequence[str]) -> str | None:
    def references(text: str) -> list[str]:
        return _FOOTNOTE_REFERENCE.findall(_CODE.sub("", text))

    return _changed_items("footnote references", references, source, translation)


@_check("attribute-list", "error", "attribute lists ({#id .class}) unchanged", "{")
def _attribute_lists(source: str, translation: str, _: Sequence[str]) -> str | None:
    def attribute_lists(text: str) -> list[str]:
        return _ATTRIBUTE_LIST.findall(_CODE.sub("", text))

    return _changed_items("attribute lists", attribute_lists, source, translation)


@_check("math", "error", "math ($$...$$, \\[...\\], \\(...\\), $...$) unchanged", "$\\")
def _math(source: str, translation: str, _: Sequence[str]) -> str | None:
    def spans(text: str) -> list[str]:
        return _MATH.findall(_CODE.sub("", text))

    return _changed_items("math", spans, source, translation)


@_check(
    "placeholder", "error", "Hugo template actions ({{ .Count }}, {{ .Params.x }}) unchanged", "{"
)
def _placeholders(source: str, translation: str, _: Sequence[str]) -> str | None:
    return _changed_items("template placeholders", _PLACEHOLDER.findall, source, translation)


@_check("html", "error", "HTML tags unchanged; active HTML (<script>, on...=) never added", "<")
def _html(source: str, translation: str, _: Sequence[str]) -> str | None:
    def tags(text: str) -> list[str]:
        return _TAG.findall(_CODE.sub("", text))

    dangerous = [tag for tag in tags(translation) if _DANGEROUS_TAG.search(tag)]
    if dangerous and not any(_DANGEROUS_TAG.search(tag) for tag in tags(source)):
        return f"adds active HTML {excerpt(dangerous[0])}: never allowed in a translation"
    return _changed_items("HTML tags", tags, source, translation)


@_check("emphasis", "error", "emphasis, strong and strikethrough markers balanced", "*_~")
def _emphasis(source: str, translation: str, _: Sequence[str]) -> str | None:
    def counts(text: str) -> tuple[int, int, int]:
        text = _CODE.sub("", _DESTINATION.sub("](", text))
        strong = len(_STRONG.findall(text))
        single = len(_SINGLE_STAR.findall(text))
        strike = len(_STRIKE.findall(text))
        return strong, single, strike

    names = ("**", "*", "~~")
    found = counts(translation)
    if not any(have % 2 for have in found):
        return None  # balanced: the source need not be looked at
    for name, want, have in zip(names, counts(source), found, strict=True):
        if want % 2 == 0 and have % 2 == 1:
            return f"unbalanced {name} markers: {have} in the translation"
    return None


@_check(
    "single-line",
    "error",
    "headings, table cells, definition terms, alt texts and titles stay on one line",
    "\n",
)
def _single_line(source: str, translation: str, origins: Sequence[str]) -> str | None:
    if "\n" in translation and "\n" not in source:
        kind = next((o for o in origins if o.startswith(_SINGLE_LINE)), None)
        if kind:
            kind = "shortcode argument" if kind.startswith("shortcode:") else kind[6:]
            kind = kind.split(",")[0]  # (without where it sits: "column ..., under ...")
            return f"a {kind} must stay on one line"
    return None


_QUOTED = ("front matter", "data: ")
"""The origins of values written back quoted as their format needs (a front-matter field, a
data file's string): any text is safe there, blank lines and block syntax too."""


@_check("blank-line", "error", "no blank line inside a body text (it would split the block)", "\n")
def _blank_line(source: str, translation: str, origins: Sequence[str]) -> str | None:
    if all(o.startswith(_QUOTED) for o in origins):
        return None
    if _BLANK_LINE.search(translation):
        return "a blank line would split the block in two"
    return None


@_check("table-pipe", "error", "no unescaped '|' in a table cell, none escaped by its end", "|\\")
def _table_pipe(source: str, translation: str, origins: Sequence[str]) -> str | None:
    if not any(o.startswith("body: table") for o in origins):
        return None
    if _UNESCAPED_PIPE.search(_CODE.sub("", hidden_calls(translation, find_calls(translation)))):
        return "an unescaped '|' splits the table cell; write '\\|'"
    if translation.endswith("\\") and not source.endswith("\\"):
        # (markdown-it and Goldmark take a '|' right after any backslash as escaped)
        return "a '\\' at the end of a table cell escapes the '|' after it; write it '&#92;'"
    return None


@_check("block-syntax", "error", "no line starting with block syntax (#, -, >, fences, <...)")
def _block_syntax(source: str, translation: str, origins: Sequence[str]) -> str | None:
    if "\n" not in translation and translation.lstrip(" \t")[:1] not in _BLOCK_START_CHARS:
        return None  # one line that cannot start a block: the common case, decided fast
    if all(o.startswith((*_QUOTED, "shortcode:")) for o in origins):
        return None  # quoting makes any text safe there
    markers = [m[0].strip() for m in _BLOCK_START.finditer(translation)]
    if not markers:
        return None
    allowed = Counter(m[0].strip() for m in _BLOCK_START.finditer(source))
    for marker in markers:
        if allowed[marker] == 0:
            return f"a line starting with {excerpt(marker)} would change the page's structure"
        allowed[marker] -= 1
    return None


@_check("whitespace", "error", "no leading or trailing whitespace added or lost")
def _whitespace(source: str, translation: str, _: Sequence[str]) -> str | None:
    def leading(text: str) -> str:
        return text[: len(text) - len(text.lstrip())]

    if source.strip() == source and translation.strip() == translation:
        return None  # no whitespace at either end of either: the common case, decided fast
    if leading(source) != leading(translation):
        return "leading whitespace added or lost"
    if source[len(source.rstrip()) :] != translation[len(translation.rstrip()) :]:
        return "trailing whitespace added or lost"
    return None


@_check("hard-break", "warning", "as many hard line breaks as the source", "\n")
def _hard_breaks(source: str, translation: str, _: Sequence[str]) -> str | None:
    want, have = len(_HARD_BREAK.findall(source)), len(_HARD_BREAK.findall(translation))
    return None if want == have else f"{have} hard line breaks where the source has {want}"


@_check("list-items", "warning", "as many comma-separated items in keyword-like fields", ",")
def _list_items(source: str, translation: str, origins: Sequence[str]) -> str | None:
    if any(_LIST_FIELD.match(o) for o in origins) and "," in source:
        want, have = source.count(",") + 1, translation.count(",") + 1
        if want != have:
            return f"{have} comma-separated items where the source has {want}"
    return None


@_check("untranslated", "warning", "a long text identical to its source")
def _untranslated(source: str, translation: str, _: Sequence[str]) -> str | None:
    if translation == source and len(_WORD.findall(source)) >= 5:
        return "identical to a long source text: probably left untranslated"
    return None


_TRIGGERS = frozenset(char for check in CHECKS.values() for char in check.triggers)


def ignored_checks(message: Message) -> frozenset[str]:
    """The checks a translator switched off for this entry (``extrans-ignore: a, b``)."""
    names: set[str] = set()
    for comment in message.translator_comments:
        found = _IGNORE_COMMENT.match(comment)
        if found:
            names.update(name.strip() for name in found[1].split(",") if name.strip())
    return frozenset(names)


def check_translation(
    source: str,
    translation: str,
    origins: Sequence[str],
    *,
    severities: Mapping[str, str] | None = None,
    ignored: frozenset[str] = frozenset(),
    errors_only: bool = False,
    only: frozenset[str] | None = None,
    site: SiteRules = DEFAULT_RULES,
) -> list[Finding]:
    """Every problem of ``translation`` as a rendering of ``source`` (with ``errors_only``,
    only those of checks whose severity is ``error``; with ``only``, of those checks alone;
    ``site``: what of the site the checks read)."""
    if not translation or "all" in ignored:
        return []
    # CR LF and a lone CR are line breaks to Markdown too: checks see them as LF.
    translation = translation.replace("\r\n", "\n").replace("\r", "\n")
    both = source + translation
    present = frozenset(char for char in _TRIGGERS if char in both)
    findings = []
    configured = tuple(severities.items()) if severities else ()
    plan = _plan(configured, ignored, errors_only, only, present, site)
    for check, severity in plan:
        message = check.test(source, translation, origins)
        if message:
            findings.append(Finding(check.name, severity, message, msgid=source))
    return findings


@lru_cache(maxsize=1024)
def _plan(
    severities: tuple[tuple[str, str], ...],
    ignored: frozenset[str],
    errors_only: bool,
    only: frozenset[str] | None,
    present: frozenset[str],
    site: SiteRules,
) -> tuple[tuple[Check, Severity], ...]:
    """The checks to run, in order, with their severity: decided once per configuration and
    set of trigger characters present (see :func:`check_translation`), not per entry."""
    configured = dict(severities)
    plan: list[tuple[Check, Severity]] = []
    for check in CHECKS.values():
        severity = configured.get(check.name, check.severity)
        if severity == "off" or check.name in ignored or (errors_only and severity != "error"):
            continue
        if (only is not None and check.name not in only) or (
            check.triggers and present.isdisjoint(check.triggers)
        ):
            continue
        if (not site.linkify or site.link_prefix) and check.name == "link-target":
            test = partial(_link_targets_with, site.linkify, site.link_prefix)
            check = replace(check, test=test)
        if site.prose_arguments and check.name == "shortcode":
            test = partial(_shortcodes_with, frozenset(site.prose_arguments))
            check = replace(check, test=test)
        plan.append((check, severity))  # type: ignore[arg-type]
    return tuple(plan)


def destination_spans(text: str) -> list[tuple[int, int]]:
    """Where the link and image destinations of ``text`` stand (``<...>`` ones with their
    brackets), outside code spans."""
    code = [match.span() for match in _CODE.finditer(text)]
    return [
        match.span(1)
        for match in _DESTINATION.finditer(text)
        if not any(start <= match.start(1) < end for start, end in code)
    ]


def msgstr_line(message: Message, form: int = 0) -> int:
    """The 1-based line of the entry's ``msgstr`` (a plural entry's ``msgstr[form]``) in the
    file it was read from."""
    if message.raw is None:
        return message.line
    keyword = "msgstr" if message.msgid_plural is None else f"msgstr[{form}]"
    for offset, line in enumerate(message.raw.split("\n")):
        if line.lstrip("#~ ").startswith(keyword):
            return message.line + offset
    return message.line


def check_message(
    message: Message,
    path: str,
    severities: Mapping[str, str] | None = None,
    *,
    errors_only: bool = False,
    site: SiteRules = DEFAULT_RULES,
) -> list[Finding]:
    """The problems of one catalog entry, located at its msgstr line; a plural entry's, of
    each form that is there, at its ``msgstr[N]`` line: ``msgstr[0]`` judged against the
    msgid, the others against the ``msgid_plural`` (as msgfmt judges them); a language's only
    form (Japanese) against the ``msgid_plural``, as it holds every count."""
    if message.msgid_plural is not None:
        many = len(message.msgstr_plural) - 1
        return [
            replace(finding, line=msgstr_line(message, form))
            for form, text in enumerate(message.msgstr_plural)
            if text
            for finding in check_message(
                replace(
                    message,
                    msgid=message.msgid if form == 0 < many else message.msgid_plural,
                    msgstr=text,
                    msgid_plural=None,
                    msgstr_plural=(),
                ),
                path,
                severities,
                errors_only=errors_only,
                site=site,
            )
        ]
    findings = check_translation(
        message.msgid,
        message.msgstr,
        message.extracted_comments,
        severities=severities,
        ignored=ignored_checks(message) if message.translator_comments else frozenset(),
        errors_only=errors_only,
        site=site,
    )
    if not findings:
        return findings
    line = msgstr_line(message)
    return [replace(finding, path=path, line=line) for finding in findings]


@dataclass(frozen=True, slots=True)
class SiteCheck:
    """A check of a language's catalogs together, not of one entry alone: switched per entry
    and configured as the others are."""

    name: str
    severity: Severity
    summary: str


SITE_CHECKS: dict[str, SiteCheck] = {
    "consistency": SiteCheck(
        "consistency",
        "warning",
        "the same source text (msgctxt and msgid) translated the same way in every catalog "
        "of a language",
    ),
}
CHECK_NAMES: tuple[str, ...] = (*CHECKS, *SITE_CHECKS)
"""Every name the configuration's ``[checks]`` table and ``extrans-ignore:`` accept."""
_PLACES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class PlacedUnit:
    """A translation of the site's memory and the line of its msgstr in its catalog."""

    unit: Unit
    line: int


def placed_units(messages: Sequence[Message], path: str) -> list[PlacedUnit]:
    """The memory's units of a catalog read from ``path`` (translated, not fuzzy, live),
    each at its msgstr's line, but for the entries a translator left out of the consistency
    check (``extrans-ignore: consistency``, or ``all``): a deliberate variant."""
    kept = [
        message
        for message in messages
        if message.translated
        and (
            not message.translator_comments
            or ignored_checks(message).isdisjoint(("consistency", "all"))
        )
    ]
    by_key = {message.key: message for message in kept}
    return [PlacedUnit(unit, msgstr_line(by_key[unit.key])) for unit in units_of(kept, path)]


def check_consistency(placed: Iterable[PlacedUnit], severity: Severity) -> list[Finding]:
    """Where one language's catalogs translate the same text (msgctxt and msgid) in several
    ways: one finding at each entry whose translation is not the text's most used one (the
    first one met, in the order of ``placed``, on a tie), naming the others and their places.
    Translations are compared as written: a change of case or whitespace is another one."""
    placed = list(placed)
    conflicts = Memory(tuple(one.unit for one in placed)).conflicts()
    if not conflicts:
        return []
    lines = {
        (one.unit.place, one.unit.key): one.line for one in placed if one.unit.key in conflicts
    }
    findings: list[Finding] = []
    for key, units in conflicts.items():
        ways: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        for unit in units:
            ways.setdefault(unit.forms, []).append((unit.place, lines[(unit.place, unit.key)]))
        order = sorted(ways, key=lambda forms: -len(ways[forms]))
        most = len(ways[order[0]]) > len(ways[order[1]])
        text = excerpt(key[1]) + ("" if key[0] is None else f" (context {excerpt(key[0])})")
        shown = {way: _way(way, ways[way], most and way == order[0]) for way in order}
        for forms in order[1:]:
            also = len(ways[forms]) - 1
            here = f"here{f' and in {also} other places' if also else ''}"
            elsewhere = "; ".join(shown[way] for way in order if way != forms)
            message = f"{text} is translated {excerpt(forms[0])} {here}, elsewhere {elsewhere}"
            findings += (
                Finding("consistency", severity, message, path, line, key[1])
                for path, line in ways[forms]
            )
    return sorted(findings, key=lambda finding: (finding.path, finding.line))


def _way(forms: tuple[str, ...], places: Sequence[tuple[str, int]], most: bool) -> str:
    """One translation of a text and where it is, as a consistency finding names them."""
    shown = ", ".join(f"{path}:{line}" for path, line in places[:_PLACES_SHOWN])
    more = len(places) - _PLACES_SHOWN
    shown += f" and {more} more" if more > 0 else ""
    return f"{excerpt(forms[0])} ({'most used: ' if most else ''}{shown})"
