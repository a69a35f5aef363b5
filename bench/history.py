"""A realistic generated review history: a student whose memory is not FSRS's average one,
studying on the default parameters for months. The bench times fitting it; the tests fit a
small one.

The student's "true" memory is FSRS with parameters of its own (first memories weaker than
average, forgetting a little faster); the app schedules them with the default parameters, and
each review is recalled with the chance the true memory gives. So the defaults mispredict this
student, and a fit has something to find, as it would for a real one.
"""

import random
from dataclasses import dataclass

import fsrs_rs_python as engine

DEFAULTS = list(engine.DEFAULT_PARAMETERS)
# The student's own memory: first-day stabilities less than half the average, a slower growth
# of stability after a success, a steeper forgetting curve.
TRUE_PARAMETERS = [
    *(w * 0.4 for w in DEFAULTS[:4]),
    *DEFAULTS[4:8],
    DEFAULTS[8] * 0.8,
    *DEFAULTS[9:20],
    0.3,
]
FIRST_RATINGS = ((1, 0.2), (2, 0.1), (3, 0.6), (4, 0.1))
PASS_RATINGS = ((2, 0.15), (3, 0.75), (4, 0.1))


@dataclass(frozen=True)
class GeneratedReview:
    card: int  # 0-based card number
    day: int  # days since the student began
    minute: int  # minutes into that day
    rating: int
    state_before: int  # 0 new, 1 learning, 2 review, 3 relearning (scheduling.State)
    interval_before: float  # days between the card's previous review and its due date


def _recall(memory, elapsed: int, decay: float) -> float:
    factor = 0.9 ** (1 / -decay) - 1
    return (1 + factor * max(elapsed, 0) / memory.stability) ** -decay


def _pick(rng: random.Random, weighted) -> int:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


def generate_history(reviews: int, *, new_per_day: int = 20, seed: int = 16) -> list:
    """About `reviews` GeneratedReviews, in the order they happened: new cards introduced
    `new_per_day` a day, each reviewed when the default parameters say it is due."""
    rng = random.Random(seed)
    scheduler, truth = engine.FSRS(DEFAULTS), engine.FSRS(TRUE_PARAMETERS)
    decay = TRUE_PARAMETERS[20]
    cards = []  # [due day, last day, scheduled memory, true memory, interval]
    history = []
    day = 0
    while len(history) < reviews:
        due = [number for number, card in enumerate(cards) if card[0] <= day]
        for minute, number in enumerate(due):
            due_day, last, planned, real, interval = cards[number]
            elapsed = day - last
            remembered = rng.random() < _recall(real, elapsed, decay)
            rating = _pick(rng, PASS_RATINGS) if remembered else 1
            history.append(GeneratedReview(number, day, minute, rating, 2, interval))
            planned_next = getattr(scheduler.next_states(planned, 0.9, elapsed), _NAME[rating])
            real_next = getattr(truth.next_states(real, 0.9, elapsed), _NAME[rating])
            if rating == 1:  # one relearning step the same day, then Good
                history.append(GeneratedReview(number, day, minute + 10, 3, 3, 0))
                planned_next = scheduler.next_states(planned_next.memory, 0.9, 0).good
                real_next = truth.next_states(real_next.memory, 0.9, 0).good
            gap = max(1, round(planned_next.interval))
            cards[number] = [day + gap, day, planned_next.memory, real_next.memory, gap]
        for offset in range(new_per_day):
            number = len(cards)
            minute = len(due) + offset
            first = _pick(rng, FIRST_RATINGS)
            history.append(GeneratedReview(number, day, minute, first, 0, 0))
            planned = getattr(scheduler.next_states(None, 0.9, 0), _NAME[first])
            real = getattr(truth.next_states(None, 0.9, 0), _NAME[first])
            if first < 3:  # a learning step later that day, then Good
                history.append(GeneratedReview(number, day, minute + 10, 3, 1, 0))
                planned = scheduler.next_states(planned.memory, 0.9, 0).good
                real = truth.next_states(real.memory, 0.9, 0).good
            gap = max(1, round(planned.interval))
            cards.append([day + gap, day, planned.memory, real.memory, gap])
        day += 1
    return history[:reviews]


_NAME = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def save_history(user, history: list, *, deck_slug: str = "history") -> None:
    """Store a generated history as `user`'s review log, on a deck of one card per generated
    card (100 cards a note), the last review today."""
    from datetime import timedelta

    from django.utils import timezone

    from cards.models import Card, Deck, Note, ReviewLog

    cards_needed = max(review.card for review in history) + 1
    deck = Deck.objects.create(slug=deck_slug, title=f"Generated {deck_slug}")
    notes = Note.objects.bulk_create(
        Note(deck=deck, path=f"n{i}.md", title=f"Note {i}", slug=f"n{i}", source="")
        for i in range(cards_needed // 100 + 1)
    )
    cards = Card.objects.bulk_create(
        (
            Card(
                note=notes[i // 100],
                deck=deck,
                key=f"k{i}",
                kind="basic",
                front=f"Generated question {i}?",
                back=f"Answer {i}",
                position=i,
            )
            for i in range(cards_needed)
        ),
        batch_size=2000,
    )
    ids = [card.pk for card in cards]
    start = timezone.now() - timedelta(days=history[-1].day, hours=1)
    ReviewLog.objects.bulk_create(
        (
            ReviewLog(
                user=user,
                card_id=ids[review.card],
                rating=review.rating,
                reviewed_at=start + timedelta(days=review.day, seconds=review.minute),
                state_before=review.state_before,
                state_after=2,
                interval_days_before=review.interval_before,
                after={},
            )
            for review in history
        ),
        batch_size=5000,
    )
