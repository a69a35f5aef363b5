"""FSRS scheduling adapter: plain Memory and Settings in, plain Memory out, fuzz deterministic.

Pure: never imports Django; the database layer stores a Memory's fields as plain columns.
"""

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS, FUZZ_RANGES

MIN_RETENTION = 0.70
MAX_RETENTION = 0.99


class State(IntEnum):
    # LEARNING..RELEARNING share their values with fsrs.State; fsrs has no NEW (it starts at
    # Learning, step 0), so NEW exists only here, for cards never reviewed.
    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True)
class Memory:
    """What is stored per user x card; due and last_review are aware UTC datetimes."""

    state: State = State.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0


@dataclass(frozen=True)
class Settings:
    """A user's study settings; raises ValueError when a value is out of range."""

    desired_retention: float = 0.90
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True
    # The student's own FSRS parameters (fitting.py); empty for FSRS's defaults.
    parameters: tuple[float, ...] = ()

    def __post_init__(self):
        # Lists are accepted for convenience; tuples keep Settings hashable for the cache.
        object.__setattr__(self, "learning_steps", tuple(self.learning_steps))
        object.__setattr__(self, "relearning_steps", tuple(self.relearning_steps))
        object.__setattr__(self, "parameters", tuple(self.parameters))
        if self.parameters and len(self.parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(
                f"FSRS needs {len(DEFAULT_PARAMETERS)} parameters, not {len(self.parameters)}."
            )
        if not MIN_RETENTION <= self.desired_retention <= MAX_RETENTION:
            raise ValueError(
                f"Desired retention must be between {MIN_RETENTION:.2f} and {MAX_RETENTION:.2f}, "
                f"not {self.desired_retention}."
            )
        if self.maximum_interval < 1:
            raise ValueError("Maximum interval must be at least 1 day.")
        for step in self.learning_steps + self.relearning_steps:
            if step <= timedelta(0):
                raise ValueError(f"Steps must be longer than zero, not {format_steps([step])}.")


@lru_cache(maxsize=64)
def _scheduler(settings: Settings) -> fsrs.Scheduler:
    # fsrs's own fuzz calls the global random(); we turn it off and fuzz in _fuzz_days so that
    # preview() can promise exactly the interval review() will give.
    return fsrs.Scheduler(
        parameters=settings.parameters or DEFAULT_PARAMETERS,
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=False,
    )


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Scheduling needs an aware datetime, got a naive one.")
    return moment.astimezone(UTC)


def _to_fsrs(memory: Memory, *, card_id: int, now: datetime) -> fsrs.Card:
    if memory.state == State.NEW:
        return fsrs.Card(card_id=card_id, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=card_id,
        state=fsrs.State(int(memory.state)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=_utc(memory.due) if memory.due else now,
        last_review=_utc(memory.last_review) if memory.last_review else None,
    )


def _fuzz_days(days: int, *, maximum_interval: int, seed: str) -> int:
    """The same ranges as fsrs.Scheduler._get_fuzzed_interval, drawn from a seeded generator."""
    if days < 2.5:
        return days
    delta = 1.0
    for fuzz_range in FUZZ_RANGES:
        delta += fuzz_range["factor"] * max(
            min(float(days), fuzz_range["end"]) - fuzz_range["start"], 0.0
        )
    max_ivl = min(round(days + delta), maximum_interval)
    min_ivl = min(max(2, round(days - delta)), max_ivl)
    fuzzed = random.Random(seed).random() * (max_ivl - min_ivl + 1) + min_ivl
    return min(round(fuzzed), maximum_interval)


def review(
    memory: Memory, rating: Rating, *, now: datetime, card_id: int, settings: Settings
) -> Memory:
    """The memory after grading the card `rating` at `now`."""
    now = _utc(now)
    card, _ = _scheduler(settings).review_card(
        _to_fsrs(memory, card_id=card_id, now=now), fsrs.Rating(int(rating)), review_datetime=now
    )
    due = card.due
    if settings.enable_fuzzing and card.state == fsrs.State.Review:
        # One draw per (card, review number), shared by the four grades as in Anki, so the
        # intervals shown on the buttons are the ones the grade then gives.
        days = _fuzz_days(
            (due - now).days,
            maximum_interval=settings.maximum_interval,
            seed=f"{card_id}:{memory.reps}",
        )
        due = now + timedelta(days=days)
    lapsed = memory.state == State.REVIEW and rating == Rating.AGAIN
    return Memory(
        state=State(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due,
        last_review=now,
        reps=memory.reps + 1,
        lapses=memory.lapses + int(lapsed),
    )


def preview(
    memory: Memory, *, now: datetime, card_id: int, settings: Settings
) -> dict[Rating, timedelta]:
    """The interval each grade would give, exactly as review() will give it."""
    now = _utc(now)
    return {
        rating: review(memory, rating, now=now, card_id=card_id, settings=settings).due - now
        for rating in Rating
    }


# FSRS's forgetting curve, as fsrs.Scheduler.get_card_retrievability evaluates it. Kept as a
# formula because the statistics page asks for it once per reviewed card, and building an
# fsrs.Card for each cost 0.1 s at 20,000. Its shape is the last parameter, the decay.
@lru_cache(maxsize=64)
def forgetting_curve(parameters: tuple[float, ...]) -> tuple[float, float]:
    decay = -(parameters or DEFAULT_PARAMETERS)[20]
    return decay, 0.9 ** (1 / decay) - 1


def recall_probability(
    stability: float, elapsed_days: float, parameters: tuple[float, ...] = ()
) -> float:
    """The chance (0..1) of recalling a card of this stability `elapsed_days` after its review,
    by the forgetting curve of `parameters` (FSRS's defaults when empty)."""
    decay, factor = forgetting_curve(tuple(parameters))
    return min(max((1 + factor * max(elapsed_days, 0) / stability) ** decay, 0.0), 1.0)


def retrievability(memory: Memory, *, now: datetime, parameters: tuple[float, ...] = ()) -> float:
    """The predicted chance (0..1) of recalling the card at `now`; 0 for a card never reviewed."""
    if memory.state == State.NEW or memory.stability is None or memory.last_review is None:
        return 0.0
    elapsed = (_utc(now) - _utc(memory.last_review)).days
    return recall_probability(memory.stability, elapsed, parameters)


# Anki's answer-button units: a month is a twelfth of a 365-day year.
_SECOND = 1.0
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_YEAR = 365 * _DAY
_MONTH = _YEAR / 12
_SPANS = ((_MINUTE, _SECOND, "s"), (_HOUR, _MINUTE, "m"), (_DAY, _HOUR, "h"), (_MONTH, _DAY, "d"))


def format_interval(delta: timedelta) -> str:
    """Anki's short form for an answer button: "30s", "10m", "1h", "3d", "2.1mo", "1.5y"."""
    seconds = max(delta.total_seconds(), 0.0)
    for limit, size, suffix in _SPANS:
        if seconds < limit:
            return f"{round(seconds / size)}{suffix}"
    size, suffix = (_MONTH, "mo") if seconds < _YEAR else (_YEAR, "y")
    amount = round(seconds / size, 1)
    return f"{amount:g}{suffix}"


_STEP = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_STEP_UNITS = {"s": _SECOND, "m": _MINUTE, "h": _HOUR, "d": _DAY}
# Anki caps a learning step at 2^31 seconds (about 24,855 days) so it fits its review log
# (ankitects/anki, ts/routes/deck-options/steps.ts); we refuse a longer one instead of capping.
MAX_STEP_SECONDS = 2**31


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """ "1m 10m 1h 1d" -> steps; a bare number is minutes, as in Anki. Empty text -> no steps."""
    steps = []
    for word in text.replace(",", " ").split():
        match = _STEP.fullmatch(word.lower())
        if match is None:
            raise ValueError(
                f'"{word}" is not a step: write a number and a unit s, m, h or d, like "10m".'
            )
        number, unit = match.groups()
        seconds = float(number) * _STEP_UNITS[unit or "m"]
        if seconds < 1:
            raise ValueError(f'"{word}" is too short: a step must be at least one second.')
        if seconds > MAX_STEP_SECONDS:
            raise ValueError(
                f'"{word[:20]}" is too long: the longest step is {MAX_STEP_SECONDS // _DAY:,.0f}d, '
                "as in Anki."
            )
        steps.append(timedelta(seconds=round(seconds)))
    return tuple(steps)


def format_steps(steps) -> str:
    """Steps written the way parse_steps reads them, in the largest unit that is exact."""
    words = []
    for step in steps:
        seconds = round(step.total_seconds())
        for suffix, size in (("d", _DAY), ("h", _HOUR), ("m", _MINUTE), ("s", _SECOND)):
            if seconds % size == 0:
                words.append(f"{seconds // int(size)}{suffix}")
                break
    return " ".join(words)
