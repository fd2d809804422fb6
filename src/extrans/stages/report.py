"""Status reports for people and machines: terminal table, JSON, Markdown, CSV, GitHub
annotations and a self-contained HTML page. Every function here is pure: report in, text out.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from datetime import datetime
from importlib.resources import files

from ..errors import printable
from ..formats.languages import language_name
from .status import PageStatus, StatusReport, Totals

__all__ = ["SCHEMA", "github_annotation", "render"]

SCHEMA = "extrans-status/1"
"""Within a version, fields may be added, never renamed or removed."""


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
    if page.stale:
        notes.append(_stale_note(page))
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


def _render_table(report: StatusReport, colour: bool) -> str:
    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if colour else text

    out: list[str] = []
    for language in report.languages:
        t = report.totals(language)
        header = (
            f"{language_name(language)} [{language}]: {_pct(t.percent_entries)} of entries, "
            f"{_pct(t.percent_words)} of words; {t.translated} translated, {t.fuzzy} fuzzy, "
            f"{t.untranslated} untranslated; {t.stale} stale of {t.pages} pages"
        )
        out.append(paint(header, "1"))
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
        "untranslated": counts.untranslated,
        "source_words": counts.source_words,
        "translated_words": counts.translated_words,
        "percent_entries": round(counts.percent_entries, 2),
        "percent_words": round(counts.percent_words, 2),
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


def _totals(totals: Totals) -> dict[str, object]:
    return {"pages": totals.pages, **_coverage(totals), "stale": totals.stale}


def _render_json(report: StatusReport) -> str:
    document = {
        "schema": SCHEMA,
        "generated": report.generated.isoformat(timespec="seconds"),
        "languages": [
            {
                "code": language,
                "name": language_name(language),
                "totals": _totals(report.totals(language)),
                "sections": {
                    section: _totals(report.totals(language, section))
                    for section in report.sections()
                },
            }
            for language in report.languages
        ],
        "pages": [_row(page) for page in report.pages],
        "orphan_catalogs": list(report.orphan_catalogs),
        "orphan_pages": list(report.orphan_pages),
        "errors": [
            {"path": str(e.path) if e.path else None, "line": e.line, "message": e.message}
            for e in report.errors
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _render_csv(report: StatusReport) -> str:
    stream = io.StringIO()
    rows = [_row(page) for page in report.pages]
    writer = csv.DictWriter(
        stream, fieldnames=list(rows[0]) if rows else ["language", "page"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def _bar(percent: float, width: int = 10) -> str:
    filled = round(percent / 100 * width)
    return "█" * filled + "░" * (width - filled)


def _render_markdown(report: StatusReport) -> str:
    out = [
        "## Translation status",
        "",
        "| language | entries | words | fuzzy | untranslated | stale pages |",
        "|---|---|---|---|---|---|",
    ]
    for language in report.languages:
        t = report.totals(language)
        out.append(
            f"| {language_name(language)} `{language}` | {_bar(t.percent_entries)} "
            f"{_pct(t.percent_entries)} | {_pct(t.percent_words)} | {t.fuzzy} | "
            f"{t.untranslated} | {t.stale} of {t.pages} |"
        )
    attention = [p for p in report.pages if _problems(p) and (p.stale or p.percent_entries < 100)]
    if attention:
        out += ["", "### Pages that need work", "", "| page | language | entries | notes |"]
        out.append("|---|---|---|---|")
        for page in attention:
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


def github_annotation(level: str, path: object, line: int | None, title: str, message: str) -> str:
    """A GitHub workflow command (``::error file=a.po,line=3,title=x::message``), escaped as
    GitHub's toolkit escapes it: a file name or a message cannot end the command or start
    another. ``path`` None: no file."""
    where = "" if path is None else f"file={_escape_property(str(path))},line={line or 1},"
    return f"::{level} {where}title={_escape_property(title)}::{_escape_data(message)}"


def _render_github(report: StatusReport) -> str:
    notes: list[tuple[str, object, int | None, str, str]] = []
    for page in report.pages:
        if page.stale:
            where = (page.localized, page.localized_lastmod_line)
            notes.append(("warning", *where, "stale translation", _stale_note(page)))
        if page.lastmod_not_bumped:
            where = (page.source, page.source_lastmod_line)
            changed = "the text changed but lastmod did not move"
            notes.append(("warning", *where, "lastmod not bumped", changed))
        if page.has_catalog and (page.fuzzy or page.untranslated):
            title = f"{_pct(page.percent_entries)} translated"
            counts = f"{page.fuzzy} fuzzy, {page.untranslated} untranslated"
            notes.append(("notice", page.catalog, 1, title, counts))
    notes += (("error", e.path, e.line, "unreadable", e.message) for e in report.errors)
    for path in report.orphan_catalogs + report.orphan_pages:
        notes.append(("warning", path, 1, "orphan", "its source page is gone"))
    return "".join(github_annotation(*note) + "\n" for note in notes)


def _render_html(report: StatusReport) -> str:
    e = html.escape
    languages = []
    for language in report.languages:
        t = report.totals(language)
        fuzzy = 0.0 if t.entries == 0 else 100.0 * t.fuzzy / t.entries
        counts = f"{t.translated} translated, {t.fuzzy} fuzzy, {t.untranslated} untranslated"
        summary = f"{_pct(t.percent_entries)} entries · {_pct(t.percent_words)} words"
        languages.append(
            f'<div class="lang"><strong>{e(language_name(language))} '
            f"<small>{e(language)}</small></strong>"
            f'<div class="bar" title="{counts}">'
            f'<span class="ok" style="width:{t.percent_entries:.2f}%"></span>'
            f'<span class="fz" style="width:{fuzzy:.2f}%"></span></div>'
            f"<span>{summary} · {t.stale} stale</span></div>"
        )
    rows = []
    for page in report.pages:
        cells = (
            f"<td>{e(page.source)}</td><td>{e(page.language)}</td><td>{e(page.section)}</td>"
            f'<td class="n" data-v="{page.percent_entries:.3f}">{_pct(page.percent_entries)}</td>'
            f'<td class="n" data-v="{page.percent_words:.3f}">{_pct(page.percent_words)}</td>'
            f'<td class="n">{page.fuzzy}</td><td class="n">{page.untranslated}</td>'
            f"<td>{_day(page.source_lastmod)}</td><td>{_day(page.localized_lastmod)}</td>"
            f"<td>{e('; '.join(_problems(page)))}</td>"
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
