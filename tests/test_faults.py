"""Faults a real server meets: a database locked by another writer, and a restart mid-exam."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connections
from django.test import Client

from cards.content.sync import NoteFile, import_deck
from cards.models import Deck
from cards.quiz import exams
from tests.conftest import PASSWORD

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
]
NOTE = "# Terms\n\n" + "".join(
    f"- Which service is called {word}? :: Amazon {word.title()}\n" for word in WORDS
)
ROOT = Path(__file__).resolve().parent.parent
DEADLINE = re.compile(r'<time id="deadline" datetime="([^"]+)"')


LOCKED_GRADE = """
import json, sqlite3, threading, time
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from cards.models import Card, ReviewLog
from cards.content.sync import NoteFile, import_deck

call_command("migrate", verbosity=0)
import_deck("d", [NoteFile("n.md", NOTE.encode())])
client = Client()
client.force_login(User.objects.create_user("alice", password="x-long-password-1"))
card = Card.objects.order_by("pk").first()

other = sqlite3.connect(DB, check_same_thread=False)  # another process's writer
other.execute("BEGIN IMMEDIATE")
other.execute("UPDATE cards_deck SET title = title")
def release():
    time.sleep(1.0)
    other.commit()
    other.close()
threading.Thread(target=release).start()

started = time.monotonic()
response = client.post(
    "/study/deck/d/", {"action": "grade", "card": card.pk, "version": 0, "rating": 3},
    HTTP_HX_REQUEST="true",
)
print(json.dumps({
    "status": response.status_code,
    "waited": time.monotonic() - started,
    "logs": ReviewLog.objects.filter(card=card).count(),
}))
"""


def test_a_grade_waits_for_a_locked_database_instead_of_failing(tmp_path):
    """Run in its own process on a SQLite file: pytest's database lives in memory, where a
    second connection cannot take a real write lock."""
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studyapp.test_settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    script = f"NOTE = {NOTE!r}\nDB = {str(database)!r}\n" + LOCKED_GRADE
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 200, "the request waits for the lock, it does not fail"
    assert outcome["waited"] >= 0.9, f"answered after {outcome['waited']:.2f} s: no lock held?"
    assert outcome["logs"] == 1, "the grade is stored once"


PARALLEL_RETAKES = """
import json, threading
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt, Deck
from cards.quiz import exams

call_command("migrate", verbosity=0)
import_deck("d", [NoteFile("n.md", NOTE.encode())])
alice = User.objects.create_user("alice", password="x-long-password-1")
attempt = exams.start(alice, Deck.objects.get(slug="d"), mode="exam", count=5, minutes=20)
exams.submit(attempt)  # nothing answered: every question is wrong
connection.close()

statuses = []
def click():
    client = Client()
    client.force_login(alice)
    statuses.append(client.post(f"/quiz/{attempt.pk}/retake/").status_code)
    connection.close()
threads = [threading.Thread(target=click) for _ in range(20)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({
    "statuses": sorted(set(statuses)),
    "retakes": Attempt.objects.filter(retake_of=attempt).count(),
}))
"""


def test_twenty_parallel_retake_clicks_make_one_retake(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "studyapp.test_settings",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    script = f"NOTE = {NOTE!r}\n" + PARALLEL_RETAKES
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == [302], "every click lands on the retake"
    assert outcome["retakes"] == 1, "twenty clicks at once start one retake"


def restart_server():
    """What a gunicorn restart forgets: every database connection and every cache."""
    connections.close_all()
    for cache in caches.all():
        cache.clear()


@pytest.mark.django_db(transaction=True)
def test_an_exam_resumes_after_a_restart_with_the_same_deadline_and_answers(client):
    import_deck("d", [NoteFile("n.md", NOTE.encode())])
    alice = User.objects.create_user("alice", password=PASSWORD)
    deck = Deck.objects.get(slug="d")
    attempt = exams.start(alice, deck, mode="exam", count=5, minutes=20, seed="restart")
    assert attempt.questions[0]["kind"] != "numeric", "this test answers question 1 by choice"
    client.force_login(alice)
    question = f"/quiz/{attempt.pk}/q"
    client.post(f"{question}/1/", {"choice": "1", "action": "next"})
    before = DEADLINE.search(client.get(f"{question}/2/").content.decode()).group(1)

    restart_server()
    time.sleep(1.1)  # the restart takes time; the deadline must not move with it
    browser = Client()
    browser.cookies = client.cookies  # the student's browser keeps its session cookie
    page = browser.get(f"{question}/1/").content.decode()

    assert DEADLINE.search(page).group(1) == before, "the deadline is the one set at the start"
    assert re.search(r'value="1" id="choice-1"\s+checked', page), "the saved answer is kept"
    resumed = browser.post(f"{question}/2/", {"choice": "0", "action": "next"})
    assert resumed.status_code == 302 and resumed.url.endswith(f"{question}/3/"), "still open"
