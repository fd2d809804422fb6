"""The file system edge: atomic writes, plain reads, and symlinks that lead out of the site."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.errors import ExtransError, PageError
from extrans.plumbing.fsio import atomic_write, inside, read_all, read_optional, read_with_state
from extrans.site.pages import read_page_text


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    return site


def test_a_new_file_and_its_folders_are_made(root: Path) -> None:
    target = root / "locale" / "es" / "deep" / "page.po"
    atomic_write(target, b'msgid ""\n', root=root)
    assert target.read_bytes() == b'msgid ""\n'
    assert [p.name for p in target.parent.iterdir()] == ["page.po"]  # no temporary left


def test_an_existing_file_keeps_its_permissions(root: Path) -> None:
    target = root / "page.po"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(str(target), b"new", root=str(root))
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlink_inside_the_site_is_replaced_by_the_file(root: Path) -> None:
    real = root / "real.po"
    real.write_bytes(b"old")
    link = root / "link.po"
    link.symlink_to(real)
    atomic_write(link, b"new", root=root)
    assert not link.is_symlink() and link.read_bytes() == b"new"
    assert real.read_bytes() == b"old"


def test_writes_that_a_symlink_would_lead_out_are_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "locale").symlink_to(outside)  # a folder leading out
    with pytest.raises(ExtransError, match="refusing to write outside the site"):
        atomic_write(root / "locale" / "es" / "page.po", b"x", root=root)
    (root / "out.po").symlink_to(outside / "target.po")  # a file leading out
    with pytest.raises(ExtransError, match="refusing to write outside the site"):
        atomic_write(root / "out.po", b"x", root=root)
    assert list(outside.iterdir()) == []


def test_inside(root: Path, tmp_path: Path) -> None:
    assert inside(root, root / "content" / "a.md")  # need not exist
    assert inside(root, root)
    assert not inside(root, tmp_path / "site-other" / "a.md")  # a prefix is not a parent
    (root / "content" / "out.md").symlink_to(tmp_path / "elsewhere.md")
    assert not inside(root, root / "content" / "out.md")


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 300_000])
def test_read_optional_reads_whole_files(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    (tmp_path / "f").write_bytes(data)
    assert read_optional(tmp_path / "f") == data
    assert read_optional(str(tmp_path / "missing")) is None


@pytest.mark.parametrize("told", [0, 10, 99, 100, 101, 5000])
def test_read_all_reads_to_the_end_whatever_size_it_was_told(tmp_path: Path, told: int) -> None:
    # (a file that grew between the stat and the read, or shrank)
    data = bytes(range(100))
    (tmp_path / "f").write_bytes(data)
    handle = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        assert read_all(handle, told) == data
    finally:
        os.close(handle)


def test_pages_through_symlinks(root: Path, tmp_path: Path) -> None:
    content = root / "content"
    (content / "real.md").write_text("---\ntitle: Real\n---\n", encoding="utf-8")
    (content / "alias.md").symlink_to(content / "real.md")
    assert read_page_text(content / "alias.md", "alias.md", content).startswith("---")
    (tmp_path / "secret.md").write_text("secret", encoding="utf-8")
    (content / "secret.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(PageError, match="symlink to a file outside the content folder"):
        read_page_text(content / "secret.md", "secret.md", content)
    (content / "dangling.md").symlink_to(content / "gone.md")
    with pytest.raises(PageError, match="cannot read"):
        read_page_text(os.fspath(content / "dangling.md"), "dangling.md", content)


def test_a_page_in_a_folder_that_leads_out_is_refused(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "page.md").write_text("text", encoding="utf-8")
    (root / "content" / "section").symlink_to(elsewhere)
    with pytest.raises(PageError, match="outside the content folder"):
        read_page_text(root / "content" / "section" / "page.md", "page.md", root / "content")


def test_the_lock_says_when_the_last_run_may_have_been_killed(root: Path) -> None:
    from extrans.plumbing.fsio import site_lock

    with site_lock(root) as unclean:
        assert unclean  # no run on record
    with site_lock(root) as unclean:
        assert not unclean  # the last run let go of the lock
    (root / ".extrans-cache" / "lock").write_text("pid 12345\n", encoding="utf-8")  # killed
    with site_lock(root) as unclean:
        assert unclean
    with pytest.raises(KeyboardInterrupt), site_lock(root):
        raise KeyboardInterrupt  # Ctrl-C: a temporary file may be left, as after a kill
    with site_lock(root) as unclean:
        assert unclean
    with site_lock(root) as unclean:
        assert not unclean


def test_a_check_shares_the_lock_and_writes_nothing(root: Path) -> None:
    from extrans.plumbing.fsio import site_lock

    with site_lock(root, writing=False) as unclean:
        assert not unclean  # (a check clears nothing a killed run left)
    assert not (root / ".extrans-cache").exists()  # no lock on record: none taken
    with site_lock(root):
        pass
    lock = root / ".extrans-cache" / "lock"
    lock.write_text("pid 12345\n", encoding="utf-8")
    held = "still holds the site's lock after 0.1 s"
    with site_lock(root, writing=False), site_lock(root, writing=False):
        assert lock.read_text(encoding="utf-8") == "pid 12345\n"  # shared, and not written
        with pytest.raises(ExtransError, match=held), site_lock(root, timeout=0.1):
            pass  # a run that writes waits for the checks
    with (
        site_lock(root),
        pytest.raises(ExtransError, match=held),
        site_lock(root, timeout=0.1, writing=False),
    ):
        pass  # and a check for a run that writes


def test_a_write_that_expects_the_file_as_read_replaces_only_that_file(root: Path) -> None:
    target = root / "locale" / "a.po"
    target.parent.mkdir()
    target.write_bytes(b"read")
    data, state = read_with_state(target, "locale/a.po", root)
    assert data == b"read"
    assert atomic_write(target, b"ours", root=root, expected=state)  # nobody wrote it since
    assert target.read_bytes() == b"ours"
    _, state = read_with_state(target, "locale/a.po", root)
    saves: dict[str, Callable[[], object]] = {
        "saved in place": lambda: target.write_bytes(b"save"),  # same size
        "saved by rename": lambda: os.replace(target.with_name("x"), target),
        "deleted": target.unlink,
    }
    for name, change in saves.items():
        target.with_name("x").write_bytes(b"save")
        change()
        kept = target.read_bytes() if target.exists() else None
        assert not atomic_write(target, b"ours", root=root, expected=state), name
        assert (target.read_bytes() if target.exists() else None) == kept, name
        assert not list(target.parent.glob(".*.tmp")), name  # no temporary left
        target.write_bytes(b"ours")
        _, state = read_with_state(target, "locale/a.po", root)
    new = root / "locale" / "b.po"
    _, missing = read_with_state(new, "locale/b.po", root)
    new.write_bytes(b"made meanwhile")
    assert not atomic_write(new, b"ours", root=root, expected=missing)
    assert new.read_bytes() == b"made meanwhile"
    new.unlink()
    assert atomic_write(new, b"ours", root=root, expected=missing)


def test_a_write_that_expects_a_file_leaves_a_fifo_put_in_its_place(root: Path) -> None:
    target = root / "page.po"
    target.write_bytes(b"read")
    _, state = read_with_state(target, "page.po", root)
    target.unlink()
    os.mkfifo(target)  # (opened to be compared, it would block a run that waited for a writer)
    assert not atomic_write(target, b"ours", root=root, expected=state)
    assert stat.S_ISFIFO(target.lstat().st_mode)
    assert sorted(p.name for p in root.iterdir()) == ["content", "page.po"]  # no temporary left
