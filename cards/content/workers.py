"""Notes processed on several cores at once, for imports big enough to wait on (issue 19).

Rendering a note with Python-Markdown, turning it into cards and checking its facts is pure
Python, one note at a time, and was most of a 1,000-note import. Forked processes do it side by
side; the results come back in order, so an import's outcome does not depend on how many
processes made it.

Only `manage.py import_notes` asks for processes. A web request (an upload, the editor's
preview) stays in its own process: forking a threaded server is not safe.
"""

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence

# Below this many notes per process the work stays in this one: a forked process, and the
# pickling of its results, cost about what processing this many notes does (measured on the
# 1,000-note bench).
MIN_NOTES_PER_PROCESS = 50
CHUNK = 10  # notes handed to a process at a time: few round trips, an even finish

# The job of the pool being run. A forked process inherits it, so the notes and the lookups
# they need (closures, which cannot be pickled) are never sent; only results come back.
_job: tuple[Callable, Sequence] | None = None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def process_all(
    work: Callable,
    items: Sequence,
    *,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list:
    """`[work(item) for item in items]`, on up to `processes` forked processes when there are
    enough items; `progress(done, total)` after each result, in order."""
    global _job
    processes = min(processes, len(items) // MIN_NOTES_PER_PROCESS)
    results: list = []
    if processes < 2 or not sys.platform.startswith("linux"):
        # Fork is what lets the workers share the notes and lookups; macOS allows it but
        # warns that system libraries may not survive it, and Windows has none.
        for item in items:
            results.append(work(item))
            if progress:
                progress(len(results), len(items))
        return results
    _job = (work, items)
    try:
        with multiprocessing.get_context("fork").Pool(processes, _without_database) as pool:
            for result in pool.imap(_run, range(len(items)), chunksize=CHUNK):
                results.append(result)
                if progress:
                    progress(len(results), len(items))
    finally:
        _job = None
    return results


def _run(index: int):
    work, items = _job
    return work(items[index])


def _without_database() -> None:
    """A forked process holds a copy of the parent's open database connection, in the middle
    of the import's transaction: a statement sent on it would land in the parent's session.
    Processing a note never needs the database, so here any use of it fails loudly."""
    from django.db import connections

    def refuse(*args, **kwargs):
        raise RuntimeError("an import worker process must not use the database")

    for connection in connections.all(initialized_only=True):
        connection._cursor = refuse
        connection.connect = refuse
