"""Search and the card browser: Anki's query language over the cards a user may see, a page at
a time, with bulk suspend, unsuspend, bury and forget."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, Note, ReviewLog
from cards.study import grading
from cards.study.scheduling import Rating

BROWSE = "/browse/"
LIMITS = """---
tags: [limits, exam]
domain: Troubleshooting
---
# Lambda limits

- What is the maximum timeout of a function? :: 900 seconds
- How much memory can a function have at most? :: 10,240 MB
- Which storage is mounted at /tmp? :: Ephemeral storage
"""
PRICING = """---
tags: [pricing]
---
# Lambda pricing

- What does Lambda charge for besides requests? :: Duration, in GB-seconds
- Is the free tier per month? :: Yes, every month
"""


@pytest.fixture
def decks(db):
    import_deck(
        "lambda", [NoteFile("limits.md", LIMITS.encode()), NoteFile("pricing.md", PRICING.encode())]
    )
    import_deck(
        "other", [NoteFile("draft.md", b"# Drafty\n\n- A drafted timeout question? :: Yes\n")]
    )
    Note.objects.filter(slug="draft").update(published=False)


def fronts(response) -> list[str]:
    page = response.content.decode()
    found = re.findall(r'<td class="front" data-label="Front"><a [^>]*>([^<]+)</a>', page)
    return sorted(found)


def card(front_start: str) -> Card:
    return Card.objects.get(front__startswith=front_start)


def test_visitor_is_sent_to_log_in(client, decks):
    response = client.get(BROWSE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_free_text_matches_word_stems(alice_client, decks):
    found = fronts(alice_client.get(BROWSE, {"q": "charges"}))
    assert found == ["What does Lambda charge for besides requests?"], "charges finds charge"
    assert fronts(alice_client.get(BROWSE, {"q": "mounted storage"})) == [
        "Which storage is mounted at /tmp?"
    ]
    assert fronts(alice_client.get(BROWSE, {"q": '"free tier"'})) == ["Is the free tier per month?"]


def test_a_student_never_sees_a_draft_and_an_instructor_does(client, alice, charlie, decks):
    client.force_login(alice)
    assert fronts(client.get(BROWSE, {"q": "timeout"})) == [
        "What is the maximum timeout of a function?"
    ]
    client.force_login(charlie)
    assert "A drafted timeout question?" in fronts(client.get(BROWSE, {"q": "timeout"}))


def test_deck_note_tag_and_domain(alice_client, decks):
    assert len(fronts(alice_client.get(BROWSE, {"q": "deck:lambda"}))) == 5
    assert len(fronts(alice_client.get(BROWSE, {"q": "note:lambda*"}))) == 5
    assert len(fronts(alice_client.get(BROWSE, {"q": "note:pricing"}))) == 2
    assert len(fronts(alice_client.get(BROWSE, {"q": "tag:limits"}))) == 3
    assert len(fronts(alice_client.get(BROWSE, {"q": "-tag:limits deck:lambda"}))) == 2
    assert len(fronts(alice_client.get(BROWSE, {"q": "domain:troubleshooting"}))) == 3
    # A note without a domain counts under its deck's title.
    assert len(fronts(alice_client.get(BROWSE, {"q": "domain:lambda"}))) == 2


def test_states_and_properties_are_the_students_own(alice_client, alice, bob, decks):
    now = timezone.now()
    timeout = card("What is the maximum")
    grading.grade(alice, card_id=timeout.pk, version=0, rating=Rating.EASY, now=now)
    grading.suspend_cards(bob, [card("Is the free").pk], True)
    memory = card("How much memory")
    grading.grade(alice, card_id=memory.pk, version=0, rating=Rating.EASY, now=now - timedelta(30))
    assert fronts(alice_client.get(BROWSE, {"q": "is:review"})) == [
        "How much memory can a function have at most?",
        "What is the maximum timeout of a function?",
    ]
    assert fronts(alice_client.get(BROWSE, {"q": "is:due"})) == [
        "How much memory can a function have at most?"
    ], "graded Easy 30 days ago: due"
    assert fronts(alice_client.get(BROWSE, {"q": "prop:due<=0"})) == fronts(
        alice_client.get(BROWSE, {"q": "is:due"})
    )
    assert len(fronts(alice_client.get(BROWSE, {"q": "is:new"}))) == 3
    assert fronts(alice_client.get(BROWSE, {"q": "is:suspended"})) == [], "bob's, not alice's"
    assert len(fronts(alice_client.get(BROWSE, {"q": "prop:ivl>=1"}))) == 2
    assert len(fronts(alice_client.get(BROWSE, {"q": "prop:reps=1"}))) == 2


def test_an_unreadable_search_says_why(alice_client, decks):
    page = alice_client.get(BROWSE, {"q": "is:sleepy"}).content.decode()
    assert "The search could not be read" in page and "is: takes one of" in page


def test_results_come_a_page_at_a_time(alice_client, db, django_assert_max_num_queries):
    lines = "".join(f"- Paged question {i}? :: Answer {i}\n" for i in range(120))
    import_deck("paged", [NoteFile("p.md", f"# Paged\n\n{lines}".encode())])
    with django_assert_max_num_queries(7):
        page = alice_client.get(BROWSE, {"q": "paged"}).content.decode()
    assert "120 cards matching “paged”" in page and "Page 1 of 3" in page
    assert page.count('name="cards"') == 50
    third = alice_client.get(BROWSE, {"q": "paged", "page": 3}).content.decode()
    assert third.count('name="cards"') == 20 and 'rel="prev"' in third


def test_htmx_gets_only_the_results(alice_client, decks):
    response = alice_client.get(BROWSE, {"q": "timeout"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="results">') and "<html" not in page


def test_bulk_suspend_unsuspend_and_bury_the_ticked_cards(alice_client, alice, decks):
    ids = [card("What is the maximum").pk, card("How much memory").pk]
    response = alice_client.post(
        BROWSE, {"action": "suspend", "scope": "selected", "cards": ids, "here": "q=tag%3Alimits"}
    )
    assert response.url == f"{BROWSE}?q=tag%3Alimits"
    assert set(
        CardState.objects.filter(user=alice, suspended=True).values_list("card_id", flat=True)
    ) == set(ids)
    page = alice_client.get(response.url).content.decode()
    assert "Suspended 2 cards." in page and page.count('badge bad">Suspended') == 2
    alice_client.post(BROWSE, {"action": "unsuspend", "scope": "selected", "cards": ids[:1]})
    assert CardState.objects.filter(user=alice, suspended=True).count() == 1
    alice_client.post(BROWSE, {"action": "bury", "scope": "all", "q": "note:pricing"})
    assert len(fronts(alice_client.get(BROWSE, {"q": "is:buried"}))) == 2


def test_forget_makes_cards_new_and_keeps_their_history(alice_client, alice, decks):
    timeout = card("What is the maximum")
    grading.grade(alice, card_id=timeout.pk, version=0, rating=Rating.GOOD)
    response = alice_client.post(
        BROWSE, {"action": "forget", "scope": "all", "q": "is:learning"}, follow=True
    )
    assert "Made new again (their review history is kept): 1 card." in response.content.decode()
    assert not CardState.objects.filter(user=alice).exists()
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert timeout.front in fronts(alice_client.get(BROWSE, {"q": "is:new"}))


def test_bulk_actions_touch_only_cards_the_student_may_see(alice_client, alice, decks):
    draft = card("A drafted")
    response = alice_client.post(
        BROWSE, {"action": "suspend", "scope": "selected", "cards": [draft.pk]}, follow=True
    )
    assert "Suspended 0 cards." in response.content.decode()
    assert not CardState.objects.filter(user=alice).exists()


def test_nothing_ticked_says_so(alice_client, decks):
    response = alice_client.post(BROWSE, {"action": "suspend", "scope": "selected"}, follow=True)
    assert "Tick the cards first" in response.content.decode()


def test_instructors_get_an_editor_link(client, alice, charlie, decks):
    client.force_login(charlie)
    assert "in the editor" in client.get(BROWSE, {"q": "timeout"}).content.decode()
    client.force_login(alice)
    assert "in the editor" not in client.get(BROWSE, {"q": "timeout"}).content.decode()


def test_notes_matching_the_words_are_listed_too(alice_client, decks):
    page = alice_client.get(BROWSE, {"q": "ephemeral"}).content.decode()
    assert '<h2 id="notes-title">Notes</h2>' in page and ">Lambda limits</a>" in page
