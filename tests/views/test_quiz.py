"""Exams over HTTP: start, answer, deadline, submit, results, retake, isolation."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt, Card, CardState, StudySettings
from cards.quiz import exams
from cards.study.grading import grade
from cards.study.scheduling import Rating

NOTE = """# Lambda limits

## Memory and time
- Maximum timeout: 900 seconds
- Maximum memory: 10,240 MB
- Default timeout: 3 seconds
- Maximum layers: 5 layers

## Terms
- Handler: the function Lambda calls for each event
- Cold start: the delay while a new execution environment starts
- Layer: a ZIP archive of libraries shared between functions
- Alias: a named pointer to a function version
- Event source mapping: a resource that polls a queue or stream for the function

## Payloads
| Invocation | Request | Response |
|---|---|---|
| Synchronous | 6 MB | 6 MB |
| Asynchronous | 1 MB | none |
"""


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    from cards.models import Deck

    return Deck.objects.get(slug="lambda")


def start_quick(client, deck):
    response = client.post(
        reverse("quiz_start"),
        {"deck": "lambda", "mode": "exam", "preset": "quick", "count": 10, "minutes": 20},
    )
    assert response.status_code == 302, response.content
    return Attempt.objects.latest("pk")


def right_choice(question: dict) -> list[str]:
    if question["kind"] == "numeric":
        return [question["answer"]]
    return [str(i) for i, o in enumerate(question["options"]) if o["correct"]]


def post_answer(client, attempt, number, given, action="next"):
    question = attempt.questions[number - 1]
    data = {"action": action}
    if question["kind"] == "numeric":
        data["typed"] = given[0] if given else ""
    else:
        data["choice"] = given
    return client.post(reverse("quiz_question", args=[attempt.pk, number]), data)


def test_visitor_is_sent_to_log_in(client, deck):
    response = client.get(reverse("quiz_home"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_quick_10_starts_a_timed_exam_of_ten_questions(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    assert attempt.title == "Quick 10" and attempt.time_limit_s == 20 * 60
    assert 1 <= len(attempt.questions) <= 10
    page = alice_client.get(reverse("quiz_question", args=[attempt.pk, 1])).content.decode()
    assert "Question 1 of" in page and 'id="deadline"' in page


def test_question_page_never_shows_which_option_is_correct(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    for number in range(1, len(attempt.questions) + 1):
        page = alice_client.get(reverse("quiz_question", args=[attempt.pk, number])).content
        page = page.decode()
        assert "option right" not in page and "option wrong" not in page, number
        assert 'class="explanation"' not in page and "Correct." not in page, number
        assert "correct" not in page.lower(), f"question {number} hints at the answer"


def test_all_right_answers_score_100_and_pass(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    for number, question in enumerate(attempt.questions, start=1):
        post_answer(alice_client, attempt, number, right_choice(question))
    response = alice_client.post(reverse("quiz_submit", args=[attempt.pk]), follow=True)
    page = response.content.decode()
    attempt.refresh_from_db()
    assert attempt.percent == 100.0 and attempt.passed
    assert "100.0%" in page and "Pass" in page and "Score by topic" in page


def test_wrong_answers_fail_and_can_be_retaken(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    alice_client.post(reverse("quiz_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.percent == 0.0 and not attempt.passed
    response = alice_client.post(reverse("quiz_retake", args=[attempt.pk]))
    retake = Attempt.objects.latest("pk")
    assert retake.retake_of == attempt
    assert len(retake.questions) == len(attempt.questions)
    assert response.url == reverse("quiz_question", args=[retake.pk, 1])


def test_a_double_submitted_retake_makes_one_attempt(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    alice_client.post(reverse("quiz_submit", args=[attempt.pk]))
    first = alice_client.post(reverse("quiz_retake", args=[attempt.pk]))
    second = alice_client.post(reverse("quiz_retake", args=[attempt.pk]))
    assert Attempt.objects.filter(retake_of=attempt).count() == 1, "the second click is the same"
    assert first.url == second.url, "both land on the one retake"


def test_a_finished_retake_can_be_retaken_again(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    alice_client.post(reverse("quiz_submit", args=[attempt.pk]))
    alice_client.post(reverse("quiz_retake", args=[attempt.pk]))
    alice_client.post(reverse("quiz_submit", args=[Attempt.objects.latest("pk").pk]))
    alice_client.post(reverse("quiz_retake", args=[attempt.pk]))
    assert Attempt.objects.filter(retake_of=attempt).count() == 2, "a new retake once done"


def test_a_double_submitted_start_makes_one_attempt(alice_client, deck):
    page = alice_client.get(reverse("quiz_home")).content.decode()
    tokens = re.findall(r'name="token" value="([^"]+)"', page)
    assert len(tokens) == len(set(tokens)) == 4, "each start form has its own token"
    data = {"deck": "lambda", "mode": "exam", "preset": "quick", "count": 10, "minutes": 20}
    first = alice_client.post(reverse("quiz_start"), {**data, "token": tokens[0]})
    second = alice_client.post(reverse("quiz_start"), {**data, "token": tokens[0]})
    assert Attempt.objects.count() == 1, "the second click starts nothing new"
    assert first.url == second.url
    alice_client.post(reverse("quiz_start"), {**data, "token": tokens[1]})
    assert Attempt.objects.count() == 2, "another form's token starts another exam"


def test_an_answer_after_the_deadline_is_refused_and_the_exam_submitted(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    post_answer(alice_client, attempt, 1, right_choice(attempt.questions[0]))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    response = post_answer(alice_client, attempt, 2, right_choice(attempt.questions[1]))
    assert response.url == reverse("quiz_results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.auto_submitted
    assert attempt.correct == 1, "the late answer does not count"


def test_an_exam_whose_time_ran_out_unattended_is_scored_by_one_click(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    post_answer(alice_client, attempt, 1, right_choice(attempt.questions[0]))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    question = alice_client.get(reverse("quiz_question", args=[attempt.pk, 2]))
    assert question.url == reverse("quiz_results", args=[attempt.pk]), "no more answering"
    page = alice_client.get(question.url).content.decode()
    assert "Time is up" in page and "1 answer you saved" in page
    attempt.refresh_from_db()
    assert attempt.submitted_at is None, "reading a page submits nothing"
    alice_client.post(reverse("quiz_submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.correct == 1
    assert "Results:" in alice_client.get(question.url).content.decode()


def test_resume_keeps_answers_and_the_same_deadline(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    given = right_choice(attempt.questions[0])
    post_answer(alice_client, attempt, 1, given)
    home = alice_client.get(reverse("quiz_home")).content.decode()
    assert f"Resume {attempt.title}" in home
    page = alice_client.get(reverse("quiz_question", args=[attempt.pk, 1])).content.decode()
    if attempt.questions[0]["kind"] != "numeric":
        assert f'value="{given[0]}" id="choice-{given[0]}" checked' in page
    assert attempt.deadline.isoformat()[:19] in page


def test_flag_and_review_list(alice_client, deck):
    attempt = start_quick(alice_client, deck)
    post_answer(alice_client, attempt, 2, [], action="flag")
    page = alice_client.get(reverse("quiz_review", args=[attempt.pk])).content.decode()
    assert "1 flagged" in page
    assert f"{len(attempt.questions)} unanswered" in page
    assert ">Submit exam</button>" in page


def test_same_seed_gives_the_same_exam(alice, bob, deck):
    first = exams.start(alice, deck, mode="exam", count=8, minutes=10, seed="shared-1")
    second = exams.start(bob, deck, mode="exam", count=8, minutes=10, seed="shared-1")
    assert first.questions == second.questions


def test_another_users_attempt_is_404(client, alice, bob, deck):
    attempt = exams.start(alice, deck, mode="exam", count=5, minutes=10)
    client.force_login(bob)
    for name in ["quiz_question", "quiz_review", "quiz_results"]:
        args = [attempt.pk, 1] if name == "quiz_question" else [attempt.pk]
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("quiz_submit", args=[attempt.pk])).status_code == 404


def test_a_missed_question_makes_its_card_due_again(alice, deck):
    card = Card.objects.filter(kind="numeric").first()
    grade(alice, card_id=card.pk, version=0, rating=Rating.EASY)
    state = CardState.objects.get(user=alice, card=card)
    assert state.due > timezone.now() + timedelta(days=1)
    question = exams.QuestionDraft(
        kind="numeric", stem="Max timeout?", answer=card.answer, card_id=card.pk, key="q1"
    )
    attempt = exams.start(alice, deck, mode="exam", count=1, minutes=5, questions=[question])
    exams.save_answer(attempt, 0, ["1 second"])  # a wrong answer
    exams.submit(attempt)
    state.refresh_from_db()
    assert state.due <= timezone.now()


def test_a_question_left_blank_does_not_make_its_card_due(alice, deck):
    """Only real misses are requeued: skipping a question says nothing about the card."""
    card = Card.objects.filter(kind="numeric").first()
    grade(alice, card_id=card.pk, version=0, rating=Rating.EASY)
    due = CardState.objects.get(user=alice, card=card).due
    question = exams.QuestionDraft(kind="numeric", stem="?", answer="1 s", card_id=card.pk, key="q")
    exams.submit(exams.start(alice, deck, mode="exam", count=1, minutes=5, questions=[question]))
    assert CardState.objects.get(user=alice, card=card).due == due


def test_requeue_can_be_switched_off(alice, deck):
    StudySettings.objects.create(user=alice, requeue_missed=False)
    card = Card.objects.filter(kind="numeric").first()
    grade(alice, card_id=card.pk, version=0, rating=Rating.EASY)
    due = CardState.objects.get(user=alice, card=card).due
    question = exams.QuestionDraft(kind="numeric", stem="?", answer="1 s", card_id=card.pk, key="q")
    attempt = exams.start(alice, deck, mode="exam", count=1, minutes=5, questions=[question])
    exams.save_answer(attempt, 0, ["2 s"])
    exams.submit(attempt)
    assert CardState.objects.get(user=alice, card=card).due == due


def test_practice_gives_feedback_straight_away(alice_client, deck):
    alice_client.post(
        reverse("quiz_start"),
        {"deck": "lambda", "mode": "practice", "preset": "", "count": 20, "minutes": 40},
    )
    attempt = Attempt.objects.latest("pk")
    assert attempt.mode == "practice" and attempt.deadline is None
    post_answer(alice_client, attempt, 1, right_choice(attempt.questions[0]), action="check")
    page = alice_client.get(reverse("quiz_question", args=[attempt.pk, 1])).content.decode()
    assert "Correct." in page


def test_a_stored_javascript_link_is_never_rendered(alice_client, alice, deck):
    attempt = exams.start(alice, deck, mode="practice", count=2)
    questions = [
        {**q, "source_url": "javascript:alert(document.cookie)"} for q in attempt.questions
    ]
    Attempt.objects.filter(pk=attempt.pk).update(questions=questions)
    post_answer(alice_client, attempt, 1, right_choice(questions[0]), action="check")
    page = alice_client.get(reverse("quiz_question", args=[attempt.pk, 1])).content.decode()
    assert "Correct." in page and "javascript:" not in page, "feedback without the link"
    exams.submit(attempt)
    page = alice_client.get(reverse("quiz_results", args=[attempt.pk])).content.decode()
    assert "Every question" in page and "javascript:" not in page


def test_start_form_refuses_bad_values(alice_client, deck):
    response = alice_client.post(
        reverse("quiz_start"),
        {"deck": "lambda", "mode": "exam", "preset": "custom", "count": "0", "minutes": "x"},
        follow=True,
    )
    assert "could not start" in response.content.decode()
    assert not Attempt.objects.exists()


def test_history_lists_finished_attempts_with_a_trend(alice_client, alice, deck):
    for _ in range(2):
        exams.submit(exams.start(alice, deck, mode="exam", count=3, minutes=5))
    page = alice_client.get(reverse("quiz_home")).content.decode()
    assert page.count(">Fail</span>") == 2
    assert "<polyline" in page


def test_decks_that_ask_for_it_get_calculator_scenarios_in_exams(alice, deck):
    deck.calculator_questions = True
    deck.save()
    attempt = exams.start(alice, deck, mode="exam", count=30, minutes=30, seed="calc")
    calc = [q for q in attempt.questions if q["key"].startswith("calc-")]
    assert calc, "pricing or limits scenarios are in the pool"
    assert all(len(q["options"]) == 4 and q["explanation"] for q in calc)


def test_calculator_scenarios_follow_a_topic_choice_by_note_title(alice, deck):
    deck.calculator_questions = True
    deck.save()
    found = exams.calculator_questions(
        deck, seed="t", count=20, topics=["Lambda limits and quotas"]
    )
    assert found and {q.topic for q in found} == {"Lambda limits"}
    assert exams.calculator_questions(deck, seed="t", count=20, topics=["Lambda layers"]) == []


def test_a_small_deck_says_its_exam_is_shorter(client, alice, db):
    import_deck("tiny", [NoteFile("t.md", b"# Lambda\n\n- Maximum timeout: 900 seconds\n")])
    client.force_login(alice)
    form = {"deck": "tiny", "mode": "exam", "preset": "custom", "count": 20, "minutes": 10}
    response = client.post("/quiz/start/", form, follow=True)
    assert "without asking a fact twice" in response.content.decode()


def test_an_exam_narrowed_to_a_topic_asks_only_that_topic(alice_client, deck):
    data = {"deck": "lambda", "mode": "exam", "preset": "custom", "count": 5, "minutes": 10}
    response = alice_client.post(reverse("quiz_start"), {**data, "topics": ["Lambda limits"]})
    assert response.status_code == 302
    attempt = Attempt.objects.get(user__username="alice")
    assert attempt.topics == ["Lambda limits"]
    assert {q["topic"].split(" › ")[0] for q in attempt.questions} == {"Lambda limits"}


def test_a_topic_the_deck_does_not_have_starts_no_exam(alice_client, deck):
    data = {"deck": "lambda", "mode": "exam", "preset": "custom", "count": 5, "minutes": 10}
    response = alice_client.post(reverse("quiz_start"), {**data, "topics": ["Amazon S3"]})
    assert response.status_code == 302 and "?deck=lambda" in response.url
    assert not Attempt.objects.exists(), "a topic outside the deck was accepted"
