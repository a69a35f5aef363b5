import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest

from cards.study.scheduling import (
    Memory,
    Rating,
    Settings,
    State,
    format_interval,
    format_steps,
    parse_steps,
    preview,
    retrievability,
    review,
)

ROOT = Path(__file__).resolve().parents[2]

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
NO_FUZZ = Settings(enable_fuzzing=False)


def walk(ratings, *, card_id=1, settings=NO_FUZZ, start=START):
    """Review a new card with each rating in turn, each time when it falls due."""
    memory, now = Memory(), start
    for rating in ratings:
        memory = review(memory, rating, now=now, card_id=card_id, settings=settings)
        now = memory.due
    return memory


def mature(card_id=1, settings=NO_FUZZ):
    return walk([Rating.GOOD] * 5, card_id=card_id, settings=settings)


def test_adapter_matches_fsrs_called_directly_with_fuzz_off():
    ratings = [Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.AGAIN, Rating.GOOD, Rating.EASY]
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1, due=START)
    memory, now = Memory(), START
    for rating in ratings:
        card, _ = scheduler.review_card(card, fsrs.Rating(int(rating)), review_datetime=now)
        memory = review(memory, rating, now=now, card_id=1, settings=NO_FUZZ)
        assert (memory.state, memory.step) == (card.state, card.step)
        assert memory.stability == card.stability
        assert memory.difficulty == card.difficulty
        assert memory.due == card.due
        assert memory.last_review == card.last_review == now
        now = card.due


@pytest.mark.parametrize(
    ("rating", "state", "interval"),
    [
        (Rating.AGAIN, State.LEARNING, timedelta(minutes=1)),
        (Rating.HARD, State.LEARNING, timedelta(minutes=5.5)),
        (Rating.GOOD, State.LEARNING, timedelta(minutes=10)),
        (Rating.EASY, State.REVIEW, None),
    ],
)
def test_first_review_of_a_new_card_follows_the_learning_steps(rating, state, interval):
    memory = review(Memory(), rating, now=START, card_id=1, settings=NO_FUZZ)
    assert memory.state == state
    assert memory.reps == 1
    assert memory.lapses == 0
    assert memory.last_review == START
    if interval is None:
        assert memory.due - START >= timedelta(days=1), "Easy skips the steps to a whole day"
    else:
        assert memory.due - START == interval


def test_custom_learning_steps_are_honoured_before_graduating():
    settings = Settings(
        learning_steps=parse_steps("2m 30m 2h"), enable_fuzzing=False, relearning_steps=()
    )
    memory, now, seen = Memory(), START, []
    for _ in range(4):
        memory = review(memory, Rating.GOOD, now=now, card_id=1, settings=settings)
        seen.append((memory.state, memory.due - now))
        now = memory.due
    assert seen[:3] == [
        (State.LEARNING, timedelta(minutes=30)),
        (State.LEARNING, timedelta(hours=2)),
        (State.REVIEW, seen[2][1]),
    ], "Good moves one step on; the step after the last one graduates the card"
    assert seen[2][1] >= timedelta(days=1)


def test_again_on_a_review_card_relearns_and_counts_a_lapse():
    memory = mature()
    assert memory.state == State.REVIEW
    lapsed = review(memory, Rating.AGAIN, now=memory.due, card_id=1, settings=NO_FUZZ)
    assert lapsed.state == State.RELEARNING
    assert lapsed.due - memory.due == timedelta(minutes=10)
    assert lapsed.lapses == memory.lapses + 1
    assert lapsed.stability < memory.stability, "forgetting must lower stability"
    relearned = review(lapsed, Rating.GOOD, now=lapsed.due, card_id=1, settings=NO_FUZZ)
    assert relearned.state == State.REVIEW
    assert relearned.lapses == lapsed.lapses, "only Again on a review card is a lapse"


def test_again_during_learning_is_not_a_lapse():
    memory = walk([Rating.GOOD, Rating.AGAIN, Rating.AGAIN])
    assert memory.lapses == 0
    assert memory.reps == 3


@pytest.mark.parametrize("fuzz", [False, True])
def test_maximum_interval_caps_every_interval(fuzz):
    settings = Settings(maximum_interval=5, enable_fuzzing=fuzz)
    memory, now = Memory(), START
    for _ in range(12):
        for interval in preview(memory, now=now, card_id=3, settings=settings).values():
            assert interval <= timedelta(days=5)
        memory = review(memory, Rating.EASY, now=now, card_id=3, settings=settings)
        now = memory.due
    assert memory.due - memory.last_review == timedelta(days=5), "a mature card sits at the cap"


def test_lower_desired_retention_gives_longer_intervals():
    memory = mature()
    low = preview(memory, now=memory.due, card_id=1, settings=Settings(0.80, enable_fuzzing=False))
    high = preview(memory, now=memory.due, card_id=1, settings=Settings(0.95, enable_fuzzing=False))
    assert low[Rating.GOOD] > high[Rating.GOOD]
    assert low[Rating.EASY] > high[Rating.EASY]


def test_preview_shows_exactly_what_review_then_gives_on_many_cards():
    rng = random.Random(20250301)
    settings = Settings()
    checked = 0
    for card_id in range(1, 121):
        memory, now = Memory(), START
        for _ in range(8):
            shown = preview(memory, now=now, card_id=card_id, settings=settings)
            for rating in Rating:
                after = review(memory, rating, now=now, card_id=card_id, settings=settings)
                assert after.due - now == shown[rating], (
                    f"card {card_id}, rep {memory.reps}: button said {shown[rating]} for "
                    f"{rating.name}, review gave {after.due - now}"
                )
                checked += 1
            memory = review(
                memory, rng.choice(list(Rating)), now=now, card_id=card_id, settings=settings
            )
            now = memory.due + timedelta(hours=rng.randint(0, 72))
    assert checked == 120 * 8 * 4


def test_reviews_are_deterministic():
    first = walk([Rating.GOOD] * 6 + [Rating.AGAIN, Rating.GOOD], card_id=42, settings=Settings())
    again = walk([Rating.GOOD] * 6 + [Rating.AGAIN, Rating.GOOD], card_id=42, settings=Settings())
    assert first == again


def test_fuzz_spreads_cards_within_the_range_fsrs_uses():
    memory = walk([Rating.GOOD] * 3)
    now = memory.due
    plain = review(memory, Rating.GOOD, now=now, card_id=1, settings=NO_FUZZ).due - now
    ours = {
        (review(memory, Rating.GOOD, now=now, card_id=card_id, settings=Settings()).due - now).days
        for card_id in range(1, 400)
    }
    scheduler = fsrs.Scheduler()
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )
    theirs = set()
    for seed in range(3000):
        random.seed(seed)  # fsrs draws its fuzz from the module-level generator
        theirs.add((scheduler.review_card(card, fsrs.Rating.Good, now)[0].due - now).days)
    assert 20 < plain.days < 100, "the test needs an interval fuzzed over a few days"
    assert len(ours) > 3, "cards due the same day should be spread over several days"
    assert ours <= theirs, f"fuzzed days {sorted(ours - theirs)} are outside fsrs's range"


def test_retrievability_is_zero_for_new_cards_and_falls_with_time():
    assert retrievability(Memory(), now=START) == 0.0
    memory = mature()
    right_after = retrievability(memory, now=memory.last_review)
    later = retrievability(memory, now=memory.last_review + timedelta(days=60))
    much_later = retrievability(memory, now=memory.last_review + timedelta(days=600))
    assert right_after == pytest.approx(1.0)
    assert 0 < much_later < later < right_after <= 1


@pytest.mark.parametrize("stability", [0.5, 3.0, 42.0, 365.0])
@pytest.mark.parametrize("elapsed", [0, 1, 7, 30, 400])
def test_retrievability_is_fsrs_own_forgetting_curve(stability, elapsed):
    now = START + timedelta(days=elapsed, hours=5)
    card = fsrs.Card(
        card_id=1, state=fsrs.State.Review, stability=stability, difficulty=5.0,
        due=START, last_review=START,
    )  # fmt: skip
    expected = fsrs.Scheduler().get_card_retrievability(card, current_datetime=now)
    memory = Memory(
        state=State.REVIEW, stability=stability, difficulty=5.0, due=START, last_review=START
    )
    assert retrievability(memory, now=now) == pytest.approx(expected, rel=1e-12)


def test_review_accepts_other_timezones_and_refuses_naive_times():
    memory = mature()
    paris = memory.due.astimezone(timezone(timedelta(hours=1)))
    assert review(memory, Rating.GOOD, now=paris, card_id=1, settings=NO_FUZZ) == review(
        memory, Rating.GOOD, now=memory.due, card_id=1, settings=NO_FUZZ
    )
    with pytest.raises(ValueError, match="aware"):
        review(memory, Rating.GOOD, now=datetime(2025, 3, 1), card_id=1, settings=NO_FUZZ)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"desired_retention": 0.5},
        {"desired_retention": 1.0},
        {"maximum_interval": 0},
        {"learning_steps": (timedelta(0),)},
    ],
)
def test_settings_refuse_values_out_of_range(kwargs):
    with pytest.raises(ValueError):
        Settings(**kwargs)


def test_settings_built_from_lists_still_work_as_cache_keys():
    settings = Settings(learning_steps=[timedelta(minutes=1)], enable_fuzzing=False)
    memory = review(Memory(), Rating.GOOD, now=START, card_id=1, settings=settings)
    assert memory.state == State.REVIEW, "Good on the only step graduates the card"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=1), "1m"),
        (timedelta(minutes=5.5), "6m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=1), "1h"),
        (timedelta(hours=5, minutes=20), "5h"),
        (timedelta(days=1), "1d"),
        (timedelta(days=3), "3d"),
        (timedelta(days=30), "30d"),
        (timedelta(days=64), "2.1mo"),
        (timedelta(days=365), "1y"),
        (timedelta(days=548), "1.5y"),
    ],
)
def test_intervals_are_written_as_anki_writes_them(delta, text):
    assert format_interval(delta) == text


def test_steps_are_read_in_anki_notation_and_written_back_the_same():
    steps = parse_steps("1m 10m 1h 1d")
    assert steps == (
        timedelta(minutes=1),
        timedelta(minutes=10),
        timedelta(hours=1),
        timedelta(days=1),
    )
    assert format_steps(steps) == "1m 10m 1h 1d"
    assert parse_steps("30s, 1.5h 15") == (
        timedelta(seconds=30),
        timedelta(minutes=90),
        timedelta(minutes=15),
    ), "commas separate too, decimals are allowed and a bare number is minutes"
    assert format_steps(parse_steps("30s 1.5h")) == "30s 90m"
    assert parse_steps("  ") == ()


@pytest.mark.parametrize("text", ["10x", "ten minutes", "-1m", "0m", "1m10m", "1..5h"])
def test_bad_steps_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="step"):
        parse_steps(text)


def test_a_step_may_be_as_long_as_anki_allows_and_no_longer():
    assert parse_steps("24855d") == (timedelta(days=24855),), "2^31 seconds is Anki's longest step"
    for text in ["24856d", "99999999d", "9" * 40 + "d", "1" + "0" * 400]:
        with pytest.raises(ValueError, match="longest step"):
            parse_steps(text)
