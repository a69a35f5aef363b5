"""Bounded load and fault test: students review and take exams against gunicorn on 127.0.0.1.

Builds a throwaway database in a temp dir, serves it with studyapp/gunicorn.conf.py, kills one
worker mid-run, then checks every acknowledged grade is stored exactly once. It always stops the
server and deletes the temp dir; it never sends traffic anywhere but 127.0.0.1.
"""

import http.client
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DECK = "aws-lambda"
STUDY = f"/study/deck/{DECK}/"
PASSWORD = "load-test-" + secrets.token_hex(8)
P99_TARGET_MS = 200
QUIZ_SHARE = 0.05  # one study loop in twenty becomes a short exam
CARD = re.compile(r'name="card" value="(\d+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ALREADY_GRADED = "already graded"

SETUP_USERS = """
import os
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from cards.models import StudySettings
hashed = make_password(os.environ["LOAD_PASSWORD"])
count = int(os.environ["LOAD_STUDENTS"])
User.objects.bulk_create([User(username=f"student{i:03d}", password=hashed) for i in range(count)])
students = User.objects.filter(username__startswith="student")
StudySettings.objects.bulk_create([StudySettings(user=u, new_per_day=9999) for u in students])
"""

SETTINGS = """from studyapp.settings import *  # noqa: F403
STATIC_ROOT = {static!r}
"""


class Browser:
    """One student's cookies over a fresh 127.0.0.1 connection per request; logs every request."""

    def __init__(self, port: int, log: list):
        self.port, self.log, self.cookies = port, log, {}

    def request(self, kind, method, path, form=None, htmx=False, expect=(200,)):
        headers = {"Connection": "close", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if htmx:
            headers["HX-Request"] = "true"
        body = urlencode(form or {}, doseq=True) if method == "POST" else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        status, location, text, error = None, "", "", ""
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=40)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status, location = response.status, response.getheader("Location", "")
            for cookie in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
        ended = time.monotonic()
        ok = status in expect
        self.log.append((kind, started, ended, status, ok, error))
        return status, location, text

    def login(self, username):
        _, _, page = self.request("login", "GET", "/accounts/login/")
        token = CSRF_FIELD.search(page).group(1)
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, _, _ = self.request("login", "POST", "/accounts/login/", form, expect=(302,))
        if status != 302:
            raise RuntimeError(f"{username} could not log in (HTTP {status})")


class Student(threading.Thread):
    def __init__(self, browser: Browser, stop_at: float, seed: int):
        super().__init__(daemon=True)
        self.browser, self.stop_at, self.rng = browser, stop_at, random.Random(seed)
        self.acked = self.unacked = self.stale = 0

    def think(self):
        time.sleep(self.rng.uniform(0.2, 1.0))

    def run(self):
        time.sleep(self.rng.uniform(0, 2))  # students arrive over 2 s, not in one instant
        while time.monotonic() < self.stop_at:
            if self.rng.random() < QUIZ_SHARE or not self.review_one():
                self.take_exam()

    def review_one(self) -> bool:
        _, _, page = self.browser.request("study", "GET", STUDY)
        card = CARD.search(page)
        if not card:
            return False
        self.think()
        shown = f"{STUDY}?card={card.group(1)}&show=1"
        _, _, page = self.browser.request("show", "GET", shown, htmx=True)
        version = VERSION.search(page)
        if not version:
            return True
        self.think()
        form = {"action": "grade", "card": card.group(1), "version": version.group(1)}
        form["rating"] = self.rng.choice([1, 2, 3, 3, 3, 4])
        status, _, page = self.browser.request("grade", "POST", STUDY, form, htmx=True)
        if status == 200 and ALREADY_GRADED in page:
            self.stale += 1
        elif status == 200:
            self.acked += 1
        else:
            self.unacked += 1  # died with a worker or failed: may or may not be stored
        self.think()
        return True

    def take_exam(self):
        form = {"deck": DECK, "mode": "exam", "preset": "quick", "count": 10, "minutes": 20}
        status, location, _ = self.browser.request(
            "quiz", "POST", "/quiz/start/", form, expect=(302,)
        )
        found = re.search(r"/quiz/(\d+)/q/1/$", location or "")
        if status != 302 or not found:
            return
        base = f"/quiz/{found.group(1)}"
        for number in range(1, 4):
            self.browser.request("quiz", "GET", f"{base}/q/{number}/")
            self.think()
            answer = {"choice": "0", "action": "next"}
            self.browser.request("quiz", "POST", f"{base}/q/{number}/", answer, expect=(302,))
        self.browser.request("quiz", "POST", f"{base}/submit/", expect=(302,))
        self.browser.request("quiz", "GET", f"{base}/results/")
        self.think()


def burst(port, path, browsers, seconds) -> float:
    """Closed-loop requests/s: each browser sends the next request as soon as one returns."""
    log: list = []
    stop_at = time.monotonic() + seconds

    def loop(browser):
        own = Browser(port, log)
        own.cookies = dict(browser.cookies)
        while time.monotonic() < stop_at:
            own.request("burst", "GET", path)

    threads = [threading.Thread(target=loop, args=(b,)) for b in browsers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    good = sum(1 for row in log if row[4])
    return round(good / (time.monotonic() - started), 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp: Path) -> dict:
    """The environment of a production-like server (DEBUG off) on a fresh database in tmp."""
    (tmp / "load_settings.py").write_text(SETTINGS.format(static=str(tmp / "static")))
    return {
        **os.environ,
        "PYTHONPATH": str(tmp),
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
    }


def prepare(tmp: Path, students: int) -> dict:
    """A fresh database with the deck and the students; settings that keep static files in tmp."""
    env = {**server_env(tmp), "LOAD_PASSWORD": PASSWORD, "LOAD_STUDENTS": str(students)}
    manage = [PYTHON, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["import_notes", str(ROOT / "content")],
        ["shell", "-c", SETUP_USERS],
    ):
        subprocess.run(manage + args, env=env, cwd=ROOT, check=True, capture_output=True)
    return env


def start_server(env: dict, port: int, tmp: Path) -> subprocess.Popen:
    command = [PYTHON, "-m", "gunicorn", "studyapp.wsgi", "-c", "studyapp/gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}"]
    with open(tmp / "gunicorn.log", "wb") as log:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited: " + (tmp / "gunicorn.log").read_text()[-2000:])
        status, _, _ = Browser(port, []).request("health", "GET", "/healthz/")
        if status == 200:
            return server
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz/ within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers: the master's children, read from /proc (Linux)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return sorted(pids)


def stored_reviews(db_path: Path) -> tuple[Counter, int]:
    """ReviewLog rows per username, and how many rows repeat a (user, card, time) triple."""
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT u.username, r.card_id, r.reviewed_at FROM cards_reviewlog r "
            "JOIN auth_user u ON u.id = r.user_id"
        ).fetchall()
    per_user = Counter(username for username, _, _ in rows)
    return per_user, len(rows) - len(set(rows))


def percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return 0.0
    return round(sorted_ms[min(len(sorted_ms) - 1, int(p / 100 * len(sorted_ms)))], 1)


def log_in_all(browsers: list[Browser]) -> None:
    """Every student logs in through the form, all at once; any failure stops the run."""
    failures = []

    def log_in(i, browser):
        try:
            browser.login(f"student{i:03d}")
        except Exception as exc:  # a thread cannot raise to us: collect, raise below
            failures.append(f"student{i:03d}: {exc!r}")

    threads = [threading.Thread(target=log_in, args=pair) for pair in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("log in failed: " + "; ".join(failures[:3]))


def kill_one_worker(master: int) -> float | None:
    """SIGKILL a worker, preferably one busy with a request (gunicorn forks a replacement).

    Returns when it did, or None when there was no worker to kill."""
    pids = worker_pids(master)
    for _ in range(200):  # look for a running worker for up to 2 s, else take any
        busy = [pid for pid in pids if _state(pid) == "R"]
        if busy:
            pids = busy
            break
        time.sleep(0.01)
    if not pids:
        return None
    os.kill(random.choice(pids), signal.SIGKILL)
    return time.monotonic()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def run_load(duration_s: int = 120, students: int = 50) -> dict:
    """Serve a fresh database with gunicorn and let `students` review and take exams for
    `duration_s`; kill a worker halfway. Returns latency, throughput and review-count figures."""
    tmp = Path(tempfile.mkdtemp(prefix="studyapp-load-"))
    server = None
    try:
        env = prepare(tmp, students)
        port = free_port()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self_before = resource.getrusage(resource.RUSAGE_SELF)
        server = start_server(env, port, tmp)
        log: list = []
        browsers = [Browser(port, log) for _ in range(students)]
        log_in_all(browsers)
        bare_rps = burst(port, "/ping/", browsers[:8], 5)
        study_rps = burst(port, STUDY, browsers[:8], 5)

        log.clear()
        busy_before = _machine_busy()
        started = time.monotonic()
        stop_at = started + duration_s
        crowd = [Student(b, stop_at, seed=i) for i, b in enumerate(browsers)]
        for student in crowd:
            student.start()
        time.sleep(duration_s / 2)
        killed_at = kill_one_worker(server.pid)
        for student in crowd:
            student.join()
        elapsed = time.monotonic() - started
        machine = {"busy_pct": _machine_busy(busy_before), "loadavg_1m": os.getloadavg()[0]}
        workers_after = len(worker_pids(server.pid))
        stop_server(server)
        server_cpu = _cpu(resource.RUSAGE_CHILDREN, children_before)
        client_cpu = _cpu(resource.RUSAGE_SELF, self_before)

        dropped = [r for r in log if r[5] and killed_at and r[1] <= killed_at <= r[2]]
        answered = [r for r in log if r not in dropped]
        errors = [r for r in answered if not r[4]]
        latencies = sorted((r[2] - r[1]) * 1000 for r in answered)
        by_kind = {}
        for kind in ("study", "show", "grade", "quiz"):
            own = sorted((r[2] - r[1]) * 1000 for r in answered if r[0] == kind)
            by_kind[kind] = {
                "requests": len(own),
                "p50_ms": percentile(own, 50),
                "p99_ms": percentile(own, 99),
            }

        slow_seconds = {int(r[1] - started) for r in answered if r[2] - r[1] > P99_TARGET_MS / 1000}
        per_user, repeated = stored_reviews(tmp / "db.sqlite3")
        lost = doubled = unacked_stored = 0
        for i, student in enumerate(crowd):
            stored = per_user.get(f"student{i:03d}", 0)
            lost += max(0, student.acked - stored)
            extra = max(0, stored - student.acked)
            unacked_stored += min(extra, student.unacked)
            doubled += max(0, extra - student.unacked)
        return {
            "students": students,
            "duration_s": round(elapsed, 1),
            "server": "gunicorn " + " ".join(f"{k}={v}" for k, v in server_shape().items()),
            "requests": len(log),
            "errors": len(errors),
            "error_samples": [f"{r[0]} {r[3] or r[5]}" for r in errors[:5]],
            "rps": round(len(log) / elapsed, 1),
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99),
            "p99_target_ms": P99_TARGET_MS,
            "by_kind": by_kind,
            # In how many 1 s windows some request was slower than the target: a few means
            # stalls (a restart, a neighbour), many means the server is simply too slow.
            "seconds_over_target": len(slow_seconds),
            "cpu_s": {"server": server_cpu, "load_generator": client_cpu, "cores": os.cpu_count()},
            "machine_during_load": machine,
            "study_page_rps": study_rps,
            "bare_view_rps": bare_rps,
            "ratio": round(study_rps / bare_rps, 3) if bare_rps else None,
            "worker_killed": killed_at is not None,
            "workers_after_kill": workers_after,
            "dropped_by_kill": len(dropped),
            "acked_reviews": sum(s.acked for s in crowd),
            "stored_reviews": sum(per_user.values()),
            "lost_reviews": lost,
            "double_counted": doubled + repeated,
            "unacknowledged_in_flight": sum(s.unacked for s in crowd),
            "unacknowledged_stored": unacked_stored,
            "stale_grades": sum(s.stale for s in crowd),
        }
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)


def _cpu(who: int, before) -> float:
    """CPU seconds (user + system) used since `before`; for the server, from start to stop."""
    now = resource.getrusage(who)
    return round(now.ru_utime + now.ru_stime - before.ru_utime - before.ru_stime, 1)


def _machine_busy(before=None):
    """All CPUs' busy and total jiffies from /proc/stat; with `before`, the busy % since then.

    Other programs on the machine show here and not in cpu_s: a busy neighbour explains a bad p99.
    """
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total, idle = sum(fields), fields[3] + fields[4]
    if before is None:
        return total - idle, total
    busy, spent = total - idle - before[0], total - before[1]
    return round(100 * busy / spent, 1) if spent else 0.0


def server_shape() -> dict:
    """The worker settings gunicorn.conf.py resolves to in this environment."""
    config: dict = {}
    exec((ROOT / "studyapp" / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our file
    return {"workers": config["workers"], "threads": config["threads"]}


if __name__ == "__main__":
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    print(json.dumps(run_load(duration_s=seconds), indent=2))
