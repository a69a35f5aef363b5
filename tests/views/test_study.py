"""The review screen over HTTP, with and without htmx."""

import re

import pytest
from django.urls import reverse

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, ReviewLog, StudySettings
from tests.conftest import PASSWORD

STUDY = "/study/deck/d/"


def make_deck(n):
    lines = "".join(f"- Question number {i}? :: Answer {i}\n" for i in range(n))
    import_deck("d", [NoteFile("n.md", f"# Topic\n\n{lines}".encode())])


@pytest.fixture
def deck(db):
    make_deck(10)


def counts_on(page: str) -> dict:
    """The three counts above the card, by their visible labels."""
    found = re.findall(
        r'<span class="count-label">(\w+)</span> <span class="count">(\d+)</span>', page
    )
    return {label: int(number) for label, number in found}


def card_on(page: str) -> int:
    return int(re.search(r'name="card" value="(\d+)"', page).group(1))


def test_visitor_is_sent_to_log_in(client, deck):
    response = client.get(STUDY)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_front_shows_show_answer_and_counts(alice_client, deck):
    page = alice_client.get(STUDY).content.decode()
    assert "Question number 0?" in page and "Answer 0" not in page
    assert ">Show answer</button>" in page
    assert counts_on(page) == {"New": 10, "Learning": 0, "Review": 0}


def test_answer_side_has_four_grades_with_intervals_and_the_source(alice_client, deck):
    card = Card.objects.order_by("pk").first()
    page = alice_client.get(f"{STUDY}?card={card.pk}&show=1").content.decode()
    assert "Answer 0" in page
    for name in ["Again", "Hard", "Good", "Easy"]:
        assert re.search(rf">{name} <span class=\"interval\">\d+(\.\d)?(s|m|h|d|mo|y)</span>", page)
    assert f'href="/decks/d/notes/n/#L{card.line}"' in page, "links to the line in the note"


def test_grading_without_javascript_redirects_to_the_next_card(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    response = alice_client.post(
        STUDY, {"action": "grade", "card": first.pk, "version": 0, "rating": 3}
    )
    assert response.status_code == 302 and response.url == STUDY
    page = alice_client.get(STUDY).content.decode()
    assert card_on(page) != first.pk
    assert ReviewLog.objects.count() == 1


def test_grading_with_htmx_returns_just_the_next_card(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    response = alice_client.post(
        STUDY,
        {"action": "grade", "card": first.pk, "version": 0, "rating": 3},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="study-card"'), "only the partial"
    assert "<html" not in page
    assert counts_on(page) == {"New": 9, "Learning": 1, "Review": 0}


def test_replayed_grade_is_counted_once(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    data = {"action": "grade", "card": first.pk, "version": 0, "rating": 3}
    alice_client.post(STUDY, data)
    response = alice_client.post(STUDY, data, follow=True)
    assert "already graded" in response.content.decode()
    assert ReviewLog.objects.count() == 1
    assert CardState.objects.get().reps == 1


def test_undo_brings_the_previous_card_back(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    alice_client.post(STUDY, {"action": "grade", "card": first.pk, "version": 0, "rating": 3})
    response = alice_client.post(STUDY, {"action": "undo"})
    assert response.url == f"{STUDY}?card={first.pk}"
    page = alice_client.get(response.url).content.decode()
    assert card_on(page) == first.pk
    assert counts_on(page) == {"New": 10, "Learning": 0, "Review": 0}
    assert not ReviewLog.objects.exists()
    assert "Undid Good on “Question number 0?”" in page, "undo says what it undid"


def test_undo_with_htmx_says_what_it_undid(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    alice_client.post(STUDY, {"action": "grade", "card": first.pk, "version": 0, "rating": 1})
    page = alice_client.post(STUDY, {"action": "undo"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Undid Again on “Question number 0?”" in page
    assert card_on(page) == first.pk


def test_undo_with_nothing_to_undo_says_so(alice_client, deck):
    response = alice_client.post(STUDY, {"action": "undo"}, follow=True)
    assert "Nothing to undo." in response.content.decode()


def test_a_bad_rating_is_refused_and_changes_nothing(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    response = alice_client.post(
        STUDY, {"action": "grade", "card": first.pk, "version": 0, "rating": 9}, follow=True
    )
    assert "Choose Again, Hard, Good or Easy" in response.content.decode()
    assert not ReviewLog.objects.exists()


def test_grade_needs_csrf(client, alice, deck):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.login(username="alice", password=PASSWORD)
    first = Card.objects.order_by("pk").first()
    response = strict.post(STUDY, {"action": "grade", "card": first.pk, "version": 0, "rating": 3})
    assert response.status_code == 403
    assert not ReviewLog.objects.exists()


def test_empty_states(alice_client, db):
    page = alice_client.get("/study/").content.decode()
    assert "No cards yet" in page
    make_deck(1)
    card = Card.objects.get()
    alice_client.post(STUDY, {"action": "suspend", "card": card.pk})
    assert "Every card here is suspended" in alice_client.get(STUDY).content.decode()
    alice_client.post(reverse("unsuspend", args=[card.pk]))
    alice_client.post(STUDY, {"action": "grade", "card": card.pk, "version": 2, "rating": 4})
    assert "All done — next card due in" in alice_client.get(STUDY).content.decode()


def test_unknown_deck_is_404(alice_client, deck):
    assert alice_client.get("/study/deck/nope/").status_code == 404


def test_a_removed_deck_is_404(alice_client, deck):
    from django.utils import timezone

    from cards.models import Deck

    assert alice_client.get(STUDY).status_code == 200
    Deck.objects.filter(slug="d").update(removed_at=timezone.now())
    assert alice_client.get(STUDY).status_code == 404


def bulk_deck(slug: str, size: int, user, reviewed: int = 0) -> None:
    """A deck of `size` cards made in bulk, the first `reviewed` of them due reviews for user."""
    from datetime import timedelta

    from django.utils import timezone

    from cards.models import Deck, Note

    deck = Deck.objects.create(slug=slug, title=slug)
    note = Note.objects.create(deck=deck, path="n.md", title="N", slug="n", source="")
    Card.objects.bulk_create(
        (
            Card(note=note, deck=deck, key=f"k{i}", kind="basic", front=f"Q{i}", back=f"A{i}")
            for i in range(size)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    ids = Card.objects.filter(deck=deck).order_by("pk").values_list("pk", flat=True)[:reviewed]
    CardState.objects.bulk_create(
        CardState(
            user=user, card_id=pk, state=2, stability=5, difficulty=5, reps=3, version=3,
            due=now - timedelta(days=1), last_review=now - timedelta(days=6),
        )
        for pk in ids
    )  # fmt: skip
    ReviewLog.objects.bulk_create(
        ReviewLog(
            user=user, card_id=pk, rating=3, reviewed_at=now - timedelta(days=6),
            state_before=2, state_after=2, after={},
        )
        for pk in ids
    )  # fmt: skip
    analyze()


def analyze() -> None:
    """PostgreSQL plans by its statistics; autovacuum gathers them in production, but never
    sees rows a test made inside its transaction, and 20,000 cards planned as one row join in
    quadratic time. SQLite needs nothing."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cards_card, cards_cardstate, cards_reviewlog, cards_note")


def review_queries(client, slug):
    """Queries of one htmx grade of the card the screen shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/study/deck/{slug}/"
    card = card_on(client.get(url).content.decode())
    state = CardState.objects.filter(card_id=card).first()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url,
            {
                "action": "grade",
                "card": card,
                "version": state.version if state else 0,
                "rating": 3,
            },
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200 and card_on(response.content.decode()) != card
    return len(captured.captured_queries)


def test_a_review_costs_the_same_queries_at_10_or_20000_cards(alice_client, alice, db):
    bulk_deck("small", 10, alice, reviewed=5)
    bulk_deck("large", 20_000, alice, reviewed=5_000)
    for slug in ("small", "large"):
        review_queries(alice_client, slug)  # the first request makes the new-card cursor
    small, large = review_queries(alice_client, "small"), review_queries(alice_client, "large")
    assert small == large, f"{small} queries at 10 cards, {large} at 20,000"
    assert large <= 12, f"a review took {large} queries"


# A valid study settings form; each test changes what it is about.
SETTINGS = {
    "desired_retention": "0.9",
    "new_per_day": "20",
    "reviews_per_day": "200",
    "learning_steps": "1m 10m",
    "relearning_steps": "10m",
    "maximum_interval": "36500",
    "leech_threshold": "8",
    "time_zone": "UTC",
    "day_starts_at": "4",
}


def test_settings_form_refuses_out_of_range_values(alice_client, alice):
    response = alice_client.post(
        reverse("study_settings"),
        {
            **SETTINGS,
            "desired_retention": "1.5",
            "new_per_day": "-3",
            "learning_steps": "1m banana",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "less than or equal to 0.99" in page
    assert page.count('class="field-errors"') >= 3
    assert not StudySettings.objects.filter(user=alice).exists()


def test_settings_form_refuses_an_unknown_time_zone_or_hour(alice_client, alice):
    response = alice_client.post(
        reverse("study_settings"),
        {**SETTINGS, "time_zone": "Mars/Olympus_Mons", "day_starts_at": "24"},
    )
    page = response.content.decode()
    assert "“Mars/Olympus_Mons” is not a time zone name" in page
    assert "less than or equal to 23" in page
    assert page.count('class="field-errors"') == 2
    assert not StudySettings.objects.filter(user=alice).exists()


def test_times_show_on_the_users_clock(alice_client, alice, deck):
    from datetime import UTC, datetime

    from cards.models import Attempt, Deck

    StudySettings.objects.create(user=alice, time_zone="Asia/Tokyo")
    Attempt.objects.create(
        user=alice, deck=Deck.objects.get(slug="d"), mode="practice", seed=7, questions=[],
        started_at=datetime(2026, 1, 15, 22, 30, tzinfo=UTC),
        submitted_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC), title="Quick 10",
    )  # fmt: skip
    page = alice_client.get(reverse("quiz_home")).content.decode()
    assert "2026-01-16 08:30" in page, "23:30 UTC is 08:30 the next morning in Tokyo"


def test_settings_are_saved_and_used(alice_client, alice, deck):
    alice_client.post(
        reverse("study_settings"),
        {
            **SETTINGS,
            "desired_retention": "0.85",
            "new_per_day": "3",
            "reviews_per_day": "100",
            "learning_steps": "30s 5m",
            "maximum_interval": "365",
            "requeue_missed": "on",
            "time_zone": "Europe/Paris",
        },
    )
    assert StudySettings.objects.get(user=alice).learning_steps == "30s 5m"
    assert counts_on(alice_client.get(STUDY).content.decode())["New"] == 3


def test_dashboard_shows_deck_counts_and_a_study_link(alice_client, deck):
    page = alice_client.get("/").content.decode()
    assert 'aria-label="Study D"' in page
    assert '<td class="num count-new">10</td>' in page


def test_suspended_card_can_be_unsuspended_from_its_note_card_list(alice_client, bob, deck):
    card = Card.objects.order_by("pk").first()
    alice_client.post(STUDY, {"action": "suspend", "card": card.pk})
    page = alice_client.get(reverse("note_cards", args=["d", "n"])).content.decode()
    assert page.count("Suspended by you") == 1
    alice_client.post(reverse("unsuspend", args=[card.pk]))
    assert not CardState.objects.filter(card=card, suspended=True).exists()
    alice_client.force_login(bob)
    page = alice_client.get(reverse("note_cards", args=["d", "n"])).content.decode()
    assert "Suspended by you" not in page, "suspension is per user"


def test_numeric_cards_accept_a_typed_answer_in_other_units(alice_client, db):
    import_deck("num", [NoteFile("t.md", b"# Lambda limits\n\n- Maximum timeout: 900 seconds\n")])
    card = Card.objects.get()
    assert card.kind == "numeric"
    page = alice_client.get("/study/deck/num/").content.decode()
    assert 'name="typed"' in page, "numeric cards offer a typed answer"
    right = alice_client.get(f"/study/deck/num/?card={card.pk}&show=1&typed=15+min").content
    assert "✓ Correct" in right.decode()
    wrong = alice_client.get(f"/study/deck/num/?card={card.pk}&show=1&typed=10+min").content
    assert "✗ You typed “10 min”" in wrong.decode()


def test_a_deleted_decks_cards_leave_every_queue_and_the_dashboard(alice_client, deck):
    from cards.content import authoring
    from cards.models import Deck

    authoring.delete_deck(Deck.objects.get(slug="d"))
    page = alice_client.get("/study/").content.decode()
    assert "Question number" not in page, "the all-decks queue serves none of its cards"
    assert counts_on(page) == {"New": 0, "Learning": 0, "Review": 0}
    first = Card.objects.order_by("pk").first()
    alice_client.post("/study/", {"action": "grade", "card": first.pk, "version": 0, "rating": 3})
    assert not ReviewLog.objects.exists(), "its cards cannot be graded either"
    assert "Question number" not in alice_client.get("/").content.decode()


def test_a_draft_notes_study_page_is_404_like_a_missing_one(alice_client, deck):
    from cards.models import Note

    Note.objects.filter(slug="n").update(published=False)
    assert alice_client.get("/study/deck/d/note/n/").status_code == 404
    assert alice_client.get("/study/deck/d/note/missing/").status_code == 404


OUT_OF_RANGE = "9223372036854775808"  # one more than the largest 64-bit id


def test_a_card_id_out_of_range_in_the_address_is_ignored(alice_client, deck):
    response = alice_client.get(f"{STUDY}?card={OUT_OF_RANGE}")
    assert response.status_code == 200, "an id no card can have shows the next card"
    assert "Question number 0?" in response.content.decode()


@pytest.mark.parametrize("field", ["card", "version"])
def test_a_grade_naming_an_out_of_range_card_or_version_is_refused(alice_client, deck, field):
    card = Card.objects.order_by("pk").first()
    data = {"action": "grade", "card": card.pk, "version": 0, "rating": 3, field: OUT_OF_RANGE}
    response = alice_client.post(STUDY, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, f"an out-of-range {field} is a form error, not a 500"
    assert not ReviewLog.objects.exists()


@pytest.mark.parametrize("steps", ["1e30d", "99999999d", "9" * 40 + "d"])
def test_settings_form_refuses_steps_longer_than_anki_allows(alice_client, alice, steps):
    response = alice_client.post(
        reverse("study_settings"), {**SETTINGS, "learning_steps": steps, "relearning_steps": steps}
    )
    assert response.status_code == 200, f"{steps!r} is a form error, not a 500"
    assert response.content.decode().count('class="field-errors"') == 2
    assert not StudySettings.objects.filter(user=alice).exists()


def test_steps_saved_out_of_range_earlier_do_not_break_studying(alice_client, alice, deck):
    StudySettings.objects.create(user=alice, learning_steps="99999999d", relearning_steps="1e30d")
    page = alice_client.get(STUDY)
    assert page.status_code == 200, "the default steps stand in for ones that cannot be used"
    card = card_on(page.content.decode())
    graded = alice_client.post(STUDY, {"action": "grade", "card": card, "version": 0, "rating": 1})
    assert graded.status_code == 302 and ReviewLog.objects.count() == 1


@pytest.mark.parametrize("action", ["grade", "bury", "suspend"])
def test_a_draft_notes_card_cannot_be_touched_by_its_id(alice_client, alice, deck, action):
    import_deck("d", [NoteFile("secret.md", b"# Secret\n\n- Unreleased? :: Yes\n")])
    from cards.models import Note

    Note.objects.filter(path="secret.md").update(published=False)
    draft = Card.objects.get(note__path="secret.md")
    data = {"action": action, "card": draft.pk, "version": 0, "rating": 3}
    page = alice_client.post(STUDY, data, HTTP_HX_REQUEST="true").content.decode()
    assert "That card is no longer in the deck." in page
    assert not CardState.objects.filter(card=draft).exists() and not ReviewLog.objects.exists()


def test_unsuspending_a_card_no_longer_in_play_is_404_and_names_nothing(alice_client, deck):
    from cards.models import Note

    card = Card.objects.order_by("pk").first()
    alice_client.post(STUDY, {"action": "suspend", "card": card.pk})
    Note.objects.filter(slug="n").update(published=False)
    response = alice_client.post(reverse("unsuspend", args=[card.pk]))
    assert response.status_code == 404 and b"/decks/d/notes/n/" not in response.content
    assert CardState.objects.get(card=card).suspended, "nothing changed"


def test_undo_names_the_card_in_words_not_markdown(alice_client, deck):
    first = Card.objects.order_by("pk").first()
    Card.objects.filter(pk=first.pk).update(front="AWS Lambda: **Execution environment**?")
    alice_client.post(STUDY, {"action": "grade", "card": first.pk, "version": 0, "rating": 1})
    page = alice_client.post(STUDY, {"action": "undo"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Undid Again on “AWS Lambda: Execution environment?”" in page
