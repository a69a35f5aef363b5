"""What students and instructors see of merged and fact-checked cards."""

import pytest

from cards.content.sync import NoteFile, import_deck
from cards.models import Card, KeptApart

ALICE = b"# Amazon SQS\n\n- Visibility timeout: how long a received message stays hidden\n"
BEN = b"# SQS\n\n- Visibility timeout - the window in which nobody else sees a message\n"


@pytest.fixture
def merged(db):
    import_deck("sqs", [NoteFile("alice.md", ALICE), NoteFile("ben.md", BEN)])
    studied, away = Card.objects.filter(deck__slug="sqs").order_by("pk")
    assert away.merged_into == studied
    return studied, away


def test_the_study_screen_lists_every_source_of_a_merged_card(alice_client, merged):
    studied, _away = merged
    page = alice_client.get(f"/study/deck/sqs/?card={studied.pk}&show=1").content.decode()
    assert "also in" in page and 'href="/decks/sqs/notes/ben/#L3"' in page


def test_the_note_s_card_list_says_which_card_students_study_instead(alice_client, merged):
    page = alice_client.get("/decks/sqs/notes/ben/cards/").content.decode()
    assert "Same fact as" in page and "Amazon SQS" in page
    assert "Keep apart" not in page, "students cannot split merges"
    page = alice_client.get("/decks/sqs/notes/alice/cards/").content.decode()
    assert "Also in" in page and "(line 3)" in page


def test_an_instructor_keeps_two_cards_apart_and_merges_them_again(charlie_client, merged):
    studied, away = merged
    page = charlie_client.get("/decks/sqs/notes/ben/cards/").content.decode()
    assert "Keep apart" in page
    response = charlie_client.post(f"/cards/{away.pk}/keep-apart/", {"apart": "1"}, follow=True)
    assert "Kept apart from" in response.content.decode()
    away.refresh_from_db()
    assert away.merged_into is None and KeptApart.objects.count() == 1
    charlie_client.post(f"/cards/{away.pk}/keep-apart/", {"apart": "0"})
    away.refresh_from_db()
    assert away.merged_into == studied and not KeptApart.objects.exists()


def test_students_cannot_split_merges(alice_client, merged):
    _studied, away = merged
    response = alice_client.post(f"/cards/{away.pk}/keep-apart/", {"apart": "1"})
    assert response.status_code in (302, 403)
    away.refresh_from_db()
    assert away.merged_into is not None


def test_a_contradicted_answer_shows_the_facts_file_value_beside_it(alice_client, db):
    import_deck("lambda", [NoteFile("l.md", b"# AWS Lambda\n\n- Max timeout: 10 minutes\n")])
    card = Card.objects.get(deck__slug="lambda")
    page = alice_client.get(f"/study/deck/lambda/?card={card.pk}&show=1").content.decode()
    assert 'aria-label="Fact check"' in page
    assert "the note says 10 minutes" in page and "900" in page
