"""One fact, one card in the database: merged on import, sourced, split by instructors, stable
under re-imports and edits, and never losing anyone's review history."""

import pytest

from cards.content import authoring
from cards.content.sync import NoteFile, import_deck
from cards.models import Card, CardState, KeptApart, ReviewLog
from cards.quiz.exams import deck_cards
from cards.study import grading
from cards.study.scheduling import Rating

ALICE = """# Amazon SQS

- Visibility timeout: how long a received message stays hidden from other consumers
- Max message size: 1 MiB
"""
BEN = """# SQS

- Visibility timeout - the window in which nobody else can see a message someone received
- Message size - 1 MiB max now
"""


def import_notes(**notes):
    files = [NoteFile(f"{name}.md", text.encode()) for name, text in notes.items()]
    return import_deck("sqs", files)


def in_play():
    return Card.objects.filter(Card.in_play(), deck__slug="sqs")


def card_at(path, line):
    return Card.objects.get(note__path=path, line=line, status="active")


@pytest.fixture
def merged(db):
    report = import_notes(alice=ALICE, ben=BEN)
    assert report.cards["merged"] == 2
    return report


def test_cards_of_two_notes_asking_one_fact_become_one_card_with_both_sources(merged):
    assert in_play().count() == 2
    studied = card_at("alice.md", 3)
    assert card_at("ben.md", 3).merged_into == studied
    assert studied.also_in == [{"title": "SQS", "slug": "ben", "line": 3}]
    assert {card.id for card in deck_cards(studied.deck)} == {card.id for card in in_play()}


def test_reimporting_the_same_notes_changes_no_merge(merged):
    before = list(Card.objects.order_by("pk").values_list("pk", "merged_into", "also_in"))
    report = import_notes(alice=ALICE, ben=BEN)
    assert report.to_dict()["cards"]["created"] == 0
    assert list(Card.objects.order_by("pk").values_list("pk", "merged_into", "also_in")) == before


def test_a_student_who_studied_only_the_merged_away_card_keeps_that_history(db, alice):
    import_notes(alice=ALICE, ben=BEN.replace("# SQS", "# Kafka"))  # two subjects: no merge
    only = card_at("ben.md", 3)
    assert only.merged_into is None
    grading.grade(alice, card_id=only.pk, version=0, rating=Rating.GOOD)
    import_notes(alice=ALICE, ben=BEN)  # now both notes are about SQS
    studied = card_at("alice.md", 3)
    assert card_at("ben.md", 3).merged_into == studied
    assert CardState.objects.get(user=alice).card == studied
    assert ReviewLog.objects.get(user=alice).card == studied


def test_an_instructor_split_survives_reimports_and_can_be_taken_back(merged):
    ben = card_at("ben.md", 3)
    authoring.keep_apart(ben, apart=True)
    assert in_play().count() == 3
    import_notes(alice=ALICE, ben=BEN + "\n- Redrive - moving messages back from the DLQ\n")
    ben.refresh_from_db()
    assert ben.merged_into is None and KeptApart.objects.count() == 1
    assert card_at("alice.md", 3).also_in == []
    authoring.keep_apart(ben, apart=False)
    ben.refresh_from_db()
    assert ben.merged_into == card_at("alice.md", 3)


def test_deleting_or_unpublishing_the_studied_card_s_note_brings_the_other_back(merged, charlie):
    alice_note = card_at("alice.md", 3).note
    authoring.set_published(alice_note, False)
    assert card_at("ben.md", 3).merged_into is None
    assert in_play().filter(note__path="ben.md").count() == 2
    authoring.set_published(alice_note, True)
    assert card_at("ben.md", 3).merged_into == card_at("alice.md", 3)
    authoring.delete_note(alice_note, author=charlie)
    assert in_play().filter(note__path="ben.md").count() == 2


def test_editing_the_wording_of_one_note_keeps_the_merge(merged):
    import_notes(alice=ALICE.replace("from other consumers", "from the other consumers"), ben=BEN)
    assert card_at("ben.md", 3).merged_into == card_at("alice.md", 3)


def test_a_card_the_facts_file_contradicts_is_marked_and_never_a_quiz_key(db):
    report = import_deck(
        "lambda", [NoteFile("limits.md", b"# AWS Lambda\n\n- Max timeout: 10 minutes\n")]
    )
    assert any("the facts file says" in warning["message"] for warning in report.warnings)
    card = Card.objects.get(deck__slug="lambda")
    assert card.fact_check["value"].startswith("900")
    assert card.fact_check["says"] == "10 minutes"
    assert deck_cards(card.deck) == []
