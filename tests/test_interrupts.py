"""Runs killed with SIGKILL at many points, and two runs at once, never leave a file half
written: each file is as it was or as it should be, and the next run completes normally."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, tree

PAGES = 160
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600"}


def make_site(root: Path) -> Path:
    """The example exercise pages, many times over, each with its own key."""
    (root / "content/en").mkdir(parents=True)
    for name in ("hugo.toml", "extrans.toml"):
        shutil.copy(REPO / name, root / name)
    sources = sorted(
        p.read_text(encoding="utf-8")
        for p in (REPO / "content/en/exercises").glob("*.md")
        if p.name != "_index.md"
    )
    for i in range(PAGES):
        text = re.sub(
            r"(translationKey[\"\s:=]+[\"']?)([\w-]+)",
            rf"\g<1>\g<2>-{i}",
            sources[i % len(sources)],
            count=1,
        )
        (root / f"content/en/p{i:04d}.md").write_text(
            text.replace("Success", f"Success {i}"), "utf-8"
        )
    return root


def extrans(site: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "extrans", "--site", str(site), *args],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def finish(site: Path, *args: str) -> tuple[int, str]:
    process = extrans(site, *args)
    _, err = process.communicate(timeout=300)
    return process.returncode, err.decode()


def outputs(site: Path) -> dict[str, bytes]:
    return {
        name: data
        for name, data in tree(site).items()
        if name.startswith(("locale/", "content/es/")) and not name.endswith("built-pages.json")
    }


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """What uninterrupted runs write: after extract; after translating and building."""
    site = make_site(tmp_path_factory.mktemp("reference"))
    assert finish(site, "extract")[0] == 0
    extracted = outputs(site)
    translate(site)
    assert finish(site, "build")[0] == 0
    return extracted, outputs(site)


def translate(site: Path) -> None:
    for catalog in (site / "locale/es").glob("*.po"):
        text = catalog.read_text(encoding="utf-8")
        text = re.sub(r'^msgid "(.+)"\nmsgstr ""$', r'msgid "\1"\nmsgstr "\1"', text, flags=re.M)
        catalog.write_text(text, encoding="utf-8")


def kill_at_many_points(site: Path, expected: dict[str, bytes], *args: str) -> int:
    """Start the run, SIGKILL it after a growing delay, and check that every file is as it
    was or as it should be, again and again; return how many kills landed mid-run."""
    before = outputs(site)
    landed = 0
    for delay in [0.05 * n for n in range(1, 80)]:
        process = extrans(site, *args)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            landed += 1
        process.communicate()
        for name, data in outputs(site).items():
            if re.search(r"/\.[^/]+\.tmp$", name):
                continue  # a killed run's temporary file: the next run clears it
            assert data in (before.get(name), expected.get(name)), name
        if process.returncode == 0:
            break
    return landed


@pytest.mark.slow
def test_sigkill_during_extract_and_build(
    tmp_path: Path, reference: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    extracted, built = reference
    site = make_site(tmp_path / "site")
    assert kill_at_many_points(site, extracted, "extract") >= 3
    assert finish(site, "extract")[0] == 0
    assert outputs(site) == extracted
    translate(site)
    assert kill_at_many_points(site, built, "build") >= 3
    code, err = finish(site, "build")
    assert code == 0, err
    assert "left alone" not in err  # pages written before a kill are still known as ours
    assert outputs(site) == built
    assert not [p for p in site.rglob("*.tmp")]


def test_a_second_run_waits_for_the_first(
    tmp_path: Path, reference: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    """The lock is held (as by a first run, pid written in it) when the second run starts:
    it says so, waits, and goes on once the lock is let go."""
    site = make_site(tmp_path / "site")
    (site / ".extrans-cache").mkdir()
    with (site / ".extrans-cache/lock").open("a+") as held:
        held.write(f"pid {os.getpid()}\n")
        held.flush()
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        second = extrans(site, "extract")
        time.sleep(1.0)
        assert second.poll() is None  # still waiting
        held.seek(0)
        held.truncate()  # the first run ends cleanly
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert f"waiting for another extrans run (pid {os.getpid()}) to finish..." in err.decode()
    assert outputs(site) == reference[0]


def test_a_run_gives_up_after_the_lock_timeout(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    (site / ".extrans-cache").mkdir()
    with (site / ".extrans-cache/lock").open("a+") as held:
        held.write("pid 12345\n")
        held.flush()
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, err = finish(site, "--lock-timeout", "0.3", "extract")
    assert code == 2
    assert "waiting for another extrans run (pid 12345) to finish..." in err
    assert "error: another extrans run still holds the site's lock after 0.3 s" in err
    assert not (site / "locale").exists()


def test_what_the_lock_holds_is_quoted_escaped_and_short(tmp_path: Path) -> None:
    """The lock is a file: what a message quotes of it is escaped and 40 characters at most."""
    site = make_site(tmp_path / "site")
    (site / ".extrans-cache").mkdir()
    with (site / ".extrans-cache/lock").open("a+") as held:
        held.write("\x1b[2Jpid 1\nerror: forged " + "x" * 100 + "\n")
        held.flush()
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, err = finish(site, "--lock-timeout", "0.3", "build", "--check")
    assert code == 2
    assert err.splitlines() == [
        "waiting for another extrans run (\\x1b[2Jpid 1\\nerror: forged xxxxxxxxxxxxxxxx) "
        "to finish...",
        ".extrans-cache/lock: error: another extrans run still holds the site's lock after "
        "0.3 s; wait for it to end, or use --lock-timeout",
    ]


def workers_of(process: subprocess.Popen[bytes]) -> list[int]:
    """The worker processes of a run, as soon as it has started them."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        workers = [int(pid) for pid in children.read_text().split()]
        if workers:
            return workers
        time.sleep(0.002)
    pytest.fail("the run ended without starting workers")


def gone(pids: list[int]) -> bool:
    """Whether the processes have all ended (within a few seconds: a parentless one is
    reaped by init)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.01)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="lists children with /proc")
def test_ctrl_c_stops_every_worker_at_once(tmp_path: Path) -> None:
    """Ctrl-C reaches the run's whole process group: the workers end there and then, the run
    says so and exits 130."""
    site = make_site(tmp_path / "site")
    process = subprocess.Popen(
        [sys.executable, "-m", "extrans", "--site", str(site), "extract", "--jobs", "2"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    workers = workers_of(process)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.decode().splitlines()[-1] == "interrupted"
    assert gone(workers)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="lists children with /proc")
def test_a_killed_worker_fails_the_run_with_a_message(
    tmp_path: Path, reference: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    site = make_site(tmp_path / "site")
    process = extrans(site, "extract", "--jobs", "2")
    workers = workers_of(process)
    os.kill(workers[0], signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.decode().splitlines()[-1] == (
        "error: a worker process was killed before sending its results; every file is whole "
        "(as it was, or as it should be): run the command again"
    )
    assert gone(workers)
    assert finish(site, "extract")[0] == 0
    assert outputs(site) == reference[0]
