"""Exam readiness on the dashboard: per domain, predicted recall on the exam date beside recent
quiz scores, the new cards a day that cover the deck in time, and plain words when there is
too little data."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Answer, Attempt, Card, CardState, Deck, StudySettings
from cards.study import grading, readiness
from cards.study.days import day_start
from cards.study.scheduling import Rating

_WORDS = """alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike
november oscar papa quebec romeo sierra tango"""
WORDS = tuple(_WORDS.split())


def note(domain, count):
    # Words, not numbers: cards of different notes with the same figure would merge.
    lines = "".join(
        f"- What is the {domain or 'plain'} {word} setting? :: The {word} {domain} value\n"
        for word in WORDS[:count]
    )
    head = f"---\ndomain: {domain}\n---\n" if domain else ""
    return f"{head}# {domain or 'Plain'} notes\n\n{lines}".encode()


@pytest.fixture
def deck(db):
    import_deck(
        "exam",
        [NoteFile("sec.md", note("Security", 12)), NoteFile("dep.md", note("Deployment", 4)),
         NoteFile("plain.md", note("", 2))],
    )  # fmt: skip
    Deck.objects.filter(slug="exam").update(
        domains=[{"name": "Security", "weight": 26}, {"name": "Deployment", "weight": 24}]
    )


def today():
    """The study day now, as readiness counts days (it begins at 4:00, as in Anki)."""
    return day_start(timezone.now(), StudySettings()).date()


def set_exam(user, days_ahead):
    StudySettings.objects.update_or_create(
        user=user, defaults={"exam_date": today() + timedelta(days=days_ahead)}
    )


def test_no_exam_date_no_readiness_but_a_form(alice_client, alice, deck):
    assert readiness.readiness(alice) is None
    page = alice_client.get("/").content.decode()
    assert "Exam date" in page and "Set a date to see how ready you will be" in page


def test_the_exam_date_is_saved_from_the_dashboard(alice_client, alice, deck):
    day = (today() + timedelta(days=30)).isoformat()
    response = alice_client.post("/settings/exam-date/", {"exam_date": day}, follow=True)
    assert StudySettings.objects.get(user=alice).exam_date == date.fromisoformat(day)
    assert "30 days to your exam" in response.content.decode()


def test_a_past_exam_date_is_refused(alice_client, alice, deck):
    response = alice_client.post("/settings/exam-date/", {"exam_date": "2001-01-01"}, follow=True)
    assert "The exam date must be today or later." in response.content.decode()
    assert not StudySettings.objects.filter(user=alice, exam_date__isnull=False).exists()


def test_recall_on_the_exam_date_by_domain_with_new_cards_counting_nothing(alice, deck):
    set_exam(alice, 10)
    now = timezone.now()
    security = Card.objects.filter(note__domain="Security").order_by("pk")
    for card in security[:10]:
        grading.grade(alice, card_id=card.pk, version=0, rating=Rating.EASY, now=now)
    found = readiness.readiness(alice, now=now)
    by_name = {domain.name: domain for domain in found.domains}
    assert [domain.name for domain in found.domains] == ["Security", "Deployment", "Exam"], (
        "blueprint order, the deck's title for notes without a domain"
    )
    sec = by_name["Security"]
    assert (sec.cards, sec.studied) == (12, 10)
    assert 0 < sec.recall_percent < 100 * 10 / 12, "ten cards, partly forgotten by then"
    assert not sec.too_little
    assert by_name["Deployment"].too_little and by_name["Deployment"].recall_percent == 0
    assert found.new_cards == 8 and found.new_per_day == 1
    later = readiness.readiness(alice, now=now)
    StudySettings.objects.filter(user=alice).update(exam_date=today() + timedelta(days=100))
    alice._study_settings = None
    assert (
        readiness.readiness(alice, now=now).domains[0].recall_percent
        < later.domains[0].recall_percent
    )


def test_quiz_scores_count_in_their_cards_domain(alice, deck):
    set_exam(alice, 10)
    sec, dep = (
        Card.objects.filter(note__domain="Security").first(),
        Card.objects.filter(note__domain="Deployment").first(),
    )
    attempt = Attempt.objects.create(
        user=alice, deck=Deck.objects.get(slug="exam"), mode="exam", title="Quick 10", seed="x",
        questions=[{"card_id": pk} for pk in (sec.pk, dep.pk, None, sec.pk)],
        started_at=timezone.now(), submitted_at=timezone.now(),
    )  # fmt: skip
    for index, correct in enumerate([True, False, True, False]):
        Answer.objects.create(attempt=attempt, index=index, correct=correct)
    by_name = {d.name: d for d in readiness.readiness(alice).domains}
    assert (by_name["Security"].quiz_correct, by_name["Security"].quiz_total) == (1, 2)
    assert by_name["Deployment"].quiz_percent == 0
    assert by_name["Exam"].quiz_percent is None


def test_the_dashboard_shows_the_table_and_says_when_data_is_too_little(alice_client, alice, deck):
    set_exam(alice, 20)
    page = alice_client.get("/").content.decode()
    assert "Exam readiness" in page and "20 days to your exam" in page
    assert "too little data" in page.lower()
    assert "1 new card a day would meet all 18 cards you have not studied yet in time" in page
    assert 'href="/study/custom/?q=domain%3A%22Security%22"' in page


def test_readiness_reads_a_fixed_number_of_queries(
    alice_client, alice, deck, django_assert_max_num_queries
):
    set_exam(alice, 20)
    for card in Card.objects.all()[:5]:
        grading.grade(alice, card_id=card.pk, version=0, rating=Rating.GOOD)
    with django_assert_max_num_queries(16):
        alice_client.get("/")
    assert CardState.objects.filter(user=alice).count() == 5
