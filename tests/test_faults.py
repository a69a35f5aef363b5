"""Faults a real server meets: a database locked by another writer, and a restart mid-exam."""

import re
import sqlite3
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from cards import exams
from cards.models import Card, Deck, ReviewLog
from cards.sync import NoteFile, import_deck
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
NOTE = "# Terms\n\n" + "".join(f"- What is term {w}? :: The {w} definition\n" for w in WORDS)
DEADLINE = re.compile(r'<time id="deadline" datetime="([^"]+)"')


@pytest.fixture
def file_sqlite(tmp_path):
    """Point the default connection at a migrated SQLite file for one test, then put it back.

    pytest's SQLite database lives in memory, where a second connection cannot take a real
    write lock; "database is locked" only happens with a file."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's 'database is locked' cannot happen on " + connection.vendor)
    in_memory, settings_before = connection.connection, dict(connection.settings_dict)
    connection.connection = None  # detached, not closed: closing would drop the memory DB
    connection.settings_dict["NAME"] = str(tmp_path / "db.sqlite3")
    try:
        call_command("migrate", verbosity=0)
        yield tmp_path / "db.sqlite3"
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(settings_before)
        connection.connection = in_memory


def hold_write_lock(path, seconds: float) -> threading.Thread:
    """Another process's writer: takes the write lock now, commits after `seconds`."""
    other = sqlite3.connect(path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE cards_deck SET title = title")

    def release():
        time.sleep(seconds)
        other.commit()
        other.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_grade_waits_for_a_locked_database_instead_of_failing(file_sqlite, client):
    import_deck("d", [NoteFile("n.md", NOTE.encode())])
    client.force_login(User.objects.create_user("alice", password=PASSWORD))
    card = Card.objects.order_by("pk").first()
    locker = hold_write_lock(file_sqlite, 1.0)
    started = time.monotonic()
    response = client.post(
        "/study/deck/d/",
        {"action": "grade", "card": card.pk, "version": 0, "rating": 3},
        HTTP_HX_REQUEST="true",
    )
    waited = time.monotonic() - started
    locker.join()
    assert response.status_code == 200, "the request waits for the lock, it does not fail"
    assert waited >= 0.9, f"answered after {waited:.2f} s: the lock cannot have been held"
    assert ReviewLog.objects.filter(card=card).count() == 1, "the grade is stored once"


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
