"""Reports of problems, item analysis and suppressed questions (issue 15, point 5)."""

import pytest

from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt, Card, Deck, ProblemReport, SuppressedQuestion
from cards.quiz import analysis, exams
from tests.views.test_quiz import NOTE


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("limits.md", NOTE.encode())])
    return Deck.objects.get(slug="lambda")


def finished_attempts(users, deck, right_share):
    """Each user takes the same exam; the first `right_share` of them answer everything right."""
    attempts = []
    for position, user in enumerate(users):
        attempt = exams.start(user, deck, mode="exam", count=5, minutes=10, seed="same")
        good = position < len(users) * right_share
        for index, data in enumerate(attempt.questions):
            options = data["options"]
            if data["kind"] == "numeric":
                given = [data["answer"] if good else "1 ms"]
            else:
                wanted = [str(i) for i, option in enumerate(options) if option["correct"] == good]
                given = wanted[:1] if data["kind"] != "multiple" or not good else wanted
            exams.save_answer(attempt, index, given)
        attempts.append(exams.submit(attempt))
    return attempts


def test_a_student_reports_a_question_and_an_instructor_suppresses_it(client, alice, charlie, deck):
    attempt = exams.start(alice, deck, mode="exam", count=3, minutes=5)
    exams.submit(attempt)
    client.force_login(alice)
    results = f"/quiz/{attempt.pk}/results/"
    form = {"attempt": attempt.pk, "number": 1, "reason": "wrong", "comment": "Says 15 min"}
    response = client.post("/report-a-problem/", {**form, "next": results}, follow=True)
    assert "the instructors will look at it" in response.content.decode()
    report = ProblemReport.objects.get()
    assert report.question_key == attempt.questions[0]["key"] and report.user == alice
    assert client.get(f"/decks/{deck.slug}/questions/").status_code == 403, "instructors only"

    client.force_login(charlie)
    page = client.get(f"/decks/{deck.slug}/questions/").content.decode()
    assert "Says 15 min" in page and "Suppress the question" in page
    client.post(f"/reports/{report.pk}/", {"action": "suppress"})
    report.refresh_from_db()
    assert report.status == "suppressed"
    assert SuppressedQuestion.objects.filter(key=report.question_key).exists()
    import_deck("lambda", [NoteFile("limits.md", (NOTE + "\n- Extra: one more line\n").encode())])
    for seed in ("a", "b", "c"):
        keys = {q["key"] for q in exams.start(alice, deck, mode="exam", count=20, minutes=5,
                                               seed=seed).questions}  # fmt: skip
        assert report.question_key not in keys, "suppressed across re-imports and seeds"


def test_a_report_on_a_card_and_a_dismissal(client, alice, charlie, deck):
    card = Card.objects.filter(Card.in_play()).first()
    client.force_login(alice)
    client.post("/report-a-problem/", {"card": card.pk, "reason": "typo"})
    report = ProblemReport.objects.get()
    assert report.card == card and report.source_url == card.source_url()
    client.force_login(charlie)
    client.post(f"/reports/{report.pk}/", {"action": "dismiss"})
    assert ProblemReport.objects.get().status == "dismissed"


def test_a_report_without_a_reason_changes_nothing(client, alice, deck):
    client.force_login(alice)
    card = Card.objects.first()
    response = client.post("/report-a-problem/", {"card": card.pk}, follow=True)
    assert "Choose what is wrong" in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_students_cannot_report_on_someone_else_s_attempt(client, alice, bob, deck):
    attempt = exams.start(bob, deck, mode="exam", count=3, minutes=5)
    client.force_login(alice)
    response = client.post("/report-a-problem/", {"attempt": attempt.pk, "number": 1,
                                                  "reason": "wrong"})  # fmt: skip
    assert response.status_code == 404 and not ProblemReport.objects.exists()


def test_item_analysis_shows_figures_only_with_enough_answers(django_user_model, deck):
    users = [django_user_model.objects.create(username=f"s{n}") for n in range(24)]
    finished_attempts(users[:5], deck, right_share=0.6)
    items = analysis.deck_items(deck)
    assert items and all(not item.enough and item.needed == 15 for item in items)
    finished_attempts(users[5:], deck, right_share=0.5)
    items = analysis.deck_items(deck)
    assert all(item.enough for item in items)
    item = items[0]
    assert 0.3 <= item.difficulty <= 0.7
    assert item.discrimination == 1.0, "strong students right, weak students wrong"
    assert sum(row["chosen"] for row in item.option_rows) >= item.responses
    assert Attempt.objects.count() == 24


def test_the_instructor_page_lists_questions_left_out_of_exams(client, charlie, db):
    note = (
        NOTE
        + "\n> [!question] Which TWO are limits?\n> - [x] Timeout\n> - [x] Memory\n> - [ ] Colour\n"
    )
    report = import_deck("lambda", [NoteFile("limits.md", note.encode())])
    assert any("question left out of exams" in w["message"] for w in report.warnings)
    client.force_login(charlie)
    page = client.get("/decks/lambda/questions/").content.decode()
    assert "Left out of exams" in page and "written question" in page
