"""Security habits proved: CSP, login rate limiting, per-user isolation of every object URL."""

import pytest
from django.test import Client, override_settings
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


def try_login(client, username, password="wrong", *, address="198.51.100.1", **headers):
    data = {"username": username, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address, **headers)


@override_settings(AXES_ENABLED=True)
def test_one_address_trying_many_usernames_is_locked_out(client, alice):
    for number in range(20):
        try_login(client, f"user{number}")
    assert try_login(client, "alice", PASSWORD).status_code == 429, "the address is locked"
    other = try_login(Client(), "alice", PASSWORD, address="198.51.100.2")
    assert other.status_code == 302, "alice herself, elsewhere, is not"


@override_settings(AXES_ENABLED=True)
def test_a_good_password_does_not_reset_the_addresses_count(client, alice, bob):
    for number in range(19):
        try_login(client, f"user{number}")
    assert try_login(Client(), "bob", PASSWORD).status_code == 302, "under the limit"
    try_login(client, "user19")
    assert try_login(Client(), "bob", PASSWORD).status_code == 429, "twenty failures, still"


@override_settings(AXES_ENABLED=True)
def test_failures_from_many_addresses_cannot_lock_a_user_out(client, alice):
    for host in range(1, 11):
        for _ in range(5):
            try_login(Client(), "alice", address=f"203.0.113.{host}")
    assert try_login(Client(), "alice", address="203.0.113.1").status_code == 429
    assert try_login(client, "alice", PASSWORD, address="192.0.2.9").status_code == 302


@override_settings(AXES_ENABLED=True, BEHIND_PROXY=True)
def test_behind_a_proxy_the_address_it_reports_is_counted_not_its_own(client, alice):
    proxy = "10.0.0.1"
    for _ in range(5):
        # The client put an address of its own first; the proxy added the one it saw last.
        forwarded = "192.0.2.1, 203.0.113.7"
        try_login(Client(), "alice", address=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    locked = try_login(client, "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429, "the client behind the proxy is locked"
    other = try_login(Client(), "alice", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert other.status_code == 302, "another client of the same proxy is not"


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
