"""The translation memory in ``check`` and ``status``: the ``consistency`` check (the same
text translated in several ways in one language) and what the memory could fill of the
untranslated entries, on the example site's catalogs."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extrans.formats.catalog import Message
from extrans.formats.checks import check_consistency, placed_units

from .conftest import REPO

Run = Callable[..., tuple[int, str, str]]
ROLL_UP = "locale/es/exercise-roll-up.po"
SWAN = "locale/es/exercise-swan-dive.po"
BENEFITS = 'msgid "Benefits"\nmsgstr "Beneficios"\n'
TIPS = 'msgid "Tips for Success"\nmsgstr "Consejos para hacerlo bien"\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The example site as committed: English, catalogs, Spanish pages, site strings."""
    root = tmp_path / "site"
    for name in ("content", "locale", "data", "i18n", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``text`` in the file."""
    return (
        path.read_text(encoding="utf-8")[: path.read_text(encoding="utf-8").index(text)].count("\n")
        + 1
    )


def msgfmt_check(path: Path) -> None:
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], check=True)


# --- consistency -------------------------------------------------------------------------


def test_the_example_translates_each_text_one_way(site: Path, extrans: Run) -> None:
    code, out, _ = extrans(site, "check", "--strict")
    assert code == 0 and "0 errors, 0 warnings" in out and "consistency" not in out


def test_another_translation_of_a_heading_is_a_warning_at_its_entry(
    site: Path, extrans: Run
) -> None:
    edit(site / ROLL_UP, BENEFITS, 'msgid "Benefits"\nmsgstr "Ventajas"\n')
    msgfmt_check(site / ROLL_UP)  # (a valid catalog: only the site sees the difference)
    line = line_of(site / ROLL_UP, 'msgstr "Ventajas"')
    code, out, _ = extrans(site, "check")
    assert code == 0  # a warning
    assert out.splitlines()[0] == (
        f"{ROLL_UP}:{line}: warning[consistency]: 'Benefits' is translated 'Ventajas' here, "
        "elsewhere 'Beneficios' (most used: locale/es/exercise-leg-pull-back-prep.po:173, "
        "locale/es/exercise-spine-stretch-forward.po:336, locale/es/exercise-swan-dive.po:239 "
        "and 1 more)"
    )
    assert "0 errors, 1 warnings" in out
    assert extrans(site, "check", "--strict")[0] == 1

    code, out, _ = extrans(site, "check", "--format", "github")
    assert code == 0
    assert out.startswith(
        f"::warning file={ROLL_UP},line={line},title=consistency::'Benefits' is translated "
        "'Ventajas' here, elsewhere 'Beneficios' (most used: "
    )
    code, out, _ = extrans(site, "check", "--format", "json")
    (finding,) = json.loads(out)["findings"]
    assert finding["check"] == "consistency" and finding["severity"] == "warning"
    assert (finding["path"], finding["line"], finding["msgid"]) == (ROLL_UP, line, "Benefits")


def test_each_entry_of_a_minority_translation_is_named(site: Path, extrans: Run) -> None:
    """Two pages write 'Ventajas', three 'Beneficios': the two are each a finding, and a
    change of case alone is another translation."""
    edit(site / ROLL_UP, BENEFITS, 'msgid "Benefits"\nmsgstr "Ventajas"\n')
    edit(site / SWAN, BENEFITS, 'msgid "Benefits"\nmsgstr "Ventajas"\n')
    edit(
        site / "locale/es/exercise-the-hundred.po",
        BENEFITS,
        'msgid "Benefits"\nmsgstr "beneficios"\n',
    )
    _, out, _ = extrans(site, "check")
    findings = [line for line in out.splitlines() if "[consistency]" in line]
    assert [line.split(":")[0] for line in findings] == [
        ROLL_UP,
        SWAN,
        "locale/es/exercise-the-hundred.po",
    ]
    assert (
        "'Ventajas' here and in 1 other places, elsewhere 'Beneficios' (locale/es/" in findings[0]
    )
    assert "'beneficios' here, elsewhere 'Beneficios' (" in findings[2]
    assert (
        "; 'Ventajas' (locale/es/exercise-roll-up.po:209, locale/es/exercise-swan-dive.po:239)"
        in (findings[2])
    )


def test_severity_from_the_configuration(site: Path, extrans: Run) -> None:
    edit(site / ROLL_UP, BENEFITS, 'msgid "Benefits"\nmsgstr "Ventajas"\n')
    with (site / "extrans.toml").open("a", encoding="utf-8") as config:
        config.write('\n[checks]\nconsistency = "error"\n')
    code, out, _ = extrans(site, "check")
    assert code == 1 and "error[consistency]" in out
    edit(site / "extrans.toml", 'consistency = "error"', 'consistency = "off"')
    code, out, _ = extrans(site, "check", "--strict")
    assert code == 0 and "consistency" not in out
    edit(site / "extrans.toml", 'consistency = "off"', 'consistensy = "off"')
    code, _, err = extrans(site, "check")
    assert code == 2 and "did you mean 'consistency'?" in err


def test_a_translator_marks_a_deliberate_variant(site: Path, extrans: Run) -> None:
    """An entry marked ``extrans-ignore: consistency`` is no other translation (nor the
    reference of the others): here no finding is left."""
    edit(
        site / ROLL_UP,
        BENEFITS,
        '# extrans-ignore: consistency\nmsgid "Benefits"\nmsgstr "Ventajas"\n',
    )
    msgfmt_check(site / ROLL_UP)
    code, out, _ = extrans(site, "check", "--strict")
    assert code == 0 and "consistency" not in out


def test_fuzzy_and_imported_translations_are_not_the_sites(site: Path, extrans: Run) -> None:
    edit(site / ROLL_UP, BENEFITS, '#, fuzzy\nmsgid "Benefits"\nmsgstr "Ventajas"\n')
    memory = site / "locale/memory/es.po"
    memory.parent.mkdir()
    memory.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Tips for Success"\nmsgstr "Consejos"\n',
        encoding="utf-8",
    )
    msgfmt_check(memory)
    code, out, _ = extrans(site, "check", "--strict")
    assert code == 0 and "consistency" not in out


def test_contexts_are_kept_apart_and_a_tie_goes_to_the_first_met() -> None:
    first = [
        Message("Run", "Ejecutar", msgctxt="button", line=10),
        Message("Run", "Carrera", msgctxt="noun", line=14),
    ]
    second = [Message("Run", "Ejecuta", msgctxt="button", line=3)]
    placed = [*placed_units(first, "locale/es/a.po"), *placed_units(second, "locale/es/b.po")]
    (finding,) = check_consistency(placed, "warning")
    assert (finding.path, finding.line, finding.check) == ("locale/es/b.po", 3, "consistency")
    assert finding.message == (
        "'Run' (context 'button') is translated 'Ejecuta' here, elsewhere 'Ejecutar' "
        "(locale/es/a.po:10)"
    )


# --- what status says the memory could fill ---------------------------------------------


def untranslate(site: Path) -> None:
    """The roll-up page's 'Benefits' and 'Tips for Success' without their translation, and
    a heading no other page has, 'Tips for Real Success', untranslated."""
    edit(site / ROLL_UP, BENEFITS, 'msgid "Benefits"\nmsgstr ""\n')
    edit(site / ROLL_UP, TIPS, 'msgid "Tips for Success"\nmsgstr ""\n')
    text = (site / ROLL_UP).read_text(encoding="utf-8")
    (site / ROLL_UP).write_text(
        text + '\n#. body: heading\nmsgid "Tips for Real Success"\nmsgstr ""\n', encoding="utf-8"
    )
    msgfmt_check(site / ROLL_UP)


def status_json(site: Path, extrans: Run, *args: str) -> dict[str, Any]:
    code, out, _ = extrans(site, "status", "--format", "json", *args)
    assert code == 0
    document: dict[str, Any] = json.loads(out)
    return document


def test_the_complete_example_has_nothing_to_fill(site: Path, extrans: Run) -> None:
    document = status_json(site, extrans)
    assert document["languages"][0]["totals"]["memory"] == {
        "untranslated": 0, "fillable": 0, "exact": 0, "near": None, "conflicts": 0,
    }  # fmt: skip
    code, out, _ = extrans(site, "status")
    assert code == 0 and "memory could fill" not in out


def test_status_counts_what_the_memory_could_fill(site: Path, extrans: Run) -> None:
    untranslate(site)
    code, out, _ = extrans(site, "status")
    assert code == 0
    assert out.splitlines()[1] == (
        "  memory could fill 2 of 3 untranslated entries with the same text's translation "
        "(similar texts: --memory-near)"
    )
    document = status_json(site, extrans)
    expected = {"untranslated": 3, "fillable": 2, "exact": 2, "near": None, "conflicts": 0}
    assert document["languages"][0]["totals"]["memory"] == expected
    assert document["languages"][0]["sections"]["exercises"]["memory"] == expected
    rows = {row["page"]: row for row in document["pages"]}
    assert rows["content/en/exercises/roll-up.md"]["memory"] == expected
    assert rows["content/en/exercises/saw.md"]["memory"]["untranslated"] == 0
    assert all(row["memory"]["untranslated"] == 0 for row in document["site_strings"])

    document = status_json(site, extrans, "--memory-near")
    assert document["languages"][0]["totals"]["memory"] == {
        "untranslated": 3, "fillable": 3, "exact": 2, "near": 1, "conflicts": 0,
    }  # fmt: skip
    code, out, _ = extrans(site, "status", "--memory-near")
    assert (
        out.splitlines()[1] == "  memory could fill 3 of 3 untranslated entries (2 exact, 1 near)"
    )


def test_every_format_says_it(site: Path, extrans: Run) -> None:
    untranslate(site)
    note = (
        "memory could fill 2 of 3 untranslated entries with the same text's translation "
        "(similar texts: --memory-near)"
    )
    _, out, _ = extrans(site, "status", "--format", "markdown")
    assert f"- Spanish (español) `es`: {note}" in out.splitlines()
    _, out, _ = extrans(site, "status", "--format", "github")
    assert out.splitlines()[0] == f"::notice title=translation memory (es)::{note}"
    assert (
        f"::notice file={ROLL_UP},line=1,title=95.1%25 translated::0 fuzzy, 2 untranslated; "
        "the memory could fill 2"
    ) in out.splitlines()
    _, out, _ = extrans(site, "status", "--format", "csv")
    rows = {row["page"]: row for row in csv.DictReader(io.StringIO(out))}
    roll_up = rows["content/en/exercises/roll-up.md"]
    assert (roll_up["memory_fillable"], roll_up["memory_exact"], roll_up["memory_near"]) == (
        "2", "2", "",
    )  # fmt: skip
    _, out, _ = extrans(site, "status", "--format", "html")
    assert f" words · {note} · 0 stale</span>" in out.replace("&#x27;", "'")


def test_status_of_some_pages_counts_theirs(site: Path, extrans: Run) -> None:
    untranslate(site)
    document = status_json(site, extrans, "exercises/saw.md")
    assert [row["page"] for row in document["pages"]] == ["content/en/exercises/saw.md"]
    assert document["languages"][0]["totals"]["memory"]["untranslated"] == 0
    document = status_json(site, extrans, "exercises/roll-up.md")
    assert document["languages"][0]["totals"]["memory"]["exact"] == 2


def test_the_counts_follow_the_catalogs_from_run_to_run(site: Path, extrans: Run) -> None:
    """Kept between runs (extract made the site's cache folder), counted again when another
    page's catalog changes what the memory holds."""
    assert extrans(site, "extract")[0] == 0
    untranslate(site)
    assert status_json(site, extrans)["languages"][0]["totals"]["memory"]["exact"] == 2
    assert (site / ".extrans-cache/status-memory.json").is_file()
    assert status_json(site, extrans)["languages"][0]["totals"]["memory"]["exact"] == 2
    edit(site / SWAN, BENEFITS, 'msgid "Benefits"\nmsgstr "Ventajas"\n')
    totals = status_json(site, extrans)["languages"][0]["totals"]["memory"]
    assert (totals["exact"], totals["conflicts"]) == (1, 1)
    _, out, _ = extrans(site, "status")
    assert out.splitlines()[1].endswith("; 1 more have several translations in it")
    totals = status_json(site, extrans, "--no-cache")["languages"][0]["totals"]["memory"]
    assert (totals["exact"], totals["conflicts"]) == (1, 1)


def test_no_count_for_a_language_without_memory(site: Path, extrans: Run) -> None:
    untranslate(site)
    config = site / "extrans.toml"
    config.write_text('memory = "off"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    document = status_json(site, extrans)
    assert document["languages"][0]["totals"]["memory"] is None
    assert all(row["memory"] is None for row in document["pages"])
    _, out, _ = extrans(site, "status")
    assert "memory could fill" not in out


def test_a_damaged_or_missing_cache_costs_a_count_not_an_answer(site: Path, extrans: Run) -> None:
    assert extrans(site, "extract")[0] == 0
    untranslate(site)
    assert status_json(site, extrans)["languages"][0]["totals"]["memory"]["exact"] == 2
    for name in ("memory.jsonl", "status-memory.json"):
        (site / ".extrans-cache" / name).write_text('{"fingerprint": [', encoding="utf-8")
    assert status_json(site, extrans)["languages"][0]["totals"]["memory"]["exact"] == 2
    for name in ("memory.jsonl", "status-memory.json"):
        (site / ".extrans-cache" / name).unlink()
    assert status_json(site, extrans)["languages"][0]["totals"]["memory"]["exact"] == 2
    assert (site / ".extrans-cache/memory.jsonl").is_file()  # (made again where there was none)
