"""The statistics page: heatmap, retention, forecast, card states and weakest topics."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, ReviewLog, StudySettings
from cards.study.days import day_start
from cards.study.grading import grade
from cards.study.scheduling import Rating, State

NOTE = (
    b"# Lambda\n\n"
    b"## Limits\n\n- Max timeout? :: 900 seconds\n- Max memory? :: 10240 MB\n\n"
    b"## Pricing\n\n- Free requests? :: 1 million\n- Free compute? :: 400000 GB-s\n"
)


@pytest.fixture
def deck(db):
    import_deck("lambda", [NoteFile("lambda.md", NOTE)])
    return {card.front.rstrip("?"): card for card in Card.objects.all()}


def log(user, card, *, when, rating=Rating.GOOD, state_before=State.REVIEW, interval=5.0):
    return ReviewLog.objects.create(
        user=user,
        card=card,
        rating=rating,
        reviewed_at=when,
        state_before=state_before,
        state_after=State.REVIEW,
        interval_days_before=interval,
        after={},
    )


def remember(user, card, *, stability, reviewed_days_ago, due_in_days=10, state=State.REVIEW):
    now = timezone.now()
    return CardState.objects.create(
        user=user,
        card=card,
        state=state,
        stability=stability,
        difficulty=5.0,
        last_review=now - timedelta(days=reviewed_days_ago),
        due=now + timedelta(days=due_in_days),
        reps=3,
    )


def study_day(moment=None) -> str:
    """The study day holding `moment` for a user with default settings (UTC, days from 4:00)."""
    return day_start(moment or timezone.now(), StudySettings()).date().isoformat()


def page(client) -> str:
    response = client.get(reverse("stats"))
    assert response.status_code == 200
    return response.content.decode()


def test_visitor_is_sent_to_log_in(client, db):
    response = client.get(reverse("stats"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_new_user_sees_a_friendly_empty_state_and_no_charts(alice_client, deck):
    content = page(alice_client)
    assert "No reviews yet — study some cards and come back" in content
    assert "<svg" not in content.split('id="main"')[1], "no empty charts are drawn"


def test_heatmap_shows_a_review_on_the_day_it_was_made(alice, alice_client, deck):
    three_days_ago = timezone.now() - timedelta(days=3)
    for _ in range(2):
        log(alice, deck["Max timeout"], when=three_days_ago)
    content = page(alice_client)
    day = study_day(three_days_ago)
    assert f"<title>{day}: 2 reviews</title>" in content
    assert f"Busiest day: {day} with 2 reviews" in content
    assert f"<title>{study_day()}: 0 reviews</title>" in content, "today is the last square, empty"


def test_a_graded_card_appears_on_todays_square(alice, alice_client, deck):
    grade(alice, card_id=deck["Max memory"].pk, version=0, rating=Rating.GOOD)
    content = page(alice_client)
    assert f"<title>{study_day()}: 1 review</title>" in content


def test_retention_counts_young_and_mature_reviews_recent_and_all_time(alice, alice_client, deck):
    card = deck["Max timeout"]
    now = timezone.now()
    for rating in (Rating.GOOD, Rating.GOOD, Rating.HARD, Rating.AGAIN):
        log(alice, card, when=now - timedelta(days=2), rating=rating, interval=5)
    log(alice, card, when=now - timedelta(days=1), rating=Rating.EASY, interval=30)
    log(alice, card, when=now - timedelta(days=1), rating=Rating.AGAIN, interval=21)
    log(alice, card, when=now - timedelta(days=60), rating=Rating.AGAIN, interval=40)
    # A learning step is not a test of memory: it counts for neither.
    log(alice, card, when=now, rating=Rating.AGAIN, state_before=State.LEARNING, interval=0)

    content = page(alice_client)
    young, mature = content.split('<th scope="row">')[1:3]
    assert young.count("75.0% of 4") == 2, "3 of 4 young reviews passed, all within 30 days"
    assert "50.0% of 2" in mature, "the last 30 days hold one pass and one lapse"
    assert "33.3% of 3" in mature, "all time adds the lapse from two months ago"


def test_forecast_counts_a_card_due_in_three_days_and_overdue_cards_today(
    alice, alice_client, deck
):
    log(alice, deck["Max timeout"], when=timezone.now())
    remember(alice, deck["Max timeout"], stability=5, reviewed_days_ago=1, due_in_days=3)
    remember(alice, deck["Max memory"], stability=5, reviewed_days_ago=9, due_in_days=-2)
    content = page(alice_client)
    in_three_days = study_day(timezone.now() + timedelta(days=3))
    assert f"<title>{in_three_days}: 1 card due</title>" in content
    assert f"<title>{study_day()}: 1 card due</title>" in content, (
        "an overdue card counts for today"
    )


def test_cards_by_state_counts_new_learning_review_and_suspended(alice, alice_client, deck):
    log(alice, deck["Max timeout"], when=timezone.now())
    remember(alice, deck["Max timeout"], stability=5, reviewed_days_ago=1)
    remember(alice, deck["Max memory"], stability=1, reviewed_days_ago=0, state=State.LEARNING)
    suspended = remember(alice, deck["Free requests"], stability=5, reviewed_days_ago=1)
    CardState.objects.filter(pk=suspended.pk).update(suspended=True)
    content = page(alice_client)
    for label in ("New", "Learning", "Review", "Suspended"):
        assert f"{label} <strong>1</strong>" in content, label
    assert "<title>Review: 1 (25%)</title>" in content


def test_bobs_reviews_never_show_on_alices_page(alice, bob, alice_client, deck):
    today = timezone.now()
    log(alice, deck["Max timeout"], when=today - timedelta(days=1))
    for _ in range(5):
        log(bob, deck["Max memory"], when=today - timedelta(days=4), rating=Rating.AGAIN)
    remember(bob, deck["Max memory"], stability=1, reviewed_days_ago=30, due_in_days=2)
    content = page(alice_client)
    bobs_day = study_day(today - timedelta(days=4))
    assert f"<title>{bobs_day}: 0 reviews</title>" in content
    assert content.count("100.0% of 1<") == 2, "alice's retention is her one pass only"
    assert "% of 6" not in content and "% of 5" not in content, "bob's lapses are not counted"
    assert "card due</title>" not in content, "bob's due card is not in alice's forecast"
    assert 'class="topic"' not in content, "bob's weak topic is not alice's"


def test_weakest_topics_come_first_with_links_to_study_them(alice, alice_client, deck):
    log(alice, deck["Max timeout"], when=timezone.now())
    # Limits were learnt long ago with little stability; Pricing is fresh and strong.
    remember(alice, deck["Max timeout"], stability=2, reviewed_days_ago=20)
    remember(alice, deck["Max memory"], stability=3, reviewed_days_ago=20)
    remember(alice, deck["Free requests"], stability=100, reviewed_days_ago=1)
    remember(alice, deck["Free compute"], stability=90, reviewed_days_ago=1)
    content = page(alice_client)
    limits = content.index('<td class="topic">Lambda › Limits</td>')
    pricing = content.index('<td class="topic">Lambda › Pricing</td>')
    assert limits < pricing, "the topic with the lower recall is listed first"
    assert reverse("study_note", args=["lambda", "lambda"]) in content
    assert reverse("note", args=["lambda", "lambda"]) in content


def test_query_count_does_not_grow_with_cards_or_reviews(
    alice, alice_client, deck, django_assert_max_num_queries
):
    log(alice, deck["Max timeout"], when=timezone.now())
    remember(alice, deck["Max timeout"], stability=2, reviewed_days_ago=3)
    with django_assert_max_num_queries(11) as few:
        page(alice_client)

    many = b"".join(b"- Question %d? :: Answer %d\n" % (n, n) for n in range(60))
    import_deck("more", [NoteFile("more.md", b"# More\n\n## Many\n\n" + many)])
    start = day_start(timezone.now(), StudySettings())
    for number, card in enumerate(Card.objects.filter(note__deck__slug="more")):
        remember(alice, card, stability=1 + number, reviewed_days_ago=number % 7)
        log(alice, card, when=start - timedelta(days=number), interval=number)
    with django_assert_max_num_queries(11) as many:
        page(alice_client)
    assert len(many) == len(few), "the same queries for 1 or 61 cards"
