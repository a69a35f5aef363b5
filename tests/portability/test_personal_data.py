"""A student's own data as JSON, and deleting an account."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Answer, Attempt, Card, CardState, Deck, ReviewLog, StudySettings
from cards.portability.personal_data import (
    PersonalDataError,
    delete_account,
    export_user_data,
    import_user_data,
)
from cards.quiz import exams
from cards.study import grading, queue
from cards.study.scheduling import Rating

NOTE = """# Lambda limits

- What is the maximum timeout? :: 900 seconds
- How many layers can a function use? :: 5
- =SUM(1+1) looks like a formula :: -and so does this
- Which runtimes are supported, e.g. "python3.12", "nodejs20.x"? :: Many, see the docs
"""


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    return Deck.objects.get(slug="lambda")


# Personal data


@pytest.fixture
def alice_progress(deck, alice):
    """Alice studied two cards (one twice), changed a setting and took an exam."""
    now = timezone.now() - timedelta(days=3)
    cards = list(Card.objects.filter(deck=deck).order_by("pk"))
    grading.grade(alice, card_id=cards[0].pk, version=0, rating=Rating.GOOD, now=now)
    grading.grade(alice, card_id=cards[1].pk, version=0, rating=Rating.AGAIN, now=now)
    later = now + timedelta(minutes=5)
    grading.grade(alice, card_id=cards[1].pk, version=1, rating=Rating.GOOD, now=later)
    prefs = queue.settings_for(alice)
    prefs.desired_retention = 0.85
    prefs.save()
    attempt = exams.start(alice, deck, mode=Attempt.Mode.PRACTICE, count=2, now=now)
    exams.save_answer(attempt, 0, ["0"], now=now)
    return attempt


def states_of(user):
    return sorted(
        (s.card_id, s.state, s.stability, s.due, s.reps, s.lapses)
        for s in CardState.objects.filter(user=user)
    )


def logs_of(user):
    return sorted(
        (log.card_id, log.rating, log.reviewed_at, log.after)
        for log in ReviewLog.objects.filter(user=user)
    )


def round_trip(data: dict) -> bytes:
    return json.dumps(data).encode()


def test_export_holds_settings_states_logs_and_attempts_with_a_version(alice, alice_progress):
    data = export_user_data(alice)
    assert data["format"] == "studyapp-personal-data" and data["version"] == 1
    assert data["settings"]["desired_retention"] == 0.85
    assert len(data["card_states"]) == 2 and len(data["review_logs"]) == 3
    assert data["card_states"][0]["card"] == {
        "deck": "lambda",
        "note": "limits.md",
        "key": Card.objects.order_by("pk").first().key,
    }
    assert len(data["attempts"]) == 1 and data["attempts"][0]["answers"][0]["given"] == ["0"]
    json.dumps(data)  # serialisable as it is


def test_export_never_holds_another_users_data(alice, bob, alice_progress):
    card = Card.objects.order_by("pk").last()
    grading.grade(bob, card_id=card.pk, version=0, rating=Rating.EASY)
    data = export_user_data(alice)
    assert all(s["card"]["key"] != card.key for s in data["card_states"])
    assert len(data["review_logs"]) == 3, "bob's review is not in alice's file"
    assert data["user"]["username"] == "alice"


def test_personal_data_round_trip_into_another_account(alice, bob, alice_progress):
    result = import_user_data(bob, round_trip(export_user_data(alice)))
    assert result.imported == {"settings": 1, "card_states": 2, "review_logs": 3, "attempts": 1}
    assert result.unknown == []
    assert states_of(bob) == states_of(alice)
    assert logs_of(bob) == logs_of(alice)
    assert StudySettings.objects.get(user=bob).desired_retention == 0.85
    copy = Attempt.objects.get(user=bob)
    alice_progress.refresh_from_db()
    assert copy.questions == alice_progress.questions
    assert list(copy.answers.values_list("given", flat=True)) == [["0"]]


def test_personal_data_survives_deleting_the_account_and_importing_again(alice, alice_progress):
    data = round_trip(export_user_data(alice))
    states, logs = states_of(alice), logs_of(alice)
    delete_account(alice)
    again = User.objects.create_user("alice")
    import_user_data(again, data)
    assert states_of(again) == states and logs_of(again) == logs


def test_exam_questions_point_at_this_sites_cards(alice, bob, alice_progress):
    data = export_user_data(alice)
    asked = data["attempts"][0]["questions"][0]
    card = Card.objects.get(pk=asked["card_id"])
    asked["card_id"] = 99999  # another site numbered its cards differently
    import_user_data(bob, round_trip(data))
    copy = Attempt.objects.get(user=bob)
    assert copy.questions[0]["card_id"] == card.pk, "a missed question requeues the right card"


def test_importing_the_same_file_twice_adds_nothing_the_second_time(alice, bob, alice_progress):
    data = round_trip(export_user_data(alice))
    import_user_data(bob, data)
    second = import_user_data(bob, data)
    assert second.imported["review_logs"] == 0 and second.already_there["review_logs"] == 3
    assert ReviewLog.objects.filter(user=bob).count() == 3
    assert Attempt.objects.filter(user=bob).count() == 1
    assert CardState.objects.filter(user=bob).count() == 2


def test_unknown_cards_are_reported_not_dropped_silently(alice, bob, alice_progress):
    data = export_user_data(alice)
    data["card_states"][0]["card"]["key"] = "no-such-card"
    data["review_logs"][0]["card"]["deck"] = "elsewhere"
    data["attempts"][0]["deck"] = "elsewhere"
    result = import_user_data(bob, round_trip(data))
    assert "lambda/limits.md#no-such-card" in result.unknown
    assert any(name.startswith("elsewhere/limits.md#") for name in result.unknown)
    assert "exam attempts in deck elsewhere" in result.unknown
    assert result.imported["card_states"] == 1 and result.imported["review_logs"] == 2


def test_the_more_recently_reviewed_memory_wins(alice, bob, alice_progress):
    card = Card.objects.order_by("pk").first()
    data = round_trip(export_user_data(alice))
    grading.grade(bob, card_id=card.pk, version=0, rating=Rating.EASY)  # now: after alice's
    result = import_user_data(bob, data)
    assert result.already_there["card_states"] == 1
    assert CardState.objects.get(user=bob, card=card).reps == 1
    assert CardState.objects.get(user=bob, card=card).last_review > timezone.now() - timedelta(
        minutes=1
    ), "bob's newer review was kept"


def broken(data: dict, change) -> bytes:
    change(data)
    return round_trip(data)


@pytest.mark.parametrize(
    "make_file, reason",
    [
        (lambda d: b"{not json", "not valid JSON"),
        (lambda d: broken(d, lambda x: x.update(version=99)), "version 99"),
        (lambda d: broken(d, lambda x: x.pop("format")), "not a studyapp personal data file"),
        (lambda d: broken(d, lambda x: x["review_logs"][2].update(rating="x")), "rating"),
        (lambda d: broken(d, lambda x: x["card_states"][1].pop("due")), "“due” is missing"),
        (lambda d: broken(d, lambda x: x["settings"].update(new_per_day=-1)), "new_per_day"),
        (lambda d: broken(d, lambda x: x["settings"].update(desired_retention=2)), "0.99"),
        (lambda d: b" " * (20 * 1024 * 1024 + 1), "limit is 20 MB"),
    ],
)
def test_a_malformed_file_changes_nothing_and_says_why(
    alice, bob, alice_progress, make_file, reason
):
    data = make_file(export_user_data(alice))
    with pytest.raises(PersonalDataError, match=reason):
        import_user_data(bob, data)
    assert not CardState.objects.filter(user=bob).exists()
    assert not ReviewLog.objects.filter(user=bob).exists()
    assert not Attempt.objects.filter(user=bob).exists()
    assert not StudySettings.objects.filter(user=bob, desired_retention=0.85).exists()


def test_delete_removes_everything_of_the_user_and_nothing_else(alice, bob, alice_progress):
    card = Card.objects.order_by("pk").last()
    grading.grade(bob, card_id=card.pk, version=0, rating=Rating.GOOD)
    exams.start(bob, alice_progress.deck, mode=Attempt.Mode.PRACTICE, count=1)
    bob_before = (states_of(bob), logs_of(bob))
    alice_id = alice.pk
    delete_account(alice)
    assert not User.objects.filter(pk=alice_id).exists()
    for model in (CardState, ReviewLog, Attempt, StudySettings):
        assert not model.objects.filter(user_id=alice_id).exists(), model.__name__
    assert not Answer.objects.filter(attempt__user_id=alice_id).exists()
    assert (states_of(bob), logs_of(bob)) == bob_before
    assert Attempt.objects.filter(user=bob).count() == 1
    assert Card.objects.count() > 0, "the deck itself stays"
