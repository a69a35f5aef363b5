"""Throughput and latency of the daily pages beside a bare Django view and the login page, from
one run on one gunicorn server (issue 19): absolute times move 1.5-2x between machines, ratios
against pages served by the same server in the same minute do not.

The database is the review bench's user (20,000 cards, 15,000 reviewed, 200,000 review logs),
built in a temp dir and served with studyapp/gunicorn.conf.py on 127.0.0.1; it always stops the
server and deletes the temp dir.

Each page is measured twice: requests/s with CLIENTS clients sending their next request as soon
as one returns (throughput), and the median of one client's sequential requests (latency, the
figure a student feels). The review round trip is one client's loop of "show the answer" and
"grade it" (htmx, the grade's response holding the next card); its median is the grade's.
"""

import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.load import (
    CARD,
    CSRF_FIELD,
    PYTHON,
    ROOT,
    VERSION,
    Browser,
    free_port,
    server_env,
    server_shape,
    start_server,
    stop_server,
)

STUDY = "/study/deck/big/"
SEED = "from bench.benchmarks import seed_review_data; seed_review_data()"
USERNAME, PASSWORD = "bench-student", "bench-pass-1"  # seed_review_data's student
CLIENTS = 4
PAGES = {
    "bare_view": "/ping/",
    "login_page": "/accounts/login/",
    "study_page": STUDY,
    "dashboard": "/",
    "stats_page": "/stats/",
}
# What issue 19 asks, as ratios that hold on any machine.
STUDY_RPS_TARGET = 0.6  # the study page's requests/s over the bare view's, at least
ROUND_TRIP_TARGET = 2.5  # the review round trip's median over the login page's, at most


def prepare(tmp: Path) -> dict:
    env = server_env(tmp)
    manage = [PYTHON, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["shell", "-c", SEED],
    ):
        subprocess.run(manage + args, env=env, cwd=ROOT, check=True, capture_output=True)
    return env


def log_in(port: int) -> Browser:
    browser = Browser(port, [])
    _, _, page = browser.request("login", "GET", "/accounts/login/")
    form = {
        "username": USERNAME,
        "password": PASSWORD,
        "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1),
    }
    status, _, _ = browser.request("login", "POST", "/accounts/login/", form, expect=(302,))
    if status != 302:
        raise RuntimeError(f"the bench student could not log in (HTTP {status})")
    return browser


def as_client(port: int, template: Browser | None, log: list) -> Browser:
    """A browser with the template's cookies (none: a visitor) writing to `log`."""
    browser = Browser(port, log)
    browser.cookies = dict(template.cookies) if template else {}
    return browser


def rps(port: int, path: str, template: Browser | None, seconds: float) -> float:
    """Closed-loop requests/s of CLIENTS clients."""
    log: list = []
    stop_at = time.monotonic() + seconds

    def loop():
        browser = as_client(port, template, log)
        while time.monotonic() < stop_at:
            browser.request("page", "GET", path)

    threads = [threading.Thread(target=loop) for _ in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [row for row in log if not row[4]]
    if failed:
        raise RuntimeError(f"{path}: {len(failed)} requests failed, e.g. HTTP {failed[0][3]}")
    return round(len(log) / (time.monotonic() - started), 1)


def median_ms(port: int, path: str, template: Browser | None, requests: int) -> float:
    """One client's sequential requests: their median time."""
    log: list = []
    browser = as_client(port, template, log)
    browser.request("warm", "GET", path)
    log.clear()
    for _ in range(requests):
        browser.request("page", "GET", path)
    if not all(row[4] for row in log):
        raise RuntimeError(f"{path} failed")
    return _median(log)


def round_trip(port: int, template: Browser, reviews: int) -> dict:
    """One client shows and grades `reviews` cards, each grade answering the next card."""
    log: list = []
    browser = as_client(port, template, log)
    _, _, page = browser.request("study", "GET", STUDY)
    grades: list = []
    for _ in range(reviews):
        card = CARD.search(page)
        if not card:
            raise RuntimeError("the study page showed no card to grade")
        _, _, shown = browser.request("show", "GET", f"{STUDY}?card={card[1]}&show=1", htmx=True)
        form = {"action": "grade", "card": card[1], "version": VERSION.search(shown)[1]}
        form["rating"] = 3
        browser.log = grades
        status, _, page = browser.request("grade", "POST", STUDY, form, htmx=True)
        browser.log = log
        if status != 200 or "already graded" in page:
            raise RuntimeError(f"grading failed (HTTP {status})")
    shows = [row for row in log if row[0] == "show"]
    return {"median_ms": _median(grades), "show_answer_median_ms": _median(shows)}


def _median(rows: list) -> float:
    return round(statistics.median((row[2] - row[1]) * 1000 for row in rows), 1)


def run_throughput(seconds: float = 5, requests: int = 40, reviews: int = 100) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="studyapp-throughput-"))
    server = None
    try:
        env = prepare(tmp)
        port = free_port()
        server = start_server(env, port, tmp)
        student = log_in(port)
        pages = {}
        for name, path in PAGES.items():
            who = None if name == "login_page" else student
            pages[name] = {
                "rps": rps(port, path, who, seconds),
                "median_ms": median_ms(port, path, who, requests),
            }
        trip = round_trip(port, student, reviews)
        bare, login = pages["bare_view"], pages["login_page"]
        for figures in pages.values():
            figures["rps_vs_bare"] = round(figures["rps"] / bare["rps"], 3)
            figures["median_vs_login"] = round(figures["median_ms"] / login["median_ms"], 2)
        trip["median_vs_login"] = round(trip["median_ms"] / login["median_ms"], 2)
        return {
            "server": "gunicorn " + " ".join(f"{k}={v}" for k, v in server_shape().items()),
            "clients": CLIENTS,
            "pages": pages,
            "review_round_trip": trip,
            "targets": {
                "study_page_rps_vs_bare_at_least": STUDY_RPS_TARGET,
                "round_trip_median_vs_login_at_most": ROUND_TRIP_TARGET,
            },
            "met": {
                "study_page": pages["study_page"]["rps_vs_bare"] >= STUDY_RPS_TARGET,
                "round_trip": trip["median_vs_login"] <= ROUND_TRIP_TARGET,
            },
        }
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)
