"""Spread per-item work over processes, with results in item order.

The calling process works too, and forks ``jobs - 1`` helpers. It does the first item
before it forks them: the modules and caches the work loads on first use (extrans imports
its readers and writers only when a page needs them) are then loaded once, and every
helper starts with them and the shared context in memory; only results are pickled.
The rest of the work is cut into chunks whose numbers wait in a pipe: each process reads
the next number when it is free (a read of four bytes is one chunk), so the processes end
close together with no queue object, thread or lock. Each helper sends all its results in one
message at the end. Where ``fork`` does not exist (Windows), the work runs in this process.
"""

from __future__ import annotations

import mmap
import os
import pickle
import select
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from .errors import ExtransError

__all__ = ["WorkerError", "default_jobs", "map_in_order", "worker_context"]

Item = TypeVar("Item")
Result = TypeVar("Result")

_CHUNK = struct.Struct("=I")
_COUNT = struct.Struct("=Q")
MAX_CHUNKS = 4096
"""The chunk numbers are all written before any process reads: 16 KB, within the
smallest pipe buffer (macOS), so writing them never waits."""
CHUNK_SIZE = 8
"""Items per chunk, at most: a page takes a millisecond or two, so handing out a chunk
costs little against its work, and the last ones end close together."""

_context: Any = None


class WorkerError(ExtransError):
    """A helper process ended without sending its results (it was killed)."""


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_context() -> Any:
    """The context the current map was started with."""
    return _context


def map_in_order(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    *,
    jobs: int,
    context: object,
    small: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """``function`` over ``items`` in ``jobs`` processes (in this one alone for ``jobs == 1``
    or fewer than ``small`` items, where starting processes would cost more than it saves).

    ``function`` reads shared, read-only data with :func:`worker_context`. ``progress`` is
    called with (items done, items) as the work goes on. An exception raised by ``function``
    in any process is raised here, after every helper has stopped.
    """
    global _context
    work = list(items)
    _context = context
    if jobs <= 1 or len(work) < small or not hasattr(os, "fork"):
        results: list[Result] = []
        for item in work:
            results.append(function(item))
            if progress is not None:
                progress(len(results), len(work))
        return results
    first = function(work[0])  # (before the helpers: what it loads, they start with)
    if progress is not None:
        progress(1, len(work))
    return [first, *_Run(function, work, min(jobs, len(work)), progress).results()]


class _Run:
    """One map over forked helpers of all items but the first (done before they start);
    the calling process is worker 0."""

    def __init__(
        self,
        function: Callable[[Any], Any],
        work: Sequence[Any],
        jobs: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.function = function
        self.work = work
        self.jobs = jobs
        self.progress = progress
        self.parent = os.getpid()
        self.size = max(min(CHUNK_SIZE, len(work) // (jobs * 8)), -(-len(work) // MAX_CHUNKS), 1)
        # Per worker: items done (for progress); after them, a stop flag for the helpers.
        self.shared = mmap.mmap(-1, _COUNT.size * (jobs + 1))

    def results(self) -> list[Any]:
        starts = range(1, len(self.work), self.size)
        queue, feed = os.pipe()
        os.write(feed, b"".join(_CHUNK.pack(number) for number in range(len(starts))))
        os.close(feed)  # once the numbers are read, a read finds the end: no work left
        sys.stdout.flush()
        sys.stderr.flush()
        helpers: dict[int, int] = {}  # pid → read end of its results pipe
        try:
            for number in range(1, self.jobs):
                receive, send = os.pipe()
                try:
                    pid = os.fork()
                except OSError:
                    os.close(receive)
                    os.close(send)
                    raise
                if pid == 0:
                    os.close(receive)
                    self._helper(number, queue, send)  # never returns
                os.close(send)
                helpers[pid] = receive
            done = self._take(0, queue, count=1)
            for payload, status in self._collect(helpers):
                done.update(_unpack(payload, status))
        finally:
            self._stop(helpers)
            os.close(queue)
            self.shared.close()
        ordered: list[Any] = []
        for start in starts:
            ordered += done[start]
        return ordered

    def _take(self, worker: int, queue: int, count: int = 0) -> dict[int, list[Any]]:
        """Run chunks until none is left, the run stops, or (in a helper) the calling
        process is gone, killed; their results by first item. ``count``: the items this
        worker did before."""
        done: dict[int, list[Any]] = {}
        stop_at = _COUNT.size * self.jobs
        while not self.shared[stop_at] and (worker == 0 or os.getppid() == self.parent):
            raw = os.read(queue, _CHUNK.size)
            if not raw:
                break
            start = 1 + _CHUNK.unpack(raw)[0] * self.size
            results = done[start] = []
            for item in self.work[start : start + self.size]:
                results.append(self.function(item))
                count += 1
                _COUNT.pack_into(self.shared, _COUNT.size * worker, count)
                if worker == 0 and self.progress is not None:
                    self.progress(self._done(), len(self.work))
        return done

    def _done(self) -> int:
        return sum(
            _COUNT.unpack_from(self.shared, _COUNT.size * worker)[0] for worker in range(self.jobs)
        )

    def _helper(self, worker: int, queue: int, send: int) -> None:
        """A forked helper's whole life: it ends here, whatever happens."""
        status = 1
        try:
            try:
                payload = pickle.dumps((True, self._take(worker, queue)), pickle.HIGHEST_PROTOCOL)
                status = 0
            except BaseException as err:  # sent to the calling process, raised there
                payload = _failure(err)
            view = memoryview(payload)
            while view:
                view = view[os.write(send, view) :]
        finally:
            os._exit(status)

    def _collect(self, helpers: dict[int, int]) -> Iterable[tuple[bytes, int]]:
        """Each helper's message and exit status, read as it comes (a helper waits until
        its message is read), with the progress of all workers meanwhile."""
        parts: dict[int, list[bytes]] = {fd: [] for fd in helpers.values()}
        owner = {fd: pid for pid, fd in helpers.items()}
        reported = -1
        while parts:
            ready, _, _ = select.select(list(parts), [], [], 0.1)
            for fd in ready:
                data = os.read(fd, 1 << 16)
                if data:
                    parts[fd].append(data)
                    continue
                pid = owner[fd]
                status = os.waitpid(pid, 0)[1]
                del helpers[pid]
                os.close(fd)
                yield b"".join(parts.pop(fd)), status
            if self.progress is not None and (now := self._done()) != reported:
                self.progress(now, len(self.work))
                reported = now

    def _stop(self, helpers: dict[int, int]) -> None:
        """Let the helpers still running end (after their current item, as the run
        failed), and wait for them."""
        self.shared[_COUNT.size * self.jobs] = 1
        for pid, fd in helpers.items():
            os.close(fd)  # a helper still sending gets a broken pipe, and ends
            os.waitpid(pid, 0)


def _failure(err: BaseException) -> bytes:
    """A helper's exception as a message; the calling process raises it with the helper's
    traceback as a note."""
    import traceback  # (only when a helper fails)

    note = "in a worker process:\n" + "".join(traceback.format_exception(err))
    try:
        return pickle.dumps((False, err, note), pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle: its text still travels
        return pickle.dumps((False, RuntimeError(repr(err)), note), pickle.HIGHEST_PROTOCOL)


def _unpack(payload: bytes, status: int) -> dict[int, list[Any]]:
    try:
        message = pickle.loads(payload)
    except (EOFError, pickle.UnpicklingError):  # nothing, or cut short
        how = (
            f"was killed by signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exited with status {os.waitstatus_to_exitcode(status)}"
        )
        raise WorkerError(
            f"a worker process {how} before sending its results; "
            "every file is whole (as it was, or as it should be): run the command again"
        ) from None
    if message[0]:
        done: dict[int, list[Any]] = message[1]
        return done
    err: BaseException = message[1]
    err.add_note(message[2])
    raise err
