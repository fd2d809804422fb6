"""The process map: results in order whatever process ran an item, the job handed to every
worker, progress, and what happens when a worker fails or is killed, when the process that
started the workers is killed, and on Ctrl-C."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from extrans.plumbing.collector import kept_until_end
from extrans.plumbing.parallel import WorkerError, map_in_order

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def square_with_pid(offset: int, item: int) -> tuple[int, int, int]:
    time.sleep(0.0005)  # long enough that every worker gets chunks
    return item, item * item + offset, os.getpid()


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 63, 64, 65, 1000])
def test_results_come_in_item_order_whatever_process_ran_them(jobs: int, count: int) -> None:
    results = map_in_order(square_with_pid, 7, range(count), jobs=jobs)
    assert [(item, value) for item, value, _ in results] == [(i, i * i + 7) for i in range(count)]
    processes = {pid for _, _, pid in results}
    if jobs > 1 and count >= 64:  # the first item here, the others in workers
        assert len(processes - {os.getpid()}) > 1
    else:
        assert processes <= {os.getpid()}
    assert no_children_left()


def test_every_worker_gets_the_job_as_it_is_without_pickling() -> None:
    """The job is handed over by the fork: even one that cannot be pickled (it holds a
    lambda) reaches every worker."""
    job = {"scale": lambda item: item * 3}

    def scale(job: dict[str, Callable[[int], int]], item: int) -> tuple[int, int]:
        time.sleep(0.002)  # (else the first worker can take every chunk before the other starts)
        return job["scale"](item), os.getpid()

    results = map_in_order(scale, job, range(200), jobs=2)
    assert [value for value, _ in results] == [3 * i for i in range(200)]
    assert len({pid for _, pid in results} - {os.getpid()}) == 2


_loaded_by: int | None = None


def load_on_first_use(job: None, item: int) -> tuple[bool, int]:
    """Like a page worker: loads something (a module, a cache) the first time it runs."""
    global _loaded_by
    loading = _loaded_by is None
    if loading:
        _loaded_by = os.getpid()
    time.sleep(0.0005)
    return loading, os.getpid()


def test_workers_start_with_what_the_first_item_loaded() -> None:
    global _loaded_by
    _loaded_by = None
    results = map_in_order(load_on_first_use, None, range(300), jobs=3)
    assert [loading for loading, _ in results] == [True] + [False] * 299
    assert len({pid for _, pid in results}) == 4  # the first here, then 3 workers loading nothing
    assert _loaded_by == os.getpid()


def test_kept_results_are_out_of_the_collectors_walks_until_the_run_ends() -> None:
    """The workers' results, kept, are no young objects for the next collections to walk
    (they live to the end of the run), and are given back to the collector when it ends."""

    def listed(job: None, item: int) -> list[int]:
        return [item]

    with kept_until_end():
        kept = map_in_order(listed, None, range(500), jobs=2, keep=True)
        assert gc.isenabled() and gc.get_freeze_count() > 500
        assert not any(found is kept[-1] for found in gc.get_objects())
        plain = map_in_order(listed, None, range(500), jobs=2)
        assert any(found is plain[-1] for found in gc.get_objects())
    assert gc.get_freeze_count() == 0
    assert any(found is kept[-1] for found in gc.get_objects())


def test_a_process_that_froze_objects_before_a_run_keeps_them_frozen() -> None:
    """The collector cannot give back only the run's objects: a process that froze its own
    (a server before it forks) finds them frozen after the run, with the run's."""
    mine = [[number] for number in range(100)]
    gc.freeze()
    try:
        with kept_until_end():
            map_in_order(lambda job, item: [item], None, range(200), jobs=2, keep=True)
        assert not any(found is mine for found in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(found is mine for found in gc.get_objects())


def test_progress_counts_up_to_every_item() -> None:
    seen: list[tuple[int, int]] = []
    map_in_order(square_with_pid, 0, range(500), jobs=2, progress=lambda *p: seen.append(p))
    assert seen[0] == (1, 500) and seen[-1] == (500, 500)
    assert all(total == 500 for _, total in seen)
    counts = [done for done, _ in seen]
    assert counts == sorted(counts) and len(set(counts)) > 10


def test_an_exception_in_a_worker_is_raised_with_its_traceback_and_stops_the_rest(
    tmp_path: Path,
) -> None:
    caller = os.getpid()
    log = tmp_path / "done.log"

    def fail_in_worker(job: None, item: int) -> int:
        if os.getpid() != caller and item == 100:
            raise ValueError(f"item {item} is bad")
        time.sleep(0.002)
        with log.open("a") as out:
            out.write(f"{item}\n")
        return item

    with pytest.raises(ValueError, match=r"item 100 is bad") as raised:
        map_in_order(fail_in_worker, None, range(5000), jobs=2)
    assert "fail_in_worker" in str(raised.value.__cause__)  # the worker's traceback
    assert no_children_left()
    assert len(log.read_text().splitlines()) < 1000  # the other worker stopped early


def test_a_killed_worker_is_an_error_not_a_hang() -> None:
    caller = os.getpid()

    def killed_in_worker(job: None, item: int) -> int:
        if os.getpid() != caller:
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.001)
        return item

    with pytest.raises(WorkerError) as raised:
        map_in_order(killed_in_worker, None, range(200), jobs=2)
    assert str(raised.value) == (
        "a worker process was killed before sending its results; every file is whole "
        "(as it was, or as it should be): run the command again"
    )
    assert no_children_left()


def _map_in_a_process(log: Path, *, new_session: bool) -> subprocess.Popen[bytes]:
    """A process mapping slow work over 2 workers, each item logged, and where ``done`` is
    when the map was interrupted with Ctrl-C; once the work has begun."""
    script = textwrap.dedent(
        f"""
        import os, sys, time
        from extrans.plumbing.parallel import map_in_order

        def work(job, item):
            time.sleep(0.02)
            with open({str(log)!r}, "a") as out:
                out.write(f"{{os.getpid()}} {{item}}\\n")
            return item

        try:
            map_in_order(work, None, range(2000), jobs=2)
        except KeyboardInterrupt:
            sys.exit(130)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=new_session)
    deadline = time.monotonic() + 30
    while (
        not log.exists() or len(log.read_text().split("\n")) < 20
    ) and time.monotonic() < deadline:
        time.sleep(0.01)
    return process


def _logged_once_settled(log: Path) -> list[str]:
    """The items logged, once nothing more is logged."""
    time.sleep(1.0)  # a chunk is at most 8 items of 0.02 s
    lines = log.read_text().splitlines()
    time.sleep(0.5)
    assert log.read_text().splitlines() == lines  # nothing more is done
    return lines


def test_workers_stop_when_the_calling_process_is_killed(tmp_path: Path) -> None:
    """A worker whose caller is gone (SIGKILL) ends: it does not go on writing files while
    a new run holds the lock."""
    log = tmp_path / "done.log"
    caller = _map_in_a_process(log, new_session=False)
    caller.kill()
    caller.wait()
    assert len(_logged_once_settled(log)) < 200


def test_ctrl_c_stops_every_worker_at_once(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the workers end there and then, and the
    caller gets its KeyboardInterrupt."""
    log = tmp_path / "done.log"
    caller = _map_in_a_process(log, new_session=True)
    os.killpg(caller.pid, signal.SIGINT)
    assert caller.wait(timeout=10) == 130
    assert len(_logged_once_settled(log)) < 200
