"""extrans status: coverage, stale pages and orphans, in every format, with CI exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from .conftest import REPO
from .test_incremental import make_site

Run = Callable[..., tuple[int, str, str]]
SAW = "content/en/exercises/saw.md"


@pytest.fixture
def translated(tmp_path: Path) -> Path:
    """The example site as committed: English, catalogs, Spanish pages."""
    site = tmp_path / "site"
    for name in ("content", "locale", "hugo.toml", "extrans.toml"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, site / name)
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_example_site_is_complete_and_fresh(translated: Path, extrans: Run) -> None:
    code, out, _ = extrans(translated, "status", "--fail-under", "100", "--fail-on-stale")
    assert code == 0
    assert out.startswith("Spanish (español) [es]: 100% of entries, 100% of words; 259 translated")
    assert "content/en/exercises/leg-pull-back-prep.md        100%    100%" in out


def test_a_changed_page_is_stale_and_fails_ci(translated: Path, extrans: Run) -> None:
    edit(translated / SAW, '"lastmod": "2025-06-02"', '"lastmod": "2025-07-12"')
    edit(
        translated / SAW,
        "Keep both hips heavy on the mat",
        "Keep both hips heavy and still on the mat",
    )
    assert extrans(translated, "extract")[0] == 0
    code, out, err = extrans(translated, "status", "--fail-on-stale")
    assert code == 1
    assert "stale: source 2025-07-12 (front matter), translation 2025-06-02, 40 days behind" in out
    assert "content/es/exercises/saw.md: stale, 40 days behind content/en/exercises/saw.md" in err
    code, _, err = extrans(translated, "status", "--fail-under", "99.9")
    assert code == 1 and "es: 99.6% of entries translated, below --fail-under 99.9" in err
    assert extrans(translated, "status", "--fail-under", "95", "--by", "words")[0] == 0


def test_a_text_change_without_a_new_lastmod_is_flagged(translated: Path, extrans: Run) -> None:
    edit(
        translated / SAW,
        "Keep both hips heavy on the mat",
        "Keep both hips heavy and still on the mat",
    )
    extrans(translated, "extract")
    code, out, _ = extrans(translated, "status", "exercises/saw.md")
    assert code == 0 and "text changed but lastmod 2025-06-02 did not move" in out
    document = json.loads(extrans(translated, "status", "-f", "json", "exercises/saw.md")[1])
    [page] = document["pages"]
    assert page["lastmod_not_bumped"] and page["fuzzy"] == 1 and not page["stale"]


def test_orphans_missing_catalogs_and_unreadable_ones(translated: Path, extrans: Run) -> None:
    (translated / "content/en/exercises/teaser.md").write_text("---\ntitle: Teaser\n---\n", "utf-8")
    (translated / "content/en/exercises/saw.md").unlink()
    code, out, _ = extrans(translated, "status")
    assert code == 0
    assert "orphan catalog (source page gone): locale/templates/exercise-saw.pot" in out
    assert "orphan catalog (source page gone): locale/es/exercise-saw.po" in out
    assert "orphan page (source page gone): content/es/exercises/saw.md" in out
    assert "content/en/exercises/teaser.md" in out and "no catalog yet; not built" in out
    broken = translated / "locale/es/home.po"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n<<<<<<< HEAD\n", "utf-8")
    code, _, err = extrans(translated, "status")
    assert code == 2 and "locale/es/home.po:" in err and "merge conflict" in err


def test_formats(translated: Path, extrans: Run) -> None:
    edit(translated / SAW, '"lastmod": "2025-06-02"', '"lastmod": "2025-07-12"')
    document = json.loads(extrans(translated, "status", "-f", "json")[1])
    assert document["schema"] == "extrans-status/1"
    assert document["languages"][0]["name"] == "Spanish (español)"
    assert set(document["languages"][0]["sections"]) == {"", "exercises"}
    saw = next(p for p in document["pages"] if p["page"] == SAW)
    assert (saw["stale_days"], saw["localized_lastmod"][:10]) == (40, "2025-06-02")
    rows = list(csv.DictReader(io.StringIO(extrans(translated, "status", "-f", "csv")[1])))
    assert len(rows) == 10 and rows[0]["language"] == "es"
    assert [(row["page"], row["catalog"]) for row in rows if row["section"] == "site strings"] == [
        ("hugo.toml", "locale/es/menus.po"),
        ("content/en", "locale/es/taxonomies.po"),
    ]
    markdown = extrans(translated, "status", "-f", "markdown")[1]
    assert "| Spanish (español) `es` | ██████████ 100% | 100% | 0 | 0 | 0 | 1 of 8 |" in markdown
    github = extrans(translated, "status", "-f", "github")[1]
    assert (
        "::warning file=content/es/exercises/saw.md,line=7,title=stale translation::stale: "
        in github
    )
    page = extrans(translated, "status", "-f", "html")[1]
    assert (
        page.startswith("<!DOCTYPE html>")
        and 'class="bar"' in page
        and '<table id="pages">' in page
    )
    assert "http://" not in page and "https://" not in page  # self-contained
    code, _, err = extrans(translated, "status", "-f", "yaml")
    assert (code, err) == (
        2,
        "extrans: error: invalid value for '-f' / '--format': 'yaml' is not one of 'table', "
        "'json', 'markdown', 'csv', 'github', 'html'; see `extrans status --help`\n",
    )


def test_filters(translated: Path, extrans: Run) -> None:
    out = extrans(translated, "status", "exercises")[1]
    assert "content/en/exercises/saw.md" in out and "content/en/_index.md " not in out
    out = extrans(translated, "status", "content/en/exercises/saw.md")[1]
    assert out.count("content/en/") == 1
    code, _, err = extrans(translated, "status", "nothing-here")
    assert code == 2 and "no source page matches nothing-here" in err
    assert extrans(translated, "status", "--lang", "fr")[0] == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("in_subfolder", [False, True], ids=["repository", "subfolder"])
def test_pages_without_lastmod_use_their_git_date(
    translated: Path, extrans: Run, in_subfolder: bool
) -> None:
    """The site may be the repository or a folder in it; a file outside the site with the
    same path from its own folder is not the page."""
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                   "GIT_COMMITTER_EMAIL": "t@e"}  # fmt: skip
    top = translated.parent if in_subfolder else translated

    def commit(when: str) -> None:
        env = {**environment, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "-C", str(top), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(top), "commit", "-qm", "c"], check=True, env=env)

    subprocess.run(["git", "-C", str(top), "init", "-q"], check=True)
    commit("2025-01-01T12:00:00+00:00")
    edit(translated / "content/en/_index.md", "Welcome", "A warm welcome")
    commit("2025-03-01T12:00:00+00:00")
    if in_subfolder:
        other = top / "other" / "content" / "en" / "_index.md"
        other.parent.mkdir(parents=True)
        other.write_text("---\ntitle: Other\n---\n", encoding="utf-8")
        commit("2025-05-01T12:00:00+00:00")
    document = json.loads(extrans(translated, "status", "-f", "json", "_index.md")[1])
    [home] = document["pages"]
    assert home["source_lastmod_from"] == "git" and home["source_lastmod"].startswith("2025-03-01")
    assert home["stale"] and home["stale_days"] == 59


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_what_status_remembers_of_a_page_follows_its_git_dates(
    translated: Path, extrans: Run
) -> None:
    """status keeps what it found of each page for the next run (in the cache folder that
    extract made), and reads a page again when a date it took from git moved, though no
    byte of the page did."""
    environment = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
                   "GIT_COMMITTER_EMAIL": "t@e"}  # fmt: skip

    def commit(when: str) -> None:
        env = {**environment, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "-C", str(translated), "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", str(translated), "commit", "-qm", "c"], check=True, env=env)

    def home(*options: str) -> dict[str, Any]:
        out = extrans(translated, "status", "-f", "json", "_index.md", *options)[1]
        [page] = json.loads(out)["pages"]
        return cast(dict[str, Any], page)

    subprocess.run(["git", "-C", str(translated), "init", "-q"], check=True)
    commit("2025-01-01T12:00:00+00:00")
    edit(translated / "content/en/_index.md", "Welcome", "A warm welcome")
    commit("2025-03-01T12:00:00+00:00")
    assert extrans(translated, "extract")[0] == 0
    assert home()["stale_days"] == 59
    assert (translated / ".extrans-cache/status.json").is_file()
    assert home()["stale_days"] == 59  # (from the cache)
    spanish = translated / "content/es/_index.md"
    original = spanish.read_bytes()
    spanish.write_bytes(original + b"\n")
    commit("2025-04-01T12:00:00+00:00")
    spanish.write_bytes(original)  # the same bytes as before, committed later
    commit("2025-04-02T12:00:00+00:00")
    assert home() == home("--no-cache")
    assert home()["localized_lastmod"].startswith("2025-04-02") and not home()["stale"]


def test_ci_formats_stay_within_what_github_shows(tmp_path: Path, extrans: Run) -> None:
    """72 pages that need work: GitHub shows 10 annotations of a kind per step, so the rest
    are counted in one notice and written to the log, where commands are off; a pull-request
    comment lists the 50 most urgent pages, stale ones first, and counts the rest."""
    site = make_site(tmp_path / "site")
    assert extrans(site, "extract")[0] == 0
    edit(site / "content/en/exercises/p006.md", "lastmod: ", "lastmod: 2099-01-01 #")
    (site / "content/es/exercises").mkdir(parents=True)
    spanish = site / "content/es/exercises/p006.md"
    spanish.write_text("---\ntitle: Sierra\nlastmod: 2025-01-01\n---\n", encoding="utf-8")
    github = extrans(site, "status", "-f", "github")[1].splitlines()
    commands = [line for line in github if line.startswith("::notice file=")]
    assert len(commands) == 9 and commands[0].startswith("::notice file=locale/es/exercise-")
    summary = github.index(
        "::notice title=more findings::GitHub shows 10 annotations of each kind per step; "
        "this step's log has the rest: 65 more notices"  # (with the menus' and the terms')
    )
    assert [line for line in github if line.startswith("::warning")] == [
        "::warning file=content/es/exercises/p006.md,line=3,title=stale translation::stale: "
        "source 2099-01-01 (front matter), translation 2025-01-01, 27028 days behind"
    ]
    assert summary == 10 and github[summary + 1].startswith("::stop-commands::")
    start, *logged, end = github[summary + 1 :]
    assert start.startswith("::stop-commands::") and end == f"::{start[17:]}::"
    assert len(logged) == 65 and logged[0].startswith("locale/es/exercise-")
    assert logged[0] == (
        "locale/es/exercise-spine-stretch-forward-9.po:1: notice: 0% translated: "
        "0 fuzzy, 57 untranslated"
    )

    markdown = extrans(site, "status", "-f", "markdown")[1]
    assert "<details><summary>Pages that need work: 72, the 50 most urgent</summary>" in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| `content/en/")]
    assert len(rows) == 50 and rows[0].startswith("| `content/en/exercises/p006.md` | es | 0% |")
    assert markdown.index("</details>") < markdown.index("And 22 more: `extrans status` lists")
    # (the example's menus and terms: site strings, after the pages)
    assert markdown.index("</details>") < markdown.index("### Site strings")
    assert markdown.endswith(
        "| `hugo.toml` | es | 0% | not built |\n| `content/en` | es | 0% | not built |\n"
    )


def test_notes_say_only_what_is_true(translated: Path, extrans: Run) -> None:
    """A translation that check rejects is counted broken, not translated; a page made by
    hand without lastmod is not called stale; an untranslated entry alone is no sign that
    the text changed."""
    catalog = translated / "locale/es/exercise-saw.po"
    edit(catalog, '"Una torsión en posición', '"**Una torsión en posición')
    spanish = translated / "content/es/exercises/swan-dive.md"
    edit(spanish, "lastmod: 2025-04-08\n", "")
    edit(translated / "locale/es/exercise-roll-up.po", 'msgstr "Roll Up', 'msgstr "')
    document = json.loads(extrans(translated, "status", "-f", "json")[1])
    pages = {page["page"]: page for page in document["pages"]}
    saw = pages[SAW]
    assert (saw["broken"], saw["translated"], saw["entries"]) == (1, 23, 24)
    assert document["languages"][0]["totals"]["broken"] == 1
    swan = pages["content/en/exercises/swan-dive.md"]
    assert (swan["stale"], swan["stale_days"], swan["localized_lastmod"]) == (False, None, None)
    roll = pages["content/en/exercises/roll-up.md"]
    assert roll["untranslated"] == 1 and not roll["lastmod_not_bumped"]
    table = extrans(translated, "status")[1]
    assert "0 fuzzy, 1 broken, 1 untranslated; 0 stale of 8 pages" in table
    assert "1 broken (extrans check finds errors: not used)" in table
    assert "the translation has no lastmod: whether it is current is unknown" in table
    assert "did not move" not in table


def test_use_fuzzy_keeps_the_old_translation_in_the_page_and_counts_it_stale(
    translated: Path, extrans: Run
) -> None:
    """A one-word edit of the source must not put English back into a published page: with
    ``use-fuzzy``, build keeps the fuzzy translation there, and status calls the page stale
    until a translator reviews it."""
    edit(
        translated / SAW,
        "Keep both hips heavy on the mat",
        "Keep both hips heavy and still on the mat",
    )
    assert extrans(translated, "extract")[0] == 0
    spanish = translated / "content/es/exercises/saw.md"
    old = "Mantén las dos caderas pesadas sobre la colchoneta mientras giras"
    config = translated / "extrans.toml"
    plain = config.read_text(encoding="utf-8")
    config.write_text('use-fuzzy = ["es"]\n' + plain, encoding="utf-8")
    assert extrans(translated, "build", "--force")[0] == 0
    assert old in spanish.read_text(encoding="utf-8")
    code, out, err = extrans(translated, "status", "--fail-on-stale", "exercises/saw.md")
    assert code == 1 and "1 fuzzy translations in the page, awaiting review (use-fuzzy)" in out
    assert "content/es/exercises/saw.md: stale, 1 fuzzy translations awaiting review" in err
    config.write_text(plain, encoding="utf-8")  # without it, the English text is back
    assert extrans(translated, "build", "--force")[0] == 0
    text = spanish.read_text(encoding="utf-8")
    assert old not in text and "Keep both hips heavy and still on the mat" in text
    config.write_text('use-fuzzy = ["fr"]\n' + plain, encoding="utf-8")
    assert extrans(translated, "status")[2] == (
        "extrans.toml:1: error: 'use-fuzzy' lists 'fr', not a target language\n"
    )


def test_a_link_to_the_page_in_the_same_language_is_a_good_translation(
    translated: Path, extrans: Run
) -> None:
    """Hand translations link to ``/es/...``: check accepts it, build uses it, and the page
    stays fully translated."""
    catalog = translated / "locale/es/exercise-swan-dive.po"
    edit(
        catalog,
        '[Hundred](/exercises/the-hundred/ \\"El ',
        '[Hundred](/es/exercises/the-hundred/ \\"El ',
    )
    assert extrans(translated, "check")[0] == 0
    assert extrans(translated, "build", "--force")[0] == 0
    spanish = (translated / "content/es/exercises/swan-dive.md").read_text(encoding="utf-8")
    assert "[Hundred](/es/exercises/the-hundred/" in spanish
    edit(catalog, "(/es/exercises/the-hundred/", "(/fr/exercises/the-hundred/")
    code, out, _ = extrans(translated, "check")
    assert code == 1 and "error[link-target]" in out and "/fr/exercises/the-hundred/" in out
