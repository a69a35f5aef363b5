"""Review tallies (ReviewTally): the statistics and the streak count quarter hours instead of
review logs, so every way a log is written, changed or deleted must keep them exact."""

import json
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, ReviewLog, ReviewTally
from cards.portability.personal_data import delete_account, export_user_data, import_user_data
from cards.study import grading, stats
from cards.study.scheduling import Rating
from tests.study.test_queue import grade, make_deck


def recount() -> dict:
    """The tallies as the review logs themselves say they should be."""
    counts = Counter()
    for log in ReviewLog.objects.all():
        key = (log.user_id, int(log.reviewed_at.timestamp()) // 900)
        in_review = log.state_before == 2
        young = in_review and log.interval_days_before < 21
        mature = in_review and log.interval_days_before >= 21
        passed = log.rating > 1
        counts[key, "reviews"] += 1
        counts[key, "young"] += young
        counts[key, "young_passed"] += young and passed
        counts[key, "mature"] += mature
        counts[key, "mature_passed"] += mature and passed
    keys = {key for key, _ in counts}
    fields = ("reviews", "young", "young_passed", "mature", "mature_passed")
    return {key: tuple(counts[key, name] for name in fields) for key in keys}


def tallies() -> dict:
    return {
        (t.user_id, t.quarter): (t.reviews, t.young, t.young_passed, t.mature, t.mature_passed)
        for t in ReviewTally.objects.all()
    }


@pytest.fixture
def cards(db):
    return make_deck(12)


def study(user, cards, *, days_ago: int):
    """A review history: new cards learnt long ago, then reviewed young and mature, some failed."""
    start = timezone.now() - timedelta(days=days_ago)
    for i, card in enumerate(cards):
        grade(user, card, Rating.EASY, now=start + timedelta(minutes=7 * i))
    for offset, rating in ((20, Rating.GOOD), (90, Rating.GOOD), (300, Rating.AGAIN)):
        for i, card in enumerate(cards[:6]):
            grade(user, card, rating, now=start + timedelta(days=offset, minutes=7 * i))


def test_grades_from_two_students_are_tallied_exactly(alice, bob, cards):
    study(alice, cards, days_ago=400)
    study(bob, cards[:4], days_ago=350)
    expected = recount()
    assert tallies() == expected
    assert sum(row[0] for row in expected.values()) == ReviewLog.objects.count() == 12 + 18 + 4 + 12
    assert any(row[1] for row in expected.values()), "some reviews were of young cards"
    assert any(row[3] for row in expected.values()), "some were of mature cards"
    assert any(row[3] > row[4] for row in expected.values()), "some of those failed"


def test_undo_takes_its_review_out_of_the_tallies(alice, cards):
    study(alice, cards, days_ago=350)
    before = tallies()
    grade(alice, cards[0], Rating.AGAIN)
    assert tallies() != before
    grading.undo(alice)
    assert tallies() == before == recount()


def test_imported_and_deleted_histories_are_tallied(alice, bob, cards):
    study(alice, cards, days_ago=60)
    import_user_data(bob, json.dumps(export_user_data(alice)).encode())
    assert tallies() == recount()
    assert {user for user, _ in tallies()} == {alice.pk, bob.pk}
    delete_account(alice)
    assert tallies() == recount()
    assert {user for user, _ in tallies()} == {bob.pk}


def test_a_log_moved_in_time_or_to_another_card_is_tallied_where_it_now_is(alice, cards):
    study(alice, cards, days_ago=40)
    ReviewLog.objects.filter(card=cards[0]).update(reviewed_at=timezone.now())
    ReviewLog.objects.filter(card=cards[1]).update(card=cards[2], rating=1)  # as merging does
    assert tallies() == recount()


def test_reimporting_the_notes_keeps_the_tallies(alice, cards):
    study(alice, cards, days_ago=30)
    before = tallies()
    lines = "".join(f"- Question number {i}? :: Answer {i}\n" for i in range(12))
    import_deck("d", [NoteFile("n.md", f"# Topic renamed\n\n{lines}".encode())])
    assert Card.objects.filter(deck__slug="d").count() >= 12
    assert tallies() == before == recount()


def test_the_streak_and_heatmap_read_the_tallies_a_day_at_a_time(alice, cards):
    now = timezone.now()
    for days_ago in range(5):
        grade(alice, cards[days_ago], Rating.GOOD, now=now - timedelta(days=days_ago))
    assert stats.streak(alice, now=now) == 5
    ReviewTally.objects.filter(user=alice).delete()
    assert stats.streak(alice, now=now) == 0, "the streak is read from the tallies"


@pytest.mark.django_db(transaction=True)
def test_the_migration_tallies_the_history_already_there(django_user_model):
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes("cards")[0]
    make_deck(6)
    user = django_user_model.objects.create(username="old-student")
    now = timezone.now()
    for i, card in enumerate(Card.objects.all()):
        grade(user, card, Rating.GOOD, now=now - timedelta(days=i, minutes=3 * i))
    expected = recount()
    executor.migrate([("cards", "0013_power_study")])
    executor = MigrationExecutor(connection)
    executor.migrate([leaf])
    assert tallies() == expected
    grade(user, Card.objects.order_by("pk").last(), Rating.AGAIN, now=now + timedelta(days=1))
    assert tallies() == recount(), "the triggers are back after the migration"
