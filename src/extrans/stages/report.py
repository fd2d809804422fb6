"""Reports for people and machines: ``status`` as a terminal table, JSON, Markdown, CSV,
GitHub annotations or a self-contained HTML page, and ``check`` as compiler-like text, GitHub
annotations or JSON. Every function here is pure: report in, text out.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from typing import Literal

from ..errors import ExtransError, printable
from ..formats.languages import language_name
from ..site.fills import MemoryFill
from .status import SITE_STRINGS, CheckResult, PageStatus, StatusReport, Totals

__all__ = [
    "CHECK_SCHEMA",
    "GITHUB_LIMIT",
    "MARKDOWN_PAGES",
    "SCHEMA",
    "Annotation",
    "render",
    "render_check",
    "render_github",
]

SCHEMA = "extrans-status/1"
"""Within a version, fields may be added, never renamed or removed."""
CHECK_SCHEMA = "extrans-check/1"
"""The same promise for ``extrans check --format json``."""


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


def _pct(value: float) -> str:
    return f"{value:.0f}%" if value in (0.0, 100.0) else f"{value:.1f}%"


def _stale_note(page: PageStatus) -> str:
    return (
        f"stale: source {_day(page.source_lastmod)} ({page.source_lastmod_from}), "
        f"translation {_day(page.localized_lastmod) or 'no lastmod'}, "
        f"{page.stale_days} days behind"
    )


def _problems(page: PageStatus) -> list[str]:
    notes = []
    if not page.has_catalog:
        notes.append("no catalog yet")
    if not page.localized_exists:
        notes.append("not built")
    if page.stale_days is not None:
        notes.append(_stale_note(page))
    if page.awaiting_review:
        notes.append(f"{page.fuzzy} fuzzy translations in the page, awaiting review (use-fuzzy)")
    if page.freshness_unknown:
        notes.append("the translation has no lastmod: whether it is current is unknown")
    if page.broken:
        notes.append(f"{page.broken} broken (extrans check finds errors: not used)")
    if page.lastmod_not_bumped:
        notes.append(f"text changed but lastmod {_day(page.source_lastmod)} did not move")
    if page.below_threshold:
        notes.append(f"below the build threshold ({page.threshold:g}%)")
    return notes


def _extras(report: StatusReport) -> list[str]:
    lines = [f"orphan catalog (source page gone): {path}" for path in report.orphan_catalogs]
    lines += [f"orphan page (source page gone): {path}" for path in report.orphan_pages]
    lines += [f"unreadable: {error}" for error in report.errors]
    return [printable(line) for line in lines]


def _memory_note(fill: MemoryFill, near: bool) -> str:
    """What the memory could fill, in one line (``near``: similar texts were searched)."""
    untranslated = (
        f"{fill.untranslated} untranslated entr{'y' if fill.untranslated == 1 else 'ies'}"
    )
    if near:
        note = f"memory could fill {fill.fillable} of {untranslated} ({fill.exact} exact, "
        note += f"{fill.near} near)"
    else:
        note = f"memory could fill {fill.exact} of {untranslated} with the same text's "
        note += "translation (similar texts: --memory-near)"
    if fill.conflicts:
        note += f"; {fill.conflicts} more have several translations in it"
    return note


def _render_table(report: StatusReport, colour: bool) -> str:
    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    out: list[str] = []
    for language in report.languages:
        t = report.totals(language)
        header = (
            f"{language_name(language)} [{language}]: {_pct(t.percent_entries)} of entries, "
            f"{_pct(t.percent_words)} of words; {t.translated} translated, {t.fuzzy} fuzzy, "
            f"{t.broken} broken, {t.untranslated} untranslated; {t.stale} stale of "
            f"{t.pages} pages"
        )
        out.append(paint(header, "1"))
        if t.memory is not None and t.memory.untranslated:
            out.append(f"  {_memory_note(t.memory, report.memory_near)}")
        rows = [p for p in report.pages if p.language == language]
        width = max((len(printable(p.source)) for p in rows), default=10)
        out.append(f"  {'page':<{width}}  entries   words  fuzzy  untr.  notes")
        for page in rows:
            line = (
                f"  {printable(page.source):<{width}}  {_pct(page.percent_entries):>7} "
                f"{_pct(page.percent_words):>7}  {page.fuzzy:>5}  {page.untranslated:>5}  "
                + "; ".join(_problems(page))
            )
            good = page.percent_entries >= 100 and not page.stale
            out.append(paint(line, "32" if good else ("31" if page.stale else "33")))
        strings = [p for p in report.site_strings if p.language == language]
        if strings:
            out.append(f"  {SITE_STRINGS}:")
            for page in strings:
                line = (
                    f"  {printable(page.source):<{width}}  {_pct(page.percent_entries):>7} "
                    f"{_pct(page.percent_words):>7}  {page.fuzzy:>5}  {page.untranslated:>5}  "
                    + "; ".join(_problems(page))
                )
                out.append(paint(line, "32" if page.percent_entries >= 100 else "33"))
        sections = report.sections()
        if len(sections) > 1:
            out.append("  by section:")
            for section in sections:
                t = report.totals(language, section)
                out.append(
                    f"    {section or '(top)':<20} {_pct(t.percent_entries):>7} of entries, "
                    f"{_pct(t.percent_words):>7} of words, {t.stale} stale"
                )
        out.append("")
    out += _extras(report)
    return "\n".join(out).rstrip("\n") + "\n"


def _coverage(counts: PageStatus | Totals) -> dict[str, object]:
    return {
        "entries": counts.entries,
        "translated": counts.translated,
        "fuzzy": counts.fuzzy,
        "broken": counts.broken,
        "untranslated": counts.untranslated,
        "source_words": counts.source_words,
        "translated_words": counts.translated_words,
        "percent_entries": round(counts.percent_entries, 2),
        "percent_words": round(counts.percent_words, 2),
    }


def _memory(fill: MemoryFill | None, near: bool) -> dict[str, object] | None:
    if fill is None:
        return None
    return {
        "untranslated": fill.untranslated,
        "fillable": fill.exact + fill.near,
        "exact": fill.exact,
        "near": fill.near if near else None,
        "conflicts": fill.conflicts,
    }


def _row(page: PageStatus) -> dict[str, object]:
    return {
        "language": page.language,
        "page": page.source,
        "section": page.section,
        "catalog": page.catalog if page.has_catalog else None,
        "localized": page.localized if page.localized_exists else None,
        **_coverage(page),
        "source_lastmod": page.source_lastmod.isoformat() if page.source_lastmod else None,
        "source_lastmod_from": page.source_lastmod_from,
        "localized_lastmod": page.localized_lastmod.isoformat() if page.localized_lastmod else None,
        "stale": page.stale,
        "stale_days": page.stale_days,
        "lastmod_not_bumped": page.lastmod_not_bumped,
        "below_threshold": page.below_threshold,
    }


def _totals(totals: Totals, near: bool) -> dict[str, object]:
    return {
        "pages": totals.pages,
        **_coverage(totals),
        "stale": totals.stale,
        "memory": _memory(totals.memory, near),
    }


def _json_row(page: PageStatus, report: StatusReport) -> dict[str, object]:
    return {**_row(page), "memory": _memory(report.memory_of(page), report.memory_near)}


def _render_json(report: StatusReport) -> str:
    document = {
        "schema": SCHEMA,
        "generated": report.generated.isoformat(timespec="seconds"),
        "languages": [
            {
                "code": language,
                "name": language_name(language),
                "totals": _totals(report.totals(language), report.memory_near),
                "sections": {
                    section: _totals(report.totals(language, section), report.memory_near)
                    for section in report.sections()
                },
            }
            for language in report.languages
        ],
        "pages": [_json_row(page, report) for page in report.pages],
        "site_strings": [_json_row(page, report) for page in report.site_strings],
        "orphan_catalogs": list(report.orphan_catalogs),
        "orphan_pages": list(report.orphan_pages),
        "errors": _error_rows(report.errors),
    }
    return _json(document)


def _error_rows(errors: Sequence[ExtransError]) -> list[dict[str, object]]:
    """Files that could not be read, as both JSON schemas list them."""
    return [
        {"path": str(e.path) if e.path else None, "line": e.line, "message": e.message}
        for e in errors
    ]


def _json(document: Mapping[str, object]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _render_csv(report: StatusReport) -> str:
    stream = io.StringIO()
    rows = [
        {**_row(page), **_csv_memory(report.memory_of(page), report.memory_near)}
        for page in (*report.pages, *report.site_strings)
    ]
    writer = csv.DictWriter(
        stream, fieldnames=list(rows[0]) if rows else ["language", "page"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def _csv_memory(fill: MemoryFill | None, near: bool) -> dict[str, object]:
    """A row's memory columns, empty where there is no count (no catalog, memory off; near
    matches not searched)."""
    return {
        "memory_fillable": "" if fill is None else fill.exact + fill.near,
        "memory_exact": "" if fill is None else fill.exact,
        "memory_near": "" if fill is None or not near else fill.near,
        "memory_conflicts": "" if fill is None else fill.conflicts,
    }


def _bar(percent: float, width: int = 10) -> str:
    filled = round(percent / 100 * width)
    return "█" * filled + "░" * (width - filled)


MARKDOWN_PAGES = 50
"""Pages a Markdown report lists at most (a pull-request comment must stay readable): the
most urgent ones, then a count of the rest."""


def _urgency(page: PageStatus) -> tuple[bool, int, float]:
    """Stale pages first, the furthest behind first; then the least translated."""
    return (not page.stale, -(page.stale_days or 0), page.percent_entries)


def _render_markdown(report: StatusReport) -> str:
    out = [
        "## Translation status",
        "",
        "| language | entries | words | fuzzy | broken | untranslated | stale pages |",
        "|---|---|---|---|---|---|---|",
    ]
    for language in report.languages:
        t = report.totals(language)
        out.append(
            f"| {language_name(language)} `{language}` | {_bar(t.percent_entries)} "
            f"{_pct(t.percent_entries)} | {_pct(t.percent_words)} | {t.fuzzy} | {t.broken} | "
            f"{t.untranslated} | {t.stale} of {t.pages} |"
        )
    memory_lines = [
        f"- {language_name(language)} `{language}`: {_memory_note(fill, report.memory_near)}"
        for language in report.languages
        if (fill := report.totals(language).memory) is not None and fill.untranslated
    ]
    if memory_lines:
        out += ["", *memory_lines]
    attention = [p for p in report.pages if _problems(p) and (p.stale or p.percent_entries < 100)]
    if attention:
        shown = sorted(attention, key=_urgency)[:MARKDOWN_PAGES]
        most = "" if len(shown) == len(attention) else f", the {len(shown)} most urgent"
        out += ["", f"<details><summary>Pages that need work: {len(attention)}{most}</summary>"]
        out += ["", "| page | language | entries | notes |", "|---|---|---|---|"]
        for page in shown:
            notes = "; ".join(_problems(page)).replace("|", "\\|")
            out.append(
                f"| `{printable(page.source)}` | {page.language} | "
                f"{_pct(page.percent_entries)} | {notes} |"
            )
        out += ["", "</details>"]
        if len(shown) < len(attention):
            rest = len(attention) - len(shown)
            out += ["", f"And {rest} more: `extrans status` lists every page."]
    if report.site_strings:
        out += [
            "",
            "### Site strings",
            "",
            "| file | language | entries | notes |",
            "|---|---|---|---|",
        ]
        for page in report.site_strings:
            notes = "; ".join(_problems(page)).replace("|", "\\|")
            out.append(
                f"| `{printable(page.source)}` | {page.language} | "
                f"{_pct(page.percent_entries)} | {notes} |"
            )
    extras = _extras(report)
    if extras:
        out += ["", "### Other findings", ""] + [f"- {line}" for line in extras]
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    """GitHub's escapes, then :func:`printable` for the control characters GitHub leaves (an
    ESC would colour the log, a bidirectional mark reorder it)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LIMIT = 10
"""Annotations of each level (error, warning, notice) GitHub shows for a step: the rest are
written to the step's log as plain lines."""


@dataclass(frozen=True, slots=True)
class Annotation:
    """One finding, as a GitHub workflow command shows it."""

    level: Literal["error", "warning", "notice"]
    path: object
    """``None``: no file."""
    line: int | None
    title: str
    message: str

    def command(self) -> str:
        """``::error file=a.po,line=3,title=x::message``, escaped as GitHub's toolkit escapes
        it: a file name or a message cannot end the command or start another."""
        where = "" if self.path is None else f"file={_escape_property(str(self.path))},"
        where += "" if self.path is None else f"line={self.line or 1},"
        title = _escape_property(self.title)
        return f"::{self.level} {where}title={title}::{_escape_data(self.message)}"

    def log_line(self) -> str:
        """The finding as a plain line of the log (``path:line: level: title: message``)."""
        where = "" if self.path is None else f"{self.path}:{self.line or 1}: "
        return printable(f"{where}{self.level}: {self.title}: {self.message}")


def render_github(annotations: Sequence[Annotation], limit: int = GITHUB_LIMIT) -> str:
    """Workflow commands for the first ``limit`` annotations of each level, then, if there
    were more, one notice that counts them and the rest as plain lines of the log, where
    they can be read."""
    levels = Counter(annotation.level for annotation in annotations)
    more = any(count > limit for count in levels.values())
    room = {"error": limit, "warning": limit, "notice": limit - more}  # (and the count's notice)
    shown: list[str] = []
    logged: list[Annotation] = []
    for annotation in annotations:
        if room[annotation.level] > 0:
            room[annotation.level] -= 1
            shown.append(annotation.command())
        else:
            logged.append(annotation)
    if logged:
        hidden = Counter(annotation.level for annotation in logged)
        counts = ", ".join(
            f"{hidden[level]} more {level}{'s' * (hidden[level] > 1)}" for level in sorted(hidden)
        )
        summary = (
            f"GitHub shows {limit} annotations of each kind per step; this step's log has the "
            f"rest: {counts}"
        )
        shown.append(Annotation("notice", None, None, "more findings", summary).command())
        lines = [annotation.log_line() for annotation in logged]
        # GitHub reads no workflow command between these two lines, whatever a file name
        # holds; the token, a hash of those lines, cannot be among them.
        token = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]
        shown += [f"::stop-commands::{token}", *lines, f"::{token}::"]
    return "".join(line + "\n" for line in shown)


def _render_github(report: StatusReport) -> str:
    notes: list[Annotation] = []
    for language in report.languages:
        fill = report.totals(language).memory
        if fill is not None and fill.fillable:
            note = _memory_note(fill, report.memory_near)
            notes.append(Annotation("notice", None, None, f"translation memory ({language})", note))
    for page in (*report.pages, *report.site_strings):
        if page.stale_days is not None:
            where = (page.localized, page.localized_lastmod_line)
            notes.append(Annotation("warning", *where, "stale translation", _stale_note(page)))
        if page.awaiting_review:
            review = f"{page.fuzzy} fuzzy translations in the page, awaiting review"
            notes.append(Annotation("warning", page.catalog, 1, "stale translation", review))
        if page.lastmod_not_bumped:
            where = (page.source, page.source_lastmod_line)
            changed = "the text changed but lastmod did not move"
            notes.append(Annotation("warning", *where, "lastmod not bumped", changed))
        if page.has_catalog and (page.fuzzy or page.broken or page.untranslated):
            title = f"{_pct(page.percent_entries)} translated"
            broken = f"{page.broken} broken, " if page.broken else ""
            counts = f"{page.fuzzy} fuzzy, {broken}{page.untranslated} untranslated"
            fill = report.memory_of(page)
            if fill is not None and fill.fillable:
                counts += f"; the memory could fill {fill.fillable}"
            notes.append(Annotation("notice", page.catalog, 1, title, counts))
    notes += (Annotation("error", e.path, e.line, "unreadable", e.message) for e in report.errors)
    for path in report.orphan_catalogs + report.orphan_pages:
        notes.append(Annotation("warning", path, 1, "orphan", "its source page is gone"))
    return render_github(notes)


def _render_html(report: StatusReport) -> str:
    e = html.escape
    languages = []
    for language in report.languages:
        t = report.totals(language)
        fuzzy = 0.0 if t.entries == 0 else 100.0 * t.fuzzy / t.entries
        broken = 0.0 if t.entries == 0 else 100.0 * t.broken / t.entries
        counts = (
            f"{t.translated} translated, {t.fuzzy} fuzzy, {t.broken} broken, "
            f"{t.untranslated} untranslated"
        )
        summary = f"{_pct(t.percent_entries)} entries · {_pct(t.percent_words)} words"
        if t.memory is not None and t.memory.untranslated:
            summary += f" · {e(_memory_note(t.memory, report.memory_near))}"
        languages.append(
            f'<div class="lang"><strong>{e(language_name(language))} '
            f"<small>{e(language)}</small></strong>"
            f'<div class="bar" title="{counts}">'
            f'<span class="ok" style="width:{t.percent_entries:.2f}%"></span>'
            f'<span class="fz" style="width:{fuzzy:.2f}%"></span>'
            f'<span class="br" style="width:{broken:.2f}%"></span></div>'
            f"<span>{summary} · {t.stale} stale</span></div>"
        )
    rows = []
    for page in (*report.pages, *report.site_strings):
        cells = (
            f'<td class="p">{e(page.source)}</td><td>{e(page.language)}</td>'
            f"<td>{e(page.section)}</td>"
            f'<td class="n" data-v="{page.percent_entries:.3f}">{_pct(page.percent_entries)}</td>'
            f'<td class="n" data-v="{page.percent_words:.3f}">{_pct(page.percent_words)}</td>'
            f'<td class="n">{page.fuzzy}</td><td class="n">{page.broken}</td>'
            f'<td class="n">{page.untranslated}</td>'
            f'<td class="d">{_day(page.source_lastmod)}</td>'
            f'<td class="d">{_day(page.localized_lastmod)}</td>'
            f'<td class="t">{e("; ".join(_problems(page)))}</td>'
        )
        rows.append(f'<tr class="{"stale" if page.stale else ""}">{cells}</tr>')
    extras = "".join(f"<li>{e(x)}</li>" for x in _extras(report))
    template = files("extrans").joinpath("status.html").read_text(encoding="utf-8")
    return (
        template.replace("__GENERATED__", e(report.generated.strftime("%Y-%m-%d %H:%M UTC")))
        .replace("__LANGUAGES__", "\n".join(languages))
        .replace("__ROWS__", "\n".join(rows))
        .replace("__EXTRAS__", f"<h2>Other findings</h2><ul>{extras}</ul>" if extras else "")
    )


_RENDERERS: dict[str, Callable[[StatusReport], str]] = {
    "json": _render_json,
    "markdown": _render_markdown,
    "csv": _render_csv,
    "github": _render_github,
    "html": _render_html,
}


def render(report: StatusReport, output: str, colour: bool = False) -> str:
    """The report in ``output`` format; a ``table`` is coloured only when asked (on a
    terminal)."""
    if output == "table":
        return _render_table(report, colour)
    return _RENDERERS[output](report)


def _render_check_text(result: CheckResult) -> str:
    summary = (
        f"{result.entries} translations in {result.catalogs} catalogs checked: "
        f"{result.error_count} errors, {result.warning_count} warnings"
    )
    if result.site_strings:
        summary += f"\n{SITE_STRINGS}: {', '.join(printable(p) for p in result.site_strings)}"
    return "".join(f"{finding}\n" for finding in result.findings) + summary + "\n"


def _render_check_github(result: CheckResult) -> str:
    notes = [Annotation(f.severity, f.path, f.line, f.check, f.message) for f in result.findings]
    notes += (Annotation("error", e.path, e.line, "unreadable", e.message) for e in result.errors)
    return render_github(notes)


def _render_check_json(result: CheckResult) -> str:
    document = {
        "schema": CHECK_SCHEMA,
        "catalogs": result.catalogs,
        "entries": result.entries,
        "findings": [
            {"path": f.path, "line": f.line, "severity": f.severity, "check": f.check,
             "message": f.message, "msgid": f.msgid}
            for f in result.findings
        ],
        "site_strings": list(result.site_strings),
        "unreadable": _error_rows(result.errors),
    }  # fmt: skip
    return _json(document)


_CHECK_RENDERERS: dict[str, Callable[[CheckResult], str]] = {
    "text": _render_check_text,
    "github": _render_check_github,
    "json": _render_check_json,
}


def render_check(result: CheckResult, output: str) -> str:
    """What ``extrans check`` found, in ``output`` format (the unreadable catalogs are in it
    only as annotations or JSON: in text they are error lines, which the command line says)."""
    return _CHECK_RENDERERS[output](result)
