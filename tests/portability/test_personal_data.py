"""A student's own data as JSON, and deleting an account."""

import json
import re
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


def test_fitted_parameters_exam_date_and_leeches_travel_with_the_file(alice, bob, alice_progress):
    from fsrs.scheduler import DEFAULT_PARAMETERS

    fitted = [round(value * 1.01, 4) for value in DEFAULT_PARAMETERS]
    StudySettings.objects.filter(user=alice).update(
        fsrs_parameters=fitted,
        exam_date=timezone.localdate() + timedelta(days=30),
        leech_threshold=5,
        suspend_leeches=True,
    )
    CardState.objects.filter(user=alice).update(leech=True)
    import_user_data(bob, round_trip(export_user_data(alice)))
    prefs = StudySettings.objects.get(user=bob)
    assert prefs.fsrs_parameters == fitted and prefs.leech_threshold == 5 and prefs.suspend_leeches
    assert prefs.exam_date == timezone.localdate() + timedelta(days=30)
    assert CardState.objects.filter(user=bob, leech=True).count() == 2


def test_a_file_from_before_leeches_and_fitted_parameters_still_reads(alice, bob, alice_progress):
    data = export_user_data(alice)
    for name in ("fsrs_parameters", "exam_date", "leech_threshold", "suspend_leeches"):
        del data["settings"][name]
    for state in data["card_states"]:
        del state["leech"]
    for log in data["review_logs"]:
        for snapshot in (log["before"], log["after"]):
            if snapshot:
                del snapshot["leech"]
    result = import_user_data(bob, round_trip(data))
    assert result.imported["review_logs"] == 3 and states_of(bob) == states_of(alice)
    assert StudySettings.objects.get(user=bob).leech_threshold == 8


def test_parameters_outside_what_fsrs_fits_are_refused(alice, bob, alice_progress):
    data = export_user_data(alice)
    data["settings"]["fsrs_parameters"] = [1.0, 2.0]
    with pytest.raises(PersonalDataError, match="is not a list of 21 FSRS parameters"):
        import_user_data(bob, round_trip(data))
    assert not CardState.objects.filter(user=bob).exists()


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


def test_cards_of_a_draft_note_are_left_out_of_the_export(alice, alice_progress):
    from cards.models import Note

    asked = {q["card_id"] for q in alice_progress.questions}
    Note.objects.update(published=False)  # the note went back to being a draft
    data = export_user_data(alice)
    assert data["card_states"] == [] and data["review_logs"] == []
    attempt = data["attempts"][0]
    assert asked and all(q["card_id"] is None for q in attempt["questions"])
    assert attempt["question_cards"] == [None] * len(attempt["questions"])
    assert "limits.md" not in json.dumps(data), "not even the draft's path"


def test_an_import_cannot_reach_a_draft_card(alice, bob, alice_progress):
    from cards.models import Note

    data = round_trip(export_user_data(alice))
    Note.objects.update(published=False)
    result = import_user_data(bob, data)
    assert result.imported["card_states"] == 0 and result.imported["review_logs"] == 0
    assert not CardState.objects.filter(user=bob).exists(), "no state for a draft's card"
    assert "lambda/limits.md#" in " ".join(result.unknown), "reported as not on this site"
    assert Attempt.objects.get(user=bob).questions[0]["card_id"] is None


def test_every_problem_in_a_file_is_listed_at_once(alice, bob, alice_progress):
    data = export_user_data(alice)
    data["review_logs"][0]["rating"] = 9
    data["card_states"][1]["reps"] = -1
    data["attempts"][0]["questions"][0]["stem"] = 7
    with pytest.raises(PersonalDataError) as refused:
        import_user_data(bob, round_trip(data))
    problems = refused.value.problems
    assert len(problems) == 3, problems
    assert "In entry 1 of “review_logs”: “rating” is not a whole number from 1 to 4." in problems
    assert any("entry 2 of “card_states”" in p and "“reps”" in p for p in problems)
    assert any("question 1: “stem” is not text" in p for p in problems)


YEAR_0 = "0001-01-01T00:00:00+01:00"  # an hour before the first moment Python can hold


def hostile_question(change):
    def make(data):
        change(data["attempts"][0]["questions"][0])
        return round_trip(data)

    return make


@pytest.mark.parametrize(
    "make_file, reason",
    [
        (lambda d: broken(d, lambda x: x["settings"].update(learning_steps="not a step")), "step"),
        (lambda d: broken(d, lambda x: x.update(version=10**30)), "format version unknown"),
        (lambda d: b'{"format": "studyapp-personal-data", "x": ' + b"[" * 100_000, "nested"),
        (lambda d: broken(d, lambda x: x.update(user=[[[[[[[[[[1]]]]]]]]]])), "nested deeper"),
        (lambda d: broken(d, lambda x: x["card_states"][0].update(reps=10**30)), "“reps”"),
        (lambda d: round_trip(d).replace(b'"lapses": 0', b'"lapses": NaN', 1), "NaN"),
        (lambda d: round_trip(d).replace(b'"lapses": 0', b'"lapses": ' + b"9" * 5000), "JSON"),
        (lambda d: broken(d, lambda x: x["review_logs"][0]["after"].update(pk=1)), "“after”"),
        (lambda d: broken(d, lambda x: x["review_logs"][0].update(reviewed_at=YEAR_0)), "date"),
        (lambda d: broken(d, lambda x: x["attempts"][0]["answers"][0].update(index=99)), "index"),
        (lambda d: broken(d, lambda x: x["attempts"][0].update(questions="all")), "questions"),
        (lambda d: broken(d, lambda x: x["attempts"][0].update(topics=[{"a": 1}])), "topics"),
        (lambda d: broken(d, lambda x: x["attempts"][0].update(title="t" * 101)), "“title”"),
        (hostile_question(lambda q: q.update(stem="<a " * 20000)), "60,000 characters"),
        (hostile_question(lambda q: q.update(colour="red")), "unknown fields colour"),
        (hostile_question(lambda q: q.update(options=[{"text": "a"}])), "option 1"),
        (hostile_question(lambda q: q.update(kind="essay")), "“kind”"),
        (hostile_question(lambda q: q.update(source_url="javascript:alert(1)")), "http(s)"),
    ],
)
def test_a_hostile_file_is_refused_with_its_problem_and_changes_nothing(
    alice, bob, alice_progress, make_file, reason
):
    data = make_file(export_user_data(alice))
    with pytest.raises(PersonalDataError, match=re.escape(reason)):
        import_user_data(bob, data)
    assert not CardState.objects.filter(user=bob).exists()
    assert not ReviewLog.objects.filter(user=bob).exists()
    assert not Attempt.objects.filter(user=bob).exists()
    assert not StudySettings.objects.filter(user=bob).exists()
