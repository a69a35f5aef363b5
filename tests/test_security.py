"""Security habits proved: CSP, login rate limiting, per-user isolation of every object URL."""

import pytest
from django.test import override_settings
from django.urls import reverse

from cards.content.sync import NoteFile, import_deck
from cards.models import Deck
from cards.quiz import exams
from tests.conftest import PASSWORD


@pytest.fixture
def deck(db):
    import_deck("d", [NoteFile("n.md", b"# N\n\n- Maximum timeout: 900 seconds\n- Q one? :: A\n")])
    return Deck.objects.get(slug="d")


def test_every_page_sends_a_csp_without_inline_scripts_or_styles(alice_client, deck):
    for url in ["/", "/decks/", "/study/", "/quiz/", "/stats/", "/calculators/pricing/"]:
        policy = alice_client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy, url


@override_settings(AXES_ENABLED=True)
def test_logins_are_rate_limited_after_five_failures(client, alice):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "alice", "password": "wrong"})
    response = client.post(url, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429, "locked out even with the right password"
    assert b"Too many failed logins" in response.content


@override_settings(AXES_ENABLED=True)
def test_a_successful_login_resets_the_failure_count(client, alice):
    url = reverse("login")
    for _ in range(3):
        client.post(url, {"username": "alice", "password": "wrong"})
    assert client.post(url, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_every_object_url_of_one_user_is_404_for_another(client, alice, bob, deck):
    attempt = exams.start(alice, deck, mode="exam", count=2, minutes=5)
    done = exams.start(alice, deck, mode="exam", count=2, minutes=5)
    exams.submit(done)
    client.force_login(bob)
    gets = [
        reverse("quiz_question", args=[attempt.pk, 1]),
        reverse("quiz_review", args=[attempt.pk]),
        reverse("quiz_results", args=[done.pk]),
    ]
    posts = [
        reverse("quiz_question", args=[attempt.pk, 1]),
        reverse("quiz_submit", args=[attempt.pk]),
        reverse("quiz_retake", args=[done.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"action": "next", "choice": "0"}).status_code == 404, url
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not attempt.answers.exists(), "bob changed nothing"


def test_study_actions_only_touch_the_users_own_state(client, alice, bob, deck):
    from cards.models import Card, CardState

    card = Card.objects.first()
    client.force_login(alice)
    client.post("/study/deck/d/", {"action": "suspend", "card": card.pk})
    client.force_login(bob)
    client.post(reverse("unsuspend", args=[card.pk]))
    assert CardState.objects.get(user=alice, card=card).suspended, "bob cannot unsuspend for alice"
