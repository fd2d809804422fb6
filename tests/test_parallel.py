"""The process map: results in order whatever process ran an item, progress, and what
happens when a worker fails, is killed, or loses the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from extrans.parallel import WorkerError, map_in_order, worker_context

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="helpers are forked")


def square_with_pid(item: int) -> tuple[int, int, int]:
    time.sleep(0.0005)  # long enough that every process gets chunks
    return item, item * item + worker_context(), os.getpid()


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 63, 64, 65, 1000])
def test_results_come_in_item_order_whatever_process_ran_them(jobs: int, count: int) -> None:
    results = map_in_order(square_with_pid, range(count), jobs=jobs, context=7)
    assert [(item, value) for item, value, _ in results] == [(i, i * i + 7) for i in range(count)]
    processes = {pid for _, _, pid in results}
    if jobs > 1 and count >= 64:  # the calling process works, and so do its helpers
        assert os.getpid() in processes and len(processes) > 1
    else:
        assert processes <= {os.getpid()}
    assert no_children_left()


_loaded_by: int | None = None


def load_on_first_use(item: int) -> tuple[bool, int]:
    """Like a page worker: loads something (a module, a cache) the first time it runs."""
    global _loaded_by
    loading = _loaded_by is None
    if loading:
        _loaded_by = os.getpid()
    time.sleep(0.0005)
    return loading, os.getpid()


def test_helpers_start_with_what_the_first_item_loaded() -> None:
    global _loaded_by
    _loaded_by = None
    results = map_in_order(load_on_first_use, range(300), jobs=3, context=None)
    assert [loading for loading, _ in results] == [True] + [False] * 299
    assert len({pid for _, pid in results}) == 3  # the helpers worked, and loaded nothing
    assert _loaded_by == os.getpid()


def test_progress_counts_up_to_every_item() -> None:
    seen: list[tuple[int, int]] = []
    map_in_order(square_with_pid, range(500), jobs=2, context=0, progress=lambda *p: seen.append(p))
    assert seen[-1] == (500, 500)
    assert all(total == 500 for _, total in seen)
    counts = [done for done, _ in seen]
    assert counts == sorted(counts) and len(set(counts)) > 10


def test_an_exception_in_a_helper_is_raised_with_its_traceback() -> None:
    caller = os.getpid()

    def fail_in_helper(item: int) -> int:
        if os.getpid() != caller:
            raise ValueError(f"item {item} is odd")
        time.sleep(0.001)
        return item

    with pytest.raises(ValueError, match=r"item \d+ is odd") as raised:
        map_in_order(fail_in_helper, range(200), jobs=2, context=None)
    notes = "".join(raised.value.__notes__)
    assert "in a worker process" in notes and "fail_in_helper" in notes
    assert no_children_left()


def test_an_exception_in_the_caller_stops_the_helpers() -> None:
    caller = os.getpid()

    def fail_in_caller(item: int) -> int:
        if os.getpid() == caller and item > 40:
            raise KeyError(item)
        time.sleep(0.001)
        return item

    with pytest.raises(KeyError):
        map_in_order(fail_in_caller, range(5000), jobs=2, context=None)
    assert no_children_left()  # stopped after their current item, and waited for


def test_a_killed_helper_is_an_error_not_a_hang() -> None:
    caller = os.getpid()

    def killed_in_helper(item: int) -> int:
        if os.getpid() != caller:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.001)
        return item

    with pytest.raises(WorkerError, match=r"killed by signal 9.*run the command again"):
        map_in_order(killed_in_helper, range(200), jobs=2, context=None)
    assert no_children_left()


def test_helpers_stop_when_the_calling_process_is_killed(tmp_path: Path) -> None:
    """A helper whose caller is gone (SIGKILL) ends after its current chunk: it does not
    go on writing files while a new run holds the lock."""
    log = tmp_path / "done.log"
    script = textwrap.dedent(
        f"""
        import os, time
        from extrans.parallel import map_in_order

        def work(item):
            time.sleep(0.02)
            with open({str(log)!r}, "a") as out:
                out.write(f"{{os.getpid()}} {{item}}\\n")
            return item

        map_in_order(work, range(2000), jobs=2, context=None)
        """
    )
    caller = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while (
        not log.exists() or len(log.read_text().split("\n")) < 20
    ) and time.monotonic() < deadline:
        time.sleep(0.01)
    caller.kill()
    caller.wait()
    time.sleep(1.0)  # a chunk is at most 8 items of 0.02 s
    lines = log.read_text().splitlines()
    time.sleep(0.5)
    assert log.read_text().splitlines() == lines  # nothing more is done
    assert len(lines) < 200
