"""gunicorn settings for `make serve` and the load test (bench/load.py).

Sizes can be overridden from the environment. Only the worker hook at the end may import
Django (the app is loaded by then); the master must stay free of it.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}") from None


CORES = multiprocessing.cpu_count()

bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"]

# 2 x cores + 3, not the classic + 1: a request here spends part of its time asleep (in
# SQLite's busy handler waiting for the one write lock, or opening its connection), so a few
# more processes than cores keep both cores busy. Measured with bench/load.py, 30 s runs on the
# shared 2-core machine: p99 207-330 ms with 5 workers, 154-176 ms with 7, 176-490 ms with 9
# (likely more writers backing off on the lock), 214 ms with 2 workers x 4 threads.
workers = _int("GUNICORN_WORKERS", min(2 * CORES + 3, 12))
# Sync workers by default: threads share one GIL, so a template render blocks its siblings.
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request stuck longer than this (a runaway query) is killed and the worker replaced; the
# SQLite busy timeout (20 s, settings.py) stays below it so a waiting writer answers first.
timeout = 30
graceful_timeout = 20
keepalive = 5

# Recycle workers now and then so a slow leak can never grow; jitter keeps them from all
# restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10

# A killed worker is replaced by a fresh process that imports the app itself, so no state
# shared before the fork (database connections, open files) can be inherited half-used.
preload_app = False

# Heartbeat files in memory, not on a disk that may block fchmod (gunicorn's own advice).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None  # "-" logs to stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# gunicorn >= 25 opens a control socket in $HOME by default; two servers on one machine (the
# load test next to `make serve`) would fight over it. Older versions ignore this name.
control_socket_disable = True


def post_worker_init(worker):
    """Import every view and compile every template before the first request, not during it.

    Done lazily on the first request this costs a fresh worker ~250 ms (measured on the 2-core
    bench machine), which landed in the load test's p99 after each restart."""
    from pathlib import Path

    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and so every view module
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(folder).rglob("*.html"):
            get_template(str(path.relative_to(folder)))
