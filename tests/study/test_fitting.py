"""Fitting a student's own FSRS parameters (pure): the history as training items, as Anki makes
them, and a fit that is kept only when it predicts the history better."""

import re

import pytest

from bench.history import generate_history
from cards.study import fitting
from cards.study.fitting import Review


def reviews_of(history):
    return [
        Review(r.card, order, r.day, r.rating, r.state_before in (0, 1))
        for order, r in enumerate(history)
    ]


def pairs(item) -> list[tuple[int, int]]:
    """An item's reviews as (rating, days since the previous one); the engine's reviews show
    their fields only in their repr."""
    found = re.findall(r"rating: (\d+), delta_t: (\d+)", repr(item.reviews))
    return [(int(rating), int(delta)) for rating, delta in found]


def test_items_are_the_reviews_on_a_later_day_with_everything_before_them():
    reviews = [
        Review(7, 0, 100, 1, learning=True),
        Review(7, 1, 100, 3, learning=True),  # a learning step the same day: no item
        Review(7, 2, 103, 3, learning=False),
        Review(7, 3, 110, 4, learning=False),
    ]
    items, card_ids = fitting.training_items(reviews)
    assert card_ids == [7, 7]
    assert [pairs(item) for item in items] == [
        [(1, 0), (3, 0), (3, 3)],
        [(1, 0), (3, 0), (3, 3), (4, 7)],
    ]


def test_a_card_learnt_again_after_forget_starts_its_history_afresh():
    reviews = [
        Review(1, 0, 1, 3, learning=True),
        Review(1, 1, 5, 3, learning=False),
        Review(1, 2, 20, 3, learning=True),  # forgotten (made new) and learnt again
        Review(1, 3, 22, 3, learning=False),
    ]
    items, _ = fitting.training_items(reviews)
    assert [pairs(item) for item in items] == [[(3, 0), (3, 2)]]


def test_a_card_without_a_learning_review_teaches_nothing():
    assert fitting.training_items([Review(1, 0, 1, 3, False), Review(1, 1, 4, 3, False)]) == (
        [],
        [],
    )


def test_relearning_steps_count_while_they_fit_in_a_day():
    from datetime import timedelta

    steps = [timedelta(minutes=10), timedelta(hours=1), timedelta(days=1)]
    assert fitting.relearning_steps_in_a_day(steps) == 2


def test_a_fit_to_a_student_unlike_the_average_predicts_them_better():
    items, card_ids = fitting.training_items(reviews_of(generate_history(3000)))
    result = fitting.fit(items, card_ids)
    assert result.after.log_loss < result.before.log_loss, "log loss falls"
    assert result.after.rmse < result.before.rmse, "RMSE falls"
    assert result.parameters == result.fitted and result.improved


def test_a_fit_that_is_not_better_keeps_the_parameters_in_use():
    items, card_ids = fitting.training_items(reviews_of(generate_history(3000)))
    first = fitting.fit(items, card_ids)
    again = fitting.fit(items, card_ids, current=first.fitted)
    assert again.parameters == first.fitted, "the same fit again is no better: kept"
    assert again.after.log_loss >= again.before.log_loss


def test_too_short_a_history_is_refused_with_the_count():
    items, card_ids = fitting.training_items(reviews_of(generate_history(300)))
    with pytest.raises(ValueError, match=f"Only {len(items)} reviews count"):
        fitting.fit(items, card_ids)
