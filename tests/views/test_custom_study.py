"""Custom study: a search, a domain, cards forgotten today, review ahead, and cram that leaves
scheduling alone; leeches as in Anki."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, CustomSession, ReviewLog, StudySettings
from cards.study import grading
from cards.study.scheduling import Rating

CUSTOM = "/study/custom/"
NOTE = """---
domain: Security
tags: [iam]
---
# Roles

- What does a function assume to call AWS? :: Its execution role
- Which policy lets a service invoke a function? :: A resource-based policy
- What is least privilege? :: Granting only the permissions needed
"""


@pytest.fixture
def deck(db):
    import_deck("sec", [NoteFile("roles.md", NOTE.encode())])
    import_deck("more", [NoteFile("other.md", b"# Other\n\n- An unrelated question? :: Yes\n")])


def start(client, **data):
    defaults = {"kind": "search", "q": "", "days": "3", "mode": "review", "limit": "100"}
    return client.post(CUSTOM, {**defaults, **data})


def card(front_start) -> Card:
    return Card.objects.get(front__startswith=front_start)


def test_visitor_is_sent_to_log_in(client, deck):
    assert "/accounts/login/" in client.get(CUSTOM).url


def test_a_domain_session_shows_its_cards_outside_the_daily_limit(alice_client, alice, deck):
    StudySettings.objects.create(user=alice, new_per_day=1)
    response = start(alice_client, q='domain:"Security"')
    session = CustomSession.objects.get()
    assert response.url == f"/study/custom/{session.pk}/"
    assert len(session.cards) == 3, "all three, whatever the new-card limit"
    page = alice_client.get(response.url).content.decode()
    assert "What does a function assume to call AWS?" in page
    assert "Review: scheduled as usual" in page
    first = card("What does a function")
    alice_client.post(response.url, {"card": first.pk, "version": 0, "rating": 3})
    assert CardState.objects.get(user=alice, card=first).reps == 1, "graded as usual"
    session.refresh_from_db()
    assert session.done == 1 and len(session.cards) == 2


def test_cram_changes_no_schedule_and_again_comes_back_at_the_end(alice_client, alice, deck):
    start(alice_client, q="tag:iam", mode="cram")
    session = CustomSession.objects.get()
    url = f"/study/custom/{session.pk}/"
    page = alice_client.get(f"{url}?show=1").content.decode()
    assert "Cram: scheduling unchanged" in page
    first = session.cards[0]
    alice_client.post(url, {"card": first, "version": 0, "rating": 1})
    session.refresh_from_db()
    assert session.cards[-1] == first and session.done == 0
    for _ in range(3):
        session.refresh_from_db()
        alice_client.post(url, {"card": session.cards[0], "version": 0, "rating": 3})
    assert not CardState.objects.filter(user=alice).exists(), "no schedule changed"
    assert not ReviewLog.objects.filter(user=alice).exists(), "no review logged"
    assert "Custom study done: 3 cards" in alice_client.get(url).content.decode()


def test_cards_forgotten_today(alice_client, alice, deck):
    forgotten = card("Which policy")
    grading.grade(alice, card_id=forgotten.pk, version=0, rating=Rating.AGAIN)
    grading.grade(alice, card_id=card("What is least").pk, version=0, rating=Rating.GOOD)
    start(alice_client, kind="forgotten")
    assert CustomSession.objects.get().cards == [forgotten.pk]


def test_review_ahead_takes_reviews_due_in_the_next_days(alice_client, alice, deck):
    now = timezone.now()
    soon, later = card("Which policy"), card("What is least")
    for each in (soon, later):
        grading.grade(alice, card_id=each.pk, version=0, rating=Rating.EASY, now=now)
    CardState.objects.filter(card=soon).update(due=now + timedelta(days=2))
    CardState.objects.filter(card=later).update(due=now + timedelta(days=20))
    start(alice_client, kind="ahead", days="3")
    assert CustomSession.objects.get().cards == [soon.pk]


def test_nothing_to_study_says_why(alice_client, deck):
    page = start(alice_client, kind="forgotten").content.decode()
    assert "You have not forgotten any card today." in page
    page = start(alice_client, kind="search", q="").content.decode()
    assert "Write what to study" in page


def test_another_students_session_is_not_found(client, alice, bob, deck):
    client.force_login(alice)
    start(client, q="tag:iam")
    client.force_login(bob)
    assert client.get(f"/study/custom/{CustomSession.objects.get().pk}/").status_code == 404


def test_the_page_offers_domains_and_tags(alice_client, deck):
    page = alice_client.get(CUSTOM).content.decode()
    assert ">Security</a>" in page and ">#iam</a>" in page
    assert ">More</a>" in page, "a note without a domain counts under its deck's title"


def lapse(user, card_obj, times, *, start):
    """Review the card into review, then forget it `times` times."""
    now = start
    grading.grade(user, card_id=card_obj.pk, version=0, rating=Rating.EASY, now=now)
    log = None
    for _ in range(times):
        state = CardState.objects.get(user=user, card=card_obj)
        now = state.due + timedelta(hours=1)
        log = grading.grade(
            user, card_id=card_obj.pk, version=state.version, rating=Rating.AGAIN, now=now
        )
        state = CardState.objects.get(user=user, card=card_obj)
        now += timedelta(days=1)
        grading.grade(user, card_id=card_obj.pk, version=state.version, rating=Rating.EASY, now=now)
    return log


def test_the_eighth_lapse_makes_a_leech_and_suspends_it_when_asked(alice, deck):
    StudySettings.objects.create(user=alice, suspend_leeches=True)
    start = timezone.now() - timedelta(days=2000)
    seventh = lapse(alice, card("Which policy"), 7, start=start)
    assert not seventh.became_leech
    assert not CardState.objects.get(card=card("Which policy")).leech
    state = CardState.objects.get(card=card("Which policy"))
    state_before = state.version
    eighth = grading.grade(
        alice,
        card_id=state.card_id,
        version=state_before,
        rating=Rating.AGAIN,
        now=state.due + timedelta(hours=1),
    )
    assert eighth.became_leech
    state.refresh_from_db()
    assert state.leech and state.suspended and state.lapses == 8


def test_a_leech_is_only_tagged_by_default_and_listed_in_browse(alice_client, alice, deck):
    start = timezone.now() - timedelta(days=3000)
    lapse(alice, card("Which policy"), 8, start=start)
    state = CardState.objects.get(card=card("Which policy"))
    assert state.leech and not state.suspended
    page = alice_client.get("/browse/", {"q": "is:leech"}).content.decode()
    assert "Which policy lets a service invoke a function?" in page and ">Leech</span>" in page
    assert "See your 1 leech" in alice_client.get(CUSTOM).content.decode()


def test_the_review_screen_says_when_a_card_becomes_a_leech(alice_client, alice, deck):
    leechy = card("Which policy")
    start = timezone.now() - timedelta(days=3000)
    lapse(alice, leechy, 7, start=start)
    state = CardState.objects.get(user=alice, card=leechy)
    CardState.objects.filter(pk=state.pk).update(due=timezone.now() - timedelta(hours=1))
    response = alice_client.post(
        "/study/",
        {"action": "grade", "card": leechy.pk, "version": state.version, "rating": 1},
        follow=True,
    )
    assert "You have forgotten that card 8 times: it is now a leech." in response.content.decode()


def test_htmx_grades_swap_only_the_card(alice_client, alice, deck):
    start(alice_client, q="tag:iam")
    session = CustomSession.objects.get()
    url = f"/study/custom/{session.pk}/"
    response = alice_client.post(
        url, {"card": session.cards[0], "version": 0, "rating": 3}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<section id="study-card"')
    assert re.search(r'Done</span> <span class="count">1<', page)
    plain = alice_client.post(url, {"card": session.cards[1], "version": 0, "rating": 3})
    assert plain.status_code == 302 and plain.url == url
