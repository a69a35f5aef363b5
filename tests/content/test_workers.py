"""Big imports processed on several processes (cards.content.workers): the deck comes out the
same as on one, the import command's --processes, and no worker touching the database."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cards.content import workers
from cards.models import Card, Deck, Note, Question

DECK = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"


def test_results_come_back_in_order_from_other_processes():
    seen = []
    results = workers.process_all(
        lambda n: (n * n, os.getpid()),
        list(range(120)),
        processes=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [square for square, _ in results] == [n * n for n in range(120)]
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids, "forked processes did the work"
    assert len(pids) <= 2, "no more processes than asked for"
    assert seen == [(done, 120) for done in range(1, 121)], "progress after every result"


def test_a_small_job_stays_in_this_process():
    results = workers.process_all(lambda n: os.getpid(), list(range(60)), processes=2)
    assert set(results) == {os.getpid()}, "60 items: fewer than 50 per process"


@pytest.mark.django_db
def test_a_worker_process_cannot_use_the_database():
    def counts(_):
        return Card.objects.count()

    with pytest.raises(RuntimeError, match="must not use the database"):
        workers.process_all(counts, list(range(100)), processes=2)
    assert Card.objects.count() == 0, "this process's connection still works"


def _deck(slug: str) -> dict:
    """What an import stored for a deck, by note path and card key, without row ids."""
    notes = {
        note.path: (note.title, note.slug, note.html, note.warnings, note.topic, note.domain)
        for note in Note.objects.filter(deck__slug=slug)
    }
    keys = dict(Card.objects.filter(deck__slug=slug).values_list("pk", "key"))
    cards = {
        (card.note.path, card.key): (
            card.kind,
            card.front,
            card.back,
            card.front_html,
            card.back_html,
            card.answer,
            card.status,
            card.fact_check,
            keys.get(card.merged_into_id),
            [(source["title"], source["line"]) for source in card.also_in],
        )
        for card in Card.objects.filter(deck__slug=slug).select_related("note")
    }
    questions = sorted(
        (q.note.path, q.key, q.kind, q.stem, q.options, q.explanation, q.line, q.status)
        for q in Question.objects.filter(note__deck__slug=slug).select_related("note")
    )
    return {"notes": notes, "cards": cards, "questions": questions}


@pytest.mark.django_db
def test_the_deck_imported_on_two_processes_equals_the_one_imported_on_one(monkeypatch):
    monkeypatch.setattr(workers, "MIN_NOTES_PER_PROCESS", 5)  # the real deck has 27 notes
    forked = []
    process_all = workers.process_all

    def counted(work, items, *, processes=1, progress=None):
        forked.append(min(processes, len(items) // workers.MIN_NOTES_PER_PROCESS))
        return process_all(work, items, processes=processes, progress=progress)

    monkeypatch.setattr("cards.content.sync.process_all", counted)
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("import_notes", str(DECK), "--deck", "lambda", "--processes", "1", **quiet)
    one = _deck("lambda")
    Deck.objects.filter(slug="lambda").delete()
    call_command("import_notes", str(DECK), "--deck", "lambda", "--processes", "2", **quiet)
    two = _deck("lambda")
    assert forked == [1, 2]
    assert len(one["notes"]) > 20 and len(one["cards"]) > 500, "the whole deck was imported"
    assert two["notes"] == one["notes"]
    assert two["cards"] == one["cards"]
    assert two["questions"] == one["questions"]


def test_the_command_refuses_zero_processes():
    with pytest.raises(CommandError, match="--processes must be 1 or more"):
        call_command("import_notes", str(DECK), "--processes", "0", stdout=StringIO())
