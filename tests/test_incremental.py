"""The cache and --jobs change how fast a run is, never what it writes: after random edits
to pages, catalogs and configuration, runs with the cache and over two processes write the
same files as single-process runs without it."""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import REPO, invoke_cli, tree

PAGES = 72  # above the size from which work goes to worker processes


def _no_pages(page: str, key: str) -> frozenset[str] | None:
    """The outputs of a cache that only stamps files (no page entry is kept)."""
    return None


def make_site(root: Path) -> Path:
    (root / "content/en/exercises").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    sources = sorted(
        p for p in (REPO / "content/en/exercises").glob("*.md") if p.name != "_index.md"
    )
    for i in range(PAGES):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        text = re.sub(r"(translationKey[\"\s:=]+[\"']?)([\w-]+)", rf"\g<1>\g<2>-{i}", text, count=1)
        (root / f"content/en/exercises/p{i:03d}.md").write_text(text, encoding="utf-8")
    return root


def run(site: Path, *args: str) -> int:
    code, _, err = invoke_cli("--site", str(site), *args)
    assert code == 0, err
    return code


def outputs(site: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(site).items() if not k.startswith(".extrans-cache/")}


def status_of(site: Path, *options: str) -> object:
    """What ``status --format json`` reports, less the moment it was made."""
    code, out, err = invoke_cli("--site", str(site), "status", "--format", "json", *options)
    assert code == 0, err
    report = json.loads(out)
    del report["generated"]
    return report


def edit_pages(site: Path, rng: random.Random) -> None:
    pages = sorted((site / "content/en/exercises").glob("*.md"))
    for page in rng.sample(pages, 4):
        text = page.read_text(encoding="utf-8")
        choice = rng.randrange(4)
        if choice == 0:
            text = text.replace("the", "the whole", 1)
        elif choice == 1:
            text = text.rstrip("\n") + "\n\nA new closing paragraph.\n"
        elif choice == 2:
            text = re.sub(r"(lastmod[\"\s:=]+[\"']?)\d{4}", r"\g<1>2030", text, count=1)
        else:
            text = text.replace("## Benefits", "## Main Benefits")
        page.write_text(text, encoding="utf-8")
    if rng.random() < 0.3:
        rng.choice(pages).unlink()


def edit_catalogs(site: Path, rng: random.Random) -> None:
    catalogs = sorted((site / "locale/es").glob("*.po"))
    for catalog in rng.sample(catalogs, min(5, len(catalogs))):
        text = catalog.read_text(encoding="utf-8")
        empty = [m.start() for m in re.finditer(r'^msgstr ""\n\n', text, re.M)]
        for at in sorted(rng.sample(empty, min(len(empty), 12)), reverse=True):
            text = text[:at] + 'msgstr "Traducido"\n\n' + text[at + len('msgstr ""\n\n') :]
        catalog.write_text(text, encoding="utf-8")


def edit_config(site: Path, rng: random.Random) -> None:
    config = site / "extrans.toml"
    text = config.read_text(encoding="utf-8")
    if rng.random() < 0.5:
        text = text.replace('"faq[].a",', '"faq[].a", "author",', 1)
    else:
        text = "line-numbers = true\n" + text if "line-numbers" not in text else text
    config.write_text(text, encoding="utf-8")


EDITS: list[Callable[[Path, random.Random], None]] = [
    edit_pages,
    edit_catalogs,
    edit_pages,
    edit_config,
    edit_catalogs,
    edit_pages,
]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_cache_and_jobs_write_what_plain_runs_write(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    fast = make_site(tmp_path / "fast")
    plain = make_site(tmp_path / "plain")
    for step, edit in enumerate(EDITS):
        reports = []
        for site, options in ((fast, ["--jobs", "2"]), (plain, ["--jobs", "1", "--no-cache"])):
            assert run(site, "extract", *options) == 0
            assert run(site, "build", "--threshold", "0", *options) == 0
            rng = random.Random(seed * 100 + step)  # the same edits on both sites
            edit(site, rng)
            reports.append(status_of(site, *(["--no-cache"] if site == plain else [])))
        assert outputs(fast) == outputs(plain), f"step {step}: {edit.__name__}"
        assert reports[0] == reports[1], f"step {step}: {edit.__name__}"
    for site in (fast, plain):
        assert run(site, "extract") == 0
        assert run(site, "build", "--threshold", "0") == 0
    assert outputs(fast) == outputs(plain)


def test_a_damaged_or_stale_cache_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    site = make_site(tmp_path / "site")
    assert run(site, "extract") == 0
    expected = outputs(site)
    cache = site / ".extrans-cache/extract.json"
    cache.write_text("{not json", encoding="utf-8")
    assert run(site, "extract") == 0 and outputs(site) == expected
    # A cache that says a page is up to date, while its catalog was deleted behind its back.
    (site / "locale/es/exercise-saw-2.po").unlink()
    assert run(site, "extract") == 0
    assert outputs(site) == expected
    # A cache from other settings is ignored.
    config = site / "extrans.toml"
    config.write_text(
        "line-numbers = true\n" + config.read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert run(site, "extract") == 0
    assert "content/en/exercises/p002.md:" in (site / "locale/es/exercise-saw-2.po").read_text(
        encoding="utf-8"
    )


def test_the_build_record_hash_holds_the_cache_digest() -> None:
    """build skips hashing a page twice: the cache's digest is the start of the record's."""
    from extrans.site.cache import digest
    from extrans.stages.build_record import record_hash

    for data in (b"", b"---\ntitle: x\n---\n", bytes(range(256)) * 40):
        assert digest(data) == record_hash(data)[:32]
    assert digest(None) == "-"


def test_many_files_are_looked_at_over_processes_as_in_one(tmp_path: Path) -> None:
    """Hashes and stamps are the same whether many files are looked at in one process or
    over several, the first time (everything read) and the next (stamps used)."""
    import time

    from extrans.site.cache import PARALLEL_FROM, RACY_SECONDS, PageCache

    names = [f"d{i % 7}/f{i}.po" for i in range(PARALLEL_FROM + 50)]
    for i, name in enumerate(names):
        if i % 5:  # every fifth file is missing
            (tmp_path / name).parent.mkdir(exist_ok=True)
            (tmp_path / name).write_bytes(f"msgid {i}\n".encode() * (i % 3))
    time.sleep(RACY_SECONDS + 0.2)  # every file has settled: each gets a stamp
    caches = [PageCache.load(tmp_path, "extract", "f", expected=_no_pages) for _ in range(2)]
    spread = caches[0].look(tmp_path, names, jobs=2).hashes
    assert list(spread) == names
    assert spread == caches[1].look(tmp_path, names, jobs=1).hashes
    assert sum(value is None for value in spread.values()) == (len(names) + 4) // 5
    assert caches[0].files == caches[1].files
    assert len(caches[0].files) == len(names) - (len(names) + 4) // 5
    (tmp_path / names[1]).write_bytes(b"changed\n")  # just written: read, and unstamped
    again = caches[0].look(tmp_path, names, jobs=2).hashes
    assert again == {**spread, names[1]: hashlib.sha256(b"changed\n").hexdigest()}
    assert caches[0].files.keys() == caches[1].files.keys() - {names[1]}


def test_a_look_inspects_the_files_it_reads_and_only_those(tmp_path: Path) -> None:
    """``inspect`` sees the bytes of each of the first ``inspected`` files that is read, the
    same over processes as in one; a file whose stamp says it did not change is not read,
    so not inspected."""
    import time

    from extrans.site.cache import PARALLEL_FROM, RACY_SECONDS, PageCache

    names = [f"f{i}.md" for i in range(PARALLEL_FROM + 50)]
    for i, name in enumerate(names[1:], 1):  # the first is missing
        (tmp_path / name).write_bytes(b"x" * i)
    first = len(names) // 2

    def inspect(name: str, data: bytes) -> tuple[str, int]:
        return name, len(data)

    expected = {name: (name, i) for i, name in enumerate(names[1:first], 1)}
    time.sleep(RACY_SECONDS + 0.2)
    looks = [
        PageCache.load(tmp_path, "extract", "f", expected=_no_pages).look(
            tmp_path, names, jobs, inspect=inspect, inspected=first
        )
        for jobs in (1, 2)
    ]
    assert looks[0].inspected == looks[1].inspected == expected
    assert looks[0].hashes == looks[1].hashes
    cache = PageCache.load(tmp_path, "extract", "f", expected=_no_pages)
    cache.look(tmp_path, names)  # stamps every file
    (tmp_path / names[3]).write_bytes(b"changed")
    again = cache.look(tmp_path, names, 2, inspect=inspect, inspected=first)
    assert again.inspected == {names[3]: (names[3], 7)}


def test_a_look_that_must_read_files_spreads_over_processes_sooner(tmp_path: Path) -> None:
    """Files without a stamp are read, not only ``stat``-ed: a cold look at too few files
    to spread if they were stamped (a small site's first run) is spread all the same."""
    import os
    import time

    from extrans.site.cache import PARALLEL_FROM, READ_COST, PageCache

    names = [f"f{i}.md" for i in range(PARALLEL_FROM // (READ_COST + 1) + 10)]
    assert len(names) < PARALLEL_FROM
    for name in names:
        (tmp_path / name).write_bytes(b"x")

    def inspect(name: str, data: bytes) -> int:
        time.sleep(0.002)  # (so that each worker gets its share)
        return os.getpid()

    cache = PageCache.load(tmp_path, "extract", "f", expected=_no_pages)
    looked = cache.look(tmp_path, names, 2, inspect=inspect, inspected=len(names))
    assert len(looked.inspected) == len(names)
    assert os.getpid() in looked.inspected.values()  # the first part, before the workers
    assert len(set(looked.inspected.values())) == 3  # and 2 workers


def test_file_stamps_spare_reads_but_never_hide_a_change(tmp_path: Path) -> None:
    """A file is read again when its inode says it may have changed, even with the same size
    and its modification time set back; a stamp is only taken of a file that has settled."""
    import os
    import time

    from extrans.site.cache import RACY_SECONDS, PageCache

    page = tmp_path / "content" / "en" / "a.md"
    page.parent.mkdir(parents=True)
    page.write_bytes(b"version one\n")
    old = time.time() - 10 * RACY_SECONDS
    os.utime(page, (old, old))
    cache = PageCache.load(tmp_path, "extract", "f", expected=_no_pages)
    first = cache.look(tmp_path, ["content/en/a.md", "content/en/gone.md"]).hashes
    assert first["content/en/gone.md"] is None
    assert "content/en/a.md" not in cache.files  # just written: not stamped yet
    time.sleep(RACY_SECONDS + 0.2)
    settled = cache.look(tmp_path, ["content/en/a.md"]).hashes
    assert settled == {"content/en/a.md": first["content/en/a.md"]}
    assert cache.files["content/en/a.md"].endswith(" " + str(first["content/en/a.md"]))
    cache.keep_only(set())  # (the file was looked at: its stamp stays)
    cache.save(tmp_path)
    again = PageCache.load(tmp_path, "extract", "f", expected=_no_pages)
    assert again.files == cache.files
    page.write_bytes(b"version two\n")  # same size
    os.utime(page, (old, old))  # and the old modification time
    changed = again.look(tmp_path, ["content/en/a.md"]).hashes["content/en/a.md"]
    assert changed is not None and changed != first["content/en/a.md"]


def test_damaged_file_stamps_are_ignored(tmp_path: Path) -> None:
    """A stamp that is not text is dropped (its file is read again); a page entry of the
    wrong shape makes the whole cache ignored."""
    from extrans.site.cache import PageCache

    (tmp_path / ".extrans-cache").mkdir()
    saved = tmp_path / ".extrans-cache" / "extract.json"
    saved.write_text(
        '{"fingerprint": "f", "pages": {}, "files": {"a.md": [1, 2], "b.md": "1 2 3 x"}}',
        encoding="utf-8",
    )
    assert PageCache.load(tmp_path, "extract", "f", expected=_no_pages).files == {"b.md": "1 2 3 x"}
    (tmp_path / "b.md").write_text("b\n", encoding="utf-8")
    hashed = (
        PageCache.load(tmp_path, "extract", "f", expected=_no_pages).look(tmp_path, ["b.md"]).hashes
    )
    assert hashed == {"b.md": hashlib.sha256(b"b\n").hexdigest()}  # the stamp matched nothing
    saved.write_text('{"fingerprint": "f", "pages": {"a.md": {"source": "s"}}, "files": {}}')
    cache = PageCache.load(tmp_path, "extract", "f", expected=_no_pages)
    assert cache.files == {} and cache.entries == {}
