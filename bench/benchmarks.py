"""Benchmarks. Each returns a dict of figures; bench/run.py prints them as one JSON object."""

import os
import statistics
import tempfile
import time

ALL = ["django_startup"]


def _setup_django(db_path: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "studyapp.test_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django

    django.setup()


def django_startup() -> dict:
    """Time to set up Django and migrate a fresh SQLite database (what `make run` waits for)."""
    started = time.perf_counter()
    db_dir = tempfile.mkdtemp(prefix="studyapp-bench-")
    _setup_django(os.path.join(db_dir, "bench.sqlite3"))
    from django.core.management import call_command

    setup_s = time.perf_counter() - started
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    samples = []
    from django.test import Client

    client = Client()
    for _ in range(50):
        t = time.perf_counter()
        client.get("/accounts/login/")
        samples.append((time.perf_counter() - t) * 1000)
    return {
        "setup_s": round(setup_s, 3),
        "migrate_s": round(migrate_s, 3),
        "login_page_median_ms": round(statistics.median(samples), 2),
    }
