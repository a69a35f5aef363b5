"""The review screen and navigation at phone (390 px) and desktop (1280 px) width: the answer
box leaves Space alone, the counts are labelled, Undo says what it undid, one navigation item is
current, the navigation and tables fit a phone, and the heatmap opens on today."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Attempt, Card, Deck, ReviewLog
from cards.study import grading
from cards.study.scheduling import Rating
from tests.browser.conftest import in_view, log_in
from tests.conftest import PASSWORD


def keys_deck():
    # The second card is numeric, so it offers the optional answer box.
    text = (
        "# Keys\n\n- First question? :: First answer\n\n"
        "## Limits\n\n- Maximum timeout: 900 seconds\n"
    )
    import_deck("keys", [NoteFile("keys.md", text.encode())])


def study(page, user="alice"):
    log_in(page, user, PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/study/deck/keys/")


def test_space_shows_the_answer_on_a_card_with_an_answer_box(sized_page, alice):
    keys_deck()
    page = sized_page
    study(page)
    page.get_by_text("First question?").wait_for()
    page.keyboard.press("Space")
    page.get_by_text("First answer").wait_for()
    page.keyboard.press("3")
    box = page.get_by_label("Type the answer (optional)")
    box.wait_for()
    assert not box.evaluate("box => box === document.activeElement"), "the box waits to be clicked"
    page.keyboard.press("Space")
    page.get_by_text("900 seconds", exact=True).wait_for()
    assert box.count() == 0, "Space showed the answer"


def test_space_in_the_empty_answer_box_shows_the_answer_and_typing_still_works(sized_page, alice):
    keys_deck()
    numeric = Card.objects.get(kind="numeric")
    page = sized_page
    study(page)
    page.goto(f"/study/deck/keys/?card={numeric.pk}")
    box = page.get_by_label("Type the answer (optional)")
    box.click()
    page.keyboard.press("Space")
    page.get_by_text("900 seconds", exact=True).wait_for()

    page.goto(f"/study/deck/keys/?card={numeric.pk}")
    box.click()
    page.keyboard.type("15 min")
    assert box.input_value() == "15 min", "spaces inside an answer are typed"
    page.keyboard.press("Enter")
    page.get_by_text("✓ Correct: you typed “15 min”.").wait_for()


def test_counts_are_labelled_and_undo_says_what_it_undid(sized_page, alice):
    keys_deck()
    page = sized_page
    study(page)
    counts = page.get_by_role("list", name="Cards left today")
    assert (
        re.sub(r"\s+", " ", counts.inner_text()).strip() == "New 2 (this card) Learning 0 Review 0"
    )
    for label in ("New", "Learning", "Review"):
        assert counts.get_by_text(label, exact=True).is_visible(), label
    page.keyboard.press("Space")
    page.get_by_text("First answer").wait_for()
    page.keyboard.press("3")
    page.get_by_label("Type the answer (optional)").wait_for()
    page.keyboard.press("u")
    message = page.get_by_role("status").filter(has_text="Undid")
    message.wait_for()
    assert message.inner_text() == "Undid Good on “First question?”: grade it again."
    page.get_by_text("First question?", exact=True).wait_for()
    assert not ReviewLog.objects.exists()


@pytest.mark.parametrize(
    "url", ["/decks/keys/", "/decks/keys/notes/keys/", "/decks/keys/notes/keys/cards/"]
)
def test_one_navigation_item_is_current_on_deck_and_note_pages(sized_page, alice, url):
    keys_deck()
    page = sized_page
    study(page)
    page.goto(url)
    current = page.get_by_role("navigation", name="Main").locator("[aria-current=page]")
    assert current.all_inner_texts() == ["Decks"]


def test_every_navigation_item_is_in_sight_without_scrolling(sized_page, alice):
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.evaluate("nav => nav.scrollWidth <= nav.clientWidth"), "no hidden sideways scroll"
    links = nav.get_by_role("link")
    names = links.all_inner_texts()
    assert {"Calculators", "Statistics"} <= set(names)
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.width, names[index]
    nav.get_by_role("link", name="Statistics").click()
    page.get_by_role("heading", name="Statistics").wait_for()


def test_tables_keep_their_key_column_in_sight(sized_page, alice):
    keys_deck()
    deck = Deck.objects.get(slug="keys")
    deck.title = "A deck with a rather long title that needs room"
    deck.save()
    now = timezone.now()
    Attempt.objects.create(
        user=alice,
        deck=deck,
        mode=Attempt.Mode.EXAM,
        title="Full exam: 65 in 130 min",
        seed="abc123",
        started_at=now - timedelta(hours=2),
        submitted_at=now - timedelta(hours=1),
        correct=50,
        percent=76.9,
        passed=True,
    )
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    study_button = page.get_by_role("link", name=f"Study {deck.title}")
    assert in_view(page, study_button), "the dashboard's Study button"
    page.goto("/quiz/")
    score = page.get_by_role("cell", name="76.9%")
    assert in_view(page, score), "the exam history's Score column"


def test_the_heatmap_opens_on_today(sized_page, alice):
    keys_deck()
    card = Card.objects.order_by("pk").first()
    grading.grade(alice, card_id=card.pk, version=0, rating=Rating.GOOD)
    page = sized_page
    log_in(page, "alice", PASSWORD)
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto("/stats/")
    today = page.locator(".heatmap [data-today]")
    box, frame = today.bounding_box(), page.locator(".heatmap").locator("..").bounding_box()
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    assert box["x"] + box["width"] <= page.width, "today's square is on screen"
