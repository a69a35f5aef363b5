"""A GET never writes: pages can be prefetched, reloaded and crawled without changing anything."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt, Deck, Note
from cards.quiz import exams

NOTE = b"# N\n\n- Maximum timeout: 900 seconds\n- Q one? :: A\n- Q two? :: B\n![[x.png]]\n"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def pages(db, alice):
    import_deck("d", [NoteFile("n.md", NOTE)], assets=[NoteFile("x.png", b"\x89PNG fake")])
    deck = Deck.objects.get(slug="d")
    note = Note.objects.get()
    running = exams.start(alice, deck, mode="exam", count=2, minutes=5)
    overdue = exams.start(alice, deck, mode="exam", count=2, minutes=5)
    Attempt.objects.filter(pk=overdue.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    return [
        "/",
        "/decks/",
        "/decks/d/",
        f"/decks/d/notes/{note.slug}/",
        f"/decks/d/notes/{note.slug}/cards/",
        "/decks/d/assets/x.png",
        "/study/",
        "/study/deck/d/",
        f"/study/deck/d/note/{note.slug}/",
        "/stats/",
        "/settings/study/",
        "/quiz/",
        reverse("quiz_question", args=[running.pk, 1]),
        reverse("quiz_review", args=[running.pk]),
        reverse("quiz_question", args=[overdue.pk, 1]),
        reverse("quiz_review", args=[overdue.pk]),
        reverse("quiz_results", args=[overdue.pk]),
        "/calculators/pricing/",
        "/calculators/limits/",
        "/account/data/",
    ]


def test_no_page_a_student_reads_writes_to_the_database(alice_client, pages):
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            status = alice_client.get(url).status_code
        writes = [q["sql"][:80] for q in captured.captured_queries if q["sql"].startswith(WRITES)]
        assert status in (200, 302), f"{url}: {status}"
        assert writes == [], f"GET {url} wrote: {writes}"


def test_no_page_an_instructor_reads_writes_to_the_database(charlie_client, pages):
    note = Note.objects.get()
    urls = [
        reverse("note_edit", args=["d", note.slug]),
        reverse("note_history", args=["d", note.slug]),
        reverse("note_new", args=["d"]),
        reverse("deck_upload", args=["d"]),
        reverse("deck_edit", args=["d"]),
        reverse("deck_new"),
        reverse("deck_export_csv", args=["d"]),
        reverse("deck_export_anki", args=["d"]),
        f"/decks/d/notes/{note.slug}/cards/?show=all",
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            status = charlie_client.get(url).status_code
        writes = [q["sql"][:80] for q in captured.captured_queries if q["sql"].startswith(WRITES)]
        assert status == 200, f"{url}: {status}"
        assert writes == [], f"GET {url} wrote: {writes}"
