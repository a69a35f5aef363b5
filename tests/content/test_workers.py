"""Big imports processed on several processes (cards.content.workers): the deck comes out the
same as on one, the import command's --processes, and no worker touching the database."""

import gc
import json
import os
import signal
import sys
import threading
from concurrent.futures.process import BrokenProcessPool
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cards.content import workers
from cards.content.sync import ImportFailed, NoteFile, import_deck
from cards.models import Card, Deck, Note, NoteLink, Question

DECK = Path(__file__).resolve().parents[2] / "content" / "aws-lambda"
forks = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked on Linux only"
)


@forks
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


@forks
@pytest.mark.django_db
@pytest.mark.parametrize("use", ["query", "close"])
def test_a_worker_process_cannot_use_the_database(use):
    def touch(_):
        if use == "close":
            connection.close()  # would end this process's session on PostgreSQL
        return Card.objects.count()

    Card.objects.count()  # this process's connection is open, as an import's is
    with pytest.raises(RuntimeError, match="must not use the database"):
        workers.process_all(touch, list(range(100)), processes=2)
    assert Card.objects.count() == 0, "this process's connection still works"


@forks
def test_a_worker_killed_stops_the_job_instead_of_hanging():
    def work(n):
        if n == 77:
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does when memory runs out
        return n

    with pytest.raises(BrokenProcessPool):
        workers.process_all(work, list(range(150)), processes=2)


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
    links = sorted(
        (link.source.path, link.target.path if link.target else None, link.target_text, link.line)
        for link in NoteLink.objects.filter(source__deck__slug=slug).select_related(
            "source", "target"
        )
    )
    return {"notes": notes, "cards": cards, "questions": questions, "links": links}


@forks
@pytest.mark.django_db
def test_the_deck_imported_on_two_processes_equals_the_one_imported_on_one(monkeypatch):
    monkeypatch.setattr(workers, "MIN_NOTES_PER_PROCESS", 5)  # the real deck has 27 notes
    forked = []
    process_all = workers.process_all

    def counted(work, items, *, processes=1, progress=None):
        forked.append(min(processes, len(items) // workers.MIN_NOTES_PER_PROCESS))
        return process_all(work, items, processes=processes, progress=progress)

    monkeypatch.setattr("cards.content.sync.process_all", counted)

    def imported(processes: str) -> tuple[dict, dict]:
        out = StringIO()
        call_command(
            "import_notes", str(DECK), "--deck", "lambda", "--json", "--processes", processes,
            stdout=out, stderr=StringIO(),
        )  # fmt: skip
        return _deck("lambda"), json.loads(out.getvalue())

    one, one_report = imported("1")
    Deck.objects.filter(slug="lambda").delete()
    two, two_report = imported("2")
    assert forked == [1, 2]
    assert two_report == one_report, "the same counts and warnings"
    assert one["links"] and two["links"] == one["links"]
    assert len(one["notes"]) > 20 and len(one["cards"]) > 500, "the whole deck was imported"
    assert two["notes"] == one["notes"]
    assert two["cards"] == one["cards"]
    assert two["questions"] == one["questions"]


@pytest.mark.parametrize(
    "cpu_max, cores", [("max 100000\n", None), ("200000 100000\n", 2), ("50000 100000\n", 1)]
)
def test_a_container_quota_caps_the_cores(tmp_path, monkeypatch, cpu_max, cores):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
    monkeypatch.setattr(workers, "CPU_MAX", tmp_path / "cpu.max")
    (tmp_path / "cpu.max").write_text(cpu_max)
    assert workers.available_cores() == (cores or 64)
    (tmp_path / "cpu.max").unlink()
    assert workers.available_cores() == 64, "no cgroup file: every CPU it may run on"


def test_the_command_refuses_zero_processes():
    with pytest.raises(CommandError, match="--processes must be 1 or more"):
        call_command("import_notes", str(DECK), "--processes", "0", stdout=StringIO())


@pytest.mark.django_db
def test_an_import_collects_garbage_less_often_and_puts_the_collector_back(monkeypatch):
    before = gc.get_threshold()
    seen = []
    monkeypatch.setattr(
        "cards.content.sync.merge", lambda deck, report: seen.append(gc.get_threshold())
    )
    import_deck("d", [NoteFile("n.md", b"# Topic\n\n- Max timeout? :: 900 seconds\n")])
    assert seen == [(workers.IMPORT_GC_THRESHOLD, *before[1:])], "raised while importing"
    assert gc.get_threshold() == before, "and put back after"

    with pytest.raises(ImportFailed):
        import_deck("d", [NoteFile("bad.md", b"\x00" * 10)])
    assert gc.get_threshold() == before, "put back after a failed import too"

    # Two imports at once in threads: the threshold goes back only when both are done.
    inside, release = threading.Event(), threading.Event()

    def slow_import():
        with workers.fewer_collections():
            inside.set()
            release.wait(5)

    other = threading.Thread(target=slow_import)
    other.start()
    inside.wait(5)
    with workers.fewer_collections():
        pass
    assert gc.get_threshold()[0] == workers.IMPORT_GC_THRESHOLD, "the other import still runs"
    release.set()
    other.join(5)
    assert gc.get_threshold() == before
