"""A student's own FSRS parameters: their review history as the FSRS engine's training items,
fitted and judged by fsrs-rs (the Rust engine Anki uses), the way Anki does it.

Pure: never imports Django; the database layer (parameters.py) hands it plain reviews.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

import fsrs_rs_python as engine
from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

DEFAULT_PARAMETERS = tuple(engine.DEFAULT_PARAMETERS)
# Anki's compute_params: "this does not return an error if there are less than 400 items - the
# caller should instead check the fsrs_items count" (rslib/src/scheduler/fsrs/params.rs), and
# its message for too short a history is "Only N reviews were found" against 400.
MIN_ITEMS = 400
# Anki optimises with eight passes over the history (TrainingConfig num_epochs: 8).
EPOCHS = 8


@dataclass(frozen=True)
class Review:
    """One grade of one card, as the fit needs it."""

    card_id: int
    order: int  # its place in the student's history, oldest first
    day: int  # the student's study day it fell on, as a day number
    rating: int  # 1..4
    learning: bool  # the card was new or in its first learning steps (Anki's "Learning" kind)


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict the history: lower is better for both."""

    log_loss: float
    rmse: float  # RMSE over bins of predicted recall, as fsrs-rs reports it ("rmse_bins")


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]  # what to use from now on: fitted, or `current` when not better
    fitted: tuple[float, ...]
    before: Evaluation  # of the parameters in use before the fit
    after: Evaluation  # of the fitted parameters
    items: int

    @property
    def improved(self) -> bool:
        return self.parameters == self.fitted and self.parameters != DEFAULT_PARAMETERS


def training_items(reviews: Iterable[Review]) -> tuple[list, list[int]]:
    """The FSRS items and their card ids, as Anki's fsrs_items_for_training makes them.

    Per card, history starts at its last run of learning reviews (a card reset to new and
    learnt again starts afresh; a card with no learning review is left out); every later review
    on a day after the one before it is an item holding all the card's reviews up to it. Items
    are ordered by when their review happened."""
    found = []
    ordered = sorted(reviews, key=lambda review: (review.card_id, review.order))
    for card_id, group in groupby(ordered, key=lambda review: review.card_id):
        history = list(group)
        start = None
        for index in range(len(history) - 1, -1, -1):
            if history[index].learning:
                start = index
            elif start is not None:
                break
        if start is None:
            continue
        history = history[start:]
        so_far = []
        for index, review in enumerate(history):
            delta = review.day - history[index - 1].day if index else 0
            so_far.append(engine.FSRSReview(review.rating, max(delta, 0)))
            if index and delta > 0:
                found.append((review.order, card_id, engine.FSRSItem(list(so_far))))
    found.sort(key=lambda entry: entry[0])
    return [item for _, _, item in found], [card_id for _, card_id, _ in found]


def relearning_steps_in_a_day(steps: Sequence[timedelta]) -> int:
    """How many relearning steps fit in the day of a lapse, as Anki counts them for the fit."""
    count, total = 0, timedelta(0)
    for step in steps:
        total += step
        if total >= timedelta(days=1):
            break
        count += 1
    return count


def evaluate(parameters: Sequence[float], items: list) -> Evaluation:
    result = engine.FSRS(list(parameters)).evaluate(items)
    return Evaluation(log_loss=result.log_loss, rmse=result.rmse_bins)


def fit(
    items: list,
    card_ids: list[int],
    *,
    current: Sequence[float] = DEFAULT_PARAMETERS,
    relearning_steps: int = 1,
) -> Fit:
    """Fit parameters to `items`; keep `current` unless the fit predicts the history better
    (Anki keeps the current parameters when their log loss is not above the fitted ones')."""
    if len(items) < MIN_ITEMS:
        raise ValueError(f"Only {len(items)} reviews count for the fit; it needs {MIN_ITEMS}.")
    current = tuple(current) or DEFAULT_PARAMETERS
    fitted = engine.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(
        items,
        card_ids=card_ids,
        enable_short_term=True,
        num_relearning_steps=relearning_steps,
        training_config=engine.TrainingConfig(num_epochs=EPOCHS),
    )
    # The scheduler (the fsrs package) refuses values outside its own bounds, which may be a
    # hair narrower than the engine's; the fit is judged as it will be used.
    fitted = tuple(
        min(max(value, low), high)
        for value, low, high in zip(
            fitted, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )
    before, after = evaluate(current, items), evaluate(fitted, items)
    chosen = fitted if after.log_loss < before.log_loss else current
    return Fit(parameters=chosen, fitted=fitted, before=before, after=after, items=len(items))
