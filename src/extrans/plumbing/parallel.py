"""Spread per-item work over processes, with results in item order.

The workers of a :class:`~concurrent.futures.ProcessPoolExecutor` are forked once the first
item is done in this process: each starts with the job (the map's shared, read-only input,
never pickled) and with what that item loaded (extrans imports its readers and writers only
when a page needs them); only items and results are pickled. Where ``fork`` does not exist
(Windows), the work runs in this process.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..errors import ExtransError
from .collector import collector_paused

__all__ = ["WorkerError", "default_jobs", "map_in_order"]

Job = TypeVar("Job")
Item = TypeVar("Item")
Result = TypeVar("Result")

CHUNK_SIZE = 8
"""Items per chunk, at most: a page takes a millisecond or two, so handing out a chunk
costs little against its work, and the last ones end close together."""


class WorkerError(ExtransError):
    """A worker process ended without sending its results (it was killed)."""


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_in_order(
    function: Callable[[Job, Item], Result],
    job: Job,
    items: Iterable[Item],
    *,
    jobs: int,
    small: int = 64,
    progress: Callable[[int, int], None] | None = None,
    keep: bool = False,
) -> list[Result]:
    """``function(job, item)`` for each of ``items``, in ``jobs`` processes (in this one alone
    for ``jobs == 1`` or fewer than ``small`` items, where starting processes would cost more
    than it saves); ``progress`` is called with (items done, items) as the work goes on.
    With ``keep``, the results are kept to the end of the caller's run (see
    :func:`~extrans.plumbing.collector.collector_paused`): they are many, and live on.

    An exception raised by ``function`` in a worker is raised here (with the worker's
    traceback as its cause), once every worker has stopped; a worker that dies is a
    :class:`WorkerError`.
    """
    work = list(items)
    forked = jobs > 1 and len(work) >= small and "fork" in multiprocessing.get_all_start_methods()
    results: list[Result] = []
    for item in work[:1] if forked else work:  # (the first before the workers are forked)
        results.append(function(job, item))
        if progress is not None:
            progress(len(results), len(work))
    if forked:
        results += _map_in_workers(function, job, work[1:], jobs, progress, keep)
    return results


def _map_in_workers(
    function: Callable[[Job, Item], Result],
    job: Job,
    rest: Sequence[Item],
    jobs: int,
    progress: Callable[[int, int], None] | None,
    keep: bool,
) -> list[Result]:
    size = max(min(CHUNK_SIZE, len(rest) // (jobs * 8)), 1)
    chunks = [rest[start : start + size] for start in range(0, len(rest), size)]
    fork = multiprocessing.get_context("fork")
    stop = fork.RawValue("b", 0)  # (no lock: a worker killed holding one would block the rest)
    done: list[list[Result]] = [[] for _ in chunks]
    count = 1
    sys.stdout.flush()  # (else what is buffered would be written again by each worker)
    sys.stderr.flush()
    with ProcessPoolExecutor(
        min(jobs, len(chunks)),
        mp_context=fork,
        initializer=_start_worker,
        initargs=(function, job, stop, os.getpid()),
    ) as pool:
        futures: dict[Future[list[Result]], int] = {}
        try:
            # Ctrl-C waits while the workers are forked (Python drops a KeyboardInterrupt
            # raised in its at-fork hooks); the workers unblock it once they can end on it.
            unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                for number, chunk in enumerate(chunks):
                    futures[pool.submit(_run_chunk, chunk)] = number
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)
            with collector_paused(keep=keep):  # (the results live on: see plumbing.collector)
                for future in as_completed(futures):
                    done[futures[future]] = future.result()
                    count += len(done[futures[future]])
                    if progress is not None:
                        progress(count, 1 + len(rest))
        except BaseException as err:  # (an error, Ctrl-C: every worker ends there and then)
            stop.value = 1
            pool.shutdown(cancel_futures=True)
            if isinstance(err, BrokenProcessPool):
                raise WorkerError(
                    "a worker process was killed before sending its results; "
                    "every file is whole (as it was, or as it should be): run the command again"
                ) from None
            raise
    return list(itertools.chain.from_iterable(done))


_task: Callable[[Any], Any]


def _start_worker(function: Callable[[Job, Any], Any], job: Job, stop: Any, parent: int) -> None:
    """A worker's start (forked: nothing here is pickled)."""
    global _task
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once, as a kill would
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _task = lambda item: function(job, item)  # noqa: E731
    # What the worker was forked with (the job: a site's memory, hundreds of megabytes, made
    # while collections were paused) is out of its collections' way: they would walk it all,
    # and copy each page they touch (extract's second pass at 10,000 pages: 1.5 s, else 1 s).
    gc.freeze()
    threading.Thread(target=_end_when_stopped, args=(stop, parent), daemon=True).start()


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    return [_task(item) for item in chunk]


def _end_when_stopped(stop: Any, parent: int) -> None:
    """End this worker once the map failed (its results would be thrown away) or the process
    that started it is gone (killed: the worker must not go on writing files while a new run
    holds the site's lock). Files are written whole, so ending in the middle of a page leaves
    each as it was or as it should be."""
    while not stop.value and os.getppid() == parent:
        time.sleep(0.1)
    os._exit(1)
