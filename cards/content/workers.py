"""Notes processed on several cores at once, for imports big enough to wait on (issue 19).

Rendering a note with Python-Markdown, turning it into cards and checking its facts is pure
Python, one note at a time, and was most of a 1,000-note import. Forked processes do it side by
side; the results come back in order, so an import's outcome does not depend on how many
processes made it.

Only `manage.py import_notes` asks for processes. A web request (an upload, the editor's
preview) stays in its own process: forking a threaded server is not safe.
"""

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

# Below this many notes per process the work stays in this one: forking, and pickling the
# results back, cost about what the second core saves. Measured with import_notes on 100
# generated notes: 2.4-2.8 s on two processes against 2.5-3.2 s on one, Django's start included.
MIN_NOTES_PER_PROCESS = 50
CHUNK = 10  # notes handed to a process at a time: few round trips, an even finish

# The job of the pool being run. A forked process inherits it, so the notes and the lookups
# they need (closures, which cannot be pickled) are never sent; only results come back.
_job: tuple[Callable, Sequence] | None = None


# A container's CPU quota (cgroup v2): "max 100000", or "200000 100000" for two cores' worth.
CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def available_cores() -> int:
    """The cores this process may use: the CPUs it may run on, capped by a container's quota
    (a container limited to two CPUs' time still sees every CPU of its host)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = CPU_MAX.read_text().split()
        if quota != "max":
            cores = min(cores, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass  # no cgroup v2 here, or a file we cannot read: the CPUs it is
    return cores


# Allocations between two collections of the youngest generation while an import runs (Python's
# default is 700). An import builds hundreds of thousands of objects that live until it ends
# (trees, drafts, cards): at 700, the collector kept walking them, a quarter of a 1,000-note
# import's time (`make bench`, 2026-12-02: 4.8-5.0 s at 700, 3.6-4.1 s at 10,000, which is as
# fast as with the collector off; peak memory the same, 211 MB).
# Reference counting still frees everything that is not a cycle at once.
IMPORT_GC_THRESHOLD = 10_000
_gc_lock = threading.Lock()
_gc_users = 0
_gc_before: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often inside the block (IMPORT_GC_THRESHOLD). Blocks may
    overlap in threads: the first one in raises the threshold, the last one out puts it back.
    Forked workers inherit it."""
    global _gc_users, _gc_before
    with _gc_lock:
        if _gc_users == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(max(IMPORT_GC_THRESHOLD, _gc_before[0]), *_gc_before[1:])
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_before)


def process_all(
    work: Callable,
    items: Sequence,
    *,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list:
    """`[work(item) for item in items]`, on up to `processes` forked processes when there are
    enough items; `progress(done, total)` after each result, in order.

    A worker that raises stops the whole job with its exception, as the loop would; one that
    dies (killed for memory) stops it with BrokenProcessPool rather than leaving it waiting."""
    global _job
    processes = min(processes, len(items) // MIN_NOTES_PER_PROCESS)
    if processes < 2 or not sys.platform.startswith("linux"):
        # Fork is what lets the workers share the notes and lookups; macOS allows it but
        # warns that system libraries may not survive it, and Windows has none.
        return _collect(map(work, items), len(items), progress)
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("only a process's main thread may fork import workers")
    _job = (work, items)
    pool = ProcessPoolExecutor(
        processes, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start
    )
    try:
        return _collect(pool.map(_run, range(len(items)), chunksize=CHUNK), len(items), progress)
    finally:
        # On an error or Ctrl+C: what has not started is dropped, what has finishes (a chunk
        # of notes, well under a second), and every worker is gone before the caller goes on.
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None


def _collect(results: Iterable, total: int, progress) -> list:
    collected = []
    for result in results:
        collected.append(result)
        if progress:
            progress(len(collected), total)
    return collected


def _run(index: int):
    work, items = _job
    return work(items[index])


# The parent's connection objects, kept referenced in a worker so that nothing there ever
# finalises them.
_kept: list = []


class _NoDatabase:
    def __getattr__(self, name):
        _refuse()


def _refuse(*args, **kwargs):
    raise RuntimeError("an import worker process must not use the database")


def _worker_start() -> None:
    """Ctrl+C is the parent's to handle (it stops the pool). And a forked process holds a copy
    of the parent's open database connection, in the middle of the import's transaction: a
    statement sent on it would land in the parent's session, and closing it would end that
    session. Processing a note never needs the database, so here every way into it fails."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        _kept.append(connection.connection)
        connection.connection = _NoDatabase()
        for name in ("ensure_connection", "connect", "_cursor", "close", "_close", "_commit",
                     "_rollback", "is_usable"):  # fmt: skip
            setattr(connection, name, _refuse)
