"""The study queue, grading once, undo and bury in the database layer (cards/study.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cards import study
from cards.models import Card, CardState, ReviewLog, StudySettings
from cards.scheduling import Rating, State
from cards.sync import NoteFile, import_deck


def make_deck(n=10, slug="d", extra=""):
    lines = "".join(f"- Question number {i}? :: Answer {i}\n" for i in range(n))
    import_deck(slug, [NoteFile("n.md", f"# Topic\n\n{lines}{extra}".encode())])
    return list(Card.objects.filter(note__deck__slug=slug).order_by("pk"))


def grade(user, card, rating=Rating.GOOD, now=None):
    state = CardState.objects.filter(user=user, card=card).first()
    return study.grade(
        user, card_id=card.pk, version=state.version if state else 0, rating=rating, now=now
    )


@pytest.fixture
def cards(db):
    return make_deck()


def test_new_cards_come_in_deck_order_with_counts(alice, cards):
    turn = study.next_turn(alice, study.Scope())
    assert turn.card == cards[0]
    assert (turn.counts.new, turn.counts.learning, turn.counts.review) == (10, 0, 0)
    assert turn.queue == "new"


def test_daily_new_limit_holds_back_new_cards(alice, cards):
    StudySettings.objects.create(user=alice, new_per_day=2)
    for _ in range(2):
        turn = study.next_turn(alice, study.Scope())
        grade(alice, turn.card, Rating.EASY)
    turn = study.next_turn(alice, study.Scope())
    assert turn.card is None, "the limit of two new cards a day is reached"
    assert turn.new_left_today == 1


def test_due_learning_comes_before_due_reviews_before_new(alice, cards):
    now = timezone.now()
    grade(alice, cards[0], Rating.EASY, now=now - timedelta(days=30))  # review, due long ago
    grade(alice, cards[1], Rating.AGAIN, now=now - timedelta(hours=1))  # learning, due
    turn = study.next_turn(alice, study.Scope(), now=now)
    assert turn.card == cards[1] and turn.queue == "learning"
    grade(alice, cards[1], Rating.EASY, now=now)
    turn = study.next_turn(alice, study.Scope(), now=now)
    assert turn.card == cards[0] and turn.queue == "review"


def test_a_grade_counts_once_even_when_posted_twice(alice, cards):
    grade(alice, cards[0])
    with pytest.raises(study.Stale):
        study.grade(alice, card_id=cards[0].pk, version=0, rating=Rating.GOOD)
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert CardState.objects.get(user=alice, card=cards[0]).reps == 1


def test_undo_restores_state_and_counts_exactly(alice, cards):
    grade(alice, cards[0], Rating.EASY)
    state = CardState.objects.get(user=alice, card=cards[0])
    before = {f: getattr(state, f) for f in study.MEMORY_FIELDS}
    counts_before = study.next_turn(alice, study.Scope()).counts
    grade(alice, cards[0], Rating.AGAIN, now=timezone.now() + timedelta(days=20))
    assert study.undo(alice) == cards[0].pk
    state.refresh_from_db()
    assert {f: getattr(state, f) for f in study.MEMORY_FIELDS} == before
    assert study.next_turn(alice, study.Scope()).counts == counts_before
    assert ReviewLog.objects.filter(user=alice).count() == 1


def test_undo_of_a_first_review_makes_the_card_new_again(alice, cards):
    counts_before = study.next_turn(alice, study.Scope()).counts
    grade(alice, cards[0])
    assert study.undo(alice) == cards[0].pk
    assert not CardState.objects.filter(user=alice).exists()
    assert study.next_turn(alice, study.Scope()).counts == counts_before


def test_cloze_siblings_are_not_shown_the_same_day(alice, db):
    import_deck(
        "c",
        [NoteFile("c.md", b"# Limits\n\n- The ==timeout== is at most ==900 seconds== per run.\n")],
    )
    siblings = list(Card.objects.filter(kind="cloze").order_by("pk"))
    assert len(siblings) == 2 and siblings[0].sibling_group == siblings[1].sibling_group
    grade(alice, siblings[0], Rating.EASY)
    turn = study.next_turn(alice, study.Scope())
    assert turn.card is None, "the sibling waits for another day"


def test_bury_hides_a_card_until_tomorrow_and_suspend_until_unsuspended(alice, cards):
    study.bury(alice, cards[0].pk)
    assert study.next_turn(alice, study.Scope()).card == cards[1]
    tomorrow = timezone.now() + timedelta(days=1)
    assert study.next_turn(alice, study.Scope(), now=tomorrow).card == cards[0]
    study.set_suspended(alice, cards[1].pk, True)
    assert study.next_turn(alice, study.Scope(), now=tomorrow).counts.new == 9
    study.set_suspended(alice, cards[1].pk, False)
    assert study.next_turn(alice, study.Scope(), now=tomorrow).counts.new == 10


def test_one_users_reviews_never_touch_another_users_queue(alice, bob, cards):
    grade(alice, cards[0])
    assert study.next_turn(bob, study.Scope()).counts.new == 10
    assert not CardState.objects.filter(user=bob).exists()


def test_scope_limits_the_queue_to_one_deck_or_note(alice, cards):
    other = make_deck(3, slug="other")
    scope = study.Scope(deck_id=other[0].note.deck_id)
    turn = study.next_turn(alice, scope)
    assert turn.card == other[0] and turn.counts.new == 3
    assert study.next_turn(alice, study.Scope(note_id=cards[0].note_id)).counts.new == 10


def test_retired_cards_leave_the_queue(alice, cards):
    Card.objects.filter(pk=cards[0].pk).update(status=Card.Status.RETIRED)
    assert study.next_turn(alice, study.Scope()).card == cards[1]


def test_nothing_due_says_when_the_next_card_is(alice, db):
    card = make_deck(1)[0]
    grade(alice, card, Rating.EASY)
    turn = study.next_turn(alice, study.Scope())
    assert turn.card is None and turn.next_due is not None
    assert turn.next_due > timezone.now() + timedelta(days=1)


def test_streak_counts_consecutive_days(alice, cards):
    now = timezone.now()
    for days_ago, card in [(0, cards[0]), (1, cards[1]), (2, cards[2]), (4, cards[3])]:
        grade(alice, card, now=now - timedelta(days=days_ago))
    assert study.streak(alice, now=now) == 3


def test_state_after_grade_matches_the_scheduler(alice, cards):
    log = grade(alice, cards[0], Rating.GOOD)
    state = CardState.objects.get(user=alice, card=cards[0])
    assert state.state == State.LEARNING and log.state_before == State.NEW
    assert state.version == 1
