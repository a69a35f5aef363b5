"""The study queue, grading once, undo and bury in the database layer (cards/study.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, Note, ReviewLog, StudySettings
from cards.study import grading, queue, stats
from cards.study.scheduling import Rating, State


def make_deck(n=10, slug="d", extra=""):
    lines = "".join(f"- Question number {i}? :: Answer {i}\n" for i in range(n))
    import_deck(slug, [NoteFile("n.md", f"# Topic\n\n{lines}{extra}".encode())])
    return list(Card.objects.filter(note__deck__slug=slug).order_by("pk"))


def grade(user, card, rating=Rating.GOOD, now=None):
    state = CardState.objects.filter(user=user, card=card).first()
    return grading.grade(
        user, card_id=card.pk, version=state.version if state else 0, rating=rating, now=now
    )


@pytest.fixture
def cards(db):
    return make_deck()


def test_new_cards_come_in_deck_order_with_counts(alice, cards):
    turn = queue.next_turn(alice, queue.Scope())
    assert turn.card == cards[0]
    assert (turn.counts.new, turn.counts.learning, turn.counts.review) == (10, 0, 0)
    assert turn.queue == "new"


def test_daily_new_limit_holds_back_new_cards(alice, cards):
    StudySettings.objects.create(user=alice, new_per_day=2)
    for _ in range(2):
        turn = queue.next_turn(alice, queue.Scope())
        grade(alice, turn.card, Rating.EASY)
    turn = queue.next_turn(alice, queue.Scope())
    assert turn.card is None, "the limit of two new cards a day is reached"
    assert turn.new_left_today == 1


def test_due_learning_comes_before_due_reviews_before_new(alice, cards):
    now = timezone.now()
    grade(alice, cards[0], Rating.EASY, now=now - timedelta(days=30))  # review, due long ago
    grade(alice, cards[1], Rating.AGAIN, now=now - timedelta(hours=1))  # learning, due
    turn = queue.next_turn(alice, queue.Scope(), now=now)
    assert turn.card == cards[1] and turn.queue == "learning"
    grade(alice, cards[1], Rating.EASY, now=now)
    turn = queue.next_turn(alice, queue.Scope(), now=now)
    assert turn.card == cards[0] and turn.queue == "review"


def test_a_grade_counts_once_even_when_posted_twice(alice, cards):
    grade(alice, cards[0])
    with pytest.raises(grading.Stale):
        grading.grade(alice, card_id=cards[0].pk, version=0, rating=Rating.GOOD)
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert CardState.objects.get(user=alice, card=cards[0]).reps == 1


def test_undo_restores_state_and_counts_exactly(alice, cards):
    grade(alice, cards[0], Rating.EASY)
    state = CardState.objects.get(user=alice, card=cards[0])
    before = {f: getattr(state, f) for f in grading.MEMORY_FIELDS}
    counts_before = queue.next_turn(alice, queue.Scope()).counts
    grade(alice, cards[0], Rating.AGAIN, now=timezone.now() + timedelta(days=20))
    assert grading.undo(alice).card_id == cards[0].pk
    state.refresh_from_db()
    assert {f: getattr(state, f) for f in grading.MEMORY_FIELDS} == before
    assert queue.next_turn(alice, queue.Scope()).counts == counts_before
    assert ReviewLog.objects.filter(user=alice).count() == 1


def test_undo_of_a_first_review_makes_the_card_new_again(alice, cards):
    counts_before = queue.next_turn(alice, queue.Scope()).counts
    grade(alice, cards[0])
    assert grading.undo(alice).card_id == cards[0].pk
    assert not CardState.objects.filter(user=alice).exists()
    assert queue.next_turn(alice, queue.Scope()).counts == counts_before


def test_cloze_siblings_are_not_shown_the_same_day(alice, db):
    import_deck(
        "c",
        [NoteFile("c.md", b"# Limits\n\n- The ==timeout== is at most ==900 seconds== per run.\n")],
    )
    siblings = list(Card.objects.filter(kind="cloze").order_by("pk"))
    assert len(siblings) == 2 and siblings[0].sibling_group == siblings[1].sibling_group
    grade(alice, siblings[0], Rating.EASY)
    turn = queue.next_turn(alice, queue.Scope())
    assert turn.card is None, "the sibling waits for another day"


def test_bury_hides_a_card_until_tomorrow_and_suspend_until_unsuspended(alice, cards):
    grading.bury(alice, cards[0].pk)
    assert queue.next_turn(alice, queue.Scope()).card == cards[1]
    tomorrow = timezone.now() + timedelta(days=1)
    assert queue.next_turn(alice, queue.Scope(), now=tomorrow).card == cards[0]
    grading.set_suspended(alice, cards[1].pk, True)
    assert queue.next_turn(alice, queue.Scope(), now=tomorrow).counts.new == 9
    grading.set_suspended(alice, cards[1].pk, False)
    assert queue.next_turn(alice, queue.Scope(), now=tomorrow).counts.new == 10


def test_one_users_reviews_never_touch_another_users_queue(alice, bob, cards):
    grade(alice, cards[0])
    assert queue.next_turn(bob, queue.Scope()).counts.new == 10
    assert not CardState.objects.filter(user=bob).exists()


def test_scope_limits_the_queue_to_one_deck_or_note(alice, cards):
    other = make_deck(3, slug="other")
    scope = queue.Scope(deck_id=other[0].note.deck_id)
    turn = queue.next_turn(alice, scope)
    assert turn.card == other[0] and turn.counts.new == 3
    assert queue.next_turn(alice, queue.Scope(note_id=cards[0].note_id)).counts.new == 10


def test_retired_cards_leave_the_queue(alice, cards):
    Card.objects.filter(pk=cards[0].pk).update(status=Card.Status.RETIRED)
    assert queue.next_turn(alice, queue.Scope()).card == cards[1]


def test_nothing_due_says_when_the_next_card_is(alice, db):
    card = make_deck(1)[0]
    grade(alice, card, Rating.EASY)
    turn = queue.next_turn(alice, queue.Scope())
    assert turn.card is None and turn.next_due is not None
    assert turn.next_due > timezone.now() + timedelta(days=1)


def test_streak_counts_consecutive_days(alice, cards):
    now = timezone.now()
    for days_ago, card in [(0, cards[0]), (1, cards[1]), (2, cards[2]), (4, cards[3])]:
        grade(alice, card, now=now - timedelta(days=days_ago))
    assert stats.streak(alice, now=now) == 3


def test_state_after_grade_matches_the_scheduler(alice, cards):
    log = grade(alice, cards[0], Rating.GOOD)
    state = CardState.objects.get(user=alice, card=cards[0])
    assert state.state == State.LEARNING and log.state_before == State.NEW
    assert state.version == 1


def test_daily_review_limit_caps_the_review_count(alice, cards):
    StudySettings.objects.create(user=alice, reviews_per_day=3)
    now = timezone.now()
    for card in cards[:5]:
        grade(alice, card, Rating.EASY, now=now - timedelta(days=60))  # all due again by now
    turn = queue.next_turn(alice, queue.Scope(), now=now)
    assert turn.counts.review == 3, "five reviews are due but the day allows three"
    for _ in range(3):
        turn = queue.next_turn(alice, queue.Scope(), now=now)
        assert turn.queue == "review"
        grade(alice, turn.card, Rating.GOOD, now=now)
    turn = queue.next_turn(alice, queue.Scope(), now=now)
    assert turn.counts.review == 0 and turn.queue == "new", "the limit is spent: new cards next"


def test_reviews_come_most_overdue_first(alice, cards):
    now = timezone.now()
    grade(alice, cards[0], Rating.EASY, now=now - timedelta(days=40))
    grade(alice, cards[1], Rating.EASY, now=now - timedelta(days=90))
    assert queue.next_turn(alice, queue.Scope(), now=now).card == cards[1]


def test_learning_card_not_yet_due_waits_until_nothing_else_is_left(alice, db):
    cards = make_deck(2)
    now = timezone.now()
    grade(alice, cards[0], Rating.AGAIN, now=now)  # back in a minute
    turn = queue.next_turn(alice, queue.Scope(), now=now)
    assert turn.card == cards[1], "a new card comes before a learning card not due yet"
    assert (turn.counts.new, turn.counts.learning) == (1, 1)
    grade(alice, cards[1], Rating.EASY, now=now)
    turn = queue.next_turn(alice, queue.Scope(), now=now)
    assert turn.card == cards[0] and turn.queue == "learning", "learning ahead, as in Anki"
    later = now + timedelta(hours=1)
    assert queue.next_turn(alice, queue.Scope(), now=later).card == cards[0]


def test_a_buried_new_card_comes_back_as_new_the_next_day(alice, cards):
    grading.bury(alice, cards[0].pk)
    assert queue.next_turn(alice, queue.Scope()).counts.new == 9
    tomorrow = timezone.now() + timedelta(days=1)
    turn = queue.next_turn(alice, queue.Scope(), now=tomorrow)
    assert turn.card == cards[0] and turn.queue == "new" and turn.counts.new == 10


def test_cards_of_a_draft_note_stay_out_of_the_queue(alice, db):
    draft = "".join(f"- Draft question {i}? :: Answer {i}\n" for i in range(4))
    published = "".join(f"- Question number {i}? :: Answer {i}\n" for i in range(6))
    import_deck("d", [NoteFile("a.md", draft.encode()), NoteFile("b.md", published.encode())])
    Note.objects.filter(path="a.md").update(published=False)
    cards = list(Card.objects.order_by("pk"))
    turn = queue.next_turn(alice, queue.Scope())
    assert turn.card == cards[4] and turn.counts.new == 6
    assert queue.next_turn(alice, queue.Scope(), prefer=cards[0].pk).card == cards[4]


def test_grading_a_retired_card_is_refused_and_writes_nothing(alice, cards):
    Card.objects.filter(pk=cards[0].pk).update(status=Card.Status.RETIRED)
    with pytest.raises(Card.DoesNotExist):
        grading.grade(alice, card_id=cards[0].pk, version=0, rating=Rating.GOOD)
    assert not ReviewLog.objects.exists() and not CardState.objects.exists()


def test_the_card_shown_carries_its_note_and_the_users_state(
    alice, bob, cards, django_assert_num_queries
):
    grade(bob, cards[0], Rating.EASY)
    turn = queue.next_turn(alice, queue.Scope())
    assert turn.card == cards[0] and turn.state is None, "bob's state is not alice's"
    grade(alice, cards[0], Rating.AGAIN)
    turn = queue.next_turn(alice, queue.Scope(), prefer=cards[0].pk)
    assert turn.state.user_id == alice.pk and turn.state.version == 1
    assert turn.state.due.tzinfo is not None and turn.state.state == State.LEARNING
    expected_url = Card.objects.get(pk=cards[0].pk).source_url()
    with django_assert_num_queries(0):  # the review screen needs no more queries
        assert turn.card.note.title == "Topic" and turn.card.heading_path == ["Topic"]
        assert turn.card.source_url() == expected_url


def test_studying_one_deck_does_not_hide_its_new_cards_from_all_decks(alice, cards):
    other = make_deck(3, slug="other")
    deck_scope = queue.Scope(deck_id=other[0].deck_id)
    for _ in range(2):
        turn = queue.next_turn(alice, deck_scope)
        grade(alice, turn.card, Rating.EASY)
    everything = queue.next_turn(alice, queue.Scope())
    assert everything.counts.new == 11 and everything.card == cards[0]
    assert queue.next_turn(alice, deck_scope).card == other[2]


def test_a_streak_longer_than_a_month_is_counted_in_full(alice, cards):
    now = timezone.now()
    days = [*range(0, 40), *range(41, 45)]  # forty days in a row, a day off, then four more
    ReviewLog.objects.bulk_create(
        ReviewLog(
            user=alice, card=cards[0], rating=3, reviewed_at=now - timedelta(days=ago),
            state_before=2, state_after=2, after={},
        )
        for ago in days
    )  # fmt: skip
    assert stats.streak(alice, now=now) == 40
    assert stats.streak(alice, now=now + timedelta(days=1)) == 40, "none yet today: to yesterday"
    assert stats.streak(alice, now=now + timedelta(days=2)) == 0


# A Los Angeles evening in January (UTC-8): 22:00 there is 06:00 UTC the next day.
LA = "America/Los_Angeles"


def la(day: int, hour: int, minute: int = 0):
    from zoneinfo import ZoneInfo

    return timezone.datetime(2026, 1, day, hour, minute, tzinfo=ZoneInfo(LA))


def test_the_new_card_limit_resets_at_the_hour_the_users_day_starts(alice, cards):
    StudySettings.objects.create(user=alice, new_per_day=1, time_zone=LA, day_starts_at=4)
    grade(alice, queue.next_turn(alice, queue.Scope(), now=la(15, 22)).card, now=la(15, 22))
    for still_the_same_day in (la(15, 23, 30), la(16, 3, 30)):  # past UTC midnight, before 4:00
        turn = queue.next_turn(alice, queue.Scope(), now=still_the_same_day)
        assert turn.counts.new == 0, f"the day's one new card is used at {still_the_same_day}"
    assert queue.next_turn(alice, queue.Scope(), now=la(16, 4, 30)).counts.new == 1


def test_bury_lasts_until_the_users_next_day(alice, cards):
    StudySettings.objects.create(user=alice, time_zone=LA, day_starts_at=4)
    grading.bury(alice, cards[0].pk, now=la(15, 22))
    assert queue.next_turn(alice, queue.Scope(), now=la(16, 3)).card == cards[1]
    assert queue.next_turn(alice, queue.Scope(), now=la(16, 5)).card == cards[0]


def test_streak_counts_the_users_days_not_utc_days(alice, cards):
    StudySettings.objects.create(user=alice, time_zone=LA, day_starts_at=4)
    # 01:00 belongs to the day before (it starts at 4:00); both are the 15th in UTC.
    grade(alice, cards[0], now=la(15, 1))
    grade(alice, cards[1], now=la(15, 10))
    assert stats.streak(alice, now=la(15, 11)) == 2


def test_heatmap_puts_a_late_review_on_the_users_day(alice, cards):
    prefs = StudySettings.objects.create(user=alice, time_zone=LA, day_starts_at=4)
    grade(alice, cards[0], now=la(15, 22))  # 06:00 UTC on the 16th
    cells = stats.heatmap(alice, now=la(16, 12), prefs=prefs).cells
    counts = {cell.day.day: cell.count for cell in cells if cell.day.month == 1}
    assert counts[15] == 1 and counts[16] == 0
